"""MFA-enforcement semantics: which sign-in paths a policy document really forces MFA on.

Every test asserts the verdict (enforced paths, lock-out, unknown) and the message a user
would read, never just that evaluate() ran.
"""
from __future__ import annotations

import copy
import json
import urllib.parse

import pytest

from mfaguard.policy.semantics import (
    ACCESS_KEYS,
    ALL_PATHS,
    CONSOLE,
    Principal,
    Unresolved,
    Verdict,
    coverage,
    describe_paths,
    evaluate,
    for_principal,
    is_reference,
)

NONE = frozenset()
CONSOLE_ONLY = frozenset({CONSOLE})
KEYS_ONLY = frozenset({ACCESS_KEYS})

# AWS's documented "BlockMostAccessUnlessSignedInWithMFA" / DenyAllExceptListedIfNoMFA statement
# (IAM user guide, "manage own credentials with MFA").
ENROLMENT = [
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
    "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken",
]


def deny(condition=None, *, not_action=None, action=None, resource="*", sid="DenyAllExceptListedIfNoMFA",
         **extra):
    st = {"Sid": sid, "Effect": "Deny"}
    if action is not None:
        st["Action"] = action
    else:
        st["NotAction"] = list(ENROLMENT) if not_action is None else not_action
    if resource is not None:
        st["Resource"] = resource
    st["Condition"] = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}} if condition is None else condition
    st.update(extra)
    return st


def doc(*statements):
    return {"Version": "2012-10-17", "Statement": list(statements)}


# ------------------------------------------------------------------ the three condition forms

def test_boolifexists_enforces_console_and_access_keys():
    v = evaluate(doc(deny()))
    assert v == Verdict(attempts=True, enforced=ALL_PATHS, lockout=False, problems=(), unknown=None)


def test_bool_enforces_console_only_and_names_the_access_key_bypass():
    v = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}})))
    assert v.attempts and v.enforced == CONSOLE_ONLY and not v.lockout and v.unknown is None
    assert any("long-term access keys" in p and "stolen access key bypasses it" in p and "BoolIfExists" in p
               for p in v.problems)
    assert v.problems[-1] == "Open without MFA: access keys."


def test_null_true_protects_neither_path():
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_getsessiontoken.html
    # "No permissions are required for a user to get a session token ... You cannot use policies to
    # control authentication operations": a stolen key gets a session carrying
    # aws:MultiFactorAuthPresent = "false", which Null "true" (key absent) never matches; console
    # sessions without MFA carry "false" too.
    v = evaluate(doc(deny({"Null": {"aws:MultiFactorAuthPresent": "true"}})))
    assert v.enforced == NONE and v.attempts and not v.targeted
    null_problem = [p for p in v.problems if p.startswith('statement "DenyAllExceptListedIfNoMFA": Null')]
    assert null_problem == [
        'statement "DenyAllExceptListedIfNoMFA": Null {aws:MultiFactorAuthPresent: "true"} never matches a console '
        'session without MFA (it carries aws:MultiFactorAuthPresent as "false"), nor the session a stolen access '
        'key gets from sts:GetSessionToken without MFA (also "false"; no policy can deny that call): a stolen '
        'password or access key bypasses it (use BoolIfExists {aws:MultiFactorAuthPresent: "false"}).']
    assert v.problems[-1] == "Open without MFA: console sign-in and access keys."
    assert v.ckv_mfa_4[0] == "broken"


def test_bool_and_null_statements_do_not_add_up_to_access_keys():
    v = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, sid="A"),
                     deny({"Null": {"aws:MultiFactorAuthPresent": "true"}}, sid="B")))
    assert v.enforced == CONSOLE_ONLY and v.problems[-1] == "Open without MFA: access keys."
    # Bool for the console plus Null on the age key (absent on every request without MFA) do.
    both = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, sid="A"),
                        deny({"Null": {"aws:MultiFactorAuthAge": "true"}}, sid="B")))
    assert both.enforced == ALL_PATHS and both.problems == ()


def test_null_false_matches_console_only():
    v = evaluate(doc(deny({"Null": {"aws:MultiFactorAuthPresent": "false"}})))
    # Null "false" = key present: only console sessions carry it, and they carry "false".
    # With MFA the key is present too, so this denies MFA users as well: a blanket deny.
    assert v.enforced == NONE
    assert any("even when MFA is used" in p for p in v.problems)


