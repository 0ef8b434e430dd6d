# Variable values come from terraform.tfvars, then *.auto.tfvars(.json) in file-name order, as
# Terraform and OpenTofu load them: console_users ends as ["gil", "hal", "ivy"]
# (a.auto.tfvars.json) and mfa_group as "enforced" (z.auto.tfvars).
variable "console_users" {
  type    = list(string)
  default = ["old"]
}

variable "mfa_group" {
  type    = string
  default = ""
}
