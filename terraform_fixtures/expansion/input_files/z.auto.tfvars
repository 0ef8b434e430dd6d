mfa_group = "enforced"
