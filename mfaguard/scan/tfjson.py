"""Terraform/OpenTofu JSON configuration syntax (``.tf.json``, ``.tofu.json``) as hcl2 shapes.

Checkov's folder scan does not load ``.tf.json`` files at all (its TFParser lists only
``.tf``/``.hcl``), and it never sees ``.tofu.json``.  :func:`load` reads such a file and returns
the dictionary ``hcl2.load`` would have produced for the same configuration written in native
syntax, so Checkov's graph and mfaguard's checks read both forms alike:

* every top-level block type becomes a list (``{"resource": [{"TYPE": {"NAME": {...}}}]}``);
* every attribute value is wrapped in a one-element list, as hcl2 does (``"name": ["x"]``);
* an object (or a list of objects) under a resource/data/module body is a nested block
  (``statement``, ``condition``, ``user_pool_add_ons``), except the arguments that are maps
  by definition (``tags``, ``for_each``, ...), which stay attribute values;
* ``"//"`` keys are comments (Terraform's JSON syntax) and are dropped;
* each block carries ``__start_line__``/``__end_line__`` of the JSON object, so findings
  point at the real lines of the real file.

Strings are kept as they are: JSON syntax writes expressions as templates (``"${var.x}"``),
which is exactly how hcl2 renders native expressions.
"""
from __future__ import annotations

import json
from typing import Any

# Arguments whose object value is a map (an attribute), not a nested block.
MAP_ARGUMENTS = frozenset({"tags", "tags_all", "for_each", "triggers", "environment", "variables",
                           "labels", "metadata", "parameters", "providers", "default"})
# Top-level block types whose next level is labels: (number of labels, body kind).
_LABELS = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
           "check": 1, "removed": 0, "moved": 0, "import": 0, "locals": 0, "terraform": 0}
_COMMENT = "//"


class JsonSyntaxError(ValueError):
    """The file is JSON, but not Terraform's JSON configuration syntax."""


def _lines(node: Any) -> tuple[int, int]:
    start = getattr(node, "start_mark", None)
    end = getattr(node, "end_mark", None)
    if start is None or end is None:
        return 0, 0
    return int(start.line), int(end.line) + 1


def _plain(value: Any) -> Any:
    """Checkov's DictNode/ListNode as plain dict/list (the graph deep-copies values)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items() if k != _COMMENT}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "__class__") and value.__class__.__name__ == "StrNode":
        return str(value)
    return value


def _body(node: Any, *, blocks: bool) -> dict[str, Any]:
    """A block body: attributes wrapped in lists; nested objects as blocks when `blocks`."""
    if not isinstance(node, dict):
        raise JsonSyntaxError(f"a block body must be a JSON object, not {type(node).__name__}")
    out: dict[str, Any] = {}
    for key, value in node.items():
        key = str(key)
        if key == _COMMENT:
            continue
        if blocks and key not in MAP_ARGUMENTS and isinstance(value, dict):
            out[key] = [_body(value, blocks=True)]
        elif (blocks and key not in MAP_ARGUMENTS and isinstance(value, list) and value
              and all(isinstance(v, dict) for v in value)):
            out[key] = [_body(v, blocks=True) for v in value]
        else:
            out[key] = [_plain(value)]
    start, end = _lines(node)
    if start:
        out["__start_line__"], out["__end_line__"] = start, end
    return out


def _bodies(node: Any) -> list[Any]:
    """A labelled block's value: one object, or an array of objects (repeated blocks)."""
    return list(node) if isinstance(node, list) else [node]


def _labelled(node: Any, depth: int, blocks: bool) -> Any:
    if depth == 0:
        return _body(node, blocks=blocks)
    if not isinstance(node, dict):
        raise JsonSyntaxError("expected an object of block labels")
    out: dict[str, Any] = {}
    for label, value in node.items():
        if label == _COMMENT:
            continue
        bodies = _bodies(value)
        # a repeated labelled block keeps the last one, as hcl2's dict merge would
        for b in bodies:
            out[str(label)] = _labelled(b, depth - 1, blocks)
    return out


def convert(doc: Any) -> dict[str, list[Any]]:
    """Terraform JSON syntax (already decoded, with line marks) -> hcl2's shape.

    HCL's JSON specification lets a body be one JSON object or a JSON array of objects, each a
    portion of the body; tools that generate Terraform JSON (pretf, for one) write the root
    body as an array. Each portion is converted and their blocks are concatenated."""
    if isinstance(doc, list) and doc and all(isinstance(part, dict) for part in doc):
        out: dict[str, list[Any]] = {}
        for part in doc:
            for block_type, items in convert(part).items():
                out.setdefault(block_type, []).extend(items)
        return out
    if not isinstance(doc, dict):
        raise JsonSyntaxError("the top level must be a JSON object of block types, or an array of such objects")
    out = {}
    for block_type, value in doc.items():
        block_type = str(block_type)
        if block_type == _COMMENT:
            continue
        depth = _LABELS.get(block_type, 0)
        blocks = block_type in ("resource", "data", "module", "provider", "terraform", "check")
        if depth == 0:
            items = [_body(b, blocks=blocks and block_type != "locals") for b in _bodies(value)]
        elif block_type == "resource" or block_type == "data":
            if not isinstance(value, dict):
                raise JsonSyntaxError(f'"{block_type}" must be an object of resource types')
            items = [{str(t): _labelled(names, 1, True)} for t, names in value.items() if t != _COMMENT]
        else:
            if not isinstance(value, dict):
                raise JsonSyntaxError(f'"{block_type}" must be an object of block labels')
            items = []
            for label, bodies in value.items():
                if label == _COMMENT:
                    continue
                for b in _bodies(bodies):
                    items.append({str(label): _body(b, blocks=blocks)})
        out.setdefault(block_type, []).extend(items)
    return out


def loads(text: str) -> dict[str, list[Any]]:
    from checkov.common.parsers.json.decoder import Decoder

    return convert(json.loads(text, cls=Decoder))


def load(path: str) -> dict[str, list[Any]]:
    with open(path, encoding="utf-8-sig") as fh:
        return loads(fh.read())
