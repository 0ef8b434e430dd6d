"""`mfaguard scan` end to end: verdicts, formats, exit codes, bad input (one line, exit 2)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from mfaguard.cli import main
from mfaguard.scan import inputs

POOLS = '''variable "mode" {}

resource "aws_cognito_user_pool" "pass" {
  name              = "staff"
  mfa_configuration = "ON"
  software_token_mfa_configuration {
    enabled = true
  }
  user_pool_add_ons {
    advanced_security_mode = "ENFORCED"
  }
}

resource "aws_cognito_user_pool" "fail" {
  name              = "shop"
  mfa_configuration = "OFF"
}

resource "aws_cognito_user_pool" "unknown" {
  name              = "partners"
  mfa_configuration = var.mode
}
'''

GOOD_ONLY = '''resource "aws_cognito_user_pool" "pass" {
  name              = "staff"
  mfa_configuration = "ON"
  user_pool_tier    = "PLUS"
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


def _plan(resources: list[dict], version: str = "1.2") -> dict:
    return {
        "format_version": version,
        "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": resources}},
        "resource_changes": [
            {"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
             "change": {"actions": ["create"], "before": None, "after": r["values"], "after_unknown": {}}}
            for r in resources
        ],
        "configuration": {"root_module": {"resources": [
            {"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"]} for r in resources]}},
    }


def _pool(name: str, mode: str) -> dict:
    return {"address": f"aws_cognito_user_pool.{name}", "mode": "managed", "type": "aws_cognito_user_pool",
            "name": name, "values": {"name": name, "mfa_configuration": mode,
                                     "software_token_mfa_configuration": [{"enabled": True}],
                                     "user_pool_add_ons": [{"advanced_security_mode": "ENFORCED"}]}}


def _write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _run(args: list[str], capsys) -> tuple[int, str, list[str]]:
    rc = main(["scan", *args])
    out, err = capsys.readouterr()
    return rc, out, [line for line in err.splitlines() if line.strip()]


def _verdicts(report: dict, check_id: str) -> dict[str, set[str]]:
    res = report["results"]
    return {k: {r["resource"] for r in res[f"{k}_checks"] if r["check_id"] == check_id}
            for k in ("passed", "failed", "unknown")}


def test_json_lists_passed_failed_and_unknown_and_exit_1_on_failure(tmp_path, capsys):
    _write(tmp_path / "stack" / "main.tf", POOLS)
    rc, out, err = _run([str(tmp_path / "stack"), "--format", "json"], capsys)
    assert rc == 1 and err == []
    report = json.loads(out)
    assert report["check_type"] == "terraform"
    assert _verdicts(report, "CKV_MFA_1") == {
        "passed": {"aws_cognito_user_pool.pass"},
        "failed": {"aws_cognito_user_pool.fail"},
        "unknown": {"aws_cognito_user_pool.unknown"},
    }
    assert report["summary"]["unknown"] == len(report["results"]["unknown_checks"])
    assert {r["check_id"] for r in report["results"]["passed_checks"]} <= {"CKV_MFA_1", "CKV_MFA_2", "CKV_MFA_3"}


def test_cli_format_shows_unknown_lines_and_catalogue_fix_under_each_failure(tmp_path, capsys):
    from mfaguard.catalogue import CHECKS

    _write(tmp_path / "main.tf", POOLS)
    rc, out, _ = _run([str(tmp_path / "main.tf"), "--quiet"], capsys)
    assert rc == 1
    assert "FAILED for resource: aws_cognito_user_pool.fail" in out
    assert "PASSED for resource" not in out  # --quiet
    fix_first_line = CHECKS["CKV_MFA_1"].fix_hcl.splitlines()[0]
    assert f"Fix:\n\t\t{fix_first_line}" in out
    unknown = [line for line in out.splitlines() if line.startswith("UNKNOWN: CKV_MFA_1 ")]
    assert len(unknown) == 1 and "aws_cognito_user_pool.unknown" in unknown[0] and "main.tf:19-22" in unknown[0]


def test_unknown_does_not_fail_unless_asked(tmp_path, capsys):
    _write(tmp_path / "main.tf", 'variable "mode" {}\n' + GOOD_ONLY.replace('"ON"', "var.mode"))
    rc, out, _ = _run([str(tmp_path), "--format", "json"], capsys)
    report = json.loads(out)
    assert report["results"]["failed_checks"] == [] and report["summary"]["unknown"] >= 1
    assert rc == 0
    rc, _, _ = _run([str(tmp_path), "--format", "json", "--unknown-fails"], capsys)
    assert rc == 1


def test_clean_stack_exits_0(tmp_path, capsys):
    _write(tmp_path / "main.tf", GOOD_ONLY)
    rc, out, err = _run([str(tmp_path)], capsys)
    assert rc == 0 and err == [] and "Failed checks: 0" in out


def test_plan_json_is_detected_by_content_whatever_its_name(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    plan = _write(tmp_path / "plan.out", json.dumps(_plan([_pool("pass", "ON"), _pool("fail", "OPTIONAL")])))
    rc, out, err = _run([str(plan), "--format", "json"], capsys)
    assert rc == 1 and err == []
    report = json.loads(out)
    assert report["check_type"] == "terraform_plan"
    v = _verdicts(report, "CKV_MFA_1")
    assert v["passed"] == {"aws_cognito_user_pool.pass"} and v["failed"] == {"aws_cognito_user_pool.fail"}
    # Checkov reads only *.json plans: mfaguard scanned a copy, but every record names the user's file
    records = report["results"]["passed_checks"] + report["results"]["failed_checks"]
    assert {(r["file_path"], r["file_abs_path"]) for r in records} == {("plan.out", str(plan))}


def test_folder_with_hcl_and_plan_gives_both_reports(tmp_path, capsys):
    _write(tmp_path / "main.tf", GOOD_ONLY)
    _write(tmp_path / "tfplan.json", json.dumps(_plan([_pool("fail", "OFF")])))
    _write(tmp_path / "package.json", '{"name": "not terraform"}')  # unrelated JSON is ignored
    rc, out, err = _run([str(tmp_path), "--format", "json"], capsys)
    assert rc == 1 and err == []
    reports = {r["check_type"]: r for r in json.loads(out)}
    assert _verdicts(reports["terraform"], "CKV_MFA_1")["passed"] == {"aws_cognito_user_pool.pass"}
    assert _verdicts(reports["terraform_plan"], "CKV_MFA_1")["failed"] == {"aws_cognito_user_pool.fail"}


def test_sarif_and_junit_carry_failures_and_unknowns(tmp_path, capsys):
    _write(tmp_path / "main.tf", POOLS)
    rc, out, _ = _run([str(tmp_path), "--format", "sarif"], capsys)
    assert rc == 1
    sarif = json.loads(out)
    results = sarif["runs"][0]["results"]
    def lines(r):
        region = r["locations"][0]["physicalLocation"]["region"]
        return region["startLine"], region["endLine"]

    mfa1 = {(r["level"], lines(r)) for r in results if r["ruleId"] == "CKV_MFA_1"}
    assert ("error", (14, 17)) in mfa1  # aws_cognito_user_pool.fail
    assert not any(lvl == "error" and span in ((3, 12), (19, 22)) for lvl, span in mfa1)
    notes = [r for r in results if r.get("level") == "note" and r["ruleId"] == "CKV_MFA_1"]
    assert len(notes) == 1 and "aws_cognito_user_pool.unknown" in notes[0]["message"]["text"]
    rc, out, _ = _run([str(tmp_path), "--format", "junitxml"], capsys)
    root = ET.fromstring(out)
    cases = root.findall(".//testcase")
    assert any(c.find("failure") is not None and "aws_cognito_user_pool.fail" in (c.get("classname") or "")
               for c in cases)
    assert any(c.find("skipped") is not None and "UNKNOWN" in c.get("name", "") for c in cases)


def test_output_file_gets_the_report_and_stderr_a_summary(tmp_path, capsys):
    _write(tmp_path / "stack" / "main.tf", POOLS)
    target = tmp_path / "report.txt"
    rc, out, err = _run([str(tmp_path / "stack"), "--output", str(target)], capsys)
    assert rc == 1 and out == ""
    assert len(err) == 1 and err[0].startswith("mfaguard scan: ") and " failed" in err[0]
    text = target.read_text()
    assert "FAILED for resource: aws_cognito_user_pool.fail" in text and "\x1b[" not in text


def test_one_scan_writes_several_reports_with_also(tmp_path, capsys, monkeypatch):
    """--format github on stdout, --also markdown and sarif to files: the engine runs once and the
    three reports tell the same findings."""
    from mfaguard.scan import engine

    _write(tmp_path / "stack" / "main.tf", POOLS)
    runs = []
    real = engine.scan
    monkeypatch.setattr(engine, "scan", lambda *a, **k: runs.append(a) or real(*a, **k))
    md, sarif = tmp_path / "summary.md", tmp_path / "out.sarif"
    rc, out, err = _run([str(tmp_path / "stack"), "--format", "github", "--also", f"markdown={md}",
                         "--also", f"sarif={sarif}"], capsys)
    assert rc == 1 and len(runs) == 1
    annotations = [line for line in out.splitlines() if line.startswith("::error ")]
    assert any("aws_cognito_user_pool.fail" in a and "CKV_MFA_1" in a for a in annotations)
    assert "aws_cognito_user_pool.fail" in md.read_text() and md.read_text().startswith("## mfaguard scan")
    results = json.loads(sarif.read_text())["runs"][0]["results"]
    assert ("CKV_MFA_1", "error") in {(r["ruleId"], r["level"]) for r in results}
    assert sum(r["level"] in ("error", "warning") for r in results) == len(annotations)  # the same failures
    assert err[-1].startswith("mfaguard scan: ") and " failed" in err[-1]


@pytest.mark.parametrize("also,why", [
    ("markdown", "expected FORMAT=FILE"),
    ("pdf=x.pdf", "unknown format 'pdf'"),
    ("sarif=", "expected FORMAT=FILE"),
])
def test_bad_also_is_a_usage_error(tmp_path, capsys, also, why):
    with pytest.raises(SystemExit) as exc:
        _run([str(tmp_path), "--also", also], capsys)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "argument --also: " + why in err[0] and "(usage: mfaguard scan" in err[0]


def test_also_refuses_a_file_twice_or_a_missing_folder_before_scanning(tmp_path, capsys, monkeypatch):
    from mfaguard.scan import engine

    monkeypatch.setattr(engine, "scan", lambda *a, **k: pytest.fail("the scan ran"))
    _write(tmp_path / "stack" / "main.tf", POOLS)
    same = str(tmp_path / "r.txt")
    rc, out, err = _run([str(tmp_path / "stack"), "--output", same, "--also", f"json={same}"], capsys)
    assert rc == 2 and err == [f"mfaguard: error: {same}: given for two reports; give each report its own file"]
    rc, out, err = _run([str(tmp_path / "stack"), "--also", f"json={tmp_path / 'nope' / 'r.json'}"], capsys)
    assert rc == 2 and len(err) == 1 and "does not exist" in err[0]


# ----------------------------------------------------------------------- bad input
BAD_CASES = {
    "malformed.tf": ('resource "aws_iam_user" "u" {\n  name = \n}\n', "HCL syntax error at line 2"),
    "invalid.json": ('{"format_version": "1.0", ', "invalid JSON at line 1"),
    "policy.json": ('{"Version": "2012-10-17", "Statement": []}', "not a Terraform plan"),
    "future.json": (json.dumps({**_plan([]), "format_version": "2.0"}), "unsupported plan format_version '2.0'"),
    "state.json": (json.dumps({"format_version": "1.0", "terraform_version": "1.9.0", "values": {}}),
                   "is a Terraform state"),
    "binary.tf": (b"resource \x00\x01\x02\xff", "binary file"),
    "latin1.tf": ('resource "aws_iam_user" "u" {\n  name = "caf\xe9"\n}\n'.encode("latin-1"), "not UTF-8"),
    "tfplan": (b"PK\x03\x04binary plan", "binary Terraform plan"),
    "notes.txt": ("just text", "neither a .tf file"),
}


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_each_bad_input_is_one_line_naming_the_file_and_others_are_still_scanned(name, tmp_path, capsys):
    content, problem = BAD_CASES[name]
    bad = _write(tmp_path / "bad" / name, content)
    good = _write(tmp_path / "good" / "main.tf", POOLS)
    rc, out, err = _run([str(bad), str(good.parent)], capsys)
    assert rc == 2
    assert len(err) == 1, err
    assert err[0].startswith(f"mfaguard: error: {bad}: ") or err[0].startswith(f"mfaguard: error: {os.path.relpath(bad)}: ")
    assert problem in err[0]
    assert "FAILED for resource: aws_cognito_user_pool.fail" in out  # the good folder was still scanned


def test_malformed_tf_inside_a_folder_is_named_and_the_rest_of_the_folder_scanned(tmp_path, capsys):
    _write(tmp_path / "m" / "pools.tf", POOLS)
    broken = _write(tmp_path / "m" / "users.tf", 'resource "aws_iam_user" "u" {\n  name = "x"\n')
    rc, out, err = _run([str(tmp_path / "m"), "--format", "json"], capsys)
    assert rc == 2 and len(err) == 1
    assert "users.tf: HCL syntax error at line 2, column 13: unexpected end of file" in err[0] and str(broken.name) in err[0]
    assert _verdicts(json.loads(out), "CKV_MFA_1")["failed"] == {"aws_cognito_user_pool.fail"}


def test_missing_path_empty_folder_and_huge_file(tmp_path, capsys, monkeypatch):
    (tmp_path / "empty").mkdir()
    huge = _write(tmp_path / "huge" / "main.tf", GOOD_ONLY + "#" * 5000 + "\n")
    monkeypatch.setattr(inputs, "MAX_HCL_BYTES", 4096)
    rc, out, err = _run([str(tmp_path / "nope"), str(tmp_path / "empty"), str(huge)], capsys)
    assert rc == 2
    assert err == [
        f"mfaguard: error: {tmp_path / 'nope'}: no such file or folder",
        f"mfaguard: error: {tmp_path / 'empty'}: folder has no Terraform/OpenTofu files (.tf, .tf.json, .tofu, .tofu.json) or plan JSON to scan",
        f"mfaguard: error: {huge}: file is too large to scan (0.0 MiB; the limit is 0.0 MiB)",
    ]
    assert "No Terraform resources were scanned." in out


def test_bad_input_in_a_real_process_has_no_traceback(tmp_path):
    bad = _write(tmp_path / "broken.tf", 'resource "aws_iam_user" "u" {\n')
    proc = subprocess.run([sys.executable, "-m", "mfaguard", "scan", str(bad), str(tmp_path / "missing")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == [f"mfaguard: error: {tmp_path / 'missing'}: no such file or folder",
                     f"mfaguard: error: {os.path.relpath(bad) if not os.path.relpath(bad).startswith('..') else bad}: "
                     f"HCL syntax error at line 2, column 1: unexpected end of file"] or (
        len(lines) == 2 and "Traceback" not in proc.stderr), proc.stderr


def test_usage_error_is_one_line_exit_2_with_the_usage(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["scan", "x.tf", "--format", "yaml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "invalid choice: 'yaml'" in err[0] and "(usage: mfaguard scan " in err[0]


def test_modules_of_maps_changed_files_to_their_module_folders(tmp_path):
    from mfaguard.scan.cli import module_folders

    root = tmp_path / "repo"
    _write(root / "main.tf", GOOD_ONLY)
    _write(root / "modules" / "iam" / "users.tf", GOOD_ONLY)
    _write(root / "envs" / "prod" / "terraform.tfvars", 'x = 1\n')
    other = _write(tmp_path / "elsewhere" / "a.tf", GOOD_ONLY)
    got = module_folders([str(root / "modules" / "iam" / "users.tf"), str(root / "main.tf"),
                          str(root / "envs" / "prod" / "terraform.tfvars"), str(other)])
    # modules/iam is inside the root module folder (scanned recursively); tfvars-only folders are skipped
    assert got == [str(root), str(other.parent)]
