"""The read-only AWS permissions `mfaguard drift` needs: declared once, each with why.

The live reader (mfaguard.drift.live) names these actions in its errors; the README, the
docs and `python -m mfaguard.drift.permissions` print them from here.  Everything is
read-only except iam:GenerateCredentialReport, which only asks IAM to (re)build the
account's credential report.

    python -m mfaguard.drift.permissions            # Markdown table
    python -m mfaguard.drift.permissions --policy   # an IAM policy document (JSON)
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    action: str
    why: str
    when: str = "always"


PERMISSIONS: tuple[Permission, ...] = (
    Permission(
        "iam:GenerateCredentialReport",
        "starts (or refreshes, when older than 4 hours) the credential report: password, MFA and "
        "access-key status of every user and the root user, in one document",
    ),
    Permission("iam:GetCredentialReport", "downloads that report (IAM.5, IAM.19, IAM.9 evidence)"),
    Permission(
        "iam:GetAccountSummary",
        "live root evidence: AccountMFAEnabled (IAM.9) and whether root has a password, access keys or "
        "signing certificates (a root without any passes IAM.9/IAM.6)",
    ),
    Permission(
        "iam:ListVirtualMFADevices",
        "tells a root virtual MFA device (fails IAM.6) from a hardware one",
    ),
    Permission(
        "iam:GetAccountAuthorizationDetails",
        "users, groups, memberships, attached and inline policies with their documents, paginated "
        "(whether an MFA-enforcing deny reaches each user)",
    ),
    Permission(
        "iam:ListMFADevices",
        "re-checks, live, a user the (up to 4 hours old) credential report flags as having no MFA, or a "
        "user created after the report; one call per such user, never per user",
        "--recheck-flagged, or users newer than the report",
    ),
    Permission(
        "iam:GetLoginProfile",
        "whether a user created after the credential report has a console password",
        "users newer than the report",
    ),
    Permission(
        "iam:ListAccessKeys",
        "whether a user created after the credential report has access keys",
        "users newer than the report",
    ),
    Permission("cognito-idp:ListUserPools", "the user pools of each region read (Cognito.5, Cognito.1, Cognito.4)"),
    Permission(
        "cognito-idp:DescribeUserPool",
        "a pool's MFA setting, sign-in policy, feature plan (UserPoolTier: threat protection needs Plus) and "
        "threat-protection modes (UserPoolAddOns.AdvancedSecurityMode, Cognito.1; "
        "AdvancedSecurityAdditionalFlows.CustomAuthMode, Cognito.4)",
    ),
    Permission(
        "cognito-idp:GetUserPoolMfaConfig",
        "a pool's MFA factors: TOTP (software token), SMS, email (Cognito.5, CKV_MFA_2)",
    ),
)

# sts:GetCallerIdentity needs no permission (AWS always allows it); it gives the account ID
# and partition used to recognise the root user's ARN exactly.
UNGATED = ("sts:GetCallerIdentity",)

ACTIONS: tuple[str, ...] = tuple(p.action for p in PERMISSIONS)
_BY_ACTION = {p.action: p for p in PERMISSIONS}


def why(action: str) -> str:
    return _BY_ACTION[action].why


def policy_document() -> dict:
    """The least-privilege identity policy for the reader."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "MfaguardDriftReadOnly", "Effect": "Allow", "Action": list(ACTIONS), "Resource": "*"}
        ],
    }


def markdown_table() -> str:
    lines = ["| action | needed when | why |", "|---|---|---|"]
    lines += [f"| `{p.action}` | {p.when} | {p.why} |" for p in PERMISSIONS]
    return "\n".join(lines)


def help_text() -> str:
    """Plain text for `mfaguard drift --help` (argparse epilog)."""
    return "read-only AWS permissions needed:\n" + "\n".join(f"  {a}" for a in ACTIONS)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--policy" in argv:
        print(json.dumps(policy_document(), indent=2))
    else:
        print(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
