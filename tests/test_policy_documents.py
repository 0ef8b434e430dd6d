"""Policy document converters: JSON text, jsonencode values, aws_iam_policy_document configs.

Config literals below are the shapes Checkov 3.3.30 hands to checks (captured from its HCL and
plan runners); the last tests run Checkov's own runners on a small configuration and plan to
prove the shapes still hold.
"""
from __future__ import annotations

import json
import logging

import pytest

from mfaguard.policy import documents as D
from mfaguard.policy.semantics import ALL_PATHS, CONSOLE, Unresolved, evaluate

DENY_NO_MFA = {
    "Sid": "DenyNoMFA", "Effect": "Deny",
    "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
    "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
}


def hcl_statement(**attrs):
    """A statement block as Checkov's HCL runner presents it (every attribute in a list)."""
    out = {}
    for k, v in attrs.items():
        out[k] = v if k in ("condition", "principals", "not_principals") else [v]
    return out


HCL_DENY = hcl_statement(
    sid="DenyNoMFA", effect="Deny",
    not_actions=["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
    resources=["*"],
    condition=[{"test": ["BoolIfExists"], "variable": ["aws:MultiFactorAuthPresent"], "values": [[False]]}],
)


# ------------------------------------------------------------------ JSON text

def test_from_json_string_heredoc_and_url_encoded():
    text = json.dumps({"Version": "2012-10-17", "Statement": [DENY_NO_MFA]}, indent=4)
    assert D.from_json_string(text)["Statement"][0] == DENY_NO_MFA
    from urllib.parse import quote
    assert D.from_json_string(quote(json.dumps({"Statement": DENY_NO_MFA}))) == {"Statement": DENY_NO_MFA}


@pytest.mark.parametrize("text, reason", [
    ("${data.aws_iam_policy_document.x.json}", "the policy document is a reference"),
    ('{"Statement": [', "the policy document is not valid JSON"),
    ('{"Statement": ${var.s}}', "unresolved expression"),
    ("[1, 2]", "not a JSON object"),
    (None, "unknown until apply"),
])
def test_from_json_string_unresolved(text, reason):
    got = D.from_json_string(text)
    assert isinstance(got, Unresolved) and reason in got.reason


def test_from_jsonencode_keeps_booleans_and_strips_wrapping():
    value = [{"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"], "Resource": "*",
        "Condition": [{"BoolIfExists": [{"aws:MultiFactorAuthPresent": False}]}]}]}]
    doc = D.from_jsonencode(value)
    assert doc["Statement"][0]["Condition"] == {"BoolIfExists": {"aws:MultiFactorAuthPresent": False}}
    assert evaluate(doc).enforced == ALL_PATHS


def test_from_policy_attribute_forms():
    d = {"Statement": [DENY_NO_MFA]}
    assert D.from_policy_attribute([d]) == d
    assert D.from_policy_attribute([json.dumps(d)]) == d
    assert D.from_policy_attribute(json.dumps(d)) == d
    ref = D.from_policy_attribute(["data.aws_iam_policy_document.x.json"])
    assert isinstance(ref, Unresolved) and "data.aws_iam_policy_document.x.json" in ref.reason
    assert isinstance(D.from_policy_attribute(None), Unresolved)
    assert isinstance(D.from_policy_attribute([]), Unresolved)


@pytest.mark.parametrize("ref, target", [
    ("data.aws_iam_policy_document.x.json", "data.aws_iam_policy_document.x"),
    (["data.aws_iam_policy_document.this[0].json"], "data.aws_iam_policy_document.this"),
    ("${data.aws_iam_policy_document.x.minified_json}", "data.aws_iam_policy_document.x"),
    ("module.m.data.aws_iam_policy_document.x.json", "module.m.data.aws_iam_policy_document.x"),
    ("aws_iam_policy.p.policy", None),
    ('{"Statement": []}', None),
])
def test_reference_target(ref, target):
    assert D.reference_target(ref) == target


# ------------------------------------------------------------------ aws_iam_policy_document (HCL shape)

