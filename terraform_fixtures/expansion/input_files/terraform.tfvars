console_users = ["gil", "hal"]
mfa_group     = "ignored"
