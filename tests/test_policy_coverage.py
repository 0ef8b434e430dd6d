"""The engine on literal models: reference resolution, coverage sources, extension points.

Fixtures (scan and drift alike) are in test_checks_fixtures.py and test_engine_guard.py; here
each rule of mfaguard.policy.references / coverage is pinned on its own.
"""
from __future__ import annotations

import pytest

from mfaguard.policy import coverage as cov_mod
from mfaguard.policy.coverage import FAILED, PASSED, UNKNOWN, AccountSource, Engine
from mfaguard.policy.model import AFTER_APPLY_GROUP, Attachment, Dangling, Group, InlinePolicy, ManagedPolicy, Principals, User
from mfaguard.policy.references import AWS_MANAGED, CONFIGURED, OUTSIDE, UNKNOWN as REF_UNKNOWN, resolve
from mfaguard.policy.semantics import ACCESS_KEYS, CONSOLE, Unresolved

NOT_ACTIONS = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices", "iam:ResyncMFADevice",
               "sts:GetSessionToken"]
ENFORCE = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "NotAction": NOT_ACTIONS, "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}
ACCT = "111122223333"


def model(**kw) -> Principals:
    kw.setdefault("policies", {"aws_iam_policy.mfa": ManagedPolicy("enforce-mfa", address="aws_iam_policy.mfa",
                                                                   document=ENFORCE, path="/security/")})
    return Principals(**kw)


@pytest.mark.parametrize("ref, kind", [
    ("aws_iam_policy.mfa", CONFIGURED),
    (f"arn:aws:iam::{ACCT}:policy/security/enforce-mfa", CONFIGURED),  # same path and name
    (f"arn:aws:iam::{ACCT}:policy/enforce-mfa", REF_UNKNOWN),  # another path: another policy
    ("arn:aws:iam::aws:policy/ReadOnlyAccess", AWS_MANAGED),
    ("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess", AWS_MANAGED),
    (Unresolved("policy_arn of x (var.arn) cannot be resolved"), REF_UNKNOWN),
    (Attachment("aws_iam_policy.mfa", via="aws_iam_user_policy_attachment.a"), CONFIGURED),
    ("aws_iam_policy.elsewhere", REF_UNKNOWN),
])
def test_a_reference_resolves_by_address_or_by_arn_with_the_same_path(ref, kind):
    assert resolve(ref, model()).kind == kind


def test_an_arn_outside_the_model_is_looked_up_outside_and_otherwise_unknown():
    arn = f"arn:aws:iam::{ACCT}:policy/ci/deploy"
    found = ManagedPolicy("deploy", arn=arn, document=READ)
    assert resolve(arn, model(), outside={arn: found}.get).kind == OUTSIDE
    res = resolve(arn, model())
    assert res.kind == REF_UNKNOWN and "is not in the configuration and cannot be judged" in res.reason
    assert "not in the account" in resolve(arn, model(), scope="the account").reason


def test_a_known_arn_must_match_exactly_and_an_unknown_path_is_ambiguous():
    m = model(policies={
        "a": ManagedPolicy("x", arn=f"arn:aws:iam::{ACCT}:policy/x", document=ENFORCE),
        "b": ManagedPolicy("y", address="aws_iam_policy.y", document=ENFORCE, path_known=False),
    })
    assert resolve(f"arn:aws:iam::999999999999:policy/x", m).kind == REF_UNKNOWN  # another account
    res = resolve(f"arn:aws:iam::{ACCT}:policy/team/y", m)
    assert res.kind == REF_UNKNOWN and "paths are not known" in res.reason


def _user(**kw) -> User:
    kw.setdefault("console", True)
    return User("jess", address="aws_iam_user.jess", **kw)


def test_aws_managed_only_is_decided_failed_and_named():
    user = _user(attached_policy_arns=["arn:aws:iam::aws:policy/ReadOnlyAccess"])
    cov = Engine(model(users={"jess": user})).coverage(user)
    assert cov.status == FAILED and [s.name for s in cov.aws_managed()] == ["ReadOnlyAccess"]


def test_an_unknown_reference_is_unknown_never_dropped():
    user = _user(attached_policy_arns=[Unresolved("policy_arn of a (var.arn) cannot be resolved")])
    cov = Engine(model(users={"jess": user})).coverage(user)
    assert cov.status == UNKNOWN and "var.arn" in cov.unknown


