terraform {
  required_version = ">= 0.12.20, < 2.0"

  required_providers {
    aws = ">= 2.0, < 4.0"
  }
}
