"""Objects that stand for Terraform's named values while a module instance is evaluated:
resources and data sources (``aws_iam_user.u``, ``data.x.y``), module calls
(``module.team["a"].arn``), their instances and their attributes, computed on demand.

    InstanceValue.attr(name)     a configured attribute, evaluated in the instance's scope; a
                                 nested block kind gives the list of its blocks; anything else
                                 is computed by the provider: an APPLY Unknown that carries the
                                 reference (``${aws_iam_policy.p["a"].arn}``)
    BlockValue                   a resource/data block: one instance, a list (count) or a map
                                 (for_each) of InstanceValues
    CallValue / OutputsValue     a module call and one instance's outputs

The evaluation itself lives in ``mfaguard.expand.expander`` (``ModuleInstance``).
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from mfaguard.expand.values import APPLY, INPUT, EvalError, Unknown

if TYPE_CHECKING:  # pragma: no cover
    from mfaguard.expand.config import Block
    from mfaguard.expand.expander import ModuleInstance

META_ARGS = frozenset({"count", "for_each", "depends_on", "provider", "providers", "lifecycle",
                       "provisioner", "connection", "source", "version"})


def index_text(key: Any) -> str:
    """``[0]`` / ``["jane.doe"]`` as Terraform writes instance keys in addresses."""
    if key is None:
        return ""
    if isinstance(key, int):
        return f"[{key}]"
    return "[" + json.dumps(key, ensure_ascii=False) + "]"


class InstanceValue:
    """One instance of a resource or data block."""

    def __init__(self, module: "ModuleInstance", block: "Block", key: Any, each: dict | None,
                 count_index: int | None) -> None:
        self.module = module
        self.block = block
        self.key = key
        self.each = each
        self.count_index = count_index
        self._values: dict[str, Any] | None = None

    @property
    def local_address(self) -> str:
        kind, name = self.block.labels[0], self.block.labels[1]
        prefix = "data." if self.block.kind == "data" else ""
        return f"{prefix}{kind}.{name}{index_text(self.key)}"

    @property
    def address(self) -> str:
        return self.module.prefix + self.local_address

    def values(self) -> dict[str, Any]:
        if self._values is None:
            self._values = self.module.evaluate_body(self.block, self.scope(), skip=META_ARGS)
            hook = self.module.root.data_hooks.get(self.block.labels[0]) if self.block.kind == "data" else None
            if hook is not None:
                self._values.update(hook(self._values, self.module))
        return self._values

    def scope(self) -> Any:
        return self.module.instance_scope(self.each, self.count_index)

    def attr(self, name: str) -> Any:
        values = self.values()
        if name in values:
            value = values[name]
            if isinstance(value, Unknown) and not value.reference:
                # still a reference to this instance's attribute: a login profile naming a user
                # whose name is unknown points at that user, not at whatever else has a name
                # unknown for the same reason
                return Unknown(APPLY, value.reason, "${" + f"{self.local_address}.{name}" + "}")
            return value
        return Unknown(APPLY, f"{self.address}.{name} is known only after apply",
                       "${" + f"{self.local_address}.{name}" + "}")


class BlockValue:
    """A resource or data block as an expression sees it."""

    def __init__(self, module: "ModuleInstance", block: "Block") -> None:
        self.module = module
        self.block = block

    def expanded(self) -> Any:
        """InstanceValue, list (count), dict (for_each), or an Unknown."""
        return self.module.instances_of(self.block)

    def instances(self) -> Any:
        value = self.expanded()
        if isinstance(value, dict):
            return list(value.values())
        if isinstance(value, InstanceValue):
            return [value]
        return value

    def instances_by_key(self) -> Any:
        value = self.expanded()
        if isinstance(value, InstanceValue):
            raise EvalError(f"{self.block.labels[0]}.{self.block.labels[1]} has no count or for_each")
        if isinstance(value, list):
            return dict(enumerate(value))
        return value

    def attr(self, name: str) -> Any:
        value = self.expanded()
        if isinstance(value, Unknown):
            return value
        if isinstance(value, InstanceValue):
            return value.attr(name)
        if isinstance(value, dict):
            if name not in value:
                raise EvalError(f"{self.block.labels[0]}.{self.block.labels[1]} has no instance {name!r}")
            return value[name]
        try:
            return value[int(name)]
        except (ValueError, IndexError) as exc:
            raise EvalError(f"{self.block.labels[0]}.{self.block.labels[1]} has no instance [{name}]") from exc


class TypeNamespace:
    """``aws_iam_user`` (or ``data.aws_iam_user``): its blocks by name in one module."""

    def __init__(self, module: "ModuleInstance", blocks: dict[str, "Block"], what: str) -> None:
        self.module = module
        self.blocks = blocks
        self.what = what

    def attr(self, name: str) -> Any:
        block = self.blocks.get(name)
        if block is None:
            raise EvalError(f"{self.what}.{name} is not declared in this module")
        return BlockValue(self.module, block)


class DataNamespace:
    def __init__(self, module: "ModuleInstance") -> None:
        self.module = module

    def attr(self, name: str) -> Any:
        return TypeNamespace(self.module, self.module.data_blocks.get(name, {}), f"data.{name}")


class OutputsValue:
    """One module instance's outputs."""

    def __init__(self, child: "ModuleInstance") -> None:
        self.child = child

    def attr(self, name: str) -> Any:
        return self.child.output(name)


class MissingOutputs:
    """The outputs of a module that is not downloaded: every one is unknown."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def attr(self, name: str) -> Any:
        return Unknown(INPUT, self.reason)


class ModuleNamespace:
    def __init__(self, module: "ModuleInstance") -> None:
        self.module = module

    def attr(self, name: str) -> Any:
        return self.module.call_value(name)
