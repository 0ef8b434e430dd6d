resource "aws_iam_group" "console_only" {
  name = "console-only"
}

resource "aws_iam_group_policy" "console_only" {
  name = "bool-only"
  group = aws_iam_group.console_only.name
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

resource "aws_iam_group" "everything" {
  name = "everything"
}

resource "aws_iam_group_policy" "everything" {
  name = "enforce-mfa"
  group = aws_iam_group.everything.name
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

resource "aws_iam_user" "fail_keys_bool_only" {
  name = "fail-keys-bool-only"
}

resource "aws_iam_access_key" "fail_keys_bool_only" {
  user = aws_iam_user.fail_keys_bool_only.name
}

resource "aws_iam_user_group_membership" "fail_keys_bool_only" {
  user = aws_iam_user.fail_keys_bool_only.name
  groups = [aws_iam_group.console_only.name]
}

resource "aws_iam_user" "pass_console_bool_only" {
  name = "pass-console-bool-only"
}

resource "aws_iam_user_login_profile" "pass_console_bool_only" {
  user = aws_iam_user.pass_console_bool_only.name
}

resource "aws_iam_user_group_membership" "pass_console_bool_only" {
  user = aws_iam_user.pass_console_bool_only.name
  groups = [aws_iam_group.console_only.name]
}

resource "aws_iam_user" "fail_undeclared_bool_only" {
  name = "fail-undeclared-bool-only"
}

resource "aws_iam_user_group_membership" "fail_undeclared_bool_only" {
  user = aws_iam_user.fail_undeclared_bool_only.name
  groups = [aws_iam_group.console_only.name]
}

resource "aws_iam_user" "fail_keys_null_only" {
  name = "fail-keys-null-only"
}

resource "aws_iam_access_key" "fail_keys_null_only" {
  user = aws_iam_user.fail_keys_null_only.name
}

resource "aws_iam_user_policy" "fail_keys_null_only" {
  name = "keys"
  user = aws_iam_user.fail_keys_null_only.name
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

resource "aws_iam_user" "pass_both_split" {
  name = "pass-both-split"
}

resource "aws_iam_user_login_profile" "pass_both_split" {
  user = aws_iam_user.pass_both_split.name
}

resource "aws_iam_access_key" "pass_both_split" {
  user = aws_iam_user.pass_both_split.name
}

resource "aws_iam_user_policy" "pass_both_split" {
  name = "keys"
  user = aws_iam_user.pass_both_split.name
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
            "aws:MultiFactorAuthAge" = "true"
          }
        }
      }
    ]
  })
}

resource "aws_iam_user_group_membership" "pass_both_split" {
  user = aws_iam_user.pass_both_split.name
  groups = [aws_iam_group.console_only.name]
}

resource "aws_iam_user" "pass_undeclared_everything" {
  name = "pass-undeclared-everything"
}

resource "aws_iam_user_group_membership" "pass_undeclared_everything" {
  user = aws_iam_user.pass_undeclared_everything.name
  groups = [aws_iam_group.everything.name]
}

resource "aws_iam_user" "fail_nothing" {
  name = "fail-nothing"
}

resource "aws_iam_access_key" "fail_nothing" {
  user = aws_iam_user.fail_nothing.name
}
