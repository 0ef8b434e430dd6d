"""Managed policies themselves, desired against live: a policy the plan owns (``aws_iam_policy``)
or read at plan time (``data "aws_iam_policy"``) whose live default version no longer enforces
MFA where the plan's document did.

A baseline stack that owns the enforcing policy has no users of its own, and team stacks attach
the policy by ARN (judged as it is live): only this comparison says the policy itself changed,
reported by the stack that owns it.  A stack that read the document at plan time compares that
document with the live one.  Both documents are judged by the engine (document_verdict).
"""
from __future__ import annotations

from mfaguard.drift.compare.context import Context, paths_words as _paths
from mfaguard.drift.compare.iam_engines import Engines
from mfaguard.drift.model import ManagedPolicy
from mfaguard.policy.semantics import CONSOLE


def compare_policies(ctx: Context, engines: Engines) -> None:
    if "iam-details" in ctx.l.unread:
        return
    owned = set()
    for key, dp in ctx.d.policies.items():
        if dp.address is None:
            continue
        live = ctx.l.policies.get(engines.live_arn_of(key) or "")
        if live is not None:
            owned.add(live.arn)
            _compare(ctx, engines, dp, live, "owned")
    for arn, dp in ctx.d.read_policies.items():
        live = ctx.l.policies.get(engines.live_arn_of(arn) or "")
        if live is not None and live.arn not in owned:
            _compare(ctx, engines, dp, live, "read")


def _compare(ctx: Context, engines: Engines, dp: ManagedPolicy, live: ManagedPolicy, how: str) -> None:
    d_verdict = engines.desired.document_verdict(dp.document)
    l_verdict = engines.live.document_verdict(live.document)
    if d_verdict.unknown or not d_verdict.enforced:
        return  # the plan's document does not enforce (or is unknown): nothing it could lose
    who = f"IAM policy {live.name} ({dp.address})"
    if l_verdict.unknown:
        ctx.note(f"{who}: the live default version could not be judged: {l_verdict.unknown}")
        return
    lost = d_verdict.enforced - l_verdict.enforced
    for path in d_verdict.enforced & l_verdict.enforced:
        ctx.passed("IAM.5" if path == CONSOLE else "IAM.19", address=dp.address, arn=live.arn, id=live.name,
                   region=None, actual="MFA enforced on " + _paths(l_verdict.enforced),
                   message=f"{who}: its live default version enforces MFA on {_paths([path])}, as planned")
    if not lost:
        return
    why = "; ".join(l_verdict.problems[:2]) or "it has no MFA-enforcing Deny"
    fix = ("restore it with terraform apply (Terraform makes the configured document the default version "
           "again)" if how == "owned" else
           "the stack that owns the policy must restore it; this stack read the enforcing document at plan time "
           "and attaches a policy that no longer enforces")
    ctx.add("IAM.5" if CONSOLE in lost else "IAM.19", "drift", address=dp.address, arn=live.arn, id=live.name,
            region=None, expected="MFA enforced on " + _paths(d_verdict.enforced),
            actual="MFA enforced on " + _paths(l_verdict.enforced) if l_verdict.enforced else "no MFA enforcement",
            message=f"{who}: the live default version no longer enforces MFA on {_paths(lost)} ({why}) — the "
                    f"{'plan' if how == 'owned' else 'document read at plan time'} does; {fix}")
