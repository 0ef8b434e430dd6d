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
'''})
    monkeypatch.setenv("MFAGUARD_DEBUG", "1")
    result = engine.scan([str(root)])
    err = capsys.readouterr().err
    assert "judged by Checkov's HCL runner" in err and "count of aws_iam_user.ann cannot be evaluated" in err
    # Checkov's HCL graph keeps the block: the verdict is plain Checkov's, not a silent pass
    assert {(r.check_id, r.resource.split("[")[0]) for r in result.failed} >= {("CKV2_MFA_1", "aws_iam_user.ann")}


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
