"""Terraform's built-in functions that IAM and Cognito configurations use, written to
Terraform's documented behaviour (developer.hashicorp.com/terraform/language/functions).

A function not listed here gives an INPUT Unknown naming it (the check that depends on it
says UNKNOWN), never a guess.  ``file``/``templatefile`` read only files inside the scanned
folder (``scope.read_file`` enforces it).

Unknown arguments: structural functions (``concat``, ``merge``, ``lookup``, ``length``,
``element``, ``keys``, ``flatten``, ``tolist``, ``one``) keep unknown elements in place, as
Terraform does; every other function with an unknown anywhere in its arguments is unknown.
"""
from __future__ import annotations

import base64
import hashlib
import json
import posixpath
import re
from typing import Any, Callable

from mfaguard.expand.values import INPUT, EvalError, Unknown, first_unknown, to_bool, to_number, to_string


def _sorted_set(values: list) -> list:
    out: list = []
    for v in values:
        if v not in out:
            out.append(v)
    if all(isinstance(v, str) for v in out):
        return sorted(out)
    return out


def _list(value: Any) -> list:
    if hasattr(value, "instances"):
        value = value.instances()
    if isinstance(value, dict):
        raise EvalError("a map is not a list")
    if not isinstance(value, list):
        raise EvalError(f"a {type(value).__name__} value is not a list")
    return value


def _map(value: Any) -> dict:
    if hasattr(value, "instances_by_key"):
        value = value.instances_by_key()
    if not isinstance(value, dict):
        raise EvalError("the value is not a map")
    return value


def _format(fmt: str, *args: Any) -> str:
    out, i, n = [], 0, 0
    while i < len(fmt):
        ch = fmt[i]
        if ch != "%":
            out.append(ch)
            i += 1
            continue
        if fmt.startswith("%%", i):
            out.append("%")
            i += 2
            continue
        j = i + 1
        while j < len(fmt) and fmt[j] in "0123456789.-+# ":
            j += 1
        if j >= len(fmt) or n >= len(args):
            raise EvalError("format: too few arguments")
        verb, arg = fmt[j], args[n]
        n += 1
        if verb in "sv":
            out.append(json.dumps(arg) if isinstance(arg, (dict, list)) else to_string(arg))
        elif verb == "d":
            out.append(str(int(to_number(arg))))
        elif verb == "q":
            out.append(json.dumps(to_string(arg)))
        elif verb == "t":
            out.append("true" if to_bool(arg) else "false")
        else:
            raise EvalError(f"format verb %{verb} is not evaluated")
        i = j + 1
    return "".join(out)


def _jsonencode(value: Any) -> str:
    # maps and objects are encoded in lexical key order, as Terraform's jsonencode writes them
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True)


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    m = _map(m)
    k = to_string(key)
    if k in m:
        return m[k]
    if default:
        return default[0]
    raise EvalError(f"lookup: the map has no key {k!r}")


def _element(lst: Any, index: Any) -> Any:
    items = _list(lst)
    if not items:
        raise EvalError("element: the list is empty")
    return items[int(to_number(index)) % len(items)]


def _flatten(lst: Any) -> list:
    out: list = []
    for item in _list(lst):
        if isinstance(item, list):
            out.extend(_flatten(item))
        else:
            out.append(item)
    return out


def _merge(*maps: Any) -> dict:
    out: dict = {}
    for m in maps:
        if m is None:
            continue
        out.update(_map(m))
    return out


def _one(lst: Any) -> Any:
    items = _list(lst)
    if len(items) > 1:
        raise EvalError("one: the list has more than one element")
    return items[0] if items else None


def _coalesce(*args: Any) -> Any:
    for a in args:
        if a is not None and a != "":
            return a
    raise EvalError("coalesce: no non-null, non-empty argument")


def _range(*args: Any) -> list:
    try:
        span = range(*[int(to_number(a)) for a in args])
    except OverflowError as exc:
        raise EvalError("range(): a bound is too large") from exc
    if len(span) > MAX_LIST:
        raise EvalError(f"range() of {len(span)} numbers is more than mfaguard evaluates")
    return list(span)


MAX_LIST = 100_000


