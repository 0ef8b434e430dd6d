variable "name" {
  type = string
}

variable "mfa" {
  type    = string
  default = "OFF"
}

resource "aws_cognito_user_pool" "this" {
  name              = var.name
  mfa_configuration = var.mfa

  software_token_mfa_configuration {
    enabled = true
  }
}

output "id" {
  value = aws_cognito_user_pool.this.id
}
