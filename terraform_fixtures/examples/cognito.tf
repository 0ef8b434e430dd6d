# Two user pools: the staff pool requires MFA (TOTP) with threat protection enforced; the
# customer pool was left on OPTIONAL MFA with SMS codes and threat protection in audit mode.

resource "aws_cognito_user_pool" "staff" {
  name                     = "acme-staff"
  deletion_protection      = "ACTIVE"
  user_pool_tier           = "PLUS"
  username_attributes      = ["email"]
  auto_verified_attributes = ["email"]
  mfa_configuration        = "ON"

  admin_create_user_config {
    allow_admin_create_user_only = true
  }

  password_policy {
    minimum_length                   = 14
    require_lowercase                = true
    require_uppercase                = true
    require_numbers                  = true
    require_symbols                  = true
    temporary_password_validity_days = 3
  }

  software_token_mfa_configuration {
    enabled = true
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "ENFORCED"
    }
  }

  account_recovery_setting {
    recovery_mechanism {
      name     = "verified_email"
      priority = 1
    }
  }

  tags = {
    team = "platform"
  }
}

resource "aws_iam_role" "cognito_sms" {
  name = "acme-cognito-sms"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "cognito-idp.amazonaws.com" }
      Condition = { StringEquals = { "sts:ExternalId" = "acme-customers" } }
    }]
  })
}

resource "aws_iam_role_policy" "cognito_sms" {
  name = "publish-sms"
  role = aws_iam_role.cognito_sms.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sns:Publish", Resource = "*" }]
  })
}

resource "aws_cognito_user_pool" "customers" {
  name                       = "acme-customers"
  user_pool_tier             = "PLUS"
  username_attributes        = ["email"]
  auto_verified_attributes   = ["email"]
  mfa_configuration          = "OPTIONAL"
  sms_authentication_message = "Your Acme code is {####}"

  sms_configuration {
    external_id    = "acme-customers"
    sns_caller_arn = aws_iam_role.cognito_sms.arn
    sns_region     = var.region
  }

  software_token_mfa_configuration {
    enabled = true
  }

  user_pool_add_ons {
    advanced_security_mode = "AUDIT"
  }

  password_policy {
    minimum_length    = 10
    require_lowercase = true
    require_numbers   = true
    require_symbols   = false
    require_uppercase = false
  }

  tags = {
    team = "shop"
  }
}

resource "aws_cognito_user_pool_client" "shop_web" {
  name                                 = "shop-web"
  user_pool_id                         = aws_cognito_user_pool.customers.id
  generate_secret                      = false
  explicit_auth_flows                  = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]
  allowed_oauth_flows_user_pool_client = true
  allowed_oauth_flows                  = ["code"]
  allowed_oauth_scopes                 = ["openid", "email"]
  callback_urls                        = ["https://${var.app_domain}/callback"]
  supported_identity_providers         = ["COGNITO"]
}