def test_stringnotequals_true_covers_both_paths():
    # Negated operators are true when the key is absent (IAM docs, condition operators).
    v = evaluate(doc(deny({"StringNotEquals": {"aws:MultiFactorAuthPresent": "true"}})))
    assert v.enforced == ALL_PATHS


def test_stringequals_false_is_console_only():
    v = evaluate(doc(deny({"StringEquals": {"aws:MultiFactorAuthPresent": "false"}})))
    assert v.enforced == CONSOLE_ONLY


def test_set_operator_prefixes():
    any_value = evaluate(doc(deny({"ForAnyValue:StringEquals": {"aws:MultiFactorAuthPresent": "false"}})))
    all_values = evaluate(doc(deny({"ForAllValues:StringEquals": {"aws:MultiFactorAuthPresent": "false"}})))
    assert any_value.enforced == CONSOLE_ONLY  # ForAnyValue on an absent key is false
    assert all_values.enforced == ALL_PATHS     # ForAllValues on an absent key is (vacuously) true


def test_multifactorauthage_ifexists_enforces_and_counts_as_attempt():
    v = evaluate(doc(deny({"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}})))
    assert v.enforced == ALL_PATHS and v.attempts


def test_null_multifactorauthage_true_enforces_both_paths():
    v = evaluate(doc(deny({"Null": {"aws:MultiFactorAuthAge": "true"}})))
    assert v.enforced == ALL_PATHS and v.attempts


# ------------------------------------------------------------------ ANDed conditions

def test_anded_numeric_multifactorauthage_can_never_match_without_mfa():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                           "NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}})))
    assert v.attempts and v.enforced == NONE and not v.targeted
    assert any("NumericGreaterThan {aws:MultiFactorAuthAge: \"3600\"} never matches any request made without MFA"
               in p for p in v.problems)
    assert v.problems[-1] == "Open without MFA: console sign-in and access keys."


def test_anded_source_ip_narrows_the_statement():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                           "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})))
    assert v.enforced == NONE
    assert any("also requires NotIpAddress {aws:SourceIp: \"10.0.0.0/8\"}" in p and "ANDed" in p
               for p in v.problems)


def test_two_keys_under_one_operator_are_anded_too():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false",
                                             "aws:SecureTransport": "true"}})))
    assert v.enforced == NONE


def test_via_aws_service_false_keeps_enforcing():
    # An attacker's own requests always carry aws:ViaAWSService = false.
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false",
                                             "aws:ViaAWSService": "false"}})))
    assert v.enforced == ALL_PATHS


def test_unknown_operator_does_not_enforce():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                           "MadeUpOperator": {"aws:MultiFactorAuthPresent": "false"}})))
    assert v.enforced == NONE


def test_blanket_deny_on_mfa_true_is_not_enforcement():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "true"}})))
    assert v.enforced == NONE and v.attempts
    assert any("even when MFA is used" in p for p in v.problems)


# ------------------------------------------------------------------ Allow, unconditional deny

def test_allow_if_mfa_enforces_nothing():
    v = evaluate(doc({"Effect": "Allow", "Action": "ec2:*", "Resource": "*",
                      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}}))
    assert v.attempts is False and v.enforced == NONE and v.unknown is None
    assert v.problems == ("An Allow that requires MFA is not enforcement: another policy can still allow the "
                          "same actions without MFA. Add a Deny with BoolIfExists aws:MultiFactorAuthPresent "
                          "\"false\".",)


def test_deny_without_mfa_condition_is_not_an_attempt():
    v = evaluate(doc({"Effect": "Deny", "Action": "*", "Resource": "*"}))
    assert v == Verdict()


def test_document_without_statements():
    assert evaluate({"Version": "2012-10-17"}) == Verdict()
    assert evaluate({"Version": "2012-10-17", "Statement": []}) == Verdict()


# ------------------------------------------------------------------ lock-out

def test_deny_everything_is_a_lockout_that_still_enforces():
    v = evaluate(doc(deny(action="*")))
    assert v.enforced == ALL_PATHS and v.lockout
    assert v.problems == (
        'statement "DenyAllExceptListedIfNoMFA" denies iam:CreateVirtualMFADevice and iam:EnableMFADevice '
        "without MFA: users who have no MFA device yet cannot enrol one (lock-out). Exempt the enrolment "
        "actions with NotAction.",)


