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

resource "aws_iam_group" "via_attachment" {
  name = "via-attachment"
}

resource "aws_iam_group_policy_attachment" "via_attachment" {
  group = aws_iam_group.via_attachment.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_group" "via_inline" {
  name = "via-inline"
}

resource "aws_iam_group_policy" "via_inline" {
  name = "enforce-mfa"
  group = aws_iam_group.via_inline.name
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
          "BoolIfExists" = {
            "aws:MultiFactorAuthPresent" = false
          }
        }
      }
    ]
  })
}

resource "aws_iam_group" "via_policy_attachment" {
  name = "via-policy-attachment"
}

resource "aws_iam_policy_attachment" "groups" {
  name = "enforce-mfa-groups"
  groups = [aws_iam_group.via_policy_attachment.name]
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_user" "pass_user_group_membership" {
  name = "pass-user-group-membership"
}

resource "aws_iam_user_login_profile" "pass_user_group_membership" {
  user = aws_iam_user.pass_user_group_membership.name
}

resource "aws_iam_user_group_membership" "pass_user_group_membership" {
  user = aws_iam_user.pass_user_group_membership.name
  groups = [aws_iam_group.via_attachment.name]
}

resource "aws_iam_user" "pass_group_membership" {
  name = "pass-group-membership"
}

resource "aws_iam_user_login_profile" "pass_group_membership" {
  user = aws_iam_user.pass_group_membership.name
}

resource "aws_iam_group_membership" "via_inline" {
  name = "via-inline"
  group = aws_iam_group.via_inline.name
  users = [aws_iam_user.pass_group_membership.name]
}

resource "aws_iam_user" "pass_policy_attachment_group" {
  name = "pass-policy-attachment-group"
}

resource "aws_iam_user_login_profile" "pass_policy_attachment_group" {
  user = aws_iam_user.pass_policy_attachment_group.name
}

resource "aws_iam_group_membership" "via_policy_attachment" {
  name = "via-policy-attachment"
  group = aws_iam_group.via_policy_attachment.name
  users = [aws_iam_user.pass_policy_attachment_group.name]
}

resource "aws_iam_user" "pass_policy_attachment_user" {
  name = "pass-policy-attachment-user"
}

resource "aws_iam_user_login_profile" "pass_policy_attachment_user" {
  user = aws_iam_user.pass_policy_attachment_user.name
}

resource "aws_iam_policy_attachment" "users" {
  name = "enforce-mfa-users"
  users = [aws_iam_user.pass_policy_attachment_user.name]
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_user" "pass_user_attachment" {
  name = "pass-user-attachment"
}

resource "aws_iam_user_login_profile" "pass_user_attachment" {
  user = aws_iam_user.pass_user_attachment.name
}

resource "aws_iam_user_policy_attachment" "pass_user_attachment" {
  user = aws_iam_user.pass_user_attachment.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_user" "pass_user_inline" {
  name = "pass-user-inline"
}

resource "aws_iam_user_login_profile" "pass_user_inline" {
  user = aws_iam_user.pass_user_inline.name
}

resource "aws_iam_user_policy" "pass_user_inline" {
  name = "enforce-mfa"
  user = aws_iam_user.pass_user_inline.name
  policy = data.aws_iam_policy_document.enforce_mfa.json
}

resource "aws_iam_user" "pass_literal_name" {
  name = "pass-literal-name"
}

resource "aws_iam_user_login_profile" "pass_literal_name" {
  user = aws_iam_user.pass_literal_name.name
}

resource "aws_iam_user_group_membership" "pass_literal_name" {
  user = "pass-literal-name"
  groups = ["via-inline"]
}

resource "aws_iam_user" "fail_no_policy" {
  name = "fail-no-policy"
}

resource "aws_iam_user_login_profile" "fail_no_policy" {
  user = aws_iam_user.fail_no_policy.name
}

resource "aws_iam_user" "fail_null_only" {
  name = "fail-null-only"
}

resource "aws_iam_user_login_profile" "fail_null_only" {
  user = aws_iam_user.fail_null_only.name
}

resource "aws_iam_user_policy" "fail_null_only" {
  name = "keys-only"
  user = aws_iam_user.fail_null_only.name
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
          "Null" = {
            "aws:MultiFactorAuthPresent" = "true"
          }
        }
      }
    ]
  })
}

resource "aws_iam_user" "keys_only" {
  name = "keys-only"
}

resource "aws_iam_access_key" "keys_only" {
  user = aws_iam_user.keys_only.name
}
