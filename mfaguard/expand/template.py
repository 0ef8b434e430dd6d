"""Terraform's string templates, as its language documents them
(developer.hashicorp.com/terraform/language/expressions/strings):

* ``${ expr }`` interpolations and ``%{ if }``/``%{ else }``/``%{ endif }``,
  ``%{ for x in coll }``/``%{ for k, v in coll }``/``%{ endfor }`` directives, nested freely;
* strip markers: ``~`` just inside the opening (``${~``, ``%{~``) removes every whitespace
  character (newlines included) at the end of the literal text before it, ``~`` just inside the
  closing brace (``~}``) at the start of the literal text after it;
* escapes ``$${`` and ``%%{`` (a literal ``${`` / ``%{``).

    render(text, scope) -> value

A template that is one interpolation and nothing else keeps its value's type.  An unknown
interpolation leaves the rest readable: the result is an Unknown whose text has the reference
(``${aws_iam_policy.p.arn}``) in place.  An ``if`` over an unknown condition or a ``for`` over an
unknown collection makes the whole template Unknown, with a reason naming the directive (which
text it would give cannot be known).  A template Terraform rejects (an unclosed directive, an
``endfor`` without ``for``, a condition that is not a bool) raises EvalError.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from mfaguard.expand.values import EvalError, Unknown, to_bool, to_string, type_name

_ENDS = {"if": "endif", "for": "endfor"}
_FOR = re.compile(r"for\s+([A-Za-z_][\w-]*)(?:\s*,\s*([A-Za-z_][\w-]*))?\s+in\s+(\S.*)", re.S)


# --------------------------------------------------------------------------- scanning
@dataclass(frozen=True)
class _Seq:
    """One ``${...}`` (kind "$") or ``%{...}`` (kind "%") sequence, strip markers taken off."""

    kind: str
    text: str
    strip_before: bool  # ${~ : strip the end of the literal before it
    strip_after: bool  # ~} : strip the start of the literal after it


def find_close(text: str, start: int, opener: str = "${") -> int:
    """Index of the ``}`` closing the sequence whose contents start at text[start]."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise EvalError(f"unclosed {opener} in a string template")


def _scan(text: str) -> list:
    """Literal strings (escapes decoded) and _Seq items, literals stripped as markers say."""
    items: list = []
    literal: list[str] = []
    i = 0
    while i < len(text):
        if text.startswith(("$${", "%%{"), i):
            literal.append(text[i + 1:i + 3])
            i += 3
        elif text.startswith(("${", "%{"), i):
            opener = text[i:i + 2]
            end = find_close(text, i + 2, opener)
            inner = text[i + 2:end]
            before = inner.startswith("~")
            after = inner.endswith("~") and len(inner) > int(before)
            inner = inner[int(before):len(inner) - int(after)]
            items.append("".join(literal))
            literal = []
            items.append(_Seq(opener[0], inner.strip(), before, after))
            i = end + 1
        else:
            literal.append(text[i])
            i += 1
    items.append("".join(literal))
    out: list = []
    for n, item in enumerate(items):
        if isinstance(item, str):
            if n > 0 and items[n - 1].strip_after:
                item = item.lstrip()
            if n + 1 < len(items) and items[n + 1].strip_before:
                item = item.rstrip()
            if item:
                out.append(item)
        else:
            out.append(item)
    return out


# --------------------------------------------------------------------------- parsing
# nodes: str | ("interp", source) | ("if", source, then, other) | ("for", names, source, body)
class _Parser:
    def __init__(self, items: list) -> None:
        self.items = items
        self.pos = 0

    def block(self, opener: str, stops: tuple[str, ...]) -> tuple[tuple, str]:
        nodes: list = []
        while self.pos < len(self.items):
            item = self.items[self.pos]
            self.pos += 1
            if isinstance(item, str):
                nodes.append(item)
            elif item.kind == "$":
                if not item.text:
                    raise EvalError("an empty ${} in a string template")
                nodes.append(("interp", item.text))
            else:
                word = item.text.split(None, 1)[0] if item.text else ""
                if word in stops and item.text == word:
                    return tuple(nodes), word
                nodes.append(self.directive(word, item.text, opener))
        if opener:
            raise EvalError(f"%{{ {opener} }} is not closed (no %{{ {_ENDS[opener.split()[0]]} }})")
        return tuple(nodes), ""

    def directive(self, word: str, text: str, opener: str) -> tuple:
        if word == "if":
            cond = text[2:].strip()
            if not cond:
                raise EvalError("%{ if } has no condition")
            then, end = self.block(f"if {cond}", ("else", "endif"))
            other: tuple = ()
            if end == "else":
                other, _ = self.block(f"if {cond}", ("endif",))
            return ("if", cond, then, other)
        if word == "for":
            m = _FOR.fullmatch(text)
            if m is None:
                raise EvalError(f"%{{ {text} }} is not a for directive (for x in coll, for k, v in coll)")
            names = tuple(n for n in m.group(1, 2) if n)
            body, _ = self.block(f"for {m.group(3).strip()}", ("endfor",))
            return ("for", names, m.group(3).strip(), body)
        inside = f" inside %{{ {opener} }}" if opener else " without an opening directive"
        if word in ("else", "endif", "endfor"):
            raise EvalError(f"%{{ {text} }}{inside}")
        raise EvalError(f"%{{ {text} }} is not a template directive (if, else, endif, for, endfor)")


