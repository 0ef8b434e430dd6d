"""Every terraform_fixtures/ folder with an expected.yaml, through Checkov's HCL and plan runners.

One test per folder x runner asserts the exact passed/failed/unknown address sets for each
check ID the folder's expected.yaml lists (format: terraform_fixtures/README.md). A second test
per folder x runner asserts that mfaguard's own scan engine gives the same sets.
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
    groups = [[r for r in found if str(r.file_path).endswith(".json") == (runner == "plan")]
              for found in (result.passed, result.failed, result.unknown)]
    return fh.to_results(tuple(groups), check_ids)


@pytest.mark.parametrize(("case", "runner"), PARAMS)
def test_engine_matches_checkov(case: Path, runner: str):
    if runner == "plan" and not fh.has_plan(case):
        pytest.skip("no tfplan.json (reported by test_checkov_verdicts)")
    expected = fh.load_expected(case, runner)
    engine = _engine_results(case, runner, expected)
    checkov = fh.run_checkov(case, runner, expected)
    assert fh.diff(checkov, engine) == [], f"{fh.case_id(case)} ({runner}): engine differs from plain Checkov"
