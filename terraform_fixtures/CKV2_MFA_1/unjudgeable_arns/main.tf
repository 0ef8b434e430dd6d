data "aws_iam_policy_document" "enforce_mfa" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

resource "aws_iam_policy" "enforce_mfa" {
  name = "enforce-mfa"
  policy = data.aws_iam_policy_document.enforce_mfa.json
}

resource "aws_iam_user" "fail_aws_managed_only" {
  name = "fail-aws-managed-only"
}

resource "aws_iam_user_login_profile" "fail_aws_managed_only" {
  user = aws_iam_user.fail_aws_managed_only.name
}

resource "aws_iam_user_policy_attachment" "fail_aws_managed_only" {
  user = aws_iam_user.fail_aws_managed_only.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user" "unknown_other_account" {
  name = "unknown-other-account"
}

resource "aws_iam_user_login_profile" "unknown_other_account" {
  user = aws_iam_user.unknown_other_account.name
}

resource "aws_iam_user_policy_attachment" "unknown_other_account" {
  user = aws_iam_user.unknown_other_account.name
  policy_arn = "arn:aws:iam::111122223333:policy/security/require-mfa"
}

resource "aws_iam_user" "unknown_variable" {
  name = "unknown-variable"
}

resource "aws_iam_user_login_profile" "unknown_variable" {
  user = aws_iam_user.unknown_variable.name
}

resource "aws_iam_user_policy_attachment" "unknown_variable" {
  user = aws_iam_user.unknown_variable.name
  policy_arn = var.mfa_policy_arn
}

resource "aws_iam_user" "pass_arn_in_config" {
  name = "pass-arn-in-config"
}

resource "aws_iam_user_login_profile" "pass_arn_in_config" {
  user = aws_iam_user.pass_arn_in_config.name
}

resource "aws_iam_user_policy_attachment" "pass_arn_in_config" {
  user = aws_iam_user.pass_arn_in_config.name
  policy_arn = "arn:aws:iam::111122223333:policy/enforce-mfa"
}

resource "aws_iam_user" "pass_despite_managed" {
  name = "pass-despite-managed"
}

resource "aws_iam_user_login_profile" "pass_despite_managed" {
  user = aws_iam_user.pass_despite_managed.name
}

resource "aws_iam_user_policy_attachment" "pass_despite_managed_ro" {
  user = aws_iam_user.pass_despite_managed.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user_policy_attachment" "pass_despite_managed_mfa" {
  user = aws_iam_user.pass_despite_managed.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}
