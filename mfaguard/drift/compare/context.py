"""What every domain comparer shares: the two states, the findings and notes, and their wording.

A ``Context`` is built once per ``compare()`` call; root.py, iam.py and cognito.py add findings and
notes to it, and ``finish()`` sorts the findings into the order reports print them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from mfaguard.catalogue import CONTROLS
from mfaguard.drift.model import AccountState, Finding
from mfaguard.policy.semantics import ACCESS_KEYS, CONSOLE

PATH_WORDS = {CONSOLE: "console sign-in", ACCESS_KEYS: "access keys"}
_KIND_ORDER = {"drift": 0, "missing": 1, "noncompliant": 2, "unmanaged": 3}


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be decided, and why

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
            compliance: str = "FAILED") -> None:
        self.out.findings.append(Finding(
            control=control, kind=kind, address=address, arn=arn, id=id, region=region,
            expected=expected, actual=actual, severity=CONTROLS[control].severity, message=message,
            compliance=compliance, account_id=self.account,
        ))

    def note(self, text: str) -> None:
        if text not in self.out.notes:
            self.out.notes.append(text)

    def finish(self) -> Comparison:
        order = {c: i for i, c in enumerate(CONTROLS)}
        self.out.findings.sort(key=lambda f: (_KIND_ORDER.get(f.kind, 9), order.get(f.control, 99), f.region or "",
                                              f.id or f.arn or f.address or ""))
        return self.out
