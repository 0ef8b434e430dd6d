output "developers_group_name" {
  value = aws_iam_group.developers.name
}

