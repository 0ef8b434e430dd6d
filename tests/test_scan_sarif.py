"""SARIF as a PR reviewer sees it: the annotation text is the finding plus the HCL to add."""
from __future__ import annotations

import json
from pathlib import Path

from mfaguard.cli import main

EXAMPLES = Path(__file__).resolve().parents[1] / "terraform_fixtures" / "examples"


def _sarif(tmp_path):
    out = tmp_path / "r.sarif"
    assert main(["scan", str(EXAMPLES / "iam.tf"), str(EXAMPLES / "cognito.tf"), "--format", "sarif",
                 "--output", str(out)]) == 1
    return json.loads(out.read_text())


def test_annotation_on_jess_says_what_and_gives_hcl(tmp_path):
    run = _sarif(tmp_path)["runs"][0]
    results = [r for r in run["results"] if r["ruleId"] == "CKV2_MFA_1" and r["level"] == "error"]
    jess = [r for r in results if "jess" in r["message"]["text"]]
    assert len(jess) == 1
    text = jess[0]["message"]["text"]
    assert "console password" in text and "no MFA-enforcing Deny reaches" in text
    assert 'resource "' in text  # the exact HCL to add
    assert jess[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("iam.tf")


def test_customer_pool_annotation_and_rule_help(tmp_path):
    run = _sarif(tmp_path)["runs"][0]
    pool = [r for r in run["results"] if r["ruleId"] == "CKV_MFA_1" and r["level"] == "error"]
    assert len(pool) == 1 and "OPTIONAL" in pool[0]["message"]["text"]
    assert 'mfa_configuration = "ON"' in pool[0]["message"]["text"]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["CKV_MFA_1"]["properties"]["security-severity"] == "8.0"
    assert "Cognito.5" in rules["CKV_MFA_1"]["properties"]["tags"]
    assert "```hcl" in rules["CKV_MFA_1"]["help"]["markdown"]


def test_not_applicable_unknowns_are_not_annotations(tmp_path):
    run = _sarif(tmp_path)["runs"][0]
    assert not [r for r in run["results"] if "not applicable" in r["message"]["text"]]
