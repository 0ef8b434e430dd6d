# Threat protection is a Plus feature (UserPoolAddOns: "your user pool must be on the Plus
# tier"): ENFORCED on LITE or ESSENTIALS cannot run and fails, naming user_pool_tier; ENFORCED
# without user_pool_tier is undecided (an existing pool keeps its plan, a new one gets
# ESSENTIALS). Email MFA needs Essentials or Plus: on LITE the email factor is not offered.
resource "aws_cognito_user_pool" "pass_plus" {
  name           = "staff"
  user_pool_tier = "PLUS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "fail_essentials" {
  name           = "customers"
  user_pool_tier = "ESSENTIALS"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "fail_lite_email_only" {
  name              = "partners"
  user_pool_tier    = "LITE"
  mfa_configuration = "ON"

  email_mfa_configuration {
    subject = "Your sign-in code"
  }

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "unknown_no_tier" {
  name = "suppliers"

  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}
