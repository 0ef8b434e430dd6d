"""A variable's type constraint applied to its value, as Terraform converts it at plan time.

Terraform converts every input variable (root default, tfvars, or a module call's argument) to
its declared ``type``. What changes a scan:

* ``optional(T)`` / ``optional(T, default)`` attributes of an ``object({...})``: an attribute
  the value omits, or sets to ``null``, becomes the default (itself converted to ``T``, so the
  default's own nested optional attributes are filled too) or ``null``. Without this a module
  reading ``each.value.policy`` of ``map(object({policy = optional(string, "")}))`` sees no
  attribute at all (Terraform 1.3+ language, "Type Constraints: Optional Object Type Attributes").
* attributes the object type does not declare are dropped;
* ``set(T)``: duplicates removed, elements sorted (strings);
* primitives: ``string`` from a number or bool, ``number`` from a numeric string, ``bool`` from
  ``"true"``/``"false"`` (Terraform's automatic conversions).

Anything this module cannot read (an unparsable constraint, a value of the wrong shape, which
Terraform would refuse) is left as it is: the evaluator then reports what it cannot evaluate.
"""
from __future__ import annotations

import re
from typing import Any, Callable

from mfaguard.expand.values import Unknown

# a parsed type: ("any",) ("string",) ("number",) ("bool",) ("list"|"set"|"map", T)
# ("tuple", [T...]) ("object", {name: (T, optional, default_node | None)}); None = unreadable
Type = tuple

_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_INTEGER = re.compile(r"-?\d+")


def parse(node: Any) -> Type | None:
    """The type of a ``type = ...`` expression's parse tree (hcl2's grammar)."""
    try:
        return _parse(node)
    except (AttributeError, IndexError, TypeError, ValueError):
        return None


def _unwrap(node: Any) -> Any:
    while getattr(node, "data", None) == "expr_term" and len(node.children) == 1:
        node = node.children[0]
    return node


def _name(node: Any) -> str:
    node = _unwrap(node)
    if getattr(node, "data", None) == "identifier":
        return str(node.children[0])
    text = str(node)
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    raise ValueError(f"not a name: {node!r}")


def _parse(node: Any) -> Type | None:
    node = _unwrap(node)
    kind = getattr(node, "data", None)
    if kind == "identifier":
        word = str(node.children[0])
        if word in ("any", "string", "number", "bool"):
            return (word,)
        if word in ("list", "set", "map"):  # bare `list` is list(any)
            return (word, ("any",))
        return None
    if kind != "function_call":
        return None
    func = str(node.children[0].children[0])
    args = [c for c in (node.children[1].children if len(node.children) > 1 else [])
            if getattr(c, "data", None) is not None]
    if func in ("list", "set", "map") and len(args) == 1:
        inner = _parse(args[0])
        return None if inner is None else (func, inner)
    if func == "tuple" and len(args) == 1:
        items = _unwrap(args[0])
        if getattr(items, "data", None) != "tuple":
            return None
        parsed = [_parse(c) for c in items.children if getattr(c, "data", None) is not None]
        return None if any(p is None for p in parsed) else ("tuple", parsed)
    if func == "object" and len(args) == 1:
        body = _unwrap(args[0])
        if getattr(body, "data", None) != "object":
            return None
        attrs: dict[str, tuple] = {}
        for elem in body.children:
            if getattr(elem, "data", None) != "object_elem":
                continue
            key, value = [c for c in elem.children if getattr(c, "data", None) is not None][:2]
            attrs[_name(key)] = _attribute(value)
            if attrs[_name(key)][0] is None:
                return None
        return ("object", attrs)
    return None


def _attribute(node: Any) -> tuple:
    inner = _unwrap(node)
    if getattr(inner, "data", None) == "function_call" and str(inner.children[0].children[0]) == "optional":
        args = [c for c in (inner.children[1].children if len(inner.children) > 1 else [])
                if getattr(c, "data", None) is not None]
        if not 1 <= len(args) <= 2:
            return (None, True, None)
        return (_parse(args[0]), True, args[1] if len(args) == 2 else None)
    return (_parse(node), False, None)


def conform(value: Any, typ: Type | None, evaluate_default: Callable[[Any], Any]) -> Any:
    """`value` converted to `typ` (see the module docstring); unchanged where it cannot be."""
    if typ is None or value is None or isinstance(value, Unknown):
        return value
    kind = typ[0]
    if kind == "any":
        return value
    if kind == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return value
    if kind == "number":
        if isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
            number = float(value)
            return int(value.strip()) if _INTEGER.fullmatch(value.strip()) else number
        return value
    if kind == "bool":
        if value in ("true", "false"):
            return value == "true"
        return value
    if kind in ("list", "set"):
        if not isinstance(value, list):
            return value
        items = [conform(v, typ[1], evaluate_default) for v in value]
        if kind == "set":
            unique: list = []
            for v in items:
                if v not in unique:
                    unique.append(v)
            items = sorted(unique) if all(isinstance(v, str) for v in unique) else unique
        return items
    if kind == "map":
        if not isinstance(value, dict):
            return value
        return {k: conform(v, typ[1], evaluate_default) for k, v in value.items()}
    if kind == "tuple":
        if not isinstance(value, list) or len(value) != len(typ[1]):
            return value
        return [conform(v, t, evaluate_default) for v, t in zip(value, typ[1])]
    if kind == "object":
        if not isinstance(value, dict):
            return value
        out: dict = {}
        for name, (attr_type, optional, default) in typ[1].items():
            given = value.get(name)
            if given is None and optional:
                given = None if default is None else evaluate_default(default)
            elif name not in value:  # a required attribute missing: Terraform refuses the value
                return value
            out[name] = conform(given, attr_type, evaluate_default)
        return out
    return value
