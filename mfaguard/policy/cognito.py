"""Cognito user pool verdicts: the one place that decides CKV_MFA_1/2/3/5 and Cognito.5/.1/.4.

No Checkov, no boto3.  The Checkov checks (``checks/Cognito*.py``, from HCL or a plan) and the
drift module (from plan/state JSON and from ``DescribeUserPool``) each build a `Pool` and ask:

    mfa_required(pool)        CKV_MFA_1 / Cognito.5   MFA ON, for pools with password sign-in
    totp_offered(pool)        CKV_MFA_2               a pool that requires MFA offers TOTP
    threat_protection(pool)   CKV_MFA_3 / Cognito.1   threat protection ENFORCED (standard auth)
    custom_auth_protection(pool)
                              CKV_MFA_5 / Cognito.4   threat protection ENFORCED for custom auth

Each returns a `Decision`: PASSED, FAILED, UNKNOWN (a value nobody can know yet: the reason
says which) or NOT_APPLICABLE (outside the control's scope: the reason says why).

A field is a value, `UNSET` (the configuration says nothing: the documented default applies)
or `Unknown(reason)`.  Rules, each from AWS's or the Terraform provider's documentation
(docs/cognito.md cites them):

* `mfa_configuration` unset is OFF (provider default).  Cognito.5 (AWS Config
  `cognito-user-pool-mfa-enabled`) is about password sign-in: a pool whose
  `sign_in_policy.allowed_first_auth_factors` excludes PASSWORD is not applicable; no sign-in
  policy means PASSWORD only.  A pool that allows PASSWORD next to other first factors is
  judged (a stolen password still signs in alone); AWS Config evaluates only PASSWORD-only
  pools, and the message says Security Hub reports such a pool NOT_APPLICABLE.
* Email MFA needs the Essentials or Plus feature plan; threat protection (`user_pool_add_ons`,
  standard and custom authentication) needs Plus: a pool on LITE or ESSENTIALS cannot run it.
  `user_pool_tier` unset leaves the tier to AWS (an existing pool keeps its plan, a new one gets
  ESSENTIALS, the API default), so ENFORCED without a tier is UNKNOWN, naming the fix.
* `advanced_security_additional_flows.custom_auth_mode` unset is AUDIT (provider default).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mfaguard.policy.decision import FAILED, NOT_APPLICABLE, PASSED, UNKNOWN, UNSET, Decision, Unknown

MFA_MODES = ("ON", "OPTIONAL", "OFF")
SECURITY_MODES = ("ENFORCED", "AUDIT", "OFF")
CUSTOM_AUTH_MODES = ("ENFORCED", "AUDIT")
TIERS = ("LITE", "ESSENTIALS", "PLUS")
API_DEFAULT_TIER = "ESSENTIALS"  # CreateUserPool's UserPoolTier default
EMAIL_MFA_TIERS = ("ESSENTIALS", "PLUS")
THREAT_PROTECTION_TIER = "PLUS"


@dataclass(frozen=True)
class Pool:
    """What the verdicts need of one user pool (Terraform attribute names)."""

    mfa_configuration: Any = UNSET  # "ON" | "OPTIONAL" | "OFF"
    first_factors: Any = UNSET  # tuple of sign_in_policy.allowed_first_auth_factors
    totp: Any = UNSET  # software_token_mfa_configuration.enabled (UNSET: no block)
    sms: Any = UNSET  # True when sms_configuration is present
    email: Any = UNSET  # True when email_mfa_configuration is present
    tier: Any = UNSET  # user_pool_tier
    security_mode: Any = UNSET  # user_pool_add_ons.advanced_security_mode (UNSET: no block)
    custom_auth_mode: Any = UNSET  # ...advanced_security_additional_flows.custom_auth_mode


def _unknown(reason: str, *keys: str) -> Decision:
    return Decision(UNKNOWN, reason, keys)


def _invalid(name: str, value: Any, allowed: tuple[str, ...], *keys: str) -> Decision:
    return _unknown(f"{name} = {value!r} is not one of {', '.join(allowed)}", *keys)


def _setting(name: str, value: Any, default: str, allowed: tuple[str, ...], keys: tuple[str, ...]):
    """(value, "is X" / "is not set (the default is D)") with the documented default applied,
    or a Decision when the value is unknown or not one of `allowed`."""
    if isinstance(value, Unknown):
        return _unknown(value.reason, *keys)
    shown = f"is not set (the default is {default})" if value is UNSET else f"is {value}"
    value = default if value is UNSET else value
    if value not in allowed:
        return _invalid(name, value, allowed, *keys)
    return value, shown


# -- Cognito.5 / CKV_MFA_1 --------------------------------------------------------------------
_FACTORS_KEY = "sign_in_policy.allowed_first_auth_factors"


def password_sign_in(pool: Pool) -> Any:
    """True/False: whether users can sign in with a password; Unknown when nobody knows."""
    factors = pool.first_factors
    if isinstance(factors, Unknown):
        return factors
    if factors is UNSET or not factors:
        return True  # no sign-in policy: PASSWORD only (the AWS default)
    return "PASSWORD" in factors


def mfa_required(pool: Pool) -> Decision:
    keys = ("mfa_configuration",)
    factors = pool.first_factors
    if password_sign_in(pool) is False:
        return Decision(
            NOT_APPLICABLE,
            f"sign_in_policy allows only {', '.join(sorted(set(factors)))} as first factor, no password: "
            "Cognito.5 (AWS Config cognito-user-pool-mfa-enabled) is about password sign-in",
            (_FACTORS_KEY,),
        )
    setting = _setting("mfa_configuration", pool.mfa_configuration, "OFF", MFA_MODES, keys)
    if isinstance(setting, Decision):
        return setting
    mode, shown = setting
    if mode == "ON":
        return Decision(PASSED, keys=keys)
    if mode == "OPTIONAL":
        reason = ("mfa_configuration is OPTIONAL: MFA is left to each user, and every user who never "
                  "enrols signs in with a password alone")
    else:
        reason = f"mfa_configuration {shown}: a stolen password alone signs in"
    if isinstance(factors, tuple) and set(factors) - {"PASSWORD"}:
        others = ", ".join(sorted(set(factors) - {"PASSWORD"}))
        reason += (f"; the pool also allows {others} as first factor, so Security Hub's Cognito.5 (PASSWORD-only "
                   "pools) reports it NOT_APPLICABLE, but password sign-in still has no second factor")
    return Decision(FAILED, reason, keys + ((_FACTORS_KEY,) if factors is not UNSET else ()))


# -- CKV_MFA_2 --------------------------------------------------------------------------------
def email_mfa_available(pool: Pool) -> Any:
    """Email MFA needs Essentials or Plus; unset tier is the API default (Essentials)."""
    tier = pool.tier
    if isinstance(tier, Unknown):
        return tier
    return (API_DEFAULT_TIER if tier is UNSET else tier) in EMAIL_MFA_TIERS


def _other_factors(pool: Pool) -> str:
    found, notes = [], []
    if pool.sms is True:
        found.append("SMS (sms_configuration)")
    if pool.email is True:
        if email_mfa_available(pool) is False:
            notes.append(f"email_mfa_configuration offers nothing on user_pool_tier = {pool.tier} "
                         "(email MFA needs ESSENTIALS or PLUS)")
        else:
            found.append("email (email_mfa_configuration)")
    text = ("the only second factors are " + " and ".join(found) + ", whose codes can be intercepted" if found
            else "no other second factor is configured either")
    return "; ".join([text, *notes])


def totp_offered(pool: Pool) -> Decision:
    mode = pool.mfa_configuration
    if isinstance(mode, Unknown):
        return _unknown(mode.reason, "mfa_configuration")
    if mode != "ON":
        shown = "not set (OFF)" if mode is UNSET else str(mode)
        return Decision(NOT_APPLICABLE, f"the pool does not require MFA (mfa_configuration {shown}); "
                                        "CKV_MFA_1 reports that", ("mfa_configuration",))
    keys = ("mfa_configuration", "software_token_mfa_configuration.enabled")
    totp = pool.totp
    if isinstance(totp, Unknown):
        return _unknown(totp.reason, *keys)
    if totp is True:
        return Decision(PASSED, keys=keys)
    if totp is False:
        found = "software_token_mfa_configuration has enabled = false, which offers no TOTP factor"
    else:
        found = "mfa_configuration is ON but there is no software_token_mfa_configuration (TOTP)"
    return Decision(FAILED, f"{found}; {_other_factors(pool)}", keys)


# -- tier: threat protection needs Plus ---------------------------------------------------------
_TIER_FIX = 'set user_pool_tier = "PLUS" (threat protection is a Plus feature)'


def _tier_blocks(pool: Pool, what: str, keys: tuple[str, ...]) -> Decision | None:
    """FAILED/UNKNOWN when the pool's tier cannot run threat protection, else None."""
    tier, keys = pool.tier, keys + ("user_pool_tier",)
    if isinstance(tier, Unknown):
        return _unknown(f"{what}, but threat protection needs the Plus tier and {tier.reason}", *keys)
    if tier is UNSET:
        return Decision(UNKNOWN, f"{what}, but user_pool_tier is not set: threat protection needs the Plus tier, and "
                                 f"an existing pool keeps its plan while a new one gets {API_DEFAULT_TIER}",
                        keys, _TIER_FIX)
    if tier not in TIERS:
        return _invalid("user_pool_tier", tier, TIERS, *keys)
    if tier != THREAT_PROTECTION_TIER:
        return Decision(FAILED, f"{what}, but user_pool_tier is {tier}: threat protection needs the Plus tier and "
                                f"cannot run on {tier} (AWS rejects the setting)", keys, _TIER_FIX)
    return None


