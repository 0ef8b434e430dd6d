"""Security Hub integration: ASFF Ids, batching within BatchImportFindings' limits, and the
finding lifecycle (first sighting kept, fixed findings PASSED, gone resources ARCHIVED), against
moto's Security Hub over HTTP."""
from __future__ import annotations

import json

import pytest

from mfaguard.catalogue import CONTROLS
from mfaguard.cli import main
from mfaguard.drift import securityhub
from mfaguard.drift.model import Finding
from mfaguard.drift.report import ReportContext, render
from mfaguard.errors import AwsAccessError, InputError

ACCT = "123456789012"  # moto's default account: BatchImportFindings wants the caller's account


def user(name: str, compliance: str = "FAILED", kind: str = "noncompliant", control: str = "IAM.5") -> Finding:
    return Finding(control=control, kind=kind, address=f"aws_iam_user.{name}",
                   arn=f"arn:aws:iam::{ACCT}:user/{name}", id=name, region=None, expected="MFA",
                   actual="no MFA" if compliance == "FAILED" else "MFA active", severity=CONTROLS[control].severity,
                   message=f"IAM user {name}: console password without MFA", compliance=compliance)


def pool(pid: str, region: str) -> Finding:
    return Finding(control="Cognito.5", kind="drift", address="aws_cognito_user_pool.p",
                   arn=f"arn:aws:cognito-idp:{region}:{ACCT}:userpool/{pid}", id=pid, region=region,
                   expected="ON", actual="OPTIONAL", severity=CONTROLS["Cognito.5"].severity,
                   message=f"Cognito user pool {pid}: MFA is OPTIONAL live, the plan says ON")


def asff(findings, now="2026-12-01T00:00:00.000Z", regions=("us-east-1", "eu-west-1")):
    ctx = ReportContext(plan="/home/runner/work/infra/plan.json", account_id=ACCT, regions=list(regions), now=now)
    return json.loads(render("asff", findings, ctx))


# ------------------------------------------------------------------------------ Ids and fields
def test_ids_do_not_depend_on_the_order_of_regions():
    findings = [user("jess"), pool("eu-west-1_A", "eu-west-1")]
    one = asff(findings, regions=("us-east-1", "eu-west-1"))
    two = asff(findings, regions=("eu-west-1", "us-east-1"))
    assert [(f["Id"], f["ProductArn"]) for f in one] == [(f["Id"], f["ProductArn"]) for f in two]
    assert "/global/IAM.5/" in one[0]["Id"] and "/eu-west-1/Cognito.5/" in one[1]["Id"]


def test_a_user_and_a_group_with_one_name_are_two_findings():
    group = Finding(control="IAM.5", kind="drift", address="aws_iam_group.deploy", arn=None, id="deploy",
                    region=None, expected="MFA enforced", actual="no enforcement", severity="HIGH",
                    message="IAM group deploy: enforcing policy detached")
    person = Finding(control="IAM.5", kind="drift", address="aws_iam_user.deploy", arn=None, id="deploy",
                     region=None, expected="MFA enforced", actual="no enforcement", severity="HIGH",
                     message="IAM user deploy: left the MFA group")
    items = asff([group, person])
    assert len(items) == 2 and len({i["Id"] for i in items}) == 2
    assert {i["Resources"][0]["Type"] for i in items} == {"AwsIamGroup", "AwsIamUser"}


def test_titles_and_types_say_mfaguard_and_no_local_paths():
    (item,) = asff([user("jess", kind="drift")])
    assert item["Title"].startswith("mfaguard drift: IAM.5")
    assert item["Types"] == [f"{securityhub_namespace()}/mfaguard drift"]
    assert "AWS-Foundational-Security-Best-Practices" not in json.dumps(item["Types"])
    assert item["ProductFields"]["mfaguard/plan"] == "plan.json"
    assert "/home/runner" not in json.dumps(item)


def securityhub_namespace() -> str:
    return "Software and Configuration Checks/Industry and Regulatory Standards"


def test_json_findings_carry_resource_type():
    ctx = ReportContext(account_id=ACCT, regions=["us-east-1"], now="2026-12-01T00:00:00.000Z")
    doc = json.loads(render("json", [user("jess"), pool("us-east-1_P", "us-east-1")], ctx))
    assert [f["resource_type"] for f in doc["findings"]] == ["AwsIamUser", "AwsCognitoUserPool"]


