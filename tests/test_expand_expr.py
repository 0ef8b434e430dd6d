"""mfaguard.expand.expr / functions: HCL expressions evaluated as Terraform documents them
(developer.hashicorp.com/terraform/language/expressions), from hcl2's parse trees."""
from __future__ import annotations

import pytest

from mfaguard.expand import expr
from mfaguard.expand.values import APPLY, INPUT, EvalError, Unknown


class Names:
    """A scope with a few root names (var, local, a resource type)."""

    def __init__(self, **names):
        self.names = names

    def lookup(self, name):
        if name in self.names:
            return self.names[name]
        raise EvalError(f"unknown name {name!r}")


UNSET = Unknown(INPUT, "var.unset has no value")
LATER = Unknown(APPLY, "known after apply", "${aws_iam_policy.p.arn}")
SCOPE = Names(var={"x": "", "name": "jane.doe", "n": 2, "list": ["b", "a", "b"], "unset": UNSET,
                   "people": {"ann": {"mfa": True}, "bo": {"mfa": False}}},
              local={"later": LATER}, aws_iam_user={"u": [{"name": "a"}, {"name": "b"}]})


def ev(text: str):
    return expr.evaluate(expr.parse_expression(text), SCOPE)


@pytest.mark.parametrize(("text", "value"), [
    ("1 + 2 * 3", 7),
    ("(1 + 2) * 3", 9),
    ("10 - 2 - 3", 5),
    ("7 / 2", 3.5),
    ("7 % 3", 1),
    ("-1 < 0", True),
    ("true || false && false", True),
    ("(true || false) && false", False),
    ("!true || true", True),
    ('var.x != "" ? 1 : 0', 0),
    ('var.x == "" ? 1 : 0', 1),
    ('var.n > 1 ? "many" : var.n == 1 ? "one" : "none"', "many"),
    ('1 == 1 ? "a" : "b" == "b" ? "c" : "d"', "a"),
    ("var.n == 2 && var.x == \"\"", True),
    ('1 == "1"', False),
    ("null == null", True),
])
def test_operators_keep_hcl_precedence(text, value):
    assert ev(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ('"a-${var.name}-c"', "a-jane.doe-c"),
    ('"${var.n}"', 2),  # a lone interpolation keeps its type
    ('"n=${var.n}"', "n=2"),
    ('"$${literal}"', "${literal}"),
    ('"quote \\" and \\\\ and \\n"', 'quote " and \\ and \n'),
    ('"${var.n > 1 ? "x" : "y"}z"', "xz"),
])
def test_string_templates(text, value):
    assert ev(text) == value


def test_heredocs_keep_text_and_render_interpolations():
    plain = ev('<<EOT\n{"a": "${var.name}"}\nEOT\n')
    assert plain == '{"a": "jane.doe"}\n'
    trimmed = ev('<<-EOT\n    line ${var.n}\n      indented\n  EOT\n')
    assert trimmed == "line 2\n  indented\n"


def tpl(text: str, scope=SCOPE):
    """A template given as its text (what a heredoc body or a templatefile() file holds)."""
    return expr.evaluate_template(text, scope)


@pytest.mark.parametrize(("text", "value"), [
    # if / else, on a bool or on the strings "true"/"false" (Terraform converts them)
    ('%{ if var.n > 1 }many%{ else }few%{ endif }', "many"),
    ('%{ if var.x != "" }set%{ endif }.', "."),
    ('%{ if "true" }yes%{ endif }', "yes"),
    # for over a list (value, or index and value), over a map in lexical key order
    ('%{ for s in var.list }${s};%{ endfor }', "b;a;b;"),
    ('%{ for i, s in var.list }${i}=${s} %{ endfor }', "0=b 1=a 2=b "),
    ('%{ for k, v in {z = 1, a = 2} }${k}${v}%{ endfor }', "a2z1"),
    ('%{ for v in {z = 1, a = 2} }${v}%{ endfor }', "21"),
    # nesting, and a for variable shadowing nothing outside its body
    ('%{ for k, p in var.people }%{ if p.mfa }${k}%{ else }-%{ endif }%{ endfor }', "ann-"),
    ('%{ for s in ["x", "y"] }%{ for t in [1, 2] }${s}${t},%{ endfor }%{ endfor }', "x1,x2,y1,y2,"),
    # escapes: a literal ${ and %{
    ('$${a} %%{ if } ${var.n}', "${a} %{ if } 2"),
    # strip markers take every whitespace character, newlines included, on their side only
    ('a  \n  ${~ var.n ~}  \n  b', "a2b"),
    ('a  ${~ var.n}  b', "a2  b"),
    ('a  ${var.n ~}  b', "a  2b"),
    ('[\n%{ for s in var.list ~}\n  "${s}",\n%{ endfor ~}\n]', '[\n"b",\n"a",\n"b",\n]'),
    ('%{~ if true ~}\n  x\n%{~ endif ~}\n', "x"),
    # a template that is one interpolation keeps its type; with text or a directive it is a string
    ('${~ var.n ~}', 2),
    ('%{ if true }${var.n}%{ endif }', "2"),
])
def test_template_directives_strip_markers_and_escapes(text, value):
    assert tpl(text) == value


