"""CKV_MFA_5: Cognito user pool threat protection in full-function (ENFORCED) mode for custom auth.

Security Hub Cognito.4 (AWS Config cognito-userpool-cust-auth-threat-full-check). The verdict
and its wording: mfaguard.policy.cognito.custom_auth_protection (custom_auth_mode defaults to
AUDIT; threat protection needs user_pool_tier = "PLUS"). Metadata: mfaguard.catalogue.
"""
from mfaguard.catalogue import check as catalogue_check
from mfaguard.cognito_conf import CognitoPoolCheck
from mfaguard.policy import cognito


class CognitoUserPoolCustomAuthThreatProtection(CognitoPoolCheck):
    META = catalogue_check("CKV_MFA_5")
    rule = staticmethod(cognito.custom_auth_protection)


check = CognitoUserPoolCustomAuthThreatProtection()
