resource "aws_iam_policy" "enforce_mfa" {
  name = "enforce-mfa-except-break-glass"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyAllExceptListedIfNoMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      "Resource" = "*"
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
        "StringNotEquals" = {
          "aws:username" = ["break-glass"]
        }
      }
    }]
  })
}

resource "aws_iam_group" "engineers" {
  name = "engineers"
}

resource "aws_iam_group_policy_attachment" "engineers" {
  group = aws_iam_group.engineers.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_policy" "enforce_mfa_by_path" {
  name = "enforce-mfa-except-emergency-path"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyAllExceptListedIfNoMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      "Resource" = "*"
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
        "ArnNotLike" = {
          "aws:PrincipalArn" = ["arn:aws:iam::*:user/emergency/*"]
        }
      }
    }]
  })
}

resource "aws_iam_group" "operators" {
  name = "operators"
}

resource "aws_iam_group_policy_attachment" "operators" {
  group = aws_iam_group.operators.name
  policy_arn = aws_iam_policy.enforce_mfa_by_path.arn
}

resource "aws_iam_user" "pass_alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "pass_alice" {
  user = aws_iam_user.pass_alice.name
}

resource "aws_iam_user_group_membership" "pass_alice" {
  user = aws_iam_user.pass_alice.name
  groups = [aws_iam_group.engineers.name]
}

resource "aws_iam_user" "fail_break_glass" {
  name = "break-glass"
}

resource "aws_iam_user_login_profile" "fail_break_glass" {
  user = aws_iam_user.fail_break_glass.name
}

resource "aws_iam_user_group_membership" "fail_break_glass" {
  user = aws_iam_user.fail_break_glass.name
  groups = [aws_iam_group.engineers.name]
}

resource "aws_iam_user" "pass_operator" {
  name = "bob"
  path = "/ops/"
}

resource "aws_iam_user_login_profile" "pass_operator" {
  user = aws_iam_user.pass_operator.name
}

resource "aws_iam_user_group_membership" "pass_operator" {
  user = aws_iam_user.pass_operator.name
  groups = [aws_iam_group.operators.name]
}

resource "aws_iam_user" "fail_emergency" {
  name = "emergency-1"
  path = "/emergency/"
}

resource "aws_iam_user_login_profile" "fail_emergency" {
  user = aws_iam_user.fail_emergency.name
}

resource "aws_iam_user_group_membership" "fail_emergency" {
  user = aws_iam_user.fail_emergency.name
  groups = [aws_iam_group.operators.name]
}

# The same break-glass policy on a group whose console members are all outside the exemption:
# decided member by member, it enforces MFA on each of them (CKV2_MFA_3 passes).
resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy_attachment" "developers" {
  group = aws_iam_group.developers.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_user" "pass_carol" {
  name = "carol"
}

resource "aws_iam_user_login_profile" "pass_carol" {
  user = aws_iam_user.pass_carol.name
}

resource "aws_iam_user_group_membership" "pass_carol" {
  user = aws_iam_user.pass_carol.name
  groups = [aws_iam_group.developers.name]
}