def test_heredoc_templates_render_directives():
    policy = ev('<<-EOT\n  {"Action": [\n  %{~ for a in var.list ~}\n    "s3:${a}",\n  %{~ endfor ~}\n'
                '    "s3:c"]}\n  EOT\n')
    assert policy == '{"Action": ["s3:b","s3:a","s3:b","s3:c"]}\n'


@pytest.mark.parametrize(("text", "words"), [
    ("%{ if true }a", ["if true", "not closed", "endif"]),
    ("%{ for s in var.list }a%{ endif }", ["endif", "inside", "for var.list"]),
    ("a%{ endfor }", ["endfor", "without an opening directive"]),
    ("%{ else }", ["else", "without an opening directive"]),
    ("%{ if true }a%{ else }b%{ else }c%{ endif }", ["else", "inside"]),
    ("%{ while true }a", ["while true", "not a template directive"]),
    ("%{ for in var.list }a%{ endfor }", ["not a for directive"]),
    ("%{ if var.n }a%{ endif }", ["var.n", "number", "not a bool"]),
    ("%{ if null }a%{ endif }", ["null"]),
    ("%{ for s in var.name }a%{ endfor }", ["var.name", "string"]),
    ("a ${var.list} b", ["list", "string"]),
    ("%{ if true ", ["unclosed %{"]),
])
def test_templates_terraform_rejects_are_errors_naming_the_fault(text, words):
    with pytest.raises(EvalError) as err:
        tpl(text)
    for word in words:
        assert word in str(err.value), (word, str(err.value))


def test_unknown_conditions_and_collections_make_the_template_unknown_naming_them():
    cond = tpl("a %{ if var.unset }x%{ endif } b")
    assert isinstance(cond, Unknown) and cond.kind == INPUT
    assert "%{ if var.unset }" in cond.reason and UNSET.reason in cond.reason and cond.reference == ""
    loop = tpl("%{ for s in local.later }${s}%{ endfor }")
    assert isinstance(loop, Unknown) and "%{ for ... in local.later }" in loop.reason
    # an unknown inside a known loop: the rest of the text stays readable
    inside = tpl('%{ for s in ["a", local.later] }[${s}]%{ endfor }')
    assert inside == Unknown(APPLY, LATER.reason, "[a][${aws_iam_policy.p.arn}]")
    # a branch not taken does not depend on its unknowns
    assert tpl("%{ if false }${var.unset}%{ else }ok%{ endif }") == "ok"


@pytest.mark.parametrize(("text", "value"), [
    ("[for s in var.list : upper(s)]", ["B", "A", "B"]),
    ('[for i, s in var.list : "${i}:${s}"]', ["0:b", "1:a", "2:b"]),
    ("{for k, v in var.people : k => v.mfa}", {"ann": True, "bo": False}),
    ("{for k, v in var.people : k => v if v.mfa}", {"ann": {"mfa": True}}),
    ("{for s in var.list : s => s...}", {"b": ["b", "b"], "a": ["a"]}),
    ("aws_iam_user.u[*].name", ["a", "b"]),
    ("var.people.ann.mfa", True),
    ('var.people["bo"]["mfa"]', False),
    ("var.list[1]", "a"),
    ("{a = 1, \"b.c\" = 2, (var.name) = 3}", {"a": 1, "b.c": 2, "jane.doe": 3}),
])
def test_collections_for_expressions_splats_and_indexes(text, value):
    assert ev(text) == value


@pytest.mark.parametrize(("text", "value"), [
    ("toset(var.list)", ["a", "b"]),
    ("length(var.list)", 3),
    ("length(var.people)", 2),
    ('merge({a = 1}, {b = 2}, {a = 3})', {"a": 3, "b": 2}),
    ('lookup(var.people, "cy", "none")', "none"),
    ('contains(var.list, "a")', True),
    ('concat(["x"], var.list)', ["x", "b", "a", "b"]),
    ('flatten([["a"], ["b", ["c"]]])', ["a", "b", "c"]),
    ('format("%s-%d", "a", 2)', "a-2"),
    # Terraform writes object keys in lexical order (terraform 1.11.4)
    ('jsonencode({Effect = "Deny", Action = ["*"]})', '{"Action":["*"],"Effect":"Deny"}'),
    ('join(",", var.list)', "b,a,b"),
    ('split(".", var.name)', ["jane", "doe"]),
    ('trimprefix("arn:aws:x", "arn:")', "aws:x"),
    ('replace(var.name, ".", "_")', "jane_doe"),
    ('try(var.people.cy.mfa, false)', False),
    ('can(var.people.cy)', False),
    ('can(var.people.ann)', True),
    ('coalesce("", "b")', "b"),
    ('keys({b = 1, a = 2})', ["a", "b"]),
    ('distinct(var.list)', ["b", "a"]),
    ('compact(["a", "", "b"])', ["a", "b"]),
    ('one([])', None),
    ('zipmap(["a", "b"], [1, 2])', {"a": 1, "b": 2}),
    ('range(3)', [0, 1, 2]),
])
def test_functions_as_terraform_documents_them(text, value):
    assert ev(text) == value