def _tier_note(pool: Pool) -> str:
    tier = pool.tier
    if isinstance(tier, str) and tier in TIERS and tier != THREAT_PROTECTION_TIER:
        return f'; the pool is on {tier}: also set user_pool_tier = "PLUS" (threat protection is a Plus feature)'
    return ""


# -- Cognito.1 / CKV_MFA_3 --------------------------------------------------------------------
def threat_protection(pool: Pool) -> Decision:
    keys = ("user_pool_add_ons.advanced_security_mode",)
    mode = pool.security_mode
    if isinstance(mode, Unknown):
        return _unknown(mode.reason, *keys)
    if mode is UNSET:
        return Decision(FAILED, "there is no user_pool_add_ons block: threat protection is off" + _tier_note(pool),
                        keys)
    if mode not in SECURITY_MODES:
        return _invalid("advanced_security_mode", mode, SECURITY_MODES, *keys)
    if mode == "ENFORCED":
        return _tier_blocks(pool, "advanced_security_mode is ENFORCED", keys) or Decision(PASSED, keys=keys)
    if mode == "AUDIT":
        reason = "advanced_security_mode is AUDIT: risky sign-ins are only logged, never blocked or challenged"
    else:
        reason = "advanced_security_mode is OFF: threat protection is off"
    return Decision(FAILED, reason + _tier_note(pool), keys)


