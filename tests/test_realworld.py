"""terraform_fixtures/realworld/: public Terraform that nobody here wrote, scanned as a user would.

Each folder under realworld/ is one public repository (a trimmed copy with its LICENSE and a
SOURCE file naming the commit). Its expected.yaml lists, per root module scanned (a folder
Terraform would run), the verdict each check should give each resource, read from the HCL
against AWS's rules, not recorded from mfaguard's output. Format: terraform_fixtures/realworld/
README.md. Three kinds of test:

- test_verdict: one per (root, resource, check): `mfaguard scan ROOT --format json`, in process,
  gives that verdict (`absent`: no record at all). A case mfaguard gets wrong today because of a
  known gap carries `xfail: <reason naming the issue>` (or `bug: <reason>` where no issue covers
  it) and is xfail(strict=True): it turns into an error the day it is fixed.
- test_nothing_unlisted: every (resource, check) the scan reports is listed (no phantom users,
  no unreviewed verdicts), for the checks the corpus was reviewed for (REVIEWED).
- test_exit_code: exit 1 when a listed verdict is `failed`, 0 otherwise (no --unknown-fails).
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mfaguard.cli import main

REALWORLD = Path(__file__).resolve().parent.parent / "terraform_fixtures" / "realworld"
VERDICTS = ("passed", "failed", "unknown", "absent")
# The checks the corpus was reviewed for: test_nothing_unlisted holds only these to account, so a
# check added to the catalogue later is not a failure here until someone reads the corpus for it.
REVIEWED = frozenset({"CKV_MFA_1", "CKV_MFA_2", "CKV_MFA_3", "CKV_MFA_4", "CKV_MFA_5", "CKV_MFA_6",
                      "CKV2_MFA_1", "CKV2_MFA_2", "CKV2_MFA_3"})
MARK_KEYS = ("xfail", "bug")


@dataclass(frozen=True)
class Case:
    source: str     # folder under realworld/
    root: str       # root module, relative to the source folder
    resource: str   # address as mfaguard reports it
    check: str
    expect: str
    why_wrong: str  # reason mfaguard gets it wrong today ("" when it should pass)


def sources() -> list[Path]:
    return sorted(p.parent for p in REALWORLD.glob("*/expected.yaml"))


def _entry(spec: object, where: str) -> tuple[str, str]:
    if isinstance(spec, str):
        expect, reason = spec, ""
    elif isinstance(spec, dict) and set(spec) <= {"expect", *MARK_KEYS} and len(set(spec) & set(MARK_KEYS)) == 1:
        expect = spec.get("expect")
        kind = next(k for k in MARK_KEYS if k in spec)
        reason = f"{'known gap' if kind == 'xfail' else 'BUG, no issue'}: {spec[kind]}"
    else:
        raise ValueError(f"{where}: a verdict or {{expect: ..., xfail|bug: reason}}, got {spec!r}")
    if expect not in VERDICTS:
        raise ValueError(f"{where}: verdict must be one of {VERDICTS}, got {expect!r}")
    return expect, reason


def load(source: Path) -> tuple[dict[str, dict], list[Case]]:
    """(roots: {root: why its exit code is wrong today, or ""}, cases) of one source's expected.yaml."""
    path = source / "expected.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    roots, cases = {}, []
    for root, spec in (data.get("roots") or {}).items():
        if not (source / root).is_dir():
            raise ValueError(f"{path}: root {root!r} is not a folder")
        spec = spec or {}
        if spec.get("exit_xfail") and spec.get("exit_bug"):
            raise ValueError(f"{path}: {root}: exit_xfail or exit_bug, not both")
        roots[root] = (f"known gap: {spec['exit_xfail']}" if spec.get("exit_xfail")
                       else f"BUG, no issue: {spec['exit_bug']}" if spec.get("exit_bug") else "")
        for resource, checks in (spec.get("resources") or {}).items():
            for check, verdict in (checks or {}).items():
                expect, reason = _entry(verdict, f"{path}: {root}: {resource}: {check}")
                cases.append(Case(source.name, root, resource, check, expect, reason))
    if not roots:
        raise ValueError(f"{path}: no roots")
    return roots, cases