def test_notaction_missing_enable_mfa_device_is_a_lockout():
    v = evaluate(doc(deny(not_action=["iam:CreateVirtualMFADevice", "sts:GetSessionToken"])))
    assert v.enforced == ALL_PATHS and v.lockout
    assert "denies iam:EnableMFADevice without MFA" in v.problems[0]


def test_second_statement_denying_iam_causes_lockout():
    v = evaluate(doc(deny(sid="A"), deny(action="iam:*", sid="B")))
    assert v.enforced == ALL_PATHS and v.lockout


# ------------------------------------------------------------------ holes in the scope

@pytest.mark.parametrize("pattern, named", [
    ("iam:*", "iam:CreateAccessKey (mint a new access key that outlives the stolen credential), "
              "iam:DeactivateMFADevice (remove the owner's MFA device, then enrol the thief's own), "
              "iam:AttachUserPolicy (attach any managed policy, AdministratorAccess included, to a user) and"),
    ("iam:*MFA*", "iam:DeactivateMFADevice"),
    ("iam:DeactivateMFADevice", "iam:DeactivateMFADevice"),
    ("iam:Create*", "iam:CreateAccessKey"),
    ("iam:Attach*Policy", "iam:AttachUserPolicy (attach any managed policy, AdministratorAccess included, to a "
                          "user), iam:AttachGroupPolicy (attach any managed policy to a group), "
                          "iam:AttachRolePolicy (attach any managed policy to a role)."),
    ("iam:?pdateAccessKey", "iam:UpdateAccessKey"),
    ("iam:CreateLoginProfile", "iam:CreateLoginProfile"),
    ("iam:DetachGroupPolicy", "iam:DetachGroupPolicy"),
    ("sts:*", "sts:AssumeRole (assume a role whose sessions this policy does not reach), "
              "sts:GetFederationToken (mint federated-user credentials this policy does not reach)"),
    ("sts:AssumeRole", "sts:AssumeRole"),
    ("IAM:PASSROLE", "iam:PassRole"),
])
def test_wide_notaction_exemption_is_a_hole_that_names_what_stays_open(pattern, named):
    v = evaluate(doc(deny(not_action=ENROLMENT + [pattern])))
    assert v.enforced == NONE and v.attempts and not v.lockout
    hole = [p for p in v.problems if "NotAction exempts" in p]
    assert len(hole) == 1
    assert hole[0].startswith(f'statement "DenyAllExceptListedIfNoMFA": NotAction exempts {pattern} — without MFA '
                              "a stolen password or access key can still call ")
    assert named in hole[0]


@pytest.mark.parametrize("pattern", ["s3:*", "ec2:RunInstances", "*"])
def test_exempting_another_service_is_a_hole(pattern):
    v = evaluate(doc(deny(not_action=ENROLMENT + [pattern])))
    assert v.enforced == NONE
    assert any(f"NotAction exempts {pattern}" in p for p in v.problems)


@pytest.mark.parametrize("pattern", [
    "iam:List*", "iam:Get*", "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "iam:DeleteVirtualMFADevice",
    "iam:ListUsers", "iam:GetAccountSummary", "sts:GetCallerIdentity", "iam:*VirtualMFADevice",
])
def test_enrolment_and_read_only_exemptions_are_fine(pattern):
    v = evaluate(doc(deny(not_action=ENROLMENT + [pattern])))
    assert v.enforced == ALL_PATHS and v.problems == ()


def test_not_resource_is_a_hole():
    st = deny(resource=None, NotResource=["arn:aws:iam::*:user/${aws:username}"])
    v = evaluate(doc(st))
    assert v.enforced == NONE
    assert any("NotResource exempts arn:aws:iam::*:user/${aws:username}" in p for p in v.problems)


def test_not_resource_limited_to_mfa_devices_is_fine():
    st = deny(resource=None, NotResource="arn:aws:iam::*:mfa/*")
    assert evaluate(doc(st)).enforced == ALL_PATHS


def test_resource_on_own_user_is_self_management_scope_only():
    v = evaluate(doc(deny(resource=["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::*:mfa/${aws:username}"])))
    assert v.enforced == NONE
    assert any("self-management scope, not account-wide enforcement" in p for p in v.problems)


def test_narrower_resource_is_a_hole():
    v = evaluate(doc(deny(resource="arn:aws:s3:::*")))
    assert v.enforced == NONE
    assert any('denies only on arn:aws:s3:::*, not Resource "*"' in p for p in v.problems)


def test_missing_resource_denies_nothing():
    v = evaluate(doc(deny(resource=None)))
    assert v.enforced == NONE
    assert any("has no Resource or NotResource" in p for p in v.problems)


