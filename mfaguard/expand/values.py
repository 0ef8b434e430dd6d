"""Values of the expander: plain Python data (str, int, float, bool, None, list, dict) plus
``Unknown``, a value nobody can know from the configuration alone.

Two kinds of unknown, as Terraform has them:

* ``APPLY``: known only after apply (an ``arn`` or ``id`` the provider computes).  It carries
  the reference it stands for (``aws_iam_policy.p["a"].arn``, module-local) so the plan
  document can point at the resource, exactly as ``terraform show -json`` does with
  ``references``.
* ``INPUT``: the configuration does not say (a variable without a default and no tfvars
  value, a module that is not downloaded, an expression form mfaguard does not evaluate).
  Checks that depend on it must say UNKNOWN with ``reason``.

Sets are lists (Terraform iterates a set of strings in lexical order, so ``toset`` sorts).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

APPLY = "apply"
INPUT = "input"


@dataclass(frozen=True)
class Unknown:
    kind: str
    reason: str  # user-facing phrase, e.g. "var.groups has no value (no default, no tfvars)"
    reference: str = ""  # for APPLY: the module-local reference it stands for

    def __bool__(self) -> bool:  # never taken for a truthy known value
        return False


class EvalError(Exception):
    """An expression Terraform itself would reject (wrong type, missing key): the caller turns
    it into an INPUT Unknown naming the expression."""


def first_unknown(value: Any) -> Unknown | None:
    """The first Unknown anywhere inside `value` (None when it is fully known)."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        for v in value.values():
            found = first_unknown(v)
            if found is not None:
                return found
    elif isinstance(value, (list, tuple)):
        for v in value:
            found = first_unknown(v)
            if found is not None:
                return found
    return None


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    if value is None:
        return "null"
    return type(value).__name__


def to_string(value: Any) -> str:
    """Terraform's automatic conversion of a primitive to string (templates, string functions)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return value
    raise EvalError(f"cannot use a {type_name(value)} value as a string")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a {type_name(value)} value is not a bool")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("a bool value is not a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                pass
    raise EvalError(f"a {type_name(value)} value is not a number")
