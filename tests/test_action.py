"""The composite GitHub Action (action.yml) and the README's CI recipes, run on the example stack.

The action's steps are run as the runner runs them (`bash --noprofile --norc -eo pipefail`),
with GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_PATH and RUNNER_TEMP pointing at temporary
files, `${{ inputs.* }}` / `${{ steps.*.outputs.* }}` substituted from the inputs and the
earlier steps' outputs.  The install step is checked, not run (it downloads checkov): this
test environment already has mfaguard installed, and its bin folder is put on GITHUB_PATH as
the install step would.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = "terraform_fixtures/examples"
BIN = os.path.dirname(sys.executable)
_EXPR = re.compile(r"\$\{\{\s*([^}]+?)\s*\}\}")


def action() -> dict:
    return yaml.safe_load((ROOT / "action.yml").read_text())


def _bash(script: str, env: dict, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def _outputs(path: Path) -> dict:
    out = {}
    for line in path.read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def run_action(tmp_path: Path, inputs: dict, cwd: Path = ROOT) -> dict:
    spec = action()
    values = {k: str(v.get("default", "")) for k, v in spec["inputs"].items()}
    values.update({k: str(v) for k, v in inputs.items()})
    files = {n: tmp_path / n for n in ("summary.md", "output.txt", "path.txt")}
    for f in files.values():
        f.write_text("")
    (tmp_path / "runner").mkdir()
    base_env = {**os.environ, "GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": str(ROOT),
                "GITHUB_STEP_SUMMARY": str(files["summary.md"]), "GITHUB_OUTPUT": str(files["output.txt"]),
                "GITHUB_PATH": str(files["path.txt"]), "RUNNER_TEMP": str(tmp_path / "runner")}
    step_outputs: dict[str, dict] = {}
    results = {}
    for step in spec["runs"]["steps"]:
        assert step["shell"] == "bash"
        if step["id"] == "install":
            assert '"$GITHUB_ACTION_PATH"' in step["run"] and "$GITHUB_PATH" in step["run"]
            with open(files["path.txt"], "a") as fh:
                fh.write(BIN + "\n")
            continue

        def value(m: re.Match) -> str:
            expr = m.group(1)
            if expr.startswith("inputs."):
                return values[expr[len("inputs."):]]
            _, sid, _, name = expr.split(".", 3)
            return step_outputs.get(sid, {}).get(name, "")

        assert "${{" not in step["run"], "expressions only in env: (no script injection)"
        env = dict(base_env)
        extra = [p for p in files["path.txt"].read_text().splitlines() if p]
        env["PATH"] = os.pathsep.join(list(reversed(extra)) + [env.get("PATH", "")])
        env.update({k: _EXPR.sub(value, str(v)) for k, v in (step.get("env") or {}).items()})
        files["output.txt"].write_text("")
        proc = _bash(step["run"], env, cwd)
        step_outputs[step["id"]] = _outputs(files["output.txt"])
        results[step["id"]] = proc
        if proc.returncode != 0:
            break
    return {"steps": results, "outputs": step_outputs, "summary": files["summary.md"].read_text()}


def test_action_fail_on_never_passes_but_bad_input_still_fails(tmp_path):
    run = run_action(tmp_path, {"paths": f"{EXAMPLES}/iam.tf", "fail-on": "never"})
    assert run["steps"]["gate"].returncode == 0 and "FAIL" in run["summary"]
    (tmp_path / "again").mkdir()
    run = run_action(tmp_path / "again", {"paths": "does-not-exist/", "fail-on": "never"})
    assert run["outputs"]["scan"]["exit-code"] == "2" and run["steps"]["gate"].returncode == 2


def test_action_scans_once_for_summary_annotations_and_sarif():
    scan = next(s for s in action()["runs"]["steps"] if s["id"] == "scan")["run"]
    calls = [line for line in scan.splitlines() if line.strip().startswith("mfaguard scan ")]
    assert len(calls) == 1 and "--format github" in calls[0] and "--also \"markdown=" in calls[0]
    assert '--also "sarif=$INPUT_SARIF_FILE"' in scan


def test_action_rejects_an_unknown_fail_on(tmp_path):
    run = run_action(tmp_path, {"paths": f"{EXAMPLES}/iam.tf", "fail-on": "sometimes"})
    assert run["steps"]["scan"].returncode == 2 and "gate" not in run["steps"]


def _recipe(name: str) -> dict | list:
    text = (ROOT / "README.md").read_text()
    block = text.split(f"<!-- recipe:{name} -->", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    return yaml.safe_load(block)


def test_readme_github_actions_recipe_runs_the_action(tmp_path):
    """The README's workflow, its `with:` inputs given to action.yml (paths: the example stack)."""
    steps = _recipe("github-actions")["jobs"]["mfa"]["steps"]
    ours = [s for s in steps if str(s.get("uses", "")).startswith("mfaguard/mfaguard@")]
    assert len(ours) == 1
    inputs = dict(ours[0]["with"])
    assert set(inputs) <= set(action()["inputs"])
    inputs["paths"] = inputs["paths"].replace("infra/", f"{EXAMPLES}/iam.tf {EXAMPLES}/cognito.tf")
    sarif = tmp_path / inputs["sarif-file"]
    inputs["sarif-file"] = str(sarif)
    run = run_action(tmp_path, inputs)
    assert run["outputs"]["scan"]["exit-code"] == "1"
    assert run["steps"]["gate"].returncode == 1  # fail-on: failed
    verdict = re.search(r"FAIL: mfaguard scan: (\d+) failed", run["summary"])
    assert run["summary"].startswith("## mfaguard scan") and verdict and int(verdict.group(1)) >= 6
    annotations = [line for line in run["steps"]["scan"].stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == int(verdict.group(1))  # one annotation per failed finding
    assert any("file=terraform_fixtures/examples/iam.tf,line=80" in a and "aws_iam_user.jess" in a
               for a in annotations)
    doc = json.loads(sarif.read_text())
    assert {r["ruleId"] for r in doc["runs"][0]["results"] if r["level"] == "error"} >= {"CKV_MFA_1", "CKV2_MFA_1"}
    upload = [s for s in steps if "upload-sarif" in str(s.get("uses", ""))]
    assert upload and upload[0]["with"]["sarif_file"] == ours[0]["with"]["sarif-file"]


def _scan_env() -> dict:
    return {**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")}


def test_readme_gitlab_recipe_on_the_example_stack(tmp_path):
    job = _recipe("gitlab")["mfaguard"]
    shutil.copytree(ROOT / EXAMPLES, tmp_path / "infra", ignore=shutil.ignore_patterns("*.json"))  # HCL only: faster
    codes = []
    for line in job["script"]:
        if line.startswith("pip install"):
            assert "mfaguard" in line
            continue
        codes.append(_bash(line, _scan_env(), tmp_path).returncode)
    assert codes[-1] == 1  # the gate line fails the job on findings
    sast = json.loads((tmp_path / job["artifacts"]["reports"]["sast"]).read_text())
    assert sast["version"] == "15.0.4" and sast["scan"]["type"] == "sast"
    vulns = {(v["identifiers"][0]["value"], v["location"]["file"]) for v in sast["vulnerabilities"]}
    assert ("CKV_MFA_1", "infra/cognito.tf") in vulns and ("CKV2_MFA_1", "infra/iam.tf") in vulns
    jess = [v for v in sast["vulnerabilities"] if "aws_iam_user.jess" in v["name"]]
    assert jess and 'resource "aws_iam_user_policy_attachment"' in jess[0]["solution"]
    ET.parse(tmp_path / job["artifacts"]["reports"]["junit"])
    md = (tmp_path / job["artifacts"]["paths"][0]).read_text()
    assert md.startswith("## mfaguard scan") and len(md.encode()) <= 65000


_POSITION = {"line": int, "column": int}


def _check_range(r: dict) -> None:
    assert set(r) <= {"start", "end"} and "start" in r
    for pos in r.values():
        assert set(pos) <= set(_POSITION) and all(isinstance(pos[k], _POSITION[k]) for k in pos)


def test_readme_reviewdog_recipe_emits_reviewdog_diagnostics(tmp_path):
    steps = _recipe("reviewdog")
    run = [s["run"] for s in steps if "run" in s][0]
    producer, _, consumer = run.partition("|")
    assert "reviewdog -f=rdjsonl" in consumer and "github-pr-review" in consumer
    shutil.copytree(ROOT / EXAMPLES, tmp_path / "infra")
    proc = _bash(producer, _scan_env(), tmp_path)
    diags = [json.loads(line) for line in proc.stdout.splitlines()]
    assert diags
    for d in diags:  # reviewdog.rdf.Diagnostic (proto/rdf/reviewdog.proto)
        assert set(d) <= {"message", "location", "severity", "source", "code", "suggestions"}
        assert isinstance(d["message"], str) and d["severity"] in ("ERROR", "WARNING", "INFO")
        assert set(d["location"]) == {"path", "range"} and d["location"]["path"].startswith("infra/")
        _check_range(d["location"]["range"])
        for s in d.get("suggestions", []):
            assert set(s) == {"range", "text"}
            _check_range(s["range"])
    assert any(s["text"] == '"ON"' for d in diags for s in d.get("suggestions", []))
