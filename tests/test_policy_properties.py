"""Properties of the MFA-enforcement semantics (hypothesis).

The verdict of a document must not depend on how it is written: statement order, the case
of element/operator/key/action names, string-vs-list forms, JSON text vs dict, and unrelated
statements added next to it.
"""
from __future__ import annotations

import json
import random
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfaguard.policy.semantics import ALL_PATHS, Principal, Verdict, coverage, evaluate, for_principal

SETTINGS = settings(max_examples=int(__import__("os").environ.get("MFAGUARD_HYPOTHESIS_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])

ACTIONS = [
    "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ResyncMFADevice", "iam:ListMFADevices",
    "iam:GetUser", "sts:GetSessionToken", "iam:ChangePassword", "iam:List*", "iam:Get*",
    "iam:CreateAccessKey", "iam:DeactivateMFADevice", "iam:*", "sts:*", "s3:*", "ec2:RunInstances",
    "iam:Attach*Policy", "iam:*VirtualMFADevice", "*",
]
RESOURCES = ["*", "arn:aws:iam::*:user/${aws:username}", "arn:aws:s3:::bucket/*", "arn:aws:iam::*:mfa/*"]
CONDITIONS = [
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "false"),
    ("Bool", "aws:MultiFactorAuthPresent", "false"),
    ("Null", "aws:MultiFactorAuthPresent", "true"),
    ("BoolIfExists", "aws:MultiFactorAuthPresent", "true"),
    ("NumericGreaterThan", "aws:MultiFactorAuthAge", "3600"),
    ("NumericGreaterThanIfExists", "aws:MultiFactorAuthAge", "3600"),
    ("IpAddress", "aws:SourceIp", "10.0.0.0/8"),
    ("Bool", "aws:ViaAWSService", "false"),
    ("Null", "aws:MultiFactorAuthAge", "true"),
    ("StringNotEquals", "aws:username", "break-glass"),
    ("ArnNotLike", "aws:PrincipalArn", "arn:aws:iam::*:user/break-glass"),
]


@st.composite
def statements(draw, mfa: bool | None = None):
    effect = draw(st.sampled_from(["Allow", "Deny"]))
    s = {"Effect": effect}
    if draw(st.booleans()):
        s["Sid"] = draw(st.sampled_from(["A", "B", "C", "DenyNoMFA"]))
    kind = draw(st.sampled_from(["Action", "NotAction"]))
    s[kind] = draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=6, unique=True))
    s["Resource"] = draw(st.lists(st.sampled_from(RESOURCES), min_size=1, max_size=2, unique=True))
    pool = CONDITIONS if mfa is None else [c for c in CONDITIONS if ("MultiFactor" in c[1]) == mfa]
    conds = draw(st.lists(st.sampled_from(pool), max_size=3, unique_by=lambda c: (c[0], c[1])))
    if mfa:
        conds = conds or [pool[0]]
    if conds:
        cond: dict = {}
        for op, key, value in conds:
            cond.setdefault(op, {})[key] = [value]
        s["Condition"] = cond
    return s


# A plain Random from a drawn seed: hypothesis' own Random makes one draw per call (slow).
seeds = st.integers(0, 2**32 - 1).map(random.Random)

documents = st.lists(statements(), min_size=1, max_size=5).map(
    lambda sts: {"Version": "2012-10-17", "Statement": sts})

# Statements that cannot change an MFA verdict: Allows, and Denies that do not mention MFA.
unrelated = st.one_of(
    statements().map(lambda s: {**s, "Effect": "Allow"}),
    statements(mfa=False).map(lambda s: {**s, "Effect": "Deny"}),
)


def essence(v: Verdict) -> tuple:
    # Problems name unnamed statements by position ("statement 3"): compare them without it.
    problems = frozenset(re.sub(r"statement \d+", "statement #", p) for p in v.problems)
    return (v.attempts, v.enforced, v.lockout, v.unknown is None, v.targeted, problems)


def recased(doc, rnd):
    """Same document with element, operator, condition-key and action names in random case."""
    def word(text):
        return "".join(c.upper() if rnd.random() < 0.5 else c.lower() for c in text)

    out_statements = []
    for s in doc["Statement"]:
        n = {}
        for k, v in s.items():
            if k in ("Action", "NotAction"):
                v = [word(a) for a in v]
            elif k == "Condition":
                v = {word(op): {word(key): [word(x) for x in vals] for key, vals in body.items()}
                     for op, body in v.items()}
            n[word(k)] = v
        out_statements.append(n)
    return {word("Statement"): out_statements}


def singular(doc):
    """One-element lists written as plain strings, booleans for Bool values."""
    out = []
    for s in doc["Statement"]:
        n = {}
        for k, v in s.items():
            if isinstance(v, list) and len(v) == 1:
                v = v[0]
            if k == "Condition":
                v = {op: {key: (vals[0] == "true" if op.startswith("Bool") and len(vals) == 1 else
                                vals[0] if len(vals) == 1 else vals)
                          for key, vals in body.items()} for op, body in v.items()}
            n[k] = v
        out.append(n)
    return {"Statement": out[0] if len(out) == 1 else out}


@SETTINGS
@given(documents, seeds)
def test_statement_order_does_not_matter(doc, rnd):
    shuffled = list(doc["Statement"])
    rnd.shuffle(shuffled)
    a, b = evaluate(doc), evaluate({"Statement": shuffled})
    assert essence(a) == essence(b)


