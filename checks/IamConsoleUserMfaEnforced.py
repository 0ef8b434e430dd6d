"""CKV2_MFA_1: an IAM user with a console password is reached by an MFA-enforcing Deny (IAM.5).

Judges every user with an aws_iam_user_login_profile, on the console sign-in path: the engine's
coverage (mfaguard.policy.coverage) over the policies that reach the user, inline, attached,
through its groups and its permissions boundary.  Metadata in mfaguard.catalogue.
"""
from mfaguard.checkov_adapter.check import IamGraphCheck, register
from mfaguard.checkov_adapter.graph import USER
from mfaguard.checkov_adapter.messages import user_result
from mfaguard.policy.semantics import CONSOLE


class IamConsoleUserMfaEnforced(IamGraphCheck):
    check_id = "CKV2_MFA_1"
    candidate_types = (USER,)

    def judge(self, model):
        for key, user in model.principals.users.items():
            if user.console:
                yield model.nodes[key], user_result(model, key, frozenset({CONSOLE}), self.check_id)


register(IamConsoleUserMfaEnforced())
