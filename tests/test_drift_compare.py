"""drift.compare on literal AccountStates: one test (at least) per finding kind and control."""
from __future__ import annotations

import json

import pytest

from mfaguard.drift.compare import compare
from mfaguard.drift.model import AccountState, Group, InlinePolicy, ManagedPolicy, Root, User, UserPool

ACCT = "111122223333"
NOT_ACTIONS = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
               "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]


def deny_without_mfa(operator: str = "BoolIfExists") -> dict:
    return {"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "NotAction": NOT_ACTIONS, "Resource": "*",
        "Condition": {operator: {"aws:MultiFactorAuthPresent": "false"}}}]}


READ_ONLY = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
POLICY_ARN = f"arn:aws:iam::{ACCT}:policy/enforce-mfa"


def hardware_root() -> Root:
    return Root(arn=f"arn:aws:iam::{ACCT}:root", mfa_active=True, mfa_virtual=False,
                password_present=True, access_keys_present=False, signing_certificates_present=False)


def live_state(**kw) -> AccountState:
    kw.setdefault("root", hardware_root())
    kw.setdefault("regions", ["us-east-1", "eu-west-1"])
    return AccountState(account_id=ACCT, credential_report_generated="2026-11-27T20:00:00Z", **kw)


def admins_plan(user_kw=None, document=None) -> AccountState:
    """alice (console) in group admins, which has the enforce-mfa managed policy (by address)."""
    return AccountState(
        users={"alice": User(name="alice", address="aws_iam_user.alice", console=True, groups=["admins"],
                             **(user_kw or {}))},
        groups={"admins": Group(name="admins", address="aws_iam_group.admins",
                                attached_policy_arns=["aws_iam_policy.enforce_mfa"])},
        policies={"aws_iam_policy.enforce_mfa": ManagedPolicy(
            name="enforce-mfa", address="aws_iam_policy.enforce_mfa",
            document=document if document is not None else deny_without_mfa())},
        regions=["us-east-1"],
    )


def admins_live(*, member=True, attached=True, document=None, mfa=True, console=True, keys=False):
    doc = document if document is not None else deny_without_mfa()
    return live_state(
        users={"alice": User(name="alice", arn=f"arn:aws:iam::{ACCT}:user/alice", id="AIDAALICE",
                             console=console, access_keys=keys, mfa_active=mfa,
                             groups=["admins"] if member else [])},
        groups={"admins": Group(name="admins", arn=f"arn:aws:iam::{ACCT}:group/admins",
                                attached_policy_arns=[POLICY_ARN] if attached else [])},
        policies={POLICY_ARN: ManagedPolicy(name="enforce-mfa", arn=POLICY_ARN, document=doc)},
    )


def keyed(findings):
    return {(f.kind, f.control, f.id) for f in findings}


# ------------------------------------------------------------------------- no drift


def test_live_matching_the_plan_gives_no_findings():
    result = compare(admins_plan(), admins_live())
    assert result.findings == []


# ------------------------------------------------------------------------- drift: IAM


def test_user_removed_from_enforcing_group_is_drift_naming_the_group():
    result = compare(admins_plan({"access_keys": True}), admins_live(member=False, keys=True))
    assert keyed(result.findings) == {("drift", "IAM.5", "alice"), ("drift", "IAM.19", "alice")}
    for f in result.findings:
        assert f.address == "aws_iam_user.alice"
        assert "removed from group admins" in f.message
        assert f.actual == "no MFA enforcement"
        assert "terraform apply" in f.message


def test_console_only_user_removed_from_bool_group_drifts_on_iam5_only():
    plan = admins_plan(document=deny_without_mfa("Bool"))  # console-only enforcement in the plan
    live = admins_live(member=False, document=deny_without_mfa("Bool"))
    result = compare(plan, live)
    assert keyed(result.findings) == {("drift", "IAM.5", "alice")}


