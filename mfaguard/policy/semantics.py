"""MFA-enforcement semantics of one IAM policy document: the core of mfaguard.

INTERFACE (stable; checks/, the graph coverage checks and mfaguard.drift all call it):

    evaluate(document) -> Verdict
        `document` is a parsed policy document (dict), a JSON string, or None.
        Pure: no I/O, no Checkov, no boto3.

    coverage(signin_paths, verdicts) -> Coverage
        Whether the union of the given verdicts forces MFA on every sign-in path in
        `signin_paths` (a subset of {CONSOLE, ACCESS_KEYS}).

Sign-in paths: CONSOLE (password sessions) and ACCESS_KEYS (long-term access keys).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

CONSOLE = "console"
ACCESS_KEYS = "access_keys"
ALL_PATHS = frozenset({CONSOLE, ACCESS_KEYS})


@dataclass(frozen=True)
class Verdict:
    # True when some Deny statement conditions on aws:MultiFactorAuthPresent
    # (the document *tries* to enforce MFA). CKV_MFA_4 judges only such documents.
    attempts: bool = False
    # Sign-in paths on which this document really forces MFA (subset of ALL_PATHS).
    enforced: frozenset = field(default_factory=frozenset)
    # A Deny of (nearly) everything without the enrolment exemptions: users cannot enrol.
    lockout: bool = False
    # One sentence each, user-facing: which path stays open and why, what the hole is.
    problems: tuple = ()
    # Set when the document cannot be judged (unresolved values): the reason.
    unknown: str | None = None


@dataclass(frozen=True)
class Coverage:
    covered: bool
    open_paths: frozenset  # paths in signin_paths that no verdict enforces
    unknown: str | None = None  # set when an unknown verdict could have covered an open path


def evaluate(document: Any) -> Verdict:  # pragma: no cover - replaced by the implementation
    raise NotImplementedError


def coverage(signin_paths: Iterable[str], verdicts: Iterable[Verdict]) -> Coverage:  # pragma: no cover
    raise NotImplementedError
