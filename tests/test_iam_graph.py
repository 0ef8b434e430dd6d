"""The IAM graph checks (CKV_MFA_4, CKV2_MFA_1..3) beyond the fixture verdicts:
registration in Checkov, one index per graph, document resolution, messages, CLI filters.

Verdicts per fixture are asserted by tests/test_checks_fixtures.py; here: how they are made.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import fixture_harness as fh
from mfaguard import catalogue
from mfaguard.checkov_adapter import index as adapter_index, model as adapter_model
from mfaguard.checkov_adapter.details import details_for
from mfaguard.checkov_adapter.model import IamModel
from mfaguard.policy import semantics

IAM_IDS = ["CKV_MFA_4", "CKV2_MFA_1", "CKV2_MFA_2", "CKV2_MFA_3"]
EVERY_PATH = fh.FIXTURES / "CKV2_MFA_1" / "every_path"
ARNS = fh.FIXTURES / "CKV2_MFA_1" / "unjudgeable_arns"
GROUPS = fh.FIXTURES / "CKV2_MFA_3" / "console_groups"
DOCS = fh.FIXTURES / "CKV_MFA_4" / "inline_forms"


def _details(case: Path, runner: str, check_id: str) -> dict[str, tuple[str, str]]:
    """{resource: (verdict, message)} for one check."""
    out = {}
    for verdict, records in zip(fh.VERDICTS, fh.run_filtered(case, runner, [check_id])):
        for rec in records:
            if rec.check_id == check_id:
                details = details_for(rec)
                assert details, f"no message for {check_id} {rec.resource}"
                out[rec.resource] = (verdict, details[0])
    return out


def test_checks_register_once_in_the_shared_terraform_graph_registry():
    from checkov.common.checks_infra.registry import get_graph_checks_registry
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.checks.resource.registry import resource_registry

    for _ in range(2):  # Checkov re-imports external check files on every run
        resource_registry.load_external_checks(fh.EXTERNAL_DIRS[0])
    registry = get_graph_checks_registry("terraform")
    ids = [c.id for c in registry.checks]
    for check_id in IAM_IDS:
        assert ids.count(check_id) == 1, check_id
        assert RunnerFilter.is_external_check(check_id)
        check = next(c for c in registry.checks if c.id == check_id)
        assert check.severity.name == catalogue.check(check_id).severity
        assert check.guideline == catalogue.check(check_id).guideline
        assert type(check).__name__ + ".py" in os.listdir(fh.EXTERNAL_DIRS[0])


def test_one_index_per_graph_and_each_distinct_document_evaluated_once(monkeypatch):
    built, evaluated = [], []
    real_init, real_evaluate = adapter_index.GraphIndex.__init__, semantics.evaluate

    def counting_init(self, graph):
        built.append(graph)
        real_init(self, graph)

    def counting_evaluate(doc):
        evaluated.append(json.dumps(doc, sort_keys=True, default=str))
        return real_evaluate(doc)

    monkeypatch.setattr(adapter_index.GraphIndex, "__init__", counting_init)
    monkeypatch.setattr(semantics, "evaluate", counting_evaluate)
    fh.run_filtered(EVERY_PATH, "hcl", IAM_IDS)
    assert len(built) == 1, "the four checks must share one index per graph"
    assert evaluated and len(evaluated) == len(set(evaluated)), "a document was evaluated twice"


def test_documents_come_from_raw_statement_blocks_with_every_condition_block(tmp_path):
    # Checkov's own aws_iam_policy_document converter keeps only the last of two condition
    # blocks that share test and variable; the AWS provider merges their values.
    (tmp_path / "main.tf").write_text('''
data "aws_iam_policy_document" "two" {
  statement {
    effect      = "Deny"
    not_actions = ["iam:ListMFADevices"]
    resources   = ["*"]
    condition {
      test     = "StringNotLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:user/a"]
    }
    condition {
      test     = "StringNotLike"
      variable = "aws:PrincipalArn"
      values   = ["arn:aws:iam::*:user/b"]
    }
  }
}
resource "aws_iam_policy" "two" {
  name   = "two"
  policy = data.aws_iam_policy_document.two.json
}
''')
    seen = {}
    real = IamModel.build.__func__

    def keep(cls, graph):
        seen["model"] = real(cls, graph)
        return seen["model"]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(IamModel, "build", classmethod(keep))
        fh.run_filtered(tmp_path, "hcl", ["CKV_MFA_4"])
    model = seen["model"]
    policy = next(n for n in model.index.nodes if n.address == "aws_iam_policy.two")
    doc, reason = model.documents.document(policy)
    assert reason is None
    values = doc["Statement"][0]["Condition"]["StringNotLike"]["aws:PrincipalArn"]
    assert sorted(values) == ["arn:aws:iam::*:user/a", "arn:aws:iam::*:user/b"]


@pytest.mark.parametrize("runner", fh.RUNNERS)
def test_user_messages_name_the_user_the_open_path_and_the_shortest_fix(runner):
    got = _details(EVERY_PATH, runner, "CKV2_MFA_1")
    verdict, msg = got["aws_iam_user.fail_no_policy"]
    assert verdict == "failed"
    assert msg.startswith("IAM user fail-no-policy has a console password (aws_iam_user_login_profile.fail_no_policy)")
    assert "no MFA-enforcing Deny reaches" in msg and "console" in msg
    # the safest shortest fix: attach the enforcing managed policy the configuration already has
    assert "Fix: attach aws_iam_policy." in msg and "which already enforces MFA" in msg
    assert 'resource "aws_iam_user_policy_attachment"' in msg and "aws_iam_user.fail_no_policy.name" in msg
    verdict, msg = got["aws_iam_user.fail_null_only"]
    # Null aws:MultiFactorAuthPresent "true" protects neither path (docs/semantics.md): nothing partial to name
    assert verdict == "failed" and "console" in msg
    verdict, msg = got["aws_iam_user.pass_user_group_membership"]
    assert verdict == "passed" and "via group via-attachment" in msg


@pytest.mark.parametrize("runner", fh.RUNNERS)
def test_policy_arns_outside_the_configuration_say_why(runner):
    got = _details(ARNS, runner, "CKV2_MFA_1")
    verdict, msg = got["aws_iam_user.fail_aws_managed_only"]
    assert verdict == "failed"  # AWS-managed policies never deny on a missing MFA: decided, and named
    assert "AWS-managed policies never deny on a missing MFA, so ReadOnlyAccess" in msg
    assert "arn:aws:iam::aws:policy/ReadOnlyAccess" in msg
    verdict, msg = got["aws_iam_user.unknown_other_account"]
    assert verdict == "unknown"
    assert "arn:aws:iam::111122223333:policy/security/require-mfa is not in the configuration" in msg
    verdict, msg = got["aws_iam_user.unknown_variable"]
    assert verdict == "unknown" and "policy_arn of aws_iam_user_policy_attachment.unknown_variable" in msg


def test_fix_without_an_enforcing_group_is_the_catalogue_hcl():
    got = _details(GROUPS, "hcl", "CKV2_MFA_3")
    verdict, msg = got["aws_iam_group.fail_no_policy"]
    assert verdict == "failed" and "console members (alice)" in msg
    assert catalogue.check("CKV2_MFA_3").fix_hcl.replace("GROUP", "fail_no_policy") in msg
    got = _details(DOCS, "plan", "CKV_MFA_4")
    verdict, msg = got["aws_iam_policy.fail_bool_only"]
    assert verdict == "failed" and "access keys" in msg
    assert catalogue.check("CKV_MFA_4").fix_hcl in msg


def _checkov(args: list[str], env: dict | None = None) -> dict:
    cmd = [sys.executable, "-m", "checkov.main", *args, "--external-checks-dir", fh.EXTERNAL_DIRS[0],
           "--external-checks-dir", fh.EXTERNAL_DIRS[1], "--skip-download", "-o", "json", "--compact"]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    data = data if isinstance(data, list) else [data]
    out: dict[str, set] = {"passed": set(), "failed": set()}
    for report in data:
        for verdict in out:
            out[verdict] |= {(c["check_id"], c["resource"]) for c in report["results"][f"{verdict}_checks"]}
    return out


def test_plain_checkov_cli_check_filters_and_networkx_backend():
    by_id = _checkov(["-d", str(GROUPS), "--framework", "terraform", "--check", "CKV2_MFA_3"])
    assert by_id == {"passed": {("CKV2_MFA_3", "aws_iam_group.pass_attached"),
                                ("CKV2_MFA_3", "aws_iam_group.pass_bool_inline")},
                     "failed": {("CKV2_MFA_3", "aws_iam_group.fail_no_policy"),
                                ("CKV2_MFA_3", "aws_iam_group.fail_aws_managed_only")}}
    high = _checkov(["-f", str(GROUPS / "tfplan.json"), "--check", "HIGH"], {"CHECKOV_GRAPH_FRAMEWORK": "NETWORKX"})
    ids = {cid for cid, _ in high["passed"] | high["failed"]}
    assert {"CKV2_MFA_1", "CKV2_MFA_3"} <= ids and "CKV2_MFA_2" not in ids  # CKV2_MFA_2 is MEDIUM
    assert ("CKV2_MFA_3", "aws_iam_group.fail_no_policy") in high["failed"]


def test_an_internal_error_is_unknown_for_every_candidate_never_a_silent_pass(monkeypatch):
    def boom(graph):
        raise RuntimeError("boom")

    monkeypatch.setattr(adapter_model, "model_for", boom)
    passed, failed, unknown = fh.run_filtered(GROUPS, "plan", ["CKV2_MFA_3"])
    assert not passed and not failed
    assert {r.resource for r in unknown} >= {"aws_iam_group.fail_no_policy", "aws_iam_group.pass_attached"}
    assert "internal error" in details_for(unknown[0])[0]


def test_inline_skip_comment_suppresses_a_graph_finding(tmp_path):
    text = (GROUPS / "main.tf").read_text()
    marker = 'resource "aws_iam_group" "fail_no_policy" {'
    assert marker in text
    (tmp_path / "main.tf").write_text(text.replace(marker, marker + "\n  # checkov:skip=CKV2_MFA_3: reviewed"))
    passed, failed, unknown = fh.run_filtered(tmp_path, "hcl", ["CKV2_MFA_3"])
    assert not [r for r in failed if r.resource == "aws_iam_group.fail_no_policy"]
    assert {r.resource for r in passed} == {"aws_iam_group.pass_attached", "aws_iam_group.pass_bool_inline"}


def test_fix_offers_joining_an_enforcing_group_only_without_a_managed_policy_and_says_what_it_grants(tmp_path):
    (tmp_path / "main.tf").write_text("""
resource "aws_iam_group" "admins" { name = "admins" }
resource "aws_iam_group_policy" "admins_mfa" {
  group  = aws_iam_group.admins.name
  policy = jsonencode({ Version = "2012-10-17", Statement = [{
    Effect = "Deny", NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                                   "iam:ResyncMFADevice", "sts:GetSessionToken"],
    Resource = "*", Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } } }] })
}
resource "aws_iam_user" "jess" { name = "jess" }
resource "aws_iam_user_login_profile" "jess" { user = aws_iam_user.jess.name }
""")
    verdict, msg = _details(tmp_path, "hcl", "CKV2_MFA_1")["aws_iam_user.jess"]
    assert verdict == "failed"
    assert "Fix: add jess to group admins" in msg and "also grants the group's other permissions" in msg
    assert 'resource "aws_iam_user_group_membership"' in msg and "groups = [aws_iam_group.admins.name]" in msg
