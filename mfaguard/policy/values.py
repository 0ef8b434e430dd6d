"""Terraform values as the adapters receive them: one list unwrapper, one unresolved-value detector.

Checkov wraps every HCL and plan value in lists (``["ON"]``, ``[["a", "b"]]``) and leaves an
expression it could not evaluate as its text (``var.x``, ``${aws_iam_user.u.name}``,
``var.on ? "ON" : "OFF"``) or, for values known only after apply, as ``true_after_unknown``.
Everything in mfaguard that asks "is this value known?" or "what is inside the wrapping?" asks
here (``mfaguard.checks_support`` and the Checkov adapter re-use these).  ``policy_document`` is
the one decoder of a policy document as the adapters receive it (plan JSON text, IAM's
URL-encoded text, a dict, bytes): it hands the text to ``mfaguard.policy.documents``.
"""
from __future__ import annotations

import re
from typing import Any

from mfaguard.policy import documents
from mfaguard.policy.semantics import Unresolved, is_reference

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


def policy_document(raw: Any) -> Any:
    """A policy document from any adapter: a dict, ``Unresolved(reason)`` when it cannot be read
    (unknown until apply, not JSON, a reference), or None when there is none."""
    if raw is None:
        return None
    if isinstance(raw, (bytes, bytearray)):
        raw = raw.decode("utf-8", "replace")
    return documents.from_policy_attribute(raw)
