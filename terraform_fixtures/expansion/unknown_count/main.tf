# count/for_each that depend on values the configuration does not give (variables without a
# default and no tfvars): Terraform cannot plan them until they are given, so which instances
# exist is not known. The rest of the root is still judged.
#  - jo: a console user in the enforcing group, nothing unknown about her: PASSED.
#  - lee: a console user whose only enforcing membership has count = length(var.teams) > 0 ? 1 : 0:
#    whether it exists is not known, so whether MFA reaches lee is not known: UNKNOWN.
#  - kim: a console user in no group; lee's maybe-membership names lee, not kim: FAILED either way.
#  - module "ops" (count = var.enabled ? 1 : 0): whether its console user exists is not known:
#    UNKNOWN, reported once at module.ops.aws_iam_user.this, naming var.enabled.
#  - svc (for_each = toset(var.teams)) with access keys: UNKNOWN, naming var.teams.
#  - max and ada surely exist; their console passwords only if var.enabled (count). max has no
#    enforcement: with the password IAM.5 fails, without it there is nothing to fail: UNKNOWN.
#    ada is in the enforcing group: her console sign-in is covered either way (CKV2_MFA_1
#    PASSED), but which of her sign-in paths CKV2_MFA_2 judges depends on it: UNKNOWN.
variable "enabled" {
  type = bool
}

variable "teams" {
  type = list(string)
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

resource "aws_iam_user" "jo" {
  name = "jo"
}

resource "aws_iam_user_login_profile" "jo" {
  user = aws_iam_user.jo.name
}

resource "aws_iam_user_group_membership" "jo" {
  user   = aws_iam_user.jo.name
  groups = [aws_iam_group.enforced.name]
}

resource "aws_iam_user" "lee" {
  name = "lee"
}

resource "aws_iam_user_login_profile" "lee" {
  user = aws_iam_user.lee.name
}

resource "aws_iam_user_group_membership" "lee" {
  count  = length(var.teams) > 0 ? 1 : 0
  user   = aws_iam_user.lee.name
  groups = [aws_iam_group.enforced.name]
}

module "ops" {
  source = "./console_user"
  count  = var.enabled ? 1 : 0
  name   = "ops"
}

resource "aws_iam_user" "svc" {
  for_each = toset(var.teams)
  name     = "svc-${each.key}"
}

resource "aws_iam_access_key" "svc" {
  for_each = aws_iam_user.svc
  user     = each.value.name
}

resource "aws_iam_user" "max" {
  name = "max"
}

resource "aws_iam_user_login_profile" "max" {
  count = var.enabled ? 1 : 0
  user  = aws_iam_user.max.name
}

resource "aws_iam_user" "ada" {
  name = "ada"
}

resource "aws_iam_user_login_profile" "ada" {
  count = var.enabled ? 1 : 0
  user  = aws_iam_user.ada.name
}

resource "aws_iam_user_group_membership" "ada" {
  user   = aws_iam_user.ada.name
  groups = [aws_iam_group.enforced.name]
}

resource "aws_iam_user" "kim" {
  name = "kim"
}

resource "aws_iam_user_login_profile" "kim" {
  user = aws_iam_user.kim.name
}
