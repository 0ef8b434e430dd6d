# dynamic blocks over literal collections, the content using the iterator: one block per
# element, none for an empty collection.
locals {
  enrolment_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
                       "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                       "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken"]
  mfa_tests = [{ test = "BoolIfExists", value = "false" }]
}

# enforces MFA: the Deny statement and its condition come from dynamic blocks
data "aws_iam_policy_document" "enforce" {
  dynamic "statement" {
    for_each = ["DenyAllExceptMfaEnrolmentWithoutMFA"]
    content {
      sid         = statement.value
      effect      = "Deny"
      not_actions = local.enrolment_actions
      resources   = ["*"]
      dynamic "condition" {
        for_each = local.mfa_tests
        iterator = t
        content {
          test     = t.value.test
          variable = "aws:MultiFactorAuthPresent"
          values   = [t.value.value]
        }
      }
    }
  }
}

# the dynamic Deny is generated zero times: only the Allow statement is left
data "aws_iam_policy_document" "allow_only" {
  statement {
    sid       = "ReadLogs"
    actions   = ["logs:GetLogEvents"]
    resources = ["*"]
  }
  dynamic "statement" {
    for_each = []
    content {
      sid         = "DenyWithoutMFA"
      effect      = "Deny"
      not_actions = local.enrolment_actions
      resources   = ["*"]
      condition {
        test     = "BoolIfExists"
        variable = "aws:MultiFactorAuthPresent"
        values   = ["false"]
      }
    }
  }
}

resource "aws_iam_group" "enforced" {
  name = "enforced"
}

resource "aws_iam_group_policy" "enforced" {
  name   = "enforce-mfa"
  group  = aws_iam_group.enforced.name
  policy = data.aws_iam_policy_document.enforce.json
}

resource "aws_iam_group" "readers" {
  name = "readers"
}

resource "aws_iam_group_policy" "readers" {
  name   = "read-logs"
  group  = aws_iam_group.readers.name
  policy = data.aws_iam_policy_document.allow_only.json
}

resource "aws_iam_user" "eve" {
  name = "eve"
}

resource "aws_iam_user_login_profile" "eve" {
  user = aws_iam_user.eve.name
}

resource "aws_iam_user_group_membership" "eve" {
  user   = aws_iam_user.eve.name
  groups = [aws_iam_group.enforced.name]
}

resource "aws_iam_user" "fay" {
  name = "fay"
}

resource "aws_iam_user_login_profile" "fay" {
  user = aws_iam_user.fay.name
}

resource "aws_iam_user_group_membership" "fay" {
  user   = aws_iam_user.fay.name
  groups = [aws_iam_group.readers.name]
}

# Cognito: TOTP offered through a dynamic block (one element) or not at all (no element)
resource "aws_cognito_user_pool" "totp" {
  name              = "staff"
  mfa_configuration = "ON"
  dynamic "software_token_mfa_configuration" {
    for_each = [true]
    content {
      enabled = software_token_mfa_configuration.value
    }
  }
}

resource "aws_cognito_user_pool" "email_only" {
  name              = "partners"
  mfa_configuration = "ON"
  email_mfa_configuration {
    message = "Your code is {####}"
  }
  dynamic "software_token_mfa_configuration" {
    for_each = []
    content {
      enabled = true
    }
  }
}