def _trimprefix(s: Any, prefix: Any) -> str:
    s, prefix = to_string(s), to_string(prefix)
    return s[len(prefix):] if prefix and s.startswith(prefix) else s


def _trimsuffix(s: Any, suffix: Any) -> str:
    s, suffix = to_string(s), to_string(suffix)
    return s[:-len(suffix)] if suffix and s.endswith(suffix) else s


def _regex(pattern: str) -> "re.Pattern[str]":
    """Terraform's RE2 patterns, for the subset Python's re reads the same way."""
    if re.search(r"\\[pPCz]|\(\?[imsU-]*:|\[\[:", pattern):
        raise EvalError(f"the regular expression {pattern!r} uses RE2 syntax mfaguard does not evaluate")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise EvalError(f"invalid regular expression {pattern!r}: {exc}") from exc


def _replace(s: Any, old: Any, new: Any) -> str:
    old, new, s = to_string(old), to_string(new), to_string(s)
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        # RE2 replacement references: $1, ${1}, ${name}
        python_new = re.sub(r"\$\{(\w+)\}|\$(\d+)", lambda m: f"\\g<{m.group(1) or m.group(2)}>",
                            new.replace("\\", "\\\\"))
        return _regex(old[1:-1]).sub(python_new, s)
    return s.replace(old, new)


def _regex_fn(pattern: Any, s: Any) -> Any:
    m = _regex(to_string(pattern)).search(to_string(s))
    if m is None:
        raise EvalError("regex: no match")
    if m.groupdict():
        return m.groupdict()
    return list(m.groups()) if m.groups() else m.group(0)


def _base64decode(s: Any) -> str:
    return base64.b64decode(to_string(s)).decode("utf-8")


STRUCTURAL: dict[str, Callable[..., Any]] = {
    "concat": lambda *lists: [x for lst in lists for x in _list(lst)],
    "merge": _merge,
    "lookup": _lookup,
    "length": lambda v: len(_map(v) if isinstance(v, dict) or hasattr(v, "instances_by_key") else
                            (_list(v) if not isinstance(v, str) else v)),
    "element": _element,
    "keys": lambda m: sorted(_map(m)),
    "values": lambda m: [v for _k, v in sorted(_map(m).items())],
    "flatten": _flatten,
    "tolist": lambda v: list(_list(v)),
    "tomap": lambda v: dict(_map(v)),
    "one": _one,
    "zipmap": lambda ks, vs: dict(zip([to_string(k) for k in _list(ks)], _list(vs))),
}

