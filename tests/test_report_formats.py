"""The reviewer formats (markdown, github, rdjsonl; SARIF fingerprints) on the example stack
and on the demo account, against golden files in tests/golden/.

Regenerate after an intended change: MFAGUARD_UPDATE_GOLDEN=1 pytest tests/test_report_formats.py
(and read the diff: the goldens are what a reviewer sees).
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from mfaguard.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
EXAMPLES = "terraform_fixtures/examples"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("MFAGUARD_UPDATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"{path} missing: run with MFAGUARD_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"


def scan(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["scan", *args])
    return code, capsys.readouterr().out


@pytest.fixture(scope="module")
def in_root():
    old = os.getcwd()
    os.chdir(ROOT)  # paths in the reports are relative to the working directory, as in CI
    try:
        yield
    finally:
        os.chdir(old)


@pytest.mark.parametrize("fmt,ext", [("markdown", "md"), ("github", "txt"), ("rdjsonl", "jsonl")])
def test_scan_example_stack_golden(in_root, capsys, fmt, ext):
    code, out = scan(capsys, EXAMPLES, "--format", fmt)
    assert code == 1
    check_golden(f"scan-examples.{fmt}.{ext}", out)


def test_markdown_verdict_table_fix_and_counts(in_root, capsys):
    _, out = scan(capsys, EXAMPLES, "--format", "markdown")
    first = [line for line in out.splitlines() if line.startswith(":x:")]
    assert first and "FAIL: mfaguard scan:" in first[0] and "passed" in first[0]
    rows = [line for line in out.splitlines() if line.startswith("| `")]
    jess = [r for r in rows if "`aws_iam_user.jess`" in r and "`CKV2_MFA_1`" in r]
    assert jess and "`terraform_fixtures/examples/iam.tf:80-86`" in jess[0] and "| HIGH |" in jess[0]
    assert "PASSED" not in out and "Passed: " in out  # passed checks only as a count
    # the fix HCL is collapsed, once per distinct fix
    assert out.count('resource "aws_iam_user_policy_attachment" "jess_enforce_mfa"') == 1
    assert "<details>" in out and "```hcl" in out


def test_markdown_truncates_under_max_bytes_and_says_how_much(in_root, capsys):
    code, full = scan(capsys, EXAMPLES, "--format", "markdown")
    code, out = scan(capsys, EXAMPLES, "--format", "markdown", "--max-bytes", "3000")
    assert len(out.encode("utf-8")) <= 3000 < len(full.encode("utf-8"))
    assert "**Truncated:**" in out and "left out to stay under 3,000 bytes" in out
    assert out.count("<details>") == out.count("</details>")
    assert out.count("```") % 2 == 0
    # the most severe findings are the ones kept
    assert "`CKV_MFA_1`" in out


def test_rdjsonl_suggests_the_value_change_with_its_exact_range(in_root, capsys):
    _, out = scan(capsys, EXAMPLES, "--format", "rdjsonl")
    diags = [json.loads(line) for line in out.splitlines()]
    mfa = [d for d in diags if d["code"]["value"] == "CKV_MFA_1" and d["location"]["path"].endswith(".tf")]
    assert len(mfa) == 1
    sug = mfa[0]["suggestions"][0]
    assert sug["text"] == '"ON"'
    lines = (ROOT / EXAMPLES / "cognito.tf").read_text().splitlines()
    rng = sug["range"]
    line = lines[rng["start"]["line"] - 1]
    assert line[rng["start"]["column"] - 1:rng["end"]["column"] - 1] == '"OPTIONAL"'
    assert mfa[0]["location"]["range"] == rng  # reviewdog pairs the suggestion with the commented lines
    threat = [d for d in diags if d["code"]["value"] == "CKV_MFA_3" and d["location"]["path"].endswith(".tf")]
    assert threat[0]["suggestions"][0]["text"] == '"ENFORCED"'
    # a graph finding has no one-line change: its message carries the HCL to add
    jess = [d for d in diags if d["code"]["value"] == "CKV2_MFA_1" and d["location"]["path"].endswith(".tf")]
    assert "suggestions" not in jess[0] and "```hcl" in jess[0]["message"]
    assert all(d["severity"] in ("ERROR", "WARNING") for d in diags)


def test_github_commands_one_per_finding(in_root, capsys):
    _, out = scan(capsys, EXAMPLES, "--format", "github")
    lines = out.splitlines()
    assert all(line.startswith("::error ") for line in lines[:-1])
    assert lines[-1].startswith("FAIL: mfaguard scan:")
    jess = [line for line in lines if "title=CKV2_MFA_1 (HIGH) aws_iam_user.jess" in line
            and "file=terraform_fixtures/examples/iam.tf," in line]
    assert len(jess) == 1 and ",line=80,endLine=86," in jess[0]


def test_sarif_partial_fingerprints_survive_unrelated_edits(tmp_path, capsys):
    src = (ROOT / EXAMPLES / "iam.tf").read_text()
    (tmp_path / "iam.tf").write_text(src)
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        _, a = scan(capsys, "iam.tf", "--format", "sarif")
        (tmp_path / "iam.tf").write_text("# an unrelated comment\n\n" + src.replace("enrolment", "enrollment"))
        _, b = scan(capsys, "iam.tf", "--format", "sarif")
    finally:
        os.chdir(old)

    def prints(doc: str) -> dict:
        run = json.loads(doc)["runs"][0]
        return {(r["ruleId"], r["partialFingerprints"]["mfaguardResource/v1"]): r["locations"][0][
            "physicalLocation"]["region"]["startLine"] for r in run["results"]}

    pa, pb = prints(a), prints(b)
    assert pa.keys() == pb.keys() and len(pa) >= 4
    assert all(pb[k] == pa[k] + 2 for k in pa)  # same alerts, moved two lines down
    assert len({fp for _, fp in pa}) == len(pa)  # one fingerprint per finding


def test_sarif_stays_within_github_limits():
    from mfaguard.report.sarif import MAX_RESULTS, within_github_limits

    results = [{"ruleId": "X", "level": "note"}] * (MAX_RESULTS + 5) + [{"ruleId": "Y", "level": "error"}]
    doc = {"runs": [{"tool": {"driver": {"rules": [{"id": "X", "properties": {"tags": [str(i) for i in range(30)]}}]}},
                     "results": list(results)}]}
    run = within_github_limits(doc)["runs"][0]
    assert len(run["results"]) == MAX_RESULTS and run["results"][0]["ruleId"] == "Y"
    assert len(run["tool"]["driver"]["rules"][0]["properties"]["tags"]) == 10
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert note.startswith("6 result(s) left out")


def test_cli_failures_first_passed_only_counted_fix_once(in_root, capsys):
    _, out = scan(capsys, EXAMPLES)
    assert "PASSED for resource" not in out and "Passed checks: " in out
    jess = out.split('FAILED for resource: aws_iam_user.jess')[1].split("Check: ")[0]
    assert jess.count("Fix:") == 1 and jess.count("jess_enforce_mfa") == 1
    first_failure = out.index("FAILED for resource")
    assert out.index("Passed checks:") < first_failure < out.index("UNKNOWN:") if "UNKNOWN:" in out else True


# ------------------------------------------------------------------ drift on the demo account


@pytest.fixture
def demo_account(moto, monkeypatch):
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    from mfaguard.drift import live

    monkeypatch.setattr(live, "REPORT_FIRST_DELAY_S", 0.01, raising=False)
    sys.path.insert(0, str(ROOT / "demo"))
    try:
        import seed_account
    finally:
        sys.path.remove(str(ROOT / "demo"))
    seed_account.seed(moto.session(seed_account.REGION), moto.endpoint_url)
    return moto


@pytest.mark.parametrize("fmt,ext", [("markdown", "md"), ("github", "txt")])
def test_drift_demo_account_golden(demo_account, in_root, capsys, fmt, ext):
    capsys.readouterr()
    code = main(["drift", "--plan", "demo/plan.json", "--endpoint-url", demo_account.endpoint_url,
                 "--region", "eu-west-1", "--format", fmt])
    out = capsys.readouterr().out
    assert code == 1
    check_golden(f"drift-demo.{fmt}.{ext}", out)
    assert "acme-customers" in out or "customers" in out


def _titled_severities(out: str, address: str) -> dict[str, set[str]]:
    """{check or control: {severities}} from `--format github` titles naming ``address``."""
    import re

    found: dict[str, set[str]] = {}
    for m in re.finditer(r"title=(\S+) \((\w+)\) (\S+)::", out):
        if m.group(3) == address:
            found.setdefault(m.group(1), set()).add(m.group(2))
    return found


def test_weakened_pool_reads_with_the_same_severity_in_scan_and_drift(demo_account, in_root, capsys):
    """The demo's customers pool is OPTIONAL in the example stack (scan: CKV_MFA_1) and was switched
    from ON to OPTIONAL in the demo account (drift: Cognito.5): one setting, one severity, on every
    control the two share (catalogue.SEVERITY_RULE)."""
    from mfaguard.catalogue import CHECKS, CONTROLS

    _, scanned = scan(capsys, EXAMPLES, "--format", "github")
    code = main(["drift", "--plan", "demo/plan.json", "--endpoint-url", demo_account.endpoint_url,
                 "--region", "eu-west-1", "--format", "github"])
    drifted = capsys.readouterr().out
    assert code == 1
    pool = "aws_cognito_user_pool.customers"
    in_scan, in_drift = _titled_severities(scanned, pool), _titled_severities(drifted, pool)
    assert in_scan["CKV_MFA_1"] == {"HIGH"} and in_drift["Cognito.5"] == {"HIGH"}
    for control in ("Cognito.5", "Cognito.1", "Cognito.4"):
        check = CONTROLS[control].check
        assert control in in_drift and check in in_scan, (control, check)
        assert in_drift[control] == in_scan[check] == {CHECKS[check].severity}, control
    assert CONTROLS["Cognito.5"].severity == "MEDIUM"  # Security Hub's own rating stays in the catalogue


def test_every_control_severity_follows_one_rule():
    from mfaguard.catalogue import CHECKS, CONTROLS, finding_severity

    for control in CONTROLS.values():
        if control.check:
            assert control.id in CHECKS[control.check].security_hub_controls
            assert finding_severity(control.id) == CHECKS[control.check].severity
        else:  # nothing judges root's device before deploy: Security Hub's severity
            assert control.id in ("IAM.9", "IAM.6") and finding_severity(control.id) == control.severity
    assert finding_severity("Cognito.5", "CKV_MFA_2") == CHECKS["CKV_MFA_2"].severity  # TOTP turned off


def test_drift_markdown_and_github_say_when_results_are_partial():
    from mfaguard.catalogue import CONTROLS
    from mfaguard.drift.model import Finding
    from mfaguard.drift.report import ReportContext, render

    f = Finding(control="IAM.5", kind="noncompliant", address="aws_iam_user.intern", arn=None, id="intern",
                region=None, expected="MFA", actual="no MFA", severity=CONTROLS["IAM.5"].severity,
                message="IAM user intern: has a console password and no MFA device live")
    ctx = ReportContext(plan="plan.json", account_id="123456789012", regions=["eu-west-1"],
                        errors=["AWS access failure: missing permission iam:GetCredentialReport: AccessDenied"],
                        max_bytes=2048)
    md = render("markdown", [f], ctx)
    assert "results are partial" in md and "iam:GetCredentialReport" in md
    assert len(md.encode()) <= 2048
    gh = render("github", [f], ctx).splitlines()
    assert gh[0].startswith("::error file=plan.json,title=IAM.5 (MEDIUM) aws_iam_user.intern::[noncompliant]")
    assert gh[1].startswith("::error title=mfaguard drift - AWS access::AWS access failure")
    assert gh[-1].startswith("FAIL: mfaguard drift: 1 failed")


def test_rdjsonl_suggests_no_value_change_that_would_fail_alone(tmp_path):
    from mfaguard.report.model import FAILED, Item
    from mfaguard.report.rdjsonl import value_suggestion

    lines = ['resource "aws_cognito_user_pool" "p" {', '  name = "p"', '  user_pool_tier = "ESSENTIALS"',
             '  mfa_configuration = "OPTIONAL"', "  user_pool_add_ons {", '    advanced_security_mode = "AUDIT"',
             "  }", "}"]
    def item(check):
        return Item(FAILED, check, "t", "HIGH", "aws_cognito_user_pool.p", "r", file="main.tf", start_line=1, end_line=8)

    assert value_suggestion(item("CKV_MFA_1"), lines) is None  # no factor configured: ON alone is rejected
    assert value_suggestion(item("CKV_MFA_3"), lines) is None  # not on Plus: ENFORCED alone is rejected
    plus = [ln.replace("ESSENTIALS", "PLUS") for ln in lines] + []
    plus.insert(4, "  software_token_mfa_configuration {\n")
    assert value_suggestion(item("CKV_MFA_3"), plus)["text"] == '"ENFORCED"'
    assert value_suggestion(item("CKV_MFA_1"), plus) == {"line": 4, "start": 23, "end": 33, "text": '"ON"'}
