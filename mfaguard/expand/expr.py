"""Evaluate HCL expressions, as Terraform would, from the parse tree hcl2 builds.

The tree comes from hcl2's own lark grammar (``hcl2.parser.Hcl2.lark_parser``, the parser
Checkov ships), taken *before* hcl2's DictTransformer turns expressions back into strings:
that transformer drops parentheses (``(a || b) && c`` becomes ``a || b && c``), renders
object literals as Python dicts and cannot be evaluated faithfully.  Checkov's own evaluator
(``evaluate_terraform``) was tried first and rejected: ``"" != "" ? 1 : 0`` gives None,
``[for u in ["a","b"] : "arn:${u}"]`` gives ``[]`` and templates with literal text stay
unrendered -- each a silent wrong answer for ``count``/``for_each``.

hcl2's grammar has no operator precedence (``var.x != "" ? 1 : 0`` parses as
``var.x != ("" ? 1 : 0)``): binary chains and conditionals are flattened into an infix
sequence and re-parsed with HCL's precedence (``_Infix``).

    evaluate(node, scope) -> value      node: a lark Tree/Token of an expression
    evaluate_template(text, scope)      a string template (``"a-${var.x}"`` without quotes)
    parse_expression(text) -> node      an expression's text (``${...}`` contents, .tf.json)

``scope.lookup(name)`` gives the value of a root name (``var``, ``local``, ``each``,
``count``, ``module``, ``data``, a resource type, a for-expression or ``dynamic`` iterator).
Anything not evaluated (an unknown function, a provider's unknown function) becomes an INPUT
``Unknown`` with a reason, never a guess.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Callable, Protocol

from lark import Token, Tree

from mfaguard.expand import functions
from mfaguard.expand.values import INPUT, EvalError, Unknown, first_unknown, to_bool, to_number, to_string, type_name


class Scope(Protocol):
    def lookup(self, name: str) -> Any: ...

    def get_attr(self, obj: Any, name: str) -> Any: ...


class Attributes(Protocol):
    """An object whose attributes are computed on demand (resources, locals, modules)."""

    def attr(self, name: str) -> Any: ...


class ChildScope:
    """A scope with extra names (for-expression variables, dynamic iterators) over a parent."""

    def __init__(self, parent: Any, names: dict[str, Any]) -> None:
        self.parent = parent
        self.names = names

    def lookup(self, name: str) -> Any:
        if name in self.names:
            return self.names[name]
        return self.parent.lookup(name)

    def __getattr__(self, item: str) -> Any:  # base_dir, read_file, ... of the module scope
        return getattr(self.parent, item)


# --------------------------------------------------------------------------- parsing
@functools.lru_cache(maxsize=4096)
def parse_expression(text: str) -> Any:
    """The tree of one expression given as text (raises EvalError when it does not parse)."""
    from mfaguard.expand.config import parse_tree

    try:
        tree = parse_tree(f"__x__ = {text}")
    except Exception as exc:  # lark's UnexpectedInput, hcl2's unclosed-quote check
        raise EvalError(f"cannot parse the expression {text[:80]!r}") from exc
    attribute = tree.children[0].children[0]
    return attribute.children[1]


def _kids(node: Tree) -> list[Any]:
    return [c for c in node.children if not (isinstance(c, Token) and c.type == "_NEW_LINE_OR_COMMENT")]


_PRECEDENCE = {"||": 1, "&&": 2, "==": 3, "!=": 3, "<": 4, ">": 4, "<=": 4, ">=": 4,
               "+": 5, "-": 5, "*": 6, "/": 6, "%": 6}


class _Op:
    def __init__(self, op: str) -> None:
        self.op = op


class _Question:
    def __init__(self, then: Any) -> None:
        self.then = then


def _linearize(node: Any, out: list) -> None:
    if isinstance(node, Tree) and node.data == "binary_op":
        left, term = _kids(node)
        op_node, right = _kids(term)
        _linearize(left, out)
        out.append(_Op(str(_kids(op_node)[0])))
        _linearize(right, out)
    elif isinstance(node, Tree) and node.data == "conditional":
        cond, then, other = _kids(node)
        _linearize(cond, out)
        out.append(_Question(then))
        _linearize(other, out)
    else:
        out.append(node)


class _Infix:
    """Re-parse a flattened operator sequence with HCL's precedence; ``?:`` lowest, right-assoc."""

    def __init__(self, items: list) -> None:
        self.items = items
        self.pos = 0

    def conditional(self) -> Any:
        cond = self.binary(1)
        if self.pos < len(self.items) and isinstance(self.items[self.pos], _Question):
            then = self.items[self.pos].then
            self.pos += 1
            return ("?", cond, then, self.conditional())
        return cond

    def binary(self, min_prec: int) -> Any:
        left = self.items[self.pos]
        self.pos += 1
        while self.pos < len(self.items) and isinstance(self.items[self.pos], _Op):
            op = self.items[self.pos].op
            prec = _PRECEDENCE[op]
            if prec < min_prec:
                break
            self.pos += 1
            right = self.binary(prec + 1)
            left = ("op", op, left, right)
        return left


