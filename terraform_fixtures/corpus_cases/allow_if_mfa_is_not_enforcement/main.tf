resource "aws_iam_group" "fail_support" {
  name = "support"
}

resource "aws_iam_group_policy" "mfa_allow" {
  name = "ec2-with-mfa"
  group = aws_iam_group.fail_support.name
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:*",
      "Resource": "*",
      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": ["true"]}}
    }
  ]
}
EOT
}

resource "aws_iam_user" "fail_agent" {
  name = "agent"
}

resource "aws_iam_user_login_profile" "fail_agent" {
  user = aws_iam_user.fail_agent.name
}

resource "aws_iam_user_group_membership" "fail_agent" {
  user = aws_iam_user.fail_agent.name
  groups = [aws_iam_group.fail_support.name]
}
