"""One data model for the four drift stages.

    desired.py  plan/state JSON  -> AccountState (what Terraform says)
    live.py     boto3            -> AccountState (what the account is)
    compare/    (desired, live)  -> list[Finding]     pure, no boto3
    report.py   findings         -> table/json/sarif/junitxml/asff

Both readers fill the same classes, so compare/ works on literal inputs in tests.
`None` always means "not known" (unknown after apply, not readable), never "false".
The IAM principals (users, groups, policies, attachments, boundaries) are the engine's neutral
model (mfaguard.policy.model, re-exported here): an AccountState is a Principals, so the engine
(mfaguard.policy.coverage) decides over the desired and the live state alike.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mfaguard.policy.model import (  # noqa: F401  (re-exported: the drift stages build these)
    Attachment, Dangling, Group, InlinePolicy, ManagedPolicy, Principals, User,
)


@dataclass
class UserPool:
    name: str
    region: str | None = None
    id: str | None = None
    arn: str | None = None
    address: str | None = None
    mfa_configuration: str | None = None  # "ON" | "OPTIONAL" | "OFF" | None (unknown)
    software_token_enabled: bool | None = None
    sms_enabled: bool | None = None
    email_enabled: bool | None = None
    advanced_security_mode: str | None = None  # "ENFORCED" | "AUDIT" | "OFF" | None
    # UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode (Cognito.4): "ENFORCED" | "AUDIT"
    custom_auth_mode: str | None = None
    tier: str | None = None  # UserPoolTier / user_pool_tier: "LITE" | "ESSENTIALS" | "PLUS" | None
    # SignInPolicy.AllowedFirstAuthFactors (e.g. ["PASSWORD"]); None = not known / not set.
    # Cognito.5 (AWS Config cognito-user-pool-mfa-enabled) judges only PASSWORD-only pools.
    allowed_first_auth_factors: list[str] | None = None


@dataclass
class Root:
    arn: str | None = None
    mfa_active: bool | None = None
    # True: a virtual device is assigned to root (fails IAM.6, even beside a hardware or FIDO
    # device); False: the device list was read and none is; None: not known.
    mfa_virtual: bool | None = None
    virtual_mfa_serials: list[str] = field(default_factory=list)  # root's virtual devices, by User.Arn
    # --org only: True when the organisation manages member-account root credentials centrally
    # (iam:ListOrganizationsFeatures lists RootCredentialsManagement) and this is a member
    # account; False when it does not or this is the management account; None: not known.
    centrally_managed: bool | None = None
    # Evidence of root sign-in credentials; None = the account gave no evidence (fail closed).
    password_present: bool | None = None
    access_keys_present: bool | None = None
    signing_certificates_present: bool | None = None

    @property
    def has_credentials(self) -> bool:
        """Fail closed: root has credentials unless the account proves it has none."""
        flags = (self.password_present, self.access_keys_present, self.signing_certificates_present)
        return not all(flag is False for flag in flags)


@dataclass
class AccountState(Principals):
    # users and groups by name; policies by ARN (desired: ARN, or address before apply)
    pools: list[UserPool] = field(default_factory=list)
    root: Root | None = None  # live side only
    regions: list[str] = field(default_factory=list)
    credential_report_generated: str | None = None  # ISO 8601, live side only
    # Set when a stage could not read something: each names the missing permission.
    errors: list[str] = field(default_factory=list)
    # Live side only: parts that could not be read (their facts are unknown, not empty):
    # "iam-details" (users/groups/policies), "credential-report", "root", "cognito:<region>".
    unread: list[str] = field(default_factory=list)
    # --org only: service control policies that reach this account (on it, its OUs, the root).
    scps: list["ScpAttachment"] = field(default_factory=list)
    # Live side only: users whose credentials/MFA were re-read live after the credential report
    # (created after it, or flagged by it with recheck_flagged=True).
    live_checked_users: list[str] = field(default_factory=list)
    # Desired side only (a plan): what the plan is about to destroy (resource_changes actions
    # ["delete"]): live, these are "pending destroy", not "created outside Terraform".
    pending_destroy_users: list[User] = field(default_factory=list)
    pending_destroy_pools: list[UserPool] = field(default_factory=list)
    # Desired side only: login profiles / access keys whose user the plan cannot resolve: a
    # credential found live on a user cannot then be called "added outside Terraform".
    unresolved_credentials: list[str] = field(default_factory=list)
    # Desired side only: `data "aws_iam_policy"` documents as read at plan time, by ARN (address
    # on the ManagedPolicy): compared with the live default version.
    read_policies: dict[str, ManagedPolicy] = field(default_factory=dict)


@dataclass
class ScpAttachment:
    """A service control policy and where it is attached (the account, an OU, or the root)."""

    policy_id: str
    name: str
    target: str  # e.g. "OU Workloads (ou-ab12-cdef3456)", "the organisation root (r-ab12)"
    document: dict[str, Any] | None = None  # None: could not be read


# Kinds that need action (every format shows them), then "evaluated": a resource and control
# that was evaluated and needs nothing (compliance PASSED).  Evaluations travel in
# Comparison.evaluated, apart from the findings: only ASFF (and JSON with --include-passed) carry
# them, so a re-import turns a fixed Security Hub finding PASSED.
KINDS = ("drift", "unmanaged", "missing", "noncompliant", "pending_destroy")
EVALUATED = "evaluated"


@dataclass
class Finding:
    control: str  # IAM.5 | IAM.6 | IAM.9 | IAM.19 | Cognito.5 | Cognito.1 | Cognito.4
    kind: str  # one of KINDS
    address: str | None
    arn: str | None
    id: str | None
    region: str | None
    expected: Any
    actual: Any
    severity: str
    message: str  # one line: what, where, expected vs actual, what to do
    # Compliance of the resource with the control, live: FAILED, PASSED (e.g. an unmanaged
    # user that has MFA: reported because it is unmanaged) or UNKNOWN.
    compliance: str = "FAILED"
    account_id: str | None = None  # the AWS account the resource lives in

    def to_dict(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "control": self.control,
            "kind": self.kind,
            "address": self.address,
            "arn": self.arn,
            "id": self.id,
            "region": self.region,
            "expected": self.expected,
            "actual": self.actual,
            "severity": self.severity,
            "message": self.message,
            "compliance": self.compliance,
        }
