"""CKV_MFA_6: aws_iam_organizations_features enables RootCredentialsManagement.

Evidence for IAM.9/IAM.6 in member accounts whose root has no credentials. The verdict and its
wording: mfaguard.policy.org_features (also says what RootSessions adds). Metadata:
mfaguard.catalogue.
"""
from typing import Any

from mfaguard import checks_support as cs
from mfaguard.catalogue import check as catalogue_check
from mfaguard.check_adapter import DecisionCheck
from mfaguard.policy import org_features
from mfaguard.policy.decision import Unknown


def _features(conf: dict[str, Any]) -> Any:
    found = cs.string_list(conf, "enabled_features")
    if found == [] and not cs.is_plan(conf):
        # Checkov renders a list variable without a value as [] (its placeholder): an empty list
        # in HCL cannot be told from an unresolved one.  A plan's [] is real.
        return Unknown("enabled_features is empty, or a list variable without a value (Checkov shows both as [])")
    return tuple(found) if isinstance(found, list) else found


class IamOrganizationsRootCredentialsManagement(DecisionCheck):
    META = catalogue_check("CKV_MFA_6")
    model = staticmethod(_features)
    rule = staticmethod(org_features.root_credentials_management)


check = IamOrganizationsRootCredentialsManagement()
