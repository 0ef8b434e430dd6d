"""Every terraform_fixtures/ folder with an expected.yaml, through Checkov's HCL and plan runners.

One test per folder x runner asserts the exact passed/failed/unknown address sets for each
check ID the folder's expected.yaml lists (format: tests/fixture_harness.py). A second test per
folder x runner asserts what `mfaguard scan` gives: on the folder the top-level sets (plain
Checkov's HCL runner may differ where its `hcl:` overrides say), on the plan the plan's.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import fixture_harness as fh

CASES = fh.cases()
PARAMS = [pytest.param(case, runner, id=f"{fh.case_id(case)}[{runner}]") for case in CASES for runner in fh.RUNNERS]


def test_there_are_fixtures():
    assert CASES, f"no expected.yaml under {fh.FIXTURES}"


def _checkov_results(case: Path, runner: str):
    if runner == "plan" and not fh.has_plan(case):
        pytest.fail(f"{fh.case_id(case)}: no {fh.PLAN_FILE} (every fixture folder needs one for the plan run)")
    expected = fh.load_expected(case, runner)
    return expected, fh.run_checkov(case, runner, expected)


@pytest.mark.parametrize(("case", "runner"), PARAMS)
def test_checkov_verdicts(case: Path, runner: str):
    expected, actual = _checkov_results(case, runner)
    problems = fh.diff(expected, actual)
    assert not problems, f"{fh.case_id(case)} ({runner} runner):\n  " + "\n  ".join(problems)


def _engine_results(case: Path, runner: str, check_ids):
    from mfaguard.scan import engine

    target = case if runner == "hcl" else case / fh.PLAN_FILE
    result = engine.scan([str(target)])
    assert not result.errors, f"engine input errors: {result.errors}"
    # A folder holds main.tf and tfplan.json: the engine scans both; compare like with like.
    check_type = "terraform" if runner == "hcl" else "terraform_plan"
    reports = [r for r in result.reports if r.check_type == check_type]
    groups = ([r for rep in reports for r in rep.passed_checks], [r for rep in reports for r in rep.failed_checks],
              result.unknown_by_type.get(check_type, []))
    return fh.to_results(groups, check_ids)


@pytest.mark.parametrize(("case", "runner"), PARAMS)
def test_engine_verdicts(case: Path, runner: str):
    """`mfaguard scan` on the folder gives expected.yaml's top level (what Terraform's expansion
    implies, docs/expand.md); on tfplan.json, what plain Checkov's plan runner gives."""
    if runner == "plan" and not fh.has_plan(case):
        pytest.skip("no tfplan.json (reported by test_checkov_verdicts)")
    expected = fh.load_expected(case, "scan" if runner == "hcl" else "plan")
    engine = _engine_results(case, runner, expected)
    problems = fh.diff(expected, engine)
    assert not problems, f"{fh.case_id(case)} (mfaguard scan, {runner}):\n  " + "\n  ".join(problems)
