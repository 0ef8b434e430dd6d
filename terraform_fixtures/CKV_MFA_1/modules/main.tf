# Pools declared in a local module are judged per module call.
module "staff_pool" {
  source = "./modules/pool"
  name   = "staff"
  mfa    = "ON"
}

module "shop_pool" {
  source = "./modules/pool"
  name   = "shop"
  mfa    = "OPTIONAL"
}
