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


def test_template_directives_are_unknown_not_guessed():
    value = ev('"%{ if var.n > 1 }a%{ endif }"')
    assert isinstance(value, Unknown) and value.kind == INPUT and "directive" in value.reason


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
    ('jsonencode({Effect = "Deny", Action = ["*"]})', '{"Effect":"Deny","Action":["*"]}'),
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
