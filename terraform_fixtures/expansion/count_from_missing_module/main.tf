# A count that hangs on an output of a registry module that is not downloaded (`terraform init`
# has not run), the pattern of every cloudposse module (module.this.enabled from
# cloudposse/label/null). Whether kay and her console password exist is not known: UNKNOWN,
# naming module.label and saying to run `terraform init`; what module.label itself may create
# is UNKNOWN at its call (placeholders). Never a FAIL on a user that may not exist, never a
# silent pass.
module "label" {
  source  = "cloudposse/label/null"
  version = "0.25.0"
  name    = "kay"
}

resource "aws_iam_user" "kay" {
  count = module.label.enabled ? 1 : 0
  name  = module.label.id
}

resource "aws_iam_user_login_profile" "kay" {
  count = module.label.enabled ? 1 : 0
  user  = aws_iam_user.kay[count.index].name
}
