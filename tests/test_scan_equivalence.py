"""mfaguard scan's Checkov path (prefiltered, built-in checks not imported) gives exactly the
verdicts of a plain in-process Checkov run with --external-checks-dir semantics: same resources,
same PASSED/FAILED/SKIPPED/UNKNOWN, same files and line ranges.  These tests turn the expander
off (MFAGUARD_EXPAND=0): with it, `mfaguard scan` differs from plain Checkov exactly on the
shapes the README lists, which tests/test_checks_fixtures.py and tests/test_realworld.py judge."""
from __future__ import annotations

from pathlib import Path

import pytest

from mfaguard.catalogue import CHECKS
from mfaguard.paths import external_checks_dirs

REPO = Path(__file__).resolve().parent.parent

MIXED = {
    "iam.tf": '''
data "aws_iam_policy_document" "enforce_mfa" {
  statement {
    sid         = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy" "admins_mfa" {
  group  = aws_iam_group.admins.name
  policy = data.aws_iam_policy_document.enforce_mfa.json
}

resource "aws_iam_group" "devs" {
  name = "devs-${aws_ssm_parameter.suffix.value}"
}

resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}

resource "aws_iam_group_membership" "admins" {
  name  = "admins"
  group = aws_iam_group.admins.name
  users = [aws_iam_user.alice.name]
}

resource "aws_iam_user_group_membership" "bob" {
  user   = aws_iam_user.bob.name
  groups = [aws_iam_group.devs.name]
}

resource "aws_iam_user" "ci" {
  for_each = toset(["deploy", "backup"])
  name     = "ci-${each.key}"
}

resource "aws_iam_access_key" "ci" {
  for_each = aws_iam_user.ci
  user     = each.value.name
}

resource "aws_iam_user_policy" "ci_read_logs" {
  for_each = aws_iam_user.ci
  user     = each.value.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = "${aws_s3_bucket.logs.arn}/*"
    }]
  })
}

resource "aws_iam_policy" "weak" {
  name = "weak-mfa"
  policy = <<EOT
{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*",
  "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]}
EOT
}
''',
    "pools.tf": '''
variable "mode" {}

resource "aws_cognito_user_pool" "staff" {
  name              = "staff"
  mfa_configuration = "ON"
  software_token_mfa_configuration {
    enabled = true
  }
}

resource "aws_cognito_user_pool" "shop" {
  #checkov:skip=CKV_MFA_1:customers opt in to MFA
  name              = "shop"
  mfa_configuration = "OPTIONAL"
}

resource "aws_cognito_user_pool" "partners" {
  name              = "partners"
  mfa_configuration = var.mode
}

module "tenant" {
  source = "./modules/tenant"
  name   = "acme"
}
''',
    "unrelated.tf": '''
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${random_id.suffix.hex}"
}

resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_ssm_parameter" "suffix" {
  name  = "suffix"
  type  = "String"
  value = "x"
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_instance" "web" {
  ami                    = "ami-12345678"
  instance_type          = "t3.micro"
  vpc_security_group_ids = [aws_security_group.web.id]
  tags = { Logs = aws_s3_bucket.logs.bucket }
}
''',
    "modules/tenant/main.tf": '''
variable "name" {}

resource "aws_cognito_user_pool" "this" {
  name              = var.name
  mfa_configuration = "OFF"
}

resource "aws_iam_user" "admin" {
  name = "${var.name}-admin"
}

resource "aws_iam_user_login_profile" "admin" {
  user = aws_iam_user.admin.name
}

resource "aws_sqs_queue" "events" {
  name = "${var.name}-events"
}
''',
}


@pytest.fixture(autouse=True)
def _checkov_path_only(monkeypatch):
    monkeypatch.setenv("MFAGUARD_EXPAND", "0")


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip("\n"), encoding="utf-8")
    return root


def _key(record, verdict):
    """mfaguard names files relative to the working directory, Checkov relative to the scanned
    folder: compare the absolute paths both give."""
    import os

    return (record.check_id, record.resource, verdict, os.path.realpath(record.file_abs_path),
            tuple(record.file_line_range))


def _mfaguard(root: Path) -> tuple[set, dict]:
    """HCL verdicts only (a folder scan also reads plan JSON; the plan runner is not prefiltered)."""
    from mfaguard.scan.engine import scan

    result = scan([str(root)])
    assert [e for e in result.errors if not str(e.path).endswith(".json")] == []
    [report] = [r for r in result.reports if r.check_type == "terraform"]
    got = {_key(r, "PASSED") for r in report.passed_checks} | {_key(r, "FAILED") for r in report.failed_checks}
    got |= {_key(r, "SKIPPED") for r in report.skipped_checks}
    got |= {_key(r, "UNKNOWN") for r in result.unknown_by_type.get("terraform", [])}
    return got, result.stats


