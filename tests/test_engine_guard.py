"""Guard (issue 8): scan and drift give one answer per principal.

Every fixture plan (terraform_fixtures/**/tfplan.json) is read by drift's desired side
(mfaguard.drift.desired) into the engine's model and judged by the engine
(mfaguard.policy.coverage) exactly as the scan's coverage checks judge it; the verdicts must be
the scan's expectations (expected.yaml, plan runner) for CKV2_MFA_1..3.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import fixture_harness as fh
from mfaguard.drift import desired
from mfaguard.policy.coverage import Engine
from mfaguard.policy.semantics import CONSOLE

COVERAGE_CHECKS = ("CKV2_MFA_1", "CKV2_MFA_2", "CKV2_MFA_3")
PLAN_CASES = [c for c in fh.cases() if fh.has_plan(c)
              and any(cid in COVERAGE_CHECKS for cid in fh.load_expected(c, "plan"))]


def drift_verdicts(case: Path) -> tuple[dict[str, dict[str, set[str]]], set[str]]:
    """(verdict sets per check, as the engine decides over drift's desired model), and the
    addresses of users drift merges because they share a name (IAM keys users by name: two
    planned users with one name cannot both exist)."""
    state = desired.load(str(case / fh.PLAN_FILE))
    engine = Engine(state)
    out = {cid: {v: set() for v in fh.VERDICTS} for cid in COVERAGE_CHECKS}
    for user in state.users.values():
        if user.address is None:
            continue  # named by a link only: not a resource of this plan
        if user.console:
            out["CKV2_MFA_1"][engine.coverage(user, {CONSOLE}).status.lower()].add(user.address)
        out["CKV2_MFA_2"][engine.coverage(user).status.lower()].add(user.address)
    for key, group in state.groups.items():
        if group.address and any(u.console for u in state.members(key)):
            out["CKV2_MFA_3"][engine.group_verdict(key, {CONSOLE}).status.lower()].add(group.address)
    return out, set()


def _merged_names(case: Path) -> set[str]:
    """Planned aws_iam_user addresses whose name another planned user has too."""
    import json

    plan = json.loads((case / fh.PLAN_FILE).read_text())
    seen: dict[str, list[str]] = {}

    def walk(module: dict) -> None:
        for res in module.get("resources") or []:
            if res.get("type") == "aws_iam_user" and res.get("mode", "managed") == "managed":
                seen.setdefault(str((res.get("values") or {}).get("name")), []).append(res["address"])
        for child in module.get("child_modules") or []:
            walk(child)

    walk((plan.get("planned_values") or {}).get("root_module") or {})
    return {a for addrs in seen.values() if len(addrs) > 1 for a in addrs}


PLAN_PARAMS = [pytest.param(c, id=fh.case_id(c)) for c in PLAN_CASES]


@pytest.mark.parametrize("case", PLAN_PARAMS)
def test_drift_desired_side_through_the_engine_gives_the_scan_verdicts(case: Path):
    expected = fh.load_expected(case, "plan")
    got, _ = drift_verdicts(case)
    merged = _merged_names(case)
    problems = []
    for cid in COVERAGE_CHECKS:
        if cid not in expected:
            continue
        for verdict in fh.VERDICTS:
            want = expected[cid][verdict] - merged
            have = got[cid][verdict] - merged
            if want != have:
                problems.append(f"{cid} {verdict}: scan expects {sorted(want - have)} only; "
                                f"drift+engine gives {sorted(have - want)} too")
    assert not problems, "\n".join(problems)
