"""The read-only AWS permissions `mfaguard drift` needs: declared once, each with why.

The live reader (mfaguard.drift.live) names these actions in its errors; the README, the
docs and `python -m mfaguard.drift.permissions` print them from here.  Everything is
read-only except iam:GenerateCredentialReport, which only asks IAM to (re)build the
account's credential report.

    python -m mfaguard.drift.permissions                 # Markdown table
    python -m mfaguard.drift.permissions --policy        # the reader's IAM policy (JSON): one account,
                                                         # or the role in each member account (--org)
    python -m mfaguard.drift.permissions --org-policy    # the --org caller's extra policy (management
                                                         # account or delegated administrator)
    python -m mfaguard.drift.permissions --trust ACCOUNT # the member role's trust policy

`--org` actions are marked "--org only": the caller (management account or delegated
administrator) needs them besides the reader's, the role in each member account does not.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass


ORG_ONLY = "--org only"


@dataclass(frozen=True)
class Permission:
    action: str
    why: str
    when: str = "always"

    @property
    def org_only(self) -> bool:
        return self.when.startswith(ORG_ONLY)


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
        "tells a root virtual MFA device (fails IAM.6) from a hardware one; with --recheck-flagged, which users "
        "still have the virtual device the credential report counted (one list, not one call per user)",
    ),
    Permission(
        "iam:GetAccountAuthorizationDetails",
        "users, groups, memberships, attached and inline policies with their documents, paginated "
        "(whether an MFA-enforcing deny reaches each user)",
    ),
    Permission(
        "iam:ListMFADevices",
        "re-reads, live, the MFA devices of a user the (up to 4 hours old) credential report flags, of a user "
        "whose virtual device is no longer listed, or of a user created after the report; one call per such "
        "user, never per user",
        "--recheck-flagged, or users newer than the report",
    ),
    Permission(
        "iam:GetLoginProfile",
        "whether a user has a console password: a user created after the credential report, or one the report "
        "flags (no MFA, or a password/key the plan does not give it)",
        "--recheck-flagged, or users newer than the report",
    ),
    Permission(
        "iam:ListAccessKeys",
        "whether a user has active access keys: a user created after the credential report, or one the report "
        "flags",
        "--recheck-flagged, or users newer than the report",
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
    Permission("organizations:DescribeOrganization",
               "the organisation's id and its management account (SCPs and central root access apply to "
               "member accounts only)", f"{ORG_ONLY} (caller)"),
    Permission("organizations:ListAccounts", "every account of the organisation with its State (paginated)",
               f"{ORG_ONLY} (caller)"),
    Permission("iam:ListOrganizationsFeatures",
               "whether the organisation manages member-account root credentials centrally "
               "(RootCredentialsManagement: IAM.9/IAM.6 not applicable to a member root without credentials); only the "
               "management account or IAM's delegated administrator may call it, so a single-account run cannot",
               f"{ORG_ONLY} (caller)"),
    Permission("sts:AssumeRole", "assumes --role-name in each member account (session name mfaguard-drift), "
               "through the regional STS endpoint", f"{ORG_ONLY} (caller, on the member role)"),
    Permission("organizations:ListRoots", "the organisation root, where the walk of the OU tree starts",
               f"{ORG_ONLY} (caller; whole organisation)"),
    Permission("organizations:ListOrganizationalUnitsForParent", "the OU tree with OU names, top-down",
               f"{ORG_ONLY} (caller; whole organisation)"),
    Permission("organizations:ListAccountsForParent", "which OU each account sits in (pages of 20 accounts)",
               f"{ORG_ONLY} (caller; whole organisation)"),
    Permission("organizations:ListPolicies", "the organisation's SCPs", f"{ORG_ONLY} (caller; whole organisation)"),
    Permission("organizations:ListTargetsForPolicy",
               "where each SCP is attached: accounts, OUs, the root (an MFA-enforcing SCP covers the IAM users of "
               "member accounts)", f"{ORG_ONLY} (caller; whole organisation)"),
    Permission("organizations:ListParents", "the OUs above each account, up to the root (cached per OU)",
               f"{ORG_ONLY} (caller; with --accounts, or if the walk is denied)"),
    Permission("organizations:ListPoliciesForTarget",
               "the SCPs attached to each account, its OUs and the root",
               f"{ORG_ONLY} (caller; with --accounts, or if the walk is denied)"),
    Permission("organizations:DescribeOrganizationalUnit", "OU names for the messages (the id is kept without it)",
               f"{ORG_ONLY} (caller; with --accounts, or if the walk is denied)"),
    Permission("organizations:DescribePolicy", "each SCP's document, once per SCP", f"{ORG_ONLY} (caller)"),
)

# sts:GetCallerIdentity needs no permission (AWS always allows it); it gives the account ID
# and partition used to recognise the root user's ARN exactly.
UNGATED = ("sts:GetCallerIdentity",)

ACTIONS: tuple[str, ...] = tuple(p.action for p in PERMISSIONS if not p.org_only)  # the reader, one account
ORG_ACTIONS: tuple[str, ...] = tuple(p.action for p in PERMISSIONS if p.org_only)  # the --org caller, besides
_BY_ACTION = {p.action: p for p in PERMISSIONS}


def why(action: str) -> str:
    return _BY_ACTION[action].why


def policy_document() -> dict:
    """The least-privilege identity policy for the reader: one account, or the role mfaguard
    assumes in each member account with --org."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "MfaguardDriftReadOnly", "Effect": "Allow", "Action": list(ACTIONS), "Resource": "*"}
        ],
    }


