# A registry module that is not downloaded (`terraform init` has not run): what it creates and
# attaches cannot be read, so every check it could change is UNKNOWN, naming the module and
# saying to run `terraform init`.
module "enforce_mfa" {
  source  = "acme/enforce-mfa/aws"
  version = "1.0.0"
  users   = [aws_iam_user.jo.name]
}

resource "aws_iam_user" "jo" {
  name = "jo"
}

resource "aws_iam_user_login_profile" "jo" {
  user = aws_iam_user.jo.name
}

resource "aws_iam_user" "kay" {
  name = "kay"
}

resource "aws_iam_user_login_profile" "kay" {
  user = aws_iam_user.kay.name
}
