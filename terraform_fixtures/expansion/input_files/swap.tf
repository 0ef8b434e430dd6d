# Terraform reads this file; OpenTofu reads swap.tofu instead (same name, .tofu wins).
resource "aws_iam_user" "swap" {
  name = "kit"
}

resource "aws_iam_user_login_profile" "swap" {
  user = aws_iam_user.swap.name
}

resource "aws_iam_user_group_membership" "swap" {
  user   = aws_iam_user.swap.name
  groups = [aws_iam_group.enforced.name]
}
