# Three calls of the same local module, each judged with its own arguments and outputs: ana joins
# the enforcing group inside the module (groups argument), cy through the root's membership that
# names the module's output, bo through neither (the module's membership has count 0).
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

module "ana" {
  source = "./console_user"
  name   = "ana"
  groups = [aws_iam_group.enforced.name]
}

module "bo" {
  source = "./console_user"
  name   = "bo"
}

module "cy" {
  source = "./console_user"
  name   = "cy"
}

resource "aws_iam_group_membership" "enforced" {
  name  = "enforced-members"
  group = aws_iam_group.enforced.name
  users = [module.cy.name]
}
