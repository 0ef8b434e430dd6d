# Blocks with no instances create nothing and are judged nowhere: a module with for_each = {},
# a module with count = 0, a user with for_each = [] and a user with count = 0.  Each would be a
# console user without MFA enforcement if it existed.  jo exists and fails (the run is not empty).
module "nobody" {
  source   = "./console_user"
  for_each = {}
  name     = each.key
}

module "disabled" {
  source = "./console_user"
  count  = 0
  name   = "disabled"
}

resource "aws_iam_user" "listed" {
  for_each = toset([])
  name     = each.key
}

resource "aws_iam_user_login_profile" "listed" {
  for_each = aws_iam_user.listed
  user     = each.value.name
}

resource "aws_iam_user" "counted" {
  count = 0
  name  = "counted"
}

resource "aws_iam_user_login_profile" "counted" {
  count = 0
  user  = aws_iam_user.counted[count.index].name
}

resource "aws_iam_user" "jo" {
  name = "jo"
}

resource "aws_iam_user_login_profile" "jo" {
  user = aws_iam_user.jo.name
}
