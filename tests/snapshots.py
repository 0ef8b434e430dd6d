"""Snapshots of what users read, one file beside each fixture (cfn-lint keeps snapshot results so).

    terraform_fixtures/<CHECK_ID>/<case>/snapshot.json
        {"scan" | "hcl" | "plan": {check_id: [{"resource", "verdict", "details", "fix_hcl"}, ...]}}

"scan" is `mfaguard scan` on the fixture's HCL (the expanded path, docs/expand.md); "hcl" and
"plan" are plain Checkov's runners on the HCL and on tfplan.json with mfaguard's checks.

`details` are the finding's lines as Checkov (and `mfaguard scan`) show them; `fix_hcl` is the
HCL a FAILED finding offers: the catalogue's fix unless the details already carry a specific
one (the rule mfaguard.scan.render applies), else null.  Every mfaguard check that reports on
the fixture is included, so a changed message anywhere shows up.

    python tests/snapshots.py [CASE_DIR ...]     (make snapshots) rewrites the snapshot files
    tests/test_snapshots.py                      fails, with a diff, when output differs

A change of message is intended or not: re-run `make snapshots` and review `git diff`.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fixture_harness as fh  # noqa: E402

SNAPSHOT = "snapshot.json"
_VERDICTS = ("PASSED", "FAILED", "UNKNOWN")


def _fix_hcl(check_id: str, verdict: str, details: list[str]) -> str | None:
    from mfaguard.catalogue import CHECKS
    from mfaguard.scan.render import _has_hcl

    meta = CHECKS.get(check_id)
    if verdict != "FAILED" or meta is None or _has_hcl(" ".join(details)):
        return None
    return meta.fix_hcl


def _clean(text: str) -> str:
    return text.replace(str(fh.REPO), "<repo>")


def scan_records(case: Path) -> tuple[list, list, list]:
    """(passed, failed, unknown) of `mfaguard scan CASE` on its HCL: the expanded path, the
    messages a user of mfaguard reads (plain Checkov's HCL runner gives "hcl")."""
    import os

    from mfaguard.scan import engine

    here = os.getcwd()
    os.chdir(fh.REPO)  # messages show paths relative to the working directory: pin it
    try:
        result = engine.scan([str(case)])
    finally:
        os.chdir(here)
    reports = [r for r in result.reports if r.check_type == "terraform"]
    return ([r for rep in reports for r in rep.passed_checks], [r for rep in reports for r in rep.failed_checks],
            list(result.unknown_by_type.get("terraform", [])))


def runner_snapshot(case: Path, runner: str) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    records = scan_records(case) if runner == "scan" else fh.run_records(case, runner)
    for verdict, records in zip(_VERDICTS, records):
        for rec in records:
            details = [_clean(str(d)) for d in (rec.details or [])]
            out.setdefault(rec.check_id, []).append({
                "resource": rec.resource, "verdict": verdict, "details": details,
                "fix_hcl": _fix_hcl(rec.check_id, verdict, details),
            })
    for entries in out.values():
        entries.sort(key=lambda e: (e["resource"], e["verdict"], e["details"]))
    return dict(sorted(out.items()))


def snapshot(case: Path) -> dict[str, Any]:
    runners = ["scan", *(r for r in fh.RUNNERS if r == "hcl" or fh.has_plan(case))]
    return {runner: runner_snapshot(case, runner) for runner in runners}


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=False) + "\n"


def write(case: Path) -> bool:
    """Rewrite the case's snapshot; True when it changed."""
    path = case / SNAPSHOT
    text = render(snapshot(case))
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if text != old:
        path.write_text(text, encoding="utf-8")
    return text != old


def main(argv: list[str]) -> int:
    cases = [Path(a).resolve() for a in argv] or fh.cases()
    changed = [fh.case_id(c) for c in cases if write(c)]
    for name in changed:
        print(f"rewrote {name}/{SNAPSHOT}")
    print(f"{len(cases)} snapshots, {len(changed)} changed: review them with `git diff -- '*{SNAPSHOT}'`")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
