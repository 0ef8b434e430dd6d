# Permissions boundaries: an explicit Deny in any policy layer wins, so a boundary whose Deny
# enforces MFA covers the user it bounds (AWS IAM policy evaluation logic).
resource "aws_iam_policy" "mfa_boundary" {
  name = "mfa-boundary"
  path = "/boundaries/"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "AllowEverythingTheIdentityPoliciesAllow", Effect = "Allow", Action = "*", Resource = "*" },
      {
        Sid       = "DenyAllExceptMfaEnrolmentWithoutMFA"
        Effect    = "Deny"
        NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                     "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
        Resource  = "*"
        Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
      },
    ]
  })
}

# The boundary is a configured policy, referenced by address.
resource "aws_iam_user" "pass_boundary" {
  name                 = "pass-boundary"
  permissions_boundary = aws_iam_policy.mfa_boundary.arn
}

resource "aws_iam_user_login_profile" "pass_boundary" {
  user = aws_iam_user.pass_boundary.name
}

# The same policy by ARN: same path (/boundaries/) and name, so it is the configured one.
resource "aws_iam_user" "pass_boundary_arn_same_path" {
  name                 = "pass-boundary-arn-same-path"
  permissions_boundary = "arn:aws:iam::111122223333:policy/boundaries/mfa-boundary"
}

resource "aws_iam_user_login_profile" "pass_boundary_arn_same_path" {
  user = aws_iam_user.pass_boundary_arn_same_path.name
}

# policy/mfa-boundary (path /) is not policy/boundaries/mfa-boundary: a customer policy outside
# the configuration, which cannot be judged.
resource "aws_iam_user" "unknown_boundary_other_path" {
  name                 = "unknown-boundary-other-path"
  permissions_boundary = "arn:aws:iam::111122223333:policy/mfa-boundary"
}

resource "aws_iam_user_login_profile" "unknown_boundary_other_path" {
  user = aws_iam_user.unknown_boundary_other_path.name
}

# An AWS-managed boundary denies nothing without MFA.
resource "aws_iam_user" "fail_boundary_aws_managed" {
  name                 = "fail-boundary-aws-managed"
  permissions_boundary = "arn:aws:iam::aws:policy/PowerUserAccess"
}

resource "aws_iam_user_login_profile" "fail_boundary_aws_managed" {
  user = aws_iam_user.fail_boundary_aws_managed.name
}
