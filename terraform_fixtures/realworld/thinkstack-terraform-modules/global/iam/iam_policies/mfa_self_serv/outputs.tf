output "mfa_policy_id" {
  value = aws_iam_policy.mfa_self_serv.id
}

output "mfa_policy_arn" {
  value = aws_iam_policy.mfa_self_serv.arn
}

output "mfa_policy_description" {
  value = aws_iam_policy.mfa_self_serv.description
}

output "mfa_policy_name" {
  value = aws_iam_policy.mfa_self_serv.name
}

output "mfa_policy_path" {
  value = aws_iam_policy.mfa_self_serv.path
}

output "mfa_policy_policy" {
  value = aws_iam_policy.mfa_self_serv.policy
}
