resource "aws_iam_group" "enforced" {
  name = "enforced"
}

resource "aws_iam_group_policy" "enforced" {
  name = "enforce-mfa"
  group = aws_iam_group.enforced.name
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

variable "people" {
  default = { ana = "enforced", bo = "" }
}

resource "aws_iam_user" "u" {
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "u" {
  for_each = aws_iam_user.u
  user     = each.value.name
}

resource "aws_iam_user_group_membership" "m" {
  for_each = { for k, v in var.people : k => v if v != "" }
  user     = aws_iam_user.u[each.key].name
  groups   = [aws_iam_group.enforced.name]
}
