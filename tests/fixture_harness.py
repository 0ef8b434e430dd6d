"""Run terraform_fixtures/ cases through plain Checkov, in process, and collect verdicts.

Used by tests/test_checks_fixtures.py (and free for any test to import):

    cases()                       every fixture folder that has an expected.yaml, sorted
    load_expected(case, runner)   {check_id: {"passed": set, "failed": set, "unknown": set}}
                                  for runner "scan" (`mfaguard scan` on the folder: the
                                  top-level sets, the verdicts Terraform's expansion implies),
                                  "hcl" (plain Checkov's HCL runner: a check's optional `hcl:`
                                  block overrides, key by key, where Checkov's HCL graph is
                                  weaker -- README lists those shapes) or "plan" (plain
                                  Checkov's plan runner on tfplan.json: `plan:` overrides)
    run_checkov(case, runner, check_ids)
                                  the same shape, as Checkov's HCL runner (on the folder) or
                                  plan runner (on tfplan.json) reports it with
                                  --external-checks-dir checks policies semantics
    run_records(case, runner)     the Checkov records themselves (details, severity, ...; the IAM
                                  graph checks' messages copied into `details` as mfaguard scan does):
                                  one cached in-process run per case x runner
    run_filtered(case, runner, checks)
                                  an uncached run with a `--check` filter (ids or severity)

Checkov's Report.add_record keeps only PASSED/FAILED/SKIPPED records; run_checkov wraps it
for the duration of one run so UNKNOWN records are captured too (Python and graph checks).
Addresses are Checkov's `record.resource`.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import os
from pathlib import Path
from typing import Iterable, Iterator

import yaml

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "terraform_fixtures"
EXTERNAL_DIRS = [str(REPO / "checks"), str(REPO / "policies")]
VERDICTS = ("passed", "failed", "unknown")
RUNNERS = ("hcl", "plan")  # plain Checkov's runners; "scan" is mfaguard's own (tests/test_checks_fixtures.py)
OVERRIDES = {"hcl": "hcl", "plan": "plan"}
PLAN_FILE = "tfplan.json"

Results = dict[str, dict[str, set[str]]]


def cases() -> list[Path]:
    if not FIXTURES.is_dir():
        return []
    # realworld/ holds public repositories with their own expected.yaml format (tests/test_realworld.py)
    return sorted(p.parent for p in FIXTURES.rglob("expected.yaml") if p.relative_to(FIXTURES).parts[0] != "realworld")


def case_id(case: Path) -> str:
    return case.relative_to(FIXTURES).as_posix()


def _as_set(value: object, where: str) -> set[str]:
    if value is None:
        return set()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of resource addresses, got {value!r}")
    return set(value)


def load_expected(case: Path, runner: str) -> Results:
    """The expected address sets for `runner` ("scan", "hcl" or "plan")."""
    path = case / "expected.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: top level must be a mapping of check id -> verdicts")
    out: Results = {}
    for check_id, spec in data.items():
        spec = spec or {}
        unknown_keys = set(spec) - set(VERDICTS) - set(OVERRIDES.values())
        if unknown_keys:
            raise ValueError(f"{path}: {check_id}: unknown keys {sorted(unknown_keys)}")
        sets = {v: _as_set(spec.get(v), f"{path}: {check_id}.{v}") for v in VERDICTS}
        key = OVERRIDES.get(runner)
        if key and spec.get(key):
            override = spec[key]
            bad = set(override) - set(VERDICTS)
            if bad:
                raise ValueError(f"{path}: {check_id}.{key}: unknown keys {sorted(bad)}")
            for v in VERDICTS:
                if v in override:
                    sets[v] = _as_set(override[v], f"{path}: {check_id}.{key}.{v}")
        out[str(check_id)] = sets
    return out


def has_plan(case: Path) -> bool:
    return (case / PLAN_FILE).is_file()


@contextlib.contextmanager
def capture_unknown() -> Iterator[list]:
    """While active, every UNKNOWN record given to any Report.add_record is appended to the list."""
    from checkov.common.models.enums import CheckResult
    from checkov.common.output.report import Report

    captured: list = []
    original = Report.add_record

    def add_record(self, record):  # type: ignore[no-untyped-def]
        if record.check_result.get("result") == CheckResult.UNKNOWN:
            captured.append(record)
        return original(self, record)

    Report.add_record = add_record  # type: ignore[method-assign]
    try:
        yield captured
    finally:
        Report.add_record = original  # type: ignore[method-assign]


def _quiet_checkov() -> None:
    logging.getLogger("checkov").setLevel(logging.ERROR)
    os.environ.setdefault("CHECKOV_RUN_SCA_PACKAGE_SCAN_V2", "false")


def run_filtered(case: Path, runner: str, checks: Iterable[str]) -> tuple[list, list, list]:
    """(passed, failed, unknown) Checkov records for one case and runner, uncached.

    `checks` is what `checkov --check` takes: check ids, or a severity such as "HIGH".
    """
    _quiet_checkov()
    from checkov.runner_filter import RunnerFilter

    checks = sorted(set(checks))
    if runner == "hcl":
        from checkov.terraform.runner import Runner

        framework, kwargs = "terraform", {"root_folder": str(case)}
    elif runner == "plan":
        from checkov.terraform.plan_runner import Runner  # type: ignore[assignment]

        framework, kwargs = "terraform_plan", {"root_folder": None, "files": [str(case / PLAN_FILE)]}
    else:
        raise ValueError(f"unknown runner {runner!r}")
    runner_filter = RunnerFilter(framework=[framework], checks=checks, show_progress_bar=False)
    with capture_unknown() as unknown:
        report = Runner().run(external_checks_dir=EXTERNAL_DIRS, runner_filter=runner_filter, **kwargs)
    if isinstance(report, list):  # only with the image referencer, which we never enable
        report = report[0]
    if report.parsing_errors:
        raise AssertionError(f"{case_id(case)} ({runner}): Checkov could not parse {report.parsing_errors}")
    _attach_graph_details(report.passed_checks + report.failed_checks + unknown)
    return report.passed_checks, report.failed_checks, unknown


def _attach_graph_details(records: list) -> None:
    """The IAM graph checks keep their message outside Checkov's record: copy it in right after
    the run (as `mfaguard scan` does), so a cached record keeps this run's message."""
    from mfaguard.checkov_adapter.details import details_for

    for rec in records:
        if not rec.details:
            rec.details = details_for(rec) or rec.details


