# IAM: admins are forced to use MFA by their group; jess signs in to the console but her
# group does not enforce MFA; the deploy robot has an access key and no MFA enforcement.

data "aws_iam_policy_document" "enforce_mfa" {
  statement {
    sid    = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = [
      "iam:CreateVirtualMFADevice",
      "iam:EnableMFADevice",
      "iam:GetUser",
      "iam:GetMFADevice",
      "iam:ListMFADevices",
      "iam:ListVirtualMFADevices",
      "iam:ResyncMFADevice",
      "iam:ChangePassword",
      "iam:GetAccountPasswordPolicy",
      "sts:GetSessionToken",
    ]
    resources = ["*"]

    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_policy" "enforce_mfa" {
  name        = "enforce-mfa"
  description = "Deny everything but MFA enrolment until the caller signed in with MFA"
  policy      = data.aws_iam_policy_document.enforce_mfa.json
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "admins_enforce_mfa" {
  group      = aws_iam_group.admins.name
  policy_arn = aws_iam_policy.enforce_mfa.arn
}

resource "aws_iam_group_policy_attachment" "admins_admin" {
  group      = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

resource "aws_iam_group" "developers" {
  name = "developers"
}

resource "aws_iam_group_policy" "developers" {
  name  = "developer-access"
  group = aws_iam_group.developers.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:Get*", "logs:Describe*", "cloudwatch:Get*", "s3:GetObject", "s3:ListBucket"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_user" "alice" {
  name          = "alice"
  force_destroy = true
  tags = {
    role = "admin"
  }
}

resource "aws_iam_user_login_profile" "alice" {
  user                    = aws_iam_user.alice.name
  password_reset_required = true
}

resource "aws_iam_user" "jess" {
  name          = "jess"
  force_destroy = true
  tags = {
    role = "developer"
  }
}

resource "aws_iam_user_login_profile" "jess" {
  user                    = aws_iam_user.jess.name
  password_reset_required = true
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.admins.name]
}

resource "aws_iam_user_group_membership" "jess" {
  user   = aws_iam_user.jess.name
  groups = [aws_iam_group.developers.name]
}

resource "aws_iam_user" "ci_deploy" {
  name = "ci-deploy"
  path = "/automation/"
  tags = {
    role = "automation"
  }
}

resource "aws_iam_access_key" "ci_deploy" {
  user = aws_iam_user.ci_deploy.name
}

resource "aws_iam_user_policy" "ci_deploy" {
  name = "deploy-artifacts"
  user = aws_iam_user.ci_deploy.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject"]
      Resource = "arn:aws:s3:::acme-artifacts/*"
    }]
  })
}
