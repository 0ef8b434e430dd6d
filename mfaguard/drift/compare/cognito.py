"""Cognito user pools, desired against live: Cognito.5 (MFA required), Cognito.1 and Cognito.4 (threat
protection for standard and custom authentication).

Drift (the plan's setting weakened live) is decided here; whether the live pool complies is the
engine's verdict (mfaguard.policy.cognito), the same rules the Checkov checks apply to the plan.

Pools are matched by id, else by name within the region; a pool in a region the live reader did not
read is a note, never ``missing``.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import PASSED_DRIFT_SEVERITY, Context
from mfaguard.drift.model import UserPool
from mfaguard.policy import cognito
from mfaguard.policy.decision import FAILED, NOT_APPLICABLE, PASSED, UNKNOWN, UNSET, Unknown

MFA_RANK = {"OFF": 0, "OPTIONAL": 1, "ON": 2}
ASM_RANK = {"OFF": 0, "AUDIT": 1, "ENFORCED": 2}
CUSTOM_RANK = {"AUDIT": 0, "ENFORCED": 1}
TAIL_UNMANAGED = " — not in the plan: created outside Terraform; import it or delete it"


def compare_pools(ctx: Context) -> None:
    read_regions = set(ctx.l.regions)
    unread = {u.split(":", 1)[1] for u in ctx.l.unread if u.startswith("cognito:")}
    matched: set[int] = set()
    by_id = {p.id: p for p in ctx.l.pools if p.id}
    for dp in ctx.d.pools:
        region = dp.region
        lp = by_id.get(dp.id) if dp.id else None
        if lp is None:
            cands = [p for p in ctx.l.pools if p.name == dp.name and (region is None or p.region == region)
                     and id(p) not in matched]
            lp = cands[0] if cands else None
        if lp is None:
            if region is not None and region in unread:
                ctx.note(f"Cognito user pool {dp.name} ({dp.address}): region {region} could not be read "
                         "live (denied or failed, see errors), not compared")
                continue
            if region is not None and read_regions and region not in read_regions:
                ctx.note(f"Cognito user pool {dp.name} ({dp.address}): region {region} not read live "
                         f"because it was not passed, not compared (pass --region {region})")
                continue
            if region is None and unread:
                ctx.note(f"Cognito user pool {dp.name} ({dp.address}): region unknown, not compared")
                continue
            ctx.add("Cognito.5", "missing", address=dp.address, arn=dp.arn, id=dp.id or dp.name,
                    region=region, expected="present", actual="absent",
                    message=f"Cognito user pool {dp.name} ({dp.address}, {region or 'unknown region'}): "
                            "planned but not found live — deleted outside Terraform or not applied yet; "
                            "run terraform apply")
            continue
        matched.add(id(lp))
        pool_controls(ctx, lp, dp)
    for lp in ctx.l.pools:
        if id(lp) not in matched:
            pool_controls(ctx, lp, None, _doomed(ctx.d.pending_destroy_pools, lp))


def _doomed(pools: list[UserPool], lp: UserPool) -> UserPool | None:
    """The pool the plan deletes (resource_changes actions ["delete"]) that is this live pool."""
    for p in pools:
        if (p.id and p.id == lp.id) or (not p.id and p.name == lp.name and p.region in (None, lp.region)):
            return p
    return None


def raised(rank: dict, want, live) -> bool:
    """A setting raised by hand above the plan's (OPTIONAL -> ON): the next apply lowers it again."""
    return want in rank and live in rank and rank[live] > rank[want]


def engine_pool(p: UserPool) -> cognito.Pool:
    """The live pool as the engine sees it (None in the drift model means "not read")."""
    def known(value, what: str):
        return Unknown(f"{what} not read") if value is None else value

    return cognito.Pool(
        mfa_configuration=known(p.mfa_configuration, "MFA configuration"),
        first_factors=tuple(p.allowed_first_auth_factors) if p.allowed_first_auth_factors else UNSET,
        totp=known(p.software_token_enabled, "TOTP (software token) setting"),
        sms=UNSET if p.sms_enabled is None else p.sms_enabled,
        email=UNSET if p.email_enabled is None else p.email_enabled,
        tier=Unknown("its feature plan (UserPoolTier) was not reported") if p.tier is None else p.tier,
        security_mode=known(p.advanced_security_mode, "threat protection mode"),
        custom_auth_mode=known(p.custom_auth_mode, "custom-authentication threat protection mode"),
    )