def all_check_ids(case: Path) -> tuple[str, ...]:
    """mfaguard's catalogue ids plus any id the case's expected.yaml names."""
    from mfaguard.catalogue import CHECKS

    ids = set(CHECKS)
    if (case / "expected.yaml").is_file():
        ids |= set(load_expected(case, "hcl"))
    return tuple(sorted(ids))


@functools.lru_cache(maxsize=None)
def run_records(case: Path, runner: str) -> tuple[list, list, list]:
    """(passed, failed, unknown) records of every mfaguard check: one Checkov run per
    (case, runner) per session, shared by every test that asks."""
    return run_filtered(case, runner, all_check_ids(case))


def to_results(records: tuple[list, list, list], check_ids: Iterable[str]) -> Results:
    out: Results = {cid: {v: set() for v in VERDICTS} for cid in check_ids}
    for verdict, recs in zip(VERDICTS, records):
        for rec in recs:
            if rec.check_id in out:
                out[rec.check_id][verdict].add(rec.resource)
    return out


def run_checkov(case: Path, runner: str, check_ids: Iterable[str]) -> Results:
    """Address sets for `check_ids` (the run itself covers every mfaguard check and is cached)."""
    return to_results(run_records(case, runner), list(check_ids))


def diff(expected: Results, actual: Results) -> list[str]:
    """Human-readable differences, one line each (empty when equal)."""
    lines = []
    for cid in sorted(expected):
        for v in VERDICTS:
            exp, act = expected[cid][v], actual.get(cid, {}).get(v, set())
            if exp != act:
                missing, extra = sorted(exp - act), sorted(act - exp)
                lines.append(f"{cid} {v}: missing {missing} unexpected {extra}")
    return lines
