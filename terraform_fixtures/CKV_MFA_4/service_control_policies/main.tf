# CKV_MFA_4 over AWS Organizations policies: a service control policy (the default type) is judged
# like an IAM policy document; other policy types (tag, backup, AI opt-out) are not MFA denies.
variable "scp_text" {
  type = string
}

resource "aws_organizations_policy" "pass_enforce_all" {
  name = "require-mfa"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyAllWithoutMFA"
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# ScaleSec-style: MFA to stop or terminate instances; a targeted requirement, not broken enforcement.
resource "aws_organizations_policy" "pass_targeted_ec2" {
  name = "require-mfa-ec2"
  type = "SERVICE_CONTROL_POLICY"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      Action    = ["ec2:StopInstances", "ec2:TerminateInstances"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

# A broad attempt whose NotAction leaves iam:* open: a stolen key can remove the owner's device.
resource "aws_organizations_policy" "fail_broad_with_hole" {
  name = "require-mfa-leaky"
  content = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:*", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}

resource "aws_organizations_policy" "unknown_from_variable" {
  name    = "from-variable"
  content = var.scp_text
}

# A tag policy is not an authorization policy: not judged.
resource "aws_organizations_policy" "tags" {
  name    = "cost-center"
  type    = "TAG_POLICY"
  content = jsonencode({ tags = { costcenter = { tag_key = { "@@assign" = "CostCenter" } } } })
}
