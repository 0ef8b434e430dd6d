output "user_arn" {
  value = module.user.user_arn
}

output "user_name" {
  value = module.user.user_name
}

output "user_password" {
  value = module.user.user_password
}

output "user_access_key_id" {
  value = module.user.user_access_key_id
}

output "user_secret_access_key" {
  value = module.user.user_secret_access_key
}
