"""Cognito user pools, desired against live: Cognito.5 (MFA required) and Cognito.1 (threat protection).

Pools are matched by id, else by name within the region; a pool in a region the live reader did not
read is a note, never ``missing``.
"""
from __future__ import annotations

from mfaguard.drift.compare.context import Context
from mfaguard.drift.model import UserPool

MFA_RANK = {"OFF": 0, "OPTIONAL": 1, "ON": 2}
ASM_RANK = {"OFF": 0, "AUDIT": 1, "ENFORCED": 2}


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
            if region is not None and (region in unread or (read_regions and region not in read_regions)):
                ctx.note(f"Cognito user pool {dp.name} ({dp.address}): region {region} not read live, "
                         "not compared (pass --region " + region + ")")
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
            pool_controls(ctx, lp, None)


def pool_controls(ctx: Context, lp: UserPool, dp: UserPool | None) -> None:
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
        ctx.note(f"{who}: MFA configuration unknown: Cognito.5 not decided")
    elif (want_mfa in MFA_RANK and live_mfa in MFA_RANK and MFA_RANK[live_mfa] < MFA_RANK[want_mfa]):
        failed = live_mfa != "ON"
        ctx.add("Cognito.5", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
                expected=want_mfa, actual=live_mfa,
                message=f"{who}: MFA is {live_mfa} live, the plan says {want_mfa} — someone weakened it "
                        f"outside Terraform; {fix5}")
    elif (dp is not None and dp.software_token_enabled is True and lp.software_token_enabled is False
          and live_mfa != "OFF"):
        ctx.add("Cognito.5", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
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
        ctx.add("Cognito.5", kind_default, address=dp.address if dp else None, arn=lp.arn, id=lp.id,
                region=lp.region, expected="ON", actual=live_mfa, message=msg)

    # Cognito.1 -----------------------------------------------------------
    live_asm, want_asm = lp.advanced_security_mode, dp.advanced_security_mode if dp else None
    fix1 = "set user_pool_add_ons { advanced_security_mode = \"ENFORCED\" } and apply"
    if live_asm is None:
        ctx.note(f"{who}: threat protection mode unknown: Cognito.1 not decided")
    elif want_asm in ASM_RANK and live_asm in ASM_RANK and ASM_RANK[live_asm] < ASM_RANK[want_asm]:
        failed = True
        ctx.add("Cognito.1", "drift", address=dp.address, arn=lp.arn, id=lp.id, region=lp.region,
                expected=want_asm, actual=live_asm,
                message=f"{who}: threat protection is {live_asm} live, the plan says {want_asm} — weakened "
                        f"outside Terraform; set it back with terraform apply")
    elif live_asm != "ENFORCED":
        failed = True
        msg = (f"{who}: threat protection is {live_asm} live (Cognito.1 requires ENFORCED)" +
               (tail_unmanaged if not dp else f" — {fix1}"))
        ctx.add("Cognito.1", kind_default, address=dp.address if dp else None, arn=lp.arn, id=lp.id,
                region=lp.region, expected="ENFORCED", actual=live_asm, message=msg)

    if dp is None and not failed:
        ctx.add("Cognito.5", "unmanaged", address=None, arn=lp.arn, id=lp.id, region=lp.region,
                expected="not present (not in the plan)", actual=f"MFA {live_mfa}",
                message=f"{who}: compliant but not in the plan{tail_unmanaged}", compliance="PASSED")
