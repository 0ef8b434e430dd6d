variable "region" {}

variable "deployment_identifier" {}

variable "public_gpg_key_path" {}
