"""file()/templatefile() never read outside the scanned repository (issue 7 §3): a pull request
must not make the gate read a CI runner's credentials and print them."""
from __future__ import annotations

import os

import pytest

from mfaguard.scan.confine import Refused, read_inside

SECRET = "aws_secret_access_key = WJALRXUTNFEMI/K7MDENG/BPXRFICYEXAMPLEKEY"


@pytest.fixture
def layout(tmp_path):
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text(f"[default]\n{SECRET}\n")
    repo = tmp_path / "repo"
    stack = repo / "infra"
    stack.mkdir(parents=True)
    (stack / "policy.json").write_text('{"Version": "2012-10-17", "Statement": []}')
    (stack / "leak.json").symlink_to(home / ".aws" / "credentials")
    (stack / "dir_link").symlink_to(home / ".aws")
    os.mkfifo(stack / "fifo.json")
    return home, repo, stack


def test_inside_is_read_everything_else_refused_without_content(layout):
    home, repo, stack = layout
    assert '"Statement"' in read_inside("policy.json", str(stack), str(repo))
    assert '"Statement"' in read_inside("../infra/./policy.json", str(stack), str(repo))
    for path in (str(home / ".aws" / "credentials"), "../../home/.aws/credentials", "leak.json",
                 "dir_link/credentials", "/etc/passwd", "fifo.json", "missing.json", ""):
        with pytest.raises(Refused) as exc:
            read_inside(path, str(stack), str(repo))
        assert SECRET not in str(exc.value) and "WJALR" not in str(exc.value)


def test_oversized_file_inside_is_refused(layout):
    _home, repo, stack = layout
    (stack / "big.json").write_text("x" * 2048)
    with pytest.raises(Refused, match="larger than 1 KiB"):
        read_inside("big.json", str(stack), str(repo), max_bytes=1024)


def test_a_scan_of_a_crafted_stack_never_prints_a_file_outside_it(layout, capsys, monkeypatch):
    """The gate end to end: policies read by file() from an absolute path, `..` and a symlink."""
    from mfaguard.cli import main

    home, repo, stack = layout
    monkeypatch.setenv("HOME", str(home))
    (stack / "main.tf").write_text(f'''
resource "aws_iam_user" "u" {{
  name = "u"
}}

resource "aws_iam_user_login_profile" "u" {{
  user = aws_iam_user.u.name
}}

resource "aws_iam_user_policy" "abs" {{
  user   = aws_iam_user.u.name
  policy = file("{home}/.aws/credentials")
}}

resource "aws_iam_user_policy" "dotdot" {{
  user   = aws_iam_user.u.name
  policy = file("${{path.module}}/../../home/.aws/credentials")
}}

resource "aws_iam_user_policy" "link" {{
  user   = aws_iam_user.u.name
  policy = templatefile("leak.json", {{}})
}}

resource "aws_iam_user_policy" "passwd" {{
  user   = aws_iam_user.u.name
  policy = file("/etc/passwd")
}}
''')
    monkeypatch.chdir(repo)
    for fmt in ("cli", "json", "sarif", "junitxml"):
        rc = main(["scan", "infra", "--format", fmt])
        captured = capsys.readouterr()
        assert rc in (0, 1, 2)
        assert "WJALR" not in captured.out + captured.err
        assert "root:x:0:0" not in captured.out + captured.err