def test_enforcing_policy_detached_from_group_is_drift_for_group_and_members():
    result = compare(admins_plan(), admins_live(attached=False))
    kinds = keyed(result.findings)
    assert ("drift", "IAM.5", "admins") in kinds  # the group itself
    assert ("drift", "IAM.5", "alice") in kinds  # and the console member it no longer covers
    group = next(f for f in result.findings if f.id == "admins")
    assert "policy enforce-mfa detached from the group" in group.message
    assert group.address == "aws_iam_group.admins"


def test_policy_document_weakened_live_to_console_only_drifts_on_access_keys():
    live = admins_live(document=deny_without_mfa("Bool"), keys=True)
    result = compare(admins_plan({"access_keys": True}), live)
    # the user, the group, and the policy the plan owns (its live default version changed)
    assert keyed(result.findings) == {("drift", "IAM.19", "alice"), ("drift", "IAM.19", "admins"),
                                      ("drift", "IAM.19", "enforce-mfa")}
    msg = next(f for f in result.findings if f.id == "alice").message
    assert "changed live and no longer enforces MFA" in msg
    assert "access keys" in msg


def test_unknown_desired_document_is_not_drift():
    plan = admins_plan()
    plan.policies["aws_iam_policy.enforce_mfa"].document = None  # unknown until apply
    result = compare(plan, admins_live(attached=False, member=False))
    assert [f for f in result.findings if f.kind == "drift"] == []


def test_unreadable_live_document_is_a_note_not_drift_nor_pass():
    live = admins_live()
    live.policies[POLICY_ARN].document = None
    result = compare(admins_plan(), live)
    assert [f for f in result.findings if f.kind == "drift"] == []
    assert any("could not be decided" in n for n in result.notes)


def test_inline_group_policy_removed_live_is_drift():
    plan = admins_plan()
    plan.groups["admins"].attached_policy_arns = []
    plan.groups["admins"].inline_policies = [InlinePolicy(name="mfa", document=deny_without_mfa())]
    live = admins_live(attached=False)
    result = compare(plan, live)
    assert ("drift", "IAM.5", "alice") in keyed(result.findings)
    assert "inline policy mfa removed from group admins" in next(
        f for f in result.findings if f.id == "alice").message


def test_aws_managed_policies_without_documents_count_as_not_enforcing():
    plan = admins_plan()
    live = admins_live()
    live.users["alice"].attached_policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
    assert compare(plan, live).findings == []


# ------------------------------------------------------------------------- noncompliant: IAM.5 / IAM.19


@pytest.mark.parametrize("console,keys,expected", [
    (True, False, {"IAM.5", "IAM.19"}),
    (False, True, {"IAM.19"}),  # IAM.5 is only for users with a console password
    (False, False, {"IAM.19"}),  # IAM.19 is for every user
])
def test_managed_user_without_mfa_is_noncompliant(console, keys, expected):
    plan = admins_plan()
    live = admins_live(mfa=False, console=console, keys=keys)
    result = compare(plan, live)
    assert {f.control for f in result.findings if f.kind == "noncompliant"} == expected
    f = next(f for f in result.findings if f.control == "IAM.19")
    assert f.address == "aws_iam_user.alice" and f.compliance == "FAILED" and f.severity == "MEDIUM"
    assert "no MFA device" in f.message


def test_unknown_mfa_status_is_a_note_not_a_pass():
    live = admins_live(mfa=None)
    result = compare(admins_plan(), live)
    assert result.findings == []
    assert any("MFA status unknown" in n for n in result.notes)


# ------------------------------------------------------------------------- missing / unmanaged users


def test_planned_user_absent_live_is_missing():
    plan = admins_plan()
    live = admins_live()
    del live.users["alice"]
    result = compare(plan, live)
    assert keyed(result.findings) == {("missing", "IAM.5", "alice")}
    assert result.findings[0].address == "aws_iam_user.alice"


def test_user_only_referenced_by_the_plan_is_not_missing():
    plan = admins_plan()
    plan.users["contractor"] = User(name="contractor", groups=["admins"])  # membership only, no aws_iam_user
    result = compare(plan, admins_live())
    assert result.findings == []


