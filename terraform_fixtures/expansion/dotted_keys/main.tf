# for_each keys with "." and "@" (user names and e-mail addresses): every instance is judged and
# named by its key.  jane.doe and ops are in the enforcing group; max@example.com is not.
locals {
  people = {
    "jane.doe"        = { mfa = true }
    "max@example.com" = { mfa = false }
    "ops"             = { mfa = true }
  }
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

resource "aws_iam_user" "people" {
  for_each = local.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each = aws_iam_user.people
  user     = each.value.name
}

resource "aws_iam_user_group_membership" "people" {
  for_each = { for name, person in local.people : name => person if person.mfa }
  user     = aws_iam_user.people[each.key].name
  groups   = [aws_iam_group.enforced.name]
}