STRICT: dict[str, Callable[..., Any]] = {
    "toset": lambda v: _sorted_set(_list(v)),
    "tostring": lambda v: v if v is None else to_string(v),
    "tonumber": lambda v: v if v is None else to_number(v),
    "tobool": lambda v: v if v is None else to_bool(v),
    "distinct": lambda v: [x for i, x in enumerate(_list(v)) if x not in _list(v)[:i]],
    "compact": lambda v: [x for x in _list(v) if x not in ("", None)],
    "contains": lambda lst, x: x in _list(lst),
    "coalesce": _coalesce,
    "coalescelist": lambda *ls: next((_list(x) for x in ls if _list(x)), []),
    "sort": lambda v: sorted(to_string(x) for x in _list(v)),
    "reverse": lambda v: list(reversed(_list(v))),
    "slice": lambda v, a, b: _list(v)[int(to_number(a)):int(to_number(b))],
    "setunion": lambda *ls: _sorted_set([x for lst in ls for x in _list(lst)]),
    "setintersection": lambda first, *ls: _sorted_set([x for x in _list(first) if all(x in _list(o) for o in ls)]),
    "setsubtract": lambda a, b: _sorted_set([x for x in _list(a) if x not in _list(b)]),
    "range": _range,
    "join": lambda sep, lst: to_string(sep).join(to_string(x) for x in _list(lst)),
    "split": lambda sep, s: to_string(s).split(to_string(sep)),
    "lower": lambda s: to_string(s).lower(),
    "upper": lambda s: to_string(s).upper(),
    "title": lambda s: to_string(s).title(),
    "trimspace": lambda s: to_string(s).strip(),
    "chomp": lambda s: to_string(s).rstrip("\r\n"),
    "trimprefix": _trimprefix,
    "trimsuffix": _trimsuffix,
    "startswith": lambda s, p: to_string(s).startswith(to_string(p)),
    "endswith": lambda s, p: to_string(s).endswith(to_string(p)),
    "substr": lambda s, o, n: to_string(s)[int(to_number(o)):][:int(to_number(n))] if int(to_number(n)) >= 0
    else to_string(s)[int(to_number(o)):],
    "replace": _replace,
    "format": _format,
    "formatlist": lambda fmt, *lists: [_format(fmt, *row) for row in zip(*[_list(x) for x in lists])],
    "jsonencode": _jsonencode,
    "jsondecode": lambda s: json.loads(to_string(s)),
    "abs": lambda x: abs(to_number(x)),
    "min": lambda *xs: min(to_number(x) for x in xs),
    "max": lambda *xs: max(to_number(x) for x in xs),
    "sum": lambda lst: sum(to_number(x) for x in _list(lst)),
    "basename": lambda p: posixpath.basename(to_string(p).rstrip("/")),
    "dirname": lambda p: posixpath.dirname(to_string(p)) or ".",
    "regex": _regex_fn,
    "regexall": lambda p, s: [m.groupdict() or (list(m.groups()) if m.groups() else m.group(0))
                              for m in _regex(to_string(p)).finditer(to_string(s))],
    "strcontains": lambda s, sub: to_string(sub) in to_string(s),
    "base64encode": lambda s: base64.b64encode(to_string(s).encode("utf-8")).decode("ascii"),
    "base64decode": _base64decode,
    "md5": lambda s: hashlib.md5(to_string(s).encode("utf-8")).hexdigest(),  # noqa: S324 - Terraform's md5()
    "sha1": lambda s: hashlib.sha1(to_string(s).encode("utf-8")).hexdigest(),  # noqa: S324 - Terraform's sha1()
    "sha256": lambda s: hashlib.sha256(to_string(s).encode("utf-8")).hexdigest(),
    "alltrue": lambda lst: all(to_bool(x) for x in _list(lst)),
    "anytrue": lambda lst: any(to_bool(x) for x in _list(lst)),
    "index": lambda lst, x: _list(lst).index(x),
    "chunklist": lambda lst, n: [_list(lst)[i:i + int(to_number(n))] for i in range(0, len(_list(lst)), int(to_number(n)))],
    "indent": lambda n, s: to_string(s).replace("\n", "\n" + " " * int(to_number(n))),
    "sensitive": lambda v: v,
    "nonsensitive": lambda v: v,
}


def _jsonencode_partial(value: Any, unknown: Unknown) -> Unknown:
    """jsonencode() of a structure with unknown leaves: unknown, but its text keeps each leaf's
    reference (``"Resource": "${aws_s3_bucket.logs.arn}/*"``), as Checkov's HCL reading shows it,
    so a policy document is still judged on its known parts."""
    def shown(v: Any) -> Any:
        if isinstance(v, Unknown):
            return v.reference or "${" + v.reason + "}"
        if isinstance(v, dict):
            return {k: shown(x) for k, x in v.items()}
        if isinstance(v, list):
            return [shown(x) for x in v]
        return v

    if isinstance(value, Unknown):
        return value
    return Unknown(unknown.kind, unknown.reason, _jsonencode(shown(value)))


def call(name: str, args: list[Any], scope: Any) -> Any:
    if name in ("file", "templatefile"):
        return _file(name, args, scope)
    if name == "jsonencode" and len(args) == 1 and first_unknown(args) is not None:
        return _jsonencode_partial(args[0], first_unknown(args))  # type: ignore[arg-type]
    if name in STRUCTURAL:
        top = next((a for a in args if isinstance(a, Unknown)), None)
        if top is not None:
            return top
        func = STRUCTURAL[name]
    elif name in STRICT:
        unknown = first_unknown(args)
        if unknown is not None:
            return unknown
        func = STRICT[name]
    else:
        return Unknown(INPUT, f"the function {name}() is not evaluated by mfaguard")
    try:
        return func(*args)
    except EvalError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, AttributeError) as exc:
        raise EvalError(f"{name}(): {exc}") from exc


