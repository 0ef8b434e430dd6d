"""Desired state: `terraform show -json` output (a plan or a state) -> AccountState.

Detected by content:

* a plan (`planned_values` / `resource_changes`, format_version 0.1, 0.2 or 1.x): the desired
  state is `planned_values` (child modules walked); attributes that are unknown until apply
  (`after_unknown`, or absent from `planned_values`) become None, never a guessed value;
  `prior_state` supplies the IDs/ARNs of resources that already exist, for matching;
* a state rendered by `terraform show -json` (`values.root_module`);
* a raw state file (`terraform.tfstate`, version 4).

Links between resources whose value is unknown in the plan (an attachment's `policy_arn` of a
policy created in the same run) are resolved through `configuration` references, within the
same module instance (desired_refs.py).  The IAM resources become the engine's Principals model
in desired_iam.py.  Regions of Cognito pools come from the pool's own ARN/ID when known, a
resource-level `region` (AWS provider 6), else the provider configuration (aliases, module
providers), else the plan's default provider region.

Everything raises mfaguard.errors.InputError (exit 2, one line) on bad input.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from mfaguard.drift.desired_iam import IamBuilder
from mfaguard.drift.desired_refs import ReferenceResolver
from mfaguard.drift.model import AccountState, ManagedPolicy, User, UserPool
from mfaguard.errors import InputError
from mfaguard.policy.values import policy_document

UNKNOWN = None  # an unknown-after-apply value: never drift

_FORMAT_RE = re.compile(r"^(0\.[12]|1\.\d+)$")
_REGION_IN_ID = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)_")


@dataclass
class _Instance:
    address: str  # full instance address, e.g. module.a["x"].aws_iam_user.u[0]
    mode: str  # managed | data
    type: str
    name: str
    index: Any  # index key or None
    module: str  # module instance address ("" for root), e.g. module.a["x"]
    values: dict[str, Any]
    unknown: set[str] = field(default_factory=set)  # top-level attributes unknown until apply
    prior: dict[str, Any] = field(default_factory=dict)  # values before this plan, if any

    @property
    def config_module(self) -> str:
        return strip_indexes(self.module)

    @property
    def config_address(self) -> str:
        local = f"{'data.' if self.mode == 'data' else ''}{self.type}.{self.name}"
        return f"{self.config_module}.{local}" if self.config_module else local

    def get(self, key: str) -> Any:
        """The attribute's value, or None when unknown until apply / absent."""
        if key in self.unknown:
            return UNKNOWN
        return self.values.get(key)

    def ident(self, key: str) -> Any:
        """An identifier (arn, id, unique_id): the planned value, else the prior state's."""
        value = self.get(key)
        if value in (None, ""):
            value = self.prior.get(key)
        return value if value not in ("",) else None


def strip_indexes(address: str) -> str:
    """`module.a["x"].module.b[0]` -> `module.a.module.b` (quotes respected)."""
    out, i, n = [], 0, len(address)
    while i < n:
        ch = address[i]
        if ch == "[":
            depth, in_str = 1, False
            i += 1
            while i < n and depth:
                c = address[i]
                if in_str:
                    if c == "\\":
                        i += 1
                    elif c == '"':
                        in_str = False
                elif c == '"':
                    in_str = True
                elif c == "[":
                    depth += 1
                elif c == "]":
                    depth -= 1
                i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


# --------------------------------------------------------------------------- loading


def load(path: str) -> AccountState:
    from mfaguard.scan.inputs import special_file_problem

    problem = special_file_problem(path) if os.path.exists(path) else None
    if problem:  # a FIFO, socket or device: opening it could block waiting for a writer
        raise InputError(path, problem)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, "is a directory, expected the JSON of `terraform show -json`") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text (a binary plan? run `terraform show -json PLAN > plan.json`)") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return parse(doc, path)


def parse(doc: Any, path: str = "<plan>") -> AccountState:
    if not isinstance(doc, dict):
        raise InputError(path, "expected a JSON object from `terraform show -json`")
    try:
        return _Reader(doc, path).read()
    except InputError:
        raise
    except (AttributeError, TypeError, KeyError, ValueError) as exc:
        raise InputError(path, f"malformed Terraform JSON ({type(exc).__name__}: {exc})") from None


