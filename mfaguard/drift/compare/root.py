"""The root user in the live account: IAM.9 (an MFA device) and IAM.6 (a hardware one).

Root is not in a plan; only the live state decides.  A root without sign-in credentials passes
both, as AWS Config judges it; with --org, a member account whose organisation manages root
credentials centrally (RootCredentialsManagement) and whose root has none is "not applicable"
(a note with that reason), and one whose root still has credentials is a finding of its own:
enabling the feature does not delete existing credentials.  IAM.6 fails while any virtual device
is assigned to root (the reader classifies devices by their user ARN), even beside a hardware key.
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
    who = f"Root user of account {ctx.account}"
    if not root.has_credentials:
        # no password, keys or certificates, on evidence: passes IAM.9 and IAM.6 (AWS Config)
        if root.centrally_managed and root.mfa_active is not True:
            ctx.note(f"{who}: IAM.9 and IAM.6 not applicable — the organisation manages member-account root "
                     "credentials centrally (RootCredentialsManagement) and this root has no password, access "
                     "keys, signing certificates or MFA devices")
        for control in ("IAM.9", "IAM.6"):  # evaluated and passing: only ASFF carries these
            ctx.passed(control, address=None, arn=arn, id=ctx.account, region=None, actual="no root credentials",
                       message=f"{who}: no sign-in credentials (password, access keys, signing certificates)")
        return
    creds = [w for w, flag in (("a password", root.password_present), ("access keys", root.access_keys_present),
                               ("signing certificates", root.signing_certificates_present)) if flag]
    if root.centrally_managed and creds:
        ctx.add("IAM.9", "noncompliant", address=None, arn=arn, id=ctx.account, region=None,
                expected="no root credentials (managed centrally by the organisation)",
                actual="root has " + ", ".join(creds),
                message=f"{who}: still has {', '.join(creds)} although the organisation manages root "
                        "credentials centrally (RootCredentialsManagement) — enabling the feature does not "
                        "delete existing credentials; delete them from the management account (IAM console > "
                        "Root access management > the account > Delete root user credentials)")
    evidence = ("root has sign-in credentials" if creds
                else "the account gives no evidence that root has no credentials (failing closed)")
    if root.mfa_active is not True:
        actual = "no MFA" if root.mfa_active is False else "MFA status unknown"
        ctx.add("IAM.9", "noncompliant", address=None, arn=arn, id=ctx.account, region=None,
                expected="MFA device", actual=actual,
                message=f"{who}: {actual}, {evidence} — {CONTROLS['IAM.9'].remediation}")
        ctx.add("IAM.6", "noncompliant", address=None, arn=arn, id=ctx.account, region=None,
                expected="hardware MFA device", actual=actual,
                message=f"{who}: {actual}, so no hardware MFA — {CONTROLS['IAM.6'].remediation}")
        return
    ctx.passed("IAM.9", address=None, arn=arn, id=ctx.account, region=None, actual="MFA device",
               message=f"{who}: has an MFA device")
    if root.mfa_virtual is not False:
        _virtual(ctx, root, arn, who)
    else:
        ctx.passed("IAM.6", address=None, arn=arn, id=ctx.account, region=None, actual="hardware MFA device",
                   message=f"{who}: has a hardware MFA device, and no virtual one")


def _virtual(ctx: Context, root, arn: str | None, who: str) -> None:
    if root.mfa_virtual:
        serials = ", ".join(root.virtual_mfa_serials) or "?"
        actual = "virtual MFA device"
        message = (f"{who}: virtual MFA device {serials} (a phone app) is assigned to root — IAM.6 fails while "
                   "any virtual device is assigned, even beside a hardware or FIDO key; deactivate it — "
                   f"{CONTROLS['IAM.6'].remediation}")
    else:
        actual = "MFA device of unknown kind"
        message = f"{who}: {actual}, not shown to be hardware — {CONTROLS['IAM.6'].remediation}"
    ctx.add("IAM.6", "noncompliant", address=None, arn=arn, id=ctx.account, region=None,
            expected="hardware MFA device", actual=actual, message=message)