def test_nothing_missing_when_iam_could_not_be_read():
    live = live_state(unread=["iam-details"], errors=["AWS access failure: missing permission "
                                                      "iam:GetAccountAuthorizationDetails: AccessDenied"])
    result = compare(admins_plan(), live)
    assert [f for f in result.findings if f.kind in ("missing", "unmanaged")] == []


def test_live_user_absent_from_plan_is_unmanaged_with_its_compliance():
    live = admins_live()
    live.users["intern"] = User(name="intern", arn=f"arn:aws:iam::{ACCT}:user/intern", console=True,
                                access_keys=False, mfa_active=False)
    live.users["auditor"] = User(name="auditor", arn=f"arn:aws:iam::{ACCT}:user/auditor", console=True,
                                 access_keys=False, mfa_active=True)
    result = compare(admins_plan(), live)
    assert keyed(result.findings) == {("unmanaged", "IAM.5", "intern"), ("unmanaged", "IAM.19", "intern"),
                                      ("unmanaged", "IAM.19", "auditor")}
    auditor = next(f for f in result.findings if f.id == "auditor")
    assert auditor.compliance == "PASSED" and "not in the plan" in auditor.message
    assert all(f.compliance == "FAILED" for f in result.findings if f.id == "intern")


def test_users_are_matched_by_unique_id_before_name():
    plan = admins_plan(user_kw={"id": "AIDAALICE"})
    live = admins_live()
    live.users = {"alice-renamed": live.users["alice"]}
    live.users["alice-renamed"].name = "alice-renamed"
    live.users["alice-renamed"].arn = f"arn:aws:iam::{ACCT}:user/alice-renamed"
    result = compare(plan, live)
    assert [f for f in result.findings if f.kind in ("missing", "unmanaged")] == []


# ------------------------------------------------------------------------- root: IAM.9 / IAM.6


def root_case(**kw) -> set:
    live = live_state(root=Root(arn=f"arn:aws:iam::{ACCT}:root", **kw))
    return {f.control for f in compare(AccountState(), live).findings}


def test_root_without_mfa_fails_iam9_and_iam6():
    live = live_state(root=Root(arn=f"arn:aws:iam::{ACCT}:root", mfa_active=False, password_present=True))
    result = compare(AccountState(), live)
    assert keyed(result.findings) == {("noncompliant", "IAM.9", ACCT), ("noncompliant", "IAM.6", ACCT)}
    assert all(f.severity == "CRITICAL" and f.arn == f"arn:aws:iam::{ACCT}:root" for f in result.findings)


def test_root_with_virtual_mfa_fails_iam6_only():
    assert root_case(mfa_active=True, mfa_virtual=True, password_present=True) == {"IAM.6"}


def test_root_with_hardware_mfa_passes():
    assert root_case(mfa_active=True, mfa_virtual=False, password_present=True) == set()


def test_root_without_credentials_on_evidence_passes_both():
    assert root_case(mfa_active=False, password_present=False, access_keys_present=False,
                     signing_certificates_present=False) == set()


def test_root_without_evidence_fails_closed():
    assert root_case(mfa_active=False, password_present=False, access_keys_present=None,
                     signing_certificates_present=False) == {"IAM.9", "IAM.6"}


def test_unread_root_is_a_note():
    live = live_state(root=None, unread=["root"])
    result = compare(AccountState(), live)
    assert result.findings == [] and any("root user: not read" in n for n in result.notes)


# ------------------------------------------------------------------------- pools: Cognito.5 / Cognito.1


def pool(**kw) -> UserPool:
    base = dict(name="customers", region="us-east-1", mfa_configuration="ON", software_token_enabled=True,
                advanced_security_mode="ENFORCED")
    base.update(kw)
    return UserPool(**base)


def pool_case(desired: UserPool | None, live: UserPool | None, **live_kw):
    plan = AccountState(pools=[desired] if desired else [], regions=["us-east-1"])
    return compare(plan, live_state(pools=[live] if live else [], **live_kw))


