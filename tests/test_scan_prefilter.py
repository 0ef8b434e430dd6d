"""The HCL prefilter: which blocks it keeps, and that kept blocks parse exactly as before."""
from __future__ import annotations

import hcl2
from hypothesis import given, settings, strategies as st

from mfaguard.scan.prefilter import filter_module, relevant_resource_types, split_blocks

RELEVANT = frozenset({"aws_iam_user", "aws_iam_user_policy", "aws_cognito_user_pool"})

TRICKY = '''# leading comment with a { brace
terraform {
  required_version = ">= 1.5"
}

/* block comment } with a brace */
resource "aws_s3_bucket" "logs" {
  bucket = "logs-${var.env}-}"   # a brace in a string
  tags = {
    Note = "quote \\" and $${not_interpolated} and %{ if true }x%{ endif }"
    Nested = "${lookup(var.m, "k}", "d{")}"
  }
}

resource "aws_iam_user" "jess" {
  name = "jess"
}

resource "aws_iam_user_policy" "jess" {
  user   = aws_iam_user.jess.name
  policy = <<-EOT
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
      "Resource": "${aws_s3_bucket.logs.arn}/*"}]}
    EOT
}

resource "aws_instance" "web" {
  ami  = "ami-1"
  tags = { Bucket = aws_s3_bucket.logs.bucket }
}

resource "aws_security_group" "unused" {
  // } a comment that closes nothing
  name = "sg"
}

locals {
  pool_name = "pool-${aws_sqs_queue.q.name}"
}

resource "aws_sqs_queue" "q" {
  name = "q"
}
'''


def _kept(text: str) -> set[str]:
    return {f"{b.header[1]}.{b.header[2]}" for b in split_blocks(text) if b.header[0] == "resource"}


def test_split_blocks_finds_every_top_level_block_through_strings_heredocs_and_comments():
    blocks = split_blocks(TRICKY)
    assert blocks is not None
    assert [b.header for b in blocks] == [
        ("terraform",),
        ("resource", "aws_s3_bucket", "logs"),
        ("resource", "aws_iam_user", "jess"),
        ("resource", "aws_iam_user_policy", "jess"),
        ("resource", "aws_instance", "web"),
        ("resource", "aws_security_group", "unused"),
        ("locals",),
        ("resource", "aws_sqs_queue", "q"),
    ]
    assert all(TRICKY[b.end - 1] == "}" for b in blocks)


def test_keeps_relevant_types_and_what_kept_blocks_reference_and_blanks_the_rest():
    out, stats = filter_module({"main.tf": TRICKY}, RELEVANT)
    text = out["main.tf"]
    # the bucket is referenced by the kept user policy; the queue by locals (always kept)
    assert _kept(text) == {"aws_s3_bucket.logs", "aws_iam_user.jess", "aws_iam_user_policy.jess", "aws_sqs_queue.q"}
    assert (stats.resources, stats.kept) == (6, 4)
    # a resource that only references kept ones (aws_instance.web) is not kept for that
    assert "aws_instance" not in text and "aws_security_group" not in text


def test_blanking_keeps_line_numbers_and_hcl2_sees_the_same_kept_blocks():
    out, _ = filter_module({"main.tf": TRICKY}, RELEVANT)
    assert out["main.tf"].count("\n") == TRICKY.count("\n")
    before = hcl2.loads(TRICKY)
    after = hcl2.loads(out["main.tf"])
    kept = [r for r in before["resource"] if next(iter(r)) not in ("aws_instance", "aws_security_group")]
    assert after["resource"] == kept  # values and __start_line__/__end_line__ identical
    assert after["locals"] == before["locals"] and after["terraform"] == before["terraform"]


def test_references_are_followed_across_files_of_one_module():
    texts = {
        "iam.tf": 'resource "aws_iam_user" "u" {\n  name = aws_ssm_parameter.name.value\n}\n',
        "ssm.tf": 'resource "aws_ssm_parameter" "name" {\n  name = "n"\n  value = random_pet.p.id\n}\n'
                  'resource "random_pet" "p" {}\nresource "aws_s3_bucket" "b" {}\n',
    }
    out, _ = filter_module(texts, RELEVANT)
    assert _kept(out["ssm.tf"]) == {"aws_ssm_parameter.name", "random_pet.p"}  # transitively


