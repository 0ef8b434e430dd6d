"""CKV_MFA_3: Cognito user pool threat protection is in full-function (ENFORCED) mode (Cognito.1).

AUDIT only logs risky sign-ins; OFF or no user_pool_add_ons block means no threat protection.
Metadata comes from mfaguard.catalogue.
"""
from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from mfaguard import checks_support as cs
from mfaguard.catalogue import check as catalogue_check

META = catalogue_check("CKV_MFA_3")
MODES = ("ENFORCED", "AUDIT", "OFF")


class CognitoUserPoolThreatProtectionEnforced(BaseResourceCheck):
    def __init__(self) -> None:
        super().__init__(**cs.init_kwargs(META.id))
        cs.apply_metadata(self, META)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        self.evaluated_keys = ["user_pool_add_ons/[0]/advanced_security_mode"]
        add_ons = cs.block(conf, "user_pool_add_ons")
        if isinstance(add_ons, cs.Unknown):
            self.details.append(cs.UNKNOWN_PREFIX + add_ons.reason)
            return CheckResult.UNKNOWN
        if add_ons is cs.ABSENT:
            self.details.append("there is no user_pool_add_ons block: threat protection is off")
        else:
            mode = cs.lookup(
                add_ons, "advanced_security_mode", plan=cs.is_plan(conf),
                label="user_pool_add_ons.advanced_security_mode",
            )
            if isinstance(mode, cs.Unknown):
                self.details.append(cs.UNKNOWN_PREFIX + mode.reason)
                return CheckResult.UNKNOWN
            if mode == "ENFORCED":
                return CheckResult.PASSED
            if mode == "AUDIT":
                self.details.append(
                    "advanced_security_mode is AUDIT: risky sign-ins are only logged, never blocked or challenged"
                )
            elif mode in ("OFF", cs.ABSENT):
                self.details.append("advanced_security_mode is OFF: threat protection is off")
            else:
                self.details.append(
                    cs.UNKNOWN_PREFIX + f"advanced_security_mode = {mode!r} is not one of {', '.join(MODES)}"
                )
                return CheckResult.UNKNOWN
        self.details.append(cs.fix_hint(META))
        return CheckResult.FAILED


check = CognitoUserPoolThreatProtectionEnforced()