def org_policy_document(role_name: str = "MfaguardAudit") -> dict:
    """What the --org caller needs besides policy_document() (for its own account)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "MfaguardOrgRead", "Effect": "Allow",
             "Action": [a for a in ORG_ACTIONS if a != "sts:AssumeRole"], "Resource": "*"},
            {"Sid": "MfaguardAssumeMemberRole", "Effect": "Allow", "Action": "sts:AssumeRole",
             "Resource": f"arn:aws:iam::*:role/{role_name}"},
        ],
    }


def trust_policy(account: str = "<MANAGEMENT_ACCOUNT_ID>", external_id: str | None = None) -> dict:
    """The member role's trust policy: the caller's account may assume it (optionally with an external ID)."""
    statement: dict = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                       "Action": "sts:AssumeRole"}
    if external_id:
        statement["Condition"] = {"StringEquals": {"sts:ExternalId": external_id}}
    return {"Version": "2012-10-17", "Statement": [statement]}


def member_role_markdown() -> str:
    """README block: the read-only role to deploy in every member account (from the table above)."""
    return "\n".join([
        "Role name: your choice (pass it as `--role-name`), for example `MfaguardAudit`, deployed in every member "
        "account (a CloudFormation StackSet or a Terraform module over the accounts). Permissions "
        "(`python -m mfaguard.drift.permissions --policy`):",
        "", "```json", json.dumps(policy_document(), indent=2), "```", "",
        "Trust policy (`python -m mfaguard.drift.permissions --trust <MANAGEMENT_ACCOUNT_ID>`; add an external ID "
        "and pass `--external-id` if you use one):",
        "", "```json", json.dumps(trust_policy(), indent=2), "```", "",
        "The caller (management account or delegated administrator) needs the reader's policy for its own account "
        "plus (`python -m mfaguard.drift.permissions --org-policy`):",
        "", "```json", json.dumps(org_policy_document(), indent=2), "```",
    ])


def markdown_table() -> str:
    lines = ["| action | needed when | why |", "|---|---|---|"]
    lines += [f"| `{p.action}` | {p.when} | {p.why} |" for p in PERMISSIONS]
    return "\n".join(lines)


def help_text() -> str:
    """Plain text for `mfaguard drift --help` (argparse epilog)."""
    return ("read-only AWS permissions needed:\n" + "\n".join(f"  {a}" for a in ACTIONS) +
            "\n--org only (the caller, besides the above):\n" + "\n".join(f"  {a}" for a in ORG_ACTIONS))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "--policy" in argv:
        print(json.dumps(policy_document(), indent=2))
    elif "--org-policy" in argv:
        print(json.dumps(org_policy_document(), indent=2))
    elif "--trust" in argv:
        i = argv.index("--trust")
        print(json.dumps(trust_policy(argv[i + 1] if i + 1 < len(argv) else "<MANAGEMENT_ACCOUNT_ID>"), indent=2))
    else:
        print(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
