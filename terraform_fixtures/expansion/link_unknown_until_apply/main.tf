# The group side of a membership and of a policy attachment is a local holding the group's `id`
# (terraform-aws-modules/iam v5's iam-group-with-policies: `group = local.group_name`). The id is
# known only after apply, so a plan leaves `group` unknown and its configuration names only
# `local.group_name` (a plan does not list locals). The configuration still says which group it
# is: jo is a console user in the admins group, whose attached policy enforces MFA.
#  - jo: member of admins (enforcing): PASSED; lee: no group, no enforcement: FAILED.
locals {
  group_name = aws_iam_group.admins.id
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_policy" "enforce" {
  name = "enforce-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "DenyAllExceptMfaEnrolmentWithoutMFA"
      Effect = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
                   "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword",
                   "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_iam_group_policy_attachment" "enforce" {
  group      = local.group_name
  policy_arn = aws_iam_policy.enforce.arn
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = local.group_name
  users = [aws_iam_user.jo.name]
}

resource "aws_iam_user" "jo" {
  name = "jo"
}

resource "aws_iam_user_login_profile" "jo" {
  user = aws_iam_user.jo.name
}

resource "aws_iam_user" "lee" {
  name = "lee"
}

resource "aws_iam_user_login_profile" "lee" {
  user = aws_iam_user.lee.name
}
