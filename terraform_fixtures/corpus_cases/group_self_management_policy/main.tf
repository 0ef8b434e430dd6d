data "aws_iam_policy_document" "self_management" {
  statement {
    sid = "AllowViewAccountInfo"
    effect = "Allow"
    actions = ["iam:GetAccountPasswordPolicy", "iam:ListVirtualMFADevices"]
    resources = ["*"]
  }
  statement {
    sid = "AllowManageOwnVirtualMFADevice"
    effect = "Allow"
    actions = ["iam:CreateVirtualMFADevice", "iam:DeleteVirtualMFADevice"]
    resources = ["arn:aws:iam::*:mfa/${aws:username}"]
  }
  statement {
    sid = "AllowManageOwnUserMFA"
    effect = "Allow"
    actions = ["iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice", "iam:GetUser", "iam:ChangePassword"]
    resources = ["arn:aws:iam::*:user/${aws:username}"]
  }
  statement {
    sid = "DenyAllExceptListedIfNoMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:ChangePassword", "iam:GetAccountPasswordPolicy"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

resource "aws_iam_policy" "self_management" {
  name = "admins-self-management"
  policy = data.aws_iam_policy_document.self_management.json
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy_attachment" "self_management" {
  group = aws_iam_group.admins.name
  policy_arn = aws_iam_policy.self_management.arn
}

resource "aws_iam_group_policy_attachment" "read_only" {
  group = aws_iam_group.admins.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_user" "pass_ops_one" {
  name = "ops-one"
}

resource "aws_iam_user_login_profile" "pass_ops_one" {
  user = aws_iam_user.pass_ops_one.name
}

resource "aws_iam_access_key" "pass_ops_one" {
  user = aws_iam_user.pass_ops_one.name
}

resource "aws_iam_user" "pass_ops_two" {
  name = "ops-two"
}

resource "aws_iam_group_membership" "admins" {
  name = "admins"
  group = aws_iam_group.admins.name
  users = ["ops-one", "ops-two"]
}
