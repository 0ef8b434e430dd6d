# Values from variables, tfvars, locals and conditionals are judged as Checkov resolves them;
# what nobody can know before apply is UNKNOWN, never PASSED.
variable "staff_mfa" {
  description = "MFA mode of the staff pool"
  type        = string
  default     = "ON"
}

variable "partner_mfa" {
  description = "Set in terraform.tfvars"
  type        = string
}

variable "strict" {
  type    = bool
  default = true
}

variable "shop_mfa" {
  description = "No default: given at plan time (-var), unknown to a static scan"
  type        = string
}

variable "require_mfa" {
  description = "No default either"
  type        = bool
}

locals {
  customer_mfa = "OPTIONAL"
}

resource "terraform_data" "mfa_mode" {
  input = "ON"
}

resource "aws_cognito_user_pool" "pass_var_default" {
  name              = "staff"
  mfa_configuration = var.staff_mfa

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "pass_tfvars" {
  name              = "partners"
  mfa_configuration = var.partner_mfa

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "pass_conditional" {
  name              = "ops"
  mfa_configuration = var.strict ? "ON" : "OPTIONAL"

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "fail_local" {
  name              = "customers"
  mfa_configuration = local.customer_mfa
}

resource "aws_cognito_user_pool" "unknown_var_nodefault" {
  name              = "shop"
  mfa_configuration = var.shop_mfa
}

resource "aws_cognito_user_pool" "unknown_conditional" {
  name              = "support"
  mfa_configuration = var.require_mfa ? "ON" : "OFF"

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "unknown_after_apply" {
  name              = "internal"
  mfa_configuration = terraform_data.mfa_mode.output

  software_token_mfa_configuration {
    enabled = true
  }
}