def test_pool_mfa_weakened_is_drift_with_the_expected_message():
    result = pool_case(pool(address="aws_cognito_user_pool.customers"),
                       pool(id="us-east-1_AbC123", mfa_configuration="OPTIONAL"))
    assert keyed(result.findings) == {("drift", "Cognito.5", "us-east-1_AbC123")}
    f = result.findings[0]
    assert (f.expected, f.actual, f.region, f.address) == ("ON", "OPTIONAL", "us-east-1",
                                                           "aws_cognito_user_pool.customers")
    assert f.message.startswith("Cognito user pool customers (us-east-1_AbC123, us-east-1")
    assert "MFA is OPTIONAL live, the plan says ON" in f.message
    assert "set-user-pool-mfa-config" in f.message


def test_pool_totp_switched_off_is_drift():
    result = pool_case(pool(address="a.b"), pool(id="us-east-1_X", software_token_enabled=False))
    assert keyed(result.findings) == {("drift", "Cognito.5", "us-east-1_X")}
    assert "TOTP" in result.findings[0].message


def test_pool_threat_protection_weakened_is_drift_cognito1():
    result = pool_case(pool(address="a.b"), pool(id="us-east-1_X", advanced_security_mode="AUDIT"))
    assert keyed(result.findings) == {("drift", "Cognito.1", "us-east-1_X")}


def test_pool_optional_in_plan_and_live_is_noncompliant_not_drift():
    result = pool_case(pool(address="a.b", mfa_configuration="OPTIONAL"),
                       pool(id="us-east-1_X", mfa_configuration="OPTIONAL"))
    assert keyed(result.findings) == {("noncompliant", "Cognito.5", "us-east-1_X")}


def test_pool_audit_in_plan_and_live_is_noncompliant_cognito1():
    result = pool_case(pool(address="a.b", advanced_security_mode="AUDIT"),
                       pool(id="us-east-1_X", advanced_security_mode="AUDIT"))
    assert keyed(result.findings) == {("noncompliant", "Cognito.1", "us-east-1_X")}


def test_pool_unknown_in_plan_is_not_drift():
    result = pool_case(pool(address="a.b", mfa_configuration=None),
                       pool(id="us-east-1_X", mfa_configuration="OPTIONAL"))
    assert keyed(result.findings) == {("noncompliant", "Cognito.5", "us-east-1_X")}


def test_pool_stronger_live_than_planned_is_drift_the_next_apply_would_undo():
    result = pool_case(pool(address="a.b", mfa_configuration="OFF"), pool(id="us-east-1_X"))
    [f] = result.findings
    assert (f.kind, f.control, f.compliance, f.severity) == ("drift", "Cognito.5", "PASSED", "LOW")
    assert (f.expected, f.actual) == ("OFF", "ON") and "next terraform apply would undo" in f.message


def test_cognito5_scope_is_pools_with_password_sign_in():
    passwordless = pool_case(pool(address="a.b", mfa_configuration="OFF"),
                             pool(id="us-east-1_X", mfa_configuration="OFF",
                                  allowed_first_auth_factors=["WEB_AUTHN", "EMAIL_OTP"]))
    assert passwordless.findings == []
    mixed = pool_case(pool(address="a.b", mfa_configuration="OFF"),
                      pool(id="us-east-1_X", mfa_configuration="OFF",
                           allowed_first_auth_factors=["PASSWORD", "WEB_AUTHN"]))
    assert keyed(mixed.findings) == {("noncompliant", "Cognito.5", "us-east-1_X")}
    assert "Security Hub's Cognito.5 (PASSWORD-only pools) reports it NOT_APPLICABLE" in mixed.findings[0].message


def test_cognito1_on_a_pool_below_plus_names_the_tier():
    result = pool_case(pool(address="a.b", advanced_security_mode="AUDIT", tier="ESSENTIALS"),
                       pool(id="us-east-1_X", advanced_security_mode="AUDIT", tier="ESSENTIALS",
                            custom_auth_mode="AUDIT"))
    by_control = {f.control: f for f in result.findings}
    assert set(by_control) == {"Cognito.1", "Cognito.4"}
    assert 'also set user_pool_tier = "PLUS"' in by_control["Cognito.1"].message


