variable "test_name" {
  type    = string
  default = "banana"
}
