"""Engine details: exit-code rules, parse-error messages, Checkov's built-in checks not imported."""
from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

from mfaguard.errors import InputError
from mfaguard.scan.engine import ScanResult, describe_parse_error


def _report(failed=()):
    return SimpleNamespace(check_type="terraform", passed_checks=[], failed_checks=list(failed), skipped_checks=[])


def _record(*details):
    return SimpleNamespace(details=list(details))


def test_exit_code_rules():
    undecided = _record("cannot decide: mfa_configuration = var.mode cannot be resolved before apply")
    not_applicable = _record("not applicable: the pool does not require MFA")
    clean = ScanResult(reports=[_report()], unknown_by_type={"terraform": [not_applicable]})
    assert clean.exit_code() == 0 and clean.exit_code(unknown_fails=True) == 0
    unknown = ScanResult(reports=[_report()], unknown_by_type={"terraform": [undecided, not_applicable]})
    assert unknown.exit_code() == 0 and unknown.exit_code(unknown_fails=True) == 1
    assert unknown.undecided == [undecided]
    failing = ScanResult(reports=[_report(failed=[_record()])])
    assert failing.exit_code() == 1
    bad_and_failing = ScanResult(reports=[_report(failed=[_record()])], errors=[InputError("x.tf", "broken")])
    assert bad_and_failing.exit_code() == 2  # bad input wins; the findings are still reported


def test_parse_error_messages_are_one_line():
    import hcl2

    for text, expected in (
        ('resource "a" "b" {\n  x = \n}\n', "HCL syntax error at line 2, column 7: unexpected end of line"),
        ('resource "a" "b" {\n  x = "1"\n', "HCL syntax error at line 2, column 10: unexpected end of file"),
        ('resource "a" "b" {\n x = 1 }}\n', "HCL syntax error at line 2, column 9: unexpected '}'"),
    ):
        try:
            hcl2.loads(text)
        except Exception as exc:  # noqa: BLE001 - whatever hcl2 raises
            assert describe_parse_error(exc) == expected
        else:
            raise AssertionError(f"hcl2 accepted {text!r}")
    msg = describe_parse_error(Exception("Block exceeded maximum timeout value (60 seconds)."))
    assert "\n" not in msg and "HCL_PARSE_TIMEOUT_SEC" in msg


def test_builtin_checks_are_not_imported_but_stay_importable():
    code = (
        "import sys, mfaguard.scan.engine\n"
        "from checkov.terraform.checks.resource.registry import resource_registry\n"
        "loaded = [m for m in sys.modules if m.startswith('checkov.terraform.checks.resource.aws.')]\n"
        "ids = {c.id for checks in resource_registry.checks.values() for c in checks}\n"
        "print(len(loaded), any(i.startswith('CKV_AWS_') for i in ids))\n"
        "import checkov.terraform.checks.resource.aws.ACMCertCreateBeforeDestroy as m\n"
        "print(m.check.id)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "False", "CKV_AWS_233"]
