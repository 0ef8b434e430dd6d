"""Expand a root module the way Terraform does at plan time: variables (defaults,
``terraform.tfvars``, ``*.auto.tfvars``), locals, ``count``/``for_each`` on resources, data
sources and module calls, ``dynamic`` blocks, local modules and modules downloaded by
``terraform init`` (``.terraform/modules/modules.json``).

    expand(root_folder, relevant=None) -> Expansion

``Expansion.instances`` lists every resource and data instance with its full address
(``module.team["a"].aws_iam_user.u["jane.doe"]``), evaluated values and HCL block;
``Expansion.missing`` lists module calls whose code is not on disk.  Values the configuration
does not determine are ``Unknown`` (see ``mfaguard.expand.values``).  A ``count``/``for_each``
that cannot be evaluated raises ``Unexpandable``: the caller cannot know which instances exist.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any, Callable

from mfaguard.expand import expr, types
from mfaguard.expand.config import Block, ConfigError, Expr, ModuleConfig, load_module
from mfaguard.expand.scope import (META_ARGS, DataNamespace, InstanceValue, MissingOutputs, ModuleNamespace,
                                   OutputsValue, TypeNamespace, index_text)
from mfaguard.expand.values import APPLY, INPUT, EvalError, Unknown, first_unknown, to_string

MAX_DEPTH = 16
# Resources that only ever add policies to a principal (memberships, inline policies,
# attachments): with one more of them MFA enforcement can only grow. Not the *_exclusive ones,
# which remove what they do not list.
ADDITIVE_LINKS = frozenset({"aws_iam_user_group_membership", "aws_iam_group_membership", "aws_iam_user_policy",
                            "aws_iam_group_policy", "aws_iam_user_policy_attachment",
                            "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"})
MAX_INSTANCES = 10_000  # per block: a count of 1e308 must not hang the scan


class Unexpandable(Exception):
    """The instances of a block cannot be known (unknown count/for_each, module cycle, ...)."""


@dataclass
class Instance:
    address: str
    module_address: str  # "module.team[\"a\"]" or ""
    config_module: str  # module path without keys: "module.team" or ""
    mode: str  # "managed" or "data"
    type: str
    name: str
    index: Any
    values: dict
    block: Block
    # why Terraform's expansion cannot say whether (or how often) this instance exists: its own
    # count/for_each, or a calling module's, cannot be evaluated. Its values are then all unknown
    # and every check on it is UNKNOWN with this reason (mfaguard.expand.checkov_run).
    undetermined: str = ""
    # an undetermined login profile or access key: the address of the user (who surely exists)
    # it would give a way in
    credential_of: str = ""
    # an undetermined membership, policy or attachment (ADDITIVE_LINKS) whose values are
    # evaluated as if it existed: it can only add enforcement, so a FAIL stays right without it
    # and a PASS of the principals it reaches is made UNKNOWN (mfaguard.expand.plan)
    additive: bool = False


@dataclass
class UndeterminedCall:
    """A module call whose count/for_each cannot be evaluated: its code is expanded once (no
    instance key), every instance in it undetermined; its outputs are unknown."""

    child: "ModuleInstance"
    unknown: Unknown


@dataclass
class MissingModule:
    address: str  # module.iam or module.a["x"].module.iam
    source: str
    block: Block

    @property
    def reason(self) -> str:
        return (f"{self.address} (source {self.source!r}) is not downloaded, so the resources it creates "
                f"cannot be read: run `terraform init` in the root module and scan again")


@dataclass
class ModuleCall:
    """One module instance as the plan's configuration and child_modules need it."""

    address: str
    config_path: str
    name: str
    source: str
    folder: str | None
    block: Block | None


@dataclass
class Expansion:
    root: str
    instances: list[Instance] = field(default_factory=list)
    missing: list[MissingModule] = field(default_factory=list)
    calls: list[ModuleCall] = field(default_factory=list)
    configs: dict[str, ModuleConfig] = field(default_factory=dict)  # config path -> module config


