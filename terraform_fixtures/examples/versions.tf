terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.98"
    }
  }
}

provider "aws" {
  region = var.region
}

variable "region" {
  description = "Region of the user pools"
  type        = string
  default     = "eu-west-1"
}

variable "app_domain" {
  description = "Public domain of the customer app"
  type        = string
  default     = "shop.example.com"
}
