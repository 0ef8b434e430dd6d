"""Baselines: accept today's findings, report only new ones.

    create(result, path)  -> number of entries written
    apply(result, path)   -> Outcome(absorbed, stale)   (removes baselined records from result)

An entry is keyed by check ID, file and resource address, the file relative to the baseline
file's folder (so the baseline works from any working directory), and for a resource a shared
module creates, the root module's file that calls it (`caller`): accepting the finding in
infra/staging does not hide the same module's finding in infra/prod.  An entry without
`caller` matches the finding from any caller.  A finding is absorbed only
by an entry with the same three: a new violation in another file is never absorbed by an old
entry with the same address (Checkov's baseline matches on the address alone).  Entries that
match nothing any more (fixed or moved) are returned as stale, so the file can shrink.
FAILED records and undecided UNKNOWNs are recorded; not-applicable UNKNOWNs are not findings.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from mfaguard.errors import InputError

VERSION = 1
NOT_APPLICABLE = "not applicable: "


@dataclass(frozen=True)
class Entry:
    check_id: str
    file: str  # relative to the baseline file's folder, "/"-separated
    resource: str
    caller: str = ""  # the calling root module's file, relative like `file`; "" for the root's own

    def describe(self) -> str:
        return f"{self.check_id} {self.resource} ({self.file}{', called from ' + self.caller if self.caller else ''})"


@dataclass
class Outcome:
    absorbed: int = 0
    stale: list[Entry] = field(default_factory=list)


def _entry(record: Any, base: str) -> Entry:
    path = os.path.abspath(str(record.file_abs_path))
    rel = os.path.relpath(path, base)
    caller = getattr(record, "caller_file_path", None)
    caller_rel = os.path.relpath(os.path.abspath(str(caller)), base).replace(os.sep, "/") if caller else ""
    return Entry(record.check_id, rel.replace(os.sep, "/"), str(record.resource), caller_rel)


def _findings(result: Any) -> list[tuple[Any, list]]:
    """(record, the list holding it) for every FAILED record and undecided UNKNOWN."""
    out = []
    for rep in result.reports:
        out += [(r, rep.failed_checks) for r in rep.failed_checks]
    for records in result.unknown_by_type.values():
        out += [(r, records) for r in records if not str((r.details or [""])[0]).startswith(NOT_APPLICABLE)]
    return out


def create(result: Any, path: str) -> int:
    base = os.path.dirname(os.path.abspath(path))
    entries = sorted({_entry(r, base) for r, _ in _findings(result)},
                     key=lambda e: (e.file, e.resource, e.check_id))
    doc = {"mfaguard_baseline": VERSION,
           "findings": [{"check_id": e.check_id, "file": e.file, "resource": e.resource,
                         **({"caller": e.caller} if e.caller else {})} for e in entries]}
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=2)
            fh.write("\n")
    except OSError as exc:
        raise InputError(path, f"--create-baseline: cannot write: {exc.strerror or exc}") from None
    return len(entries)


def load(path: str) -> set[Entry]:
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except OSError as exc:
        raise InputError(path, f"--baseline: cannot read: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise InputError(path, f"--baseline: not JSON: {exc}") from None
    if not isinstance(doc, dict) or doc.get("mfaguard_baseline") != VERSION or not isinstance(doc.get("findings"), list):
        raise InputError(path, "--baseline: not an mfaguard baseline (expected {\"mfaguard_baseline\": 1, "
                               "\"findings\": [...]}; create one with --create-baseline)")
    entries = set()
    for i, f in enumerate(doc["findings"]):
        if not isinstance(f, dict) or not all(isinstance(f.get(k), str) for k in ("check_id", "file", "resource")):
            raise InputError(path, f"--baseline: findings[{i}] needs string check_id, file and resource")
        if not isinstance(f.get("caller", ""), str):
            raise InputError(path, f"--baseline: findings[{i}].caller must be a string")
        entries.add(Entry(f["check_id"], f["file"], f["resource"], f.get("caller", "")))
    return entries


def apply(result: Any, path: str, checks_run: set[str] | None = None) -> Outcome:
    """Remove the baselined findings from `result`; entries of checks that did not run
    (deselected in .mfaguard.yaml) are not stale."""
    entries = load(path)
    base = os.path.dirname(os.path.abspath(path))
    outcome = Outcome()
    matched: set[Entry] = set()
    for record, holder in _findings(result):
        key = _entry(record, base)
        if key not in entries and key.caller:  # an entry naming no caller covers every caller
            key = Entry(key.check_id, key.file, key.resource)
        if key in entries:
            holder.remove(record)
            matched.add(key)
            outcome.absorbed += 1
    unmatched = {e for e in entries - matched if checks_run is None or e.check_id in checks_run}
    outcome.stale = sorted(unmatched, key=lambda e: (e.file, e.resource, e.check_id))
    return outcome
