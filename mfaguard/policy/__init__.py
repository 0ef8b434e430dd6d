"""The engine: the one place that decides every verdict, for the scan and for drift alike.

No Checkov and no boto3 here; the adapters (mfaguard.checkov_adapter, mfaguard.drift.desired,
mfaguard.drift.live) build the model and ask.

    semantics.py   what one policy document enforces (MFA semantics, per sign-in path)
    documents.py   the forms a document arrives in (jsonencode, heredoc, policy_document blocks)
    values.py      Terraform values: the list unwrapper, the unresolved-value detector, the decoder
    model.py       the neutral model: users, groups, policies, attachments, boundaries, credentials
    references.py  what a policy reference names (configured, AWS-managed, outside, unknown)
    coverage.py    which policies reach a principal and whether MFA is enforced on its paths
    decision.py    the verdict constants, UNSET and Unknown the resource rules share
    cognito.py     Cognito user pool verdicts (Cognito.5, Cognito.1, Cognito.4)
    org_features.py  root-access management (CKV_MFA_6)
"""
