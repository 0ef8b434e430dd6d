"""Small helpers shared by the Python Checkov checks in checks/.

Checkov hands a check the resource configuration with every value wrapped in a list
(``conf["mfa_configuration"] == ["ON"]``, blocks as ``[{...}]``), both for HCL and for plan
JSON.  What the checks need on top of that:

* ``unwrap`` / ``is_unresolved``: mfaguard.policy.values's, the one list unwrapper and the one
  detector of values nobody can know before apply (re-exported here).
* ``lookup(conf, key)`` / ``block(conf, key)``: the value or first block, or ``ABSENT``, or an
  ``Unknown`` explaining why nobody can know it yet (unresolved ``var.x`` / ``${...}`` /
  resource reference, an unresolvable conditional, a ``dynamic`` block Checkov could not
  render, a value a plan only knows after apply).  A ``dynamic`` block over a literal empty
  collection generates no block (ABSENT); one Checkov rendered is read like a plain block.
* ``is_plan(conf)``: the conf came from ``terraform show -json`` (Checkov's plan runner).
  In a plan Terraform writes every attribute it knows, defaults included; an attribute of the
  schema that is missing was unknown after apply (``after_unknown``), not unset.
* ``apply_metadata(check, check_id)``: severity, benchmarks (controls) and guideline from
  ``mfaguard.catalogue``, so ``checkov --check HIGH`` works and the catalogue stays the one
  place that states them.

Findings explain themselves through Checkov's ``check.details`` (a list of strings shown
under the finding).  A check that decides a resource is outside its control's scope
(Security Hub's NOT_APPLICABLE) returns UNKNOWN, as Checkov's own checks do, with a detail
starting with ``NOT_APPLICABLE`` so reports can tell it from "cannot decide".
"""
from __future__ import annotations

from typing import Any

from mfaguard.catalogue import CheckMeta, check as catalogue_check
from mfaguard.policy.decision import UNSET, Unknown  # noqa: F401  (re-exported: cs.Unknown)
# The one unresolved-value detector and list unwrapper (re-exported for the checks).
from mfaguard.policy.values import TRUE_AFTER_UNKNOWN, flatten, is_unresolved, unwrap, unwrap_lists  # noqa: F401

NOT_APPLICABLE = "not applicable: "
UNKNOWN_PREFIX = "cannot decide: "

# Keys Checkov's plan parser adds to every resource that has a resource_changes entry.
_PLAN_MARKERS = ("__change_actions__", "__change_keys__")

# The engine's own markers (mfaguard.policy.decision), so a check hands its values to the
# engine as they are: Unknown(reason) for a value nobody can know yet, ABSENT (the engine's
# UNSET) for an attribute the configuration does not set.
ABSENT: Any = UNSET
_Absent = type(UNSET)


def is_plan(conf: dict[str, Any]) -> bool:
    return any(marker in conf for marker in _PLAN_MARKERS)


def _describe(value: Any) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def lookup(
    conf: dict[str, Any],
    key: str,
    *,
    plan_always_known: bool = True,
    plan: bool | None = None,
    label: str | None = None,
) -> Any:
    """A scalar attribute: its value, ABSENT, or Unknown.

    In a plan, a missing attribute is Unknown when `plan_always_known` (the provider always
    writes it, e.g. because it has a default or is required); otherwise ABSENT.  Nested
    blocks carry no plan marker: pass `plan=is_plan(resource_conf)` for them, and a `label`
    such as "block.key" for the messages.
    """
    in_plan = is_plan(conf) if plan is None else plan
    label = label or key
    if key not in conf:
        if in_plan and plan_always_known:
            return Unknown(f"{label} is only known after apply")
        return ABSENT
    value = unwrap(conf[key])
    if isinstance(value, list) and not value:
        return ABSENT
    if value is None:  # `= null`, or a plan's known null: the provider default applies
        return ABSENT
    if is_unresolved(value):
        return Unknown(f"{label} = {_describe(value)} cannot be resolved before apply")
    return value


def string_list(conf: dict[str, Any], key: str) -> Any:
    """A list of strings (Checkov nests them unpredictably): list, ABSENT or Unknown."""
    if key not in conf:
        return ABSENT
    flat = flatten(conf[key])
    for item in flat:
        if not isinstance(item, str) or is_unresolved(item):
            return Unknown(f"{key} = {_describe(item)} cannot be resolved before apply")
    return flat


