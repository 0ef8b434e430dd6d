"""Write an ``Expansion`` as a ``terraform show -json``-shaped plan document, and remember
where each instance came from.

    synthetic_plan(expansion) -> SyntheticPlan(document, locations, unknowns)

``document`` follows Terraform's JSON output format (format_version 1.2): ``planned_values``
(``root_module.resources`` and nested ``child_modules`` with instance addresses such as
``module.team["a"].aws_iam_user.u["jane.doe"]``, data sources included) and
``configuration`` (``module_calls`` and, per block, ``expressions`` with ``references`` for
values only known after apply).

Differences from a real plan, on purpose:

* ``values`` hold only what the configuration sets (a real plan adds provider defaults), and
  there is no ``resource_changes``: Checkov's plan parser then reads an absent attribute as
  unset, as in HCL, instead of "unknown after apply".
* A value known only after apply is written as its reference, ``${aws_iam_policy.p.arn}``
  (module-local, with the concrete instance key), the form Checkov's HCL runner gives and
  the IAM checks resolve; a template around unknown parts keeps its text with those parts
  as ``${...}`` (``arn:aws:iam::${var.account}:role/x``), as Checkov's HCL reading shows it.
  Any other value the configuration does not determine (variable without a default, module
  not downloaded, expression not evaluated) is written ``${unknown_N}``; ``unknowns[N]`` is
  the reason, which ``explain()`` puts back into messages.
* A block (or a module call) whose ``count``/``for_each`` cannot be evaluated is written once,
  at its address without a key, with every value unknown; ``undetermined`` names it and why,
  and every check on it is UNKNOWN with that reason.
* A module that is not downloaded gets placeholder resources (``PLACEHOLDER``) whose values
  are unknown, so every check it could change says UNKNOWN and names it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mfaguard.expand.expander import Expansion, Instance, MissingModule
from mfaguard.expand.values import APPLY, Unknown

FORMAT_VERSION = "1.2"
PROVIDER = "registry.terraform.io/hashicorp/aws"
PLACEHOLDER = "not_downloaded"
MARKER = "${unknown_%d}"  # a reference to every detector (no ":" as in ${aws:username})


@dataclass
class SyntheticPlan:
    document: dict
    locations: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # address -> file, start, end
    unknowns: list[str] = field(default_factory=list)
    # address -> why it is not known whether that instance exists (Instance.undetermined)
    undetermined: dict[str, str] = field(default_factory=dict)
    # user address -> [(address, reason)] of the credentials (login profile, access key) that
    # user has only if an undetermined instance exists
    maybe_credentials: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # address of an instance created by a module -> file, start, end of the root module's call
    # that leads to it (which root a finding in a shared module belongs to)
    callers: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    # principal address -> [(address, reason)] of links that may not exist (Instance.additive):
    # its PASS (maybe_pass) or FAIL (maybe_fail) may rest on them
    maybe_pass: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    maybe_fail: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    # "module.groups (source 'boldlink/iam-group/aws')" of every module call not downloaded
    not_downloaded: list[str] = field(default_factory=list)

    def explain(self, text: str) -> str:
        """`text` with every ``${unknown_N}`` marker replaced by its reason."""
        if "${unknown_" not in text:
            return text
        for n, reason in enumerate(self.unknowns):
            text = text.replace(MARKER % n, f"[{reason}]")
        return text


class _Writer:
    def __init__(self) -> None:
        self.unknowns: list[str] = []
        self.references: dict[str, list[str]] = {}

    def value(self, v: Any, attr: str) -> Any:
        if isinstance(v, Unknown):
            if v.reference:  # a reference, or a template around unknown parts: written as Checkov's HCL shows it
                ref = v.reference[2:-1] if v.reference.startswith("${") and v.reference.endswith("}") else ""
                if ref and v.kind == APPLY and "${" not in ref:
                    self.references.setdefault(attr, []).append(ref)
                return v.reference
            if v.reason not in self.unknowns:
                self.unknowns.append(v.reason)
            return MARKER % self.unknowns.index(v.reason)
        if isinstance(v, dict):
            return {k: self.value(x, attr) for k, x in v.items()}
        if isinstance(v, list):
            return [self.value(x, attr) for x in v]
        if hasattr(v, "attr"):  # a whole resource/module object used as a value
            return MARKER % self._reason("an object value is not rendered by mfaguard")
        return v

    def _reason(self, reason: str) -> int:
        if reason not in self.unknowns:
            self.unknowns.append(reason)
        return self.unknowns.index(reason)


def _resource(inst: Instance, values: dict) -> dict:
    out = {"address": inst.address, "mode": inst.mode, "type": inst.type, "name": inst.name,
           "provider_name": PROVIDER, "schema_version": 0, "values": values, "sensitive_values": {}}
    if inst.index is not None:
        out["index"] = inst.index
    return out


def _placeholders(missing: MissingModule, writer: _Writer) -> list[Instance]:
    """Resources standing for what a module that is not downloaded may create or attach."""
    marker = Unknown("input", missing.reason)
    user_ref = Unknown(APPLY, missing.reason, f"${{aws_iam_user.{PLACEHOLDER}.name}}")
    shapes = [
        ("aws_iam_user", {"name": marker}),
        ("aws_iam_user_login_profile", {"user": user_ref}),
        ("aws_iam_user_policy", {"user": marker, "policy": marker}),
        ("aws_iam_group_policy", {"group": marker, "policy": marker}),
        ("aws_cognito_user_pool", {"name": marker, "mfa_configuration": marker, "software_token_mfa_configuration": marker,
                                   "user_pool_add_ons": [{"advanced_security_mode": marker,
                                                          "advanced_security_additional_flows": [
                                                              {"custom_auth_mode": marker}]}]}),
    ]
    return [Instance(f"{missing.address}.{rtype}.{PLACEHOLDER}", missing.address, missing.address, "managed",
                     rtype, PLACEHOLDER, None, values, missing.block) for rtype, values in shapes]


def synthetic_plan(expansion: Expansion) -> SyntheticPlan:
    writer = _Writer()
    plan = SyntheticPlan(document={})
    modules: dict[str, dict] = {"": {"resources": []}}
    config_resources: dict[str, dict[str, dict]] = {}
    instances = list(expansion.instances)
    for missing in expansion.missing:
        plan.not_downloaded.append(f"{missing.address} (source {missing.source!r})")
        instances.extend(_placeholders(missing, writer))
        modules.setdefault(missing.address, {"address": missing.address, "resources": []})
    top_calls = {}
    for call in expansion.calls:
        modules.setdefault(call.address, {"address": call.address, "resources": []})
        if "." not in call.config_path[len("module."):] and call.block is not None:
            top_calls[call.address] = call.block
    for missing in expansion.missing:
        if not _parent(missing.address):
            top_calls[missing.address] = missing.block
    for inst in instances:
        writer.references = {}
        values = {k: writer.value(v, k) for k, v in inst.values.items()}
        modules.setdefault(inst.module_address, {"address": inst.module_address, "resources": []})
        modules[inst.module_address]["resources"].append(_resource(inst, values))
        plan.locations[inst.address] = (inst.block.file, inst.block.start, inst.block.end)
        if inst.undetermined:
            plan.undetermined[inst.address] = inst.undetermined
        if inst.module_address:
            top = next((b for a, b in top_calls.items()
                        if inst.module_address == a or inst.module_address.startswith(a + ".")), None)
            if top is not None and top is not inst.block:  # a placeholder is reported at the call itself
                plan.callers[inst.address] = (top.file, top.start, top.end)
        if inst.credential_of:
            plan.maybe_credentials.setdefault(inst.credential_of, []).append((inst.address, inst.undetermined))
        local = inst.address[len(inst.module_address) + 1:] if inst.module_address else inst.address
        block_address = local.split("[", 1)[0] if inst.index is not None else local
        conf = config_resources.setdefault(inst.config_module, {}).setdefault(block_address, {
            "address": block_address, "mode": inst.mode, "type": inst.type, "name": inst.name,
            "provider_config_key": "aws", "expressions": {}, "schema_version": 0})
        for attr, refs in writer.references.items():
            conf["expressions"].setdefault(attr, {"references": []})["references"].extend(
                r for r in refs if r not in conf["expressions"][attr]["references"])
    plan.document = {
        "format_version": FORMAT_VERSION,
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": _module_tree(modules)},
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
                          "root_module": _configuration(expansion, config_resources)},
        "mfaguard": {"synthetic": True, "root": expansion.root},
    }
    plan.unknowns = writer.unknowns
    _maybe_links(expansion, plan)
    return plan


_MEMBERSHIPS = ("aws_iam_user_group_membership", "aws_iam_group_membership")


def _names(values: dict, *keys: str) -> list | None:
    """The strings under `keys` (a string or a list of them); None when one is not known."""
    out: list = []
    for key in keys:
        value = values.get(key)
        if value is None:
            continue
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(v, str) for v in items):
            return None
        out.extend(items)
    return out


def _maybe_links(expansion: Expansion, plan: SyntheticPlan) -> None:
    """Principals whose verdict may rest on a link that may not exist (Instance.additive).

    A membership, inline policy or attachment only adds policies: with it a user can only gain
    enforcement, so the user's PASS may rest on it (maybe_pass) and a FAIL holds without it. A
    membership also gives its group a member, so the group's FAIL of "a group with console
    members enforces MFA" may rest on it (maybe_fail); a group policy or attachment may be what
    makes the group PASS.  Names not known make every user and group count (only PASSes, or
    those groups' FAILs, become UNKNOWN: never a new verdict)."""
    users: dict[str, list[str]] = {}
    groups: dict[str, list[str]] = {}
    unnamed: list[str] = []  # a user or group whose name is not known may be any name
    for inst in expansion.instances:
        if inst.undetermined or inst.type not in ("aws_iam_user", "aws_iam_group"):
            continue
        name = inst.values.get("name")
        if not isinstance(name, str):
            unnamed.append(inst.address)
        else:
            (users if inst.type == "aws_iam_user" else groups).setdefault(name, []).append(inst.address)
    members: dict[str, set[str]] = {}  # group name -> user names, memberships sure or maybe
    for inst in expansion.instances:
        if inst.type in _MEMBERSHIPS and (not inst.undetermined or inst.additive):
            user_names, group_names = _names(inst.values, "user", "users"), _names(inst.values, "group", "groups")
            for g in group_names or []:
                members.setdefault(g, set()).update(user_names or [])
    every_user = [a for addresses in users.values() for a in addresses] + unnamed
    every_group = [a for addresses in groups.values() for a in addresses] + unnamed
    for inst in expansion.instances:
        if not inst.additive:
            continue
        link = (inst.address, inst.undetermined)
        user_names = _names(inst.values, "user", "users")
        group_names = _names(inst.values, "group", "groups")
        if user_names is None or group_names is None:
            passing_users, passing_groups, failing_groups = every_user, every_group, every_group
        else:
            membership = inst.type in _MEMBERSHIPS
            # a membership reaches the users it names; a group's policy, every member of the group
            in_groups = set() if membership else {u for g in group_names for u in members.get(g, ())}
            passing_users = [a for n in sorted(set(user_names) | in_groups) for a in users.get(n, ())]
            named_groups = [a for g in group_names for a in groups.get(g, ())]
            passing_groups = [] if membership else named_groups + unnamed
            failing_groups = named_groups + unnamed if membership else []
            passing_users += unnamed
        for address in list(passing_users) + list(passing_groups):
            plan.maybe_pass.setdefault(address, []).append(link)
        for address in failing_groups:
            plan.maybe_fail.setdefault(address, []).append(link)


def _parent(address: str) -> str:
    """`module.a["x"].module.b` -> `module.a["x"]`; `module.a` -> ""."""
    depth, cut = 0, -1
    i = 0
    while i < len(address):
        ch = address[i]
        if ch == '"':
            i += 1
            while i < len(address) and address[i] != '"':
                i += 2 if address[i] == "\\" else 1
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif depth == 0 and address.startswith(".module.", i):
            cut = i
        i += 1
    return address[:cut] if cut >= 0 else ""


def _module_tree(modules: dict[str, dict]) -> dict:
    nodes = {addr: dict(body) for addr, body in modules.items()}
    for addr in sorted(nodes, key=len, reverse=True):
        if not addr:
            continue
        parent = _parent(addr)
        nodes.setdefault(parent, {"address": parent, "resources": []})
        nodes[parent].setdefault("child_modules", []).insert(0, nodes[addr])
    root = nodes[""]
    root.pop("address", None)
    return root


def _configuration(expansion: Expansion, resources: dict[str, dict[str, dict]]) -> dict:
    def module(path: str) -> dict:
        body: dict = {"resources": list(resources.get(path, {}).values())}
        calls: dict[str, dict] = {}
        prefix = f"{path}.module." if path else "module."
        for call in expansion.calls:
            if call.config_path.startswith(prefix) and "." not in call.config_path[len(prefix):]:
                calls.setdefault(call.name, {"source": call.source, "module": module(call.config_path)})
        for missing in expansion.missing:
            name = missing.address.rsplit("module.", 1)[-1]
            if _parent(missing.address).split("[")[0] == path or (not path and _parent(missing.address) == ""):
                calls.setdefault(name, {"source": missing.source,
                                        "module": {"resources": list(resources.get(missing.address, {}).values())}})
        if calls:
            body["module_calls"] = calls
        return body

    return module("")
