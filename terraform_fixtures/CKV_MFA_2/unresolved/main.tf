# CKV_MFA_2 with values from variables and dynamic blocks.
variable "enable_totp" {
  type    = bool
  default = true
}

variable "totp_enabled" {
  description = "No default: unknown to a static scan"
  type        = bool
}

variable "mfa_factors" {
  description = "No default: which factors to offer"
  type        = list(string)
}

resource "terraform_data" "totp_switch" {
  input = true
}

resource "aws_cognito_user_pool" "pass_var_default" {
  name              = "staff"
  mfa_configuration = "ON"

  software_token_mfa_configuration {
    enabled = var.enable_totp
  }
}

resource "aws_cognito_user_pool" "pass_dynamic" {
  name              = "ops"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = var.enable_totp ? ["totp"] : []
    content {
      enabled = true
    }
  }
}

resource "aws_cognito_user_pool" "unknown_var_nodefault" {
  name              = "partners"
  mfa_configuration = "ON"

  software_token_mfa_configuration {
    enabled = var.totp_enabled
  }
}

resource "aws_cognito_user_pool" "unknown_dynamic" {
  name              = "suppliers"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = contains(var.mfa_factors, "TOTP") ? ["totp"] : []
    content {
      enabled = true
    }
  }
}

resource "aws_cognito_user_pool" "unknown_after_apply" {
  name              = "internal"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = terraform_data.totp_switch.output ? ["totp"] : []
    content {
      enabled = true
    }
  }
}
