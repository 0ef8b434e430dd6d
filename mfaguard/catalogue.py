"""The one place where every check's and every control's metadata lives.

Checks (``checks/*.py``), the drift module, the report writers and the README's check
table all read from here; nothing else states a severity, a control mapping or a
remediation.  This module is pure data and imports nothing heavy: the drift CLI and a
pre-commit hook both pay for its import.

``python -m mfaguard.catalogue`` prints the README table; ``make readme`` (mfaguard.docs)
rewrites it in README.md and regenerates docs/checks.md.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

SEVERITIES = ("LOW", "MEDIUM", "HIGH", "CRITICAL")

# Framework keys are versioned: CIS numbering moves between benchmark versions
# (console-user MFA is 1.10 in CIS AWS Foundations 3.0.0 and 1.9 in 5.0.0).
SECURITY_HUB = "AWS Security Hub FSBP"
CIS_3 = "CIS AWS Foundations Benchmark v3.0.0"
CIS_5 = "CIS AWS Foundations Benchmark v5.0.0"
PCI_4 = "PCI DSS v4.0.1"

DOCS_BASE = "https://github.com/mfaguard/mfaguard/blob/main/docs/checks.md"


@dataclass(frozen=True)
class Control:
    """A control mfaguard speaks for (Security Hub ID), used by drift findings.

    ``severity`` is Security Hub's own rating of the control; ``check`` names the mfaguard check
    that judges the same setting before deploy, whose severity drift findings carry (see
    SEVERITY_RULE and ``finding_severity``)."""

    id: str
    title: str
    severity: str
    frameworks: Mapping[str, tuple[str, ...]]
    remediation: str
    check: str | None = None


@dataclass(frozen=True)
class CheckMeta:
    id: str
    name: str  # describes the passing case
    kind: str  # "python" | "graph"
    resources: tuple[str, ...]
    severity: str
    controls: Mapping[str, tuple[str, ...]]
    remediation: str  # one line
    fix_hcl: str  # the HCL to add or change
    passes_when: str
    guideline: str = field(default="")

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.id}: severity {self.severity!r} not in {SEVERITIES}")
        if not self.guideline:
            object.__setattr__(self, "guideline", f"{DOCS_BASE}#{self.id.lower()}")

    @property
    def security_hub_controls(self) -> tuple[str, ...]:
        return self.controls.get(SECURITY_HUB, ())


CONTROLS: dict[str, Control] = {
    c.id: c
    for c in (
        Control(
            "IAM.9", "MFA should be enabled for the root user", "CRITICAL",
            {SECURITY_HUB: ("IAM.9",), CIS_3: ("1.5",), CIS_5: ("1.4",), PCI_4: ("8.4.2",)},
            "Sign in as root and assign an MFA device (IAM console > Security credentials > Assign MFA device), "
            "or remove root's password and access keys (centralized root access).",
        ),
        Control(
            "IAM.6", "Hardware MFA should be enabled for the root user", "CRITICAL",
            {SECURITY_HUB: ("IAM.6",), CIS_3: ("1.6",), CIS_5: ("1.5",), PCI_4: ("8.4.2",)},
            "Give the root user a hardware MFA device (FIDO security key or hardware TOTP token), in place of any "
            "virtual (phone app) device.",
        ),
        Control(
            "IAM.5", "MFA should be enabled for all IAM users that have a console password", "MEDIUM",
            {SECURITY_HUB: ("IAM.5",), CIS_3: ("1.10",), CIS_5: ("1.9",), PCI_4: ("8.4.2",)},
            "Enrol an MFA device for the user and put the user in a group whose policy denies everything "
            "without MFA (BoolIfExists aws:MultiFactorAuthPresent = false).",
            check="CKV2_MFA_1",
        ),
        Control(
            "IAM.19", "MFA should be enabled for all IAM users", "MEDIUM",
            {SECURITY_HUB: ("IAM.19",), PCI_4: ("8.4.2", "8.5.1")},
            "Enrol an MFA device for every IAM user, access-key-only users included, and enforce it with a "
            "Deny ... BoolIfExists aws:MultiFactorAuthPresent = false policy.",
            check="CKV2_MFA_2",
        ),
        Control(
            "Cognito.5", "MFA should be enabled for Cognito user pools", "MEDIUM",
            {SECURITY_HUB: ("Cognito.5",), PCI_4: ("8.4.2",)},
            "Set the user pool's MFA configuration to ON (required) with a TOTP (software token) factor.",
            check="CKV_MFA_1",
        ),
        Control(
            "Cognito.1", "Cognito user pools should have threat protection activated with full function "
            "enforcement mode for standard authentication", "MEDIUM",
            {SECURITY_HUB: ("Cognito.1",)},
            "Put the user pool on the Plus feature plan and set its advanced security (threat protection) mode "
            "to ENFORCED.",
            check="CKV_MFA_3",
        ),
        Control(
            "Cognito.4", "Cognito user pools should have threat protection activated with full function "
            "enforcement mode for custom authentication", "MEDIUM",
            {SECURITY_HUB: ("Cognito.4",)},
            "Put the user pool on the Plus feature plan and set threat protection for custom authentication "
            "(AdvancedSecurityAdditionalFlows.CustomAuthMode) to ENFORCED.",
            check="CKV_MFA_5",
        ),
    )
}

_POLICY_SNIPPET = '''data "aws_iam_policy_document" "enforce_mfa" {
  statement {
    sid    = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = [
      "iam:CreateVirtualMFADevice",
      "iam:EnableMFADevice",
      "iam:GetUser",
      "iam:GetMFADevice",
      "iam:ListMFADevices",
      "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",
      "iam:ChangePassword",
      "iam:GetAccountPasswordPolicy",
      "sts:GetSessionToken",
    ]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}'''

CHECKS: dict[str, CheckMeta] = {
    m.id: m
    for m in (
        CheckMeta(
            id="CKV_MFA_1",
            name="Cognito user pool requires MFA (mfa_configuration = ON)",
            kind="python",
            resources=("aws_cognito_user_pool",),
            severity="HIGH",
            controls={SECURITY_HUB: ("Cognito.5",), PCI_4: ("8.4.2",)},
            remediation='Set mfa_configuration = "ON" with software_token_mfa_configuration { enabled = true }: '
                        "OFF, OPTIONAL or no setting lets a user sign in with a password alone.",
            fix_hcl='resource "aws_cognito_user_pool" "this" {\n'
                    '  mfa_configuration = "ON"\n'
                    "  software_token_mfa_configuration {\n"
                    "    enabled = true\n"
                    "  }\n"
                    "}",
            passes_when='`mfa_configuration = "ON"` (Cognito.5 scope; absent means OFF, OPTIONAL fails)',
        ),
        CheckMeta(
            id="CKV_MFA_2",
            name="Cognito user pool that requires MFA offers TOTP, not SMS or email alone",
            kind="python",
            resources=("aws_cognito_user_pool",),
            severity="MEDIUM",
            controls={SECURITY_HUB: ("Cognito.5",), PCI_4: ("8.4.2",)},
            remediation="Enable software_token_mfa_configuration: SMS and email codes can be intercepted "
                        "(SIM swap, mailbox takeover).",
            fix_hcl="  software_token_mfa_configuration {\n"
                    "    enabled = true\n"
                    "  }",
            passes_when="a pool that requires MFA has `software_token_mfa_configuration { enabled = true }`",
        ),
        CheckMeta(
            id="CKV_MFA_3",
            name="Cognito user pool threat protection is in full-function (ENFORCED) mode",
            kind="python",
            resources=("aws_cognito_user_pool",),
            severity="MEDIUM",
            controls={SECURITY_HUB: ("Cognito.1",)},
            remediation='Set user_pool_tier = "PLUS" and user_pool_add_ons { advanced_security_mode = "ENFORCED" } '
                        "so risky sign-ins are blocked or challenged, not only logged (AUDIT); threat protection "
                        "is a Plus feature.",
            fix_hcl='  user_pool_tier = "PLUS"\n\n'
                    "  user_pool_add_ons {\n"
                    '    advanced_security_mode = "ENFORCED"\n'
                    "  }",
            passes_when='`user_pool_add_ons.advanced_security_mode = "ENFORCED"` on `user_pool_tier = "PLUS"` '
                        "(Cognito.1)",
        ),
        CheckMeta(
            id="CKV_MFA_4",
            name="IAM policy that denies on aws:MultiFactorAuthPresent really enforces MFA",
            kind="python",
            resources=("aws_iam_policy", "aws_iam_group_policy", "aws_iam_user_policy",
                       "data.aws_iam_policy_document", "aws_organizations_policy"),
            severity="HIGH",
            controls={SECURITY_HUB: ("IAM.5", "IAM.19"), CIS_3: ("1.10",), CIS_5: ("1.9",)},
            remediation="Deny NotAction (MFA enrolment actions only) on Resource * with "
                        'BoolIfExists {"aws:MultiFactorAuthPresent": "false"}: it covers console and access keys.',
            fix_hcl=_POLICY_SNIPPET,
            passes_when="a document that denies on missing MFA (`aws:MultiFactorAuthPresent`, or Null / "
                        "IfExists on `aws:MultiFactorAuthAge`) enforces MFA on console and access keys without "
                        "locking users out of enrolment, or is a targeted requirement (a Deny of named actions "
                        "only, which never counts as coverage); `aws_organizations_policy` documents are judged "
                        "when `type` is SERVICE_CONTROL_POLICY (the default)",
        ),
        CheckMeta(
            id="CKV_MFA_5",
            name="Cognito user pool threat protection is in full-function (ENFORCED) mode for custom authentication",
            kind="python",
            resources=("aws_cognito_user_pool",),
            severity="MEDIUM",
            controls={SECURITY_HUB: ("Cognito.4",)},
            remediation='Set user_pool_tier = "PLUS" and user_pool_add_ons { advanced_security_additional_flows '
                        '{ custom_auth_mode = "ENFORCED" } } so risky custom-authentication (Lambda challenge) '
                        "sign-ins are blocked or challenged; the default is AUDIT (logged only).",
            fix_hcl='  user_pool_tier = "PLUS"\n\n'
                    "  user_pool_add_ons {\n"
                    '    advanced_security_mode = "ENFORCED"\n'
                    "    advanced_security_additional_flows {\n"
                    '      custom_auth_mode = "ENFORCED"\n'
                    "    }\n"
                    "  }",
            passes_when='`user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode = "ENFORCED"` '
                        'on `user_pool_tier = "PLUS"` (Cognito.4; the default is AUDIT)',
        ),
        CheckMeta(
            id="CKV_MFA_6",
            name="AWS Organizations manages member accounts' root credentials centrally",
            kind="python",
            resources=("aws_iam_organizations_features",),
            severity="HIGH",
            controls={SECURITY_HUB: ("IAM.9", "IAM.6"), CIS_3: ("1.5", "1.6"), CIS_5: ("1.4", "1.5")},
            remediation='Include "RootCredentialsManagement" in enabled_features, then delete the member accounts\' '
                        "existing root credentials (enabling the feature deletes none); add \"RootSessions\" so the "
                        "few tasks that need root run as short sessions from the management account.",
            fix_hcl='resource "aws_iam_organizations_features" "this" {\n'
                    "  enabled_features = [\n"
                    '    "RootCredentialsManagement",\n'
                    '    "RootSessions",\n'
                    "  ]\n"
                    "}",
            passes_when="`enabled_features` includes `RootCredentialsManagement` (IAM.9/IAM.6 evidence for member "
                        "accounts whose root has no credentials)",
        ),
        CheckMeta(
            id="CKV2_MFA_1",
            name="IAM user with a console password is reached by an MFA-enforcing Deny",
            kind="graph",
            resources=("aws_iam_user",),
            severity="HIGH",
            controls={SECURITY_HUB: ("IAM.5",), CIS_3: ("1.10",), CIS_5: ("1.9",), PCI_4: ("8.4.2",)},
            remediation="Put the user in a group that already enforces MFA, or attach the enforcement policy "
                        "to the user.",
            fix_hcl=_POLICY_SNIPPET + '\n\nresource "aws_iam_user_policy" "enforce_mfa" {\n'
                    "  user   = aws_iam_user.USER.name\n"
                    "  policy = data.aws_iam_policy_document.enforce_mfa.json\n"
                    "}",
            passes_when="an MFA-enforcing deny reaches the user and covers console sign-in (IAM.5)",
        ),
        CheckMeta(
            id="CKV2_MFA_2",
            name="Every IAM user, access-key users included, is reached by an MFA-enforcing Deny",
            kind="graph",
            resources=("aws_iam_user",),
            severity="MEDIUM",
            controls={SECURITY_HUB: ("IAM.19",), PCI_4: ("8.4.2", "8.5.1")},
            remediation="Put the user in a group that already enforces MFA (BoolIfExists, so access keys are "
                        "covered too), or attach the enforcement policy to the user.",
            fix_hcl=_POLICY_SNIPPET + '\n\nresource "aws_iam_user_policy" "enforce_mfa" {\n'
                    "  user   = aws_iam_user.USER.name\n"
                    "  policy = data.aws_iam_policy_document.enforce_mfa.json\n"
                    "}",
            passes_when="an MFA-enforcing deny reaches the user and covers every way it can sign in (IAM.19)",
        ),
        CheckMeta(
            id="CKV2_MFA_3",
            name="IAM group with console members has an MFA-enforcing policy",
            kind="graph",
            resources=("aws_iam_group",),
            severity="HIGH",
            controls={SECURITY_HUB: ("IAM.5",), CIS_3: ("1.10",), CIS_5: ("1.9",)},
            remediation="Attach the MFA enforcement policy to the group (inline or managed).",
            fix_hcl=_POLICY_SNIPPET + '\n\nresource "aws_iam_group_policy" "enforce_mfa" {\n'
                    "  group  = aws_iam_group.GROUP.name\n"
                    "  policy = data.aws_iam_policy_document.enforce_mfa.json\n"
                    "}",
            passes_when="a group with members who have console access has an MFA-enforcing policy "
                        "(inline or attached) that reaches every console member (a per-user exemption, e.g. "
                        "aws:username break-glass, fails and names the member)",
        ),
    )
}

CHECK_ID_RE = re.compile(r"^CKV2?_MFA_[1-9][0-9]*$")

SEVERITY_RULE = (
    "One setting, one severity: a scan finding carries its check's severity, and a drift finding carries the "
    "severity of the mfaguard check that judges the same setting before deploy (the control's *judged by* "
    "check below, or a finer one the drift comparer names, e.g. CKV_MFA_2 for a pool whose TOTP factor was "
    "turned off), so a weakened pool or user reads alike in `mfaguard scan` and `mfaguard drift`. Controls "
    "no check judges (the root user's IAM.9 and IAM.6) keep Security Hub's severity. Security Hub's own "
    "rating of each control is listed below as *Security Hub severity*; ASFF findings carry mfaguard's "
    "severity, and `Compliance.SecurityControlId` names the control whose rating Security Hub shows."
)


def finding_severity(control: str, check_id: str | None = None) -> str:
    """The severity of a drift finding on ``control``: that of ``check_id`` when the comparer names
    the check that judges the finer setting, else of the control's check, else Security Hub's."""
    ctl = CONTROLS[control]
    chosen = check_id or ctl.check
    return CHECKS[chosen].severity if chosen else ctl.severity


def _validate_controls() -> None:
    for ctl in CONTROLS.values():
        if ctl.severity not in SEVERITIES:
            raise ValueError(f"{ctl.id}: severity {ctl.severity!r} not in {SEVERITIES}")
        if ctl.check and ctl.id not in CHECKS[ctl.check].security_hub_controls:
            raise ValueError(f"{ctl.id}: its check {ctl.check} does not map to it")


_validate_controls()


def check(check_id: str) -> CheckMeta:
    return CHECKS[check_id]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table() -> str:
    rows = [
        "| id | severity | resource | passes when | controls | remediation |",
        "|---|---|---|---|---|---|",
    ]
    for meta in CHECKS.values():
        controls = "; ".join(f"{fw}: {', '.join(ids)}" for fw, ids in meta.controls.items())
        rows.append(
            f"| {meta.id} | {meta.severity} | {', '.join(f'`{r}`' for r in meta.resources)} | "
            f"{_cell(meta.passes_when)} | {_cell(controls)} | {_cell(meta.remediation)} |"
        )
    return "\n".join(rows)


START, END = "<!-- checks:start -->", "<!-- checks:end -->"  # README markers (see mfaguard.docs)


def render_docs() -> str:
    """docs/checks.md: one section per check, anchored by its lower-case id (the guideline URL)."""
    out = [
        "# mfaguard checks",
        "",
        "Generated from `mfaguard/catalogue.py` by `make readme`; do not edit by hand.",
        "",
        "**Severity.** " + SEVERITY_RULE,
        "",
    ]
    for meta in CHECKS.values():
        out += [
            f'<a id="{meta.id.lower()}"></a>',
            f"## {meta.id}: {meta.name}",
            "",
            f"- **Kind**: {meta.kind} check on {', '.join(f'`{r}`' for r in meta.resources)}",
            f"- **Severity**: {meta.severity}",
            f"- **Passes when**: {meta.passes_when}",
        ]
        out += [f"- **{fw}**: {', '.join(ids)}" for fw, ids in meta.controls.items()]
        out += [f"- **Remediation**: {meta.remediation}", "", "```hcl", meta.fix_hcl, "```", ""]
    out += ["# Controls (drift findings)", ""]
    for control in CONTROLS.values():
        out += [f"## {control.id}: {control.title}", "",
                f"- **Severity of mfaguard's drift findings**: {finding_severity(control.id)}"
                + (f" (judged by [{control.check}](#{control.check.lower()}))" if control.check else
                   " (no mfaguard check judges it: Security Hub's severity)"),
                f"- **Security Hub severity**: {control.severity}"]
        out += [f"- **{fw}**: {', '.join(ids)}" for fw, ids in control.frameworks.items()]
        out += [f"- **Remediation**: {control.remediation}", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    print(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
