"""The engine over each side of an IAM comparison: desired (plan/state) and live.

Both sides are the engine's Principals model (mfaguard.policy.model), so the SAME engine
(mfaguard.policy.coverage.Engine) decides which policies reach a user on each side.  Two things
are drift-specific and live here:

* a desired reference to a policy the plan does not manage (an ARN, or a group the plan only
  names) is judged as it is live: the desired engine's ``outside`` lookup is the live account;
* ``live_arn_of`` maps a desired reference to the live ARN, for explaining what changed;
* with ``--org``, the SCPs that reach a member account (``live.scps``: on it, its OUs, the root)
  are the live engine's ``account_sources`` (``scps``), judged like every other document.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import Context
from mfaguard.drift.model import AccountState, ManagedPolicy
from mfaguard.policy.coverage import AccountSource, Engine, PrincipalCoverage
from mfaguard.policy.model import Principals
from mfaguard.policy.references import is_aws_managed, parse_policy_arn
from mfaguard.policy.semantics import ALL_PATHS


def enforced(cov: PrincipalCoverage) -> tuple[frozenset, str | None]:
    """The paths enforced, and why the rest cannot be decided (None when decided)."""
    return frozenset(ALL_PATHS - cov.open_paths), cov.unknown


class Engines:
    def __init__(self, ctx: Context) -> None:
        self.d = ctx.d
        self.l = ctx.l
        self.live_policy_by_name = {p.name: p for p in ctx.l.policies.values() if p.name}
        self.live = Engine(ctx.l, scope="the account's IAM details")
        # SCPs on a member account, its OUs and the root (empty for a management account: SCPs
        # do not apply there)
        self.scps = [AccountSource(f"SCP {a.name} attached to {a.target}", a.document, "scp") for a in ctx.l.scps]
        self.desired = Engine(self._desired_view(ctx.d, ctx.l), outside=self._outside, scope="the plan")

    @staticmethod
    def _desired_view(d: AccountState, l: AccountState) -> Principals:
        """The desired principals, with the groups the plan only references (no address, no
        policies) taken as they are live."""
        groups = dict(d.groups)
        for name, g in d.groups.items():
            if g.address is None and not g.attached_policy_arns and not g.inline_policies and name in l.groups:
                groups[name] = l.groups[name]
        return Principals(users=d.users, groups=groups, policies=d.policies, dangling=d.dangling,
                          account_id=d.account_id, partition=d.partition)

    def scp_enforcement(self) -> tuple[frozenset, str]:
        """(paths MFA-enforcing SCPs cover for every IAM user of this account, their labels)."""
        enforcing = [(s, v) for s in self.scps if (v := self.live.document_verdict(s.document)).enforced]
        if not enforcing:
            return frozenset(), ""
        return frozenset().union(*(v.enforced for _, v in enforcing)), "; ".join(s.label for s, _ in enforcing)

    def _outside(self, arn: str) -> ManagedPolicy | None:
        live = self.live_arn_of(arn)
        return self.l.policies.get(live) if live else None

    def _desired_policy(self, ref: str) -> ManagedPolicy | None:
        pol = self.d.policies.get(ref)
        if pol is None and ref.startswith("arn:"):
            pol = next((p for p in self.d.policies.values() if p.arn == ref), None)
        return pol

    def live_arn_of(self, ref: str) -> str | None:
        """The live ARN of a desired managed-policy reference (ARN or address).

        An ARN the account does not have (a plan written for another account ID, a policy
        re-created) falls back to the live customer-managed policy of the same path and name."""
        pol = self._desired_policy(ref)
        arn = ref if ref.startswith("arn:") else (pol.arn if pol is not None else None)
        if arn and (arn in self.l.policies or is_aws_managed(arn)):
            return arn
        parsed = parse_policy_arn(arn)
        name = pol.name if pol is not None else (parsed.name if parsed else None)
        live = self.live_policy_by_name.get(name) if name else None
        if live is not None and parsed is not None and parse_policy_arn(live.arn) is not None \
                and parse_policy_arn(live.arn).path != parsed.path:
            live = None  # policy/security/x is not policy/x
        return live.arn if live is not None else arn