def test_unsure_files_are_left_unchanged_and_their_references_kept():
    broken = 'resource "aws_s3_bucket" "b" {\n  bucket = "unterminated\n}\n'
    odd = 'x = aws_s3_bucket.c.id\n'  # a top-level attribute: not a .tf module the splitter knows
    assert split_blocks(broken) is None and split_blocks(odd) is None
    other = 'resource "aws_s3_bucket" "c" {}\nresource "aws_s3_bucket" "d" {}\n'
    out, stats = filter_module({"a.tf": broken, "b.tf": odd, "c.tf": other}, RELEVANT)
    assert out["a.tf"] is broken and out["b.tf"] is odd
    assert _kept(out["c.tf"]) == {"aws_s3_bucket.c"}
    assert stats.files_unchanged == 2


def test_no_bound_means_no_filtering():
    out, _ = filter_module({"main.tf": TRICKY}, None)
    assert out["main.tf"] == TRICKY


def test_relevant_types_come_from_the_catalogue_and_the_graph_policies(tmp_path):
    types = relevant_resource_types([])
    assert {"aws_cognito_user_pool", "aws_iam_user", "aws_iam_group_policy_attachment",
            "aws_iam_policy_attachment"} <= types
    assert not any(t.startswith("data.") for t in types)
    from mfaguard.checkov_adapter import IAM_TYPES  # every type the Python graph checks read survives

    assert {t for t in IAM_TYPES if not t.startswith("data.")} <= types
    (tmp_path / "p.yaml").write_text(
        "metadata: {id: CKV2_MFA_9}\ndefinition:\n  cond_type: connection\n"
        "  resource_types: [aws_iam_user]\n  connected_resource_types: [aws_iam_virtual_mfa_device]\n")
    assert "aws_iam_virtual_mfa_device" in relevant_resource_types([str(tmp_path)])
    (tmp_path / "all.yaml").write_text("definition:\n  resource_types: all\n")
    assert relevant_resource_types([str(tmp_path)]) is None


# --- property: for generated modules, the kept blocks parse exactly as in the original ---
_names = st.sampled_from(["a", "b", "c"])
_types = st.sampled_from(["aws_iam_user", "aws_cognito_user_pool", "aws_s3_bucket", "aws_instance"])
_values = st.one_of(
    st.tuples(st.text(alphabet="abc{}#/ ", max_size=8), st.sampled_from(["", "$${x}", "%%{y}", '\\"', "\\\\"]))
    .map(lambda t: f'"{t[0]}{t[1]}"'),
    st.tuples(_types, _names).map(lambda t: f"{t[0]}.{t[1]}.id"),
    st.just("<<EOT\n{ \"x\": \"}\" }\nEOT"),
)


@st.composite
def _module(draw):
    blocks = []
    seen = set()
    for _ in range(draw(st.integers(1, 6))):
        t, n = draw(_types), draw(_names)
        if (t, n) in seen:
            continue
        seen.add((t, n))
        attrs = "\n".join(f"  k{i} = {draw(_values)}" for i in range(draw(st.integers(0, 3))))
        comment = draw(st.sampled_from(["", "# c }\n", "/* { */\n"]))
        blocks.append(f'{comment}resource "{t}" "{n}" {{\n{attrs}\n}}\n')
    return "\n".join(blocks)


@settings(max_examples=60, deadline=None)
@given(_module())
def test_property_kept_blocks_parse_identically(text):
    out, _ = filter_module({"m.tf": text}, RELEVANT)
    new = out["m.tf"]
    assert new.count("\n") == text.count("\n")
    before = hcl2.loads(text).get("resource", [])
    after = hcl2.loads(new).get("resource", [])
    kept = _kept(new)
    assert after == [r for r in before if f"{next(iter(r))}.{next(iter(next(iter(r.values()))))}" in kept]
    for r in before:  # every relevant resource survives
        rtype = next(iter(r))
        if rtype in RELEVANT:
            assert f"{rtype}.{next(iter(r[rtype]))}" in kept


def test_nesting_past_the_limit_is_reported_not_parsed():
    from mfaguard.scan.prefilter import MAX_NESTING

    deep = "locals {\n  a = " + "[" * (MAX_NESTING + 5) + "]" * (MAX_NESTING + 5) + "\n}\n"
    ok = 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n'
    out, stats = filter_module({"deep.tf": deep, "ok.tf": ok}, frozenset({"aws_iam_user"}))
    assert stats.too_deep == ("deep.tf",)
    assert out["deep.tf"] is deep  # unchanged: the caller refuses it
    assert out["ok.tf"].strip() == ""  # the rest of the folder is filtered as usual
