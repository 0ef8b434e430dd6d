"""--format github: GitHub Actions workflow commands, so any job shows the findings as
annotations on the changed lines, without code scanning.

    ::error file=iam.tf,line=40,endLine=52,title=CKV2_MFA_1 (HIGH) aws_iam_user.jess::<reason>%0A%0AFix: ...

FAILED findings are `error`s (most severe first: GitHub shows at most 10 of each level per step,
50 per job), undecided UNKNOWNs `warning`s; not-applicable UNKNOWNs are not annotated.  Every
property and the message are escaped as @actions/core does (mfaguard.report.escape), so a
crafted resource or file name cannot end the command or start another.  The last line is the
verdict, as plain text (it holds counts only).
"""
from __future__ import annotations

from mfaguard.report.escape import gh_data, gh_property, one_line
from mfaguard.report.model import FAILED, NOTICE, UNKNOWN, Item, Report

_LEVEL = {FAILED: "error", UNKNOWN: "warning", NOTICE: "notice"}


def _message(item: Item) -> str:
    parts = [one_line(item.reason)]
    if item.kind:
        parts[0] = f"[{item.kind}{', ' + item.region if item.region else ''}] {parts[0]}"
    if item.caller:  # a shared module's file: which root module's call this finding belongs to
        parts[0] += f" (called from {item.caller})"
    if item.fix_intro or item.fix:
        fix = "Fix: " + one_line(item.fix_intro or "")
        if item.fix:
            fix += "\n" + item.fix.strip("\n")
        parts.append(fix)
    return "\n\n".join(parts)


def command(item: Item) -> str:
    props = []
    if item.file:
        props.append(f"file={gh_property(item.file)}")
        if item.start_line:
            props.append(f"line={item.start_line}")
            if item.end_line and item.end_line != item.start_line:
                props.append(f"endLine={item.end_line}")
    props.append(f"title={gh_property(f'{item.check_id} ({item.severity}) {one_line(item.resource)}')}")
    return f"::{_LEVEL[item.status]} {','.join(props)}::{gh_data(_message(item))}"


def render(report: Report) -> str:
    lines = [command(i) for i in report.sorted_items() if not i.not_applicable]
    title = "mfaguard scan - bad input" if report.command == "scan" else "mfaguard drift - AWS access"
    for err in report.errors:
        lines.append(f"::error title={gh_property(title)}::{gh_data(one_line(err))}")
    lines.append(report.verdict())
    return "\n".join(lines) + "\n"
