"""What the IAM checks tell the user: the verdict's message and the shortest fix, in HCL.

The check files in checks/ pick the principals and paths they judge and call these; the
decision itself (which policies reach the principal, covered or not) is the engine's
``PrincipalCoverage``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from mfaguard import catalogue
from mfaguard.checkov_adapter.graph import Node
from mfaguard.checkov_adapter.model import IamModel
from mfaguard.policy.coverage import FAILED, PASSED, UNKNOWN, GroupVerdict, PrincipalCoverage
from mfaguard.policy.model import User
from mfaguard.policy.semantics import ACCESS_KEYS, CONSOLE, Verdict, describe_paths

_THIEF = {frozenset({CONSOLE}): "a stolen password", frozenset({ACCESS_KEYS}): "a stolen access key"}


@dataclass
class Result:
    verdict: str  # PASSED | FAILED | UNKNOWN
    message: str


def _paths(paths: Iterable[str]) -> str:
    return describe_paths(paths)


def credentials(user: User) -> str:
    creds = []
    if user.console_by:
        creds.append(f"a console password ({', '.join(user.console_by)})")
    if user.keys_by:
        creds.append(f"access keys ({', '.join(user.keys_by)})")
    return " and ".join(creds) if creds else \
        "no credentials declared here (console password and access keys can be added by hand)"


def aws_managed_note(cov: PrincipalCoverage) -> str:
    managed = cov.aws_managed()
    if not managed:
        return ""
    names = ", ".join(f"{s.name} ({s.terraform_label})" for s in managed)
    return f" AWS-managed policies never deny on a missing MFA, so {names} cannot enforce it."


def _boundary_note(cov: PrincipalCoverage) -> str:
    bounds = [s for s in cov.enforcing() if s.kind == "boundary"]
    if not bounds:
        return ""
    return (" A permissions boundary's Deny applies to every request of the user it bounds: an explicit Deny "
            "in any policy layer wins.")


def user_result(model: IamModel, key: str, paths: frozenset, check_id: str) -> Result:
    user = model.principals.users[key]
    cov = model.engine.coverage(user, paths)
    name, has = user.name, credentials(user)
    reached = [s for s in cov.sources if s.verdict.enforced]
    if cov.status == PASSED:
        via = "; ".join(s.terraform_label + (f" via group {s.group_name}" if s.group_name else "") for s in reached)
        return Result(PASSED, f"IAM user {name} has {has}; MFA is enforced by {via}.{_boundary_note(cov)}")
    open_text = _paths(cov.open_paths)
    if cov.status == UNKNOWN:
        return Result(UNKNOWN, f"IAM user {name} has {has}; whether MFA is enforced on {open_text} cannot be "
                               f"decided: {cov.unknown}.")
    partial = ""
    if reached:
        partial = " Policies that reach the user enforce only " + "; ".join(
            f"{_paths(s.verdict.enforced)} ({s.terraform_label})" for s in reached) + "."
    exempt = [(s, next((p for p in s.verdict.problems if " exclude" in p), None)) for s in cov.sources]
    partial += "".join(f" {s.terraform_label} exempts this user ({p})" for s, p in exempt if p)
    thief = _THIEF.get(frozenset(cov.open_paths), "a stolen password or access key")
    return Result(FAILED, f"IAM user {name} has {has} and no MFA-enforcing Deny reaches them on {open_text}: "
                          f"{thief} is enough to get in.{partial}{aws_managed_note(cov)} "
                          + fix_for_user(model, key, check_id, cov.open_paths))


def _ref(node: "Node") -> str:
    """How the node's module refers to it: ``aws_iam_user.u["jane.doe"]`` for an instance of an
    expanded block (plans), the block name otherwise."""
    rest = node.address[len(node.module):] if node.address.startswith(node.module) else ""
    return rest if rest.startswith(node.type) else node.local


def fix_for_user(model: IamModel, key: str, check_id: str, open_paths: frozenset) -> str:
    """The engine's shortest safe fix, as HCL in the user's module."""
    node = model.nodes[key]
    fix = model.engine.fix_for(model.principals.users[key], open_paths)
    label = lambda other: re.sub(r"[^A-Za-z0-9_]", "_", f"{node.short}_{other.short}")  # noqa: E731
    if fix.kind == "attach":
        p = model.nodes[fix.key]
        return (f"Fix: attach {p.display}, which already enforces MFA on {_paths(open_paths)}, "
                f"to {node.short}:\n"
                f'resource "aws_iam_user_policy_attachment" "{label(p)}" {{\n'
                f"  user       = {_ref(node)}.name\n"
                f"  policy_arn = {_ref(p)}.arn\n"
                f"}}")
    if fix.kind == "join":
        g = model.nodes[fix.key]
        return (f"Fix: add {node.short} to group {g.short} ({g.display}), which already enforces MFA on "
                f"{_paths(open_paths)} (membership also grants the group's other permissions; if that is "
                f"too much, attach the MFA enforcement policy to the user instead):\n"
                f'resource "aws_iam_user_group_membership" "{label(g)}" {{\n'
                f"  user   = {_ref(node)}.name\n"
                f"  groups = [{_ref(g)}.name]\n"
                f"}}")
    block = node.local.split(".", 1)[-1]
    return "Fix: attach the MFA enforcement policy:\n" + catalogue.check(check_id).fix_hcl.replace("USER", block)


def group_result(model: IamModel, key: str, check_id: str) -> Result:
    group, node = model.principals.groups[key], model.nodes[key]
    gv = model.engine.group_verdict(key, {CONSOLE})
    cov = gv.coverage
    who = ", ".join(u.name for u in model.principals.members(key) if u.console)
    if gv.per_member:
        return _per_member(gv, group.name, who)
    if gv.status == PASSED:
        via = "; ".join(s.terraform_label for s in cov.sources if CONSOLE in s.verdict.enforced)
        return Result(PASSED, f"IAM group {group.name} has console members ({who}) and enforces MFA ({via}).")
    if gv.status == UNKNOWN:
        return Result(UNKNOWN, f"IAM group {group.name} has console members ({who}); whether its policies enforce "
                               f"MFA cannot be decided: {cov.unknown}.")
    block = node.local.split(".", 1)[-1]
    return Result(FAILED, f"IAM group {group.name} has console members ({who}) and none of its policies enforces "
                          f"MFA on console sign-in.{aws_managed_note(cov)} Fix: attach the MFA enforcement policy:\n"
                          + catalogue.check(check_id).fix_hcl.replace("GROUP", block))


def _per_member(gv: GroupVerdict, name: str, who: str) -> Result:
    """A group whose policy decides per principal, judged member by member by the engine."""
    labels = ", ".join(dict.fromkeys(s.terraform_label for s in gv.coverage.sources
                                     if s.verdict.depends_on_principal or CONSOLE in s.verdict.enforced))
    covered = ", ".join(gv.covered)
    if gv.status == PASSED:
        return Result(PASSED, f"IAM group {name} has console members ({who}) and enforces MFA on each of them "
                              f"({labels}; its conditions on the principal were decided member by member).")
    undecided = "; ".join(f"{member}: {reason}" for member, reason in gv.undecided)
    if gv.status == UNKNOWN:
        return Result(UNKNOWN, f"IAM group {name} has console members ({who}); {labels} enforces MFA on console "
                               f"sign-in for {covered}; for the others it cannot be decided: {undecided}.")
    exempt = ", ".join(gv.exempt)
    also = f" For the others it cannot be decided: {undecided}." if undecided else ""
    return Result(FAILED, f"IAM group {name} has console members ({who}); {labels} enforces MFA on console sign-in "
                          f"for {covered} but its conditions on the principal exempt {exempt}, who can sign in "
                          f"without MFA: a stolen password is enough to get in. Security Hub IAM.5 requires MFA for "
                          f"every IAM user with a console password, so a group with a console member whom no "
                          f"MFA-enforcing Deny reaches fails.{also} Fix: drop {exempt} from the exemption (a "
                          f"break-glass user keeps an MFA device with its password), or take {exempt} out of group "
                          f"{name}; CKV2_MFA_1 judges each user either way.")


def document_result(where: str, verdict: Verdict, check_id: str) -> Result:
    outcome, detail = verdict.ckv_mfa_4  # the rule lives in mfaguard.policy.semantics
    if outcome == "unknown":
        return Result(UNKNOWN, f"{where}: the policy document cannot be judged: {detail}.")
    if outcome != "broken":
        return Result(PASSED, f"{where} {detail}.")
    return Result(FAILED, f"{where} tries to enforce MFA but does not: {detail} Corrected statement:\n"
                          + catalogue.check(check_id).fix_hcl)
