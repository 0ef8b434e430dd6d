"""CKV_MFA_2: a Cognito user pool that requires MFA offers TOTP, not SMS or email codes alone.

Judged only for pools with mfa_configuration = "ON" (others: UNKNOWN with a "not applicable"
detail; CKV_MFA_1 reports them). A software_token_mfa_configuration block with
enabled = false is no factor. Metadata comes from mfaguard.catalogue.
"""
from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mfaguard import checks_support as cs
from mfaguard.catalogue import check as catalogue_check

META = catalogue_check("CKV_MFA_2")


class CognitoUserPoolMfaTotp(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(**cs.init_kwargs(META.id))
        cs.apply_metadata(self, META)

    def _unknown(self, reason: str) -> CheckResult:
        self.details.append(cs.UNKNOWN_PREFIX + reason)
        return CheckResult.UNKNOWN

    def _other_factors(self, conf: dict[str, Any]) -> str:
        found = []
        if isinstance(cs.block(conf, "sms_configuration", plan_always_known=False), dict):
            found.append("SMS (sms_configuration)")
        if isinstance(cs.block(conf, "email_mfa_configuration", plan_always_known=False), dict):
            found.append("email (email_mfa_configuration)")
        if not found:
            return "no other second factor is configured either"
        return "the only second factors are " + " and ".join(found) + ", whose codes can be intercepted"

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["mfa_configuration"]
        mode = cs.lookup(conf, "mfa_configuration")
        if isinstance(mode, cs.Unknown):
            return self._unknown(mode.reason)
        if mode != "ON":
            shown = "not set (OFF)" if mode is cs.ABSENT else str(mode)
            self.details.append(
                cs.NOT_APPLICABLE + f"the pool does not require MFA (mfa_configuration {shown}); "
                "CKV_MFA_1 reports that"
            )
            return CheckResult.UNKNOWN

        self.evaluated_keys = ["mfa_configuration", "software_token_mfa_configuration/[0]/enabled"]
        totp = cs.block(conf, "software_token_mfa_configuration")
        if isinstance(totp, cs.Unknown):
            return self._unknown(totp.reason)
        if isinstance(totp, dict):
            label = "software_token_mfa_configuration.enabled"
            enabled = cs.as_bool(cs.lookup(totp, "enabled", plan=cs.is_plan(conf), label=label), label)
            if isinstance(enabled, cs.Unknown):
                return self._unknown(enabled.reason)
            if enabled is True:
                return CheckResult.PASSED
            self.details.append(
                "software_token_mfa_configuration has enabled = false, which offers no TOTP factor; "
                + self._other_factors(conf)
            )
        else:
            self.details.append(
                "mfa_configuration is ON but there is no software_token_mfa_configuration (TOTP); "
                + self._other_factors(conf)
            )
        self.details.append(cs.fix_hint(META))
        return CheckResult.FAILED


check = CognitoUserPoolMfaTotp()
