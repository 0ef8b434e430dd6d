"""CKV2_MFA_2: every IAM user, access-key-only ones included, is reached by an MFA-enforcing Deny (IAM.19).

Judges every user on its own sign-in paths (console if it has a login profile, access keys if
it has one; both when the configuration declares neither, since either can be added by hand):
the engine's coverage (mfaguard.policy.coverage).  Metadata in mfaguard.catalogue.
"""
from mfaguard.checkov_adapter.check import IamGraphCheck, register
from mfaguard.checkov_adapter.graph import USER
from mfaguard.checkov_adapter.messages import user_result
from mfaguard.policy.coverage import user_paths


class IamUserMfaEnforced(IamGraphCheck):
    check_id = "CKV2_MFA_2"
    candidate_types = (USER,)

    def judge(self, model):
        for key, user in model.principals.users.items():
            yield model.nodes[key], user_result(model, key, user_paths(user), self.check_id)


register(IamUserMfaEnforced())
