# prod: alice has a console password and no MFA policy (FAIL); bob is in the group
# that enforces MFA (PASS).  staging/ is the same stack: the verdicts must not collide.
resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_group" "mfa" {
  name = "mfa-required"
}

resource "aws_iam_user_group_membership" "bob" {
  user   = aws_iam_user.bob.name
  groups = [aws_iam_group.mfa.name]
}

resource "aws_iam_group_policy" "mfa" {
  name  = "enforce-mfa"
  group = aws_iam_group.mfa.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "DenyWithoutMFA"
      Effect = "Deny"
      NotAction = [
        "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
        "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
        "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken",
      ]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

module "ops" {
  source = "../../modules/console_user"
  name   = "ops-prod"
}