# ------------------------------------------------------------------------------ batching
def test_batches_respect_count_and_size_limits():
    small = [{"Id": f"f{i}", "x": "y"} for i in range(250)]
    assert [len(b) for b in securityhub.batches(small)] == [100, 100, 50]
    big = [{"Id": f"b{i}", "Description": "x" * 200_000} for i in range(40)]  # ~200 KB each
    sizes = [len(json.dumps(b)) for b in securityhub.batches(big)]
    assert all(s <= securityhub.MAX_BATCH_BYTES for s in sizes) and sum(len(b) for b in securityhub.batches(big)) == 40
    with pytest.raises(InputError, match="at most 240 KB per finding"):
        list(securityhub.batches([{"Id": "huge", "Description": "x" * 300_000}]))


def test_load_refuses_what_is_not_asff(tmp_path):
    bad = tmp_path / "plan.json"
    bad.write_text(json.dumps({"format_version": "1.2", "planned_values": {}}))
    with pytest.raises(InputError, match="plan.json: is not an ASFF file"):
        securityhub.load(str(bad))
    cli_shape = tmp_path / "cli.json"
    cli_shape.write_text(json.dumps({"Findings": asff([user("jess")])}))
    assert len(securityhub.load(str(cli_shape))) == 1


def test_load_refuses_a_fifo_unopened_and_a_folder(tmp_path):
    import os
    import threading

    fifo = tmp_path / "findings.json"
    os.mkfifo(fifo)
    done = threading.Event()

    def load():
        with pytest.raises(InputError, match="findings.json: is a FIFO"):
            securityhub.load(str(fifo))
        done.set()

    worker = threading.Thread(target=load, daemon=True)
    worker.start()
    worker.join(10)
    assert done.is_set(), "opening a FIFO with no writer blocks: it must be refused unopened"
    with pytest.raises(InputError, match="is a directory"):
        securityhub.load(str(tmp_path))
    with pytest.raises(InputError, match="nope.json: no such file"):
        securityhub.load(str(tmp_path / "nope.json"))


# ------------------------------------------------------------------------------ against moto
def _clients(moto):
    return lambda region, account=None: moto.client("securityhub", region)


def _hub(moto, region="us-east-1") -> dict[str, dict]:
    return {f["Id"]: f for f in moto.client("securityhub", region).get_findings()["Findings"]}


def test_lifecycle_first_seen_kept_fixed_passes_gone_archived(moto):
    first = asff([user("jess"), user("bob")], now="2026-12-01T00:00:00.000Z", regions=["us-east-1"])
    result = securityhub.import_findings(first, _clients(moto))
    assert (result.imported, result.archived, result.failed) == (2, 0, [])
    ids = {f["ProductFields"]["mfaguard/address"]: f["Id"] for f in first}

    # next night: jess enrolled an MFA device (PASSED), bob was deleted (no longer reported)
    second = asff([user("jess", compliance="PASSED")], now="2026-12-02T00:00:00.000Z", regions=["us-east-1"])
    result = securityhub.import_findings(second, _clients(moto), archive_stale=True,
                                         now="2026-12-02T00:00:00.000Z")
    assert (result.imported, result.archived, result.kept_first_seen) == (1, 1, 1)
    hub = _hub(moto)
    jess, bob = hub[ids["aws_iam_user.jess"]], hub[ids["aws_iam_user.bob"]]
    assert jess["Compliance"]["Status"] == "PASSED" and jess["RecordState"] == "ACTIVE"
    assert jess["CreatedAt"] == jess["FirstObservedAt"] == "2026-12-01T00:00:00.000Z"
    assert jess["UpdatedAt"] == "2026-12-02T00:00:00.000Z"
    assert bob["RecordState"] == "ARCHIVED" and bob["UpdatedAt"] == "2026-12-02T00:00:00.000Z"
    assert len(hub) == 2  # updated and archived, never duplicated


def test_cli_imports_over_100_findings_in_two_regions(moto, tmp_path, capsys):
    findings = [user(f"u{i:03}") for i in range(130)] + [pool(f"eu-west-1_P{i}", "eu-west-1") for i in range(3)]
    path = tmp_path / "findings.asff.json"
    path.write_text(json.dumps(asff(findings, regions=["us-east-1", "eu-west-1"])))
    code = main(["securityhub", "import", str(path), "--endpoint-url", moto.endpoint_url])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "imported 133 finding(s) (eu-west-1: 133)" in out  # IAM findings go to the sorted-first region
    assert len(moto.client("securityhub", "eu-west-1").get_paginator("get_findings").paginate()
               .build_full_result()["Findings"]) == 133


