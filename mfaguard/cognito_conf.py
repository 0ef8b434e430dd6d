"""The Checkov side of the Cognito checks: Checkov's resource conf -> policy.cognito.Pool.

    pool_from_conf(conf)   one user pool as the engine sees it, from HCL or a plan
    CognitoPoolCheck       base class of checks/Cognito*.py: builds the pool and asks the check's
                           rule (mfaguard.check_adapter.DecisionCheck renders the Decision)

Checkov wraps values in lists and leaves what it cannot evaluate as expression text; plans omit
what is only known after apply.  mfaguard.checks_support reads those into the engine's markers
(ABSENT is the engine's UNSET; Unknown is shared).  The verdicts and their wording are the engine's
(mfaguard.policy.cognito); a check file only names its rule.
"""
from __future__ import annotations

from typing import Any

from mfaguard import checks_support as cs
from mfaguard.check_adapter import DecisionCheck
from mfaguard.policy import decision as d
from mfaguard.policy.cognito import Pool


def _value(v: Any) -> Any:
    return v.upper() if isinstance(v, str) else v


def _present(conf: dict[str, Any], key: str) -> Any:
    found = cs.block(conf, key, plan_always_known=False)
    return True if isinstance(found, dict) else found if isinstance(found, cs.Unknown) else d.UNSET


def _first_factors(conf: dict[str, Any]) -> Any:
    policy = cs.block(conf, "sign_in_policy", plan_always_known=False)
    if not isinstance(policy, dict):
        return _value(policy)
    factors = cs.string_list(policy, "allowed_first_auth_factors")
    return tuple(f.upper() for f in factors) if isinstance(factors, list) else _value(factors)


def _totp(conf: dict[str, Any]) -> Any:
    totp = cs.block(conf, "software_token_mfa_configuration")
    if not isinstance(totp, dict):
        return _value(totp)
    label = "software_token_mfa_configuration.enabled"
    enabled = cs.as_bool(cs.lookup(totp, "enabled", plan=cs.is_plan(conf), label=label), label)
    return False if enabled is cs.ABSENT else _value(enabled)


def _add_ons(conf: dict[str, Any]) -> tuple[Any, Any]:
    """(advanced_security_mode, custom_auth_mode)."""
    add_ons = cs.block(conf, "user_pool_add_ons")
    if not isinstance(add_ons, dict):
        return _value(add_ons), d.UNSET
    plan = cs.is_plan(conf)
    mode = cs.lookup(add_ons, "advanced_security_mode", plan=plan, label="user_pool_add_ons.advanced_security_mode")
    mode = "OFF" if mode is cs.ABSENT else _value(mode)
    flows = cs.block(add_ons, "advanced_security_additional_flows", plan_always_known=False)
    if not isinstance(flows, dict):
        return mode, _value(flows)
    custom = cs.lookup(flows, "custom_auth_mode", plan_always_known=False,
                       label="user_pool_add_ons.advanced_security_additional_flows.custom_auth_mode")
    return mode, _value(custom)


def pool_from_conf(conf: dict[str, Any]) -> Pool:
    mode, custom = _add_ons(conf)
    return Pool(
        mfa_configuration=_value(cs.lookup(conf, "mfa_configuration")),
        first_factors=_first_factors(conf),
        totp=_totp(conf),
        sms=_present(conf, "sms_configuration"),
        email=_present(conf, "email_mfa_configuration"),
        tier=_value(cs.lookup(conf, "user_pool_tier")),
        security_mode=mode,
        custom_auth_mode=custom,
    )


class CognitoPoolCheck(DecisionCheck):
    """A check over one aws_cognito_user_pool: subclasses set META and `rule` (a policy.cognito function)."""

    model = staticmethod(pool_from_conf)
