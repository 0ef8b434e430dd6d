"""One path form in every format and in the UNKNOWN list: relative to the working directory
(issue 7 §4); no empty "()"."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

REPO = Path(__file__).resolve().parent.parent
STACK = "terraform_fixtures/CKV_MFA_1/variables"  # HCL + plan, with UNKNOWN records


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def _paths(fmt: str, text: str) -> set[str]:
    if fmt == "json":
        reports = json.loads(text)
        out = set()
        for rep in reports if isinstance(reports, list) else [reports]:
            for key in ("passed_checks", "failed_checks", "skipped_checks", "unknown_checks"):
                for r in rep["results"].get(key, []):
                    out |= {r["file_path"], r["repo_file_path"]}
        return out
    if fmt == "sarif":
        return set(re.findall(r'"uri": "([^"]+)"', text))
    if fmt == "junitxml":
        return {m.split(".aws_")[0] for m in re.findall(r'classname="([^"]+)"', text)}
    return set(re.findall(r"File: ([^:\s]+)", text)) | set(re.findall(r"\((terraform_fixtures[^:)]+)", text))


@pytest.mark.parametrize("fmt", ["cli", "json", "sarif", "junitxml"])
def test_every_format_names_files_relative_to_the_working_directory(fmt, capsys):
    from mfaguard.cli import main

    rc = main(["scan", STACK, "--format", fmt])
    out = capsys.readouterr().out
    assert rc == 1
    assert _paths(fmt, out) == {f"{STACK}/main.tf", f"{STACK}/tfplan.json"}
    assert "()" not in out
    if fmt == "cli":
        assert re.search(rf"UNKNOWN: .*\({STACK}/main.tf:\d+-\d+\)", out)


def test_unknown_line_without_a_location_has_no_empty_parentheses():
    from mfaguard.scan.render import unknown_line

    record = SimpleNamespace(check_id="CKV_MFA_1", resource="aws_cognito_user_pool.p", details=["cannot decide: x"],
                             file_line_range=[], repo_file_path="", file_path="")
    assert unknown_line(record) == "UNKNOWN: CKV_MFA_1 aws_cognito_user_pool.p: cannot decide: x"


def test_input_errors_use_the_same_path_form(tmp_path, capsys, monkeypatch):
    from mfaguard.cli import main

    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "bad.tf").write_text('resource "aws_iam_user" "u" {\n  name = \n}\n')
    monkeypatch.chdir(tmp_path)
    assert main(["scan", str(tmp_path / "s")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mfaguard: error: s/bad.tf: HCL syntax error at line 2")