def test_action_list_is_targeted_not_enforcement():
    v = evaluate(doc(deny(action=["ec2:StopInstances", "ec2:TerminateInstances"])))
    assert v.enforced == NONE and v.attempts and v.targeted and not v.lockout
    assert any("denies only ec2:StopInstances, ec2:TerminateInstances without MFA" in p for p in v.problems)


def test_principal_star_is_ignored_and_named_principals_narrow():
    assert evaluate(doc(deny(Principal="*"))).enforced == ALL_PATHS
    assert evaluate(doc(deny(Principal={"AWS": "*"}))).enforced == ALL_PATHS
    narrowed = evaluate(doc(deny(Principal={"AWS": "arn:aws:iam::111122223333:user/alice"})))
    assert narrowed.enforced == NONE
    assert any("applies only to the principals it names" in p for p in narrowed.problems)
    not_p = evaluate(doc(deny(NotPrincipal={"AWS": "arn:aws:iam::111122223333:user/admin"})))
    assert not_p.enforced == NONE
    assert any("NotPrincipal" in p for p in not_p.problems)


def test_a_hole_in_one_statement_does_not_undo_another():
    v = evaluate(doc(deny(sid="Good"), deny(not_action=["iam:*"], sid="Bad")))
    assert v.enforced == ALL_PATHS and v.problems == ()  # "Good" already denies what "Bad" leaves open
    half = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}, sid="Good"),
                        deny(not_action=["iam:*"], sid="Bad")))
    assert half.enforced == CONSOLE_ONLY
    assert any('statement "Bad": NotAction exempts iam:*' in p for p in half.problems)


# ------------------------------------------------------------------ spellings

@pytest.mark.parametrize("value", [False, "false", ["false"], "False", "FALSE", [False]])
def test_condition_value_forms_are_the_same(value):
    assert evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": value}}))).enforced == ALL_PATHS


def test_case_insensitive_elements_keys_operators_and_actions():
    st = {"sid": "x", "effect": "deny", "notaction": [a.upper() for a in ENROLMENT], "resource": "*",
          "condition": {"boolifexists": {"AWS:MULTIFACTORAUTHPRESENT": "FALSE"}}}
    v = evaluate({"statement": st})
    assert v.enforced == ALL_PATHS and v.problems == ()


def test_statement_as_object_and_action_as_string():
    st = deny(action="*")
    assert evaluate({"Statement": st}).enforced == ALL_PATHS


def test_json_string_and_url_encoded_string_equal_the_dict():
    d = doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}))
    text = json.dumps(d, indent=2)
    assert evaluate(text) == evaluate(d) == evaluate(urllib.parse.quote(json.dumps(d)))
    assert evaluate([d]) == evaluate(d)  # Checkov's one-element list wrapping


# ------------------------------------------------------------------ unknowns

def test_none_and_unresolved_documents_are_unknown():
    assert evaluate(None).unknown == "there is no policy document (null or unknown after apply)"
    assert evaluate(Unresolved("data.x.json is not resolved")) == Verdict(unknown="data.x.json is not resolved")
    for text in ("${data.aws_iam_policy_document.x.json}", "data.aws_iam_policy_document.x[0].json"):
        ref = evaluate(text)
        assert ref.unknown == f"the policy document is a reference: {text}" and ref.enforced == NONE


def test_invalid_json_is_unknown_with_the_reason():
    v = evaluate('{"Statement": [')
    assert v.unknown.startswith("the policy document is not valid JSON") and v.enforced == NONE


@pytest.mark.parametrize("value", ["${var.mfa_flag}", "var.mfa_flag", Unresolved("x")])
def test_unresolved_condition_value_makes_the_verdict_unknown(value):
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": value}})))
    assert v.enforced == NONE and v.attempts
    assert v.unknown and "the value of BoolIfExists aws:MultiFactorAuthPresent is not resolved" in v.unknown


def test_unresolved_value_next_to_a_matching_value_does_not_matter():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false", "var.extra"]}})))
    assert v.enforced == ALL_PATHS and v.unknown is None


def test_unresolved_effect_and_actions():
    st = deny()
    st["Effect"] = "${var.effect}"
    assert evaluate(doc(st)).unknown == 'the Effect of statement "DenyAllExceptListedIfNoMFA" is not resolved'
    st = deny(action="var.actions")
    v = evaluate(doc(st))
    assert v.unknown and "Action entry is not resolved" in v.unknown


