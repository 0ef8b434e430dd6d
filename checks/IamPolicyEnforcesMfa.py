"""CKV_MFA_4: an IAM policy document that denies on aws:MultiFactorAuthPresent really enforces MFA.

Judges every policy document vertex (aws_iam_policy, aws_iam_group_policy, aws_iam_user_policy,
data.aws_iam_policy_document, and aws_organizations_policy of type SERVICE_CONTROL_POLICY): its
document as the engine judges it (mfaguard.policy.semantics).
Unresolvable: UNKNOWN; not an MFA enforcement attempt: PASSED; an attempt passes only when it
enforces both sign-in paths with no lock-out and no hole.  Metadata in mfaguard.catalogue.
"""
from mfaguard.checkov_adapter.check import IamGraphCheck, register
from mfaguard.checkov_adapter.graph import DOCUMENT_TYPES, ORG_POLICY, SCP_TYPE
from mfaguard.checkov_adapter.messages import document_result
from mfaguard.policy.values import unwrap


class IamPolicyEnforcesMfa(IamGraphCheck):
    check_id = "CKV_MFA_4"
    candidate_types = DOCUMENT_TYPES

    def judge(self, model):
        for rtype in DOCUMENT_TYPES:
            for node in model.index.by_type.get(rtype, []):
                if rtype == ORG_POLICY and not _service_control_policy(node):
                    continue  # tag, backup, AI opt-out, resource control policies: no MFA deny to judge
                yield node, document_result(node.display, model.verdict(node), self.check_id)


def _service_control_policy(node) -> bool:
    """`type` absent (the provider's default) or SERVICE_CONTROL_POLICY; an unresolved type is
    judged too (the document then says whether it tries to enforce MFA)."""
    kind = unwrap(node.value("type"))
    return kind is None or kind == SCP_TYPE or not isinstance(kind, str) or "${" in kind


register(IamPolicyEnforcesMfa())