_NO_BLOCK: Any = object()  # a dynamic block over an empty collection: Terraform generates none


def _is_empty_collection(value: Any) -> bool:
    """A literal `for_each = []` / `{}`: Checkov hands the parsed literal over wrapped ([[]], [{}]).

    An expression Checkov evaluated to empty arrives unwrapped ([]); it may rest on a list
    variable without a value, which Checkov replaces by [] (its placeholder), so it is not
    taken as "no block"."""
    return value in ([[]], [{}])


def _dynamic_for(conf: dict[str, Any], key: str) -> Any:
    """What a `dynamic "key"` block of this resource generates.

    Checkov renders a dynamic block whose for_each it can evaluate into the body it generates,
    in place: conf["dynamic"] == [{key: {<attributes>}}] for one element, [{key: [{...}, ...]}]
    for several (checkov.terraform.graph_builder.variable_rendering.renderer,
    _process_dynamic_blocks).  A for_each it cannot evaluate, or an empty one (which it skips),
    stays as {"for_each": ..., "content": ...}.  Returns the first generated block (a dict),
    _NO_BLOCK for a literal empty collection, an Unknown for anything else, or None when the
    resource has no dynamic block named `key`.
    """
    dynamics = conf.get("dynamic")
    if not isinstance(dynamics, list):
        return None
    for entry in dynamics:
        if not isinstance(entry, dict) or key not in entry:
            continue
        body = entry[key]
        if isinstance(body, list):  # several generated blocks
            body = next((b for b in body if isinstance(b, dict)), None)
            return body if body is not None else _NO_BLOCK
        if isinstance(body, dict) and ("for_each" in body or "content" in body):
            for_each = body.get("for_each")
            if _is_empty_collection(for_each):
                return _NO_BLOCK
            return Unknown(
                f'dynamic "{key}" block iterates over {_describe(unwrap(for_each))}, '
                "which cannot be resolved before apply"
            )
        if isinstance(body, dict):  # one generated block
            return body
    return None


def block(conf: dict[str, Any], key: str, *, plan_always_known: bool = True) -> Any:
    """The first nested block `key` as a dict, ABSENT, or Unknown."""
    dynamic = _dynamic_for(conf, key)
    if dynamic is _NO_BLOCK:
        return ABSENT
    if dynamic is not None:
        return dynamic
    if key not in conf:
        if is_plan(conf) and plan_always_known:
            return Unknown(f"{key} is only known after apply")
        return ABSENT
    value = unwrap_lists(conf[key])
    if isinstance(value, list):
        if not value:
            return ABSENT
        value = value[0]
    if isinstance(value, dict):
        return value
    if value is None:
        return ABSENT
    if isinstance(value, str) and (is_unresolved(value) or value == TRUE_AFTER_UNKNOWN):
        return Unknown(f"{key} = {_describe(value)} cannot be resolved before apply")
    return Unknown(f"{key} has an unexpected shape: {_describe(value)}")


def as_bool(value: Any, name: str) -> Any:
    """True/False from a known value, ABSENT passes through, anything else Unknown."""
    if isinstance(value, (Unknown, _Absent)):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return Unknown(f"{name} = {_describe(value)} is not a boolean Checkov could resolve")


def apply_metadata(check: Any, meta: CheckMeta) -> None:
    """Severity, controls and guideline from the catalogue onto a registered Checkov check."""
    from checkov.common.bridgecrew.severities import Severities

    check.severity = Severities[meta.severity]
    check.benchmarks = {framework: list(ids) for framework, ids in meta.controls.items()}
    check.guideline = meta.guideline


def init_kwargs(check_id: str) -> dict[str, Any]:
    """Keyword arguments for BaseResourceCheck.__init__ taken from the catalogue."""
    from checkov.common.models.enums import CheckCategories

    meta = catalogue_check(check_id)
    return {
        "name": meta.name,
        "id": meta.id,
        "categories": [CheckCategories.IAM],
        "supported_resources": list(meta.resources),
        "guideline": meta.guideline,
    }


def fix_hint(meta: CheckMeta) -> str:
    """The catalogue's remediation, for the last line of a finding's details."""
    return f"fix: {meta.remediation}"
