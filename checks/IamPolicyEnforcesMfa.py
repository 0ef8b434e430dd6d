"""CKV_MFA_4: an IAM policy document that denies on aws:MultiFactorAuthPresent really enforces MFA.

A graph check: the logic and the messages are in mfaguard.iam_graph (one index of the IAM
vertices per graph, shared by CKV_MFA_4 and CKV2_MFA_1..3); metadata in mfaguard.catalogue.
"""
from mfaguard.iam_graph import make_check_class, register


class IamPolicyEnforcesMfa(make_check_class()):
    check_id = "CKV_MFA_4"


register(IamPolicyEnforcesMfa())
