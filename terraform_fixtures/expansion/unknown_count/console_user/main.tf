variable "name" {
  type = string
}

variable "enforce_mfa" {
  type    = bool
  default = false
}

variable "mfa_group" {
  type    = string
  default = "enforced"
}

resource "aws_iam_user" "this" {
  name = var.name
}

resource "aws_iam_user_login_profile" "this" {
  user = aws_iam_user.this.name
}

resource "aws_iam_user_group_membership" "mfa" {
  count  = var.enforce_mfa ? 1 : 0
  user   = aws_iam_user.this.name
  groups = [var.mfa_group]
}
