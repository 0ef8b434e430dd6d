# CKV_MFA_6: the organisation manages member accounts' root credentials centrally
# (RootCredentialsManagement). RootSessions on its own does not; a variable without a default
# cannot be decided. (One organisation has one such resource: each case stands for a
# different organisation's configuration.)
variable "root_features" {
  description = "No default: unknown to a static scan"
  type        = list(string)
}

resource "aws_iam_organizations_features" "pass_both" {
  enabled_features = [
    "RootCredentialsManagement",
    "RootSessions",
  ]
}

resource "aws_iam_organizations_features" "pass_management_only" {
  enabled_features = ["RootCredentialsManagement"]
}

resource "aws_iam_organizations_features" "fail_sessions_only" {
  enabled_features = ["RootSessions"]
}

resource "aws_iam_organizations_features" "fail_empty" {
  enabled_features = []
}

resource "aws_iam_organizations_features" "unknown_var_nodefault" {
  enabled_features = var.root_features
}
