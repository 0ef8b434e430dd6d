"""Plan JSON is prefiltered like HCL (issue 7 §3): only the resources a check can read reach
Checkov, every kept resource keeps its lines, verdicts are those of the unfiltered plan."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mfaguard.scan.planfilter import PlanError, filter_plan_text, validate

REPO = Path(__file__).resolve().parent.parent
PLANS = sorted(p for p in (REPO / "terraform_fixtures").rglob("tfplan.json"))


def _bucket(i: int, module: str = "") -> dict:
    return {"address": f"{module}aws_s3_bucket.b{i}", "mode": "managed", "type": "aws_s3_bucket", "name": f"b{i}",
            "values": {"bucket": f"b{i}", "tags": {"k": "}]{[\"\\"}}}


def _pad(doc: dict, n: int = 30) -> dict:
    """The plan plus n unrelated buckets in planned_values, resource_changes and configuration."""
    doc = json.loads(json.dumps(doc))
    buckets = [_bucket(i) for i in range(n)]
    root = doc.setdefault("planned_values", {}).setdefault("root_module", {})
    root["resources"] = buckets[: n // 2] + root.get("resources", []) + buckets[n // 2:]
    doc.setdefault("resource_changes", [])[:0] = [
        {"address": b["address"], "mode": "managed", "type": b["type"], "name": b["name"],
         "change": {"actions": ["create"], "before": None, "after": b["values"]}} for b in buckets]
    conf = doc.setdefault("configuration", {}).setdefault("root_module", {})
    conf.setdefault("resources", []).extend(
        {"address": b["address"], "mode": "managed", "type": b["type"], "name": b["name"],
         "expressions": {"bucket": {"constant_value": b["name"]}}} for b in buckets)
    return doc


def _verdicts(result) -> set:
    out = {(r.check_id, r.resource, "PASSED", tuple(r.file_line_range)) for r in result.passed}
    out |= {(r.check_id, r.resource, "FAILED", tuple(r.file_line_range)) for r in result.failed}
    out |= {(r.check_id, r.resource, "UNKNOWN", tuple(r.file_line_range)) for r in result.unknown}
    return out


def test_filtered_text_is_valid_json_with_the_same_lines():
    doc = _pad(json.loads(PLANS[0].read_text()))
    text = json.dumps(doc, indent=2)
    relevant = frozenset({"aws_iam_user", "aws_cognito_user_pool"})
    out, top, seen, kept = filter_plan_text(text, relevant)
    assert out.count("\n") == text.count("\n")
    filtered = json.loads(out)
    types = {r["type"] for r in filtered["planned_values"]["root_module"]["resources"]}
    assert "aws_s3_bucket" not in types and seen > kept
    assert top["format_version"] == doc["format_version"]


def test_a_resource_referenced_by_a_kept_block_is_kept():
    doc = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p", "values": {}},
        _bucket(1), _bucket(2)]}},
        "configuration": {"root_module": {"resources": [
            {"address": "aws_iam_policy.p", "mode": "managed", "type": "aws_iam_policy", "name": "p",
             "expressions": {"policy": {"references": ["aws_s3_bucket.b1.arn", "aws_s3_bucket.b1"]}}}]}}}
    out, *_ = filter_plan_text(json.dumps(doc, indent=1), frozenset({"aws_iam_policy"}))
    names = [r["name"] for r in json.loads(out)["planned_values"]["root_module"]["resources"]]
    assert names == ["p", "b1"]


@pytest.mark.parametrize("plan", PLANS, ids=lambda p: str(p.parent.relative_to(REPO / "terraform_fixtures")))
def test_prefiltered_plan_gives_the_verdicts_and_lines_of_the_whole_plan(plan, tmp_path):
    from mfaguard.scan.engine import scan

    padded = tmp_path / "tfplan.json"
    padded.write_text(json.dumps(_pad(json.loads(plan.read_text())), indent=2))
    filtered = scan([str(padded)])
    whole = scan([str(padded)], prefilter=False)
    assert filtered.errors == [] and whole.errors == []
    assert _verdicts(filtered) == _verdicts(whole)
    assert filtered.stats["resources_kept"] < filtered.stats["resources_seen"]


@pytest.mark.parametrize("doc, message", [
    ({"format_version": "1.2", "resource_changes": []}, "resource_changes but no planned_values"),
    ({"format_version": "1.0", "values": {"root_module": {}}}, "a Terraform state with no resources"),
    ({"format_version": "1.0", "values": {"root_module": {"resources": [{"type": "x"}]}}}, "is a Terraform state"),
    ({"format_version": "9.0", "planned_values": {}}, "unsupported plan format_version '9.0'"),
    ({"format_version": "1.2", "planned_values": {}}, "no terraform_version"),
])
def test_plans_checkov_would_read_as_nothing_are_refused(doc, message):
    _out, top, *_ = filter_plan_text(json.dumps(doc), None)
    with pytest.raises(PlanError, match=message):
        validate(top)


def test_two_plans_reusing_addresses_are_judged_independently(tmp_path):
    """Issue 12: `mfaguard scan a.json b.json` gives each plan's own verdicts."""
    from mfaguard.scan.engine import scan

    def plan(mode: str) -> dict:
        pool = {"address": "aws_cognito_user_pool.p", "mode": "managed", "type": "aws_cognito_user_pool",
                "name": "p", "values": {"name": "p", "mfa_configuration": mode}}
        return {"format_version": "1.2", "terraform_version": "1.9.0",
                "planned_values": {"root_module": {"resources": [pool]}}}

    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(plan("ON")))
    b.write_text(json.dumps(plan("OFF")))
    both = scan([str(a), str(b)])
    got = {(r.check_id, r.file_abs_path, v) for v, rs in (("P", both.passed), ("F", both.failed)) for r in rs
           if r.check_id == "CKV_MFA_1"}
    assert got == {("CKV_MFA_1", str(a), "P"), ("CKV_MFA_1", str(b), "F")}
