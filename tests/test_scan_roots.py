"""Folder scans judge each root module on its own (issue 7 §1, issue 12 "two folders").

terraform_fixtures/monorepo: infra/prod and infra/staging are the same stack (alice has a
console password and no MFA policy: FAIL; bob is in a group whose inline policy denies
everything without MFA (BoolIfExists): PASS; module.ops is a console user without a policy:
FAIL), and modules/console_user is a local module with its own examples/basic root.
Merged into one graph (plain `checkov -d`), the two stacks' addresses collide.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from mfaguard.scan.roots import config_files, discover_roots

REPO = Path(__file__).resolve().parent.parent
MONO = REPO / "terraform_fixtures" / "monorepo"


def _verdicts(result):
    out = set()
    for verdict, records in (("PASSED", result.passed), ("FAILED", result.failed), ("UNKNOWN", result.unknown)):
        for r in records:
            out.add((r.check_id, r.resource, verdict, r.file_path, tuple(r.file_line_range), tuple(r.details or ())))
    return out


def test_roots_are_the_folders_terraform_would_run():
    roots = [os.path.relpath(r, MONO) for r in discover_roots(str(MONO))]
    # modules/console_user is called by prod, staging and its example: never a root of its own
    assert roots == ["infra/prod", "infra/staging", "modules/console_user/examples/basic"]
    assert [os.path.relpath(r, MONO) for r in discover_roots(str(MONO / "modules"))] == [
        "modules/console_user/examples/basic"]
    # a module scanned on its own (nobody under the path calls it) is a root
    assert discover_roots(str(MONO / "infra" / "prod")) == [str(MONO / "infra" / "prod")]


def test_hidden_terraform_and_node_modules_folders_are_skipped(tmp_path):
    for folder in ("live", ".terraform/modules/x", "node_modules/pkg", ".github/tf"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "main.tf").write_text('resource "aws_iam_user" "u" {\n  name = "u"\n}\n')
    assert discover_roots(str(tmp_path)) == [str(tmp_path / "live")]


def test_tofu_files_replace_same_named_tf_files(tmp_path):
    for name in ("main.tf", "main.tofu", "users.tf.json", "users.tofu.json", "other.tf", "x.tf.json"):
        (tmp_path / name).write_text("")
    got = [os.path.basename(f) for f in config_files(str(tmp_path))]
    assert got == ["main.tofu", "other.tf", "users.tofu.json", "x.tf.json"]


@pytest.fixture
def in_repo(monkeypatch):
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_parent_folder_gives_the_same_verdicts_as_each_root_alone(in_repo, monkeypatch, workers):
    from mfaguard.scan.engine import scan

    monkeypatch.setenv("MFAGUARD_WORKERS", workers)  # 2: the process pool; 1: in this process
    whole = scan(["terraform_fixtures/monorepo"])
    assert whole.errors == []
    alone = set()
    for root in discover_roots("terraform_fixtures/monorepo"):
        alone |= _verdicts(scan([root]))
    assert _verdicts(whole) == alone

    got = {(r[0], r[1], r[2], r[3]) for r in _verdicts(whole)}
    for stack in ("prod", "staging"):
        main = f"terraform_fixtures/monorepo/infra/{stack}/main.tf"  # relative to the working directory
        for check in ("CKV2_MFA_1", "CKV2_MFA_2"):
            assert (check, "aws_iam_user.alice", "FAILED", main) in got
            assert (check, "aws_iam_user.bob", "PASSED", main) in got
    module = "terraform_fixtures/monorepo/modules/console_user/main.tf"
    failed = [r for r in whole.failed if r.check_id == "CKV2_MFA_1" and r.file_path == module]
    # the module's user, once per caller, each with its caller's argument
    assert sorted(r.resource for r in failed) == ["module.example.aws_iam_user.this", "module.ops.aws_iam_user.this",
                                                  "module.ops.aws_iam_user.this"]
    names = sorted(str(r.details).split("IAM user ")[1].split(" ")[0] for r in failed)
    assert names == ["example-user", "ops-prod", "ops-staging"]
    # alice's login profile is named once (not once per colliding stack)
    [alice] = [r for r in whole.failed if r.check_id == "CKV2_MFA_1" and r.resource == "aws_iam_user.alice"
               and "prod" in r.file_path]
    assert str(alice.details).count("aws_iam_user_login_profile.alice") == 1
    # the example root has no group: its fix must not suggest prod's group
    [example] = [r for r in failed if r.resource.startswith("module.example")]
    assert "mfa-required" not in str(example.details)


def test_two_folders_reusing_addresses_are_judged_independently(in_repo):
    from mfaguard.scan.engine import scan

    both = scan(["terraform_fixtures/monorepo/infra/prod", "terraform_fixtures/monorepo/infra/staging"])
    prod = scan(["terraform_fixtures/monorepo/infra/prod"])
    staging = scan(["terraform_fixtures/monorepo/infra/staging"])
    assert _verdicts(both) == _verdicts(prod) | _verdicts(staging)


def test_cli_paths_are_relative_to_the_working_directory(in_repo, capsys):
    from mfaguard.cli import main

    rc = main(["scan", "terraform_fixtures/monorepo/infra", "--quiet"])
    out = capsys.readouterr().out
    assert rc == 1
    assert "File: terraform_fixtures/monorepo/infra/prod/main.tf:3-5" in out
    assert "File: terraform_fixtures/monorepo/infra/staging/main.tf:3-5" in out
    assert "()" not in out


def test_a_finding_in_a_shared_module_names_the_root_that_calls_it(in_repo, capsys, tmp_path):
    """modules/console_user is called by infra/prod and infra/staging: the same file and lines,
    two findings; each says which root's module block created it, in every format a reader
    sees (the root's own resources carry no caller)."""
    import json

    from mfaguard.cli import main

    prod, staging = ("terraform_fixtures/monorepo/infra/prod/main.tf:47-50",
                     "terraform_fixtures/monorepo/infra/staging/main.tf:47-50")
    main(["scan", "terraform_fixtures/monorepo/infra", "--quiet"])
    out = capsys.readouterr().out
    blocks = [b for b in out.split("Check: ") if "FAILED for resource: module.ops.aws_iam_user.this" in b]
    assert {line.strip() for b in blocks for line in b.splitlines() if "Calling File:" in line} == {
        f"Calling File: {prod}", f"Calling File: {staging}"}
    alice = next(b for b in out.split("Check: ") if "FAILED for resource: aws_iam_user.alice" in b)
    assert "Calling File" not in alice

    report = tmp_path / "r.json"
    main(["scan", "terraform_fixtures/monorepo/infra", "--format", "json", "--output", str(report)])
    failed = json.loads(report.read_text())["results"]["failed_checks"]
    callers = {(r["resource"], r.get("caller_file_path"), tuple(r.get("caller_file_line_range") or ()))
               for r in failed if r["check_id"] == "CKV2_MFA_1"}
    assert ("module.ops.aws_iam_user.this", prod.split(":")[0], (47, 50)) in callers
    assert ("module.ops.aws_iam_user.this", staging.split(":")[0], (47, 50)) in callers

    for fmt, text in (("markdown", f"(called from `{prod}`)"), ("github", f"(called from {staging})")):
        main(["scan", "terraform_fixtures/monorepo/infra", "--format", fmt])
        assert text in capsys.readouterr().out


def test_sarif_tells_a_shared_modules_findings_apart_by_calling_root(in_repo, tmp_path):
    """GitHub code scanning tracks an alert by its partialFingerprints: prod's and staging's
    finding in modules/console_user must be two alerts, each pointing at its root's call."""
    import json

    from mfaguard.cli import main

    out = tmp_path / "r.sarif"
    main(["scan", "terraform_fixtures/monorepo/infra", "--format", "sarif", "--output", str(out)])
    results = [r for r in json.loads(out.read_text())["runs"][0]["results"] if r["ruleId"] == "CKV2_MFA_1"
               and r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("console_user/main.tf")]
    pairs = {(r["message"]["text"].split(" has ")[0],
              r["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"]) for r in results}
    assert pairs == {("IAM user ops-prod", "terraform_fixtures/monorepo/infra/prod/main.tf"),
                     ("IAM user ops-staging", "terraform_fixtures/monorepo/infra/staging/main.tf")}
    assert len({tuple(r["partialFingerprints"].items()) for r in results}) == 2
