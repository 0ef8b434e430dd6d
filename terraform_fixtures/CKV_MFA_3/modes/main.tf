# CKV_MFA_3 (Cognito.1): threat protection in full-function mode (ENFORCED) passes;
# AUDIT (log only), OFF and no user_pool_add_ons block fail.
variable "environment" {
  type    = string
  default = "prod"
}

variable "threat_protection" {
  description = "No default: unknown to a static scan"
  type        = string
}

resource "aws_cognito_user_pool" "pass_enforced" {
  name              = "staff"
  mfa_configuration = "ON"
  user_pool_tier    = "PLUS"

  software_token_mfa_configuration {
    enabled = true
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "pass_conditional" {
  name           = "customers"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = var.environment == "prod" ? "ENFORCED" : "AUDIT"
  }
}

resource "aws_cognito_user_pool" "fail_audit" {
  name           = "partners"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "AUDIT"
  }
}

resource "aws_cognito_user_pool" "fail_off" {
  name = "suppliers"

  user_pool_add_ons {
    advanced_security_mode = "OFF"
  }
}

resource "aws_cognito_user_pool" "fail_absent" {
  name = "legacy"
}

resource "aws_cognito_user_pool" "unknown_var_nodefault" {
  name           = "shop"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = var.threat_protection
  }
}
