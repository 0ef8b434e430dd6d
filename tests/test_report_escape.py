"""Text a pull request controls (resource names, user names, file names, policy text) must not
inject a workflow command, HTML, a Markdown table break or an @mention into any reviewer format."""
from __future__ import annotations

import json
import os
import re

import pytest

from mfaguard.cli import main
from mfaguard.report import escape

EVIL_NAME = "@octocat <img src=x onerror=alert(1)> | `x` %0A 100% ::error::pwned"
# A file name can hold every property delimiter of a workflow command.
EVIL_FILE = "ev,il:name%0A@octocat|<b>`x`.tf"
HCL = '''resource "aws_iam_user" "evil" {
  name = "@octocat <img src=x onerror=alert(1)> | `x` %0A 100% ::error::pwned\\n::error file=a.tf::injected\\r\\n#12"
}

resource "aws_iam_user_login_profile" "evil" {
  user = aws_iam_user.evil.name
}

resource "aws_cognito_user_pool" "evil" {
  name              = "pool"
  mfa_configuration = "OPTIONAL"
  software_token_mfa_configuration {
    enabled = true
  }
}
'''


def test_workflow_command_escaping_matches_actions_toolkit():
    # @actions/core command.ts: escapeData and escapeProperty
    assert escape.gh_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape.gh_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    assert escape.gh_data("%0A") == "%250A"  # an already-escaped sequence cannot smuggle a newline


def test_markdown_text_escaping():
    s = escape.md_text("@octocat <b>x</b> | [a](http://e) `c` *d* #12\nnext")
    assert "<" not in s and ">" not in s.replace("&gt;", "")
    assert "@octocat" not in s and "#12" not in s
    assert "\n" not in s and re.search(r"(?<!\\)\|", s) is None
    assert "\\[a\\]" in s and "\\`c\\`" in s
    code = escape.md_code("a|b`c")
    assert code == "``a\\|b`c``"
    fence = escape.md_fence("x\n```\n</details>\n")
    assert fence.startswith("````\n") and fence.endswith("\n````")
    assert escape.html_text('<script>"@x"') == "&lt;script&gt;&quot;@&#8203;x&quot;"


@pytest.fixture
def evil_stack(tmp_path):
    folder = tmp_path / "stack"
    folder.mkdir()
    (folder / EVIL_FILE).write_text(HCL, encoding="utf-8")
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield "stack"
    finally:
        os.chdir(old)


def _scan(capsys, path, fmt):
    capsys.readouterr()
    code = main(["scan", path, "--format", fmt])
    return code, capsys.readouterr().out


def _unescape_property(v: str) -> str:  # the runner's unescape, the inverse of escapeProperty
    return v.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_format_cannot_be_injected(evil_stack, capsys):
    code, out = _scan(capsys, evil_stack, "github")
    assert code == 1
    lines = out.splitlines()
    commands, verdict = lines[:-1], lines[-1]
    assert verdict.startswith("FAIL: mfaguard scan:")
    assert commands and all(re.match(r"^::(error|warning|notice) ", c) for c in commands)
    for c in commands:
        head, sep, message = c.partition("::")[2].partition("::")
        assert sep and "\r" not in message
        props = dict(p.split("=", 1) for p in head.split(" ", 1)[1].split(","))
        assert set(props) <= {"file", "line", "endLine", "title"}
        assert _unescape_property(props["file"]) == f"stack/{EVIL_FILE}"
    evil = [c for c in commands if "aws_iam_user.evil" in c]
    # the name's newline became a space: the injected command is text inside this one's message
    assert evil and "::error file=a.tf::injected" in evil[0].partition("::")[2].partition("::")[2]


def _outside_code(markdown: str) -> str:
    """The Markdown without fenced blocks and code spans (where HTML and mentions are literal text)."""
    text = re.sub(r"^(`{3,})[^\n]*\n.*?^\1$", "", markdown, flags=re.S | re.M)
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", text)


def test_markdown_cannot_be_injected(evil_stack, capsys):
    _, out = _scan(capsys, evil_stack, "markdown")
    prose = _outside_code(out)
    assert "octocat" in prose  # the name is there, defanged
    assert "<img" not in prose and "<b>" not in prose
    assert re.search(r"@octocat", prose) is None
    assert "#12" not in prose
    for row in (line for line in out.splitlines() if line.startswith("| `")):
        assert len(re.findall(r"(?<!\\)\|", row)) == 6, row  # five cells: no extra column
    assert out.count("<details>") == out.count("</details>")
    assert not any(line.startswith("::") for line in out.splitlines())


def test_rdjsonl_cannot_be_injected(evil_stack, capsys):
    _, out = _scan(capsys, evil_stack, "rdjsonl")
    diags = [json.loads(line) for line in out.splitlines()]
    assert {d["location"]["path"] for d in diags} == {f"stack/{EVIL_FILE}"}
    for d in diags:
        assert "<img" not in d["message"] and "@octocat" not in d["message"]
    pool = [d for d in diags if d["code"]["value"] == "CKV_MFA_1"]
    assert pool[0]["suggestions"][0]["text"] == '"ON"'
