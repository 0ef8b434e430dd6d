variable "settings" {
  type = object({
    name    = string
    console = optional(bool, false)
    keys    = optional(number, 1)
  })
}

resource "aws_iam_user" "this" {
  name = var.settings.name
}

resource "aws_iam_user_login_profile" "this" {
  count = var.settings.console ? 1 : 0
  user  = aws_iam_user.this.name
}

resource "aws_iam_access_key" "this" {
  count = var.settings.keys
  user  = aws_iam_user.this.name
}
