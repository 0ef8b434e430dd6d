resource "aws_iam_policy" "pass_targeted_ec2" {
  name = "require-mfa-ec2-actions"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "RequireMFAEC2"
      "Effect" = "Deny"
      "Action" = ["ec2:StopInstances", "ec2:TerminateInstances", "ec2:SendDiagnosticInterrupt"]
      "Resource" = "*"
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "pass_targeted_s3_delete" {
  name = "require-mfa-s3-delete"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "RequireMFAS3Delete"
      "Effect" = "Deny"
      "Action" = ["s3:DeleteObject"]
      "Resource" = ["arn:aws:s3:::*/*"]
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "fail_broad_with_hole" {
  name = "broad-with-hole"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyWithoutMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:*"]
      "Resource" = "*"
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "fail_targeted_lockout" {
  name = "targeted-lockout"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "IamNeedsMFA"
      "Effect" = "Deny"
      "Action" = ["iam:*"]
      "Resource" = "*"
      "Condition" = {
        "BoolIfExists" = {
          "aws:MultiFactorAuthPresent" = "false"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "pass_null_age" {
  name = "null-age"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyWithoutMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      "Resource" = "*"
      "Condition" = {
        "Null" = {
          "aws:MultiFactorAuthAge" = "true"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "fail_age_ifexists_hole" {
  name = "age-ifexists-hole"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyWithoutMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:CreateAccessKey"]
      "Resource" = "*"
      "Condition" = {
        "NumericGreaterThanIfExists" = {
          "aws:MultiFactorAuthAge" = "3600"
        }
      }
    }]
  })
}

resource "aws_iam_policy" "fail_age_lessthan_ifexists" {
  name = "age-lessthan-ifexists"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Sid" = "DenyWithoutMFA"
      "Effect" = "Deny"
      "NotAction" = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      "Resource" = "*"
      "Condition" = {
        "NumericLessThanIfExists" = {
          "aws:MultiFactorAuthAge" = "3600"
        }
      }
    }]
  })
}
