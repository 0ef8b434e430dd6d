# CKV_MFA_5 (Cognito.4): threat protection in full-function mode (ENFORCED) for custom
# authentication (Lambda challenge flows). The provider's default custom_auth_mode is AUDIT;
# threat protection is a Plus feature: ENFORCED on ESSENTIALS fails, with no tier it is unknown.
variable "custom_auth_mode" {
  description = "No default: unknown to a static scan"
  type        = string
}

resource "aws_cognito_user_pool" "pass_enforced" {
  name           = "staff"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "ENFORCED"
    }
  }
}

resource "aws_cognito_user_pool" "fail_default_audit" {
  name           = "customers"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "fail_audit" {
  name           = "partners"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "AUDIT"
    }
  }
}

resource "aws_cognito_user_pool" "fail_no_add_ons" {
  name = "legacy"
}

resource "aws_cognito_user_pool" "fail_essentials_tier" {
  name           = "suppliers"
  user_pool_tier = "ESSENTIALS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "ENFORCED"
    }
  }
}

resource "aws_cognito_user_pool" "unknown_no_tier" {
  name = "shop"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "ENFORCED"
    }
  }
}

resource "aws_cognito_user_pool" "unknown_var_nodefault" {
  name           = "kiosk"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = var.custom_auth_mode
    }
  }
}
