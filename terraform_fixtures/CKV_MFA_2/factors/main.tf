# CKV_MFA_2: a pool that requires MFA must offer TOTP; SMS or email codes alone fail.
# A software_token_mfa_configuration block with enabled = false is no factor.
resource "aws_iam_role" "cognito_sms" {
  name = "cognito-sms"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "cognito-idp.amazonaws.com" }
    }]
  })
}

resource "aws_cognito_user_pool" "pass_totp" {
  name              = "staff"
  mfa_configuration = "ON"

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "pass_totp_and_sms" {
  name                       = "ops"
  mfa_configuration          = "ON"
  sms_authentication_message = "Your code is {####}"

  sms_configuration {
    external_id    = "ops-sms"
    sns_caller_arn = "arn:aws:iam::123456789012:role/cognito-sms"
    sns_region     = "eu-west-1"
  }

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "fail_sms_only" {
  name                       = "partners"
  mfa_configuration          = "ON"
  sms_authentication_message = "Your code is {####}"

  sms_configuration {
    external_id    = "partners-sms"
    sns_caller_arn = "arn:aws:iam::123456789012:role/cognito-sms"
    sns_region     = "eu-west-1"
  }
}

resource "aws_cognito_user_pool" "fail_email_only" {
  name              = "suppliers"
  mfa_configuration = "ON"
  user_pool_tier    = "ESSENTIALS"

  email_configuration {
    email_sending_account = "DEVELOPER"
    source_arn            = "arn:aws:ses:eu-west-1:123456789012:identity/example.com"
    from_email_address    = "no-reply@example.com"
  }

  email_mfa_configuration {
    message = "Your sign-in code is {####}"
    subject = "Your sign-in code"
  }
}

resource "aws_cognito_user_pool" "fail_totp_disabled" {
  name                       = "contractors"
  mfa_configuration          = "ON"
  sms_authentication_message = "Your code is {####}"

  sms_configuration {
    external_id    = "contractors-sms"
    sns_caller_arn = "arn:aws:iam::123456789012:role/cognito-sms"
    sns_region     = "eu-west-1"
  }

  software_token_mfa_configuration {
    enabled = false
  }
}

resource "aws_cognito_user_pool" "unknown_optional" {
  name              = "customers"
  mfa_configuration = "OPTIONAL"

  software_token_mfa_configuration {
    enabled = false
  }
}

resource "aws_cognito_user_pool" "unknown_off" {
  name = "legacy"
}