def _plain_checkov(root: Path) -> set:
    from checkov.runner_filter import RunnerFilter
    from checkov.terraform.runner import Runner

    from mfaguard.scan.engine import capture_unknown

    with capture_unknown() as unknown:
        report = Runner().run(root_folder=str(root), external_checks_dir=external_checks_dirs(),
                              runner_filter=RunnerFilter(framework=["terraform"], checks=sorted(CHECKS),
                                                         show_progress_bar=False))
    assert report.parsing_errors == []
    got = {_key(r, "PASSED") for r in report.passed_checks} | {_key(r, "FAILED") for r in report.failed_checks}
    got |= {_key(r, "SKIPPED") for r in report.skipped_checks} | {_key(r, "UNKNOWN") for r in unknown}
    return got


def test_mixed_stack_same_verdicts_as_plain_checkov_with_unrelated_blocks_dropped(tmp_path):
    root = _write(tmp_path / "stack", MIXED)
    ours, stats = _mfaguard(root)
    plain = _plain_checkov(root)
    assert ours == plain
    # the comparison means something: every check family reported, blocks really dropped
    ids = {k[0] for k in ours}
    assert {"CKV_MFA_1", "CKV2_MFA_1", "CKV2_MFA_2"} <= ids, ids
    verdicts = {k[2] for k in ours}
    assert {"PASSED", "FAILED", "SKIPPED", "UNKNOWN"} <= verdicts, verdicts
    assert ("CKV_MFA_1", "aws_cognito_user_pool.shop", "SKIPPED") in {k[:3] for k in ours}
    assert ("CKV_MFA_1", "module.tenant.aws_cognito_user_pool.this", "FAILED") in {k[:3] for k in ours}
    # s3 bucket and ssm parameter (referenced by IAM blocks) and random_id (by the bucket) are kept;
    # the security group, the instance and the queue are not
    assert stats["resources_seen"] == 25 and stats["resources_kept"] == 22, stats


def test_checked_in_fixtures_same_verdicts_as_plain_checkov_on_each_root():
    """A scan of the whole tree judges each root module on its own: the same verdicts as plain
    Checkov run on each root folder alone (plain `checkov -d terraform_fixtures` merges them
    all into one graph, where identical stacks collide)."""
    import os

    from mfaguard.scan.roots import discover_roots

    root = REPO / "terraform_fixtures"
    if not any(root.rglob("*.tf")):
        pytest.skip("no terraform_fixtures yet")
    ours, _ = _mfaguard(root)
    plain: set = set()
    for folder in discover_roots(str(root)):
        if any(p.name.endswith((".tofu", ".tofu.json", ".tf.json")) for p in Path(folder).iterdir()):
            # Checkov reads none of these forms (tests/test_scan_input_forms.py judges them)
            ours = {k for k in ours if not k[3].startswith(os.path.realpath(folder) + os.sep)}
            continue
        plain |= _plain_checkov(Path(folder))
    assert ours == plain


def test_same_verdicts_as_the_checkov_command_line(tmp_path, capsys):
    """The contract as users run it: `checkov -d PATH --external-checks-dir ...` (terraform
    framework only, to keep the test short; all built-in checks run and are ignored)."""
    import json
    import os
    import subprocess
    import sys

    from mfaguard.cli import main

    root = _write(tmp_path / "stack", MIXED)
    checkov = os.path.join(os.path.dirname(sys.executable), "checkov")
    cmd = [checkov, "-d", str(root), "--framework", "terraform", "--skip-download", "-o", "json"]
    for d in external_checks_dirs():
        cmd += ["--external-checks-dir", d]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]

    def verdicts(report: dict) -> set:
        return {(r["check_id"], r["resource"], key, os.path.realpath(r["file_abs_path"]), tuple(r["file_line_range"]))
                for key in ("passed_checks", "failed_checks", "skipped_checks")
                for r in report["results"][key] if r["check_id"] in CHECKS}

    rc = main(["scan", str(root), "--format", "json"])
    ours = json.loads(capsys.readouterr().out)
    assert rc == 1
    theirs = verdicts(json.loads(proc.stdout))
    assert verdicts(ours) == theirs and len(theirs) >= 16
