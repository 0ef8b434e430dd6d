resource "aws_iam_policy" "pass_jsonencode_bool" {
  name = "pass-jsonencode"
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

resource "aws_iam_policy" "pass_heredoc" {
  name = "pass-heredoc"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyWithoutMFA",
      "Effect": "Deny",
      "NotAction": [
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
      ],
      "Resource": "*",
      "Condition": {
        "BoolIfExists": {
          "aws:MultiFactorAuthPresent": "false"
        }
      }
    }
  ]
}
EOT
}

resource "aws_iam_policy" "pass_not_mfa" {
  name = "pass-not-mfa"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [
      {
        "Effect" = "Allow"
        "Action" = [
          "ec2:Describe*"
        ]
        "Resource" = "*"
      }
    ]
  })
}

resource "aws_iam_policy" "fail_bool_only" {
  name = "fail-bool-only"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DenyWithoutMFA",
      "Effect": "Deny",
      "NotAction": [
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
      ],
      "Resource": "*",
      "Condition": {
        "Bool": {
          "aws:MultiFactorAuthPresent": "false"
        }
      }
    }
  ]
}
EOT
}

resource "aws_iam_user_policy" "fail_null_only" {
  name = "fail-null-only"
  user = "someone"
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
          "Null" = {
            "aws:MultiFactorAuthPresent" = true
          }
        }
      }
    ]
  })
}

resource "aws_iam_group_policy" "fail_lockout" {
  name = "fail-lockout"
  group = "admins"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [
      {
        "Sid" = "DenyWithoutMFA"
        "Effect" = "Deny"
        "Action" = "*"
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

resource "aws_iam_group_policy" "pass_allow_if_mfa" {
  name = "allow-if-mfa"
  group = "admins"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [
      {
        "Effect" = "Allow"
        "Action" = "*"
        "Resource" = "*"
        "Condition" = {
          "Bool" = {
            "aws:MultiFactorAuthPresent" = "true"
          }
        }
      }
    ]
  })
}

resource "aws_iam_policy" "unknown_file" {
  name = "unknown-file"
  policy = file("${path.module}/policy.json")
}
