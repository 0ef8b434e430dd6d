# Switches whose defaults turn the enforcing membership off: the users are console users in no
# enforcing group and FAIL.
#  - count = var.mfa_group != "" ? 1 : 0 with mfa_group defaulting to "" (kim);
#  - for_each = toset(var.mfa_members) with mfa_members defaulting to [] (lee);
#  - inside a module, count = var.enforce_mfa ? 1 : 0 with enforce_mfa defaulting to false (max).
# One switch on by its argument: module "pat" sets enforce_mfa = true and passes.
variable "mfa_group" {
  type    = string
  default = ""
}

variable "mfa_members" {
  type    = list(string)
  default = []
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

resource "aws_iam_user" "kim" {
  name = "kim"
}

resource "aws_iam_user_login_profile" "kim" {
  user = aws_iam_user.kim.name
}

resource "aws_iam_user_group_membership" "kim" {
  count  = var.mfa_group != "" ? 1 : 0
  user   = aws_iam_user.kim.name
  groups = [aws_iam_group.enforced.name]
}

resource "aws_iam_user" "lee" {
  name = "lee"
}

resource "aws_iam_user_login_profile" "lee" {
  user = aws_iam_user.lee.name
}

resource "aws_iam_group_membership" "listed" {
  for_each = toset(var.mfa_members)
  name     = "mfa-${each.key}"
  group    = aws_iam_group.enforced.name
  users    = [aws_iam_user.lee.name]
}

module "max" {
  source = "./console_user"
  name   = "max"
}

module "pat" {
  source      = "./console_user"
  name        = "pat"
  enforce_mfa = true
}
