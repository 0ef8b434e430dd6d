"""`--recheck-flagged`: what the plan expects of each user, and which findings rest on re-read evidence.

    expected_credentials(desired) -> {user name: (console, access keys)}   the plan's users
    mark_rechecked(findings, live)                                          say so in each message

The IAM credential report can be up to 4 hours old.  With --recheck-flagged the live reader
(live.py) re-reads a user the report flags (no MFA, or a password / access key the plan does not
give it) and a user whose MFA device may have been removed since; the findings about those users
are judged on that re-read evidence, and their messages say so.  Pure: no boto3.
"""
from __future__ import annotations

from mfaguard.drift.model import AccountState, Finding
from mfaguard.drift.report import resource_type

NOTE = "judged on evidence re-read live after the credential report of {when}"


def expected_credentials(desired: AccountState) -> dict[str, tuple[bool, bool]]:
    """The plan's users with whether the plan gives them a console password / active access keys."""
    return {name: (u.console is True, u.access_keys is True) for name, u in desired.users.items()}


def mark_rechecked(findings: list[Finding], live: AccountState) -> None:
    """Append to each user finding judged on re-read evidence that it was (in place)."""
    names = set(live.live_checked_users)
    if not names:
        return
    arns = {u.arn for n, u in live.users.items() if n in names and u.arn}
    note = NOTE.format(when=live.credential_report_generated or "(unknown time)")
    for f in findings:
        if (f.id in names and resource_type(f) == "AwsIamUser" and (f.arn is None or f.arn in arns)
                and note not in f.message):
            f.message = f"{f.message} ({note})"
