# Values from variables without a default (given only at plan time): whether MFA is enforced
# cannot be known from the configuration, so the users are UNKNOWN, never FAILED.
#  - ann's groups = var.ann_groups;
#  - ben's attached policy_arn = var.ben_policy_arn;
#  - cat's inline policy = var.cat_policy (CKV_MFA_4 cannot judge the document either).
variable "ann_groups" {
  type = list(string)
}

variable "ben_policy_arn" {
  type = string
}

variable "cat_policy" {
  type = string
}

resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}

resource "aws_iam_user_group_membership" "ann" {
  user   = aws_iam_user.ann.name
  groups = var.ann_groups
}

resource "aws_iam_user" "ben" {
  name = "ben"
}

resource "aws_iam_user_login_profile" "ben" {
  user = aws_iam_user.ben.name
}

resource "aws_iam_user_policy_attachment" "ben" {
  user       = aws_iam_user.ben.name
  policy_arn = var.ben_policy_arn
}

resource "aws_iam_user" "cat" {
  name = "cat"
}

resource "aws_iam_user_login_profile" "cat" {
  user = aws_iam_user.cat.name
}

resource "aws_iam_user_policy" "cat" {
  name   = "cat-inline"
  user   = aws_iam_user.cat.name
  policy = var.cat_policy
}
