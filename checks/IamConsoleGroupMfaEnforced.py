"""CKV2_MFA_3: an IAM group with console members has an MFA-enforcing policy.

Judges every group with at least one member that has a console password: the group's own
policies (inline and attached) must cover console sign-in, as the engine computes it
(mfaguard.policy.coverage).  Metadata in mfaguard.catalogue.
"""
from mfaguard.checkov_adapter.check import IamGraphCheck, register
from mfaguard.checkov_adapter.graph import GROUP
from mfaguard.checkov_adapter.messages import group_result


class IamConsoleGroupMfaEnforced(IamGraphCheck):
    check_id = "CKV2_MFA_3"
    candidate_types = (GROUP,)

    def judge(self, model):
        for key in model.principals.groups:
            if any(u.console for u in model.principals.members(key)):
                yield model.nodes[key], group_result(model, key, self.check_id)


register(IamConsoleGroupMfaEnforced())
