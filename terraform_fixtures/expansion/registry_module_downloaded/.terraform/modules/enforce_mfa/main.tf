variable "users" {
  type    = list(string)
  default = []
}

variable "group_name" {
  type    = string
  default = "mfa-required"
}

data "aws_iam_policy_document" "this" {
  statement {
    sid    = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
                   "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword",
                   "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_group" "this" {
  name = var.group_name
}

resource "aws_iam_group_policy" "this" {
  name   = "enforce-mfa"
  group  = aws_iam_group.this.name
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_iam_group_membership" "this" {
  count = length(var.users) > 0 ? 1 : 0
  name  = "${var.group_name}-members"
  group = aws_iam_group.this.name
  users = var.users
}
