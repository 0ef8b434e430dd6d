"""IAM groups, desired against live: a planned group that is missing, or no longer enforces MFA live.

A group's own policies (inline and attached) are its coverage, as the engine computes it for
CKV2_MFA_3; a lost path is IAM.5 drift when it is console sign-in, IAM.19 otherwise.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import Context, paths_words as _paths
from mfaguard.drift.compare.iam_engines import Engines, enforced
from mfaguard.drift.compare.iam_explain import explain_group
from mfaguard.drift.model import Group
from mfaguard.policy.semantics import ALL_PATHS, CONSOLE


def compare_groups(ctx: Context, engines: Engines) -> None:
    if "iam-details" in ctx.l.unread:
        return
    for dg in ctx.d.groups.values():
        if dg.address is not None:
            _compare_group(ctx, engines, dg)


def _live_group(ctx: Context, dg: Group) -> Group | None:
    """By ARN, then by unique id (a group renamed by hand keeps it), then by name."""
    lg = next((g for g in ctx.l.groups.values() if g.arn == dg.arn), None) if dg.arn else None
    if lg is None and dg.id:
        lg = next((g for g in ctx.l.groups.values() if g.id == dg.id), None)
    return lg or ctx.l.groups.get(dg.name)


def _renamed(ctx: Context, dg: Group, lg: Group, d_enf: frozenset, l_enf: frozenset) -> None:
    control = "IAM.5" if CONSOLE in d_enf or any(u.console for u in ctx.l.members(lg.name)) else "IAM.19"
    compliance = "PASSED" if d_enf <= l_enf else "FAILED"
    ctx.add(control, "drift", address=dg.address, arn=lg.arn, id=lg.name, region=None,
            expected=f"group named {dg.name}", actual=f"group named {lg.name} (unique id {lg.id})",
            compliance=compliance,
            message=f"IAM group {lg.name} ({dg.address}): renamed outside Terraform from {dg.name} (same unique id "
                    f"{lg.id}) — Terraform reads groups by name, so the next apply creates a new {dg.name} and "
                    f"leaves {lg.name} unmanaged with its members and policies; rename it back (aws iam update-group "
                    f"--group-name {lg.name} --new-group-name {dg.name}) or change the name in the configuration")


def _compare_group(ctx: Context, engines: Engines, dg: Group) -> None:
    lg = _live_group(ctx, dg)
    d_cov = engines.desired.group_coverage(dg.name, ALL_PATHS)
    d_enf, _ = enforced(d_cov)
    if lg is None:
        console_members = any(u.console for u in ctx.d.members(dg.name)) or any(
            u.console for u in ctx.l.members(dg.name))
        control = "IAM.5" if (CONSOLE in d_enf or console_members) else "IAM.19"
        ctx.add(control, "missing", address=dg.address, arn=dg.arn, id=dg.name, region=None,
                expected="present" + (f", enforcing MFA on {_paths(d_enf)}" if d_enf else ""), actual="absent",
                message=f"IAM group {dg.name} ({dg.address}): planned but not found live — deleted "
                        "outside Terraform or not applied yet; run terraform apply")
        return
    l_enf, l_unknown = enforced(engines.live.group_coverage(lg.name, ALL_PATHS))
    lost = d_enf - l_enf
    if lg.name != dg.name and not l_unknown:
        _renamed(ctx, dg, lg, d_enf, l_enf)
    who = f"IAM group {dg.name} ({dg.address})"
    for path in d_enf & l_enf:  # evaluated and held: ASFF turns an earlier drift finding PASSED
        ctx.passed("IAM.5" if path == CONSOLE else "IAM.19", address=dg.address, arn=lg.arn or dg.arn, id=dg.name,
                   region=None, actual="MFA enforced on " + _paths(l_enf),
                   message=f"{who}: enforces MFA on {_paths([path])} for its members, as planned")
    if not lost:
        return
    if l_unknown:
        ctx.note(f"{who}: live enforcement could not be decided: {l_unknown}")
        return
    causes = explain_group(engines, d_cov.sources, lg, lost)
    control = "IAM.5" if CONSOLE in lost else "IAM.19"
    ctx.add(control, "drift", address=dg.address, arn=lg.arn or dg.arn, id=dg.name, region=None,
            expected="MFA enforced on " + _paths(d_enf),
            actual="MFA enforced on " + _paths(l_enf) if l_enf else "no MFA enforcement",
            message=f"{who}: the plan enforces MFA on {_paths(lost)} for its members but live it does "
                    f"not — {'; '.join(causes)}; restore it with terraform apply")
