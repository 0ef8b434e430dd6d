"""mfaguard.policy.cognito and .org_features: the pool and root-access rules on literal models.

The same rules decide the Checkov checks (terraform_fixtures/CKV_MFA_1,2,3,5,6) and drift's
live verdicts; here each documented rule is pinned without Checkov or boto3.
"""
from __future__ import annotations

import pytest

from mfaguard.policy import cognito, org_features
from mfaguard.policy.cognito import Pool
from mfaguard.policy.decision import FAILED, NOT_APPLICABLE, PASSED, UNKNOWN, UNSET, Unknown


def test_no_mfa_configuration_is_off_and_fails():
    d = cognito.mfa_required(Pool())
    assert (d.verdict, d.reason) == (FAILED, "mfa_configuration is not set (the default is OFF): "
                                             "a stolen password alone signs in")


@pytest.mark.parametrize(("factors", "verdict"), [
    (UNSET, FAILED),  # no sign-in policy: PASSWORD only
    (("PASSWORD",), FAILED),
    (("PASSWORD", "WEB_AUTHN"), FAILED),  # password sign-in remains
    (("WEB_AUTHN", "EMAIL_OTP"), NOT_APPLICABLE),  # no password: out of Cognito.5's scope
    (Unknown("sign_in_policy is only known after apply"), FAILED),  # never waved through
])
def test_cognito5_scope_is_password_sign_in(factors, verdict):
    assert cognito.mfa_required(Pool(mfa_configuration="OPTIONAL", first_factors=factors)).verdict == verdict


def test_mixed_first_factors_say_security_hub_reports_not_applicable():
    d = cognito.mfa_required(Pool(mfa_configuration="OFF", first_factors=("PASSWORD", "SMS_OTP")))
    assert "Security Hub's Cognito.5 (PASSWORD-only pools) reports it NOT_APPLICABLE" in d.reason


def test_on_passes_and_unknown_mode_is_unknown():
    assert cognito.mfa_required(Pool(mfa_configuration="ON")).verdict == PASSED
    d = cognito.mfa_required(Pool(mfa_configuration=Unknown("mfa_configuration = var.x cannot be resolved")))
    assert (d.verdict, d.reason) == (UNKNOWN, "mfa_configuration = var.x cannot be resolved")


def test_totp_rule_and_email_needs_essentials():
    assert cognito.totp_offered(Pool(mfa_configuration="ON", totp=True)).verdict == PASSED
    assert cognito.totp_offered(Pool(mfa_configuration="OPTIONAL")).verdict == NOT_APPLICABLE
    lite = cognito.totp_offered(Pool(mfa_configuration="ON", email=True, tier="LITE"))
    assert lite.verdict == FAILED and "email_mfa_configuration offers nothing on user_pool_tier = LITE" in lite.reason
    essentials = cognito.totp_offered(Pool(mfa_configuration="ON", email=True, tier="ESSENTIALS"))
    assert essentials.verdict == FAILED and "offers nothing" not in essentials.reason


@pytest.mark.parametrize(("tier", "verdict"), [
    ("PLUS", PASSED), ("ESSENTIALS", FAILED), ("LITE", FAILED), (UNSET, UNKNOWN),
    (Unknown("user_pool_tier is only known after apply"), UNKNOWN),
])
def test_threat_protection_needs_plus(tier, verdict):
    d = cognito.threat_protection(Pool(security_mode="ENFORCED", tier=tier))
    assert d.verdict == verdict
    if verdict != PASSED:
        assert "Plus tier" in d.reason
    if verdict == FAILED:
        assert d.fix == 'set user_pool_tier = "PLUS" (threat protection is a Plus feature)'


def test_audit_on_a_lower_tier_names_both_changes():
    d = cognito.threat_protection(Pool(security_mode="AUDIT", tier="ESSENTIALS"))
    assert d.verdict == FAILED and "AUDIT" in d.reason and 'also set user_pool_tier = "PLUS"' in d.reason


@pytest.mark.parametrize(("mode", "custom", "tier", "verdict"), [
    ("ENFORCED", "ENFORCED", "PLUS", PASSED),
    ("AUDIT", "ENFORCED", "PLUS", PASSED),  # Cognito.4 judges custom authentication only
    ("ENFORCED", UNSET, "PLUS", FAILED),  # the default is AUDIT
    ("ENFORCED", "AUDIT", "PLUS", FAILED),
    ("OFF", "ENFORCED", "PLUS", FAILED),  # threat protection off for every flow
    (UNSET, UNSET, UNSET, FAILED),
    ("ENFORCED", "ENFORCED", "ESSENTIALS", FAILED),
    ("ENFORCED", "ENFORCED", UNSET, UNKNOWN),
])
def test_cognito4_custom_auth_mode(mode, custom, tier, verdict):
    d = cognito.custom_auth_protection(Pool(security_mode=mode, custom_auth_mode=custom, tier=tier))
    assert d.verdict == verdict, d.reason


@pytest.mark.parametrize(("features", "verdict", "says"), [
    (("RootCredentialsManagement", "RootSessions"), PASSED, ""),
    (("RootCredentialsManagement",), PASSED, "RootSessions is not enabled: it adds short privileged root sessions"),
    (("RootSessions",), FAILED, "enabling it deletes no credential that already exists"),
    ((), FAILED, "enables nothing"),
    (Unknown("enabled_features = var.f cannot be resolved before apply"), UNKNOWN, "var.f"),
    (("RootThings",), UNKNOWN, "RootThings"),
])
def test_root_credentials_management(features, verdict, says):
    d = org_features.root_credentials_management(features)
    assert d.verdict == verdict and says in d.reason
