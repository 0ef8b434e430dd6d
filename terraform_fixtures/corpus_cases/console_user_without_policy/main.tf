resource "aws_iam_user" "fail_example" {
  name = "example"
}

resource "aws_iam_user_login_profile" "example_login" {
  user = aws_iam_user.fail_example.name
  pgp_key = "keybase:some_person_that_exists"
}

resource "aws_iam_user" "fail_robot" {
  name = "robot"
}
