"""The team's configuration file: `.mfaguard.yaml`, found upward from the scanned path (up to
the repository root, the folder holding .git), or given with `--config FILE`.

    checks: [CKV_MFA_1, CKV2_MFA_1]        # run only these (default: every check)
    skip_checks: [CKV_MFA_3]               # never these
    unknown_fails: true                    # an undecided UNKNOWN fails the run (as --unknown-fails)
    accept_optional_mfa:                   # Cognito pools where OPTIONAL MFA is a team decision
      - pool: aws_cognito_user_pool.customers
        reason: customers opt in to MFA; fraud monitoring covers the rest
    accept_notaction:                      # extra NotAction exemptions the team accepts
      - action: iam:ListUsers
        reason: the self-service portal lists colleagues before MFA enrolment

AWS's rule is silent on OPTIONAL MFA (Cognito.5 fails it); accepting it for a named pool turns
that pool's CKV_MFA_1 failure into a pass whose reason is printed with the result.  An accepted
NotAction entry is no longer a hole in an enforcement policy; the reason is printed too.
Any other key, a wrong type, an unknown check ID or a missing reason is an exit-2 error
naming the key.

`mfaguard drift --config FILE` (or the .mfaguard.yaml above the plan file) reads the same file:
checks/skip_checks select the controls their checks judge (catalogue.Control.check; root's
IAM.9/IAM.6 always run), an accepted pool's live OPTIONAL MFA is no Cognito.5 non-compliance (a
change from the plan stays drift), accept_notaction applies to live policies, and
unknown_fails makes an undecided control (a note) fail the run.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from mfaguard.catalogue import CHECKS
from mfaguard.errors import InputError

NAMES = (".mfaguard.yaml", ".mfaguard.yml")
KEYS = ("checks", "skip_checks", "unknown_fails", "accept_optional_mfa", "accept_notaction")


@dataclass
class Config:
    path: str | None = None
    checks: list[str] | None = None
    skip_checks: list[str] = field(default_factory=list)
    unknown_fails: bool | None = None
    accept_optional_mfa: dict[str, str] = field(default_factory=dict)  # pool address -> reason
    accept_notaction: dict[str, str] = field(default_factory=dict)  # action -> reason

    def selected(self) -> set[str]:
        chosen = set(self.checks) if self.checks is not None else set(CHECKS)
        return chosen - set(self.skip_checks)


def find(paths: list[str]) -> str | None:
    """The nearest .mfaguard.yaml above the scanned paths, stopping at the repository root."""
    dirs = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(p) or ".") for p in paths]
    try:
        here = os.path.commonpath(dirs) if dirs else os.getcwd()
    except ValueError:
        here = dirs[0]
    while True:
        for name in NAMES:
            candidate = os.path.join(here, name)
            if os.path.isfile(candidate):
                return candidate
        parent = os.path.dirname(here)
        if os.path.isdir(os.path.join(here, ".git")) or parent == here:
            return None
        here = parent


def _check_ids(path: str, key: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(path, f"{key}: expected a list of check IDs")
    unknown = [v for v in value if v not in CHECKS]
    if unknown:
        raise InputError(path, f"{key}: unknown check ID {unknown[0]!r} (known: {', '.join(sorted(CHECKS))})")
    return list(value)


def _reasoned(path: str, key: str, value: Any, name: str) -> dict[str, str]:
    if not isinstance(value, list):
        raise InputError(path, f"{key}: expected a list of {{{name}: ..., reason: ...}}")
    out = {}
    for i, entry in enumerate(value):
        where = f"{key}[{i}]"
        if not isinstance(entry, dict):
            raise InputError(path, f"{where}: expected {{{name}: ..., reason: ...}}")
        extra = sorted(set(entry) - {name, "reason"})
        if extra:
            raise InputError(path, f"{where}.{extra[0]}: unknown key (expected {name} and reason)")
        if not isinstance(entry.get(name), str) or not entry[name].strip():
            raise InputError(path, f"{where}.{name}: missing")
        if not isinstance(entry.get("reason"), str) or not entry["reason"].strip():
            raise InputError(path, f"{where}.reason: missing (say why the team accepts it; it is printed)")
        out[entry[name].strip()] = " ".join(entry["reason"].split())
    return out


def load(path: str) -> Config:
    import yaml

    try:
        with open(path, encoding="utf-8") as fh:
            doc = yaml.safe_load(fh)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InputError(path, f"not valid YAML{where}") from None
    if doc is None:
        return Config(path=path)
    if not isinstance(doc, dict):
        raise InputError(path, "expected a mapping of settings")
    for key in doc:
        if key not in KEYS:
            raise InputError(path, f"{key}: unknown key (expected one of {', '.join(KEYS)})")
    cfg = Config(path=path)
    if "checks" in doc:
        cfg.checks = _check_ids(path, "checks", doc["checks"])
    if "skip_checks" in doc:
        cfg.skip_checks = _check_ids(path, "skip_checks", doc["skip_checks"])
    if "unknown_fails" in doc:
        if not isinstance(doc["unknown_fails"], bool):
            raise InputError(path, "unknown_fails: expected true or false")
        cfg.unknown_fails = doc["unknown_fails"]
    if "accept_optional_mfa" in doc:
        cfg.accept_optional_mfa = _reasoned(path, "accept_optional_mfa", doc["accept_optional_mfa"], "pool")
    if "accept_notaction" in doc:
        cfg.accept_notaction = _reasoned(path, "accept_notaction", doc["accept_notaction"], "action")
    return cfg


def for_scan(paths: list[str], explicit: str | None) -> Config:
    if explicit:
        return load(explicit)
    found = find(paths)
    return load(found) if found else Config()


def _records(result: Any) -> list[tuple[Any, list]]:
    out = []
    for rep in result.reports:
        for holder in (rep.passed_checks, rep.failed_checks, rep.skipped_checks):
            out += [(r, holder) for r in holder]
    for records in result.unknown_by_type.values():
        out += [(r, records) for r in records]
    return out


def before_scan(cfg: Config) -> None:
    """Settings the engine must know while it judges (accepted NotAction exemptions)."""
    from mfaguard.policy import semantics

    semantics.accept_notaction(cfg.accept_notaction)


def after_scan(result: Any, cfg: Config) -> list[str]:
    """Apply the configuration to a finished scan; return the notes to print with the results."""
    notes: list[str] = []
    name = os.path.relpath(cfg.path) if cfg.path else ".mfaguard.yaml"
    selected = cfg.selected()
    for record, holder in _records(result):
        if record.check_id not in selected:
            holder.remove(record)
    for rep in result.reports:
        for record in list(rep.failed_checks):
            reason = cfg.accept_optional_mfa.get(str(record.resource))
            details = " ".join(str(d) for d in record.details or [])
            if record.check_id == "CKV_MFA_1" and reason and "OPTIONAL" in details.split(":")[0]:
                rep.failed_checks.remove(record)
                record.check_result["result"] = type(record.check_result["result"])["PASSED"]
                record.details = [f"mfa_configuration is OPTIONAL, accepted by {name}: {reason}"]
                rep.passed_checks.append(record)
                notes.append(f"{record.resource}: OPTIONAL MFA accepted by {name}: {reason}")
    for action, reason in cfg.accept_notaction.items():  # said whether or not a policy uses it:
        # the scan's units may run in worker processes, where the engine records its use
        notes.append(f"NotAction exemption {action} accepted by {name} (not counted as a hole): {reason}")
    if cfg.checks is not None or cfg.skip_checks:
        notes.append(f"checks run ({name}): {', '.join(sorted(selected))}")
    return notes


def for_drift(plan: str | None, explicit: str | None) -> Config:
    if explicit:
        return load(explicit)
    found = find([plan]) if plan else None
    return load(found) if found else Config()


def after_drift(findings: list, notes: list[str], cfg: Config) -> tuple[list, list[str]]:
    """Apply the configuration to drift's findings: (the findings kept, the notes to print)."""
    from mfaguard.catalogue import CONTROLS

    name = os.path.relpath(cfg.path) if cfg.path else ".mfaguard.yaml"
    selected = cfg.selected()
    kept, out = [], []
    for f in findings:
        check = CONTROLS[f.control].check if f.control in CONTROLS else None
        if check and check not in selected:
            continue
        reason = cfg.accept_optional_mfa.get(f.address or "")
        if (reason and f.control == "Cognito.5" and f.kind in ("noncompliant", "unmanaged")
                and str(f.actual).upper() == "OPTIONAL"):
            out.append(f"{f.address}: OPTIONAL MFA accepted by {name}: {reason}")
            continue
        kept.append(f)
    for action, reason in cfg.accept_notaction.items():
        out.append(f"NotAction exemption {action} accepted by {name} (not counted as a hole): {reason}")
    if cfg.checks is not None or cfg.skip_checks:
        run = sorted(c.id for c in CONTROLS.values() if c.check is None or c.check in selected)
        out.append(f"controls judged ({name}): {', '.join(run)}")
    return kept, list(notes) + out
