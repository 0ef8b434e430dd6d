partner_mfa = "ON"
