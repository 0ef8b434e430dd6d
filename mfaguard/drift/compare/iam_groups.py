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
    lg = next((g for g in ctx.l.groups.values() if g.arn == dg.arn), None) if dg.arn else None
    return lg or ctx.l.groups.get(dg.name)


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
    if not lost:
        return
    who = f"IAM group {dg.name} ({dg.address})"
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
