"""The root user in the live account: IAM.9 (an MFA device) and IAM.6 (a hardware one).

Root is not in a plan; only the live state decides.  A root without sign-in credentials (centrally
managed by AWS Organizations) passes both, as AWS Config judges it.
"""
from __future__ import annotations

from mfaguard.catalogue import CONTROLS
from mfaguard.drift.compare.context import Context


def compare_root(ctx: Context) -> None:
    root = ctx.l.root
    if root is None or "root" in ctx.l.unread:
        ctx.note("root user: not read (see errors): IAM.9 and IAM.6 not decided")
        return
    arn = root.arn or (f"arn:{ctx.partition}:iam::{ctx.account}:root" if ctx.account else None)
    ident = ctx.account
    if not root.has_credentials:
        return  # centrally managed root without credentials: passes IAM.9 and IAM.6 (AWS Config)
    evidence = ("root has sign-in credentials" if any(
        (root.password_present, root.access_keys_present, root.signing_certificates_present))
        else "the account gives no evidence that root has no credentials (failing closed)")
    fix9 = CONTROLS["IAM.9"].remediation
    if root.mfa_active is not True:
        actual = "no MFA" if root.mfa_active is False else "MFA status unknown"
        ctx.add("IAM.9", "noncompliant", address=None, arn=arn, id=ident, region=None,
                expected="MFA device", actual=actual,
                message=f"Root user of account {ctx.account}: {actual}, {evidence} — {fix9}")
        ctx.add("IAM.6", "noncompliant", address=None, arn=arn, id=ident, region=None,
                expected="hardware MFA device", actual=actual,
                message=f"Root user of account {ctx.account}: {actual}, so no hardware MFA — "
                        f"{CONTROLS['IAM.6'].remediation}")
    elif root.mfa_virtual is not False:
        actual = "virtual MFA device" if root.mfa_virtual else "MFA device of unknown kind"
        ctx.add("IAM.6", "noncompliant", address=None, arn=arn, id=ident, region=None,
                expected="hardware MFA device", actual=actual,
                message=f"Root user of account {ctx.account}: "
                        f"{actual + ' (a phone app)' if root.mfa_virtual else actual}, not hardware — "
                        f"{CONTROLS['IAM.6'].remediation}")
