"""Who is covered: users -> groups -> policies, each user covered / not covered (which
sign-in path) / unknown, as a small neutral model the pictures (graph.py) draw.

    from_index(model) -> Coverage     the ONE place that reads the scan's IAM model
                                      (mfaguard.checkov_adapter.model.IamModel); verdicts are the
                                      engine's coverage, the same judgement as CKV2_MFA_2
    from_live(desired, live) -> Coverage   the same picture of a live account (drift's
                                      AccountState, its SCPs included), each user named by its
                                      plan address when the plan has it, else by its ARN
    capture() -> context manager      collects the IAM models a scan builds
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from typing import Any, Iterator

COVERED, NOT_COVERED, UNKNOWN = "covered", "not covered", "unknown"


@dataclass
class PolicyEdge:
    label: str  # how the policy reaches (attachment -> policy)
    enforces: str  # "console sign-in and access keys", "nothing", ...
    via_group: str | None = None  # group address, when it reaches through a group


@dataclass
class UserCoverage:
    address: str
    name: str
    signin: str  # "console sign-in", "access keys", ...
    status: str  # COVERED | NOT_COVERED | UNKNOWN
    why: str  # one line: the open path, or the unknown reason
    groups: list[str] = field(default_factory=list)
    policies: list[PolicyEdge] = field(default_factory=list)
    folder: str = ""  # the folder of the file that declares the user (tells root modules apart)


@dataclass
class Coverage:
    users: list[UserCoverage] = field(default_factory=list)


def from_index(model: Any) -> Coverage:
    from mfaguard.policy import semantics
    from mfaguard.policy.coverage import user_paths

    out = Coverage()
    principals = model.principals
    for key in sorted(principals.users, key=lambda k: model.nodes[k].address):
        user, node = principals.users[key], model.nodes[key]
        paths = user_paths(user)
        cov = model.engine.coverage(user, paths)
        status = {"PASSED": COVERED, "FAILED": NOT_COVERED}.get(cov.status, UNKNOWN)
        if status == NOT_COVERED:
            why = "no MFA on " + semantics.describe_paths(cov.open_paths)
        elif status == UNKNOWN:
            why = str(cov.unknown).rstrip(".")
        else:
            why = "MFA enforced"
        policies = [PolicyEdge(s.terraform_label, _enforces(s.verdict, semantics),
                               principals.groups[s.via_group].address if s.via_group else None)
                    for s in cov.sources]
        out.users.append(UserCoverage(
            address=node.address, name=node.short, signin=semantics.describe_paths(paths), status=status,
            why=why, groups=[principals.groups[g].address for g in user.groups], policies=policies,
            folder=os.path.dirname(os.path.abspath(str(node.attrs.get("file_path_") or "")))))
    return out


def from_live(desired: Any, live: Any) -> Coverage:
    """The live account's users (drift's AccountState) judged by the engine, as drift judges them:
    the user's own sign-in paths (credential report), with the SCPs that reach a member account."""
    from mfaguard.policy import semantics
    from mfaguard.policy.coverage import AccountSource, Engine, user_paths

    engine = Engine(live, scope="the account's IAM details")
    scps = [AccountSource(f"SCP {a.name} attached to {a.target}", a.document, "scp")
            for a in getattr(live, "scps", None) or []]
    out = Coverage()
    planned = getattr(desired, "users", None) or {}
    for name in sorted(live.users):
        user = live.users[name]
        paths = user_paths(user)
        cov = engine.coverage(user, paths, account_sources=scps)
        status = {"PASSED": COVERED, "FAILED": NOT_COVERED}.get(cov.status, UNKNOWN)
        why = ("no MFA on " + semantics.describe_paths(cov.open_paths) if status == NOT_COVERED
               else str(cov.unknown).rstrip(".") if status == UNKNOWN else "MFA enforced")
        plan_user = planned.get(name)
        address = (plan_user.address if plan_user is not None and plan_user.address else None) or user.arn or name
        # live groups are keyed by name: the group boxes and the policies' via_group agree
        policies = [PolicyEdge(s.label, _enforces(s.verdict, semantics), s.via_group) for s in cov.sources]
        out.users.append(UserCoverage(
            address=address, name=user.name, signin=semantics.describe_paths(paths), status=status, why=why,
            groups=[g for g in user.groups if g in live.groups], policies=policies))
    return out


def _enforces(verdict: Any, semantics: Any) -> str:
    if verdict.enforced:
        return "enforces MFA on " + semantics.describe_paths(verdict.enforced)
    if verdict.unknown:
        return "cannot be judged here"
    return "enforces no MFA"


@contextlib.contextmanager
def capture() -> Iterator[list]:
    """The IAM models the scan's graph checks build (one per graph: HCL folders, plans).
    The scan runs its units in this process meanwhile (MFAGUARD_WORKERS=1): a model built in a
    forked worker would never reach this list."""
    from mfaguard.checkov_adapter import model as iam_model

    seen: list = []
    original = iam_model.model_for
    workers = os.environ.get("MFAGUARD_WORKERS")
    os.environ["MFAGUARD_WORKERS"] = "1"

    def index_for(graph: Any) -> Any:
        index = original(graph)
        if not any(i is index for i in seen):
            seen.append(index)
        return index

    iam_model.model_for = index_for
    try:
        yield seen
    finally:
        iam_model.model_for = original
        if workers is None:
            os.environ.pop("MFAGUARD_WORKERS", None)
        else:
            os.environ["MFAGUARD_WORKERS"] = workers


def merge(indexes: list) -> Coverage:
    """One picture for several graphs: a user judged in several (the HCL and the plan of one
    stack; or two root modules declaring the same user at the same address) appears once,
    with the least favourable status, so merging never hides a user that is not covered."""
    rank = {NOT_COVERED: 0, UNKNOWN: 1, COVERED: 2}
    users: dict[tuple[str, str], UserCoverage] = {}
    for index in indexes:
        for u in from_index(index).users:
            key = (u.address, u.name)
            if key not in users or rank[u.status] < rank[users[key].status]:
                users[key] = u
    return Coverage(users=sorted(users.values(), key=lambda u: (rank[u.status], u.address)))
