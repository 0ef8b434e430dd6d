"""Fuzzing the scan's contract with generated HCL and plan JSON (hypothesis).

Shapes around what mfaguard reads (IAM users, login profiles, policies, memberships, Cognito
pools; nested blocks, unicode, odd types where strings are expected, huge and empty values,
truncated or corrupted files) are scanned next to a known-good file, and the contract holds:

* the exit code is 0, 1 or 2 (never 1 for a crash, never a traceback);
* the good file's finding is always reported, whatever the generated file does.

`make test` runs a bounded number of examples (MFAGUARD_FUZZ_EXAMPLES, default 10 per test: a few
seconds each); `make fuzz` runs many more.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mfaguard.cli import main

EXAMPLES = int(os.environ.get("MFAGUARD_FUZZ_EXAMPLES", "10"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 10,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                           HealthCheck.data_too_large])

GOOD_TF = '''resource "aws_cognito_user_pool" "good_fail" {
  name              = "shop"
  mfa_configuration = "OFF"
}
'''
GOOD_ADDRESS = "aws_cognito_user_pool.good_fail"

RESOURCE_TYPES = ["aws_cognito_user_pool", "aws_iam_user", "aws_iam_user_login_profile", "aws_iam_access_key",
                  "aws_iam_policy", "aws_iam_group", "aws_iam_group_membership", "aws_iam_user_group_membership",
                  "aws_iam_group_policy_attachment", "aws_iam_user_policy", "data.aws_iam_policy_document"]
KEYS = ["name", "user", "users", "groups", "group", "policy", "policy_arn", "mfa_configuration", "count",
        "for_each", "enabled", "advanced_security_mode", "allowed_first_auth_factors", "user_pool_tier"]
BLOCKS = ["software_token_mfa_configuration", "user_pool_add_ons", "sign_in_policy", "statement", "condition"]

# ------------------------------------------------------------------------------ HCL
_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='"\\$%'), max_size=40)
_hcl_scalar = st.one_of(
    _text.map(lambda s: json.dumps(s, ensure_ascii=False)),
    st.sampled_from(['"ON"', '"OFF"', '"OPTIONAL"', '"ENFORCED"', '""', "true", "false", "null", "0", "-1",
                     "1e308", '"${var.x}"', "var.missing", "local.nothing", "aws_iam_user.u.name",
                     '"arn:aws:iam::aws:policy/AdministratorAccess"', 'jsonencode({})', "each.key",
                     '"\u202e\u0000"', '"é ünï ☃"', "count.index"]),
    st.integers(min_value=1, max_value=20000).map(lambda n: json.dumps("x" * n)),
)
_hcl_value = st.recursive(
    _hcl_scalar,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.dictionaries(st.sampled_from(KEYS), inner, max_size=3).map(
            lambda d: "{ " + ", ".join(f"{k} = {v}" for k, v in d.items()) + " }"),
        inner.map(lambda v: f"jsonencode({{ Statement = [{{ Effect = \"Deny\", Action = {v} }}] }})"),
        st.tuples(inner, inner).map(lambda t: f"var.flag ? {t[0]} : {t[1]}"),
    ),
    max_leaves=8,
)


@st.composite
def _hcl_body(draw, depth: int = 0) -> str:
    lines = [f"  {draw(st.sampled_from(KEYS))} = {draw(_hcl_value)}" for _ in range(draw(st.integers(0, 4)))]
    if depth < 2:
        for _ in range(draw(st.integers(0, 2))):
            lines.append(f"  {draw(st.sampled_from(BLOCKS))} {{\n{draw(_hcl_body(depth + 1))}\n  }}")
    return "\n".join(lines)


@st.composite
def hcl_files(draw) -> bytes:
    blocks = []
    for i in range(draw(st.integers(1, 4))):
        rtype = draw(st.sampled_from(RESOURCE_TYPES))
        kind, rtype = ("data", rtype[5:]) if rtype.startswith("data.") else ("resource", rtype)
        blocks.append(f'{kind} "{rtype}" "f_{i}" {{\n{draw(_hcl_body())}\n}}\n')
    if draw(st.booleans()):
        blocks.append('variable "flag" {\n  default = ' + draw(_hcl_value) + "\n}\n")
    text = "\n".join(blocks).encode("utf-8")
    return _corrupt(draw, text)


def _corrupt(draw, data: bytes) -> bytes:
    how = draw(st.sampled_from(["none", "none", "truncate", "insert", "binary", "deep"]))
    if how == "truncate" and data:
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        return data[:at] + draw(st.sampled_from([b"{", b"}", b'"', b"${", b"<<EOF\n", b"\xff\xfe", b"]"])) + data[at:]
    if how == "binary":
        return data[:10] + b"\x00\x01\x02" + data[10:]
    if how == "deep":
        n = draw(st.integers(50, 3000))
        return data + b'locals {\n  deep = ' + b"[" * n + b"]" * n + b"\n}\n"
    return data


# ------------------------------------------------------------------------------ plan JSON
_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                       _text, st.sampled_from(["ON", "OFF", "OPTIONAL", "ENFORCED", "", "${var.x}"]))
_json_value = st.recursive(_json_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS + BLOCKS), inner, max_size=4)), max_leaves=12)


@st.composite
def plan_files(draw) -> bytes:
    resources = []
    for i in range(draw(st.integers(0, 4))):
        rtype = draw(st.sampled_from([t for t in RESOURCE_TYPES if not t.startswith("data.")]))
        values = draw(st.dictionaries(st.sampled_from(KEYS + BLOCKS), _json_value, max_size=6))
        resources.append({"address": f"{rtype}.f_{i}", "mode": "managed", "type": rtype, "name": f"f_{i}",
                          "values": values})
    doc: dict = {"format_version": draw(st.sampled_from(["1.2", "0.1", "1.0", "9.0", 1, None])),
                 "terraform_version": "1.9.0"}
    if draw(st.booleans()):
        doc["planned_values"] = {"root_module": {"resources": resources}}
    if draw(st.booleans()):
        doc["resource_changes"] = [
            {"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
             "change": {"actions": ["create"], "before": None, "after": r["values"],
                        "after_unknown": draw(st.one_of(st.just({}), _json_value))}} for r in resources]
    if draw(st.booleans()):
        doc = draw(st.one_of(_json_value, st.just(doc)))  # sometimes not a plan at all
    return _corrupt(draw, json.dumps(doc, ensure_ascii=draw(st.booleans())).encode("utf-8"))


# ------------------------------------------------------------------------------ the contract
def _scan(capfd, args: list[str]) -> tuple[int, str]:
    code = main(["scan", *args, "--format", "json", "--quiet"])
    out, err = capfd.readouterr()
    return code, out + err


def _holds(code: int, text: str) -> None:
    assert code in (0, 1, 2), text[-3000:]
    assert "Traceback (most recent call last)" not in text, text[-3000:]
    assert GOOD_ADDRESS in text, "the good file's finding was lost:\n" + text[-3000:]
    assert code != 0  # the good file always fails CKV_MFA_1


@pytest.fixture
def workdir():
    path = tempfile.mkdtemp(prefix="mfaguard-fuzz-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@SETTINGS
@given(data=hcl_files())
def test_generated_hcl_never_breaks_the_contract(capfd, workdir, data):
    folder = os.path.join(workdir, "stack")
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    with open(os.path.join(folder, "good.tf"), "w", encoding="utf-8") as fh:
        fh.write(GOOD_TF)
    with open(os.path.join(folder, "fuzz.tf"), "wb") as fh:
        fh.write(data)
    _holds(*_scan(capfd, [folder]))


@SETTINGS
@given(data=plan_files())
def test_generated_plan_json_never_breaks_the_contract(capfd, workdir, data):
    folder = os.path.join(workdir, "stack")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "good.tf"), "w", encoding="utf-8") as fh:
        fh.write(GOOD_TF)
    plan = os.path.join(workdir, "fuzz-plan.json")
    with open(plan, "wb") as fh:
        fh.write(data)
    _holds(*_scan(capfd, [folder, plan]))