class Root:
    """State shared by every module instance of one expansion."""

    def __init__(self, folder: str, relevant: frozenset[str] | None, boundary: str | None,
                 skip: frozenset[str] = frozenset()) -> None:
        self.folder = os.path.abspath(folder)
        self.relevant = relevant
        self.skip = skip
        self.boundary = os.path.realpath(boundary or repository_of(folder))
        self.expansion = Expansion(self.folder)
        self._configs: dict[str, ModuleConfig] = {}
        self.downloaded = _read_modules_json(self.folder)
        # data sources whose result the configuration determines: values -> computed attributes
        self.data_hooks: dict[str, Callable[[dict, ModuleInstance], dict]] = {
            "aws_iam_policy_document": _render_policy_document,
            "template_file": _render_template_file,
        }

    def config(self, folder: str) -> ModuleConfig:
        folder = os.path.abspath(folder)
        if folder not in self._configs:
            self._configs[folder] = load_module(folder, self.relevant, self.skip)
        return self._configs[folder]


class ModuleInstance:
    """One instance of a module (the root, or one key of a module call) and its evaluation."""

    def __init__(self, root: Root, config: ModuleConfig, prefix: str, config_path: str, key_path: str,
                 inputs: dict[str, Any], depth: int = 0, undetermined: str = "") -> None:
        self.root = root
        self.undetermined = undetermined  # non-empty: this instance may not exist (see Instance)
        self.config = config
        self.prefix = prefix  # "module.team[\"a\"]." or ""
        self.config_path = config_path  # "module.team" or ""
        self.key_path = key_path  # modules.json key: "team" or "team.inner"
        self.depth = depth
        self.inputs = inputs
        self.resource_blocks: dict[str, dict[str, Block]] = {}
        self.data_blocks: dict[str, dict[str, Block]] = {}
        for kind, table in (("resource", self.resource_blocks), ("data", self.data_blocks)):
            for block in config.of_kind(kind):
                if len(block.labels) == 2:
                    by_name = table.setdefault(block.labels[0], {})
                    _unique(by_name, block.labels[1], block, f"{kind} {'.'.join(block.labels)}")
        self.variables = _named(config, "variable")
        self.outputs = _named(config, "output")
        self.calls = _named(config, "module")
        self.local_exprs: dict[str, Expr] = {}
        for block in config.of_kind("locals"):
            for name, e in block.attrs.items():
                _unique(self.local_exprs, name, e, f"local.{name}")
        self._memo: dict[tuple[str, str], Any] = {}
        self._busy: set[tuple[str, str]] = set()
        self._instances: dict[int, Any] = {}
        self._children: dict[str, Any] = {}

    # ---------------------------------------------------------------- names
    @property
    def address(self) -> str:
        return self.prefix[:-1] if self.prefix else ""

    def lookup(self, name: str) -> Any:
        if name == "var":
            return _Lazy(lambda n: self._memoized("var", n, self._variable), "var")
        if name == "local":
            return _Lazy(lambda n: self._memoized("local", n, self._local), "local")
        if name == "module":
            return ModuleNamespace(self)
        if name == "data":
            return DataNamespace(self)
        if name == "path":
            return {"module": self.config.folder, "root": self.root.folder, "cwd": self.root.folder}
        if name == "terraform":
            return {"workspace": "default"}
        if name in ("each", "count", "self"):
            raise expr.EvalError(f"{name} is used outside a block that sets it")
        if name in self.resource_blocks or "_" in name:
            return TypeNamespace(self, self.resource_blocks.get(name, {}), name)
        raise EvalError(f"unknown name {name!r}")

    def read_file(self, path: str) -> Any:
        """file()/templatefile(): read through the scan's confined reader (inside the boundary,
        a regular file, bounded size), else unknown with its reason."""
        from mfaguard.scan.confine import Refused, read_inside

        try:
            return read_inside(path, self.config.folder, self.root.boundary)
        except Refused as exc:
            return Unknown(INPUT, str(exc))

    def instance_scope(self, each: dict | None, count_index: int | Unknown | None) -> Any:
        names: dict[str, Any] = {}
        if each is not None:
            names["each"] = each
        if count_index is not None:
            names["count"] = {"index": count_index}
        return expr.ChildScope(self, names) if names else self

    def _memoized(self, kind: str, name: str, compute: Callable[[str], Any]) -> Any:
        key = (kind, name)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            raise EvalError(f"{kind}.{name} refers to itself")
        self._busy.add(key)
        try:
            value = compute(name)
        finally:
            self._busy.discard(key)
        self._memo[key] = value
        return value

    def _variable(self, name: str) -> Any:
        block = self.variables.get(name)
        if block is None:
            raise EvalError(f"var.{name} is not declared in {self.address or 'the root module'}")
        if name in self.inputs:
            value = self.inputs[name]
        elif "default" in block.attrs:
            value = self.evaluate(block.attrs["default"], self, f"the default of var.{name}")
        elif self.prefix:
            value = Unknown(INPUT, f"var.{name} of {self.address} has no value (the call does not set it and it "
                                   f"has no default)")
        else:
            value = Unknown(INPUT, f"var.{name} has no value here (no default, and no terraform.tfvars or "
                                   f"*.auto.tfvars sets it); it is given at plan time")
        return _convert(value, block, self)

    def _local(self, name: str) -> Any:
        if name not in self.local_exprs:
            raise EvalError(f"local.{name} is not declared in {self.address or 'the root module'}")
        return self.evaluate(self.local_exprs[name], self, f"local.{name}")

    def output(self, name: str) -> Any:
        block = self.outputs.get(name)
        if block is None or "value" not in block.attrs:
            raise EvalError(f"{self.address} has no output {name!r}")
        return self._memoized("output", name,
                              lambda n: self.evaluate(block.attrs["value"], self, f"output {n} of {self.address}"))

    # ---------------------------------------------------------------- evaluation
    def evaluate(self, e: Expr, scope: Any, what: str) -> Any:
        if e.json:
            return _evaluate_json(e.node, scope, what)
        return expr.safe_evaluate(e.node, scope, what)

    def evaluate_body(self, block: Block, scope: Any, skip: frozenset = frozenset()) -> dict[str, Any]:
        """Attributes and nested blocks (``dynamic`` expanded) of one block instance."""
        out: dict[str, Any] = {}
        for name, e in block.attrs.items():
            if name not in skip:
                out[name] = self.evaluate(e, scope, f"{name} of {block.kind} {'.'.join(block.labels)}")
        for nested in block.blocks:
            if nested.kind in skip:
                continue
            if nested.kind == "dynamic":
                kind = nested.labels[0] if nested.labels else "dynamic"
                generated = self._dynamic(nested, scope)
                if isinstance(generated, Unknown):
                    out[kind] = generated
                else:
                    existing = out.setdefault(kind, [])
                    if isinstance(existing, list):
                        existing.extend(generated)
            else:
                existing = out.setdefault(nested.kind, [])
                if isinstance(existing, list):
                    existing.append(self.evaluate_body(nested, scope))
        return out

    def _dynamic(self, block: Block, scope: Any) -> Any:
        label = block.labels[0] if block.labels else "dynamic"
        iterator = label
        if "iterator" in block.attrs and not block.attrs["iterator"].json:
            node = block.attrs["iterator"].node
            iterator = str(node.children[0].children[0]) if getattr(node, "children", None) else label
        elif "iterator" in block.attrs:
            iterator = str(block.attrs["iterator"].node)
        if "for_each" not in block.attrs:
            return Unknown(INPUT, f"dynamic {label} has no for_each")
        collection = self.evaluate(block.attrs["for_each"], scope, f"for_each of dynamic {label}")
        if isinstance(collection, Unknown):
            return Unknown(INPUT, f"the {label} blocks cannot be generated: {collection.reason}")
        items = _iterate(collection, f"for_each of dynamic {label}", allow_list=True)
        if isinstance(items, Unknown):
            return items
        content = next((b for b in block.blocks if b.kind == "content"), None)
        out = []
        for key, value in items:
            inner = expr.ChildScope(scope, {iterator: {"key": key, "value": value}})
            out.append(self.evaluate_body(content, inner) if content else {})
        return out

    # ---------------------------------------------------------------- instances
    def instances_of(self, block: Block) -> Any:
        """InstanceValue, list of them (count), dict of them (for_each), or Unknown."""
        key = id(block)
        if key not in self._instances:
            self._instances[key] = self._expand_block(block)
        return self._instances[key]

    def _expand_block(self, block: Block) -> Any:
        what = f"{self.prefix}{'data.' if block.kind == 'data' else ''}{'.'.join(block.labels)}"
        return self._repeat(block, what, lambda k, each, idx: InstanceValue(self, block, k, each, idx))

    def _repeat(self, block: Block, what: str, make: Callable[[Any, dict | None, int | None], Any]) -> Any:
        if "count" in block.attrs:
            count = self.evaluate(block.attrs["count"], self, f"count of {what}")
            if isinstance(count, Unknown):
                return Unknown(INPUT, f"count of {what} cannot be evaluated: {count.reason}")
            try:
                n = int(count)
            except (TypeError, ValueError, OverflowError):
                return Unknown(INPUT, f"count of {what} is not a number ({count!r})")
            if n > MAX_INSTANCES:
                return Unknown(INPUT, f"count of {what} is {n}, more instances than mfaguard expands ({MAX_INSTANCES})")
            return [make(i, None, i) for i in range(max(n, 0))]
        if "for_each" in block.attrs:
            collection = self.evaluate(block.attrs["for_each"], self, f"for_each of {what}")
            if isinstance(collection, Unknown):
                return Unknown(INPUT, f"for_each of {what} cannot be evaluated: {collection.reason}")
            items = _iterate(collection, f"for_each of {what}", allow_list=False)
            if isinstance(items, Unknown):
                return items
            return {to_string(k): make(to_string(k), {"key": to_string(k), "value": v}, None) for k, v in items}
        return make(None, None, None)

    # ---------------------------------------------------------------- module calls
    def call_value(self, name: str) -> Any:
        if name not in self._children:
            self._children[name] = self._expand_call(name)
        value = self._children[name]
        if isinstance(value, ModuleInstance):
            return OutputsValue(value)
        if isinstance(value, list):
            return [OutputsValue(c) for c in value]
        if isinstance(value, dict):
            return {k: OutputsValue(c) for k, c in value.items()}
        if isinstance(value, UndeterminedCall):
            return value.unknown
        return value  # MissingOutputs or Unknown

    def children(self) -> list["ModuleInstance"]:
        out = []
        for name in self.calls:
            self.call_value(name)
            value = self._children[name]
            if isinstance(value, ModuleInstance):
                out.append(value)
            elif isinstance(value, list):
                out.extend(value)
            elif isinstance(value, dict):
                out.extend(value.values())
            elif isinstance(value, UndeterminedCall):
                out.append(value.child)
            elif isinstance(value, Unknown):
                raise Unexpandable(value.reason)
        return out

    def _expand_call(self, name: str) -> Any:
        block = self.calls.get(name)
        if block is None:
            raise EvalError(f"module.{name} is not declared in {self.address or 'the root module'}")
        source = self.evaluate(block.attrs["source"], self, f"source of module.{name}") if "source" in block.attrs else ""
        if not isinstance(source, str):
            raise Unexpandable(f"module.{name} has no literal source")
        key_path = f"{self.key_path}.{name}" if self.key_path else name
        folder = self._module_folder(source, key_path)
        if folder is None:
            if "count" in block.attrs or "for_each" in block.attrs:
                probe = self._repeat(block, f"{self.prefix}module.{name}", lambda key, each, idx: key)
                if isinstance(probe, (list, dict)) and not probe:
                    return probe  # count = 0 / for_each = {}: no instance, nothing to download or judge
            missing = MissingModule(f"{self.prefix}module.{name}", source, block)
            self.root.expansion.missing.append(missing)
            return MissingOutputs(missing.reason)
        if self.depth >= MAX_DEPTH:
            raise Unexpandable(f"module nesting deeper than {MAX_DEPTH} at {self.prefix}module.{name}")
        try:
            config = self.root.config(folder)
        except ConfigError as exc:
            raise Unexpandable(str(exc)) from exc
        config_path = f"{self.config_path}.module.{name}" if self.config_path else f"module.{name}"
        self.root.expansion.configs.setdefault(config_path, config)

        def make(key: Any, each: dict | None, idx: int | None) -> ModuleInstance:
            scope = self.instance_scope(each, idx)
            return self._child(name, key, scope, block, config, config_path, key_path, source, folder,
                               self.undetermined)

        result = self._repeat(block, f"{self.prefix}module.{name}", make)
        if isinstance(result, Unknown):
            # which instances exist is not known: expand the code once, with each/count unknown,
            # so what it may create is still judged (UNKNOWN, naming the reason)
            unknown = Unknown(INPUT, result.reason)
            scope = self.instance_scope({"key": unknown, "value": unknown}, unknown)
            child = self._child(name, None, scope, block, config, config_path, key_path, source, folder,
                                self.undetermined or result.reason)
            return UndeterminedCall(child, unknown)
        return result

    def _child(self, name: str, key: Any, scope: Any, block: Block, config: ModuleConfig, config_path: str,
               key_path: str, source: str, folder: str, undetermined: str) -> "ModuleInstance":
        inputs = {arg: self.evaluate(e, scope, f"argument {arg} of module.{name}")
                  for arg, e in block.attrs.items() if arg not in ("source", "version", "count", "for_each",
                                                                   "providers", "depends_on")}
        prefix = f"{self.prefix}module.{name}{index_text(key)}."
        child = ModuleInstance(self.root, config, prefix, config_path, key_path, inputs, self.depth + 1,
                               undetermined)
        self.root.expansion.calls.append(ModuleCall(prefix[:-1], config_path, name, source, folder, block))
        return child

    def _undetermined_values(self, block: Block, reason: str) -> tuple[dict[str, Any], str]:
        """The values of an instance that may not exist, and the address of the surely-existing
        user it would give a credential to ("" if none).

        Every configured attribute is unknown, so no link (a membership, an attachment) to a
        resource that surely exists is taken for certain.  A plain reference to another block
        that may not exist either (``aws_iam_user.u[count.index].name``) is kept, written
        ``${aws_iam_user.u.name}``, so the checks see that user's login profile and judge it,
        UNKNOWN as well.  A login profile or access key naming a user that surely exists keeps
        its user: a credential only adds a way in, so a PASS stays right with or without it,
        and a FAIL of that user is made UNKNOWN (mfaguard.expand.checkov_run)."""
        out: dict[str, Any] = {}
        credential_of = ""
        for name, e in block.attrs.items():
            if name in META_ARGS:
                continue
            chain = None if e.json else _reference_chain(e.node)
            target = self._undetermined_target(chain)
            if target:
                out[name] = Unknown(APPLY, reason, "${" + target + "}")
                continue
            user = self._credential_user(block, name, chain)
            if user:
                out[name] = self.evaluate(e, self, f"{name} of {'.'.join(block.labels)}")
                if isinstance(out[name], str):
                    credential_of = self.prefix + user
                    continue
            out[name] = Unknown(INPUT, reason)
        return out, credential_of

    def _values_if_it_exists(self, block: Block, reason: str) -> dict[str, Any]:
        """An additive link that may not exist (a membership, a policy, an attachment), evaluated
        as if it existed once: each/count are unknown, everything else as configured."""
        unknown = Unknown(INPUT, reason)
        return self.evaluate_body(block, self.instance_scope({"key": unknown, "value": unknown}, unknown),
                                  skip=META_ARGS)

    def _credential_user(self, block: Block, attr: str, chain: list[str] | None) -> str:
        """``aws_iam_user.x`` when `block` is a login profile or access key whose `attr` is the
        user, named by a plain reference to a user block of this module with one instance."""
        if (block.kind != "resource" or attr != "user" or not chain or len(chain) != 3
                or block.labels[0] not in ("aws_iam_user_login_profile", "aws_iam_access_key")
                or chain[0] != "aws_iam_user" or chain[2] != "name"):
            return ""
        target = self.resource_blocks.get("aws_iam_user", {}).get(chain[1])
        if target is None or "count" in target.attrs or "for_each" in target.attrs:
            return ""
        return f"aws_iam_user.{chain[1]}"

    def _undetermined_target(self, chain: list[str] | None) -> str:
        """``type.name.attr`` when `chain` names an attribute of a block of this module that
        may not exist, else ""."""
        if not chain or len(chain) < 3:
            return ""
        table, parts = self.resource_blocks, chain
        if chain[0] == "data":
            table, parts = self.data_blocks, chain[1:]
        if len(parts) < 3 or parts[1] not in table.get(parts[0], {}):
            return ""
        target = table[parts[0]][parts[1]]
        if not self.undetermined and not isinstance(self.instances_of(target), Unknown):
            return ""
        return ".".join(([] if parts is chain else ["data"]) + parts[:3])

    def _module_folder(self, source: str, key_path: str) -> str | None:
        if source.startswith(("./", "../")) or source in (".", ".."):
            folder = os.path.normpath(os.path.join(self.config.folder, source))
            return folder if os.path.isdir(folder) else None
        entry = self.root.downloaded.get(key_path)
        if entry and os.path.isdir(entry):
            return entry
        return None

    # ---------------------------------------------------------------- walk
    def collect(self) -> None:
        """Append this instance's resources and data instances (and its children's) to the
        expansion."""
        expansion = self.root.expansion
        for blocks in (self.resource_blocks, self.data_blocks):
            for by_name in blocks.values():
                for block in by_name.values():
                    mode = "data" if block.kind == "data" else "managed"
                    value = self.instances_of(block)
                    if isinstance(value, Unknown):  # how many instances, if any: not known
                        reason = self.undetermined or value.reason
                        local = f"{'data.' if mode == 'data' else ''}{block.labels[0]}.{block.labels[1]}"
                        values, credential_of = self._undetermined_values(block, reason)
                        additive = (mode == "managed" and not self.undetermined
                                    and block.labels[0] in ADDITIVE_LINKS)
                        if additive:  # taken as if it existed; a PASS it may give is made UNKNOWN
                            values = self._values_if_it_exists(block, reason)
                        expansion.instances.append(Instance(
                            self.prefix + local, self.address, self.config_path, mode, block.labels[0],
                            block.labels[1], None, values, block, reason, credential_of, additive))
                        continue
                    items = [value] if isinstance(value, InstanceValue) else (
                        list(value.values()) if isinstance(value, dict) else value)
                    for inst in items:
                        values = (self._undetermined_values(block, self.undetermined)[0] if self.undetermined
                                  else inst.values())
                        expansion.instances.append(Instance(
                            inst.address, self.address, self.config_path, mode,
                            block.labels[0], block.labels[1], inst.key, values, block, self.undetermined))
        for child in self.children():
            child.collect()


