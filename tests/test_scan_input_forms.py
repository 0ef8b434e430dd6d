"""Every input form OpenTofu and Terraform read (issue 7 §3): .tofu, .tofu.json, .tf.json in
folders and as single files; x.tofu replaces x.tf; other JSON in a folder is not an input.

Expected verdicts: terraform_fixtures/opentofu/README.md (OpenTofu's "Files and directories"
rule: with both main.tf and main.tofu present, only main.tofu is loaded)."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TOFU = "terraform_fixtures/opentofu"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


def _verdicts(result):
    out = {(r.check_id, r.resource, "PASSED", r.file_path) for r in result.passed}
    out |= {(r.check_id, r.resource, "FAILED", r.file_path) for r in result.failed}
    return out


def test_folder_reads_tofu_tofu_json_and_tf_json_with_tofu_replacing_tf():
    from mfaguard.scan.engine import scan

    result = scan([TOFU])
    assert result.errors == []  # package.json, policy.json, empty.json, request.json (VTL) ignored
    got = _verdicts(result)
    assert ("CKV2_MFA_1", "aws_iam_user.alice", "PASSED", f"{TOFU}/main.tofu") in got
    assert ("CKV2_MFA_1", "aws_iam_user.carol", "FAILED", f"{TOFU}/users.tf.json") in got
    assert ("CKV_MFA_1", "aws_cognito_user_pool.customers", "FAILED", f"{TOFU}/pools.tofu.json") in got
    assert not any(path.endswith(("main.tf", "pools.tf.json")) for *_x, path in got)  # replaced files unread
    # lines point at the real JSON object
    [carol] = [r for r in result.failed if r.resource == "aws_iam_user.carol" and r.check_id == "CKV2_MFA_1"]
    assert carol.file_line_range == [5, 7]
    # a .tf.json resource referenced from another file of the module is a graph edge like any other
    assert "aws_iam_user_login_profile.carol" in str(carol.details)


@pytest.mark.parametrize("name, check, resource, verdict", [
    ("users.tf.json", "CKV2_MFA_1", "aws_iam_user.carol", "FAILED"),
    ("main.tofu", "CKV2_MFA_1", "aws_iam_user.alice", "PASSED"),
    ("pools.tofu.json", "CKV_MFA_1", "aws_cognito_user_pool.customers", "FAILED"),
])
def test_single_files_of_every_form(name, check, resource, verdict):
    from mfaguard.scan.engine import scan

    result = scan([f"{TOFU}/{name}"])
    assert result.errors == []
    assert (check, resource, verdict, f"{TOFU}/{name}") in _verdicts(result)


def test_json_given_explicitly_must_be_a_plan_but_folder_json_is_ignored(tmp_path, capsys):
    from mfaguard.cli import main

    (tmp_path / "main.tf").write_text('resource "aws_iam_user" "u" {\n  name = "u"\n}\n')
    for name, text in (("package.json", '{"name": "x"}'), ("empty.json", ""), ("vtl.json", '{"a": $input.body}'),
                       ("deep.json", "[" * 5000), ("list.json", "[1, 2]")):
        (tmp_path / name).write_text(text)
    assert main(["scan", str(tmp_path), "--quiet"]) == 1  # u: no MFA policy; no input error
    assert "error" not in capsys.readouterr().err
    assert main(["scan", str(tmp_path / "package.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "package.json: JSON is not a Terraform plan" in err[0]


def test_invalid_tf_json_is_an_input_error_naming_the_file(tmp_path, capsys):
    from mfaguard.cli import main

    (tmp_path / "main.tf").write_text('resource "aws_iam_user" "u" {\n  name = "u"\n}\n')
    (tmp_path / "broken.tf.json").write_text('{"resource": ')
    rc = main(["scan", str(tmp_path), "--quiet"])
    captured = capsys.readouterr()
    assert rc == 2
    [line] = [x for x in captured.err.splitlines() if "error" in x]
    assert "broken.tf.json" in line
    assert "aws_iam_user.u" in captured.out  # the good file's findings are kept


def test_tf_json_root_may_be_an_array_of_body_portions():
    """HCL's JSON syntax: a body is one object or an array of objects (pretf writes the root so)."""
    from mfaguard.scan import tfjson

    parts = [{"resource": {"aws_iam_user": {"a": {"name": "a"}}}},
             {"resource": {"aws_iam_user": {"b": {"name": "b"}}}, "variable": {"v": {"default": 1}}}]
    out = tfjson.loads(json.dumps(parts))
    assert [next(iter(r["aws_iam_user"])) for r in out["resource"]] == ["a", "b"]
    assert list(out["variable"][0]) == ["v"]
    with pytest.raises(tfjson.JsonSyntaxError, match="or an array of such objects"):
        tfjson.loads(json.dumps([1, 2]))


def test_pre_commit_hooks_trigger_on_every_configuration_form():
    import re

    import yaml

    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    pattern = re.compile(hooks["mfaguard"]["files"])
    for name in ("main.tf", "main.tofu", "x.tf.json", "x.tofu.json", "prod.tfvars", "prod.tfvars.json"):
        assert pattern.search(f"infra/{name}"), name
    for name in ("package.json", "README.md", "main.tf.bak"):
        assert not pattern.search(f"infra/{name}"), name


def test_modules_of_keeps_folders_with_tofu_or_json_configuration(tmp_path):
    from mfaguard.scan.cli import module_folders

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "main.tofu").write_text("")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "main.tf.json").write_text("{}")
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "x.tfvars").write_text("")
    got = module_folders([str(tmp_path / "a" / "main.tofu"), str(tmp_path / "b" / "main.tf.json"),
                          str(tmp_path / "c" / "x.tfvars")])
    assert got == [str(tmp_path / "a"), str(tmp_path / "b")]
    assert os.path.isdir(got[0])
