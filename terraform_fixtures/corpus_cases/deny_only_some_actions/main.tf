data "aws_iam_policy_document" "pass_ec2_stop_needs_mfa" {
  statement {
    sid = "RequireMFAForStop"
    effect = "Deny"
    actions = ["ec2:StopInstances", "ec2:TerminateInstances"]
    resources = ["*"]
    condition {
      test = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values = ["false"]
    }
  }
}

resource "aws_iam_policy" "pass_ec2_stop_needs_mfa" {
  name = "ec2-stop-needs-mfa"
  policy = data.aws_iam_policy_document.pass_ec2_stop_needs_mfa.json
}

resource "aws_iam_user" "fail_operator" {
  name = "operator"
}

resource "aws_iam_user_login_profile" "fail_operator" {
  user = aws_iam_user.fail_operator.name
}

resource "aws_iam_user_policy_attachment" "fail_operator" {
  user = aws_iam_user.fail_operator.name
  policy_arn = aws_iam_policy.pass_ec2_stop_needs_mfa.arn
}