@functools.lru_cache(maxsize=2048)
def parse(text: str) -> tuple:
    """The node tree of a template (raises EvalError for a template Terraform rejects)."""
    nodes, _ = _Parser(_scan(text)).block("", ())
    return nodes


# --------------------------------------------------------------------------- rendering
class _Undecided(Exception):
    def __init__(self, unknown: Unknown) -> None:
        super().__init__(unknown.reason)
        self.unknown = unknown


@dataclass(frozen=True)
class _Hole:
    value: Any
    source: str


def render(text: str, scope: Any) -> Any:
    nodes = parse(text)
    if len(nodes) == 1 and isinstance(nodes[0], tuple) and nodes[0][0] == "interp":
        return _interp(nodes[0][1], scope)
    parts: list = []
    try:
        _render(nodes, scope, parts)
    except _Undecided as exc:
        return exc.unknown
    unknown = next((p.value for p in parts if isinstance(p, _Hole) and isinstance(p.value, Unknown)), None)
    if unknown is not None:
        # text around an unknown part stays readable, as Checkov's HCL reading keeps it
        # ("arn:aws:iam::${var.account}:role/x"): a policy document is still judged on the rest
        return Unknown(unknown.kind, unknown.reason, "".join(_shown(p) for p in parts))
    return "".join(p if isinstance(p, str) else _as_text(p) for p in parts)


def _interp(source: str, scope: Any) -> Any:
    from mfaguard.expand.expr import evaluate, parse_expression

    return evaluate(parse_expression(source), scope)


def _as_text(hole: _Hole) -> str:
    if hole.value is None:
        raise EvalError(f"${{{hole.source}}} is null, which a string template cannot include")
    return to_string(hole.value)


def _shown(part: Any) -> str:
    if isinstance(part, str):
        return part
    if isinstance(part.value, Unknown):
        return part.value.reference or "${" + part.source + "}"
    if isinstance(part.value, (dict, list)) or part.value is None:
        return "${" + part.source + "}"
    return to_string(part.value)


def _render(nodes: tuple, scope: Any, out: list) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node[0] == "interp":
            out.append(_Hole(_interp(node[1], scope), node[1]))
        elif node[0] == "if":
            _, source, then, other = node
            _render(then if _condition(source, scope) else other, scope, out)
        else:
            from mfaguard.expand.expr import ChildScope

            _, names, source, body = node
            for bound in _pairs(names, source, scope):
                _render(body, ChildScope(scope, bound), out)


def _condition(source: str, scope: Any) -> bool:
    value = _interp(source, scope)
    if isinstance(value, Unknown):
        raise _Undecided(Unknown(value.kind, f"the template's %{{ if {source} }} cannot be decided: {value.reason}"))
    if value is None:
        raise EvalError(f"the condition of %{{ if {source} }} is null")
    try:
        return to_bool(value)
    except EvalError:
        raise EvalError(f"the condition of %{{ if {source} }} is a {type_name(value)} value, not a bool") from None


def _pairs(names: tuple, source: str, scope: Any) -> list[dict[str, Any]]:
    """The loop variables of each iteration: a list by index, a map or object by key in
    lexical order (Terraform's order for both)."""
    collection = _interp(source, scope)
    if hasattr(collection, "instances_by_key"):
        collection = collection.instances_by_key()
    if isinstance(collection, Unknown):
        raise _Undecided(Unknown(collection.kind, f"the template's %{{ for ... in {source} }} cannot be "
                                                  f"expanded: {collection.reason}"))
    if isinstance(collection, dict):
        pairs = sorted(collection.items())
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        raise EvalError(f"%{{ for ... in {source} }} iterates over a {type_name(collection)} value, "
                        f"not a list, set, map or object")
    if len(names) == 1:
        return [{names[0]: v} for _k, v in pairs]
    return [{names[0]: k, names[1]: v} for k, v in pairs]