def test_unresolved_statement_that_cannot_add_anything_is_not_unknown():
    st = deny(action="var.actions", sid="Maybe")
    v = evaluate(doc(deny(), st))
    assert v.enforced == ALL_PATHS and v.unknown is None


def test_unresolved_resource_fragment_is_still_narrow():
    # An ARN with a reference inside is an ARN, never "*": no need to resolve it.
    v = evaluate(doc(deny(resource="arn:${local.partition}:s3:::bucket")))
    assert v.enforced == NONE and v.unknown is None


def test_iam_policy_variables_are_not_references():
    assert not is_reference("arn:aws:iam::*:user/${aws:username}")
    assert not is_reference("arn:aws:iam::*:user/$${aws:username}")
    assert not is_reference("iam:GetUser") and not is_reference("*") and not is_reference("false")
    assert is_reference("${var.x}") and is_reference("var.x") and is_reference("aws_iam_user.u.arn")
    assert is_reference("data.aws_iam_policy_document.x[0].json") and is_reference("concat(var.a, [\"b\"])")


# ------------------------------------------------------------------ coverage

def test_coverage_union_and_open_paths():
    console = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}})))
    keys = evaluate(doc(deny({"Null": {"aws:MultiFactorAuthAge": "true"}})))
    assert coverage(ALL_PATHS, [console, keys]).covered
    c = coverage(ALL_PATHS, [console])
    assert not c.covered and c.open_paths == KEYS_ONLY and c.unknown is None
    assert coverage({CONSOLE}, [console]) == coverage([CONSOLE], [console])
    assert coverage({CONSOLE}, [console]).covered
    assert coverage(set(), []).covered


def test_coverage_unknown_only_when_it_could_close_an_open_path():
    console = evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}})))
    full = evaluate(doc(deny()))
    maybe = Verdict(unknown="policy X is not resolved")
    c = coverage(ALL_PATHS, [console, maybe])
    assert not c.covered and c.open_paths == KEYS_ONLY and c.unknown == "policy X is not resolved"
    assert coverage(ALL_PATHS, [full, maybe]) == coverage(ALL_PATHS, [full])
    assert coverage(ALL_PATHS, [full, maybe]).unknown is None


def test_describe_paths():
    assert describe_paths(ALL_PATHS) == "console sign-in and access keys"
    assert describe_paths({CONSOLE}) == "console sign-in"
    assert describe_paths([ACCESS_KEYS]) == "access keys"
    assert describe_paths(()) == "no sign-in path"
    assert evaluate(doc(deny({"Bool": {"aws:MultiFactorAuthPresent": "false"}}))).open_paths == KEYS_ONLY


def test_evaluate_is_memoised_and_does_not_mutate_its_input():
    d = doc(deny())
    before = copy.deepcopy(d)
    first = evaluate(d)
    assert evaluate(copy.deepcopy(d)) is first
    assert d == before


def test_aws_documented_self_manage_mfa_policy_enforces_everywhere():
    # IAM user guide example "Allows IAM users to self-manage an MFA device", complete.
    aws = {"Version": "2012-10-17", "Statement": [
        {"Sid": "AllowListActions", "Effect": "Allow", "Action": ["iam:ListUsers", "iam:ListVirtualMFADevices"],
         "Resource": "*"},
        {"Sid": "AllowUserToCreateVirtualMFADevice", "Effect": "Allow", "Action": ["iam:CreateVirtualMFADevice"],
         "Resource": "arn:aws:iam::*:mfa/*"},
        {"Sid": "AllowUserToManageTheirOwnMFA", "Effect": "Allow",
         "Action": ["iam:EnableMFADevice", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice"],
         "Resource": "arn:aws:iam::*:user/${aws:username}"},
        {"Sid": "AllowUserToDeactivateTheirOwnMFAOnlyWhenUsingMFA", "Effect": "Allow",
         "Action": ["iam:DeactivateMFADevice"], "Resource": ["arn:aws:iam::*:user/${aws:username}"],
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}},
        {"Sid": "BlockMostAccessUnlessSignedInWithMFA", "Effect": "Deny",
         "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ListUsers",
                       "iam:ListVirtualMFADevices", "iam:ResyncMFADevice"],
         "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}},
    ]}
    assert evaluate(aws) == Verdict(attempts=True, enforced=ALL_PATHS)


