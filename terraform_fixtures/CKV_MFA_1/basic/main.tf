# CKV_MFA_1 basics: only "ON" passes; OPTIONAL and OFF fail; no mfa_configuration means OFF.
resource "aws_cognito_user_pool" "pass" {
  name              = "staff"
  mfa_configuration = "ON"

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "fail_optional" {
  name              = "customers"
  mfa_configuration = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "fail_off" {
  name              = "partners"
  mfa_configuration = "OFF"
}

resource "aws_cognito_user_pool" "fail_absent" {
  name = "legacy"
}
