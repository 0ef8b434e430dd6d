"""Module inputs, outputs and locals in Checkov's graph: how a link reaches a user or group
through ``module.x.name`` -> output -> ``aws_iam_user``, or a variable -> module call argument."""
from __future__ import annotations

from mfaguard.checkov_adapter.graph import GLUE_TYPES, Node


class ModuleGlue:
    """variable / output / module / locals vertices and the edges leaving them."""

    def __init__(self, nodes: dict[int, Node]) -> None:
        self._nodes = nodes  # the IAM nodes by vertex index (filled by GraphIndex)
        self._attrs: dict[int, dict] = {}
        self._out: dict[int, list[tuple[str, int]]] = {}

    def add_vertex(self, idx: int, attrs: dict) -> bool:
        if attrs.get("block_type_") not in GLUE_TYPES:
            return False
        self._attrs[idx] = attrs
        return True

    def has(self, idx: int) -> bool:
        return idx in self._attrs

    def add_edge(self, src: int, dst: int, label: str, dst_is_node: bool) -> None:
        if src in self._attrs and (dst_is_node or dst in self._attrs):
            self._out.setdefault(src, []).append((label, dst))

    def through(self, start: int, types: set, depth: int = 0) -> list[Node]:
        """Follow module inputs (variable -> module call attribute), outputs (value) and locals."""
        if depth > 6:
            return []
        attrs = self._attrs.get(start, {})
        kind, name = attrs.get("block_type_"), str(attrs.get("block_name_") or "")
        wanted = {"variable": ("default",), "output": ("value",), "locals": (name,), "module": ()}.get(kind, ())
        out: list[Node] = []
        for label, dst in self._out.get(start, []):
            if kind == "module":
                continue
            if label not in wanted and not any(label.startswith(w + ".") for w in wanted):
                continue
            node = self._nodes.get(dst)
            if node is not None:
                if node.type in types:
                    out.append(node)
            elif self._attrs.get(dst, {}).get("block_type_") == "module" and kind == "variable":
                out.extend(self._module_argument(dst, name, types, depth))
            else:
                out.extend(self.through(dst, types, depth + 1))
        return out

    def _module_argument(self, module: int, name: str, types: set, depth: int) -> list[Node]:
        out: list[Node] = []
        for label, dst in self._out.get(module, []):
            if label == name or label.startswith(name + "."):
                node = self._nodes.get(dst)
                if node is not None:
                    if node.type in types:
                        out.append(node)
                else:
                    out.extend(self.through(dst, types, depth + 1))
        return out

    def defaults_to_null(self, module_prefix: str, variable: str) -> bool:
        """`var.<variable>` in the module at `module_prefix` is null: the variable's default is null
        and the module call (if any) does not pass it.  Checkov leaves such a value as the text
        `var.x`; an optional argument such as a permissions boundary is then simply not set."""
        address = f"{module_prefix}{variable}"
        var = next((a for a in self._attrs.values() if a.get("block_type_") == "variable"
                    and a.get("__address__") == address), None)
        if var is None or "default" not in var or var.get("default") is not None:
            return False
        if not module_prefix:
            return True
        call = module_prefix[len("module."):-1] if module_prefix.count("module.") == 1 else None
        module = next((a for a in self._attrs.values() if a.get("block_type_") == "module"
                       and a.get("__address__") == call), None)
        return module is not None and variable not in module