def test_cognito4_custom_auth_weakened_is_drift_and_audit_is_noncompliant():
    weakened = pool_case(pool(address="a.b", tier="PLUS", custom_auth_mode="ENFORCED"),
                         pool(id="us-east-1_X", tier="PLUS", custom_auth_mode="AUDIT"))
    assert keyed(weakened.findings) == {("drift", "Cognito.4", "us-east-1_X")}
    audit = pool_case(pool(address="a.b", tier="PLUS", custom_auth_mode="AUDIT"),
                      pool(id="us-east-1_X", tier="PLUS", custom_auth_mode="AUDIT"))
    assert keyed(audit.findings) == {("noncompliant", "Cognito.4", "us-east-1_X")}
    assert "custom_auth_mode is AUDIT" in audit.findings[0].message
    enforced = pool_case(pool(address="a.b", tier="PLUS", custom_auth_mode="ENFORCED"),
                         pool(id="us-east-1_X", tier="PLUS", custom_auth_mode="ENFORCED"))
    assert enforced.findings == []


def test_live_tier_not_reported_leaves_threat_protection_undecided():
    result = pool_case(pool(address="a.b", custom_auth_mode="ENFORCED"),
                       pool(id="us-east-1_X", custom_auth_mode="ENFORCED"))
    assert result.findings == []
    assert any("Cognito.1 not decided" in n and "UserPoolTier" in n for n in result.notes)


def test_planned_pool_absent_live_is_missing():
    result = pool_case(pool(address="aws_cognito_user_pool.customers"), None)
    assert keyed(result.findings) == {("missing", "Cognito.5", "customers")}


def test_planned_pool_in_an_unread_region_is_a_note_not_missing():
    result = pool_case(pool(address="a.b", region="eu-west-1"), None, unread=["cognito:eu-west-1"])
    # the note names the reason: denied/failed (see errors) vs not passed
    assert result.findings == [] and any("could not be read live (denied or failed" in n for n in result.notes)
    assert not any("pass --region" in n for n in result.notes)
    result = pool_case(pool(address="a.b", region="ap-south-1"), None)
    assert result.findings == [] and any("not passed" in n and "--region ap-south-1" in n for n in result.notes)


def test_unmanaged_pools_carry_their_own_compliance():
    plan = AccountState(regions=["us-east-1"])
    live = live_state(pools=[pool(name="shadow", id="us-east-1_S", mfa_configuration="OFF"),
                             pool(name="tidy", id="us-east-1_T")])
    result = compare(plan, live)
    assert keyed(result.findings) == {("unmanaged", "Cognito.5", "us-east-1_S"),
                                      ("unmanaged", "Cognito.5", "us-east-1_T")}
    by_id = {f.id: f for f in result.findings}
    assert by_id["us-east-1_S"].compliance == "FAILED"
    assert by_id["us-east-1_T"].compliance == "PASSED"


def test_pools_match_by_id_before_name():
    result = pool_case(pool(address="a.b", id="us-east-1_AbC123", name="old-name"),
                       pool(id="us-east-1_AbC123", name="new-name"))
    assert result.findings == []


def test_findings_are_json_serialisable_with_the_design_schema():
    result = compare(admins_plan(), admins_live(member=False, mfa=False))
    for f in result.findings:
        d = json.loads(json.dumps(f.to_dict()))
        assert set(d) >= {"control", "kind", "address", "arn", "id", "region", "expected", "actual",
                          "severity", "message"}
        assert "\n" not in d["message"]


def test_plan_written_for_another_account_id_matches_policies_by_name():
    other = "arn:aws:iam::999999999999:policy/enforce-mfa"
    plan = admins_plan()
    plan.groups["admins"].attached_policy_arns = [other]
    plan.policies = {other: ManagedPolicy(name="enforce-mfa", arn=other, document=deny_without_mfa())}
    assert compare(plan, admins_live()).findings == []
    assert {f.kind for f in compare(plan, admins_live(attached=False)).findings} == {"drift"}