def test_unresolved_notaction_entry_could_exempt_anything():
    v = evaluate(doc(deny(not_action=ENROLMENT + ["var.extra_exemptions"])))
    assert v.enforced == NONE and v.unknown == 'statement "DenyAllExceptListedIfNoMFA": a NotAction entry is not resolved'
    assert any("could exempt anything" in p for p in v.problems)


def test_unresolved_value_of_a_narrowing_key_is_not_unknown():
    v = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                           "StringEquals": {"aws:SourceVpc": "${var.vpc_id}"}})))
    assert v.enforced == NONE and v.unknown is None
    assert any("also requires StringEquals {aws:SourceVpc:" in p for p in v.problems)


# ------------------------------------------------------------------ the age key: attempts like the others
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthage
# (the key is absent when MFA was not used) and
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists
# ("If the key is not present, evaluate the condition element as true").

def test_null_age_with_a_hole_is_a_broken_attempt_not_a_non_policy():
    v = evaluate(doc(deny({"Null": {"aws:MultiFactorAuthAge": "true"}}, not_action=ENROLMENT + ["iam:CreateAccessKey"])))
    assert v.attempts and v.enforced == NONE and v.ckv_mfa_4[0] == "broken"
    assert "iam:CreateAccessKey (mint a new access key that outlives the stolen credential)" in v.ckv_mfa_4[1]


def test_age_ifexists_with_a_hole_and_lockout_are_judged():
    hole = evaluate(doc(deny({"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}},
                             not_action=ENROLMENT + ["iam:DeactivateMFADevice"])))
    assert hole.attempts and hole.enforced == NONE and hole.ckv_mfa_4[0] == "broken"
    lock = evaluate(doc(deny({"NumericGreaterThanIfExists": {"aws:MultiFactorAuthAge": "3600"}}, action="*")))
    assert lock.attempts and lock.lockout and lock.ckv_mfa_4[0] == "broken"


def test_age_lessthan_ifexists_also_denies_fresh_mfa_sessions():
    # Absent (no MFA) -> true, and a session that just used MFA (age 0 < 3600) -> true as well.
    v = evaluate(doc(deny({"NumericLessThanIfExists": {"aws:MultiFactorAuthAge": "3600"}})))
    assert v.attempts and v.enforced == NONE
    assert any("denies requests even when MFA is used" in p for p in v.problems)


def test_plain_numeric_age_alone_is_a_freshness_rule_not_an_attempt():
    v = evaluate(doc(deny({"NumericGreaterThan": {"aws:MultiFactorAuthAge": "3600"}})))
    assert not v.attempts and v.ckv_mfa_4[0] == "not_enforcement"


# ------------------------------------------------------------------ targeted requirements (CKV_MFA_4)

def test_scalesec_style_targeted_requirements_pass_and_never_cover():
    # ScaleSec/terraform_aws_scp security_controls_scp/modules/{ec2/require_mfa_actions,s3/require_mfa_delete}.tf
    ec2 = evaluate(doc(deny(action=["ec2:StopInstances", "ec2:TerminateInstances", "ec2:SendDiagnosticInterrupt"],
                            sid="RequireMFAEC2")))
    s3 = evaluate(doc(deny(action=["s3:DeleteObject"], resource=["arn:aws:s3:::*/*"], sid="RequireMFAS3Delete")))
    for v in (ec2, s3):
        assert v.targeted and v.enforced == NONE and v.ckv_mfa_4[0] == "targeted"
        assert not coverage({CONSOLE}, [v]).covered
    assert ec2.ckv_mfa_4[1] == ("is a targeted MFA requirement: it denies only ec2:StopInstances, "
                                "ec2:TerminateInstances, ec2:SendDiagnosticInterrupt without MFA, which does not "
                                "count as MFA enforcement for any user")


def test_broad_attempt_with_holes_and_targeted_lockout_still_fail():
    broad = evaluate(doc(deny(not_action=ENROLMENT + ["iam:*"])))
    assert not broad.targeted and broad.ckv_mfa_4[0] == "broken"
    iam_only = evaluate(doc(deny(action=["iam:*"])))  # denies enrolment too
    assert iam_only.targeted and iam_only.lockout and iam_only.ckv_mfa_4[0] == "broken"
    mixed = evaluate(doc(deny(action=["ec2:StopInstances"], sid="T"), deny(not_action=["s3:*"], sid="B")))
    assert not mixed.targeted and mixed.ckv_mfa_4[0] == "broken"


def test_hole_messages_name_the_action_and_the_risk():
    v = evaluate(doc(deny(not_action=ENROLMENT + ["iam:DeactivateMFADevice"])))
    assert ('NotAction exempts iam:DeactivateMFADevice — without MFA a stolen password or access key can still call '
            "iam:DeactivateMFADevice (remove the owner's MFA device, then enrol the thief's own).") in v.problems[0]


# ------------------------------------------------------------------ per-principal conditions
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
# (aws:PrincipalArn, aws:username, aws:userid are always in an IAM user's request context).

BREAK_GLASS = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
               "StringNotEquals": {"aws:username": "break-glass"}}