def _reference_chain(node: Any) -> list[str] | None:
    """``aws_iam_user.u[count.index].name`` -> ["aws_iam_user", "u", "name"] (indexes and splats
    dropped): the names of an expression that is one reference, else None."""
    kind = getattr(node, "data", None)
    kids = [c for c in getattr(node, "children", []) if hasattr(c, "data")]
    if kind == "expr_term" and len(kids) == 1:
        return _reference_chain(kids[0])
    if kind == "identifier":
        return [str(node.children[0])]
    if kind in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term") and kids:
        base = _reference_chain(kids[0])
        if base is None:
            return None
        for step in kids[1:]:
            if step.data == "get_attr":
                base.append(str(step.children[0].children[0]))
            elif step.data in ("attr_splat", "full_splat"):
                base.extend(str(s.children[0].children[0]) for s in step.children
                            if getattr(s, "data", None) == "get_attr")
            elif step.data != "index":
                return None
        return base
    return None


def _unique(table: dict, name: str, value: Any, what: str) -> None:
    """Terraform refuses a module that declares the same name twice: so does the expander
    (the caller falls back to Checkov's HCL reading, which reports both blocks)."""
    if name in table:
        raise ConfigError(f"{what} is declared twice (Terraform refuses the module)")
    table[name] = value