def test_sources_inline_attached_group_and_boundary_each_cover():
    e_inline = _user(inline_policies=[InlinePolicy("mfa", ENFORCE)])
    e_attached = _user(attached_policy_arns=["aws_iam_policy.mfa"])
    e_group = _user(groups=["admins"])
    e_boundary = _user(permissions_boundary=f"arn:aws:iam::{ACCT}:policy/security/enforce-mfa")
    groups = {"admins": Group("admins", attached_policy_arns=["aws_iam_policy.mfa"])}
    engine = Engine(model(groups=groups))
    for user, kind in ((e_inline, "inline"), (e_attached, "managed"), (e_group, "managed"), (e_boundary, "boundary")):
        cov = engine.coverage(user, {CONSOLE, ACCESS_KEYS})
        assert cov.status == PASSED and [s.kind for s in cov.enforcing()] == [kind]
    assert engine.coverage(e_group).enforcing()[0].group_name == "admins"


def test_account_sources_are_a_labelled_extension_point():
    user = _user()
    engine = Engine(model(users={"jess": user}))
    assert engine.coverage(user).status == FAILED
    scp = AccountSource("SCP deny-no-mfa on OU ou-ab12", ENFORCE)
    cov = engine.coverage(user, account_sources=[scp])
    assert cov.status == PASSED and cov.enforcing()[0].label == "SCP deny-no-mfa on OU ou-ab12"
    assert cov.enforcing()[0].kind == "scp"


def test_a_group_outside_the_configuration_is_unknown_for_its_members_only():
    """A membership naming a group the model does not hold (a plan's `groups = var.x` given as
    "auditors"): its policies cannot be judged, so its member is UNKNOWN, naming the group; a user
    outside it is still decided (scan and drift alike: tests/test_engine_guard.py)."""
    member, other = _user(groups=["auditors"]), _user()
    engine = Engine(model(users={"ann": member, "ben": other}))
    cov = engine.coverage(member)
    assert cov.status == UNKNOWN and "group auditors is not in the configuration" in cov.unknown
    assert engine.coverage(other).status == FAILED
    # a drift plan's membership creates a bare Group for the name: the same rule holds
    engine = Engine(model(users={"ann": member}, groups={"auditors": Group("auditors")}))
    assert engine.coverage(member).status == UNKNOWN
    # a declared group (an address) with no enforcing policy decides it
    engine = Engine(model(users={"ann": member}, groups={"auditors": Group("auditors", address="aws_iam_group.a")}))
    assert engine.coverage(member).status == FAILED


def test_a_dangling_link_that_could_cover_makes_it_unknown():
    user = _user()
    link = Dangling("user of aws_iam_user_policy.p (var.who)", policies=[InlinePolicy("p", ENFORCE)])
    cov = Engine(model(users={"jess": user}, dangling=[link])).coverage(user)
    assert cov.status == UNKNOWN and "var.who" in cov.unknown
    harmless = Dangling("user of aws_iam_user_policy.q (var.who)", policies=[InlinePolicy("q", READ)])
    assert Engine(model(users={"jess": user}, dangling=[harmless])).coverage(user).status == FAILED


def test_a_policy_of_an_unresolved_group_reaches_only_users_who_may_be_in_a_group():
    """A group attachment whose group is unknown (a plan's `group = local.x` holding the group's id)
    reaches members of groups only: a user in no group stays FAILED; a member of some group, or
    anyone while a membership's users are unresolved, is UNKNOWN."""
    attach = Dangling("group of aws_iam_group_policy_attachment.a (unknown)", group_policy=True, members_only=True,
                      policies=[Attachment("aws_iam_policy.mfa", via="aws_iam_group_policy_attachment.a")])
    loner, member = _user(), _user(groups=["admins"])
    groups = {"admins": Group("admins", address="aws_iam_group.admins")}
    engine = Engine(model(users={"ann": loner, "ben": member}, groups=groups, dangling=[attach]))
    assert engine.coverage(loner).status == FAILED
    cov = engine.coverage(member)
    assert cov.status == UNKNOWN and "aws_iam_group_policy_attachment.a" in cov.unknown
    joins = Dangling("users of aws_iam_group_membership.m (var.users)", groups=["admins"])
    engine = Engine(model(users={"ann": loner}, groups=groups, dangling=[attach, joins]))
    assert engine.coverage(loner).status == UNKNOWN
    # outside a plan (a module not downloaded may create memberships too) it may reach anyone
    attach.members_only = False
    assert Engine(model(users={"ann": loner}, groups=groups, dangling=[attach])).coverage(loner).status == UNKNOWN


