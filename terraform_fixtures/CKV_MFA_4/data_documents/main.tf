data "aws_iam_policy_document" "pass_enforce" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

resource "aws_iam_policy" "pass_from_data" {
  name = "pass-from-data"
  policy = data.aws_iam_policy_document.pass_enforce.json
}

data "aws_iam_policy_document" "fail_bool" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
    resources = ["*"]
    condition {
      test = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

resource "aws_iam_policy" "fail_from_data" {
  name = "fail-from-data"
  policy = data.aws_iam_policy_document.fail_bool.json
}

data "aws_iam_policy_document" "fail_lockout" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    actions = ["*"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

data "aws_iam_policy_document" "pass_merged" {
  source_policy_documents = [data.aws_iam_policy_document.pass_enforce.json]
  statement {
    sid = "ReadOnly"
    effect = "Allow"
    actions = ["ec2:Describe*"]
    resources = ["*"]
  }
}

resource "aws_iam_group_policy" "pass_merged" {
  name = "pass-merged"
  group = "admins"
  policy = data.aws_iam_policy_document.pass_merged.json
}

data "aws_iam_policy_document" "fail_broad_exemption" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:*", "sts:*"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

data "aws_iam_policy_document" "pass_principal_exemption" {
  statement {
    sid = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
    condition {
      test = "StringNotLike"
      variable = "aws:PrincipalArn"
      values = ["arn:aws:iam::*:user/break-glass"]
    }
  }
}

data "aws_iam_policy_document" "pass_not_mfa" {
  statement {
    effect = "Allow"
    actions = ["s3:GetObject"]
    resources = ["*"]
  }
}