ALICE = Principal(name="alice")
GLASS = Principal(name="break-glass")


def test_break_glass_exemption_enforces_on_everyone_else():
    v = evaluate(doc(deny(BREAK_GLASS)))
    assert v.depends_on_principal and v.enforced == NONE  # an unnamed principal might be the exempt one
    assert any("also requires StringNotEquals {aws:username: \"break-glass\"}" in p for p in v.problems)
    assert v.ckv_mfa_4[0] == "per_principal"
    alice = for_principal(v, ALICE)
    assert alice.enforced == ALL_PATHS and alice.problems == () and not alice.depends_on_principal
    glass = for_principal(v, GLASS)
    assert glass.enforced == NONE
    assert ('statement "DenyAllExceptListedIfNoMFA": StringNotEquals {aws:username: "break-glass"} excludes '
            "break-glass, so the statement does not deny break-glass's requests without MFA.") in glass.problems
    assert for_principal(v, ALICE) is alice  # cached


def test_principal_arn_with_unknown_account_is_decided_from_the_user_name_and_path():
    cond = {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
            "ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/ops/break-glass"}}
    v = evaluate(doc(deny(cond)))
    assert for_principal(v, Principal(name="alice")).enforced == ALL_PATHS
    assert for_principal(v, Principal(name="break-glass", path="/ops/")).enforced == NONE
    assert for_principal(v, Principal(name="break-glass")).enforced == ALL_PATHS  # path / is another user
    # A literal account we cannot know in a plan: the other users are still decided.
    literal = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                                 "StringNotEquals": {"aws:PrincipalArn": [
                                     "arn:aws:iam::${data.aws_caller_identity.current.account_id}:user/break-glass"]}})))
    assert literal.unknown is None
    assert for_principal(literal, ALICE).enforced == ALL_PATHS
    glass = for_principal(literal, GLASS)
    assert glass.enforced == NONE  # may be exempt: not shown to be covered
    assert any("may exclude break-glass (a value or the user's ARN is not known before apply)" in p
               for p in glass.problems)
    known = Principal(name="break-glass", arn="arn:aws:iam::111122223333:user/break-glass")
    assert for_principal(literal, known).enforced == NONE


def test_userid_needs_a_known_id_and_undecidable_keys_keep_narrowing():
    by_id = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                               "StringNotEquals": {"aws:userid": "AIDAEXAMPLEBREAKGLASS"}})))
    assert for_principal(by_id, ALICE).enforced == NONE  # id unknown: cannot tell alice is not exempt
    assert for_principal(by_id, Principal(name="alice", userid="AIDAEXAMPLEALICE")).enforced == ALL_PATHS
    ip = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                            "StringNotEquals": {"aws:username": "break-glass"},
                            "NotIpAddress": {"aws:SourceIp": "10.0.0.0/8"}})))
    assert for_principal(ip, ALICE).enforced == NONE


def test_for_principal_returns_the_verdict_itself_when_nothing_depends_on_it():
    v = evaluate(doc(deny()))
    assert not v.depends_on_principal and for_principal(v, ALICE) is v
    assert for_principal(v, None) is v


