# The module's own example: a root module of its own.
module "example" {
  source = "../.."
  name   = "example-user"
}
