"""The pre-commit hook, run for real with `pre-commit try-repo` on a temporary git repository.

try-repo clones this checkout (uncommitted changes included) and installs mfaguard into a
fresh pre-commit environment (pip: Checkov and its dependencies from the package index or
the local wheel cache).  That install takes about two minutes, so the test runs only with
MFAGUARD_SLOW_TESTS=1:

    MFAGUARD_SLOW_TESTS=1 .venv/bin/python -m pytest tests/test_scan_precommit.py

The hook's logic (changed files -> module folders) is also covered quickly, without
pre-commit, in tests/test_scan_cli.py::test_modules_of_maps_changed_files_to_their_module_folders.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from mfaguard.catalogue import CHECKS

REPO = Path(__file__).resolve().parent.parent

USERS_TF = '''resource "aws_iam_user" "alice" {
  name = "alice"
}

resource "aws_iam_user_login_profile" "alice" {
  user = aws_iam_user.alice.name
}

resource "aws_iam_user_group_membership" "alice" {
  user   = aws_iam_user.alice.name
  groups = [aws_iam_group.admins.name]
}
'''

GROUPS_TF = CHECKS["CKV_MFA_4"].fix_hcl + '''

resource "aws_iam_group" "admins" {
  name = "admins"
}

resource "aws_iam_group_policy" "enforce_mfa" {
  group  = aws_iam_group.admins.name
  policy = data.aws_iam_policy_document.enforce_mfa.json
}
'''

POOL_TF = '''resource "aws_cognito_user_pool" "fail" {
  name              = "shop"
  mfa_configuration = "OFF"
}
'''


def test_hooks_file_declares_the_module_folder_hook():
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["mfaguard"]
    assert hook["language"] == "python" and hook["require_serial"] is True
    assert hook["entry"].split()[:3] == ["mfaguard", "scan", "--modules-of"]
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("infra/main.tf") and pattern.search("envs/prod/terraform.tfvars")
    assert not pattern.search("package.json") and not pattern.search("README.md")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True)


@pytest.mark.skipif(os.environ.get("MFAGUARD_SLOW_TESTS") != "1", reason="installs a pre-commit env (~2 min); set MFAGUARD_SLOW_TESTS=1")
def test_pre_commit_try_repo_scans_the_module_folders_of_changed_files(tmp_path):
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or shutil.which("pre-commit")
    assert pre_commit, "pre-commit is a dev dependency"
    repo = tmp_path / "repo"
    (repo / "iam").mkdir(parents=True)
    (repo / "pools").mkdir()
    (repo / "iam" / "users.tf").write_text(USERS_TF)
    (repo / "iam" / "groups.tf").write_text(GROUPS_TF)
    (repo / "pools" / "main.tf").write_text(POOL_TF)
    _git(repo, "init", "-q")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", "-A")
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "init")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}
    # Only users.tf "changed": its module (iam/) must be scanned whole, or alice's group policy,
    # in groups.tf, is invisible and CKV2_MFA_1/2 cannot decide.
    proc = subprocess.run(
        [pre_commit, "try-repo", str(REPO), "mfaguard", "--files", "iam/users.tf", "pools/main.tf"],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "- hook id: mfaguard" in out and "- exit code: 1" in out
    assert "FAILED for resource: aws_cognito_user_pool.fail" in out
    assert "aws_iam_user.alice" not in out, out  # neither FAILED nor UNKNOWN: the whole module was read
    assert "Traceback" not in out
