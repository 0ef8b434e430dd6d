"""Every fixture's findings (verdict, message, fix HCL) equal its snapshot.json: `mfaguard scan`, plain Checkov on HCL and on the plan.

A difference fails with a unified diff of the snapshot. If the change is intended, run
`make snapshots` and review `git diff -- '*snapshot.json'` (docs/testing.md).
"""
from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import fixture_harness as fh
import snapshots

CASES = fh.cases()


@pytest.mark.parametrize("case", [pytest.param(c, id=fh.case_id(c)) for c in CASES])
def test_findings_match_snapshot(case: Path):
    path = case / snapshots.SNAPSHOT
    actual = snapshots.render(snapshots.snapshot(case))
    assert path.is_file(), f"{fh.case_id(case)}: no {snapshots.SNAPSHOT}; run `make snapshots` and review it"
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                            f"{fh.case_id(case)}/{snapshots.SNAPSHOT}", "current output", n=2))
        pytest.fail(f"what users read changed; if intended, run `make snapshots` and review the diff:\n{diff}",
                    pytrace=False)


def test_every_fixture_has_a_snapshot_and_no_stray_ones():
    with_expected = {c for c in CASES}
    snapshot_dirs = {p.parent for p in fh.FIXTURES.rglob(snapshots.SNAPSHOT)}
    assert snapshot_dirs == with_expected, (
        f"missing: {sorted(fh.case_id(c) for c in with_expected - snapshot_dirs)}, "
        f"stray: {sorted(fh.case_id(c) for c in snapshot_dirs - with_expected)}")
