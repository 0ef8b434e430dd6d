# A registry module after `terraform init`: mfaguard reads it from .terraform/modules (as listed
# in modules.json).  It puts the users it is given into a group that enforces MFA: jo passes,
# kay (not given to the module) fails.
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
