"""Hostile inputs never hang, never give a traceback, never lose the good findings (issue 12, Scan)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

GOOD = 'resource "aws_iam_user" "u" {\n  name = "u"\n}\n\nresource "aws_iam_user_login_profile" "u" {\n  user = aws_iam_user.u.name\n}\n'
MFAGUARD = [sys.executable, "-m", "mfaguard"]


def _run(args, capsys):
    from mfaguard.cli import main

    rc = main(args)
    out, err = capsys.readouterr()
    return rc, out, [line for line in err.splitlines() if line.strip()]


def _good(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(GOOD)
    return folder


def test_deep_nesting_is_one_line_and_the_good_findings_stay(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    n = 100_000
    deep = _good(tmp_path / "deep")
    (deep / "deep.tf").write_text("locals {\n  a = " + "[" * n + "]" * n + "\n}\n")
    (deep / "deep2.tf.json").write_text('{"locals": {"a": ' + "[" * n + "]" * n + "}}")
    (tmp_path / "plan.json").write_text('{"format_version": "1.2", "terraform_version": "1.9.0", '
                                        '"planned_values": {"root_module": {"resources": ' + "[" * n + "]" * n + "}}}")
    rc, out, err = _run(["scan", "deep", "plan.json", "--quiet"], capsys)
    assert rc == 2
    assert sorted(line.split(": ")[2] for line in err) == ["deep/deep.tf", "deep/deep2.tf.json", "plan.json"]
    assert all("too deep" in line or "nested" in line for line in err), err
    assert "FAILED for resource: aws_iam_user.u" in out  # deep/main.tf is still judged


@pytest.mark.parametrize("kind", ["fifo", "socket"])
def test_special_files_named_like_inputs_are_refused_at_once(tmp_path, kind):
    import socket

    folder = _good(tmp_path / "stack")
    names = ["x.tf", "plan.json"]
    for name in names:
        if kind == "fifo":
            os.mkfifo(folder / name)
        else:
            s = socket.socket(socket.AF_UNIX)
            s.bind(str(folder / name))
    args = MFAGUARD + ["scan", str(folder), str(folder / "x.tf"), str(folder / "plan.json"), "--quiet"]
    proc = subprocess.run(args, capture_output=True, text=True, timeout=120)  # a blocked open would time out
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert all("refused without reading it" in line for line in lines) and len(lines) == 2, lines
    assert "Traceback" not in proc.stderr
    assert "FAILED for resource: aws_iam_user.u" in proc.stdout


def test_oversized_file_is_refused_before_any_parsing_or_prefiltering(tmp_path, capsys, monkeypatch):
    from mfaguard.scan import engine, inputs

    folder = _good(tmp_path / "stack")
    big = folder / "generated.tf"
    big.write_text('resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' * (inputs.MAX_HCL_BYTES // 40))
    seen: list[str] = []
    real = engine.filter_module

    def spy(texts, relevant):
        seen.extend(texts)
        return real(texts, relevant)

    monkeypatch.setattr(engine, "filter_module", spy)
    monkeypatch.setenv("MFAGUARD_WORKERS", "1")
    rc, out, err = _run(["scan", str(folder), "--quiet"], capsys)
    assert rc == 2
    assert len(err) == 1 and "generated.tf: file is too large to scan" in err[0]
    assert str(big) not in seen and any(p.endswith("main.tf") for p in seen)
    assert "aws_iam_user.u" in out


def test_checkov_log_lines_never_reach_the_user(tmp_path):
    folder = _good(tmp_path / "stack")
    # a module Checkov cannot load makes it log (WARNING/ERROR:root:...) on the root logger
    (folder / "mod.tf").write_text('module "remote" {\n  source = "git::https://example.invalid/x.git"\n}\n')
    (folder / "broken.tf").write_text('resource "aws_iam_user" "b" {\n  name = \n}\n')
    proc = subprocess.run(MFAGUARD + ["scan", str(folder), "--quiet"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mfaguard: error:") and "broken.tf" in lines[0], lines
    assert "root:" not in proc.stderr and "Traceback" not in proc.stderr


def test_an_unusable_environment_is_one_line_exit_2(tmp_path):
    """The working folder deleted under the run (os.getcwd() fails) stands for any environment
    problem below the inputs: one line, exit 2, no traceback."""
    folder = _good(tmp_path / "stack")
    gone = tmp_path / "gone"
    gone.mkdir()
    code = ("import os, sys; os.chdir(sys.argv[1]); os.rmdir(sys.argv[1]); from mfaguard.cli import main; "
            "raise SystemExit(main(['scan', sys.argv[2], '--quiet']))")
    proc = subprocess.run([sys.executable, "-c", code, str(gone), str(folder)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mfaguard: error: cannot run the scan:"), lines


def test_environment_errors_from_dependencies_are_one_line(tmp_path, capsys, monkeypatch):
    from mfaguard.scan import engine

    def unreadable(*_a, **_k):
        raise PermissionError(13, "Permission denied", "/home/ci/.cache/checkov")

    monkeypatch.setattr(engine, "scan", unreadable)
    rc, out, err = _run(["scan", str(_good(tmp_path / "s"))], capsys)
    assert rc == 2 and out == ""
    assert err == ["mfaguard: error: cannot run the scan: Permission denied: /home/ci/.cache/checkov"]


def test_output_into_a_missing_folder_is_refused_before_the_scan(tmp_path, capsys, monkeypatch):
    from mfaguard.scan import engine

    monkeypatch.setattr(engine, "scan", lambda *a, **k: pytest.fail("the scan ran"))
    rc, out, err = _run(["scan", str(_good(tmp_path / "s")), "--output", str(tmp_path / "nope" / "r.json")], capsys)
    assert rc == 2 and len(err) == 1 and "does not exist" in err[0]


def test_a_second_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        _run(["scan", str(_good(tmp_path / "s")), "--format", "json", "--format", "sarif"], capsys)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--format given twice" in err[0]


def test_sigterm_removes_temporary_copies_like_sigint(tmp_path):
    """A plan is prefiltered into a private temporary folder; SIGTERM mid-scan removes it."""
    tmpdir = tmp_path / "tmp"
    tmpdir.mkdir()
    plan = {"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"root_module": {"resources": [
        {"address": f"aws_s3_bucket.b{i}", "mode": "managed", "type": "aws_s3_bucket", "name": f"b{i}",
         "values": {"bucket": f"b{i}", "tags": {"a": "b" * 50}}} for i in range(20000)]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=2))
    env = {**os.environ, "TMPDIR": str(tmpdir)}
    proc = subprocess.Popen(MFAGUARD + ["scan", str(tmp_path / "plan.json"), "--no-prefilter", "--quiet"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.name.startswith("mfaguard-") for p in tmpdir.iterdir()):
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.skip("the scan finished before a temporary copy could be seen")
        time.sleep(0.05)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode != 0
    assert "Traceback" not in err
    assert [p.name for p in tmpdir.iterdir() if p.name.startswith("mfaguard-")] == []