def test_hcl_config_renders_like_the_provider():
    conf = {"statement": [HCL_DENY, hcl_statement(actions=["s3:GetObject"], resources=["*"])]}
    doc = D.from_policy_document_config(conf)
    assert doc["Version"] == "2012-10-17"
    assert doc["Statement"][0] == {
        "Sid": "DenyNoMFA", "Effect": "Deny",
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"],
        "Resource": ["*"], "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": [False]}}}
    assert doc["Statement"][1] == {"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": ["*"]}
    assert evaluate(doc).enforced == ALL_PATHS


def test_every_condition_block_is_kept_and_same_test_and_variable_values_are_ored():
    # Checkov's own converter keeps only the last block when two share test and variable.
    st = dict(HCL_DENY, condition=[
        {"test": ["Bool"], "variable": ["aws:MultiFactorAuthPresent"], "values": [["false"]]},
        {"test": ["Bool"], "variable": ["aws:MultiFactorAuthPresent"], "values": [["true"]]},
        {"test": ["NumericGreaterThan"], "variable": ["aws:MultiFactorAuthAge"], "values": [["3600"]]},
    ])
    doc = D.from_policy_document_config({"statement": [st]})
    assert doc["Statement"][0]["Condition"] == {
        "Bool": {"aws:MultiFactorAuthPresent": ["false", "true"]},
        "NumericGreaterThan": {"aws:MultiFactorAuthAge": ["3600"]}}
    v = evaluate(doc)
    assert v.enforced == frozenset() and any("NumericGreaterThan" in p for p in v.problems)


def test_effect_defaults_to_allow_and_policy_variables_are_rendered():
    st = hcl_statement(actions=["iam:ChangePassword"],
                       resources=["arn:aws:iam::*:user/$${aws:username}", "arn:aws:iam::*:user/&{aws:username}"])
    doc = D.from_policy_document_config({"statement": [st]})
    assert doc["Statement"][0]["Effect"] == "Allow"
    assert doc["Statement"][0]["Resource"] == ["arn:aws:iam::*:user/${aws:username}"] * 2


def test_principals_blocks():
    st = dict(HCL_DENY, principals=[{"type": ["*"], "identifiers": [["*"]]}])
    assert D.from_policy_document_config({"statement": [st]})["Statement"][0]["Principal"] == "*"
    st = dict(HCL_DENY, principals=[{"type": ["AWS"], "identifiers": [["arn:aws:iam::1:root"]]}])
    assert D.from_policy_document_config({"statement": [st]})["Statement"][0]["Principal"] == {
        "AWS": ["arn:aws:iam::1:root"]}


def test_unresolved_variable_in_condition_values_makes_the_verdict_unknown():
    st = dict(HCL_DENY, condition=[
        {"test": ["BoolIfExists"], "variable": ["aws:MultiFactorAuthPresent"], "values": [["var.flag"]]}])
    v = evaluate(D.from_policy_document_config({"statement": [st]}))
    assert v.unknown and "not resolved" in v.unknown and v.enforced == frozenset()


def test_unresolved_actions_list():
    st = dict(HCL_DENY)
    del st["not_actions"]
    st["actions"] = ["var.actions"]
    doc = D.from_policy_document_config({"statement": [st]})
    assert isinstance(doc["Statement"][0]["Action"], Unresolved)
    assert evaluate(doc).unknown


