# Policies switched by %{ if } directives on variable defaults: cover_access_keys (true) picks
# BoolIfExists, allow_enrolment (false) drops the enrolment exemption for a Deny of "*".
variable "cover_access_keys" {
  type    = bool
  default = true
}

variable "allow_enrolment" {
  type    = bool
  default = false
}

resource "aws_iam_policy" "pass_if_picks_bool_if_exists" {
  name   = "enforce-mfa"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                      "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {
          "%{ if var.cover_access_keys }BoolIfExists%{ else }Bool%{ endif }": {"aws:MultiFactorAuthPresent": "false"}
        }
      }]
    }
  EOT
}

resource "aws_iam_policy" "fail_if_drops_enrolment" {
  name   = "enforce-mfa-lockout"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        %{~ if var.allow_enrolment ~}
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
        %{~ else ~}
        "Action": "*",
        %{~ endif ~}
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
      }]
    }
  EOT
}
