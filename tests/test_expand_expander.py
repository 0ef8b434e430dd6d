"""mfaguard.expand.expander / config / plan: a root module expanded as Terraform does at plan
time (developer.hashicorp.com/terraform/language: variables, count/for_each, modules) and
written as a terraform-show-shaped document."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfaguard.expand.config import ConfigError
from mfaguard.expand.expander import Unexpandable, expand, read_tfvars
from mfaguard.expand.plan import synthetic_plan
from mfaguard.expand.values import APPLY, INPUT, Unknown


def write(root: Path, files: dict[str, str]) -> str:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return str(root)


def by_address(expansion) -> dict:
    return {i.address: i.values for i in expansion.instances}


def test_tfvars_load_in_terraform_order(tmp_path):
    root = write(tmp_path, {
        "main.tf": 'variable "a" {}\nvariable "b" {}\nvariable "c" { default = "default" }\n',
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\n',
        "x.auto.tfvars": 'b = "x.auto"\n',
        "a.auto.tfvars.json": '{"a": "a.auto.json", "b": "a.auto.json"}',
    })
    # terraform.tfvars, then *.auto.tfvars(.json) in lexical order of file names: later wins
    assert read_tfvars(root) == {"a": "a.auto.json", "b": "x.auto"}


def test_module_instances_each_with_their_own_arguments_and_keys(tmp_path):
    root = write(tmp_path, {
        "main.tf": '''
module "team" {
  source   = "./user"
  for_each = { "jane.doe" = "eng", "max@example.com" = "ops" }
  name     = each.key
  group    = each.value
}
module "bots" {
  source = "./user"
  count  = 2
  name   = "bot-${count.index}"
}
resource "aws_iam_user_group_membership" "m" {
  user   = module.team["jane.doe"].name
  groups = [module.bots[1].name]
}
''',
        "user/main.tf": '''
variable "name" {}
variable "group" { default = "none" }
resource "aws_iam_user" "this" {
  name = var.name
  tags = { group = var.group }
}
output "name" { value = aws_iam_user.this.name }
output "arn" { value = aws_iam_user.this.arn }
''',
    })
    values = by_address(expand(root))
    assert values['module.team["jane.doe"].aws_iam_user.this'] == {"name": "jane.doe", "tags": {"group": "eng"}}
    assert values['module.team["max@example.com"].aws_iam_user.this']["tags"] == {"group": "ops"}
    assert values["module.bots[1].aws_iam_user.this"] == {"name": "bot-1", "tags": {"group": "none"}}
    assert values["aws_iam_user_group_membership.m"] == {"user": "jane.doe", "groups": ["bot-1"]}


def test_computed_attribute_is_unknown_after_apply_with_its_instance_reference(tmp_path):
    root = write(tmp_path, {"main.tf": '''
resource "aws_iam_policy" "p" {
  for_each = toset(["a"])
  name     = each.key
  policy   = "{}"
}
resource "aws_iam_user_policy_attachment" "x" {
  user       = "u"
  policy_arn = aws_iam_policy.p["a"].arn
}
'''})
    arn = by_address(expand(root))["aws_iam_user_policy_attachment.x"]["policy_arn"]
    assert isinstance(arn, Unknown) and arn.kind == APPLY
    assert arn.reference == '${aws_iam_policy.p["a"].arn}'


def test_variable_without_default_is_unknown_naming_it(tmp_path):
    root = write(tmp_path, {"main.tf": '''
variable "groups" { type = list(string) }
resource "aws_iam_user_group_membership" "m" {
  user   = "u"
  groups = var.groups
}
'''})
    groups = by_address(expand(root))["aws_iam_user_group_membership.m"]["groups"]
    assert isinstance(groups, Unknown) and groups.kind == INPUT
    assert "var.groups has no value" in groups.reason


def test_count_that_cannot_be_known_gives_one_undetermined_instance(tmp_path):
    """Which instances exist is not known: the block is listed once, without a key, every value
    unknown with the reason; a plain reference to another such block is kept (the login profile
    still points at its user), a link to a block that surely exists is not."""
    root = write(tmp_path, {"main.tf": '''
variable "enabled" {}
resource "aws_iam_user" "u" {
  count = var.enabled ? 1 : 0
  name  = "u"
}
resource "aws_iam_user_login_profile" "u" {
  count = var.enabled ? 1 : 0
  user  = aws_iam_user.u[count.index].name
}
resource "aws_iam_user" "known" {
  name = "known"
}
resource "aws_iam_user_group_membership" "m" {
  count  = var.enabled ? 1 : 0
  user   = aws_iam_user.known.name
  groups = ["admins"]
}
'''})
    expansion = expand(root)
    insts = {i.address: i for i in expansion.instances}
    assert set(insts) == {"aws_iam_user.u", "aws_iam_user_login_profile.u", "aws_iam_user.known",
                          "aws_iam_user_group_membership.m"}
    user = insts["aws_iam_user.u"]
    assert user.index is None and "count of aws_iam_user.u cannot be evaluated: var.enabled has no value" in user.undetermined
    assert isinstance(user.values["name"], Unknown)  # even a literal: the instance may not exist
    login = insts["aws_iam_user_login_profile.u"].values["user"]
    assert isinstance(login, Unknown) and login.reference == "${aws_iam_user.u.name}"
    assert insts["aws_iam_user_login_profile.u"].credential_of == ""  # its user may not exist either
    # a membership only adds policies: taken as if it existed, flagged additive (its PASSes are
    # made UNKNOWN by the plan writer, a FAIL holds without it)
    membership = insts["aws_iam_user_group_membership.m"]
    assert membership.additive and membership.values == {"user": "known", "groups": ["admins"]}
    assert insts["aws_iam_user.known"].undetermined == "" and insts["aws_iam_user.known"].values == {"name": "known"}


def test_module_call_with_unknown_count_is_expanded_once_undetermined(tmp_path):
    root = write(tmp_path, {"main.tf": '''
variable "teams" { type = list(string) }
module "team" {
  source   = "./team"
  for_each = toset(var.teams)
  name     = each.key
}
''', "team/main.tf": '''
variable "name" {}
resource "aws_iam_user" "lead" {
  name = "${var.name}-lead"
}
'''})
    expansion = expand(root)
    (inst,) = expansion.instances
    assert inst.address == "module.team.aws_iam_user.lead" and inst.module_address == "module.team"
    assert "for_each of module.team cannot be evaluated: var.teams has no value" in inst.undetermined
    assert [c.address for c in expansion.calls] == ["module.team"]


def test_a_module_not_downloaded_with_count_0_is_not_needed(tmp_path):
    root = write(tmp_path, {"main.tf": '''
module "off" {
  source = "acme/x/aws"
  count  = 0
}
resource "aws_iam_user" "a" {
  name = "a"
}
'''})
    expansion = expand(root)
    assert expansion.missing == [] and [i.address for i in expansion.instances] == ["aws_iam_user.a"]


def test_module_not_downloaded_is_listed_and_its_outputs_are_unknown(tmp_path):
    root = write(tmp_path, {"main.tf": '''
module "iam" {
  source = "terraform-aws-modules/iam/aws//modules/iam-user"
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = "u"
  policy_arn = module.iam.policy_arn
}
'''})
    expansion = expand(root)
    [missing] = expansion.missing
    assert missing.address == "module.iam" and "terraform init" in missing.reason
    arn = by_address(expansion)["aws_iam_user_policy_attachment.a"]["policy_arn"]
    assert isinstance(arn, Unknown) and "module.iam" in arn.reason
    plan = synthetic_plan(expansion)
    placeholders = [r["address"] for m in plan.document["planned_values"]["root_module"]["child_modules"]
                    for r in m["resources"]]
    assert "module.iam.aws_iam_user.not_downloaded" in placeholders
    assert plan.locations["module.iam.aws_iam_user.not_downloaded"][1:] == (2, 4)


def test_downloaded_module_is_read_from_modules_json(tmp_path):
    root = write(tmp_path, {
        "main.tf": 'module "iam" {\n  source = "acme/iam/aws"\n  name = "x"\n}\n',
        ".terraform/modules/modules.json": json.dumps({"Modules": [
            {"Key": "", "Source": "", "Dir": "."},
            {"Key": "iam", "Source": "registry.terraform.io/acme/iam/aws", "Dir": ".terraform/modules/iam"}]}),
        ".terraform/modules/iam/main.tf": 'variable "name" {}\nresource "aws_iam_user" "u" { name = var.name }\n',
    })
    expansion = expand(root)
    assert not expansion.missing
    assert by_address(expansion) == {"module.iam.aws_iam_user.u": {"name": "x"}}


def test_dynamic_blocks_with_iterator_and_empty_collection(tmp_path):
    root = write(tmp_path, {"main.tf": '''
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = { deny = "Deny" }
    iterator = s
    content {
      sid       = s.key
      effect    = s.value
      actions   = ["*"]
      resources = ["*"]
    }
  }
  dynamic "statement" {
    for_each = []
    content {
      sid = "never"
    }
  }
}
'''})
    values = by_address(expand(root))["data.aws_iam_policy_document.d"]
    assert values["statement"] == [{"sid": "deny", "effect": "Deny", "actions": ["*"], "resources": ["*"]}]
    assert json.loads(values["json"])["Statement"] == [
        {"Sid": "deny", "Effect": "Deny", "Action": "*", "Resource": "*"}]


def test_file_reads_stay_inside_the_scanned_folder(tmp_path):
    (tmp_path / "secret.txt").write_text("token", encoding="utf-8")
    root = write(tmp_path / "repo", {
        "main.tf": '''
resource "aws_iam_policy" "inside" {
  policy = templatefile("${path.module}/policy.json.tpl", { action = "s3:GetObject" })
}
resource "aws_iam_policy" "outside" {
  policy = file("../secret.txt")
}
''',
        "policy.json.tpl": '{"Action": "${action}"}',
    })
    values = by_address(expand(root))
    assert values["aws_iam_policy.inside"]["policy"] == '{"Action": "s3:GetObject"}'
    outside = values["aws_iam_policy.outside"]["policy"]
    assert isinstance(outside, Unknown) and "outside the scanned folder" in outside.reason


def test_templatefile_templates_get_directives_and_functions(tmp_path):
    root = write(tmp_path / "repo", {
        "main.tf": '''
variable "actions" { default = ["GetObject", "PutObject"] }
resource "aws_iam_policy" "p" {
  policy = templatefile("${path.module}/policy.json.tpl", { actions = var.actions, strict = true })
}
resource "aws_iam_policy" "recursive" {
  policy = templatefile("${path.module}/recursive.tpl", {})
}
''',
        "policy.json.tpl": '''{"Action": [
%{ for a in actions ~}
  "s3:${lower(a)}",
%{ endfor ~}
  "s3:${upper("x")}"],
 "Effect": "%{ if strict }Deny%{ else }Allow%{ endif }",
 "Note": ${jsonencode(trimspace(file("note.txt")))}}''',
        "note.txt": "  read by file()  \n",
        "recursive.tpl": '${templatefile("policy.json.tpl", {})}',
    })
    values = by_address(expand(root))
    assert json.loads(values["aws_iam_policy.p"]["policy"]) == {
        "Action": ["s3:getobject", "s3:putobject", "s3:X"], "Effect": "Deny", "Note": "read by file()"}
    recursive = values["aws_iam_policy.recursive"]["policy"]
    assert isinstance(recursive, Unknown) and "recursion" in recursive.reason


def test_template_file_data_source_renders_its_template_with_its_vars(tmp_path):
    # hashicorp/template's data "template_file": vars are the only names, passed as strings
    # (primitives only); functions work; an unknown var stays in the text as its reference
    root = write(tmp_path / "repo", {
        "main.tf": '''
resource "aws_cognito_user_pool" "pool" { name = "p" }
data "template_file" "policy" {
  template = file("${path.module}/policy.json")
  vars = {
    pool_arn = aws_cognito_user_pool.pool.arn
    deny     = true
    action   = "cognito-idp:ListUsers"
  }
}
data "template_file" "inline" {
  template = "$${upper(name)}-%%{ if n > 1 }many%%{ endif }"
  vars     = { name = "x", n = 2 }
}
data "template_file" "listvar" {
  template = "$${a}"
  vars     = { a = ["x"] }
}
data "template_file" "undeclared" {
  template = "$${nope}"
  vars     = {}
}
resource "aws_iam_policy" "p" { policy = data.template_file.policy.rendered }
''',
        "policy.json": '''{"Statement": [{"Effect": "%{ if deny }Deny%{ else }Allow%{ endif }",
  "Action": "${action}", "Resource": "${pool_arn}"}]}''',
    })
    values = by_address(expand(root))
    rendered = values["data.template_file.policy"]["rendered"]
    assert isinstance(rendered, Unknown) and rendered.kind == APPLY
    assert json.loads(rendered.reference) == {"Statement": [
        {"Effect": "Deny", "Action": "cognito-idp:ListUsers", "Resource": "${aws_cognito_user_pool.pool.arn}"}]}
    assert values["aws_iam_policy.p"]["policy"] == rendered
    assert values["data.template_file.inline"]["rendered"] == "X-many"
    listvar = values["data.template_file.listvar"]["rendered"]
    assert isinstance(listvar, Unknown) and "non-primitives" in listvar.reason and "a (list)" in listvar.reason
    undeclared = values["data.template_file.undeclared"]["rendered"]
    assert isinstance(undeclared, Unknown) and "'nope'" in undeclared.reason and "vars" in undeclared.reason


def test_aws_provider_functions_in_a_root(tmp_path):
    # hcl2 (Checkov's parser) reads provider::aws::... calls; the expander evaluates them
    root = write(tmp_path, {"main.tf": '''
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
locals {
  role = provider::aws::arn_parse("arn:aws:iam::444455556666:role/team/admin")
}
resource "aws_iam_user_policy_attachment" "a" {
  user       = "ann"
  policy_arn = provider::aws::arn_build("aws", "iam", "", local.role.account_id, "policy/enforce-mfa")
}
resource "aws_iam_role" "r" {
  name               = "x"
  assume_role_policy = provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/team/admin")
}
'''})
    values = by_address(expand(root))
    assert values["aws_iam_user_policy_attachment.a"]["policy_arn"] == "arn:aws:iam::444455556666:policy/enforce-mfa"
    assert values["aws_iam_role.r"]["assume_role_policy"] == "arn:aws:iam::444455556666:role/admin"


def test_tofu_replaces_tf_and_tf_json_is_read(tmp_path):
    root = write(tmp_path, {
        "users.tf": 'resource "aws_iam_user" "u" { name = "from-tf" }\n',
        "users.tofu": 'resource "aws_iam_user" "u" { name = "from-tofu" }\n',
        "more.tf.json": json.dumps({"resource": {"aws_iam_user": {"j": {"name": "${upper(\"json\")}"}}}}),
    })
    assert by_address(expand(root)) == {"aws_iam_user.u": {"name": "from-tofu"}, "aws_iam_user.j": {"name": "JSON"}}


def test_override_files_are_not_guessed(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_iam_user" "u" { name = "a" }\n',
                            "main_override.tf": 'resource "aws_iam_user" "u" { name = "b" }\n'})
    with pytest.raises(ConfigError, match="override"):
        expand(root)


def test_synthetic_plan_shape_and_unknown_markers(tmp_path):
    root = write(tmp_path, {
        "main.tf": '''
variable "g" {}
module "team" {
  source   = "./m"
  for_each = toset(["a"])
}
resource "aws_iam_user_group_membership" "m" {
  user   = "u"
  groups = var.g
}
''',
        "m/main.tf": 'resource "aws_iam_user" "u" {\n  name = "x"\n}\nmodule "inner" {\n  source = "./inner"\n}\n',
        "m/inner/main.tf": 'resource "aws_iam_group" "g" { name = aws_iam_user.nope.name }\n',
    })
    expansion = expand(root)
    # a reference Terraform would reject (not declared in that module) is unknown, with the reason
    name = by_address(expansion)['module.team["a"].module.inner.aws_iam_group.g']["name"]
    assert isinstance(name, Unknown) and "aws_iam_user.nope is not declared" in name.reason
    plan = synthetic_plan(expansion)
    doc = plan.document
    assert doc["format_version"] == "1.2"
    [team] = doc["planned_values"]["root_module"]["child_modules"]
    assert team["address"] == 'module.team["a"]'
    assert [r["address"] for r in team["resources"]] == ['module.team["a"].aws_iam_user.u']
    assert team["child_modules"][0]["resources"][0]["address"] == 'module.team["a"].module.inner.aws_iam_group.g'
    calls = doc["configuration"]["root_module"]["module_calls"]
    assert calls["team"]["source"] == "./m" and "inner" in calls["team"]["module"]["module_calls"]
    groups = doc["planned_values"]["root_module"]["resources"][0]["values"]["groups"]
    assert groups.startswith("${unknown_")
    assert "var.g has no value" in plan.explain(f"groups = {groups}")
    assert plan.locations['module.team["a"].aws_iam_user.u'][1:] == (1, 3)


def test_a_file_the_scan_refused_is_never_read(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_iam_user" "u" { name = "a" }\n'})
    with pytest.raises(ConfigError, match="refused"):
        expand(root, skip=frozenset({str(tmp_path / "main.tf")}))


def test_huge_count_is_refused_not_expanded(tmp_path):
    root = write(tmp_path, {"main.tf": 'resource "aws_iam_user" "u" {\n  count = 100000000000000000000\n  name = "x"\n}\n'})
    (inst,) = expand(root).instances
    assert inst.address == "aws_iam_user.u" and "more instances than mfaguard expands" in inst.undetermined


def test_legacy_splat_ends_at_the_first_index(tmp_path):
    # HCL's attribute-only splat `a.*.b[0]` takes attribute steps only: the index applies to the
    # list it made (terraform 1.11.4: [{name = "a"}, {name = "b"}].*.name[0] is "a"); the
    # `aws_iam_user.default.*.name[0]` idiom of older modules (clouddrove/terraform-aws-iam-user)
    root = write(tmp_path, {"main.tf": """
resource "aws_iam_user" "default" {
  count = 1
  name  = "jo"
}
resource "aws_iam_access_key" "k" {
  user = aws_iam_user.default.*.name[0]
}
"""})
    values = by_address(expand(root))
    assert values["aws_iam_access_key.k"]["user"] == "jo"


def test_a_module_folder_is_parsed_once_per_content(tmp_path):
    """load_module keeps parsed folders per process: the same files give the same parse, a
    changed file (even of the same size) is read again."""
    from mfaguard.expand.config import load_module

    root = write(tmp_path, {"main.tf": 'resource "aws_iam_user" "u" {\n  name = "aa"\n}\n'})
    first = load_module(root)
    assert load_module(root) is first
    (tmp_path / "main.tf").write_text('resource "aws_iam_user" "u" {\n  name = "bb"\n}\n')
    again = load_module(root)
    assert again is not first
    assert by_address(expand(root)) == {"aws_iam_user.u": {"name": "bb"}}
