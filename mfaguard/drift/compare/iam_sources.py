"""Which policies reach an IAM user or group, on the desired side and live, and their verdicts.

``Sources`` resolves each attachment (inline policy, managed-policy ARN or address, group
membership) to a ``Source``: where it hangs, what it is, and the verdict of its document.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from mfaguard.drift.compare.context import Context
from mfaguard.drift.model import Group, InlinePolicy, User
from mfaguard.policy import semantics
from mfaguard.policy.semantics import ALL_PATHS, Verdict

_NOT_ENFORCING = Verdict()


def aws_managed(arn: str) -> bool:
    return ":iam::aws:policy/" in arn


@dataclass
class Source:
    """One policy that reaches a user: where it hangs, and what it is."""

    via_group: str | None  # group name, or None when attached to the user directly
    kind: str  # managed | inline
    key: str  # managed: ARN (or address on the desired side); inline: policy name
    label: str
    verdict: Verdict


def enforced(sources: list[Source]) -> tuple[frozenset, str | None]:
    cov = semantics.coverage(ALL_PATHS, [s.verdict for s in sources])
    return frozenset(ALL_PATHS - set(cov.open_paths)), cov.unknown


class Sources:
    """Policy resolution for one comparison (a verdict cache keyed by document)."""

    def __init__(self, ctx: Context) -> None:
        self.d = ctx.d
        self.l = ctx.l
        self._cache: dict[str, Verdict] = {}
        self.live_policy_by_name = {p.name: p for p in ctx.l.policies.values() if p.name}

    def verdict(self, document: dict | None) -> Verdict:
        if document is None:
            return semantics.evaluate(None)
        key = json.dumps(document, sort_keys=True, default=str)
        if key not in self._cache:
            self._cache[key] = semantics.evaluate(document)
        return self._cache[key]

    def _live_policy_verdict(self, arn: str) -> tuple[Verdict, str]:
        pol = self.l.policies.get(arn)
        label = pol.name if pol else arn.rsplit("/", 1)[-1]
        if pol is not None and pol.document is not None:
            return self.verdict(pol.document), label
        if aws_managed(arn):
            return _NOT_ENFORCING, label  # AWS-managed policies never deny on MFA
        return self.verdict(None), label

    def _desired_policy(self, ref: str):
        pol = self.d.policies.get(ref)
        if pol is None and ref.startswith("arn:"):
            for p in self.d.policies.values():
                if p.arn == ref:
                    return p
        return pol

    def _desired_policy_verdict(self, ref: str) -> tuple[Verdict, str]:
        pol = self._desired_policy(ref)
        if pol is not None:
            return self.verdict(pol.document), pol.name
        if ref.startswith("arn:"):  # attached by the plan, managed elsewhere: as it is live
            return self._live_policy_verdict(self.live_arn_of(ref) or ref)
        return self.verdict(None), ref

    def live_arn_of(self, ref: str) -> str | None:
        """The live ARN of a desired managed-policy reference (ARN or address).

        An ARN the account does not have (a plan written for another account ID, a policy
        re-created) falls back to the live customer-managed policy of the same name."""
        pol = self._desired_policy(ref)
        arn = ref if ref.startswith("arn:") else (pol.arn if pol is not None else None)
        if arn and (arn in self.l.policies or aws_managed(arn)):
            return arn
        name = pol.name if pol is not None else (arn.rsplit("/", 1)[-1] if arn else None)
        live = self.live_policy_by_name.get(name) if name else None
        return live.arn if live is not None else arn

    def _inline_sources(self, via: str | None, policies: list[InlinePolicy]) -> list[Source]:
        return [Source(via, "inline", p.name, f"inline policy {p.name}", self.verdict(p.document))
                for p in policies]

    def desired_sources(self, user: User) -> list[Source]:
        out = self._inline_sources(None, user.inline_policies)
        for ref in user.attached_policy_arns:
            v, label = self._desired_policy_verdict(ref)
            out.append(Source(None, "managed", ref, f"policy {label}", v))
        for gname in user.groups:
            g = self.d.groups.get(gname)
            if g is None or (g.address is None and not g.attached_policy_arns and not g.inline_policies):
                lg = self.l.groups.get(gname)  # a group the plan only references: as it is live
                out.extend(self.group_live_sources(lg) if lg else [])
                continue
            out.extend(self.group_desired_sources(g))
        return out

    def group_desired_sources(self, g: Group) -> list[Source]:
        out = self._inline_sources(g.name, g.inline_policies)
        for ref in g.attached_policy_arns:
            v, label = self._desired_policy_verdict(ref)
            out.append(Source(g.name, "managed", ref, f"policy {label}", v))
        return out

    def group_live_sources(self, g: Group) -> list[Source]:
        out = self._inline_sources(g.name, g.inline_policies)
        for arn in g.attached_policy_arns:
            v, label = self._live_policy_verdict(arn)
            out.append(Source(g.name, "managed", arn, f"policy {label}", v))
        return out

    def live_sources(self, user: User) -> list[Source]:
        out = self._inline_sources(None, user.inline_policies)
        for arn in user.attached_policy_arns:
            v, label = self._live_policy_verdict(arn)
            out.append(Source(None, "managed", arn, f"policy {label}", v))
        for gname in user.groups:
            g = self.l.groups.get(gname)
            if g is not None:
                out.extend(self.group_live_sources(g))
        return out + self.scp_sources()

    def scp_sources(self) -> list[Source]:
        """SCPs on a member account, its OUs and the root (live.scps is empty for a management account:
        SCPs do not apply there).  Judged by the same engine as every other document."""
        return [Source(None, "scp", a.policy_id, f"SCP {a.name} attached to {a.target}", self.verdict(a.document))
                for a in self.l.scps]

    def scp_enforcement(self) -> tuple[frozenset, str]:
        """(paths MFA-enforcing SCPs cover for every IAM user of this account, their labels)."""
        sources = [s for s in self.scp_sources() if s.verdict.enforced]
        if not sources:
            return frozenset(), ""
        paths, _ = enforced(sources)
        return paths, "; ".join(s.label for s in sources)