def test_findings_that_keep_failing_are_reported_and_exit_3(moto, tmp_path, capsys):
    good, broken = asff([user("jess"), user("bob")], regions=["us-east-1"])
    broken["Resources"] = []  # Security Hub (and moto) fail a finding without a resource
    path = tmp_path / "f.json"
    path.write_text(json.dumps([good, broken]))
    code = main(["securityhub", "import", str(path), "--endpoint-url", moto.endpoint_url])
    captured = capsys.readouterr()
    assert code == 3
    assert "imported 1 finding(s)" in captured.out and "1 FAILED" in captured.out
    assert f"not imported: {broken['Id']}" in captured.err


def test_denied_security_hub_names_the_permission(moto):
    session = moto.least_privilege(["securityhub:BatchImportFindings"])
    findings = asff([user("jess")], regions=["us-east-1"])
    client_for = lambda region, account=None: session.client("securityhub", region_name=region, endpoint_url=moto.endpoint_url)  # noqa: E731
    with pytest.raises(AwsAccessError, match="securityhub:GetFindings"):
        securityhub.import_findings(findings, client_for)


def test_readme_aws_cli_recipe_works_as_written(moto, tmp_path):
    """The README's jq + AWS CLI recipe, run as written, imports >100 findings in two regions."""
    import os
    import re
    import shutil
    import subprocess
    from pathlib import Path

    if not (shutil.which("aws") and shutil.which("jq")):
        pytest.skip("the AWS CLI and jq are not installed")
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- securityhub-recipe:start -->\s*```sh\n(.*?)```", readme, re.S)
    assert block, "README lost its Security Hub recipe markers"
    findings = [user(f"u{i:03}") for i in range(120)] + [pool(f"us-east-1_P{i}", "us-east-1") for i in range(2)]
    (tmp_path / "findings.json").write_text(json.dumps(asff(findings, regions=["us-east-1", "eu-west-1"])))
    env = {**os.environ, "AWS_ENDPOINT_URL": moto.endpoint_url, "AWS_PAGER": ""}
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", block.group(1)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    counts = {r: len(moto.client("securityhub", r).get_paginator("get_findings").paginate()
                     .build_full_result()["Findings"]) for r in ("eu-west-1", "us-east-1")}
    assert counts == {"eu-west-1": 120, "us-east-1": 2}


def test_an_organisation_file_is_imported_in_each_member_account(moto, tmp_path, capsys):
    """Security Hub takes a finding with the default product ARN only from its AwsAccountId's
    account: another account's findings go through --role-name assumed in that account."""
    member = "210987654321"
    mine = user("jess")
    theirs = Finding(**{**user("kim").__dict__, "arn": f"arn:aws:iam::{member}:user/kim"})
    theirs.account_id = member
    items = asff([mine, theirs], regions=["us-east-1"])
    by_account = {i["AwsAccountId"]: i for i in items}
    assert by_account[member]["ProductArn"] == f"arn:aws:securityhub:us-east-1:{member}:product/{member}/default"
    path = tmp_path / "org.asff.json"
    path.write_text(json.dumps(items))

    assert main(["securityhub", "import", str(path), "--endpoint-url", moto.endpoint_url]) == 2
    assert f"findings of account {member}" in capsys.readouterr().err

    assert main(["securityhub", "import", str(path), "--endpoint-url", moto.endpoint_url,
                 "--role-name", "MfaguardAudit"]) == 0
    assert list(_hub(moto)) == [by_account[ACCT]["Id"]]  # the caller's hub holds only its own finding
    creds = moto.client("sts").assume_role(RoleArn=f"arn:aws:iam::{member}:role/MfaguardAudit",
                                           RoleSessionName="check")["Credentials"]
    hub = moto.session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                       aws_session_token=creds["SessionToken"])
    theirs_hub = moto.client("securityhub", "us-east-1", session=hub).get_findings()["Findings"]
    assert [f["Id"] for f in theirs_hub] == [by_account[member]["Id"]]
