"""CKV_MFA_1..3: the messages a reviewer reads, and catalogue metadata on the findings.

Verdict sets per fixture are asserted by test_checks_fixtures.py; here: which message for
which resource, HCL and plan alike, and that `--check HIGH` selects by catalogue severity.
"""
from __future__ import annotations

import pytest

import fixture_harness as fh
from mfaguard.catalogue import CHECKS

COGNITO = ("CKV_MFA_1", "CKV_MFA_2", "CKV_MFA_3")


def _records(case: str, runner: str) -> dict[tuple[str, str], object]:
    passed, failed, unknown = fh.run_records(fh.FIXTURES / case, runner)
    return {(r.check_id, r.resource): r for r in [*passed, *failed, *unknown] if r.check_id in COGNITO}


@pytest.fixture(scope="module", params=fh.RUNNERS)
def records(request):
    runner = request.param
    out = {}
    for case in ("CKV_MFA_1/basic", "CKV_MFA_1/variables", "CKV_MFA_1/sign_in_scope", "CKV_MFA_2/factors",
                 "CKV_MFA_2/unresolved", "CKV_MFA_3/modes"):
        out.update({(case, *k): v for k, v in _records(case, runner).items()})
    return out


def details(records, case, check_id, name):
    return " | ".join(records[(case, check_id, f"aws_cognito_user_pool.{name}")].details)


@pytest.mark.parametrize(
    ("case", "check_id", "name", "expected"),
    [
        ("CKV_MFA_1/basic", "CKV_MFA_1", "fail_optional", "mfa_configuration is OPTIONAL: MFA is left to each user"),
        ("CKV_MFA_1/basic", "CKV_MFA_1", "fail_off", "mfa_configuration is OFF: a stolen password alone signs in"),
        ("CKV_MFA_1/basic", "CKV_MFA_1", "fail_absent", "OFF"),  # HCL: not set (default OFF); plan: OFF
        ("CKV_MFA_1/basic", "CKV_MFA_1", "fail_absent", "a stolen password alone signs in"),
        ("CKV_MFA_1/basic", "CKV_MFA_1", "fail_off", 'fix: Set mfa_configuration = "ON"'),
        ("CKV_MFA_1/sign_in_scope", "CKV_MFA_1", "unknown_passwordless",
         "not applicable: sign_in_policy allows only EMAIL_OTP, WEB_AUTHN as first factor, no password"),
        ("CKV_MFA_1/variables", "CKV_MFA_1", "unknown_after_apply", "cannot decide: mfa_configuration"),
        ("CKV_MFA_2/factors", "CKV_MFA_2", "fail_sms_only",
         "no software_token_mfa_configuration (TOTP); the only second factors are SMS (sms_configuration)"),
        ("CKV_MFA_2/factors", "CKV_MFA_2", "fail_email_only", "the only second factors are email (email_mfa_configuration)"),
        ("CKV_MFA_2/factors", "CKV_MFA_2", "fail_totp_disabled", "software_token_mfa_configuration has enabled = false"),
        ("CKV_MFA_2/factors", "CKV_MFA_2", "unknown_optional", "not applicable: the pool does not require MFA"),
        ("CKV_MFA_3/modes", "CKV_MFA_3", "fail_audit", "advanced_security_mode is AUDIT: risky sign-ins are only logged"),
        ("CKV_MFA_3/modes", "CKV_MFA_3", "fail_off", "advanced_security_mode is OFF"),
        ("CKV_MFA_3/modes", "CKV_MFA_3", "fail_absent", "there is no user_pool_add_ons block"),
    ],
)
def test_finding_explains_itself(records, case, check_id, name, expected):
    assert expected in details(records, case, check_id, name)


@pytest.mark.parametrize(
    ("case", "check_id", "name", "expected"),
    [
        ("CKV_MFA_1/variables", "CKV_MFA_1", "unknown_var_nodefault", "mfa_configuration = var.shop_mfa cannot be resolved"),
        ("CKV_MFA_1/variables", "CKV_MFA_1", "unknown_conditional", 'var.require_mfa ? "ON" : "OFF" cannot be resolved'),
        ("CKV_MFA_2/unresolved", "CKV_MFA_2", "unknown_dynamic", 'dynamic "software_token_mfa_configuration" block'),
        ("CKV_MFA_2/unresolved", "CKV_MFA_2", "unknown_var_nodefault", "software_token_mfa_configuration.enabled"),
    ],
)
def test_unknown_names_the_unresolved_value_hcl(case, check_id, name, expected):
    recs = _records(case, "hcl")
    rec = recs[(check_id, f"aws_cognito_user_pool.{name}")]
    assert rec.check_result["result"].name == "UNKNOWN"
    assert expected in " | ".join(rec.details)


def test_plan_after_apply_unknown_is_unknown_not_absent():
    recs = _records("CKV_MFA_2/unresolved", "plan")
    rec = recs[("CKV_MFA_2", "aws_cognito_user_pool.unknown_after_apply")]
    assert rec.check_result["result"].name == "UNKNOWN"
    assert "software_token_mfa_configuration is only known after apply" in " | ".join(rec.details)


def test_passing_records_carry_catalogue_metadata(records):
    for (case, check_id, resource), rec in records.items():
        meta = CHECKS[check_id]
        assert rec.severity.name == meta.severity
        assert rec.guideline == meta.guideline
        assert rec.check_name == meta.name


def test_check_high_selects_by_catalogue_severity():
    passed, failed, unknown = fh.run_filtered(fh.FIXTURES / "CKV_MFA_1/basic", "hcl", ["HIGH"])
    ran = {r.check_id for r in [*passed, *failed, *unknown]}
    assert "CKV_MFA_1" in ran  # HIGH
    assert not ran & {"CKV_MFA_2", "CKV_MFA_3"}  # MEDIUM
