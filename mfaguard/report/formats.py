"""The reviewer formats, by name, for both commands (the CLIs call only these two functions)."""
from __future__ import annotations

from typing import Any

from mfaguard.report.model import Report

SCAN_FORMATS = ("markdown", "github", "rdjsonl", "gitlab_sast")
DRIFT_FORMATS = ("markdown", "github")


def render_report(report: Report, fmt: str, *, max_bytes: int | None = None) -> str:
    if fmt == "markdown":
        from mfaguard.report import markdown

        return markdown.render(report, max_bytes=max_bytes)
    if fmt == "github":
        from mfaguard.report import github

        return github.render(report)
    if fmt == "rdjsonl":
        from mfaguard.report import rdjsonl

        return rdjsonl.render(report)
    if fmt == "gitlab_sast":
        from datetime import datetime, timezone

        from mfaguard.report import gitlab

        return gitlab.render(report, datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S"))
    raise ValueError(f"unknown format {fmt!r}")


def render_scan(result: Any, fmt: str, *, unknown_fails: bool = False, max_bytes: int | None = None,
                context: str = "", notes: list[str] | None = None, iam_indexes: list | None = None) -> str:
    from mfaguard.report.model import FAILED, UNKNOWN
    from mfaguard.report.scan_items import from_scan

    report = from_scan(result, unknown_fails=unknown_fails, context=context)
    report.notes += list(notes or [])
    users = {i.user for i in report.items if i.user and (i.status == FAILED or (i.status == UNKNOWN and not i.not_applicable))}
    if fmt == "markdown" and iam_indexes and users:
        from mfaguard.report import graph
        from mfaguard.report.coverage import merge

        report.graph = graph.markdown_block(merge(iam_indexes), users)
    return render_report(report, fmt, max_bytes=max_bytes)


def render_drift(fmt: str, findings: list[Any], ctx: Any, *, max_bytes: int | None = None) -> str:
    from mfaguard.report.drift_items import from_drift

    report = from_drift(findings, ctx)
    picture = getattr(ctx, "coverage", None)  # report.coverage.Coverage of the live account, markdown only
    if fmt == "markdown" and picture is not None:
        report.graph = _picture_for_failing(report, picture)
    return render_report(report, fmt, max_bytes=max_bytes)


def _picture_for_failing(report: Report, picture: Any) -> str | None:
    """The coverage picture of the users that fail or are undecided (bounded by graph.markdown_block)."""
    from mfaguard.report import graph
    from mfaguard.report.model import FAILED, UNKNOWN

    users = {i.user for i in report.items
             if i.user and (i.status == FAILED or (i.status == UNKNOWN and not i.not_applicable))}
    return graph.markdown_block(picture, users) if users else None