class _PoolFindings:
    """The findings of one live pool (and its planned counterpart, if any)."""

    def __init__(self, ctx: Context, lp: UserPool, dp: UserPool | None, doomed: UserPool | None = None) -> None:
        self.ctx, self.lp, self.dp = ctx, lp, dp
        self.address = dp.address if dp else (doomed.address if doomed else None)
        where = f"{lp.id or '?'}, {lp.region or '?'}"
        self.who = f"Cognito user pool {lp.name} ({where}" + (f", {self.address})" if self.address else ")")
        self.kind = "noncompliant" if dp else ("pending_destroy" if doomed else "unmanaged")
        self.tail = (f" — pending destroy: the plan deletes it ({self.address}); run terraform apply" if doomed
                     else TAIL_UNMANAGED)
        self.engine = engine_pool(lp)
        self.failed = False

    def add(self, control: str, kind: str, expected, actual, message: str, compliance: str = "FAILED",
            severity: str | None = None, check: str | None = None) -> None:
        lp = self.lp
        self.ctx.add(control, kind, address=self.address, arn=lp.arn, id=lp.id, region=lp.region,
                     expected=expected, actual=actual, message=message, compliance=compliance, severity=severity,
                     check=check)

    def noncompliant(self, control: str, decision, expected, actual, fix: str) -> None:
        """Report the engine's verdict on the live pool: FAILED is a finding, UNKNOWN a note, PASSED
        (or not applicable) an evaluation that only ASFF carries."""
        if decision.verdict == FAILED:
            self.failed = True
            tail = self.tail if self.dp is None else f" — {decision.fix or fix}"
            self.add(control, self.kind, expected, actual, f"{self.who}: live, {decision.reason}{tail}")
        elif decision.verdict == UNKNOWN:
            self.ctx.note(f"{self.who}: {control} not decided: {decision.reason}")
        elif decision.verdict in (PASSED, NOT_APPLICABLE):
            self.ctx.passed(control, address=self.address, arn=self.lp.arn, id=self.lp.id, region=self.lp.region,
                            actual=actual, message=f"{self.who}: " + (decision.reason or f"{control} passes"))

    def raised(self, control: str, rank: dict, want, live, setting: str, compliance: str) -> None:
        """A setting raised by hand above the plan's: drift the next apply would undo."""
        if live is None or not raised(rank, want, live):
            return
        self.add(control, "drift", want, live,
                 f"{self.who}: {setting} is {live} live, the plan says {want} — raised outside Terraform; the next "
                 f"terraform apply would undo it: set {setting} = \"{live}\" in the configuration to keep it",
                 compliance=compliance, severity=PASSED_DRIFT_SEVERITY if compliance == "PASSED" else None)

    def cognito5(self) -> None:
        lp, dp = self.lp, self.dp
        live_mfa, want_mfa = lp.mfa_configuration, dp.mfa_configuration if dp else None
        fix5 = f"set it back with terraform apply or `aws cognito-idp set-user-pool-mfa-config --user-pool-id " \
               f"{lp.id} --mfa-configuration ON --software-token-mfa-configuration Enabled=true`"
        if live_mfa is None:
            self.ctx.note(f"{self.who}: MFA configuration unknown: Cognito.5 not decided")
        elif want_mfa in MFA_RANK and live_mfa in MFA_RANK and MFA_RANK[live_mfa] < MFA_RANK[want_mfa]:
            self.failed = self.failed or live_mfa != "ON"
            self.add("Cognito.5", "drift", want_mfa, live_mfa,
                     f"{self.who}: MFA is {live_mfa} live, the plan says {want_mfa} — someone weakened it "
                     f"outside Terraform; {fix5}")
        elif (dp is not None and dp.software_token_enabled is True and lp.software_token_enabled is False
              and live_mfa != "OFF"):
            self.failed = self.failed or live_mfa != "ON"
            self.add("Cognito.5", "drift", "software token (TOTP) MFA enabled", "TOTP disabled",
                     f"{self.who}: TOTP (software token) MFA is disabled live, the plan enables it — only "
                     f"SMS/email codes remain; {fix5}", compliance="PASSED" if live_mfa == "ON" else "FAILED",
                     check="CKV_MFA_2")
        else:
            fix = (f"the plan says {want_mfa or 'nothing known'} too; set mfa_configuration = \"ON\" "
                   "(with software_token_mfa_configuration) and apply")
            decision = cognito.mfa_required(self.engine)
            self.noncompliant("Cognito.5", decision, "ON", live_mfa, fix)
            self.raised("Cognito.5", MFA_RANK, want_mfa, live_mfa, "mfa_configuration",
                        "FAILED" if decision.verdict == FAILED else "PASSED")

    def threat_mode(self, control: str, live, want, rank: dict, decision, expected: str, setting: str) -> None:
        """Cognito.1 (standard auth) and Cognito.4 (custom auth): drift when weakened, else the engine's verdict."""
        if live is None:
            self.ctx.note(f"{self.who}: {setting} unknown: {control} not decided")
        elif want in rank and live in rank and rank[live] < rank[want]:
            self.failed = True
            self.add(control, "drift", want, live,
                     f"{self.who}: {setting} is {live} live, the plan says {want} — weakened outside Terraform; "
                     "set it back with terraform apply")
        else:
            tier = "" if self.lp.tier == "PLUS" else " on user_pool_tier = \"PLUS\""
            fix = f"set {setting} = \"ENFORCED\"{tier} and apply"
            self.noncompliant(control, decision, expected, live, fix)

    def run(self) -> None:
        lp, dp = self.lp, self.dp
        self.cognito5()
        self.threat_mode("Cognito.1", lp.advanced_security_mode, dp.advanced_security_mode if dp else None,
                         ASM_RANK, cognito.threat_protection(self.engine), "ENFORCED",
                         "user_pool_add_ons.advanced_security_mode")
        custom_live = None if lp.advanced_security_mode is None else lp.custom_auth_mode
        self.threat_mode("Cognito.4", custom_live, dp.custom_auth_mode if dp else None, CUSTOM_RANK,
                         cognito.custom_auth_protection(self.engine), "ENFORCED",
                         "advanced_security_additional_flows.custom_auth_mode")
        if dp is None and not self.failed:
            doomed = self.kind == "pending_destroy"
            self.add("Cognito.5", self.kind,
                     "absent (the plan destroys it)" if doomed else "not present (not in the plan)",
                     f"MFA {lp.mfa_configuration}",
                     f"{self.who}: compliant" + ("" if doomed else " but not in the plan") + self.tail,
                     compliance="PASSED")


def pool_controls(ctx: Context, lp: UserPool, dp: UserPool | None, doomed: UserPool | None = None) -> None:
    _PoolFindings(ctx, lp, dp, doomed).run()
