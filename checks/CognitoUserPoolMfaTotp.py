"""CKV_MFA_2: a Cognito user pool that requires MFA offers TOTP, not SMS or email codes alone.

The verdict and its wording: mfaguard.policy.cognito.totp_offered (pools that do not require
MFA are not applicable; CKV_MFA_1 reports them). Metadata: mfaguard.catalogue.
"""
from mfaguard.catalogue import check as catalogue_check
from mfaguard.cognito_conf import CognitoPoolCheck
from mfaguard.policy import cognito


class CognitoUserPoolMfaTotp(CognitoPoolCheck):
    META = catalogue_check("CKV_MFA_2")
    rule = staticmethod(cognito.totp_offered)


check = CognitoUserPoolMfaTotp()
