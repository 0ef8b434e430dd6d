variable "name" {
  type = string
}

variable "groups" {
  type    = list(string)
  default = []
}

resource "aws_iam_user" "this" {
  name = var.name
}

resource "aws_iam_user_login_profile" "this" {
  user = aws_iam_user.this.name
}

resource "aws_iam_user_group_membership" "this" {
  count  = length(var.groups) > 0 ? 1 : 0
  user   = aws_iam_user.this.name
  groups = var.groups
}

output "name" {
  value = aws_iam_user.this.name
}
