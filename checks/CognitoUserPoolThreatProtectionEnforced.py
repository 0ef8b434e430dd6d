"""CKV_MFA_3: Cognito user pool threat protection in full-function (ENFORCED) mode, standard auth.

Security Hub Cognito.1. The verdict and its wording: mfaguard.policy.cognito.threat_protection
(threat protection needs user_pool_tier = "PLUS"). Metadata: mfaguard.catalogue.
"""
from mfaguard.catalogue import check as catalogue_check
from mfaguard.cognito_conf import CognitoPoolCheck
from mfaguard.policy import cognito


class CognitoUserPoolThreatProtectionEnforced(CognitoPoolCheck):
    META = catalogue_check("CKV_MFA_3")
    rule = staticmethod(cognito.threat_protection)


check = CognitoUserPoolThreatProtectionEnforced()
