"""CKV_MFA_4: an IAM policy document that denies on aws:MultiFactorAuthPresent really enforces MFA.

Judges every policy document vertex (aws_iam_policy, aws_iam_group_policy, aws_iam_user_policy,
data.aws_iam_policy_document): its document as the engine judges it (mfaguard.policy.semantics).
Unresolvable: UNKNOWN; not an MFA enforcement attempt: PASSED; an attempt passes only when it
enforces both sign-in paths with no lock-out and no hole.  Metadata in mfaguard.catalogue.
"""
from mfaguard.checkov_adapter.check import IamGraphCheck, register
from mfaguard.checkov_adapter.graph import DOCUMENT_TYPES
from mfaguard.checkov_adapter.messages import document_result


class IamPolicyEnforcesMfa(IamGraphCheck):
    check_id = "CKV_MFA_4"
    candidate_types = DOCUMENT_TYPES

    def judge(self, model):
        for rtype in DOCUMENT_TYPES:
            for node in model.index.by_type.get(rtype, []):
                yield node, document_result(node.display, model.verdict(node), self.check_id)


register(IamPolicyEnforcesMfa())
