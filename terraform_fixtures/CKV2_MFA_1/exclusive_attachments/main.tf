# aws_iam_user_policy_attachments_exclusive / aws_iam_group_policy_attachments_exclusive attach
# managed policies as the single-attachment resources do (AWS provider 5.x), in scan and drift.
resource "aws_iam_policy" "enforce_mfa" {
  name = "enforce-mfa"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyAllExceptMfaEnrolmentWithoutMFA"
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

variable "extra_policy_arns" {
  type = list(string)
}

resource "aws_iam_user" "pass_user_exclusive" {
  name = "pass-user-exclusive"
}

resource "aws_iam_user_login_profile" "pass_user_exclusive" {
  user = aws_iam_user.pass_user_exclusive.name
}

resource "aws_iam_user_policy_attachments_exclusive" "pass_user_exclusive" {
  user_name   = aws_iam_user.pass_user_exclusive.name
  policy_arns = [aws_iam_policy.enforce_mfa.arn, "arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_group" "pass_group_exclusive" {
  name = "pass-group-exclusive"
}

resource "aws_iam_group_policy_attachments_exclusive" "pass_group_exclusive" {
  group_name  = aws_iam_group.pass_group_exclusive.name
  policy_arns = [aws_iam_policy.enforce_mfa.arn]
}

resource "aws_iam_user" "pass_via_group_exclusive" {
  name = "pass-via-group-exclusive"
}

resource "aws_iam_user_login_profile" "pass_via_group_exclusive" {
  user = aws_iam_user.pass_via_group_exclusive.name
}

resource "aws_iam_user_group_membership" "pass_via_group_exclusive" {
  user   = aws_iam_user.pass_via_group_exclusive.name
  groups = [aws_iam_group.pass_group_exclusive.name]
}

resource "aws_iam_user" "fail_exclusive_aws_managed" {
  name = "fail-exclusive-aws-managed"
}

resource "aws_iam_user_login_profile" "fail_exclusive_aws_managed" {
  user = aws_iam_user.fail_exclusive_aws_managed.name
}

resource "aws_iam_user_policy_attachments_exclusive" "fail_exclusive_aws_managed" {
  user_name   = aws_iam_user.fail_exclusive_aws_managed.name
  policy_arns = ["arn:aws:iam::aws:policy/ReadOnlyAccess"]
}

resource "aws_iam_user" "unknown_exclusive_variable" {
  name = "unknown-exclusive-variable"
}

resource "aws_iam_user_login_profile" "unknown_exclusive_variable" {
  user = aws_iam_user.unknown_exclusive_variable.name
}

resource "aws_iam_user_policy_attachments_exclusive" "unknown_exclusive_variable" {
  user_name   = aws_iam_user.unknown_exclusive_variable.name
  policy_arns = var.extra_policy_arns
}