@SETTINGS
@given(documents, seeds)
def test_name_case_does_not_matter(doc, rnd):
    a, b = evaluate(doc), evaluate(recased(doc, rnd))
    assert (a.attempts, a.enforced, a.lockout, a.unknown, a.targeted) == (
        b.attempts, b.enforced, b.lockout, b.unknown, b.targeted)


@SETTINGS
@given(documents)
def test_string_vs_list_and_json_text_do_not_matter(doc):
    a = evaluate(doc)
    assert essence(evaluate(singular(doc))) == essence(a)
    assert evaluate(json.dumps(doc)) == a


@SETTINGS
@given(documents, st.lists(unrelated, min_size=1, max_size=3))
def test_unrelated_statements_do_not_change_the_verdict(doc, extra):
    a = evaluate(doc)
    b = evaluate({"Statement": doc["Statement"] + extra})
    assert (a.attempts, a.enforced, a.lockout, a.unknown) == (b.attempts, b.enforced, b.lockout, b.unknown)


AWS_EXAMPLE = {"Sid": "BlockMostAccessUnlessSignedInWithMFA", "Effect": "Deny",
               "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                             "iam:ResyncMFADevice", "sts:GetSessionToken"],
               "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}


@SETTINGS
@given(documents)
def test_adding_a_correct_enforcement_statement_always_enforces_everywhere(doc):
    stmts = [s for s in doc["Statement"] if s.get("Sid") != AWS_EXAMPLE["Sid"]]
    v = evaluate({"Statement": stmts + [AWS_EXAMPLE]})
    assert v.enforced == ALL_PATHS and v.attempts and v.unknown is None


@SETTINGS
@given(documents)
def test_verdict_invariants(doc):
    v = evaluate(doc)
    assert v.enforced <= ALL_PATHS
    if v.enforced:
        assert v.attempts
    if v.attempts and v.enforced != ALL_PATHS:
        assert v.problems, "a document that tries and fails must say why"
    if v.targeted:
        assert not v.enforced


@SETTINGS
@given(st.lists(documents, max_size=4), st.sets(st.sampled_from(sorted(ALL_PATHS))))
def test_coverage_is_the_union_of_enforced_paths(docs, paths):
    verdicts = [evaluate(d) for d in docs]
    union = frozenset().union(*[v.enforced for v in verdicts]) if verdicts else frozenset()
    c = coverage(paths, verdicts)
    assert c.covered == (frozenset(paths) <= union)
    assert c.open_paths == frozenset(paths) - union
    if c.covered:
        assert c.unknown is None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(
        ["Deny", "Allow", "*", "iam:*", "false", "true", "aws:MultiFactorAuthPresent", "BoolIfExists", "Null",
         "${var.x}", "var.x", "arn:aws:iam::*:user/${aws:username}", "Statement", "Action", "NotAction",
         "Resource", "Condition", "Effect"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["Statement", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
                         "BoolIfExists", "Bool", "Null", "aws:MultiFactorAuthPresent", "Principal", "Sid"]),
        children, max_size=5),
    max_leaves=25)


@SETTINGS
@given(json_values)
def test_evaluate_never_raises_on_arbitrary_input(value):
    v = evaluate(value)
    assert isinstance(v, Verdict) and v.enforced <= ALL_PATHS
    assert not (v.unknown or "").startswith("the policy document has an unexpected shape"), v.unknown
    assert isinstance(evaluate(json.dumps(value)), Verdict)


conf_values = st.recursive(
    st.none() | st.booleans() | st.sampled_from(
        ["Deny", "*", "iam:*", "false", "aws:MultiFactorAuthPresent", "BoolIfExists", "var.x", "${var.y}",
         "data.aws_iam_policy_document.x.json", '{"Statement": []}', "statement.value.actions", "{"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["statement", "condition", "dynamic", "source_policy_documents", "override_policy_documents",
                         "source_json", "override_json", "effect", "actions", "not_actions", "resources",
                         "not_resources", "values", "test", "variable", "for_each", "content", "principals",
                         "type", "identifiers", "sid", "json"]),
        children, max_size=5),
    max_leaves=25)


@SETTINGS
@given(conf_values)
def test_document_converters_never_raise(conf):
    from mfaguard.policy import documents as D
    from mfaguard.policy.semantics import Unresolved

    for convert in (D.from_policy_attribute, D.from_jsonencode, D.from_json_string,
                    lambda c: D.from_policy_document_config(c, resolve=lambda ref: None)):
        out = convert(conf)
        assert isinstance(out, (dict, Unresolved))
        assert "unexpected shape" not in getattr(out, "reason", ""), out
        assert isinstance(evaluate(out), Verdict)


@SETTINGS
@given(documents, st.sampled_from([Principal(name="alice"), Principal(name="break-glass"),
                                   Principal(name="break-glass", arn="arn:aws:iam::111122223333:user/break-glass")]))
def test_for_principal_only_ever_adds_to_the_unnamed_verdict(document, principal):
    # Conditions on the principal narrow for an unnamed principal; deciding them for one user can
    # only show more paths enforced, and a document that does not depend on it is returned as is.
    v = evaluate(document)
    specific = for_principal(v, principal)
    assert specific.enforced >= v.enforced
    if not v.depends_on_principal:
        assert specific is v
    if v.unknown is None:
        assert specific.unknown is None