# --------------------------------------------------------------------------- evaluation
def evaluate(node: Any, scope: Any) -> Any:
    if isinstance(node, tuple):  # from _Infix
        return _eval_infix(node, scope)
    if isinstance(node, Token):
        return _eval_token(node, scope)
    kind = node.data
    if kind in ("binary_op", "conditional"):
        items: list = []
        _linearize(node, items)
        return evaluate(_Infix(items).conditional(), scope)
    handler = _HANDLERS.get(kind)
    if handler is None:
        return Unknown(INPUT, f"the expression form {kind} is not evaluated by mfaguard")
    return handler(node, scope)


def _eval_infix(node: tuple, scope: Any) -> Any:
    if node[0] == "?":
        _q, cond, then, other = node
        c = evaluate(cond, scope)
        if isinstance(c, Unknown):
            return c
        return evaluate(then if to_bool(c) else other, scope)
    _o, op, left, right = node
    a = evaluate(left, scope)
    if op in ("&&", "||") and not isinstance(a, Unknown):
        if to_bool(a) == (op == "||"):  # short circuit is safe: the result no longer depends on b
            return op == "||"
        b = evaluate(right, scope)
        return b if isinstance(b, Unknown) else to_bool(b)
    b = evaluate(right, scope)
    for v in (a, b):
        if isinstance(v, Unknown):
            return v
    return _binary(op, a, b)


def _binary(op: str, a: Any, b: Any) -> Any:
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    if op in ("&&", "||"):
        return (to_bool(a) and to_bool(b)) if op == "&&" else (to_bool(a) or to_bool(b))
    x, y = to_number(a), to_number(b)
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        if y == 0:
            raise EvalError("division by zero")
        q = x / y
        return int(q) if q == int(q) else q
    if op == "%":
        return x % y
    return {"<": x < y, ">": x > y, "<=": x <= y, ">=": x >= y}[op]


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return type_name(a) == type_name(b) and a == b


def _eval_token(token: Token, scope: Any) -> Any:
    if token.type == "STRING_LIT":
        return evaluate_template(_unquote(str(token)), scope)
    if token.type in ("__ANON_0", "DECIMAL"):
        return int(str(token))
    return Unknown(INPUT, f"the token {str(token)[:40]!r} is not evaluated by mfaguard")