def test_source_override_and_statement_merge_by_sid():
    source = {"Statement": [{"Sid": "Keep", "Effect": "Allow", "Action": "s3:*", "Resource": "*"},
                            {"Sid": "DenyNoMFA", "Effect": "Allow", "Action": "ec2:*", "Resource": "*"}]}
    override = {"Statement": [{"Sid": "Keep", "Effect": "Deny", "Action": "logs:*", "Resource": "*"},
                              {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}
    calls = []

    def resolve(ref):
        calls.append(ref)
        return {"data.aws_iam_policy_document.src.json": source}.get(ref)

    conf = {"source_policy_documents": [["data.aws_iam_policy_document.src.json"]],
            "override_policy_documents": [[json.dumps(override)]],
            "statement": [HCL_DENY]}
    doc = D.from_policy_document_config(conf, resolve)
    assert calls == ["data.aws_iam_policy_document.src.json"]
    # our DenyNoMFA replaces the source's statement in place; the override replaces "Keep"
    assert [(s.get("Sid"), s["Effect"]) for s in doc["Statement"]] == [
        ("Keep", "Deny"), ("DenyNoMFA", "Deny"), (None, "Allow")]
    assert evaluate(doc).enforced == ALL_PATHS


def test_override_can_remove_the_enforcing_statement():
    override = {"Statement": [{"Sid": "DenyNoMFA", "Effect": "Allow", "Action": "*", "Resource": "*"}]}
    conf = {"override_policy_documents": [[override]], "statement": [HCL_DENY]}
    v = evaluate(D.from_policy_document_config(conf))
    assert v.enforced == frozenset() and not v.attempts


def test_legacy_source_json_and_override_json():
    conf = {"source_json": [json.dumps({"Statement": [DENY_NO_MFA]})],
            "override_json": [json.dumps({"Statement": [dict(DENY_NO_MFA, Condition={
                "Bool": {"aws:MultiFactorAuthPresent": "false"}})]})]}
    v = evaluate(D.from_policy_document_config(conf))
    assert v.enforced == frozenset({CONSOLE})


def test_unresolved_source_adds_an_unknown_statement_only():
    conf = {"source_policy_documents": [["data.aws_iam_policy_document.elsewhere.json"]], "statement": [HCL_DENY]}
    doc = D.from_policy_document_config(conf)  # no resolver
    assert isinstance(doc["Statement"][-1], Unresolved)
    assert evaluate(doc).enforced == ALL_PATHS and evaluate(doc).unknown is None
    alone = evaluate(D.from_policy_document_config({"source_policy_documents": [["data.aws_iam_policy_document.e.json"]]}))
    assert alone.unknown and "source document is not resolved" in alone.unknown


def test_unresolved_override_makes_the_whole_document_unresolved():
    conf = {"override_policy_documents": [["data.aws_iam_policy_document.o.json"]], "statement": [HCL_DENY]}
    got = D.from_policy_document_config(conf)
    assert isinstance(got, Unresolved) and "override document is not resolved" in got.reason


def test_dynamic_statement_blocks():
    deny_content = dict(HCL_DENY)
    on = {"dynamic": [{"statement": {"content": [deny_content], "for_each": [1]}}]}
    off = {"dynamic": [{"statement": {"content": [deny_content], "for_each": []}}]}
    off_map = {"dynamic": [{"statement": {"content": [deny_content], "for_each": [{}]}}]}
    iterated = {"dynamic": [{"statement": {"content": [hcl_statement(
        actions="statement.value.actions", effect="statement.value.effect")], "for_each": ["var.statements"]}}]}
    assert evaluate(D.from_policy_document_config(on)).enforced == ALL_PATHS
    assert D.from_policy_document_config(off)["Statement"] == []
    assert D.from_policy_document_config(off_map)["Statement"] == []
    it = D.from_policy_document_config(iterated)
    assert isinstance(it["Statement"][0], Unresolved) and evaluate(it).unknown


# ------------------------------------------------------------------ plan shape

def test_plan_config_nulls_mean_not_set_and_null_elements_mean_unknown():
    st = {"actions": [None], "condition": [{"test": ["BoolIfExists"], "values": [["false"]],
                                            "variable": ["aws:MultiFactorAuthPresent"]}],
          "effect": ["Deny"], "not_actions": [["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"]],
          "not_principals": [[]], "not_resources": [None], "principals": [[]], "resources": [["*"]],
          "sid": [None]}
    doc = D.from_policy_document_config({"override_policy_documents": [None], "source_json": [None],
                                         "statement": [st], "version": [None]})
    assert doc == {"Version": "2012-10-17", "Statement": [{
        "Effect": "Deny", "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"], "Resource": ["*"],
        "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": ["false"]}}}]}
    assert evaluate(doc).enforced == ALL_PATHS
    unknown_res = dict(st, resources=[[None, "*"]])
    v = evaluate(D.from_policy_document_config({"statement": [unknown_res]}))
    assert v.enforced == ALL_PATHS  # "*" is there; the unknown element cannot narrow it
    only_unknown = dict(st, resources=[[None]])
    assert evaluate(D.from_policy_document_config({"statement": [only_unknown]})).unknown


def test_plan_rendered_json_is_used_when_present():
    conf = {"json": [json.dumps({"Statement": [DENY_NO_MFA]})], "statement": []}
    assert evaluate(D.from_policy_document_config(conf)).enforced == ALL_PATHS


# ------------------------------------------------------------------ Checkov's real shapes

