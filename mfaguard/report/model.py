"""The neutral finding model the reviewer formats render (markdown, github, rdjsonl).

An Item is one thing a reviewer must look at: a FAILED check or drift finding, or an UNKNOWN
(with its reason).  Passed checks are only counted.  Both `scan` and `drift` build a Report.
"""
from __future__ import annotations

from dataclasses import dataclass, field

FAILED = "FAILED"
UNKNOWN = "UNKNOWN"
NOTICE = "NOTICE"  # drift only: a finding whose resource still complies (e.g. unmanaged but with MFA)
SEVERITY_ORDER = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3, "INFO": 4}


@dataclass
class Item:
    status: str  # FAILED | UNKNOWN | NOTICE
    check_id: str  # CKV_MFA_1 ... or a drift control (IAM.5 ...)
    title: str  # the check's or control's name
    severity: str
    resource: str  # Terraform address (or ARN / id for drift)
    reason: str  # one line: what is wrong, or why it cannot be decided
    file: str | None = None  # path relative to the working directory, "/" separated
    start_line: int | None = None
    end_line: int | None = None
    fix_intro: str | None = None  # one line saying what the fix does
    fix: str | None = None  # HCL (or text) to add or change
    not_applicable: bool = False  # UNKNOWN because out of the control's scope
    kind: str | None = None  # drift: drift | unmanaged | missing | noncompliant
    region: str | None = None  # drift
    framework: str | None = None  # scan: "terraform" (HCL) | "terraform_plan"
    help_url: str | None = None
    user: str | None = None  # IAM user name when the item is about one (the coverage picture)
    caller: str | None = None  # scan: "path:first-last" of the root's module call that created it

    @property
    def location(self) -> str:
        if not self.file:
            return ""
        if self.start_line and self.end_line and self.end_line != self.start_line:
            return f"{self.file}:{self.start_line}-{self.end_line}"
        return f"{self.file}:{self.start_line}" if self.start_line else self.file

    def sort_key(self) -> tuple:
        return ({FAILED: 0, UNKNOWN: 1}.get(self.status, 2), SEVERITY_ORDER.get(self.severity, 9), self.file or "",
                self.start_line or 0, self.check_id, self.resource)


@dataclass
class Report:
    command: str  # "scan" | "drift"
    items: list[Item] = field(default_factory=list)
    passed: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)  # bad input / AWS access, one line each
    notes: list[str] = field(default_factory=list)
    context: str = ""  # one line: what was scanned / which account
    incomplete: bool = False  # drift: AWS access failed, results partial
    unknown_fails: bool = False
    graph: str | None = None  # a Mermaid picture to embed (markdown), already bounded

    @property
    def failed(self) -> list[Item]:
        return [i for i in self.items if i.status == FAILED]

    @property
    def unknown(self) -> list[Item]:
        return [i for i in self.items if i.status == UNKNOWN]

    @property
    def notices(self) -> list[Item]:
        return [i for i in self.items if i.status == NOTICE]

    @property
    def undecided(self) -> list[Item]:
        return [i for i in self.unknown if not i.not_applicable]

    def sorted_items(self) -> list[Item]:
        return sorted(self.items, key=Item.sort_key)

    def verdict(self) -> str:
        """The one-line verdict every format starts with."""
        failed = self.failed
        sev: dict[str, int] = {}
        for item in failed:
            sev[item.severity] = sev.get(item.severity, 0) + 1
        by_sev = ", ".join(f"{n} {s}" for s, n in sorted(sev.items(), key=lambda kv: SEVERITY_ORDER.get(kv[0], 9)))
        unknown = len(self.undecided)
        na = len(self.unknown) - unknown
        tail = f"{unknown} undecided (UNKNOWN)"
        if self.command == "scan":
            tail += f", {self.passed} passed"
        if na:
            tail += f", {na} not applicable"
        if self.notices:
            tail += f", {len(self.notices)} other finding(s) on compliant resources"
        if self.errors:
            head = "FAIL" if failed else "ERROR"
            return (f"{head}: mfaguard {self.command}: {len(failed)} failed"
                    + (f" ({by_sev})" if by_sev else "") + f", {tail}; {len(self.errors)} error(s): "
                    + ("results are partial" if self.incomplete else "some inputs could not be read"))
        if failed:
            return f"FAIL: mfaguard {self.command}: {len(failed)} failed ({by_sev}), {tail}"
        if unknown and self.unknown_fails:
            return f"FAIL: mfaguard {self.command}: nothing failed, but {tail} (--unknown-fails)"
        if self.notices:
            return f"FINDINGS: mfaguard {self.command}: nothing failed, {tail}"
        return f"PASS: mfaguard {self.command}: nothing failed, {tail}"
