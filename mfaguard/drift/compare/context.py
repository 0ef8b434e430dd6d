"""What every domain comparer shares: the two states, the findings and notes, and their wording.

A ``Context`` is built once per ``compare()`` call; root.py, iam.py and cognito.py add findings and
notes to it, and ``finish()`` sorts the findings into the order reports print them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from mfaguard.catalogue import CONTROLS, finding_severity
from mfaguard.drift.model import EVALUATED, AccountState, Finding
from mfaguard.policy.semantics import ACCESS_KEYS, CONSOLE

PATH_WORDS = {CONSOLE: "console sign-in", ACCESS_KEYS: "access keys"}
_KIND_ORDER = {"drift": 0, "missing": 1, "noncompliant": 2, "unmanaged": 3, "pending_destroy": 4}
# Drift whose control still passes live (a device is enrolled, MFA raised by hand): to act on,
# but below a resource that fails the control.
PASSED_DRIFT_SEVERITY = "LOW"


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be decided, and why
    # Every (resource, control) evaluated that needs nothing: kind "evaluated", compliance PASSED.
    evaluated: list[Finding] = field(default_factory=list)

    def __iter__(self):  # a Comparison reads as its list of findings
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


def paths_words(paths: Iterable[str]) -> str:
    return " and ".join(PATH_WORDS.get(p, p) for p in sorted(paths))


class Context:
    """The desired and live states of one account, and the comparison being written."""

    def __init__(self, desired: AccountState, live: AccountState) -> None:
        self.d = desired
        self.l = live
        self.out = Comparison()
        self.account = live.account_id or desired.account_id
        self.partition = live.partition or desired.partition or "aws"
        self.home_region = (live.regions or desired.regions or [None])[0]

    def add(self, control: str, kind: str, *, address, arn, id, region, expected, actual, message,
            compliance: str = "FAILED", severity: str | None = None, check: str | None = None) -> None:
        """``check``: the mfaguard check that judges this finer setting, when not the control's own
        (a failing finding carries its severity: catalogue.SEVERITY_RULE)."""
        self.out.findings.append(Finding(
            control=control, kind=kind, address=address, arn=arn, id=id, region=region,
            expected=expected, actual=actual, message=message,
            # a finding whose control passes live (drift kept in check by an MFA device, an unmanaged
            # user with MFA) ranks below every resource that fails its control
            severity=severity or (PASSED_DRIFT_SEVERITY if compliance == "PASSED" else finding_severity(control, check)),
            compliance=compliance, account_id=self.account,
        ))

    def passed(self, control: str, *, address, arn, id, region, actual, message: str) -> None:
        """A resource and control evaluated that passes: kept apart from the findings, and
        dropped in finish() when a finding of the same resource and control says more."""
        self.out.evaluated.append(Finding(
            control=control, kind=EVALUATED, address=address, arn=arn, id=id, region=region,
            expected=CONTROLS[control].title, actual=actual, severity="INFORMATIONAL", message=message,
            compliance="PASSED", account_id=self.account,
        ))

    def note(self, text: str) -> None:
        if text not in self.out.notes:
            self.out.notes.append(text)

    def finish(self) -> Comparison:
        order = {c: i for i, c in enumerate(CONTROLS)}
        self.out.findings.sort(key=lambda f: (_KIND_ORDER.get(f.kind, 9), order.get(f.control, 99), f.region or "",
                                              f.id or f.arn or f.address or ""))
        said = {evaluation_key(f) for f in self.out.findings}
        seen: set = set()
        kept = []
        for f in self.out.evaluated:
            key = evaluation_key(f)
            if key not in said and key not in seen:
                seen.add(key)
                kept.append(f)
        kept.sort(key=lambda f: (order.get(f.control, 99), f.region or "", f.id or f.arn or ""))
        self.out.evaluated = kept
        return self.out


def evaluation_key(f: Finding) -> tuple:
    """(control, resource): one evaluation per resource and control, as ASFF merges them."""
    group = ":group/" in (f.arn or "") or "aws_iam_group." in (f.address or "")
    return (f.control, group, f.arn or (f"{f.region}:{f.id}" if f.region and f.id else None) or f.id or f.address)