def _unquote(literal: str) -> str:
    """The template text of a quoted string, escapes decoded (``$${`` kept for the template)."""
    body = literal[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            simple = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            if nxt == "u" and i + 6 <= len(body):
                out.append(chr(int(body[i + 2:i + 6], 16)))
                i += 6
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def evaluate_template(text: str, scope: Any) -> Any:
    """A string template: literal text, ``${expr}`` interpolations, ``%{if}``/``%{for}``
    directives, strip markers and ``$${``/``%%{`` escapes (``template.py``).  A template that is
    exactly one interpolation keeps its value's type, as in Terraform."""
    from mfaguard.expand import template

    return template.render(text, scope)


def _heredoc(token: Token, scope: Any) -> Any:
    text = str(token)
    trim = text.startswith("<<-")
    lines = text.split("\n")
    body = lines[1:-1]
    if trim:
        indents = [len(line) - len(line.lstrip()) for line in body if line.strip()]
        cut = min(indents) if indents else 0
        body = [line[cut:] for line in body]
    return evaluate_template("\n".join(body) + "\n", scope)


def _expr_term(node: Tree, scope: Any) -> Any:
    kids = _kids(node)
    if len(kids) != 1:
        return Unknown(INPUT, "an expression form is not evaluated by mfaguard")
    child = kids[0]
    if isinstance(child, Token):
        if child.type in ("heredoc_template", "heredoc_template_trim") or str(child).startswith("<<"):
            return _heredoc(child, scope)
        return _eval_token(child, scope)
    return evaluate(child, scope)


def _identifier(node: Tree, scope: Any) -> Any:
    name = str(node.children[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "null":
        return None
    return scope.lookup(name)


def _int_lit(node: Tree, _scope: Any) -> Any:
    return int("".join(str(c) for c in node.children))


def _float_lit(node: Tree, _scope: Any) -> Any:
    return float("".join(str(c) for c in node.children))


def _tuple(node: Tree, scope: Any) -> Any:
    return [evaluate(c, scope) for c in _kids(node)]


def _object(node: Tree, scope: Any) -> Any:
    out: dict[str, Any] = {}
    for elem in _kids(node):
        key_node, value_node = _kids(elem)[:2]
        if isinstance(key_node, Tree) and key_node.data == "identifier":
            key: Any = str(key_node.children[0])
        else:
            key = evaluate(key_node, scope)
            if isinstance(key, Unknown):
                return key
            key = to_string(key)
        out[key] = evaluate(value_node, scope)
    return out


def get_attr(obj: Any, name: str) -> Any:
    if isinstance(obj, Unknown):
        return obj
    if hasattr(obj, "attr"):
        return obj.attr(name)
    if isinstance(obj, dict):
        if name not in obj:
            raise EvalError(f"the object has no attribute {name!r}")
        return obj[name]
    raise EvalError(f"a {type_name(obj)} value has no attribute {name!r}")


def get_index(obj: Any, key: Any) -> Any:
    for v in (obj, key):
        if isinstance(v, Unknown):
            return v
    if hasattr(obj, "attr"):
        return obj.attr(to_string(key))
    if isinstance(obj, dict):
        k = to_string(key)
        if k not in obj:
            raise EvalError(f"the map has no key {k!r}")
        return obj[k]
    if isinstance(obj, list):
        i = int(to_number(key))
        if not 0 <= i < len(obj):
            raise EvalError(f"index {i} is out of range (length {len(obj)})")
        return obj[i]
    raise EvalError(f"a {type_name(obj)} value cannot be indexed")


def _index_key(index: Tree, scope: Any) -> Any:
    kids = _kids(index)
    if all(isinstance(k, Token) for k in kids):  # legacy `.0`
        return int("".join(str(k) for k in kids))
    return evaluate(kids[0], scope)


def _get_attr_term(node: Tree, scope: Any) -> Any:
    base, attr = _kids(node)
    return get_attr(evaluate(base, scope), str(_kids(attr)[0].children[0]))


def _index_term(node: Tree, scope: Any) -> Any:
    base, index = _kids(node)
    obj = evaluate(base, scope)
    return get_index(obj, _index_key(index, scope))


def _apply_steps(value: Any, steps: list, scope: Any) -> Any:
    for step in steps:
        if step.data == "get_attr":
            value = get_attr(value, str(_kids(step)[0].children[0]))
        else:
            value = get_index(value, _index_key(step, scope))
    return value


def _splat(node: Tree, scope: Any) -> Any:
    base, splat = _kids(node)
    value = evaluate(base, scope)
    if isinstance(value, Unknown):
        return value
    if hasattr(value, "instances"):
        value = value.instances()
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    steps = _kids(splat)
    if node.data == "attr_splat_expr_term":
        # the legacy attribute-only splat `a.*.b.c[0]` takes only attribute steps: the first
        # index ends it and applies to the resulting list (HCL spec, "Splat Operators";
        # terraform 1.11.4: [{name = "a"}, {name = "b"}].*.name[0] is "a")
        cut = next((i for i, step in enumerate(steps) if step.data != "get_attr"), len(steps))
        return _apply_steps([_apply_steps(item, steps[:cut], scope) for item in items], steps[cut:], scope)
    return [_apply_steps(item, steps, scope) for item in items]


def _function_call(node: Tree, scope: Any) -> Any:
    kids = _kids(node)
    name = str(kids[0].children[0])
    arg_nodes = _kids(kids[1]) if len(kids) > 1 else []
    if name in ("try", "can"):
        return functions.try_or_can(name, [functools.partial(evaluate, n, scope) for n in arg_nodes])
    args = [evaluate(n, scope) for n in arg_nodes]
    return functions.call(name, args, scope)


def _provider_function_call(node: Tree, scope: Any) -> Any:
    """``provider::aws::arn_parse(...)``: hcl2's tree is identifier ``provider``, the provider's
    local name, the function's name, then the arguments."""
    names = [str(c.children[0]) for c in _kids(node) if isinstance(c, Tree) and c.data == "identifier"]
    arguments = next((c for c in _kids(node) if isinstance(c, Tree) and c.data == "arguments"), None)
    if len(names) != 3:
        return Unknown(INPUT, "a provider-defined function call mfaguard cannot read")
    args = [evaluate(n, scope) for n in _kids(arguments)] if arguments is not None else []
    return functions.call_provider(names[1], names[2], args)


def _for_intro(intro: Tree, scope: Any) -> tuple[list[str], Any]:
    names = [str(c.children[0]) for c in intro.children if isinstance(c, Tree) and c.data == "identifier"]
    collection = next(c for c in intro.children if isinstance(c, Tree) and c.data != "identifier")
    return names, evaluate(collection, scope)


def _for_items(names: list[str], collection: Any) -> list[dict[str, Any]]:
    if hasattr(collection, "instances_by_key"):
        collection = collection.instances_by_key()
    if isinstance(collection, dict):  # a map or object: in lexical order of its keys, as Terraform does
        pairs = sorted(collection.items(), key=lambda kv: str(kv[0]))
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        raise EvalError(f"cannot iterate over a {type_name(collection)} value")
    if len(names) == 1:
        return [{names[0]: v} for _k, v in pairs]
    return [{names[0]: k, names[1]: v} for k, v in pairs]


def _for_expr(node: Tree, scope: Any) -> Any:
    parts = [c for c in _kids(node) if isinstance(c, Tree)]
    intro, exprs = parts[0], parts[1:]
    cond = exprs.pop() if exprs and exprs[-1].data == "for_cond" else None
    grouping = any(isinstance(c, Token) and str(c) == "..." for c in node.children)
    names, collection = _for_intro(intro, scope)
    if isinstance(collection, Unknown):
        return collection
    unknown = first_unknown(collection) if not isinstance(collection, dict) else None
    if unknown is not None and cond is not None:
        return unknown
    is_object = node.data == "for_object_expr"
    out_list: list[Any] = []
    out_map: dict[str, Any] = {}
    for bound in _for_items(names, collection):
        inner = ChildScope(scope, bound)
        if cond is not None:
            keep = evaluate(_kids(cond)[-1], inner)
            if isinstance(keep, Unknown):
                return keep
            if not to_bool(keep):
                continue
        if is_object:
            key = evaluate(exprs[0], inner)
            if isinstance(key, Unknown):
                return key
            value = evaluate(exprs[1], inner)
            k = to_string(key)
            if grouping:
                out_map.setdefault(k, []).append(value)
            elif k in out_map:
                raise EvalError(f"duplicate key {k!r} in a for expression")
            else:
                out_map[k] = value
        else:
            out_list.append(evaluate(exprs[0], inner))
    return out_map if is_object else out_list


def _unary(node: Tree, scope: Any) -> Any:
    op, operand = _kids(node)
    value = evaluate(operand, scope)
    if isinstance(value, Unknown):
        return value
    return (not to_bool(value)) if str(op) == "!" else -to_number(value)


_HANDLERS: dict[str, Callable[[Tree, Any], Any]] = {
    "expr_term": _expr_term,
    "identifier": _identifier,
    "int_lit": _int_lit,
    "float_lit": _float_lit,
    "tuple": _tuple,
    "object": _object,
    "get_attr_expr_term": _get_attr_term,
    "index_expr_term": _index_term,
    "attr_splat_expr_term": _splat,
    "full_splat_expr_term": _splat,
    "function_call": _function_call,
    "for_tuple_expr": _for_expr,
    "for_object_expr": _for_expr,
    "unary_op": _unary,
    "provider_function_call": _provider_function_call,
    "heredoc_template": lambda node, scope: _heredoc(node.children[0], scope),
    "heredoc_template_trim": lambda node, scope: _heredoc(node.children[0], scope),
}


def safe_evaluate(node: Any, scope: Any, what: str) -> Any:
    """evaluate(), with Terraform's own errors turned into an INPUT Unknown naming `what`."""
    try:
        return evaluate(node, scope)
    except EvalError as exc:
        return Unknown(INPUT, f"{what} cannot be evaluated: {exc}")
    except RecursionError:
        return Unknown(INPUT, f"{what} is nested too deeply to evaluate")


_REF_TEXT = re.compile(r"^[A-Za-z_][\w-]*(\.[\w-]+|\[[^\]]*\])*$")


def is_reference_text(text: str) -> bool:
    return bool(_REF_TEXT.match(text))