HCL = r'''
variable "flag" { type = string }
data "aws_iam_policy_document" "src" {
  statement {
    sid       = "FromSource"
    actions   = ["s3:*"]
    resources = ["*"]
  }
}
data "aws_iam_policy_document" "enforce" {
  source_policy_documents = [data.aws_iam_policy_document.src.json]
  statement {
    sid         = "DenyNoMFA"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = [var.flag]
    }
  }
  statement {
    actions   = ["iam:ChangePassword"]
    resources = ["arn:aws:iam::*:user/$${aws:username}"]
  }
}
data "aws_iam_policy_document" "unknown" {
  statement {
    effect    = "Deny"
    actions   = ["*"]
    resources = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = [var.flag]
    }
  }
}
resource "aws_iam_policy" "by_reference" {
  name   = "r"
  policy = data.aws_iam_policy_document.enforce.json
}
resource "aws_iam_policy" "jsonencoded" {
  name = "j"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"]
      Resource  = "*"
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = false } }
    }]
  })
}
resource "aws_iam_policy" "heredoc" {
  name   = "h"
  policy = <<EOF
{"Version": "2012-10-17",
 "Statement": {"Effect": "Deny", "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"],
   "Resource": "*", "Condition": {"Null": {"aws:MultiFactorAuthPresent": "true"}}}}
EOF
}
'''


def _plan(doc: dict) -> dict:
    provider = "registry.terraform.io/hashicorp/aws"
    statement = [{"actions": None, "condition": [{"test": "BoolIfExists", "values": ["false"],
                                                  "variable": "aws:MultiFactorAuthPresent"}],
                  "effect": "Deny", "not_actions": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice"],
                  "not_principals": [], "not_resources": None, "principals": [], "resources": ["*"],
                  "sid": "DenyNoMFA"}]
    return {
        "format_version": "1.2", "terraform_version": "1.6.6",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_iam_policy.rendered", "mode": "managed", "type": "aws_iam_policy", "name": "rendered",
             "provider_name": provider, "schema_version": 0,
             "values": {"name": "rendered", "path": "/", "policy": json.dumps(doc, indent=2), "tags": None}},
            {"address": "aws_iam_policy.after_apply", "mode": "managed", "type": "aws_iam_policy",
             "name": "after_apply", "provider_name": provider, "schema_version": 0,
             "values": {"name": "after_apply", "path": "/", "tags": None}},
            {"address": "data.aws_iam_policy_document.deferred", "mode": "data", "type": "aws_iam_policy_document",
             "name": "deferred", "provider_name": provider, "schema_version": 0,
             "values": {"override_json": None, "override_policy_documents": None, "policy_id": None,
                        "source_json": None, "source_policy_documents": None, "statement": statement,
                        "version": None}},
        ]}},
        "resource_changes": [
            {"address": "aws_iam_policy.rendered", "mode": "managed", "type": "aws_iam_policy", "name": "rendered",
             "provider_name": provider, "change": {"actions": ["create"], "before": None,
                                                   "after": {"name": "rendered"}, "after_unknown": {"id": True}}},
            {"address": "aws_iam_policy.after_apply", "mode": "managed", "type": "aws_iam_policy",
             "name": "after_apply", "provider_name": provider,
             "change": {"actions": ["create"], "before": None, "after": {"name": "after_apply"},
                        "after_unknown": {"id": True, "policy": True}}},
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_iam_policy.after_apply", "mode": "managed", "type": "aws_iam_policy",
             "name": "after_apply", "expressions": {"policy": {"references": [
                 "data.aws_iam_policy_document.deferred.json", "data.aws_iam_policy_document.deferred"]}}},
        ]}},
    }


def _confs(definitions) -> dict:
    out = {}
    for blocks in definitions.values():
        for kind in ("resource", "data"):
            for block in blocks.get(kind, []):
                for rtype, by_name in block.items():
                    for name, conf in by_name.items():
                        out[f"{'data.' if kind == 'data' else ''}{rtype}.{name}"] = conf
    return out