class _Reader(ReferenceResolver):
    def __init__(self, doc: dict[str, Any], path: str) -> None:
        self.doc = doc
        self.path = path
        self.instances: list[_Instance] = []
        self.doomed: list[_Instance] = []  # resource_changes actions ["delete"]: pending destroy
        self.config: dict[str, dict[str, Any]] = {}  # config address -> configuration resource
        self.provider_config: dict[str, Any] = {}
        self.variables: dict[str, Any] = {}

    # -- detection ---------------------------------------------------------
    def read(self) -> AccountState:
        doc = self.doc
        if "planned_values" in doc or "resource_changes" in doc:
            self._check_format()
            self._read_plan()
        elif isinstance(doc.get("values"), dict) or (
                "format_version" in doc and set(doc) <= {"format_version", "terraform_version", "values"}):
            # a state; `terraform show -json` of an empty state is just {"format_version": "1.0"}
            self._check_format()
            self._walk_values((doc.get("values") or {}).get("root_module") or {}, sink=self.instances)
        elif isinstance(doc.get("resources"), list) and "version" in doc:
            if doc.get("version") != 4:
                raise InputError(self.path, f"state file version {doc.get('version')!r} not supported (expected 4)")
            self._read_raw_state()
        else:
            raise InputError(
                self.path,
                "neither a plan nor a state: expected `terraform show -json` output "
                "(planned_values/resource_changes or values.root_module)",
            )
        cfg = doc.get("configuration")
        if isinstance(cfg, dict):
            self.provider_config = cfg.get("provider_config") or {}
            self._walk_config(cfg.get("root_module") or {}, "")
        for name, var in (doc.get("variables") or {}).items():
            if isinstance(var, dict) and "value" in var:
                self.variables[name] = var["value"]
        return self._build()

    def _check_format(self) -> None:
        fv = self.doc.get("format_version")
        if fv is None:
            raise InputError(self.path, "no format_version: not `terraform show -json` output")
        if not isinstance(fv, str) or not _FORMAT_RE.match(fv):
            raise InputError(
                self.path, f"unsupported format_version {fv!r} (supported: 0.1, 0.2 and 1.x, Terraform 0.12+)"
            )

    # -- plan --------------------------------------------------------------
    def _read_plan(self) -> None:
        pv = self.doc.get("planned_values")
        if pv is not None and not isinstance(pv, dict):
            raise InputError(self.path, "planned_values is not an object")
        self._walk_values((pv or {}).get("root_module") or {}, sink=self.instances)
        by_addr = {i.address: i for i in self.instances}

        # after_unknown: attributes known only after apply.
        changes = self.doc.get("resource_changes") or []
        if not isinstance(changes, list):
            raise InputError(self.path, "resource_changes is not a list")
        for rc in changes:
            if not isinstance(rc, dict):
                continue
            inst = by_addr.get(rc.get("address"))
            change = rc.get("change") or {}
            if change.get("actions") == ["delete"] and isinstance(change.get("before"), dict) and "type" in rc:
                self.doomed.append(_Instance(
                    address=rc.get("address") or f"{rc['type']}.{rc.get('name')}", mode=rc.get("mode", "managed"),
                    type=rc["type"], name=rc.get("name", ""), index=rc.get("index"),
                    module=rc.get("module_address", "") or "", values=dict(change["before"])))
            if inst is None:
                # planned_values missing (hand-made or old plan): rebuild from `after`.
                if "delete" in (change.get("actions") or []) and change.get("after") is None:
                    continue
                if pv is None and isinstance(change.get("after"), dict):
                    inst = _Instance(
                        address=rc["address"], mode=rc.get("mode", "managed"), type=rc["type"], name=rc["name"],
                        index=rc.get("index"), module=rc.get("module_address", ""), values=dict(change["after"]),
                    )
                    self.instances.append(inst)
                    by_addr[inst.address] = inst
                else:
                    continue
            for key, flag in (change.get("after_unknown") or {}).items():
                if flag is True:
                    inst.unknown.add(key)
                elif _has_unknown(flag):
                    inst.unknown.add(key)  # a nested part is unknown: the whole attribute is
            if isinstance(change.get("before"), dict):
                inst.prior = change["before"]

        prior_root = ((self.doc.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
        prior: list[_Instance] = []
        self._walk_values(prior_root, sink=prior)
        for p in prior:
            inst = by_addr.get(p.address)
            if inst is not None and not inst.prior:
                inst.prior = p.values
            elif inst is None and p.mode == "data":
                # data sources read during plan live in prior_state (Terraform >= 0.13).
                self.instances.append(p)
                by_addr[p.address] = p

    def _walk_values(self, module: dict[str, Any], sink: list[_Instance]) -> None:
        if not isinstance(module, dict):
            raise InputError(self.path, "a module in the JSON is not an object")
        mod_addr = module.get("address", "") or ""
        for res in module.get("resources") or []:
            if not isinstance(res, dict) or "type" not in res or "name" not in res:
                raise InputError(self.path, "a resource has no type/name")
            values = res.get("values")
            sink.append(
                _Instance(
                    address=res.get("address") or f"{res['type']}.{res['name']}",
                    mode=res.get("mode", "managed"),
                    type=res["type"],
                    name=res["name"],
                    index=res.get("index"),
                    module=mod_addr,
                    values=values if isinstance(values, dict) else {},
                )
            )
        for child in module.get("child_modules") or []:
            self._walk_values(child, sink)

    def _read_raw_state(self) -> None:
        for res in self.doc["resources"]:
            if not isinstance(res, dict) or "type" not in res or "name" not in res:
                raise InputError(self.path, "a state resource has no type/name")
            module = res.get("module", "") or ""
            mode = res.get("mode", "managed")
            local = f"{'data.' if mode == 'data' else ''}{res['type']}.{res['name']}"
            for inst in res.get("instances") or []:
                key = inst.get("index_key")
                suffix = "" if key is None else (f"[{key}]" if isinstance(key, int) else f"[{json.dumps(key)}]")
                addr = f"{module}.{local}{suffix}" if module else f"{local}{suffix}"
                self.instances.append(
                    _Instance(address=addr, mode=mode, type=res["type"], name=res["name"], index=key,
                              module=module, values=inst.get("attributes") or {})
                )

    def _walk_config(self, module: dict[str, Any], path: str) -> None:
        for res in module.get("resources") or []:
            if not isinstance(res, dict):
                continue
            local = res.get("address") or ""
            self.config[f"{path}.{local}" if path else local] = res
        for name, call in (module.get("module_calls") or {}).items():
            if isinstance(call, dict):
                child = f"{path}.module.{name}" if path else f"module.{name}"
                self._walk_config(call.get("module") or {}, child)

    # -- regions -----------------------------------------------------------
    def _provider_region(self, key: str | None) -> str | None:
        if not key:
            return None
        tried = []
        candidates = [key]
        if ":" in key:
            mod, prov = key.rsplit(":", 1)
            # walk up the module tree, then the root's configuration of the same name
            while mod:
                mod = mod.rsplit(".module.", 1)[0] if ".module." in mod else ""
                candidates.append(f"{mod}:{prov}" if mod else prov)
        for cand in candidates:
            tried.append(cand)
            pc = self.provider_config.get(cand)
            if not isinstance(pc, dict):
                continue
            expr = (pc.get("expressions") or {}).get("region")
            if not isinstance(expr, dict):
                continue  # a passed-in provider (no expressions): look further up
            if isinstance(expr.get("constant_value"), str):
                return expr["constant_value"]
            if not pc.get("module_address"):
                for ref in expr.get("references") or []:
                    if ref.startswith("var."):
                        val = self.variables.get(ref[4:].split(".")[0])
                        if isinstance(val, str):
                            return val
            return None
        return None

    def default_region(self) -> str | None:
        return self._provider_region("aws")

    def _pool_region(self, inst: _Instance) -> str | None:
        region = inst.get("region")
        if isinstance(region, str) and region:
            return region
        arn = inst.ident("arn")
        if isinstance(arn, str) and arn.count(":") >= 5 and arn.split(":")[3]:
            return arn.split(":")[3]
        pid = inst.ident("id")
        if isinstance(pid, str):
            m = _REGION_IN_ID.match(pid)
            if m:
                return m.group(1)
        cfg = self.config.get(inst.config_address) or {}
        key = cfg.get("provider_config_key")
        if key:
            region = self._provider_region(key)
            if region:
                return region
            # Terraform 0.12-0.14 spell module keys "<module name>:aws"
            if ":" in key and not key.startswith("module."):
                region = self._provider_region(f"module.{key}")
                if region:
                    return region
        return self.default_region()

    # -- model -------------------------------------------------------------
    def _build(self) -> AccountState:
        state = AccountState()
        managed = [i for i in self.instances if i.mode == "managed"]
        by_type: dict[str, list[_Instance]] = {}
        for inst in managed:
            by_type.setdefault(inst.type, []).append(inst)

        IamBuilder(self, state, by_type).build()
        self._read_policies(state)
        for inst in by_type.get("aws_cognito_user_pool", []):
            state.pools.append(self._pool(inst))
        self._pending_destroy(state)

        regions = []
        for region in [self.default_region()] + [p.region for p in state.pools]:
            if region and region not in regions:
                regions.append(region)
        state.regions = regions
        for u in state.users.values():
            if u.arn and state.account_id is None:
                state.account_id = _account_of(u.arn)
                state.partition = u.arn.split(":")[1] or "aws"
        return state

    def _read_policies(self, state: AccountState) -> None:
        """`data "aws_iam_policy"` as read at plan time (planned values or prior_state): its
        document is compared with the live default version (a policy another stack owns)."""
        for inst in self.instances:
            if inst.mode != "data" or inst.type != "aws_iam_policy":
                continue
            arn, document = inst.get("arn"), policy_document(inst.get("policy"))
            if isinstance(arn, str) and arn.startswith("arn:") and document is not None:
                state.read_policies[arn] = ManagedPolicy(name=inst.get("name") or arn.rsplit("/", 1)[-1], arn=arn,
                                                         address=inst.address, document=document)

    def _pending_destroy(self, state: AccountState) -> None:
        """What the plan deletes: live, it is "pending destroy", not "created outside Terraform"."""
        for inst in self.doomed:
            if inst.mode != "managed":
                continue
            if inst.type == "aws_iam_user" and isinstance(inst.get("name"), str):
                state.pending_destroy_users.append(User(name=inst.get("name"), arn=inst.get("arn"),
                                                        id=inst.get("unique_id"), address=inst.address))
            elif inst.type == "aws_cognito_user_pool":
                state.pending_destroy_pools.append(self._pool(inst))

    def _pool(self, inst: _Instance) -> UserPool:
        mfa = inst.get("mfa_configuration")
        if mfa is None and "mfa_configuration" not in inst.unknown:
            mfa = "OFF"  # the provider's default
        software = _block(inst, "software_token_mfa_configuration")
        sms_block = _block(inst, "sms_configuration")
        email = _block(inst, "email_mfa_configuration")
        addons = _block(inst, "user_pool_add_ons")
        asm = addons.get("advanced_security_mode") if isinstance(addons, dict) else None
        sign_in = _block(inst, "sign_in_policy")
        factors = sign_in.get("allowed_first_auth_factors") if isinstance(sign_in, dict) else None
        if addons == {} and "user_pool_add_ons" not in inst.unknown:
            asm = "OFF"
        custom = None
        if isinstance(addons, dict):
            flows = addons.get("advanced_security_additional_flows")
            flows = flows[0] if isinstance(flows, list) and flows else flows
            custom = (flows or {}).get("custom_auth_mode") if isinstance(flows, (dict, type(None))) else None
            custom = custom or "AUDIT"  # the provider's default
        tier = inst.get("user_pool_tier")
        return UserPool(
            name=inst.get("name") or inst.address,
            region=self._pool_region(inst),
            id=inst.ident("id"),
            arn=inst.ident("arn"),
            address=inst.address,
            mfa_configuration=mfa.upper() if isinstance(mfa, str) else None,
            software_token_enabled=(bool(software.get("enabled")) if isinstance(software, dict)
                                    and software.get("enabled") is not None else
                                    (False if software == {} else None)),
            sms_enabled=(bool(sms_block) if sms_block is not None else None),
            email_enabled=(bool(email) if email is not None else None),
            advanced_security_mode=asm.upper() if isinstance(asm, str) else None,
            custom_auth_mode=custom.upper() if isinstance(custom, str) else None,
            tier=tier.upper() if isinstance(tier, str) else None,
            allowed_first_auth_factors=list(factors) if isinstance(factors, list) else None,
        )


def _block(inst: _Instance, key: str) -> dict[str, Any] | None:
    """A nested block as a dict: {} when absent/empty, None when unknown until apply."""
    if key in inst.unknown:
        return None
    value = inst.values.get(key)
    if isinstance(value, list):
        value = value[0] if value else {}
    if value is None:
        return {}
    return value if isinstance(value, dict) else {}


def _has_unknown(flag: Any) -> bool:
    if flag is True:
        return True
    if isinstance(flag, dict):
        return any(_has_unknown(v) for v in flag.values())
    if isinstance(flag, list):
        return any(_has_unknown(v) for v in flag)
    return False


def _account_of(arn: str) -> str | None:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[4].isdigit() else None