# -- Cognito.4 / CKV_MFA_5 --------------------------------------------------------------------
_CUSTOM_KEY = "user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode"


def custom_auth_protection(pool: Pool) -> Decision:
    keys = ("user_pool_add_ons.advanced_security_mode", _CUSTOM_KEY)
    mode, custom = pool.security_mode, pool.custom_auth_mode
    if isinstance(mode, Unknown):
        return _unknown(mode.reason, *keys)
    if mode is UNSET or mode == "OFF":
        found = "there is no user_pool_add_ons block" if mode is UNSET else "advanced_security_mode is OFF"
        return Decision(FAILED, f"{found}: threat protection is off, for custom authentication too" + _tier_note(pool),
                        keys)
    if mode not in SECURITY_MODES:
        return _invalid("advanced_security_mode", mode, SECURITY_MODES, *keys)
    setting = _setting("custom_auth_mode", custom, "AUDIT", CUSTOM_AUTH_MODES, keys)
    if isinstance(setting, Decision):
        return setting
    custom, shown = setting
    if custom == "AUDIT":
        return Decision(FAILED, f"custom_auth_mode {shown}: risky custom-authentication (Lambda challenge) sign-ins "
                                "are only logged, never blocked or challenged" + _tier_note(pool), keys)
    return _tier_blocks(pool, "custom_auth_mode is ENFORCED", keys) or Decision(PASSED, keys=keys)