def _named(config: ModuleConfig, kind: str) -> dict[str, Block]:
    out: dict[str, Block] = {}
    for block in config.of_kind(kind):
        if block.labels:
            _unique(out, block.labels[0], block, f"{kind} {block.labels[0]}")
    return out


class _Lazy:
    """``var`` / ``local``: attributes evaluated on first use."""

    def __init__(self, get: Callable[[str], Any], what: str) -> None:
        self.get = get
        self.what = what

    def attr(self, name: str) -> Any:
        return self.get(name)


def _iterate(collection: Any, what: str, allow_list: bool) -> Any:
    """(key, value) pairs of a for_each collection, in Terraform's order (keys sorted)."""
    if hasattr(collection, "instances_by_key"):
        collection = collection.instances_by_key()
        if isinstance(collection, Unknown):
            return collection
    if isinstance(collection, dict):
        unknown_key = next((k for k in collection if isinstance(k, Unknown)), None)
        if unknown_key is not None:
            return Unknown(INPUT, f"{what}: {unknown_key.reason}")
        return sorted(collection.items())
    if isinstance(collection, list):
        unknown = first_unknown(collection) if not allow_list else None
        if unknown is not None:
            return Unknown(INPUT, f"{what}: {unknown.reason}")
        if allow_list:
            return list(enumerate(collection))
        if not all(isinstance(v, str) for v in collection):
            return Unknown(INPUT, f"{what} is a list of non-strings, which Terraform refuses")
        return [(v, v) for v in sorted(set(collection))]
    if collection is None:
        return Unknown(INPUT, f"{what} is null")
    return Unknown(INPUT, f"{what} is a {type(collection).__name__}, not a map or set")


