"""Every terraform_fixtures/ folder through the expander and Checkov's plan runner
(mfaguard.expand.checkov_run.run_root): the verdicts must be expected.yaml's top-level sets,
what Terraform's expansion implies (plain Checkov's HCL runner may differ: `hcl:` overrides).
Records must point at the HCL block of their instance."""
from __future__ import annotations

from pathlib import Path

import pytest

import fixture_harness as fh

CASES = fh.cases()


def _run(case: Path):
    from checkov.runner_filter import RunnerFilter

    from mfaguard.expand.checkov_run import run_root

    ids = fh.all_check_ids(case)
    runner_filter = RunnerFilter(framework=["terraform_plan"], checks=list(ids), show_progress_bar=False)
    run = run_root(str(case), fh.EXTERNAL_DIRS, runner_filter)
    assert run is not None, f"{fh.case_id(case)}: the expander fell back to Checkov's HCL runner"
    return run


@pytest.mark.parametrize("case", CASES, ids=[fh.case_id(c) for c in CASES])
def test_expanded_verdicts(case: Path):
    run = _run(case)
    expected = fh.load_expected(case, "scan")
    actual = fh.to_results((run.report.passed_checks, run.report.failed_checks, run.unknown), expected)
    problems = fh.diff(expected, actual)
    assert not problems, f"{fh.case_id(case)} (expanded):\n  " + "\n  ".join(problems)
    for record in run.report.get_all_records() + run.unknown:
        path = Path(record.file_abs_path)
        assert path.suffix in (".tf", ".json", ".tofu") and path.is_file(), record.file_abs_path
        start, end = record.file_line_range
        assert record.code_block and record.code_block[0][0] == start and record.code_block[-1][0] <= end
        assert "${unknown_" not in " ".join(record.details or []), record.details
