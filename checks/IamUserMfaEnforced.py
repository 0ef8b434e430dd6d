"""CKV2_MFA_2: every IAM user, access-key-only ones included, is reached by an MFA-enforcing Deny (IAM.19).

A graph check: the logic and the messages are in mfaguard.iam_graph (one index of the IAM
vertices per graph, shared by CKV_MFA_4 and CKV2_MFA_1..3); metadata in mfaguard.catalogue.
"""
from mfaguard.iam_graph import make_check_class, register


class IamUserMfaEnforced(make_check_class()):
    check_id = "CKV2_MFA_2"


register(IamUserMfaEnforced())