def _convert(value: Any, block: Block, scope: Any) -> Any:
    """Convert a variable's value to its declared type as Terraform does (mfaguard/expand/types.py:
    optional attributes and their defaults, set dedupe + sort, primitive conversions)."""
    type_expr = block.attrs.get("type")
    if type_expr is None or type_expr.json:
        return value
    typ = types.parse(type_expr.node)
    if typ is None:
        text = _type_text(type_expr.node)
        return _unique_sorted(value) if text.startswith("set") and isinstance(value, list) else value
    name = block.labels[0] if block.labels else "?"
    return types.conform(value, typ,
                         lambda node: expr.safe_evaluate(node, scope, f"an optional attribute's default in var.{name}'s type"))


def _type_text(node: Any) -> str:
    try:
        return str(node.children[0].children[0].children[0].children[0])
    except (AttributeError, IndexError):
        return ""


def _unique_sorted(values: list) -> list:
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    return sorted(out) if all(isinstance(v, str) for v in out) else out


def _evaluate_json(value: Any, scope: Any, what: str) -> Any:
    """A .tf.json value: strings are templates, objects and arrays are walked."""
    if isinstance(value, str):
        try:
            return expr.evaluate_template(value, scope)
        except EvalError as exc:
            return Unknown(INPUT, f"{what} cannot be evaluated: {exc}")
    if isinstance(value, dict):
        return {k: _evaluate_json(v, scope, what) for k, v in value.items()}
    if isinstance(value, list):
        return [_evaluate_json(v, scope, what) for v in value]
    return value


