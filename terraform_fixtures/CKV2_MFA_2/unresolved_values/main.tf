variable "group_policy_json" {}

resource "aws_iam_group" "from_variable" {
  name = "from-variable"
}

resource "aws_iam_group_policy" "from_variable" {
  name = "from-variable"
  group = aws_iam_group.from_variable.name
  policy = var.group_policy_json
}

resource "aws_iam_user" "unknown_member" {
  name = "member"
}

resource "aws_iam_access_key" "unknown_member" {
  user = aws_iam_user.unknown_member.name
}

resource "aws_iam_user_group_membership" "unknown_member" {
  user = aws_iam_user.unknown_member.name
  groups = [aws_iam_group.from_variable.name]
}

resource "aws_iam_group" "plain" {
  name = "plain"
}

resource "aws_iam_user" "fail_other" {
  name = "other"
}

resource "aws_iam_access_key" "fail_other" {
  user = aws_iam_user.fail_other.name
}

resource "aws_iam_user_group_membership" "fail_other" {
  user = aws_iam_user.fail_other.name
  groups = [aws_iam_group.plain.name]
}
