"""CKV_MFA_1: a Cognito user pool with password sign-in requires MFA (mfa_configuration = "ON").

Security Hub Cognito.5. The verdict and its wording: mfaguard.policy.cognito.mfa_required
(scope: a pool whose sign-in policy excludes PASSWORD is not applicable). Metadata:
mfaguard.catalogue.
"""
from mfaguard.catalogue import check as catalogue_check
from mfaguard.cognito_conf import CognitoPoolCheck
from mfaguard.policy import cognito


class CognitoUserPoolMfaRequired(CognitoPoolCheck):
    META = catalogue_check("CKV_MFA_1")
    rule = staticmethod(cognito.mfa_required)


check = CognitoUserPoolMfaRequired()
