# count and for_each instances are judged one by one.
variable "pools" {
  type = map(string)
  default = {
    staff = "ON"
    shop  = "OPTIONAL"
  }
}

resource "aws_cognito_user_pool" "fail_count" {
  count             = 2
  name              = "tenant-${count.index}"
  mfa_configuration = "OFF"
}

resource "aws_cognito_user_pool" "by_name" {
  for_each          = var.pools
  name              = each.key
  mfa_configuration = each.value

  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "disabled" {
  count             = 0
  name              = "never-created"
  mfa_configuration = "OFF"
}
