"""Drift findings (mfaguard.drift.model.Finding) -> report.model.Report."""
from __future__ import annotations

from typing import Any

from mfaguard.catalogue import CONTROLS
from mfaguard.report.model import FAILED, NOTICE, UNKNOWN, Item, Report


def item(f: Any, plan: str | None, org: bool = False) -> Item:
    control = CONTROLS.get(f.control)
    status = {"FAILED": FAILED, "UNKNOWN": UNKNOWN}.get(f.compliance, NOTICE)
    resource = f.address or f.arn or f.id or "unknown"
    if org and getattr(f, "account_id", None):  # --org: several accounts in one report
        resource = f"account {f.account_id}: {resource}"
    user = None
    if (f.address or "").startswith("aws_iam_user.") or ":user/" in (f.arn or ""):
        user = resource
    return Item(
        status=status, check_id=f.control, title=control.title if control else f.control,
        severity=f.severity, resource=resource, reason=f.message,
        file=plan.replace("\\", "/") if plan else None,
        # drift messages already end with what to do ("... — restore it with terraform apply"): no second fix
        kind=f.kind, region=f.region, user=user,
    )


def from_drift(findings: list[Any], ctx: Any) -> Report:
    report = Report(command="drift", incomplete=bool(ctx.errors))
    org = getattr(ctx, "accounts", None) is not None
    report.items = [item(f, ctx.plan, org) for f in findings]
    report.errors = list(ctx.errors)
    report.notes = list(ctx.notes)
    regions = ", ".join(ctx.regions) or "-"
    report.context = f"account {ctx.account_id or 'unknown'}, regions {regions}, plan {ctx.plan or '-'}"
    return report
