output "powerusers_group_id" {
  value = aws_iam_group.powerusers.id
}

output "powerusers_group_arn" {
  value = aws_iam_group.powerusers.arn
}

output "powerusers_group_name" {
  value = aws_iam_group.powerusers.name
}

output "powerusers_group_path" {
  value = aws_iam_group.powerusers.path
}

output "powerusers_group_unique_id" {
  value = aws_iam_group.powerusers.unique_id
}

output "billing_group_id" {
  value = aws_iam_group.billing.id
}

output "billing_group_arn" {
  value = aws_iam_group.billing.arn
}

output "billing_group_name" {
  value = aws_iam_group.billing.name
}

output "billing_group_path" {
  value = aws_iam_group.billing.path
}

output "billing_group_unique_id" {
  value = aws_iam_group.billing.unique_id
}

output "readonly_group_id" {
  value = aws_iam_group.readonly.id
}

output "readonly_group_arn" {
  value = aws_iam_group.readonly.arn
}

output "readonly_group_name" {
  value = aws_iam_group.readonly.name
}

output "readonly_group_path" {
  value = aws_iam_group.readonly.path
}

output "readonly_group_unique_id" {
  value = aws_iam_group.readonly.unique_id
}
