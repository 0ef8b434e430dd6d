"""The first ten minutes: --help speaks to users, usage errors show the usage line, output
piped into `head` ends quietly, and the README synopsis names every command and flag."""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mfaguard.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]


def _mfaguard(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mfaguard", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, **kw)


def test_help_speaks_to_users():
    out = _mfaguard("--help").stdout
    assert "second factor" in out and "examples:" in out and "exit codes:" in out
    assert "console script" not in out and "dispatches" not in out
    for command in ("scan", "drift", "graph"):
        assert re.search(rf"^\s+{command}\s+\S", out, re.M), command


@pytest.mark.parametrize("args", [["scan"], ["scan", ".", "--format", "yaml"], ["nonsense"], []])
def test_usage_errors_are_one_line_with_the_usage_and_exit_2(args):
    proc = _mfaguard(*args)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mfaguard: error: ")  # one line, as DESIGN.md says
    assert "(usage: mfaguard" in lines[0] and "--help for more)" in lines[0]
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("args", [["catalogue"], ["scan", "terraform_fixtures/examples/", "--format", "json"],
                                  ["--help"]])
def test_output_into_a_closed_pipe_ends_quietly(args):
    proc = subprocess.Popen([sys.executable, "-m", "mfaguard", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdout.close()  # `| head -0`: the reader is gone before the first line
    _, err = proc.communicate(timeout=120)
    text = err.decode()
    assert "Traceback" not in text and "BrokenPipeError" not in text and "Exception ignored" not in text


def _options(parser: argparse.ArgumentParser, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                out.update(_options(sub, f"{prefix}{name} "))
        elif action.option_strings and "--help" not in action.option_strings:
            out.setdefault(prefix.strip() or "mfaguard", []).append(max(action.option_strings, key=len))
    out.setdefault(prefix.strip() or "mfaguard", out.get(prefix.strip() or "mfaguard", []))
    return out


def test_readme_synopsis_names_every_command_and_flag():
    readme = (ROOT / "README.md").read_text()
    inside, kept = None, []
    for line in readme.splitlines():  # the command lines of the README's sh and plain code blocks
        if line.startswith("```"):
            inside = None if inside is not None else line[3:].strip()
        elif inside in ("", "sh"):
            kept.append(line)
    blocks = "\n".join(kept)
    for command, flags in _options(build_parser()).items():
        if command != "mfaguard":
            assert re.search(rf"mfaguard {command}\b", blocks), f"README synopsis lacks `mfaguard {command}`"
        for flag in flags:
            assert flag in blocks, f"README synopsis lacks {command} {flag}"


def test_make_demo_labels_its_parts_and_says_what_it_shows_first():
    proc = subprocess.run([sys.executable, "demo/run_demo.py"], cwd=ROOT, capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = proc.stdout
    assert out.startswith("mfaguard demo:")
    parts = [out.index(label) for label in ("1/4  HCL scan", "2/4  Plan scan", "3/4  Drift")]
    assert parts == sorted(parts)
    hcl, plan, drift = out[parts[0]:parts[1]], out[parts[1]:parts[2]], out[parts[2]:]
    assert "tfplan.json" not in hcl and "terraform_plan scan results" in plan
    # each finding once per part: jess's fix HCL is printed once in each scan
    assert hcl.count('resource "aws_iam_user_policy_attachment" "jess_enforce_mfa"') == 1
    # drift: one row per user and control, the kinds named; the summary before the table
    assert re.search(r"^HIGH\s+drift, noncompliant\s+IAM\.5\s+aws_iam_user\.intern", drift, re.M)
    assert drift.index("finding(s):") < drift.index("SEVERITY")


def test_every_package_is_in_the_wheel():
    """pyproject lists packages explicitly: a folder left out is missing from `pip install .`
    (and from the GitHub Action, which installs that way)."""
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.relative_to(ROOT).parent.parts) for p in (ROOT / "mfaguard").rglob("__init__.py")}
    assert found <= listed, f"add to pyproject.toml packages: {sorted(found - listed)}"
