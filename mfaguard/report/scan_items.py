"""ScanResult (Checkov records) -> report.model.Report.

Checkov records are read by attribute only (check_id, resource, file_abs_path,
file_line_range, details), so this module never imports Checkov.  A record's details are
split into the one-line reason and its fix: the IAM graph checks write "... Fix: <what>:\\n<HCL>",
the Python checks a "fix: <remediation>" line (their HCL is the catalogue's).
"""
from __future__ import annotations

import os
from typing import Any

from mfaguard.catalogue import CHECKS
from mfaguard.report.model import FAILED, UNKNOWN, Item, Report

NOT_APPLICABLE = "not applicable: "  # mfaguard.checks_support (not imported: it is the checks' side)
CANNOT_DECIDE = "cannot decide: "
UNKNOWN_WHY = ("the check could not resolve a value it needs (an unset variable, or a value "
               "known only after apply)")


def display_path(record: Any) -> str:
    """The record's file relative to the working directory (where CI annotations and reviewdog
    look for it), "/"-separated; absolute when it is outside the working directory."""
    path = str(getattr(record, "file_abs_path", "") or "")
    if path and os.path.isabs(path):
        rel = os.path.relpath(path)
        shown = path if rel.startswith("..") else rel
    else:
        shown = str(getattr(record, "repo_file_path", None) or getattr(record, "file_path", "") or path).lstrip("/")
    return shown.replace(os.sep, "/")


def caller_location(record: Any) -> str:
    """path:first-last of the root module's call that created the resource ("" when the
    resource is the root's own): which stack a finding in a shared module belongs to."""
    path = getattr(record, "caller_file_path", None)
    lines = list(getattr(record, "caller_file_line_range", None) or [])
    if not path:
        return ""
    return f"{str(path).lstrip('/')}:{lines[0]}-{lines[1]}" if len(lines) == 2 else str(path).lstrip("/")


def split_details(check_id: str, details: list[Any]) -> tuple[str, str | None, str | None]:
    """(one-line reason, fix intro, fix HCL) from a record's details."""
    lines = [str(d) for d in details or [] if str(d).strip()]
    reasons = [d for d in lines if not d.lower().startswith("fix: ")]
    text = " ".join(reasons)
    intro = fix = None
    padded = f" {text}"
    for marker in (" Fix: ", " Corrected statement:"):  # graph checks: "<reason> Fix: <what>:\n<HCL>"
        if marker in padded:
            text, _, rest = padded.partition(marker)
            head, _, hcl = rest.partition("\n")
            intro = head.strip().rstrip(":") or None  # "Corrected statement:" has none: the catalogue's below
            fix = hcl.strip("\n") or None
            break
    meta = CHECKS.get(check_id)
    if fix is None and meta is not None:
        intro, fix = intro or meta.remediation, meta.fix_hcl
    elif intro is None and meta is not None:
        intro = meta.remediation
    reason = " ".join(text.split())
    for prefix in (CANNOT_DECIDE,):
        if reason.startswith(prefix):
            reason = reason[len(prefix):]
    return reason, intro, fix


def _severity(record: Any) -> str:
    meta = CHECKS.get(record.check_id)
    if meta is not None:
        return meta.severity
    sev = getattr(record, "severity", None)
    return str(getattr(sev, "name", sev) or "UNKNOWN")


def item(record: Any, status: str, framework: str | None) -> Item:
    reason, intro, fix = split_details(record.check_id, list(getattr(record, "details", None) or []))
    lines = list(getattr(record, "file_line_range", None) or [])
    meta = CHECKS.get(record.check_id)
    not_applicable = status == UNKNOWN and reason.startswith(NOT_APPLICABLE)
    if status == UNKNOWN:
        intro = fix = None  # nothing to fix before it can be decided
        reason = reason or UNKNOWN_WHY
    resource = str(getattr(record, "resource_address", None) or record.resource)
    user = None
    if resource.split(".")[-2:-1] == ["aws_iam_user"] or resource.startswith("aws_iam_user."):
        user = resource
    return Item(
        status=status, check_id=record.check_id,
        title=meta.name if meta else str(getattr(record, "check_name", record.check_id)),
        severity=_severity(record), resource=resource, reason=reason or "(no message)",
        file=display_path(record) or None,
        start_line=int(lines[0]) if lines else None, end_line=int(lines[1]) if len(lines) > 1 else None,
        fix_intro=intro if status == FAILED else None, fix=fix if status == FAILED else None,
        not_applicable=not_applicable, framework=framework,
        help_url=meta.guideline if meta else getattr(record, "guideline", None), user=user,
        caller=caller_location(record) or None,
    )


def from_scan(result: Any, *, unknown_fails: bool = False, context: str = "") -> Report:
    report = Report(command="scan", unknown_fails=unknown_fails, context=context)
    for rep in result.reports:
        for record in rep.failed_checks:
            report.items.append(item(record, FAILED, rep.check_type))
        report.passed += len(rep.passed_checks)
        report.skipped += len(rep.skipped_checks)
    for check_type, records in result.unknown_by_type.items():
        for record in records:
            report.items.append(item(record, UNKNOWN, str(check_type)))
    report.errors = [str(e) for e in result.errors]
    return report
