variable "mfa_self_serv_name" {
  type        = string
  description = "Name for the MFA self-service policy"
  default     = "mfa_enforcement"
}

# No unused variable warnings found in this file, no changes needed.
