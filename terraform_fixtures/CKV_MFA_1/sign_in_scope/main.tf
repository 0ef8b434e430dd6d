# Cognito.5 is about password sign-in (no sign_in_policy block means PASSWORD only). A pool
# whose first factors exclude PASSWORD is not applicable: UNKNOWN here, with the reason. A pool
# that allows PASSWORD next to passkeys is judged: a stolen password still signs in alone
# (AWS Config's cognito-user-pool-mfa-enabled reports it NOT_APPLICABLE; the message says so).
resource "aws_cognito_user_pool" "pass_password_only" {
  name              = "staff"
  mfa_configuration = "ON"
  user_pool_tier    = "ESSENTIALS"

  sign_in_policy {
    allowed_first_auth_factors = ["PASSWORD"]
  }

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "fail_password_only" {
  name              = "customers"
  mfa_configuration = "OPTIONAL"
  user_pool_tier    = "ESSENTIALS"

  sign_in_policy {
    allowed_first_auth_factors = ["PASSWORD"]
  }

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "unknown_passwordless" {
  name           = "shop"
  user_pool_tier = "ESSENTIALS"

  sign_in_policy {
    allowed_first_auth_factors = ["WEB_AUTHN", "EMAIL_OTP"]
  }

  web_authn_configuration {
    relying_party_id  = "shop.example.com"
    user_verification = "required"
  }
}

resource "aws_cognito_user_pool" "fail_password_or_passkey" {
  name              = "partners"
  mfa_configuration = "OFF"
  user_pool_tier    = "ESSENTIALS"

  sign_in_policy {
    allowed_first_auth_factors = ["PASSWORD", "WEB_AUTHN"]
  }

  web_authn_configuration {
    relying_party_id  = "partners.example.com"
    user_verification = "preferred"
  }
}

variable "first_factors" {
  description = "No default: unknown to a static scan, which then keeps the pool in scope"
  type        = list(string)
}

resource "aws_cognito_user_pool" "fail_scope_unresolved" {
  name              = "suppliers"
  mfa_configuration = "OPTIONAL"
  user_pool_tier    = "ESSENTIALS"

  sign_in_policy {
    allowed_first_auth_factors = var.first_factors
  }

  software_token_mfa_configuration {
    enabled = true
  }
}
