"""`mfaguard scan` with the expander (docs/expand.md): what a user sees for a module that is
not downloaded, a root that falls back to Checkov's HCL runner, and skip comments."""
from __future__ import annotations

from pathlib import Path

from mfaguard.cli import main
from mfaguard.scan import engine

REPO = Path(__file__).resolve().parent.parent
NOT_DOWNLOADED = REPO / "terraform_fixtures" / "expansion" / "registry_module_not_downloaded" / "main.tf"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_module_not_downloaded_is_unknown_and_says_to_run_terraform_init(tmp_path, capsys):
    root = _write(tmp_path / "stack", {"main.tf": NOT_DOWNLOADED.read_text(encoding="utf-8")})
    assert main(["scan", str(root), "--quiet"]) == 0  # nothing failed: nothing can be decided
    out = capsys.readouterr().out
    assert "UNKNOWN: CKV2_MFA_1 aws_iam_user.jo" in out
    assert "module.enforce_mfa (source 'acme/enforce-mfa/aws') is not downloaded" in out
    assert "run `terraform init`" in out
    assert main(["scan", str(root), "--quiet", "--unknown-fails"]) == 1


def test_a_root_the_expander_cannot_expand_is_judged_by_checkovs_hcl_runner(tmp_path, capsys, monkeypatch):
    # an override file: Terraform merges it into main.tf's block; the expander does not guess how
    root = _write(tmp_path / "stack", {"main.tf": '''
resource "aws_iam_user" "ann" {
  name = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  user = aws_iam_user.ann.name
}
''', "main_override.tf": '''
resource "aws_iam_user" "ann" {
  name = "ann.smith"
}
'''})
    monkeypatch.setenv("MFAGUARD_DEBUG", "1")
    result = engine.scan([str(root)])
    err = capsys.readouterr().err
    assert "judged by Checkov's HCL runner" in err and "override" in err
    # Checkov's HCL graph keeps the block: the verdict is plain Checkov's, not a silent pass
    assert {(r.check_id, r.resource.split("[")[0]) for r in result.failed} >= {("CKV2_MFA_1", "aws_iam_user.ann")}


def test_a_count_that_cannot_be_known_is_unknown_naming_why(tmp_path, capsys):
    """No fall back for the whole root: the blocks whose instances are not known are UNKNOWN,
    each once, saying why; the rest of the root is judged as ever."""
    root = _write(tmp_path / "stack", {"main.tf": '''
variable "enabled" {}

resource "aws_iam_user" "ann" {
  count = var.enabled ? 1 : 0
  name  = "ann"
}

resource "aws_iam_user_login_profile" "ann" {
  count = var.enabled ? 1 : 0
  user  = aws_iam_user.ann[0].name
}

resource "aws_cognito_user_pool" "maybe" {
  count             = var.enabled ? 1 : 0
  name              = "maybe"
  mfa_configuration = "OFF"
}

resource "aws_iam_user" "bob" {
  name = "bob"
}

resource "aws_iam_user_login_profile" "bob" {
  user = aws_iam_user.bob.name
}
'''})
    assert main(["scan", str(root), "--quiet"]) == 1  # bob surely FAILs
    out = capsys.readouterr().out
    assert "FAILED: CKV2_MFA_1 aws_iam_user.bob" in out or "FAILED for resource: aws_iam_user.bob" in out
    for check, address in (("CKV2_MFA_1", "aws_iam_user.ann"), ("CKV_MFA_1", "aws_cognito_user_pool.maybe")):
        line = next(x for x in out.splitlines() if x.startswith(f"UNKNOWN: {check} {address}:"))
        assert "whether it exists, and how many instances it has, is not known" in line
        assert f"count of {address} cannot be evaluated: var.enabled has no value here" in line
    assert "aws_iam_user.ann[0]" not in out and "maybe[0]" not in out


def test_skip_comment_in_the_block_skips_the_expanded_instances(tmp_path):
    root = _write(tmp_path / "stack", {"main.tf": '''
resource "aws_iam_user" "people" {
  for_each = toset(["jane.doe", "max"])
  #checkov:skip=CKV2_MFA_2:break-glass accounts, reviewed quarterly
  name     = each.key
}
'''})
    result = engine.scan([str(root)])
    skipped = {(r.check_id, r.resource) for r in result.skipped}
    assert skipped == {("CKV2_MFA_2", 'aws_iam_user.people["jane.doe"]'), ("CKV2_MFA_2", 'aws_iam_user.people["max"]')}
    assert not result.failed
    record = result.skipped[0]
    assert record.file_path.endswith("main.tf") and record.file_line_range == [2, 6]
