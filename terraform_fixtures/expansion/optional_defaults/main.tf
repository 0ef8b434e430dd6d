# Object attributes declared optional(T, default) in a variable's type: Terraform fills an
# omitted or null attribute with its default (converted to T, so a default object gets its own
# nested defaults), an optional(T) without default with null, and drops undeclared attributes.
# Shape of ClusterDaemon/terraform-aws-iam-users-groups: map(object({...})) read through for_each.
variable "people" {
  type = map(object({
    console = optional(bool, true)
    groups  = optional(list(string), [])
    keys    = optional(list(string))
    login = optional(object({
      enabled = optional(bool, true)
      length  = optional(number, 20)
    }), {})
  }))
  default = {
    ann = { groups = ["enforced"] }          # console (default) in the enforcing group
    bob = {}                                 # console (default), no group
    cy  = { console = false, keys = ["k1"] } # access key only
    dee = { login = { enabled = false } }    # no credentials
    eve = { login = null, nickname = "e" }   # null object -> its default {} -> enabled = true
  }
}

resource "aws_iam_group" "enforced" {
  name = "enforced"
}

resource "aws_iam_group_policy" "enforced" {
  name  = "enforce-mfa"
  group = aws_iam_group.enforced.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid    = "DenyAllExceptMfaEnrolmentWithoutMFA"
      Effect = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
                   "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword",
                   "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_iam_user" "people" {
  for_each = var.people
  name     = each.key
}

resource "aws_iam_user_login_profile" "people" {
  for_each        = { for name, p in var.people : name => p if p.console && p.login.enabled }
  user            = aws_iam_user.people[each.key].name
  password_length = each.value.login.length
}

resource "aws_iam_access_key" "people" {
  for_each = toset(flatten([for name, p in var.people : p.keys == null ? [] : [name]]))
  user     = aws_iam_user.people[each.key].name
}

resource "aws_iam_user_group_membership" "people" {
  for_each = { for name, p in var.people : name => p if length(p.groups) > 0 }
  user     = aws_iam_user.people[each.key].name
  groups   = [for g in each.value.groups : aws_iam_group.enforced.name if g == "enforced"]
}

# a module argument converted the same way: console defaults to false there
module "svc" {
  source   = "./svc"
  settings = { name = "svc" }
}