def _arn_parts(arn: Any) -> list[str]:
    """aws-sdk-go-v2's arn.Parse, which the AWS provider's functions use: "arn:" and six
    colon-separated sections, the last one (the resource) keeping any further colons."""
    text = to_string(arn)
    if not text.startswith("arn:"):
        raise EvalError(f"arn: invalid prefix in {text[:80]!r}")
    sections = text.split(":", 5)
    if len(sections) != 6:
        raise EvalError(f"arn: not enough sections in {text[:80]!r}")
    return sections


def _arn_parse(arn: Any) -> dict:
    _, partition, service, region, account_id, resource = _arn_parts(arn)
    return {"partition": partition, "service": service, "region": region, "account_id": account_id,
            "resource": resource}


def _arn_build(partition: Any, service: Any, region: Any, account_id: Any, resource: Any) -> str:
    return ":".join(["arn"] + [to_string(x) for x in (partition, service, region, account_id, resource)])


def _trim_iam_role_path(arn: Any) -> str:
    sections = _arn_parts(arn)
    if sections[2] != "iam":
        raise EvalError('trim_iam_role_path: service must be "iam"')
    if sections[3] != "":
        raise EvalError("trim_iam_role_path: region must be empty")
    if not sections[5].startswith("role/"):
        raise EvalError('trim_iam_role_path: resource must begin with "role/"')
    sections[5] = "role/" + sections[5].split("/")[-1]
    return ":".join(sections)


# provider::aws::<name>: the AWS provider's functions (registry.terraform.io/providers/hashicorp/aws,
# "Functions"), for the local name "aws"
AWS_PROVIDER: dict[str, Callable[..., Any]] = {
    "arn_parse": _arn_parse,
    "arn_build": _arn_build,
    "trim_iam_role_path": _trim_iam_role_path,
}


def call_provider(provider: str, name: str, args: list[Any]) -> Any:
    """``provider::<provider>::<name>(args)``: the AWS provider's pure functions are evaluated;
    any other is an INPUT Unknown naming it.  Provider functions refuse null arguments."""
    func = AWS_PROVIDER.get(name) if provider == "aws" else None
    if func is None:
        return Unknown(INPUT, f"the provider function provider::{provider}::{name}() is not evaluated by mfaguard")
    unknown = first_unknown(args)
    if unknown is not None:
        return unknown
    if any(a is None for a in args):
        raise EvalError(f"provider::aws::{name}(): an argument is null")
    try:
        return func(*args)
    except TypeError as exc:
        raise EvalError(f"provider::aws::{name}(): wrong number of arguments") from exc


def try_or_can(name: str, thunks: list[Callable[[], Any]]) -> Any:
    """``try(a, b, ...)``: the first argument that evaluates without error; ``can(x)``: whether
    x evaluates without error.  An unknown result stays unknown (Terraform does the same)."""
    for thunk in thunks:
        try:
            value = thunk()
        except EvalError:
            continue
        if name == "can":
            return value if isinstance(value, Unknown) else True
        return value
    if name == "can":
        return False
    raise EvalError("try: no argument could be evaluated")


def _file(name: str, args: list[Any], scope: Any) -> Any:
    unknown = first_unknown(args)
    if unknown is not None:
        return unknown
    if name == "templatefile" and getattr(scope, "in_template", False):
        raise EvalError("templatefile() cannot be called from inside a template (Terraform refuses the recursion)")
    text = scope.read_file(to_string(args[0]))
    if isinstance(text, Unknown) or name == "file":
        return text
    from mfaguard.expand.expr import evaluate_template

    variables = _map(args[1]) if len(args) > 1 else {}
    return evaluate_template(text, _TemplateScope(variables, scope))


class _TemplateScope:
    """What a templatefile() template sees: its variables, and Terraform's functions (file()
    reads as the calling module does)."""

    in_template = True

    def __init__(self, variables: dict, outer: Any) -> None:
        self.variables = variables
        self.outer = outer

    def lookup(self, ident: str) -> Any:
        if ident in self.variables:
            return self.variables[ident]
        raise EvalError(f"templatefile: the template uses {ident!r}, which is not among its variables")

    def read_file(self, path: str) -> Any:
        return self.outer.read_file(path)