def _render_policy_document(values: dict, _module: ModuleInstance) -> dict:
    """``data.aws_iam_policy_document``'s ``json``, as the provider renders it at plan time."""
    from mfaguard.policy import documents, semantics

    unknown = first_unknown(values)
    if unknown is not None:
        return {}
    doc = documents.from_policy_document_config(_checkov_shape(values))
    if isinstance(doc, semantics.Unresolved):
        return {}
    try:
        return {"json": json.dumps(_as_provider_renders(doc), indent=2)}
    except (TypeError, ValueError):  # a part the converter left unresolved: the IAM checks rebuild it
        return {}


class _TemplateFileScope:
    """What a template_file template sees: its vars and nothing else; file() reads relative to
    the working directory (the root folder), where the provider runs."""

    in_template = True

    def __init__(self, variables: dict[str, Any], module: ModuleInstance) -> None:
        self.variables = variables
        self.module = module

    def lookup(self, name: str) -> Any:
        if name in self.variables:
            return self.variables[name]
        raise EvalError(f"the template uses {name!r}, which is not among its vars")

    def read_file(self, path: str) -> Any:
        from mfaguard.scan.confine import Refused, read_inside

        root = self.module.root
        try:
            return read_inside(path, root.folder, root.boundary)
        except Refused as exc:
            return Unknown(INPUT, str(exc))


