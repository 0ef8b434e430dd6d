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
    Unresolved,
    Verdict,
    coverage,
    describe_paths,
    evaluate,
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
