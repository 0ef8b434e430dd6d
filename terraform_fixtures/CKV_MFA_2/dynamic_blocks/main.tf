# A dynamic block generates one block per element of for_each: none over a literal empty
# collection, one over [1]. Checkov renders what it can evaluate; a for_each it cannot
# evaluate (a variable without a value) is UNKNOWN, never counted as a block nor as none.
variable "totp" {
  description = "No default: unknown to a static scan"
  type        = bool
}

resource "aws_cognito_user_pool" "fail_dynamic_empty_list" {
  name              = "staff"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = []
    content {
      enabled = true
    }
  }
}

resource "aws_cognito_user_pool" "fail_dynamic_empty_map" {
  name              = "partners"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = {}
    content {
      enabled = true
    }
  }
}

resource "aws_cognito_user_pool" "pass_dynamic_one" {
  name              = "customers"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = [1]
    content {
      enabled = true
    }
  }
}

resource "aws_cognito_user_pool" "unknown_dynamic_var" {
  name              = "suppliers"
  mfa_configuration = "ON"

  dynamic "software_token_mfa_configuration" {
    for_each = var.totp ? [1] : []
    content {
      enabled = true
    }
  }
}