def _render_template_file(values: dict, module: ModuleInstance) -> dict:
    """``data "template_file"`` (the hashicorp/template provider): ``rendered`` is ``template``
    rendered as a Terraform template with ``vars`` as its only variables (primitives, passed as
    strings) and Terraform's functions.  An unknown var stays in the text as its reference."""
    template = values.get("template")
    if not isinstance(template, str):
        why = template.reason if isinstance(template, Unknown) else "it has no template (filename was removed)"
        return {"rendered": Unknown(INPUT, f"the template_file cannot be rendered: {why}")}
    given = values.get("vars")
    if isinstance(given, Unknown):
        return {"rendered": Unknown(INPUT, f"the template_file's vars cannot be known: {given.reason}")}
    given = given if isinstance(given, dict) else {}
    bad = sorted(f"{k} ({'list' if isinstance(v, list) else 'map'})" for k, v in given.items()
                 if isinstance(v, (list, dict)))
    if bad:
        return {"rendered": Unknown(INPUT, f"the template_file's vars cannot contain non-primitives "
                                           f"(the provider refuses them): {', '.join(bad)}")}
    variables = {k: (v if isinstance(v, Unknown) or v is None else to_string(v)) for k, v in given.items()}
    try:
        rendered = expr.evaluate_template(template, _TemplateFileScope(variables, module))
        if not isinstance(rendered, Unknown):
            rendered = to_string(rendered)
    except EvalError as exc:
        rendered = Unknown(INPUT, f"the template_file cannot be rendered: {exc}")
    except RecursionError:
        rendered = Unknown(INPUT, "the template_file is nested too deeply to render")
    return {"rendered": rendered}


