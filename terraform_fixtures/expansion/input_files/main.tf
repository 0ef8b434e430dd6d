# gil and hal are put into the group named by var.mfa_group (locals); ivy is not.
locals {
  enforced_users = [for name in var.console_users : name if name != "ivy"]
}

resource "aws_iam_group" "enforced" {
  name = "enforced"
}

resource "aws_iam_group_policy" "enforced" {
  name  = "enforce-mfa"
  group = aws_iam_group.enforced.name
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

resource "aws_iam_user" "console" {
  for_each = toset(var.console_users)
  name     = each.key
}

resource "aws_iam_user_login_profile" "console" {
  for_each = aws_iam_user.console
  user     = each.value.name
}

resource "aws_iam_group_membership" "enforced" {
  count = var.mfa_group != "" ? 1 : 0
  name  = "${var.mfa_group}-members"
  group = var.mfa_group
  users = local.enforced_users
}