@functools.lru_cache(maxsize=None)
def scan(root: Path) -> tuple[int, dict[tuple[str, str], str]]:
    """(exit code, {(resource, check): verdict}) of `mfaguard scan ROOT --format json`."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        rc = main(["scan", str(root), "--format", "json"])
    reports = json.loads(out.getvalue())
    verdicts: dict[tuple[str, str], str] = {}
    for report in reports if isinstance(reports, list) else [reports]:
        for verdict in ("passed", "failed", "unknown"):
            for rec in report["results"].get(f"{verdict}_checks", []):
                key = (rec["resource"], rec["check_id"])
                assert verdicts.get(key, verdict) == verdict, f"{key} reported both {verdicts[key]} and {verdict}"
                verdicts[key] = verdict
    return rc, verdicts


SOURCES = sources()
LOADED = {s.name: load(s) for s in SOURCES}


def _case_params():
    for source in SOURCES:
        for case in LOADED[source.name][1]:
            marks = [pytest.mark.xfail(strict=True, reason=case.why_wrong)] if case.why_wrong else []
            yield pytest.param(case, marks=marks, id=f"{case.source}/{case.root}:{case.resource}:{case.check}")


def _root_params(with_exit_marks: bool = False):
    for source in SOURCES:
        for root, exit_why in LOADED[source.name][0].items():
            marks = []
            if with_exit_marks and exit_why:
                marks = [pytest.mark.xfail(strict=True, reason=exit_why)]
            yield pytest.param(source.name, root, marks=marks, id=f"{source.name}/{root}")


def test_the_corpus_has_ten_repositories_each_with_licence_and_commit():
    assert len(SOURCES) >= 10, [s.name for s in SOURCES]
    for source in SOURCES:
        assert (source / "LICENSE").is_file(), f"{source.name}: no LICENSE"
        text = (source / "SOURCE").read_text(encoding="utf-8")
        assert re.search(r"^repository: https://github\.com/\S+$", text, re.M), f"{source.name}/SOURCE: no repository"
        assert re.search(r"^commit: [0-9a-f]{40}$", text, re.M), f"{source.name}/SOURCE: no 40-hex commit"
        assert re.search(r"^licen[cs]e: \S+", text, re.M), f"{source.name}/SOURCE: no licence"


@pytest.mark.parametrize("case", list(_case_params()))
def test_verdict(case: Case):
    _, verdicts = scan(REALWORLD / case.source / case.root)
    actual = verdicts.get((case.resource, case.check), "absent")
    assert actual == case.expect, f"{case.check} on {case.resource}: expected {case.expect}, mfaguard says {actual}"


@pytest.mark.parametrize(("source", "root"), list(_root_params()))
def test_nothing_unlisted(source: str, root: str):
    listed = {(c.resource, c.check) for c in LOADED[source][1] if c.root == root}
    _, verdicts = scan(REALWORLD / source / root)
    unlisted = sorted(f"{r} {c}: {v}" for (r, c), v in verdicts.items() if c in REVIEWED and (r, c) not in listed)
    assert not unlisted, f"{source}/{root}: verdicts nobody reviewed (add them to expected.yaml):\n  " + "\n  ".join(unlisted)


@pytest.mark.parametrize(("source", "root"), list(_root_params(with_exit_marks=True)))
def test_exit_code(source: str, root: str):
    expected = 1 if any(c.expect == "failed" for c in LOADED[source][1] if c.root == root) else 0
    rc, _ = scan(REALWORLD / source / root)
    assert rc == expected, f"{source}/{root}: exit {rc}, expected {expected}"
