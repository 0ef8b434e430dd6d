"""Between Checkov and the engine: the engine's Decision out as Checkov's result.

(mfaguard.checks_support reads Checkov's values into the engine's own markers, Unknown and
ABSENT = mfaguard.policy.decision.UNSET, so a model is built from them directly.)

    render(check, meta, decision)
                        a policy.decision.Decision as Checkov's result, its reason and fix as
                        the finding's details ("not applicable: ..." / "cannot decide: ..." for
                        the two kinds of UNKNOWN, as mfaguard.checks_support documents)
    DecisionCheck       base class of a check that builds a model from the resource conf
                        (`model`) and asks one engine rule (`rule`); metadata from the catalogue

Imported only by checks (it imports Checkov).
"""
from __future__ import annotations

from typing import Any, Callable

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mfaguard import checks_support as cs
from mfaguard.catalogue import CheckMeta
from mfaguard.policy import decision as d


def _checkov_key(key: str) -> str:
    """"user_pool_add_ons.advanced_security_mode" -> "user_pool_add_ons/[0]/advanced_security_mode"."""
    return "/[0]/".join(key.split("."))


_RESULTS = {d.PASSED: CheckResult.PASSED, d.FAILED: CheckResult.FAILED,
            d.UNKNOWN: CheckResult.UNKNOWN, d.NOT_APPLICABLE: CheckResult.UNKNOWN}
_PREFIX = {d.NOT_APPLICABLE: cs.NOT_APPLICABLE, d.UNKNOWN: cs.UNKNOWN_PREFIX}


def render(check: BaseResourceCheck, meta: CheckMeta, decision: d.Decision) -> CheckResult:
    check.evaluated_keys = [_checkov_key(k) for k in decision.keys]
    if decision.reason:
        check.details.append(_PREFIX.get(decision.verdict, "") + decision.reason)
    if decision.fix and decision.verdict != d.PASSED:
        check.details.append(f"fix: {decision.fix}")
    elif decision.verdict == d.FAILED:
        check.details.append(cs.fix_hint(meta))
    return _RESULTS[decision.verdict]


class DecisionCheck(BaseResourceCheck):
    """Subclasses set META (catalogue entry), `model` (conf -> engine model) and `rule` (model -> Decision)."""

    META: CheckMeta
    model: Callable[[dict[str, Any]], Any]
    rule: Callable[[Any], d.Decision]

    def __init__(self) -> None:
        super().__init__(**cs.init_kwargs(self.META.id))
        cs.apply_metadata(self, self.META)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        cls = type(self)
        return render(self, self.META, cls.rule(cls.model(conf)))
