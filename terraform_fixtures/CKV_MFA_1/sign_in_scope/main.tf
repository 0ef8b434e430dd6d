# Cognito.5 / cognito-user-pool-mfa-enabled evaluates only pools whose sign-in policy is
# PASSWORD only (no sign_in_policy block means PASSWORD only). Pools that allow passkeys or
# one-time passwords as first factor are NOT_APPLICABLE there: UNKNOWN here, with a detail.
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

resource "aws_cognito_user_pool" "unknown_password_or_passkey" {
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
