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

resource "aws_iam_user" "team" {
  for_each = toset(["ana", "bo"])
  name = "${each.key}"
}

resource "aws_iam_user_group_membership" "team" {
  for_each = toset(["ana"])
  user = aws_iam_user.team[each.key].name
  groups = [aws_iam_group.enforced.name]
}

resource "aws_iam_user" "bots" {
  count = 2
  name = "bot"
}

resource "aws_iam_user" "svc" {
  count = 2
  name = "svc-${count.index}"
}

resource "aws_iam_user_group_membership" "svc" {
  count = 1
  user = aws_iam_user.svc[count.index].name
  groups = [aws_iam_group.enforced.name]
}