def test_a_group_known_only_after_apply_is_unknown_and_named_so():
    member = _user(groups=[AFTER_APPLY_GROUP + "aws_iam_group_membership.m.group"])
    cov = Engine(model(users={"ann": member})).coverage(member)
    assert cov.status == UNKNOWN
    assert "the group named by aws_iam_group_membership.m.group is known only after apply" in cov.unknown


def test_every_document_verdict_passes_through_the_principal_hook_and_each_document_is_judged_once(monkeypatch):
    seen = []
    real = cov_mod.verdict_for_principal

    def spy(verdict, document, principal):
        seen.append(getattr(principal, "name", None))
        return real(verdict, document, principal)

    monkeypatch.setattr(cov_mod, "verdict_for_principal", spy)
    calls = []
    real_eval = cov_mod.semantics.evaluate
    monkeypatch.setattr(cov_mod.semantics, "evaluate", lambda d: calls.append(d) or real_eval(d))
    user = _user(inline_policies=[InlinePolicy("a", ENFORCE)], groups=["admins"])
    groups = {"admins": Group("admins", inline_policies=[InlinePolicy("b", dict(ENFORCE))])}
    Engine(model(users={"jess": user}, groups=groups)).coverage(user)
    assert seen == ["jess", "jess"]
    assert len(calls) == 1  # the same document twice: judged once


def test_the_fix_attaches_a_deny_only_policy_else_joins_an_enforcing_group():
    user = _user()
    m = model(users={"jess": user}, groups={"admins": Group("admins", address="aws_iam_group.admins",
                                                              inline_policies=[InlinePolicy("m", ENFORCE)])})
    assert Engine(m).fix_for(user, frozenset({CONSOLE})).key == "aws_iam_policy.mfa"
    m.policies["aws_iam_policy.mfa"].document = {"Statement": ENFORCE["Statement"] + READ["Statement"]}
    fix = Engine(m).fix_for(user, frozenset({CONSOLE}))  # it would grant s3:GetObject too
    assert fix.kind == "join" and fix.key == "admins"


def test_no_aws_managed_policy_enforces_mfa_in_motos_snapshot():
    """The rule "AWS-managed policies never enforce MFA", checked against the snapshot of their
    documents that moto (a test dependency) ships."""
    managed = pytest.importorskip("moto.iam.aws_managed_policies")
    import json

    policies = json.loads(managed.aws_managed_policies_data)
    assert len(policies) > 1000
    engine = Engine(Principals())
    enforcing = [name for name, p in policies.items() if engine.document_verdict(p["Document"]).enforced]
    assert enforcing == []


BREAK_GLASS = {"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "NotAction": NOT_ACTIONS, "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"},
                  "StringNotEquals": {"aws:username": ["break-glass"]}}}]}


@pytest.mark.parametrize("members, status, covered, exempt", [
    (("alice", "break-glass"), FAILED, ("alice",), ("break-glass",)),  # IAM.5: break-glass has no MFA requirement
    (("alice", "bob"), PASSED, ("alice", "bob"), ()),  # the exemption names nobody in the group
    (("break-glass",), FAILED, (), ()),  # no member covered: the plain "none of its policies enforces"
])
def test_a_group_policy_with_a_per_user_exemption_is_judged_member_by_member(members, status, covered, exempt):
    groups = {"ops": Group("ops", inline_policies=[InlinePolicy("mfa", BREAK_GLASS)])}
    users = {n: User(n, console=True, groups=["ops"]) for n in members}
    users["keys-only"] = User("keys-only", access_keys=True, console=False, groups=["ops"])  # not a console member
    gv = Engine(model(users=users, groups=groups)).group_verdict("ops", {CONSOLE})
    assert (gv.status, gv.covered, gv.exempt) == (status, covered, exempt)
    assert gv.coverage.status == FAILED  # the group alone (no principal) is narrowed by the exemption
