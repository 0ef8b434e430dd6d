output "group_name" {
  description = "Group Name"
  value       = module.test_group.group_name
}
