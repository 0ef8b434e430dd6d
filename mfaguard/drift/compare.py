"""Compare the desired state (plan/state) with the live account: pure code, no boto3.

    compare(desired, live) -> Comparison(findings, notes)

Finding kinds (DESIGN.md):

* ``drift``        live differs from the plan in a way that weakens MFA: a pool's MFA or threat
                   protection lowered, TOTP switched off, a user removed from the group that enforced
                   MFA, an enforcing policy detached or its document changed so it no longer enforces;
* ``missing``      planned (managed by this plan) but absent live;
* ``unmanaged``    live users and pools absent from the plan, each with its own compliance
                   (``compliance`` PASSED when it has MFA: reported because nobody manages it);
* ``noncompliant`` live state fails IAM.5, IAM.6, IAM.9, IAM.19, Cognito.5 or Cognito.1 as Security
                   Hub defines them (IAM.5 only for users with a console password, IAM.19 for every
                   user, Cognito.5 only for PASSWORD-only pools, root without credentials passes).

Every policy document (desired and live) is judged by mfaguard.policy.semantics; severities and
titles come from mfaguard.catalogue.CONTROLS.  Unknown values (None) are never drift: they become
notes ("could not decide ...").  Parts the live reader could not read (``live.unread``) produce
neither ``missing`` nor ``unmanaged`` findings.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from mfaguard.catalogue import CONTROLS
from mfaguard.drift.model import AccountState, Finding, Group, InlinePolicy, User, UserPool
from mfaguard.policy import semantics
from mfaguard.policy.semantics import ACCESS_KEYS, ALL_PATHS, CONSOLE, Verdict

MFA_RANK = {"OFF": 0, "OPTIONAL": 1, "ON": 2}
ASM_RANK = {"OFF": 0, "AUDIT": 1, "ENFORCED": 2}
PATH_WORDS = {CONSOLE: "console sign-in", ACCESS_KEYS: "access keys"}
_NOT_ENFORCING = Verdict()
_KIND_ORDER = {"drift": 0, "missing": 1, "noncompliant": 2, "unmanaged": 3}


@dataclass
class Comparison:
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be decided, and why

    def __iter__(self):  # a Comparison reads as its list of findings
        return iter(self.findings)

    def __len__(self) -> int:
        return len(self.findings)


def compare(desired: AccountState, live: AccountState) -> Comparison:
    return _Comparer(desired, live).run()


def _paths(paths: Iterable[str]) -> str:
    return " and ".join(PATH_WORDS.get(p, p) for p in sorted(paths))


def _aws_managed(arn: str) -> bool:
    return ":iam::aws:policy/" in arn


@dataclass
class _Source:
    """One policy that reaches a user: where it hangs, and what it is."""

    via_group: str | None  # group name, or None when attached to the user directly
    kind: str  # managed | inline
    key: str  # managed: ARN (or address on the desired side); inline: policy name
    label: str
    verdict: Verdict


class _Comparer:
    def __init__(self, desired: AccountState, live: AccountState) -> None:
        self.d = desired
        self.l = live
        self.out = Comparison()
        self._cache: dict[str, Verdict] = {}
        self.account = live.account_id or desired.account_id
        self.partition = live.partition or desired.partition or "aws"
        self.home_region = (live.regions or desired.regions or [None])[0]
        self.iam_unread = "iam-details" in live.unread
        self.live_users_by_arn = {u.arn: u for u in live.users.values() if u.arn}
        self.live_users_by_id = {u.id: u for u in live.users.values() if u.id}
        self.live_policy_by_name = {p.name: p for p in live.policies.values() if p.name}

    # -- semantics -------------------------------------------------------------
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
        if _aws_managed(arn):
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
        if arn and (arn in self.l.policies or _aws_managed(arn)):
            return arn
        name = pol.name if pol is not None else (arn.rsplit("/", 1)[-1] if arn else None)
        live = self.live_policy_by_name.get(name) if name else None
        return live.arn if live is not None else arn

    def _inline_sources(self, via: str | None, policies: list[InlinePolicy]) -> list[_Source]:
        return [_Source(via, "inline", p.name, f"inline policy {p.name}", self.verdict(p.document))
                for p in policies]

    def desired_sources(self, user: User) -> list[_Source]:
        out = self._inline_sources(None, user.inline_policies)
        for ref in user.attached_policy_arns:
            v, label = self._desired_policy_verdict(ref)
            out.append(_Source(None, "managed", ref, f"policy {label}", v))
        for gname in user.groups:
            g = self.d.groups.get(gname)
            if g is None or (g.address is None and not g.attached_policy_arns and not g.inline_policies):
                lg = self.l.groups.get(gname)  # a group the plan only references: as it is live
                out.extend(self._group_live_sources(lg) if lg else [])
                continue
            out.extend(self._group_desired_sources(g))
        return out

    def _group_desired_sources(self, g: Group) -> list[_Source]:
        out = self._inline_sources(g.name, g.inline_policies)
        for ref in g.attached_policy_arns:
            v, label = self._desired_policy_verdict(ref)
            out.append(_Source(g.name, "managed", ref, f"policy {label}", v))
        return out

    def _group_live_sources(self, g: Group) -> list[_Source]:
        out = self._inline_sources(g.name, g.inline_policies)
        for arn in g.attached_policy_arns:
            v, label = self._live_policy_verdict(arn)
            out.append(_Source(g.name, "managed", arn, f"policy {label}", v))
        return out

    def live_sources(self, user: User) -> list[_Source]:
        out = self._inline_sources(None, user.inline_policies)
        for arn in user.attached_policy_arns:
            v, label = self._live_policy_verdict(arn)
            out.append(_Source(None, "managed", arn, f"policy {label}", v))
        for gname in user.groups:
            g = self.l.groups.get(gname)
            if g is not None:
                out.extend(self._group_live_sources(g))
        return out

    @staticmethod
    def enforced(sources: list[_Source]) -> tuple[frozenset, str | None]:
        cov = semantics.coverage(ALL_PATHS, [s.verdict for s in sources])
        return frozenset(ALL_PATHS - set(cov.open_paths)), cov.unknown

    # -- findings --------------------------------------------------------------
    def add(self, control: str, kind: str, *, address, arn, id, region, expected, actual, message,
            compliance: str = "FAILED") -> None:
        self.out.findings.append(Finding(
            control=control, kind=kind, address=address, arn=arn, id=id, region=region,
            expected=expected, actual=actual, severity=CONTROLS[control].severity, message=message,
            compliance=compliance,
        ))

    def note(self, text: str) -> None:
        if text not in self.out.notes:
            self.out.notes.append(text)

    def run(self) -> Comparison:
        self.root()
        self.users()
        self.groups()
        self.pools()
        order = {c: i for i, c in enumerate(CONTROLS)}
        self.out.findings.sort(key=lambda f: (_KIND_ORDER.get(f.kind, 9), order.get(f.control, 99), f.region or "",
                                              f.id or f.arn or f.address or ""))
        return self.out

    # -- root ------------------------------------------------------------------
    def root(self) -> None:
        root = self.l.root
        if root is None or "root" in self.l.unread:
            self.note("root user: not read (see errors): IAM.9 and IAM.6 not decided")
            return
        arn = root.arn or (f"arn:{self.partition}:iam::{self.account}:root" if self.account else None)
        ident = self.account
        if not root.has_credentials:
            return  # centrally managed root without credentials: passes IAM.9 and IAM.6 (AWS Config)
        evidence = ("root has sign-in credentials" if any(
            (root.password_present, root.access_keys_present, root.signing_certificates_present))
            else "the account gives no evidence that root has no credentials (failing closed)")
        fix9 = CONTROLS["IAM.9"].remediation
        if root.mfa_active is not True:
            actual = "no MFA" if root.mfa_active is False else "MFA status unknown"
            self.add("IAM.9", "noncompliant", address=None, arn=arn, id=ident, region=None,
                     expected="MFA device", actual=actual,
                     message=f"Root user of account {self.account}: {actual}, {evidence} — {fix9}")
            self.add("IAM.6", "noncompliant", address=None, arn=arn, id=ident, region=None,
                     expected="hardware MFA device", actual=actual,
                     message=f"Root user of account {self.account}: {actual}, so no hardware MFA — "
                             f"{CONTROLS['IAM.6'].remediation}")
        elif root.mfa_virtual is not False:
            actual = "virtual MFA device" if root.mfa_virtual else "MFA device of unknown kind"
            self.add("IAM.6", "noncompliant", address=None, arn=arn, id=ident, region=None,
                     expected="hardware MFA device", actual=actual,
                     message=f"Root user of account {self.account}: "
                             f"{actual + ' (a phone app)' if root.mfa_virtual else actual}, not hardware — "
                             f"{CONTROLS['IAM.6'].remediation}")

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
            self.user_drift(du, lu)
            if managed:
                self.user_compliance(lu, du, "noncompliant")
        if self.iam_unread and not self.l.users:
            return
        for lu in self.l.users.values():
            if lu.name not in matched:
                self.user_compliance(lu, None, "unmanaged")

    def missing_user(self, du: User) -> None:
        control = "IAM.5" if du.console else "IAM.19"
        self.add(control, "missing", address=du.address, arn=du.arn, id=du.name, region=None,
                 expected="present", actual="absent",
                 message=f"IAM user {du.name} ({du.address}): planned but not found live — deleted outside "
                         "Terraform or not applied yet; run terraform apply (or remove it from the configuration)")

    def user_compliance(self, lu: User, du: User | None, kind: str) -> None:
        who = f"IAM user {lu.name}" + (f" ({du.address})" if du and du.address else "")
        unmanaged = kind == "unmanaged"
        tail = (" — not in the plan: created outside Terraform; import it or delete it, and enrol an MFA device"
                if unmanaged else " — enrol an MFA device for the user (IAM console > Users > Security "
                "credentials > Assign MFA device) and enforce it with an MFA-enforcing group policy")
        failed = False
        if lu.mfa_active is None:
            self.note(f"{who}: MFA status unknown (credential report unreadable): IAM.5/IAM.19 not decided")
            if unmanaged:
                self.add("IAM.19", kind, address=None, arn=lu.arn, id=lu.name, region=None,
                         expected="not present (not in the plan)", actual="present, MFA unknown",
                         message=f"{who}: MFA status unknown" + tail, compliance="UNKNOWN")
            return
        creds = []
        if lu.console:
            creds.append("a console password")
        if lu.access_keys:
            creds.append("access keys")
        has = " and ".join(creds) if creds else "no password or access keys"
        if lu.mfa_active is False:
            if lu.console:
                failed = True
                self.add("IAM.5", kind, address=du.address if du else None, arn=lu.arn, id=lu.name, region=None,
                         expected="MFA device (console password)", actual="console password, no MFA",
                         message=f"{who}: has a console password and no MFA device live" + tail)
            elif lu.console is None:
                self.note(f"{who}: console password unknown: IAM.5 not decided")
            failed = True
            self.add("IAM.19", kind, address=du.address if du else None, arn=lu.arn, id=lu.name, region=None,
                     expected="MFA device", actual=f"{has}, no MFA",
                     message=f"{who}: has {has} and no MFA device live" + tail)
        if unmanaged and not failed:
            self.add("IAM.19", kind, address=None, arn=lu.arn, id=lu.name, region=None,
                     expected="not present (not in the plan)", actual=f"{has}, MFA active",
                     message=f"{who}: has MFA but is not in the plan — created outside Terraform; import it "
                             "(terraform import) or delete it", compliance="PASSED")

    def user_drift(self, du: User, lu: User) -> None:
        if self.iam_unread:
            return
        d_sources = self.desired_sources(du)
        l_sources = self.live_sources(lu)
        d_enf, d_unknown = self.enforced(d_sources)
        l_enf, l_unknown = self.enforced(l_sources)
        lost = d_enf - l_enf
        if not lost:
            return
        who = f"IAM user {lu.name}" + (f" ({du.address})" if du.address else "")
        if l_unknown:
            self.note(f"{who}: the plan enforces MFA on {_paths(lost)}; live could not be decided: {l_unknown}")
            return
        causes = self.explain(d_sources, lu, lost)
        console_user = bool(lu.console or du.console)
        targets = []
        if CONSOLE in lost and console_user:
            targets.append("IAM.5")
        if ACCESS_KEYS in lost or (CONSOLE in lost and not console_user):
            targets.append("IAM.19")
        expected = "MFA enforced on " + _paths(d_enf)
        actual = "MFA enforced on " + _paths(l_enf) if l_enf else "no MFA enforcement"
        for control in targets:
            self.add(control, "drift", address=du.address, arn=lu.arn, id=lu.name, region=None,
                     expected=expected, actual=actual,
                     message=f"{who}: the plan enforces MFA on {_paths(lost)} but live nothing does — "
                             f"{'; '.join(causes)}; restore it with terraform apply")

    def explain(self, sources: list[_Source], lu: User, lost: frozenset) -> list[str]:
        causes: list[str] = []
        for s in sources:
            if not (s.verdict.enforced & lost):
                continue
            if s.via_group is not None:
                lg = self.l.groups.get(s.via_group)
                if lg is None:
                    cause = f"group {s.via_group} does not exist live"
                elif s.via_group not in lu.groups:
                    cause = f"removed from group {s.via_group} (which enforces MFA) outside Terraform"
                else:
                    cause = self._explain_policy(s, lg.attached_policy_arns, lg.inline_policies,
                                                 f"group {s.via_group}")
            else:
                cause = self._explain_policy(s, lu.attached_policy_arns, lu.inline_policies, "the user")
            if cause not in causes:
                causes.append(cause)
        return causes or ["its MFA-enforcing policies no longer enforce live"]

    def _explain_policy(self, s: _Source, live_arns: list[str], live_inline: list[InlinePolicy],
                        where: str) -> str:
        if s.kind == "managed":
            arn = self.live_arn_of(s.key)
            if arn is None or arn not in live_arns:
                return f"{s.label} detached from {where}" + ("" if arn else " (or never created)")
            return f"{s.label} on {where} was changed live and no longer enforces MFA"
        for p in live_inline:
            if p.name == s.key:
                return f"{s.label} on {where} was changed live and no longer enforces MFA"
        return f"{s.label} removed from {where}"

    # -- groups ----------------------------------------------------------------
    def groups(self) -> None:
        if self.iam_unread:
            return
        for dg in self.d.groups.values():
            if dg.address is None:
                continue
            lg = None
            if dg.arn:
                lg = next((g for g in self.l.groups.values() if g.arn == dg.arn), None)
            lg = lg or self.l.groups.get(dg.name)
            d_sources = self._group_desired_sources(dg)
            d_enf, _ = self.enforced(d_sources)
            console_members = any(u.console for u in self.d.users.values() if dg.name in u.groups) or any(
                u.console for u in self.l.users.values() if dg.name in u.groups)
            if lg is None:
                control = "IAM.5" if (CONSOLE in d_enf or console_members) else "IAM.19"
                self.add(control, "missing", address=dg.address, arn=dg.arn, id=dg.name, region=None,
                         expected="present" + (f", enforcing MFA on {_paths(d_enf)}" if d_enf else ""),
                         actual="absent",
                         message=f"IAM group {dg.name} ({dg.address}): planned but not found live — deleted "
                                 "outside Terraform or not applied yet; run terraform apply")
                continue
            l_sources = self._group_live_sources(lg)
            l_enf, l_unknown = self.enforced(l_sources)
            lost = d_enf - l_enf
            if not lost:
                continue
            who = f"IAM group {dg.name} ({dg.address})"
            if l_unknown:
                self.note(f"{who}: live enforcement could not be decided: {l_unknown}")
                continue
            causes = []
            for s in d_sources:
                if s.verdict.enforced & lost:
                    c = self._explain_policy(s, lg.attached_policy_arns, lg.inline_policies, "the group")
                    if c not in causes:
                        causes.append(c)
            control = "IAM.5" if CONSOLE in lost else "IAM.19"
            self.add(control, "drift", address=dg.address, arn=lg.arn or dg.arn, id=dg.name, region=None,
                     expected="MFA enforced on " + _paths(d_enf),
                     actual="MFA enforced on " + _paths(l_enf) if l_enf else "no MFA enforcement",
                     message=f"{who}: the plan enforces MFA on {_paths(lost)} for its members but live it does "
                             f"not — {'; '.join(causes)}; restore it with terraform apply")

    # -- pools -----------------------------------------------------------------
    def pools(self) -> None:
        read_regions = set(self.l.regions)
        unread = {u.split(":", 1)[1] for u in self.l.unread if u.startswith("cognito:")}
        matched: set[int] = set()
        by_id = {p.id: p for p in self.l.pools if p.id}
        for dp in self.d.pools:
            region = dp.region
            lp = by_id.get(dp.id) if dp.id else None
            if lp is None:
                cands = [p for p in self.l.pools if p.name == dp.name and (region is None or p.region == region)
                         and id(p) not in matched]
                lp = cands[0] if cands else None
            if lp is None:
                if region is not None and (region in unread or (read_regions and region not in read_regions)):
                    self.note(f"Cognito user pool {dp.name} ({dp.address}): region {region} not read live, "
                              "not compared (pass --region " + region + ")")
                    continue
                if region is None and unread:
                    self.note(f"Cognito user pool {dp.name} ({dp.address}): region unknown, not compared")
                    continue
                self.add("Cognito.5", "missing", address=dp.address, arn=dp.arn, id=dp.id or dp.name,
                         region=region, expected="present", actual="absent",
                         message=f"Cognito user pool {dp.name} ({dp.address}, {region or 'unknown region'}): "
                                 "planned but not found live — deleted outside Terraform or not applied yet; "
                                 "run terraform apply")
                continue
            matched.add(id(lp))
            self.pool_controls(lp, dp)
        for lp in self.l.pools:
            if id(lp) not in matched:
                self.pool_controls(lp, None)

    def pool_controls(self, lp: UserPool, dp: UserPool | None) -> None:
        where = f"{lp.id or '?'}, {lp.region or '?'}"
        who = f"Cognito user pool {lp.name} ({where}" + (f", {dp.address})" if dp and dp.address else ")")
        kind_default = "noncompliant" if dp else "unmanaged"
        tail_unmanaged = " — not in the plan: created outside Terraform; import it or delete it"
        failed = False

        # Cognito.5 -----------------------------------------------------------
        c5_scope = lp.allowed_first_auth_factors is None or set(lp.allowed_first_auth_factors) <= {"PASSWORD"}
        live_mfa, want_mfa = lp.mfa_configuration, dp.mfa_configuration if dp else None
        fix5 = f"set it back with terraform apply or `aws cognito-idp set-user-pool-mfa-config --user-pool-id " \
               f"{lp.id} --mfa-configuration ON --software-token-mfa-configuration Enabled=true`"
        if live_mfa is None:
            self.note(f"{who}: MFA configuration unknown: Cognito.5 not decided")
        elif (want_mfa in MFA_RANK and live_mfa in MFA_RANK and MFA_RANK[live_mfa] < MFA_RANK[want_mfa]):
            failed = live_mfa != "ON"
            self.add("Cognito.5", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
                     expected=want_mfa, actual=live_mfa,
                     message=f"{who}: MFA is {live_mfa} live, the plan says {want_mfa} — someone weakened it "
                             f"outside Terraform; {fix5}")
        elif (dp is not None and dp.software_token_enabled is True and lp.software_token_enabled is False
              and live_mfa != "OFF"):
            self.add("Cognito.5", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
                     expected="software token (TOTP) MFA enabled", actual="TOTP disabled",
                     message=f"{who}: TOTP (software token) MFA is disabled live, the plan enables it — only "
                             f"SMS/email codes remain; {fix5}")
            failed = live_mfa != "ON"
        elif live_mfa != "ON" and c5_scope:
            failed = True
            msg = (f"{who}: MFA is {live_mfa} live (Cognito.5 requires ON)" +
                   (tail_unmanaged if not dp else
                    f" — the plan says {want_mfa or 'nothing known'} too; set mfa_configuration = \"ON\" and "
                    "apply"))
            self.add("Cognito.5", kind_default, address=dp.address if dp else None, arn=lp.arn, id=lp.id,
                     region=lp.region, expected="ON", actual=live_mfa, message=msg)

        # Cognito.1 -----------------------------------------------------------
        live_asm, want_asm = lp.advanced_security_mode, dp.advanced_security_mode if dp else None
        fix1 = "set user_pool_add_ons { advanced_security_mode = \"ENFORCED\" } and apply"
        if live_asm is None:
            self.note(f"{who}: threat protection mode unknown: Cognito.1 not decided")
        elif want_asm in ASM_RANK and live_asm in ASM_RANK and ASM_RANK[live_asm] < ASM_RANK[want_asm]:
            failed = True
            self.add("Cognito.1", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
                     expected=want_asm, actual=live_asm,
                     message=f"{who}: threat protection is {live_asm} live, the plan says {want_asm} — weakened "
                             f"outside Terraform; set it back with terraform apply")
        elif live_asm != "ENFORCED":
            failed = True
            msg = (f"{who}: threat protection is {live_asm} live (Cognito.1 requires ENFORCED)" +
                   (tail_unmanaged if not dp else f" — {fix1}"))
            self.add("Cognito.1", kind_default, address=dp.address if dp else None, arn=lp.arn, id=lp.id,
                     region=lp.region, expected="ENFORCED", actual=live_asm, message=msg)

        if dp is None and not failed:
            self.add("Cognito.5", "unmanaged", address=None, arn=lp.arn, id=lp.id, region=lp.region,
                     expected="not present (not in the plan)", actual=f"MFA {live_mfa}",
                     message=f"{who}: compliant but not in the plan{tail_unmanaged}", compliance="PASSED")
