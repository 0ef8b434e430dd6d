"""Centralised root access (IAM organizations features): the verdict of CKV_MFA_6.

    root_credentials_management(enabled_features) -> Decision

`enabled_features` is a tuple of `aws_iam_organizations_features.enabled_features`
(`iam:ListOrganizationsFeatures`' EnabledFeatures), UNSET or Unknown.  No Checkov, no boto3.

AWS (IAM user guide, "Centralize root access for member accounts"): with
RootCredentialsManagement the management account (or a delegated administrator) can delete a
member account's root password, access keys, signing certificates and MFA devices and keep
them from being recovered; a member root without credentials cannot sign in, which Security
Hub's IAM.9/IAM.6 (and AWS Config) treat as passing.  Enabling it deletes no credential that
already exists.  RootSessions adds short-term privileged root sessions (sts:AssumeRoot) taken
from the management account for the few tasks that need root, so none needs root credentials.
"""
from __future__ import annotations

from typing import Any

from mfaguard.policy.decision import FAILED, PASSED, UNKNOWN, UNSET, Decision, Unknown

MANAGEMENT = "RootCredentialsManagement"
SESSIONS = "RootSessions"
FEATURES = (MANAGEMENT, SESSIONS)
_KEYS = ("enabled_features",)
_SESSIONS_NOTE = (f"{SESSIONS} is not enabled: it adds short privileged root sessions (sts:AssumeRoot) from the "
                  "management account, so the few tasks that need root (unlocking a bucket policy, re-enabling "
                  "account recovery) never need member root credentials again")
_EXISTING = ("enabling it deletes no credential that already exists: delete each member root's password, "
             "access keys and MFA devices too (mfaguard drift --org finds the ones left)")


def root_credentials_management(enabled_features: Any) -> Decision:
    if isinstance(enabled_features, Unknown):
        return Decision(UNKNOWN, enabled_features.reason, _KEYS)
    features = () if enabled_features is UNSET else tuple(enabled_features)
    unknown = sorted(set(features) - set(FEATURES))
    if unknown:
        return Decision(UNKNOWN, f"enabled_features has {', '.join(unknown)}, not one of {', '.join(FEATURES)}",
                        _KEYS)
    if MANAGEMENT not in features:
        shown = ", ".join(features) if features else "nothing"
        return Decision(FAILED, f"enabled_features enables {shown}, not {MANAGEMENT}: every member account's root "
                                "user keeps its own password and access keys, a sign-in that needs its own MFA "
                                f"device (IAM.9, hardware for IAM.6) in every account; {MANAGEMENT} lets the "
                                "management account delete them and keeps them from being recovered; "
                                + _EXISTING, _KEYS)
    if SESSIONS not in features:
        return Decision(PASSED, _SESSIONS_NOTE, _KEYS)
    return Decision(PASSED, keys=_KEYS)
