"""Why the plan's MFA enforcement no longer holds live: one cause per desired source that enforced.

"policy enforce-mfa detached from group admins", "removed from group admins (which enforces MFA)
outside Terraform", "inline policy x on the user was changed live and no longer enforces MFA".
"""
from __future__ import annotations

from typing import Iterable

from mfaguard.drift.compare.iam_engines import Engines
from mfaguard.drift.model import InlinePolicy, User
from mfaguard.policy.model import bare_ref
from mfaguard.policy.coverage import Source


def _arns(refs: Iterable) -> list:
    return [bare_ref(r) for r in refs]


def explain_policy(engines: Engines, s: Source, live_refs: list, live_inline: list[InlinePolicy], where: str) -> str:
    if s.kind in ("managed", "boundary"):
        arn = engines.live_arn_of(s.key)
        if arn is None or arn not in _arns(live_refs):
            return f"{s.label} detached from {where}" + ("" if arn else " (or never created)")
        return f"{s.label} on {where} was changed live and no longer enforces MFA"
    for p in live_inline:
        if p.name == s.key:
            return f"{s.label} on {where} was changed live and no longer enforces MFA"
    return f"{s.label} removed from {where}"


def explain_user(engines: Engines, sources: Iterable[Source], lu: User, lost: frozenset) -> list[str]:
    causes: list[str] = []
    for s in sources:
        if not (s.verdict.enforced & lost):
            continue
        if s.via_group is not None:
            lg = engines.l.groups.get(s.via_group)
            if lg is None:
                cause = f"group {s.via_group} does not exist live"
            elif s.via_group not in lu.groups:
                cause = f"removed from group {s.via_group} (which enforces MFA) outside Terraform"
            else:
                cause = explain_policy(engines, s, lg.attached_policy_arns, lg.inline_policies, f"group {s.via_group}")
        elif s.kind == "boundary":
            boundary = [lu.permissions_boundary] if lu.permissions_boundary else []
            cause = explain_policy(engines, s, boundary, [], "the user (as its permissions boundary)")
        else:
            cause = explain_policy(engines, s, lu.attached_policy_arns, lu.inline_policies, "the user")
        if cause not in causes:
            causes.append(cause)
    return causes or ["its MFA-enforcing policies no longer enforce live"]


def explain_group(engines: Engines, sources: Iterable[Source], live_group, lost: frozenset) -> list[str]:
    causes: list[str] = []
    for s in sources:
        if s.verdict.enforced & lost:
            c = explain_policy(engines, s, live_group.attached_policy_arns, live_group.inline_policies, "the group")
            if c not in causes:
                causes.append(c)
    return causes
