"""Adoption: baselines (keyed by check, file and resource) and .mfaguard.yaml."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from mfaguard.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "terraform_fixtures" / "examples"

CONSOLE_USER = '''resource "aws_iam_user" "jess" {
  name = "jess"
}

resource "aws_iam_user_login_profile" "jess" {
  user = aws_iam_user.jess.name
}
'''
POOL = '''resource "aws_cognito_user_pool" "customers" {
  name              = "customers"
  user_pool_tier    = "PLUS"
  mfa_configuration = "OPTIONAL"
  software_token_mfa_configuration {
    enabled = true
  }
  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
    advanced_security_additional_flows {
      custom_auth_mode = "ENFORCED"
    }
  }
}
'''


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["scan", *args])
    out, err = capsys.readouterr()
    return code, out, err


def failed(out: str) -> set[tuple[str, str, str]]:
    reports = json.loads(out)
    reports = reports if isinstance(reports, list) else [reports]
    return {(r["check_id"], r["resource"], os.path.basename(r["file_abs_path"]))
            for rep in reports for r in rep.get("results", {}).get("failed_checks", [])}


def test_baseline_absorbs_known_findings_and_lists_stale_ones(tmp_path, capsys):
    stack = tmp_path / "stack"
    shutil.copytree(EXAMPLES, stack)
    base = tmp_path / "baseline.json"
    code, out, _ = run(capsys, str(stack), "--format", "json")
    today = sum(len(rep["results"]["failed_checks"]) for rep in json.loads(out))
    code, _, err = run(capsys, str(stack), "--create-baseline", str(base))
    assert code == 0 and f"written: {today} finding(s)" in err
    doc = json.loads(base.read_text())
    assert {"check_id": "CKV2_MFA_1", "file": "stack/iam.tf", "resource": "aws_iam_user.jess"} in doc["findings"]

    code, out, err = run(capsys, str(stack), "--baseline", str(base), "--format", "json")
    assert code == 0 and failed(out) == set()
    assert f"{today} known finding(s) not reported" in err

    # fix jess in the HCL: her two entries for iam.tf are stale, the plan's still match
    iam = (stack / "iam.tf").read_text()
    (stack / "iam.tf").write_text(iam + '\nresource "aws_iam_user_policy_attachment" "jess_mfa" {\n'
                                  "  user       = aws_iam_user.jess.name\n  policy_arn = aws_iam_policy.enforce_mfa.arn\n}\n")
    code, out, err = run(capsys, str(stack), "--baseline", str(base), "--format", "json")
    assert code == 0
    stale = [line for line in err.splitlines() if "no longer matches" in line]
    assert len(stale) == 2 and all("aws_iam_user.jess (stack/iam.tf)" in s for s in stale)


def test_a_new_violation_in_another_file_is_not_absorbed_by_the_same_address(tmp_path, capsys):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tf").write_text(CONSOLE_USER)
    base = tmp_path / "baseline.json"
    assert run(capsys, str(tmp_path / "a"), "--create-baseline", str(base))[0] == 0
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.tf").write_text(CONSOLE_USER)  # same address, another module
    code, out, err = run(capsys, str(tmp_path / "a"), str(tmp_path / "b"), "--baseline", str(base), "--format", "json")
    assert code == 1
    records = json.loads(out)["results"]["failed_checks"]
    assert records and {r["resource"] for r in records} == {"aws_iam_user.jess"}
    assert {os.path.dirname(r["file_abs_path"]) for r in records} == {str(tmp_path / "b")}
    assert "1 known" in err or "2 known" in err  # a's entries absorbed a's findings only


def test_bad_baseline_is_exit_2_naming_the_file(tmp_path, capsys):
    (tmp_path / "main.tf").write_text(POOL)
    bad = tmp_path / "base.json"
    bad.write_text('{"findings": 3}')
    code, _, err = run(capsys, str(tmp_path), "--baseline", str(bad))
    assert code == 2 and f"{bad}: --baseline: not an mfaguard baseline" in err and "Traceback" not in err


def test_config_found_upward_accepts_optional_mfa_with_its_reason(tmp_path, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".mfaguard.yaml").write_text(
        "accept_optional_mfa:\n  - pool: aws_cognito_user_pool.customers\n    reason: customers opt in; fraud team reviews\n")
    stack = tmp_path / "infra" / "auth"
    stack.mkdir(parents=True)
    (stack / "main.tf").write_text(POOL)
    code, out, err = run(capsys, str(stack), "--format", "json")
    assert code == 0 and failed(out) == set()
    passed = [r for r in json.loads(out)["results"]["passed_checks"] if r["check_id"] == "CKV_MFA_1"]
    assert passed and "customers opt in; fraud team reviews" in passed[0]["details"][0]
    assert "OPTIONAL MFA accepted by" in err and "customers opt in" in err


def test_config_checks_skip_and_unknown_fails(tmp_path, capsys):
    cfg = tmp_path / "team.yaml"
    cfg.write_text("skip_checks: [CKV_MFA_1]\nunknown_fails: true\n")
    (tmp_path / "main.tf").write_text('variable "m" {}\n' + POOL.replace('"ENFORCED"', "var.m"))
    code, out, err = run(capsys, str(tmp_path), "--config", str(cfg), "--format", "json")
    ids = {r["check_id"] for k in ("passed_checks", "failed_checks", "unknown_checks") for r in json.loads(out)["results"][k]}
    assert "CKV_MFA_1" not in ids
    assert code == 1  # CKV_MFA_3 is UNKNOWN (var.m) and the team's file says UNKNOWN fails


@pytest.mark.parametrize("text,key", [
    ("unknown_fail: true\n", "unknown_fail: unknown key"),
    ("checks: [CKV_MFA_99]\n", "checks: unknown check ID 'CKV_MFA_99'"),
    ("accept_notaction:\n  - action: iam:ListUsers\n", "accept_notaction[0].reason: missing"),
    ("accept_optional_mfa:\n  - pool: x\n    reason: y\n    until: 2027\n", "accept_optional_mfa[0].until: unknown key"),
    ("unknown_fails: yes please\n", "unknown_fails: expected true or false"),
])
def test_invalid_config_is_exit_2_naming_the_key(tmp_path, capsys, text, key):
    cfg = tmp_path / ".mfaguard.yaml"
    cfg.write_text(text)
    (tmp_path / "main.tf").write_text(POOL)
    code, _, err = run(capsys, str(tmp_path))
    assert code == 2 and key in err and str(cfg) in err and "Traceback" not in err


def test_accepted_notaction_exemption_is_no_hole_and_says_why(tmp_path, capsys):
    policy = '''resource "aws_iam_policy" "enforce" {
  name = "enforce"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                   "iam:ResyncMFADevice", "sts:GetSessionToken", "iam:ListUsers", "s3:GetObject"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
'''
    (tmp_path / "main.tf").write_text(policy)
    code, out, _ = run(capsys, str(tmp_path), "--format", "json")
    assert ("CKV_MFA_4", "aws_iam_policy.enforce", "main.tf") in failed(out)
    cfg = tmp_path / ".mfaguard.yaml"
    cfg.write_text("accept_notaction:\n  - action: s3:GetObject\n    reason: the enrolment page reads its assets\n")
    try:
        code, out, err = run(capsys, str(tmp_path), "--format", "json")
    finally:
        from mfaguard.policy import semantics

        semantics.accept_notaction({})
    assert code == 0 and failed(out) == set()  # iam:ListUsers is a read-only IAM call, s3:GetObject accepted
    assert "NotAction exemption s3:GetObject accepted" in err and "enrolment page reads its assets" in err


def test_checkov_skip_comment_still_works_with_config_and_baseline(tmp_path, capsys):
    (tmp_path / ".mfaguard.yaml").write_text("unknown_fails: false\n")
    (tmp_path / "main.tf").write_text(POOL.replace(
        'resource "aws_cognito_user_pool" "customers" {',
        'resource "aws_cognito_user_pool" "customers" {\n  # checkov:skip=CKV_MFA_1:customers opt in'))
    base = tmp_path / "b.json"
    assert run(capsys, str(tmp_path), "--create-baseline", str(base))[0] == 0
    assert json.loads(base.read_text())["findings"] == []
    code, out, _ = run(capsys, str(tmp_path), "--baseline", str(base), "--format", "json")
    skipped = json.loads(out)["results"]["skipped_checks"]
    assert code == 0 and [s["check_id"] for s in skipped] == ["CKV_MFA_1"]


def test_a_baselined_shared_module_finding_stays_with_its_calling_root(tmp_path, capsys):
    """modules/console_user is called by infra/prod and infra/staging: the same file and
    address, two findings. Accepting staging's does not hide prod's."""
    mono = tmp_path / "monorepo"
    shutil.copytree(Path(__file__).resolve().parent.parent / "terraform_fixtures" / "monorepo", mono)
    base = tmp_path / "baseline.json"
    assert run(capsys, str(mono / "infra"), "--create-baseline", str(base))[0] == 0
    doc = json.loads(base.read_text())
    ops = [f for f in doc["findings"] if f["resource"] == "module.ops.aws_iam_user.this" and f["check_id"] == "CKV2_MFA_1"]
    assert sorted(f["caller"] for f in ops) == ["monorepo/infra/prod/main.tf", "monorepo/infra/staging/main.tf"]
    assert all(f["file"] == "monorepo/modules/console_user/main.tf" for f in ops)

    doc["findings"] = [f for f in doc["findings"] if f.get("caller") != "monorepo/infra/prod/main.tf"]
    base.write_text(json.dumps(doc))
    code, out, _ = run(capsys, str(mono / "infra"), "--baseline", str(base), "--format", "json")
    reports = json.loads(out)
    left = [r for rep in (reports if isinstance(reports, list) else [reports]) for r in rep["results"]["failed_checks"]]
    assert code == 1 and {(r["resource"], r["caller_file_path"]) for r in left} == {
        ("module.ops.aws_iam_user.this", str(mono / "infra" / "prod" / "main.tf"))}  # outside the cwd: absolute

    # an entry naming no caller (as written before callers were recorded) covers every caller
    for f in doc["findings"]:
        f.pop("caller", None)
    base.write_text(json.dumps(doc))
    code, out, _ = run(capsys, str(mono / "infra"), "--baseline", str(base), "--format", "json")
    assert code == 0