def _as_provider_renders(doc: Any) -> Any:
    """The AWS provider writes a one-element list of actions, resources or condition values as
    a plain string ("Resource": "*")."""
    if not isinstance(doc, dict):
        return doc
    out = dict(doc)
    statements = out.get("Statement")
    if isinstance(statements, list):
        fixed = []
        for st in statements:
            if isinstance(st, dict):
                st = {k: (v[0] if isinstance(v, list) and len(v) == 1 and k in _SCALAR_KEYS else v)
                      for k, v in st.items()}
                if isinstance(st.get("Condition"), dict):
                    st["Condition"] = {test: {var: (vals[0] if isinstance(vals, list) and len(vals) == 1 else vals)
                                              for var, vals in (body or {}).items()}
                                       for test, body in st["Condition"].items()}
            fixed.append(st)
        out["Statement"] = fixed
    return out


_SCALAR_KEYS = frozenset({"Action", "NotAction", "Resource", "NotResource"})


def _checkov_shape(value: Any) -> Any:
    """Values wrapped as Checkov hands them to converters (attributes in one-element lists)."""
    if isinstance(value, dict):
        return {k: (_checkov_shape(v) if isinstance(v, list) and v and isinstance(v[0], dict) else [v])
                for k, v in value.items()}
    if isinstance(value, list):
        return [_checkov_shape(v) for v in value]
    return value


def repository_of(folder: str) -> str:
    """The repository `folder` is in (the nearest folder above it holding ``.git``), else the
    folder itself: what file()/templatefile() may read."""
    here = os.path.realpath(folder)
    while True:
        if os.path.exists(os.path.join(here, ".git")):
            return here
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.realpath(folder)
        here = parent


def _read_modules_json(root: str) -> dict[str, str]:
    """Key -> absolute folder of every module `terraform init` downloaded for `root`."""
    path = os.path.join(root, ".terraform", "modules", "modules.json")
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except (OSError, ValueError):
        return {}
    out = {}
    for entry in data.get("Modules", []) if isinstance(data, dict) else []:
        if isinstance(entry, dict) and entry.get("Key") and entry.get("Dir"):
            out[str(entry["Key"])] = os.path.normpath(os.path.join(root, str(entry["Dir"])))
    return out


def read_tfvars(root: str) -> dict[str, Any]:
    """Variable values from terraform.tfvars(.json) and *.auto.tfvars(.json), in the order
    Terraform loads them (later files win)."""
    try:
        names = sorted(os.listdir(root))
    except OSError:
        return {}
    files = [n for n in ("terraform.tfvars", "terraform.tfvars.json") if n in names]
    files += [n for n in names if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
    values: dict[str, Any] = {}
    for name in files:
        values.update(_read_tfvars_file(os.path.join(root, name)))
    return values


class _NoNames:
    def lookup(self, name: str) -> Any:
        raise EvalError(f"a .tfvars file cannot refer to {name!r}")


def _read_tfvars_file(path: str) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            text = fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot be read ({exc})") from exc
    if path.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ConfigError(f"{path}: invalid JSON") from exc
        return data if isinstance(data, dict) else {}
    from mfaguard.expand.config import parse_tree

    try:
        tree = parse_tree(text)
    except Exception as exc:
        raise ConfigError(f"{path}: syntax error") from exc
    body = next(c for c in tree.children if getattr(c, "data", None) == "body")
    out = {}
    for item in body.children:
        if getattr(item, "data", None) == "attribute":
            kids = [c for c in item.children if hasattr(c, "data")]
            out[str(kids[0].children[0])] = expr.safe_evaluate(kids[1], _NoNames(), f"{path}: {kids[0].children[0]}")
    return out


def expand(root_folder: str, relevant: frozenset[str] | None = None, boundary: str | None = None,
           skip: frozenset[str] = frozenset()) -> Expansion:
    """Every resource and data instance of the root module at `root_folder`.

    `relevant`: resource types the checks read (the scan prefilter blanks the others);
    `boundary`: the folder file()/templatefile() may read in (default: the repository the root
    is in, else the root folder);
    `skip`: absolute paths of files the scan refused.

    Raises ConfigError when a file cannot be read faithfully and Unexpandable when the
    instances themselves cannot be known; both mean "fall back to Checkov's HCL reading"."""
    root = Root(root_folder, relevant, boundary, skip)
    config = root.config(root.folder)
    root.expansion.configs[""] = config
    module = ModuleInstance(root, config, "", "", "", read_tfvars(root.folder))
    try:
        module.collect()
    except EvalError as exc:
        raise Unexpandable(str(exc)) from exc
    return root.expansion
