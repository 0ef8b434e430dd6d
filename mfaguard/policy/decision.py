"""The verdict the engine's resource rules return, and the two kinds of missing value.

    Decision(verdict, reason, keys, fix)   verdict: PASSED | FAILED | UNKNOWN | NOT_APPLICABLE
    UNSET                                  the configuration says nothing: the documented default applies
    Unknown(reason)                        a value nobody can know yet (unresolved, after apply, not read)

Adapters (Checkov checks, drift) translate their own "absent" / "unknown" into these before
asking a rule (mfaguard.policy.cognito, mfaguard.policy.org_features), and render the Decision:
a check as a Checkov result with details, drift as a finding.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PASSED, FAILED, UNKNOWN, NOT_APPLICABLE = "PASSED", "FAILED", "UNKNOWN", "NOT_APPLICABLE"


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Unknown:
    """A value nobody can know yet; `reason` is one user-facing phrase."""

    reason: str

    def __bool__(self) -> bool:
        return False


@dataclass(frozen=True)
class Decision:
    verdict: str
    reason: str = ""  # what was found (empty when PASSED)
    keys: tuple[str, ...] = ()  # the Terraform attributes the verdict rests on ("block.attribute")
    fix: str = ""  # the concrete change, when it says more than the check's remediation

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED
