"""Terraform values as the adapters receive them: the one list unwrapper, the one detector of
unresolved Terraform values and the one decoder of policy JSON text.  The bottom layer of the
engine (``semantics`` and ``documents`` import it; it imports neither at load time).

Checkov wraps every HCL and plan value in lists (``["ON"]``, ``[["a", "b"]]``) and leaves an
expression it could not evaluate as its text (``var.x``, ``${aws_iam_user.u.name}``,
``var.on ? "ON" : "OFF"``) or, for values known only after apply, as ``true_after_unknown``.
Everything in mfaguard that asks "is this value known?" or "what is inside the wrapping?" asks
here (``mfaguard.checks_support`` and the Checkov adapter re-use these).

Two detectors, on purpose, sharing one implementation of references:

* ``is_reference(text)``: inside a policy document, where any literal text may stand (``(``,
  ``?`` and ``==`` are legal in a condition value): only a ``${...}`` that is not an IAM policy
  variable, a bare reference (``var.x``, ``data.x.y.json``), a function call or a conditional
  over a reference.  IAM policy variables (``${aws:username}``, ``$${aws:username}``,
  ``&{aws:username}``) are literals.
* ``is_unresolved(value)``: a resource attribute as Checkov hands it, where expression syntax
  can only come from an expression Checkov left unevaluated: ``is_reference`` plus
  ``true_after_unknown`` and any conditional/operator/call text.

``decode_json_text`` is the one decoder of policy JSON text (plain, IAM's URL-encoded form);
``policy_document`` decodes a policy document in any form an adapter receives it (plan JSON text,
a dict, bytes, Checkov's wrapping) through ``mfaguard.policy.documents``.
"""
from __future__ import annotations

import json
import re
import urllib.parse
from typing import Any

# Checkov's marker for after_unknown values (only written with EVAL_TF_PLAN_AFTER_UNKNOWN set).
TRUE_AFTER_UNKNOWN = "true_after_unknown"
# Characters that only an expression Checkov left unevaluated contains in a scalar value
# (`${...}` is is_reference's: it tells IAM policy variables from Terraform references).
_EXPRESSION_CHARS = ("?", "==", "!=", "&&", "||", "(", ")")
# The start of a reference Checkov left as text ("var.x", "aws_kms_key.k.arn" and what follows).
_REFERENCE_START = re.compile(
    r"^(var|local|module|data|each|count|self|path|terraform)\."
    r"|^[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z0-9_-]+(\[[^\]]*\])?\.[A-Za-z0-9_]"
)


class Unresolved:
    """A value that is not known yet: a Terraform reference, `${...}`, unknown after apply.

    The decoders produce it; ``semantics.evaluate`` treats it as "could be anything".
    """

    __slots__ = ("reason",)

    def __init__(self, reason: str = "a value is not resolved") -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"Unresolved({self.reason!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unresolved) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("Unresolved", self.reason))


# IAM policy variables (`${aws:username}`, `${*}`, `$${...}` as HCL escapes it, `&{...}`)
# are literal text for us; any other `${...}` is a Terraform reference.
_IAM_VARIABLE = re.compile(r"^[A-Za-z0-9_.\-]+:[A-Za-z0-9_.\-/]+$|^[*?$]$")
_INTERP = re.compile(r"\$\{([^{}]*)\}")
# Bare Terraform expressions as Checkov leaves them when it cannot evaluate them
# ("var.flag", "data.aws_iam_policy_document.x.json", "aws_iam_user.u.arn", "concat(...)").
_BARE_REF = re.compile(
    r"^(?:var|local|module|data|each|count|self|path|terraform)\.[\w\-\[\]\"'.*]+$"
    r"|^[a-z][a-z0-9]*_[a-z0-9_]+\.[A-Za-z_][\w\-]*(?:\[[^\]]*\])?(?:\.[\w\-\[\]\"'*.]+)*$"
)
_FUNCTION_CALL = re.compile(r"^[a-z_][a-z0-9_]*\(.*\)$", re.DOTALL)
_EXPRESSION = re.compile(r"^(?:var|local|module|data|each)\.\S+\s*(?:\?|==|!=|&&|\|\|)")