def test_a_deny_selecting_one_user_covers_only_that_user():
    only = evaluate(doc(deny({"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                              "StringEquals": {"aws:username": ["alice", "bob"]}})))
    assert for_principal(only, ALICE).enforced == ALL_PATHS
    assert for_principal(only, GLASS).enforced == NONE


# ------------------------------------------------------------------ popular real policies (docs/semantics.md)

def _allow(sid, actions, resource):
    return {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resource}


def _deny_no_mfa(sid, not_actions):
    return {"Sid": sid, "Effect": "Deny", "NotAction": not_actions, "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}


OWN = "arn:aws:iam::*:user/${aws:username}"


def test_aws_self_manage_credentials_with_mfa_enforces_everywhere():
    # https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws_my-sec-creds-self-manage.html
    # ("AWS: Allows MFA-authenticated IAM users to manage their own credentials on the Security
    # credentials page"; SSH, signing-certificate and Git statements left out: Allows only).
    aws = doc(
        _allow("AllowViewAccountInfo", ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"], "*"),
        _allow("AllowManageOwnPasswords", ["iam:ChangePassword", "iam:GetUser"], OWN),
        _allow("AllowManageOwnAccessKeys", ["iam:CreateAccessKey", "iam:DeleteAccessKey", "iam:ListAccessKeys",
                                            "iam:UpdateAccessKey", "iam:GetAccessKeyLastUsed"], OWN),
        _allow("AllowManageOwnVirtualMFADevice", ["iam:CreateVirtualMFADevice"], "arn:aws:iam::*:mfa/*"),
        _allow("AllowManageOwnUserMFA", ["iam:DeactivateMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                                         "iam:ResyncMFADevice"], OWN),
        _deny_no_mfa("DenyAllExceptListedIfNoMFA", ENROLMENT))
    v = evaluate(aws)
    assert v.enforced == ALL_PATHS and v.problems == () and v.ckv_mfa_4[0] == "enforces"


def test_trussworks_mfa_module_exempts_create_login_profile():
    # https://github.com/trussworks/terraform-aws-mfa/blob/main/main.tf (BlockMostAccessUnlessSignedInWithMFA)
    truss = doc(_deny_no_mfa("BlockMostAccessUnlessSignedInWithMFA", [
        "iam:ChangePassword", "iam:CreateLoginProfile", "iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice",
        "iam:ListVirtualMFADevices", "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:ListAccountAliases",
        "iam:ListUsers", "iam:ListSSHPublicKeys", "iam:ListAccessKeys", "iam:ListServiceSpecificCredentials",
        "iam:ListMFADevices", "iam:GetAccountSummary", "sts:GetSessionToken"]))
    v = evaluate(truss)
    assert v.enforced == NONE and v.ckv_mfa_4[0] == "broken"
    assert v.problems[0] == (
        'statement "BlockMostAccessUnlessSignedInWithMFA": NotAction exempts iam:CreateLoginProfile — without MFA '
        "a stolen password or access key can still call iam:CreateLoginProfile (give a console password to a user "
        "that has none and sign in as that user).")


def test_terraform_aws_modules_iam_group_self_management_enforces():
    # https://github.com/terraform-aws-modules/terraform-aws-iam/blob/v6.5.0/modules/iam-group/main.tf
    # (DenyAllExceptListedIfNoMFA: AWS's list plus iam:ChangePassword)
    v = evaluate(doc(_deny_no_mfa("DenyAllExceptListedIfNoMFA", ENROLMENT + ["iam:ChangePassword"])))
    assert v.enforced == ALL_PATHS and v.ckv_mfa_4[0] == "enforces"


def test_jeromegamez_and_terraform_module_enforce_mfa():
    # https://github.com/jeromegamez/terraform-aws-enforce-mfa/blob/main/data.tf (force_mfa and
    # force_mfa_but_allow_sign_in_to_change_password) and
    # https://github.com/terraform-module/terraform-aws-enforce-mfa/blob/master/data.tf
    listed = ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice", "iam:ListVirtualMFADevices",
              "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:ListAccountAliases", "iam:ListUsers",
              "iam:ListSSHPublicKeys", "iam:ListAccessKeys", "iam:ListServiceSpecificCredentials",
              "iam:ListMFADevices", "iam:GetAccountSummary", "sts:GetSessionToken"]
    force = evaluate(doc(_deny_no_mfa("BlockMostAccessUnlessSignedInWithMFA", listed)))
    assert force.enforced == ALL_PATHS and force.ckv_mfa_4[0] == "enforces"
    change_pw = evaluate(doc(_deny_no_mfa("BlockMostAccessUnlessSignedInWithMFA",
                                          ["iam:ChangePassword", "iam:CreateLoginProfile"] + listed)))
    assert change_pw.enforced == NONE and "iam:CreateLoginProfile (give a console password" in change_pw.problems[0]
    module = evaluate(doc(_deny_no_mfa("DenyAllExceptListedIfNoMFA", [
        "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
        "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"])))
    assert module.enforced == ALL_PATHS and module.ckv_mfa_4[0] == "enforces"