@pytest.fixture(scope="module")
def checkov_confs(tmp_path_factory):
    """What Checkov's HCL runner and plan runner hand to checks (no check is registered)."""
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.plan_runner import Runner as PlanRunner
    from checkov.terraform.runner import Runner

    root = tmp_path_factory.mktemp("policy_docs")
    (root / "hcl").mkdir()
    (root / "hcl" / "main.tf").write_text(HCL)
    plan_file = root / "tfplan.json"
    plan_file.write_text(json.dumps(_plan({"Version": "2012-10-17", "Statement": [DENY_NO_MFA]})))
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        hcl_runner = Runner()
        hcl_runner.run(root_folder=str(root / "hcl"), runner_filter=RunnerFilter(checks=["CKV_MFA_NONE"]))
        plan_runner = PlanRunner()
        plan_runner.run(root_folder=None, files=[str(plan_file)], runner_filter=RunnerFilter(checks=["CKV_MFA_NONE"]))
    finally:
        logging.disable(previous)
    return _confs(hcl_runner.definitions), _confs(plan_runner.definitions)


def test_checkov_hcl_shapes(checkov_confs):
    hcl, _ = checkov_confs

    def resolve(ref):
        target = D.reference_target(ref)
        return D.from_policy_document_config(hcl[target], resolve) if target in hcl else None

    enforce = D.from_policy_document_config(hcl["data.aws_iam_policy_document.enforce"], resolve)
    assert [s.get("Sid") for s in enforce["Statement"]] == ["FromSource", "DenyNoMFA", None]
    assert enforce["Statement"][2]["Resource"] == ["arn:aws:iam::*:user/${aws:username}"]
    v = evaluate(enforce)  # "false" OR var.flag: the known value already matches
    assert v.enforced == ALL_PATHS and v.unknown is None

    unknown = evaluate(D.from_policy_document_config(hcl["data.aws_iam_policy_document.unknown"], resolve))
    assert unknown.unknown and unknown.enforced == frozenset()

    by_ref = D.from_policy_attribute(hcl["aws_iam_policy.by_reference"]["policy"])
    assert isinstance(by_ref, Unresolved)  # Checkov hands the reference text to Python checks
    assert D.reference_target(hcl["aws_iam_policy.by_reference"]["policy"]) == "data.aws_iam_policy_document.enforce"

    jsonencoded = evaluate(D.from_policy_attribute(hcl["aws_iam_policy.jsonencoded"]["policy"]))
    assert jsonencoded.enforced == frozenset({CONSOLE})
    heredoc = evaluate(D.from_policy_attribute(hcl["aws_iam_policy.heredoc"]["policy"]))
    # Null aws:MultiFactorAuthPresent "true": read correctly, protects neither path (semantics tests).
    assert heredoc.attempts and heredoc.enforced == frozenset()
    assert any('Null {aws:MultiFactorAuthPresent: "true"} never matches' in p for p in heredoc.problems)


def test_checkov_plan_shapes(checkov_confs):
    _, plan = checkov_confs
    rendered = evaluate(D.from_policy_attribute(plan["aws_iam_policy.rendered"]["policy"]))
    assert rendered.enforced == ALL_PATHS
    after_apply = D.from_policy_attribute(plan["aws_iam_policy.after_apply"]["policy"])
    assert isinstance(after_apply, Unresolved)
    assert D.reference_target(plan["aws_iam_policy.after_apply"]["policy"]) == "data.aws_iam_policy_document.deferred"
    deferred = evaluate(D.from_policy_document_config(plan["data.aws_iam_policy_document.deferred"]))
    assert deferred.enforced == ALL_PATHS and deferred.unknown is None


@pytest.mark.parametrize("check_id", ["CKV_MFA_4", "CKV2_MFA_1", "CKV2_MFA_2", "CKV2_MFA_3"])
def test_catalogue_fix_snippets_enforce_mfa_everywhere(check_id):
    """The remediation HCL we print must itself pass the semantics it is remediating."""
    import hcl2

    from mfaguard import catalogue

    parsed = hcl2.loads(catalogue.check(check_id).fix_hcl)
    confs = [conf for block in parsed.get("data", []) for name, by_name in block.items()
             if name == "aws_iam_policy_document" for conf in by_name.values()]
    assert confs, "the fix snippet defines an aws_iam_policy_document"
    for conf in confs:
        v = evaluate(D.from_policy_document_config(conf))
        assert (v.enforced, v.lockout, v.problems, v.unknown) == (ALL_PATHS, False, (), None)
