# Policies written as heredoc templates: the NotAction list comes from a %{ for } directive over
# var.enrolment_actions, with strip markers (~) keeping the JSON on one line.
variable "enrolment_actions" {
  type = list(string)
  default = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
             "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "sts:GetSessionToken"]
}

variable "extra_actions" {
  type = list(string)
}

resource "aws_iam_policy" "pass_for_bool_if_exists" {
  name   = "enforce-mfa"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Sid": "DenyAllExceptMfaEnrolmentWithoutMFA",
        "Effect": "Deny",
        "NotAction": [
          %{~ for i, a in var.enrolment_actions ~}
          "${a}"${i < length(var.enrolment_actions) - 1 ? "," : ""}
          %{~ endfor ~}
        ],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
      }]
    }
  EOT
}

resource "aws_iam_policy" "fail_for_bool_only" {
  name   = "enforce-mfa-console-only"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "NotAction": [%{ for a in var.enrolment_actions }"${a}", %{ endfor }"iam:ChangePassword"],
        "Resource": "*",
        "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}
      }]
    }
  EOT
}

resource "aws_iam_policy" "unknown_for_over_unset_variable" {
  name   = "enforce-mfa-extra"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Deny",
        "NotAction": [%{ for a in var.extra_actions }"${a}", %{ endfor }"sts:GetSessionToken"],
        "Resource": "*",
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}
      }]
    }
  EOT
}