# ------------------------------------------------------------------------- boundaries, exclusive


def test_a_permissions_boundary_that_enforced_and_is_removed_live_is_drift():
    plan = AccountState(
        users={"alice": User(name="alice", address="aws_iam_user.alice", console=True,
                             permissions_boundary="aws_iam_policy.enforce_mfa")},
        policies={"aws_iam_policy.enforce_mfa": ManagedPolicy(
            name="enforce-mfa", address="aws_iam_policy.enforce_mfa", document=deny_without_mfa())},
    )
    live = admins_live(member=False, attached=False)
    result = compare(plan, live)
    assert ("drift", "IAM.5", "alice") in keyed(result)
    msg = next(f.message for f in result if f.kind == "drift")
    assert "permissions boundary enforce-mfa detached from the user" in msg
    live.users["alice"].permissions_boundary = POLICY_ARN
    assert not [f for f in compare(plan, live) if f.kind == "drift"]


def test_the_exclusive_attachments_plan_compares_like_single_attachments():
    from pathlib import Path

    from mfaguard.drift import desired

    fixture = Path(__file__).resolve().parent.parent / "terraform_fixtures/CKV2_MFA_1/exclusive_attachments"
    plan = desired.load(str(fixture / "tfplan.json"))
    user = plan.users["pass-user-exclusive"]
    assert user.policy_refs() == ["aws_iam_policy.enforce_mfa"]
    assert plan.groups["pass-group-exclusive"].policy_refs() == ["aws_iam_policy.enforce_mfa"]
    live = live_state(users={"pass-user-exclusive": User(
        name="pass-user-exclusive", arn=f"arn:aws:iam::{ACCT}:user/pass-user-exclusive", console=True,
        mfa_active=True)})
    found = [f for f in compare(plan, live) if f.id == "pass-user-exclusive"]
    assert [(f.kind, f.control) for f in found] == [("drift", "IAM.5"), ("drift", "IAM.19")]
    assert "policy enforce-mfa detached from the user" in found[0].message


# ------------------------------------------------------------------------- issue 11: what the plan does not make


def test_a_password_added_by_hand_is_not_called_so_when_a_login_profile_has_an_unknown_user():
    plan = admins_plan()
    plan.users["alice"].console = None  # the plan's login profile for alice could not be resolved
    plan.unresolved_credentials = ["aws_iam_user_login_profile.someone"]
    result = compare(plan, admins_live(mfa=False))
    assert ("drift", "IAM.5", "alice") not in keyed(result.findings)
    assert any("aws_iam_user_login_profile.someone" in n for n in result.notes)


def test_pool_raised_from_off_to_optional_is_drift_and_still_noncompliant():
    result = pool_case(pool(address="a.b", mfa_configuration="OFF"), pool(id="us-east-1_X", mfa_configuration="OPTIONAL"))
    by_kind = {f.kind: f for f in result.findings}
    assert set(by_kind) == {"drift", "noncompliant"}
    assert (by_kind["drift"].compliance, by_kind["drift"].severity) == ("FAILED", "HIGH")  # CKV_MFA_1's severity


def test_passed_evaluations_are_kept_apart_and_never_duplicate_a_finding():
    result = compare(admins_plan(), admins_live(member=False, mfa=True))
    assert {(f.kind, f.control, f.id, f.compliance, f.severity) for f in result.findings} == {
        ("drift", "IAM.5", "alice", "PASSED", "LOW"), ("drift", "IAM.19", "alice", "PASSED", "LOW")}
    evaluated = {(f.control, f.id) for f in result.evaluated}
    assert ("IAM.5", "alice") not in evaluated and ("IAM.19", "alice") not in evaluated
    assert {("IAM.9", ACCT), ("IAM.6", ACCT), ("IAM.5", "admins"), ("IAM.19", "admins"),
            ("IAM.5", "enforce-mfa"), ("IAM.19", "enforce-mfa")} <= evaluated
    assert all(f.kind == "evaluated" and f.compliance == "PASSED" for f in result.evaluated)
