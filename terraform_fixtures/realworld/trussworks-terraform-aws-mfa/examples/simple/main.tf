#
# Enforce MFA
#

module "aws_mfa" {
  source = "../../"
}
