module "users" {
  source = "./users"
}

