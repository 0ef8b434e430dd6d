"""report.py: table, json, sarif, junitxml and ASFF (imported into moto's Security Hub over HTTP)."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest

from mfaguard.catalogue import CONTROLS
from mfaguard.drift.model import Finding
from mfaguard.drift.report import ReportContext, render

ACCT = "123456789012"  # moto's default account: BatchImportFindings wants the caller's account


def finding(control="Cognito.5", kind="drift", **kw) -> Finding:
    base = dict(control=control, kind=kind, address="aws_cognito_user_pool.customers",
                arn=f"arn:aws:cognito-idp:us-east-1:{ACCT}:userpool/us-east-1_AbC123", id="us-east-1_AbC123",
                region="us-east-1", expected="ON", actual="OPTIONAL", severity=CONTROLS[control].severity,
                message="Cognito user pool customers (us-east-1_AbC123, us-east-1): MFA is OPTIONAL live, the plan "
                        "says ON — someone weakened it outside Terraform")
    base.update(kw)
    return Finding(**base)


FINDINGS = [
    finding(),
    finding("IAM.9", "noncompliant", address=None, arn=f"arn:aws:iam::{ACCT}:root", id=ACCT, region=None,
            expected="MFA device", actual="no MFA", severity="CRITICAL", message="Root user: no MFA"),
    finding("IAM.19", "unmanaged", address=None, arn=f"arn:aws:iam::{ACCT}:user/auditor", id="auditor",
            region=None, expected="not present", actual="MFA active", message="IAM user auditor: unmanaged",
            compliance="PASSED"),
    finding("IAM.5", "drift", address="aws_iam_group.admins", arn=f"arn:aws:iam::{ACCT}:group/admins",
            id="admins", region=None, expected="MFA enforced", actual="no MFA enforcement",
            message="IAM group admins: policy detached"),
]


def ctx(**kw) -> ReportContext:
    base = dict(plan="plan.json", account_id=ACCT, regions=["us-east-1", "eu-west-1"],
                credential_report_generated="2026-11-27T20:00:00Z", now="2026-11-28T00:00:00.000Z")
    base.update(kw)
    return ReportContext(**base)


def test_json_has_findings_and_summary():
    doc = json.loads(render("json", FINDINGS, ctx()))
    assert [f["control"] for f in doc["findings"]] == ["Cognito.5", "IAM.9", "IAM.19", "IAM.5"]
    assert doc["findings"][0]["kind"] == "drift" and doc["findings"][0]["expected"] == "ON"
    s = doc["summary"]
    assert s["total"] == 4 and s["failed"] == 3
    assert s["by_kind"] == {"drift": 2, "unmanaged": 1, "missing": 0, "noncompliant": 1, "pending_destroy": 0}
    assert s["credential_report_generated"] == "2026-11-27T20:00:00Z"


def test_table_says_report_age_and_every_finding():
    out = render("table", FINDINGS, ctx(errors=["AWS access failure: missing permission iam:GetAccountSummary"]))
    assert "IAM credential report generated 2026-11-27T20:00:00Z" in out
    assert "--recheck-flagged" in out
    for f in FINDINGS:
        assert f.message in out
    assert "error: AWS access failure: missing permission iam:GetAccountSummary" in out
    assert "4 finding(s): 2 drift, 1 unmanaged, 1 noncompliant" in out


def test_table_without_findings_says_no_drift():
    assert "0 finding(s): no drift" in render("table", [], ctx())


def test_sarif_2_1_0_rules_from_the_catalogue():
    doc = json.loads(render("sarif", FINDINGS, ctx()))
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(CONTROLS)
    assert rules[0]["shortDescription"]["text"] == CONTROLS["IAM.9"].title
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert by_rule["IAM.9"]["level"] == "error" and by_rule["Cognito.5"]["level"] == "warning"
    assert by_rule["IAM.19"]["kind"] == "pass"
    assert rules[by_rule["Cognito.5"]["ruleIndex"]]["id"] == "Cognito.5"
    loc = by_rule["Cognito.5"]["locations"][0]["logicalLocations"][0]
    assert loc["fullyQualifiedName"] == "aws_cognito_user_pool.customers"
    # stable fingerprints across runs
    again = json.loads(render("sarif", FINDINGS, ctx(now="2030-01-01T00:00:00.000Z")))
    assert [r["partialFingerprints"] for r in again["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in run["results"]]


def test_junitxml_one_testcase_per_control_and_resource():
    root = ET.fromstring(render("junitxml", FINDINGS, ctx()).split("\n", 1)[1])
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert len(cases) == 4
    assert suite.get("failures") == "3" and suite.get("tests") == "4"
    failed = [c for c in cases if c.find("failure") is not None]
    assert {c.get("classname") for c in failed} == {"mfaguard.drift.Cognito.5", "mfaguard.drift.IAM.9",
                                                    "mfaguard.drift.IAM.5"}
    assert failed[0].find("failure").get("message") == FINDINGS[0].message


def test_junitxml_access_errors_are_errors():
    root = ET.fromstring(render("junitxml", [], ctx(errors=["missing permission iam:X"])).split("\n", 1)[1])
    assert root.find("testsuite").get("errors") == "1"
    assert root.find("testsuite/testcase/error").get("message") == "missing permission iam:X"


REQUIRED_ASFF = {"SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt",
                 "UpdatedAt", "Severity", "Title", "Description", "Resources", "Compliance", "RecordState",
                 "Workflow"}


def test_asff_fields_and_stable_ids():
    first = json.loads(render("asff", FINDINGS, ctx()))
    assert len(first) == 4
    for item in first:
        assert REQUIRED_ASFF <= set(item)
        assert item["SchemaVersion"] == "2018-10-08"
        assert item["ProductArn"].endswith(f":product/{ACCT}/default")
        assert item["Resources"][0]["Id"] and item["Resources"][0]["Type"]
    by_control = {i["Compliance"]["SecurityControlId"]: i for i in first}
    assert by_control["Cognito.5"]["ProductArn"] == (
        f"arn:aws:securityhub:us-east-1:{ACCT}:product/{ACCT}/default")
    assert by_control["IAM.9"]["Resources"][0]["Type"] == "AwsAccount"
    assert by_control["IAM.5"]["Resources"][0]["Type"] == "AwsIamGroup"
    assert by_control["IAM.19"]["Compliance"]["Status"] == "PASSED"
    assert by_control["IAM.19"]["Severity"]["Label"] == "INFORMATIONAL"
    assert by_control["IAM.9"]["Severity"]["Label"] == "CRITICAL"
    later = json.loads(render("asff", FINDINGS, ctx(now="2030-01-01T00:00:00.000Z")))
    assert [i["Id"] for i in later] == [i["Id"] for i in first]


def test_asff_merges_kinds_of_one_resource_and_control():
    two = [finding(), finding(kind="noncompliant", message="also noncompliant")]
    (item,) = json.loads(render("asff", two, ctx()))
    assert item["ProductFields"]["mfaguard/kind"] == "drift,noncompliant"
    assert "also noncompliant" in item["Description"]


def test_asff_is_accepted_by_security_hub_and_reruns_update(moto):
    hub = moto.client("securityhub", "us-east-1")
    hub.enable_security_hub()
    findings = json.loads(render("asff", FINDINGS, ctx()))
    # botocore validates the request against Security Hub's model (required members, types) client-side
    resp = hub.batch_import_findings(Findings=findings)
    assert (resp["FailedCount"], resp["SuccessCount"]) == (0, 4), resp.get("FailedFindings")
    again = json.loads(render("asff", FINDINGS, ctx(now="2026-11-28T01:00:00.000Z")))
    resp = hub.batch_import_findings(Findings=again)
    assert resp["FailedCount"] == 0
    got = hub.get_findings()["Findings"]
    assert sorted(f["Id"] for f in got) == sorted(f["Id"] for f in findings)  # updated, not duplicated
    assert {f["UpdatedAt"] for f in got} == {"2026-11-28T01:00:00.000Z"}


def test_unknown_format_raises():
    with pytest.raises(ValueError):
        render("csv", [], ctx())


def test_access_errors_are_never_a_clean_result():
    out = render("table", [], ctx(errors=["AWS access failure: missing permission iam:GetCredentialReport"]))
    assert "no drift" not in out and "INCOMPLETE" in out
    assert json.loads(render("json", [], ctx(errors=["x"])))["summary"]["complete"] is False
    assert json.loads(render("json", [], ctx()))["summary"]["complete"] is True


EVALUATED = [finding("IAM.19", "evaluated", address="aws_iam_user.jess", arn=f"arn:aws:iam::{ACCT}:user/jess",
                     id="jess", region=None, expected="MFA", actual="MFA active", severity="INFORMATIONAL",
                     message="IAM user jess: has an MFA device", compliance="PASSED")]


def test_evaluations_only_in_asff_and_json_with_the_flag_human_formats_count_them():
    table = render("table", FINDINGS, ctx(evaluated=EVALUATED))
    assert "jess" not in table and "1 passed evaluation(s) not listed" in table
    plain = json.loads(render("json", FINDINGS, ctx(evaluated=EVALUATED)))
    assert [f for f in plain["findings"] if f["kind"] == "evaluated"] == []
    assert plain["summary"]["passed_evaluations"] == 1 and plain["summary"]["total"] == 4
    full = json.loads(render("json", FINDINGS, ctx(evaluated=EVALUATED, include_passed=True)))
    [jess] = [f for f in full["findings"] if f["kind"] == "evaluated"]
    assert (jess["id"], jess["compliance"], jess["resource_type"]) == ("jess", "PASSED", "AwsIamUser")
    sarif = json.loads(render("sarif", FINDINGS, ctx(evaluated=EVALUATED)))["runs"][0]
    assert len(sarif["results"]) == 4 and sarif["properties"]["passedEvaluations"] == 1
    items = json.loads(render("asff", FINDINGS, ctx(evaluated=EVALUATED)))
    [asff_jess] = [i for i in items if i["ProductFields"]["mfaguard/kind"] == "evaluated"]
    assert asff_jess["Compliance"]["Status"] == "PASSED" and asff_jess["Title"].startswith("mfaguard evaluated:")
