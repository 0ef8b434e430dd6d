"""CKV_MFA_1: a Cognito user pool requires MFA (mfa_configuration = "ON").

Mirrors Security Hub Cognito.5 / AWS Config `cognito-user-pool-mfa-enabled`, scope included:
the rule evaluates pools whose sign-in policy is PASSWORD only (the default when
`sign_in_policy` is absent). A pool that allows other first factors (passkeys, email or SMS
one-time passwords) is NOT_APPLICABLE there; here it is UNKNOWN with a "not applicable"
detail. Metadata (severity, controls, remediation) comes from mfaguard.catalogue.
"""
from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mfaguard import checks_support as cs
from mfaguard.catalogue import check as catalogue_check

META = catalogue_check("CKV_MFA_1")
MODES = ("ON", "OFF", "OPTIONAL")


class CognitoUserPoolMfaRequired(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(**cs.init_kwargs(META.id))
        cs.apply_metadata(self, META)

    def _unknown(self, reason: str) -> CheckResult:
        self.details.append(cs.UNKNOWN_PREFIX + reason)
        return CheckResult.UNKNOWN

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        # Scope: only pools whose first factor is PASSWORD alone are evaluated by Cognito.5.
        # An unknown sign-in policy (a plan's computed value, an unresolved variable) keeps
        # the pool in scope: then "ON" passes whatever the scope, and anything else fails
        # rather than being waved through as not applicable.
        policy = cs.block(conf, "sign_in_policy", plan_always_known=False)
        if isinstance(policy, dict):
            factors = cs.string_list(policy, "allowed_first_auth_factors")
            if isinstance(factors, list) and factors and set(factors) != {"PASSWORD"}:
                self.evaluated_keys = ["sign_in_policy/[0]/allowed_first_auth_factors"]
                self.details.append(
                    cs.NOT_APPLICABLE
                    + f"sign_in_policy allows {', '.join(sorted(set(factors)))} as first factor, not PASSWORD only; "
                    "Cognito.5 (cognito-user-pool-mfa-enabled) evaluates only PASSWORD-only pools"
                )
                return CheckResult.UNKNOWN

        self.evaluated_keys = ["mfa_configuration"]
        mode = cs.lookup(conf, "mfa_configuration")
        if isinstance(mode, cs.Unknown):
            return self._unknown(mode.reason)
        absent = mode is cs.ABSENT
        if absent:
            mode = "OFF"
        if mode not in MODES:
            return self._unknown(f"mfa_configuration = {mode!r} is not one of {', '.join(MODES)}")
        if mode == "ON":
            return CheckResult.PASSED
        if mode == "OPTIONAL":
            self.details.append(
                "mfa_configuration is OPTIONAL: MFA is left to each user, and every user who never "
                "enrols signs in with a password alone"
            )
        else:
            found = "is not set (the default is OFF)" if absent else "is OFF"
            self.details.append(f"mfa_configuration {found}: a stolen password alone signs in")
        self.details.append(cs.fix_hint(META))
        return CheckResult.FAILED


check = CognitoUserPoolMfaRequired()
