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

resource "aws_iam_group" "pass_attached" {
  name = "pass-attached"
}

resource "aws_iam_group_policy_attachment" "pass_attached" {
  group = aws_iam_group.pass_attached.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_group" "pass_bool_inline" {
  name = "pass-bool-inline"
}

resource "aws_iam_group_policy" "pass_bool_inline" {
  name = "bool"
  group = aws_iam_group.pass_bool_inline.name
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [
      {
        "Sid" = "DenyWithoutMFA"
        "Effect" = "Deny"
        "NotAction" = [
          "iam:CreateVirtualMFADevice",
          "iam:EnableMFADevice",
          "iam:GetUser",
          "iam:GetMFADevice",
          "iam:ListMFADevices",
          "iam:ListVirtualMFADevices",
          "iam:ResyncMFADevice",
          "iam:ChangePassword",
          "iam:GetAccountPasswordPolicy",
          "sts:GetSessionToken"
        ]
        "Resource" = "*"
        "Condition" = {
          "Bool" = {
            "aws:MultiFactorAuthPresent" = "false"
          }
        }
      }
    ]
  })
}

resource "aws_iam_group" "fail_no_policy" {
  name = "fail-no-policy"
}

resource "aws_iam_group" "fail_aws_managed_only" {
  name = "fail-aws-managed-only"
}

resource "aws_iam_group_policy_attachment" "fail_aws_managed_only" {
  group = aws_iam_group.fail_aws_managed_only.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_group" "keys_members_only" {
  name = "keys-members-only"
}

resource "aws_iam_group" "no_members" {
  name = "no-members"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_access_key" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_group_membership" "console" {
  name = "console"
  group = aws_iam_group.pass_attached.name
  users = [aws_iam_user.alice.name]
}

resource "aws_iam_user_group_membership" "alice" {
  user = aws_iam_user.alice.name
  groups = [aws_iam_group.pass_bool_inline.name, aws_iam_group.fail_no_policy.name, aws_iam_group.fail_aws_managed_only.name]
}

resource "aws_iam_user_group_membership" "bob" {
  user = aws_iam_user.bob.name
  groups = [aws_iam_group.keys_members_only.name]
}
