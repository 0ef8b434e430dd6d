"""mfaguard.expand.types: a variable's type constraint applied to its value as Terraform does
(language docs, "Type Constraints": optional object attributes and their defaults, conversion
of primitives, sets). terraform_fixtures/expansion/optional_defaults checks the same against a
real terraform plan."""
from __future__ import annotations

from pathlib import Path

from mfaguard.expand.expander import expand


def tags_of(tmp_path: Path, variable: str, value: str) -> dict:
    """The user's name, set to `jsonencode(<value>)` (maps in lexical key order, as Terraform)."""
    (tmp_path / "main.tf").write_text(variable + f"""
resource "aws_iam_user" "u" {{
  name = jsonencode({value})
}}
""", encoding="utf-8")
    (inst,) = expand(str(tmp_path)).instances
    return inst.values["name"]


def test_optional_default_fills_omitted_and_null_attributes(tmp_path):
    variable = """
variable "v" {
  type = map(object({
    a = optional(string, "x")
    b = optional(number)
    c = optional(object({ d = optional(bool, true), e = optional(number, 20) }), {})
  }))
  default = { one = {}, two = { a = null, c = null, extra = 1 }, three = { a = "y", c = { d = false } } }
}"""
    name = tags_of(tmp_path, variable, "var.v")
    assert name == ('{"one":{"a":"x","b":null,"c":{"d":true,"e":20}},'
                    '"three":{"a":"y","b":null,"c":{"d":false,"e":20}},'
                    '"two":{"a":"x","b":null,"c":{"d":true,"e":20}}}')


def test_for_over_a_map_and_jsonencode_use_lexical_key_order(tmp_path):
    # terraform 1.11.4: [for k, v in {b = 1, a = 2} : k] is ["a", "b"]; jsonencode sorts keys too
    name = tags_of(tmp_path, 'locals {\n  m = { b = 1, a = 2 }\n}', "[[for k, v in local.m : k], local.m]")
    assert name == '[["a","b"],{"a":2,"b":1}]'


def test_module_argument_is_converted_to_the_module_type(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text("""
variable "s" {
  type = object({ name = string, console = optional(bool, false), n = number, tags = set(string) })
}
resource "aws_iam_user" "u" {
  count = var.s.console ? 0 : var.s.n
  name  = "${var.s.name}-${join(",", var.s.tags)}"
}
""", encoding="utf-8")
    (tmp_path / "main.tf").write_text("""
module "m" {
  source = "./m"
  s      = { name = 7, n = "2", tags = ["b", "a", "b"] }
}
""", encoding="utf-8")
    instances = expand(str(tmp_path)).instances
    assert [(i.address, i.values["name"]) for i in instances] == [
        ("module.m.aws_iam_user.u[0]", "7-a,b"), ("module.m.aws_iam_user.u[1]", "7-a,b")]


def test_missing_required_attribute_is_left_for_the_evaluator(tmp_path):
    variable = """
variable "v" {
  type    = object({ a = string, b = optional(string, "x") })
  default = { b = "y" }
}"""
    # Terraform refuses the value; mfaguard leaves it unconverted, so reading `a` is not invented
    name = tags_of(tmp_path, variable, "var.v")
    assert name == '{"b":"y"}'