def has_interpolation(text: str) -> bool:
    """True when `text` holds a Terraform `${...}` interpolation (not an IAM policy variable)."""
    for m in _INTERP.finditer(text):
        if m.start() > 0 and text[m.start() - 1] == "$":
            continue  # $${...}: HCL escape of an IAM policy variable
        if not _IAM_VARIABLE.match(m.group(1).strip()):
            return True
    return False


def is_reference(value: Any) -> bool:
    """True when `value` is a Terraform reference or expression rather than a literal:
    `${var.x}`, bare `var.x` / `data.x.y.json` / `aws_iam_user.u.arn`, `concat(...)`,
    `var.x ? a : b`, an `Unresolved` marker. IAM policy variables (`${aws:username}`,
    `$${aws:username}`, `&{aws:username}`) are literals."""
    if isinstance(value, Unresolved):
        return True
    if not isinstance(value, str):
        return False
    s = value.strip()
    return bool(has_interpolation(s) or _BARE_REF.match(s) or _FUNCTION_CALL.match(s)
                or _EXPRESSION.match(s))


def unwrap(value: Any) -> Any:
    """Strip Checkov's list wrapping around one value: ``[["ON"]]`` -> ``"ON"``."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    return value


def unwrap_lists(value: Any) -> Any:
    """Strip only list-in-list wrapping, keeping a list of one value a list:
    ``[["a", "b"]]`` -> ``["a", "b"]``, ``[["a"]]`` -> ``["a"]``."""
    while isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        value = value[0]
    return value


def flatten(value: Any) -> list[Any]:
    """Every scalar inside any nesting of lists, in order (None for no value: ``[]``)."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        return [value]
    out: list[Any] = []
    for item in value:
        out.extend(flatten(item) if isinstance(item, (list, tuple)) else [item])
    return out


def strings(value: Any) -> list[str]:
    """The strings inside a (wrapped) value: ``[["a", "b"]]`` -> ``["a", "b"]``; others dropped."""
    return [v for v in flatten(value) if isinstance(v, str)]


def is_unresolved(value: Any) -> bool:
    """True for what is left of an expression nobody can evaluate before apply: a reference
    (``var.x``, ``aws_iam_user.u.name``, ``${...}``), a function call or conditional, Checkov's
    ``true_after_unknown``, an ``Unresolved`` marker.  IAM policy variables
    (``${aws:username}``) are literals."""
    if isinstance(value, Unresolved):
        return True
    if not isinstance(value, str):
        return False
    text = value.strip()
    if text == TRUE_AFTER_UNKNOWN or is_reference(text) or _REFERENCE_START.search(text):
        return True
    return any(mark in text for mark in _EXPRESSION_CHARS) and not text.startswith("{")


def decode_json_text(text: str) -> Any:
    """A policy document written as JSON text (heredoc, file(), plan string, IAM's URL-encoded
    API text): a dict, or ``Unresolved(reason)`` (a reference, not JSON, not an object)."""
    s = text.strip()
    if not s:
        return Unresolved("the policy document is empty")
    if s[:3].lower() == "%7b" or (s.startswith("%") and "%22" in s):
        s = urllib.parse.unquote(s)
    if not s.startswith("{"):
        if is_reference(s) or has_interpolation(s):
            return Unresolved(f"the policy document is a reference: {s[:120]}")
        return Unresolved("the policy document is not a JSON object")
    try:
        doc = json.loads(s)
    except ValueError as exc:
        if has_interpolation(s):
            return Unresolved(f"the policy document contains an unresolved expression: {s[:120]}")
        return Unresolved(f"the policy document is not valid JSON ({exc.msg}, line {exc.lineno})")
    if not isinstance(doc, dict):
        return Unresolved("the policy document is not a JSON object")
    return doc


def policy_document(raw: Any) -> Any:
    """A policy document from any adapter: a dict, ``Unresolved(reason)`` when it cannot be read
    (unknown until apply, not JSON, a reference), or None when there is none."""
    from mfaguard.policy import documents  # documents imports this module: import when used

    if raw is None:
        return None
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    return documents.from_policy_attribute(raw)