def test_unknown_values_propagate_and_keep_their_reason():
    # the text around the unknown part stays, written as Checkov's HCL reading shows it
    assert ev('"x-${var.unset}"') == Unknown(INPUT, UNSET.reason, "x-${var.unset}")
    assert ev('"arn:${local.later}"').reference == "arn:${aws_iam_policy.p.arn}"
    assert ev("var.unset ? 1 : 0") == UNSET
    assert ev("upper(var.unset)") == UNSET
    assert ev("local.later") == LATER
    # structural functions keep an unknown element in place
    assert ev("length([var.unset, 1])") == 2
    # a known condition does not depend on the branch it does not take
    assert ev('var.x == "" ? "off" : var.unset') == "off"
    assert ev("false && var.unset") is False


def test_unknown_function_is_unknown_with_its_name():
    value = ev('cidrsubnet("10.0.0.0/16", 8, 1)')
    assert isinstance(value, Unknown) and "cidrsubnet" in value.reason


@pytest.mark.parametrize(("text", "value"), [
    # the AWS provider's functions (hashicorp/aws, Functions), as its docs and tests give them
    ('provider::aws::arn_build("aws", "iam", "", "123456789012", "user/x")', "arn:aws:iam::123456789012:user/x"),
    ('provider::aws::arn_parse("arn:aws:iam::444455556666:role/example")',
     {"partition": "aws", "service": "iam", "region": "", "account_id": "444455556666", "resource": "role/example"}),
    ('provider::aws::arn_parse("arn:aws:logs:us-east-1:1:log-group:x:*").resource', "log-group:x:*"),
    ('provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/with/path/example")',
     "arn:aws:iam::444455556666:role/example"),
    ('provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:role/example")',
     "arn:aws:iam::444455556666:role/example"),
    ('"${provider::aws::arn_build("aws", "iam", "", "1", "user/${var.name}")}"', "arn:aws:iam::1:user/jane.doe"),
])
def test_aws_provider_functions(text, value):
    assert ev(text) == value


@pytest.mark.parametrize(("text", "words"), [
    ('provider::aws::arn_parse("foo")', ["invalid prefix"]),
    ('provider::aws::arn_parse("arn:aws:iam")', ["not enough sections"]),
    ('provider::aws::trim_iam_role_path("arn:aws:s3:::bucket/foo")', ["service must"]),
    ('provider::aws::trim_iam_role_path("arn:aws:iam:us-east-1:444455556666:role/example")', ["region must"]),
    ('provider::aws::trim_iam_role_path("arn:aws:iam::444455556666:policy/example")', ["resource must"]),
    ('provider::aws::arn_build("aws")', ["wrong number of arguments"]),
    ('provider::aws::arn_parse(null)', ["null"]),
])
def test_aws_provider_function_errors(text, words):
    with pytest.raises(EvalError) as err:
        ev(text)
    for word in words:
        assert word in str(err.value)


def test_other_provider_functions_are_unknown_naming_them():
    value = ev('provider::time::rfc3339_parse("2024-01-01T00:00:00Z")')
    assert isinstance(value, Unknown) and "provider::time::rfc3339_parse()" in value.reason
    assert ev("provider::aws::arn_parse(var.unset)") == UNSET


def test_errors_terraform_would_report_become_unknown_with_a_reason():
    value = expr.safe_evaluate(expr.parse_expression('var.people["cy"]'), SCOPE, "groups of x")
    assert isinstance(value, Unknown) and value.kind == INPUT
    assert value.reason.startswith("groups of x cannot be evaluated") and "cy" in value.reason
    with pytest.raises(EvalError):
        ev("var.list[7]")
    with pytest.raises(EvalError):
        expr.parse_expression("1 +")


def test_jsonencode_keeps_known_parts_around_unknown_leaves():
    value = ev('jsonencode({Effect = "Allow", Resource = "${local.later}/*"})')
    assert isinstance(value, Unknown)
    assert value.reference == '{"Effect":"Allow","Resource":"${aws_iam_policy.p.arn}/*"}'
