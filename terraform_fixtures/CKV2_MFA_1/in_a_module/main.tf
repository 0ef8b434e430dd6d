module "iam" {
  source = "./iam"
}
