"""IAM users, desired against live: IAM.5 (console users) and IAM.19 (every user).

A user is ``missing`` when planned and absent, ``unmanaged`` when live only, ``noncompliant`` when
live it has credentials and no MFA device, and ``drift`` when the plan's MFA enforcement no
longer holds live.  Which policies reach a user, on each side, is the engine's answer
(iam_engines.py); iam_groups.py does the same for groups, iam_explain.py says what changed.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import PASSED_DRIFT_SEVERITY, Context, paths_words as _paths
from mfaguard.drift.compare.iam_engines import Engines, enforced
from mfaguard.drift.compare.iam_explain import explain_user
from mfaguard.drift.compare.iam_users import (
    _credentials, control_state, gained_sign_in, pending_destroy, renamed_user,
)
from mfaguard.drift.model import User
from mfaguard.policy.semantics import ACCESS_KEYS, ALL_PATHS, CONSOLE


class IamComparer:
    def __init__(self, ctx: Context, engines: Engines | None = None) -> None:
        self.ctx = ctx
        self.d = ctx.d
        self.l = ctx.l
        self.engines = engines or Engines(ctx)
        self.iam_unread = "iam-details" in ctx.l.unread
        self.live_users_by_arn = {u.arn: u for u in ctx.l.users.values() if u.arn}
        self.live_users_by_id = {u.id: u for u in ctx.l.users.values() if u.id}

    # -- users -----------------------------------------------------------------
    def match_user(self, u: User) -> User | None:
        if u.arn and u.arn in self.live_users_by_arn:
            return self.live_users_by_arn[u.arn]
        if u.id and u.id in self.live_users_by_id:
            return self.live_users_by_id[u.id]
        return self.l.users.get(u.name)

    def users(self) -> None:
        matched: set[str] = set()
        for du in self.d.users.values():
            lu = self.match_user(du)
            managed = du.address is not None
            if lu is not None and managed:
                matched.add(lu.name)
            if lu is None:
                if managed and not self.iam_unread:
                    self.missing_user(du)
                continue
            if managed and lu.name != du.name:
                renamed_user(self.ctx, du, lu)
            self.user_drift(du, lu)
            if managed:
                gained_sign_in(self.ctx, du, lu)
                self.user_compliance(lu, du, "noncompliant")
        if self.iam_unread and not self.l.users:
            return
        for lu in self.l.users.values():
            if lu.name not in matched:
                doomed = pending_destroy(self.d.pending_destroy_users, lu)
                self.user_compliance(lu, doomed, "pending_destroy" if doomed else "unmanaged")

    def missing_user(self, du: User) -> None:
        control = "IAM.5" if du.console else "IAM.19"
        self.ctx.add(control, "missing", address=du.address, arn=du.arn, id=du.name, region=None,
                     expected="present", actual="absent",
                     message=f"IAM user {du.name} ({du.address}): planned but not found live — deleted outside "
                             "Terraform or not applied yet; run terraform apply (or remove it from the configuration)")

    def user_compliance(self, lu: User, du: User | None, kind: str) -> None:
        who = f"IAM user {lu.name}" + (f" ({du.address})" if du and du.address else "")
        outside = kind in ("unmanaged", "pending_destroy")  # reported whatever its compliance
        address = du.address if du else None
        tail = {"unmanaged": " — not in the plan: created outside Terraform; import it or delete it, and enrol an "
                             "MFA device",
                "pending_destroy": f" — pending destroy: the plan deletes it ({address}); run terraform apply"
                }.get(kind, " — enrol an MFA device for the user (IAM console > Users > Security credentials > "
                            "Assign MFA device) and enforce it with an MFA-enforcing group policy")
        where = "not present (not in the plan)" if kind == "unmanaged" else "absent (the plan destroys it)"
        failed = False
        if lu.mfa_active is None:
            self.ctx.note(f"{who}: MFA status unknown (credential report unreadable): IAM.5/IAM.19 not decided")
            if outside:
                self.ctx.add("IAM.19", kind, address=address, arn=lu.arn, id=lu.name, region=None,
                             expected=where, actual="present, MFA unknown",
                             message=f"{who}: MFA status unknown" + tail, compliance="UNKNOWN")
            return
        has = _credentials(lu)
        scp_paths, scp_labels = self.engines.scp_enforcement()
        if lu.mfa_active is False and scp_paths:
            tail = (f" (MFA is enforced on {_paths(scp_paths)} by {scp_labels}: without a device it can do "
                    "little but enrol one)") + tail
        if lu.mfa_active is False:
            if lu.console:
                self.ctx.add("IAM.5", kind, address=address, arn=lu.arn, id=lu.name,
                             region=None, expected="MFA device (console password)",
                             actual="console password, no MFA",
                             message=f"{who}: has a console password and no MFA device live" + tail)
            elif lu.console is None:
                self.ctx.note(f"{who}: console password unknown: IAM.5 not decided")
            failed = True
            self.ctx.add("IAM.19", kind, address=address, arn=lu.arn, id=lu.name, region=None,
                         expected="MFA device", actual=f"{has}, no MFA",
                         message=f"{who}: has {has} and no MFA device live" + tail)
        if outside and not failed:
            self.ctx.add("IAM.19", kind, address=address, arn=lu.arn, id=lu.name, region=None,
                         expected=where, actual=f"{has}, MFA active",
                         message=f"{who}: has MFA" + (" but is not in the plan — created outside Terraform; import "
                                                     "it (terraform import) or delete it" if kind == "unmanaged"
                                                     else tail), compliance="PASSED")
        self.evaluations(lu, address, who, has)

    def evaluations(self, lu: User, address: str | None, who: str, has: str) -> None:
        """IAM.19 (and IAM.5 where it applies) evaluated and passing: only ASFF carries these."""
        if lu.mfa_active:
            self.ctx.passed("IAM.19", address=address, arn=lu.arn, id=lu.name, region=None,
                            actual=f"{has}, MFA active", message=f"{who}: has an MFA device")
        if lu.console is not None and (lu.mfa_active or lu.console is False):
            self.ctx.passed("IAM.5", address=address, arn=lu.arn, id=lu.name, region=None,
                            actual="console password, MFA active" if lu.console else "no console password",
                            message=f"{who}: " + ("console password with an MFA device" if lu.console else
                                                  "no console password (IAM.5 applies to console users only)"))

    def user_drift(self, du: User, lu: User) -> None:
        if self.iam_unread:
            return
        d_cov = self.engines.desired.coverage(du, ALL_PATHS)
        d_enf, _ = enforced(d_cov)
        l_enf, l_unknown = enforced(self.engines.live.coverage(lu, ALL_PATHS, account_sources=self.engines.scps))
        lost = d_enf - l_enf
        if not lost:
            return
        who = f"IAM user {lu.name}" + (f" ({du.address})" if du.address else "")
        if l_unknown:
            self.ctx.note(f"{who}: the plan enforces MFA on {_paths(lost)}; live could not be decided: {l_unknown}")
            return
        causes = explain_user(self.engines, d_cov.sources, lu, lost)
        console_user = bool(lu.console or du.console)
        targets = []
        if CONSOLE in lost and console_user:
            targets.append("IAM.5")
        if ACCESS_KEYS in lost or (CONSOLE in lost and not console_user):
            targets.append("IAM.19")
        expected = "MFA enforced on " + _paths(d_enf)
        actual = "MFA enforced on " + _paths(l_enf) if l_enf else "no MFA enforcement"
        for control in targets:
            compliance = control_state(lu, control)
            held = (" — the user still has an MFA device, so " + control + " passes today, but nothing keeps it so"
                    if compliance == "PASSED" else "")
            self.ctx.add(control, "drift", address=du.address, arn=lu.arn, id=lu.name, region=None,
                         expected=expected, actual=actual, compliance=compliance,
                         severity=PASSED_DRIFT_SEVERITY if compliance == "PASSED" else None,
                         message=f"{who}: the plan enforces MFA on {_paths(lost)} but live nothing does — "
                                 f"{'; '.join(causes)}{held}; restore it with terraform apply")
