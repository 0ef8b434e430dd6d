"""`mfaguard drift --org` against an AWS Organization on the moto server (demo/seed_org.py):
management account, OUs Workloads (with an MFA-enforcing SCP) > Prod and Sandbox, 22 member
accounts in different states, IAM enforcement on (a denied AssumeRole and a missing read
permission are real AccessDenied answers from moto).

moto 5.2.5 cannot show root credentials (no AccountPasswordPresent, no root MFA) and has no
iam:ListOrganizationsFeatures: seed_org.root_hook answers those two operations with a botocore
before-call handler (Stubber's mechanism); everything else goes over HTTP to moto.

The organisation is built once for the module (it is the slow part) and only read by the tests.
"""
from __future__ import annotations

import json
import os
import sys
from xml.etree import ElementTree as ET

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "demo"))

import seed_org  # noqa: E402

from mfaguard.drift import live  # noqa: E402
from mfaguard.drift.org import OrgOptions, run_org  # noqa: E402


@pytest.fixture(scope="module")
def org(moto_server, tmp_path_factory):
    from conftest import DUMMY_ENV, MotoAccount

    with pytest.MonkeyPatch.context() as mp:
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
            mp.delenv(name, raising=False)
        for name, value in DUMMY_ENV.items():
            mp.setenv(name, value)
        mp.setattr(live, "REPORT_FIRST_DELAY_S", 0.01)
        account = MotoAccount(moto_server)
        account.reset()
        try:
            seed = seed_org.seed_org(moto_server, members=22)
            plans = tmp_path_factory.mktemp("plans")
            seed.write_plans(str(plans))
            progress: list[str] = []
            result = run_org(seed.caller_session(), OrgOptions(
                role_name=seed_org.ROLE, regions=["us-east-1"], max_workers=8, endpoint_url=moto_server,
                desired={a: _load(plans, a) for a in seed.plans}, plans={a: f"{a}.json" for a in seed.plans},
                on_client=seed_org.root_hook(seed), progress=progress.append))
            result.progress = progress
            yield seed, result, str(plans), mp
        finally:
            account.reset()


def _load(folder, account):
    from mfaguard.drift import desired

    return desired.load(os.path.join(str(folder), f"{account}.json"))


def by_account(result):
    return {a.account_id: a for a in result.accounts}


def keyed(findings):
    return {(f.kind, f.control, f.id) for f in findings}


def test_every_account_is_listed_with_its_status(org):
    seed, result, _, _ = org
    accounts = by_account(result)
    assert set(accounts) == {seed.management, *seed.members}  # 1 + 22, paginated
    assert result.organization_id == seed.organization_id and result.management_account_id == seed.management
    denied = accounts[seed.accounts["denied"]]
    assert denied.status == "failed"
    assert f"arn:aws:iam::{seed.accounts['denied']}:role/{seed_org.ROLE}" in denied.detail
    assert "sts:AssumeRole" in denied.detail and not denied.findings
    partial = accounts[seed.accounts["partial"]]
    assert partial.status == "partial" and partial.detail == "missing permission cognito-idp:ListUserPools"
    assert accounts[seed.accounts["suspended"]].status == "skipped"
    assert "SUSPENDED" in accounts[seed.accounts["suspended"]].detail
    others = set(accounts) - {seed.accounts[s] for s in ("denied", "partial", "suspended")}
    assert {accounts[a].status for a in others} == {"read"}
    assert not result.complete  # -> exit 3


def test_progress_line_per_account(org):
    seed, result, _, _ = org
    lines = result.progress
    assert len(lines) == 23 and lines[-1].startswith("[23/23] account ")
    denied = next(line for line in lines if seed.accounts["denied"] in line)
    assert "failed (cannot assume" in denied


def test_mode_drift_with_a_plan_compliance_without(org):
    seed, result, _, _ = org
    accounts = by_account(result)
    for name in ("drifted", "drifted-scp", "clean"):
        assert accounts[seed.accounts[name]].mode == "drift"
    assert accounts[seed.accounts["unmanaged"]].mode == "compliance"
    assert accounts[seed.management].mode == "compliance"


def test_drift_in_a_member_account_and_scp_credit_on_an_ou(org):
    seed, result, _, _ = org
    accounts = by_account(result)
    drifted = accounts[seed.accounts["drifted"]]
    alice = [f for f in drifted.findings if f.id == "alice" and f.kind == "drift"]
    assert {f.control for f in alice} == {"IAM.5", "IAM.19"}  # both sign-in paths lost their enforcement
    assert "removed from group admins" in alice[0].message
    assert all(f.account_id == seed.accounts["drifted"] for f in drifted.findings)
    # the same change under Workloads/Prod: the SCP on Workloads still enforces MFA for alice
    covered = accounts[seed.accounts["drifted-scp"]]
    assert not [f for f in covered.findings if f.kind == "drift" and f.id == "alice"]
    assert f"require-mfa (OU Workloads ({seed.ous['Workloads']}))" in covered.scps
    assert f"FullAWSAccess (the organisation root ({seed.root_id}))" in covered.scps  # read, not enforcing
    no_mfa = next(f for f in covered.findings if f.id == "alice" and f.control == "IAM.5")
    assert f"SCP require-mfa attached to OU Workloads ({seed.ous['Workloads']})" in no_mfa.message
    assert accounts[seed.accounts["clean"]].findings == []


def test_scps_never_apply_to_the_management_account(org):
    seed, result, _, _ = org
    assert by_account(result)[seed.management].scps == []


def test_compliance_mode_reports_identities_as_unmanaged(org):
    seed, result, _, _ = org
    unmanaged = by_account(result)[seed.accounts["unmanaged"]]
    assert keyed(unmanaged.findings) == {("unmanaged", "IAM.5", "intern"), ("unmanaged", "IAM.19", "intern")}


def test_root_centrally_managed_member_accounts(org):
    seed, result, _, _ = org
    accounts = by_account(result)
    assert result.features == ["RootCredentialsManagement"]
    # the engine's verdict on the features (CKV_MFA_6's): passes, and says what RootSessions would add
    assert any(n.startswith("centralised root access: RootSessions is not enabled") for n in result.notes)
    filler = accounts[seed.accounts["filler-0"]]
    assert filler.findings == [] and any("not applicable" in n for n in filler.notes)
    creds = accounts[seed.accounts["root-creds"]]
    assert [(f.control, f.actual) for f in creds.findings] == [("IAM.9", "root has a password")]
    assert "enabling the feature does not delete existing credentials" in creds.findings[0].message
    # the management account is never "centrally managed": its root has a password and hardware MFA
    mgmt = accounts[seed.management]
    assert not any(f.control in ("IAM.9", "IAM.6") for f in mgmt.findings)
    assert not any("not applicable" in n for n in mgmt.notes)


def test_cli_json_sarif_junit_asff_carry_the_member_account(org, capsys, monkeypatch):
    seed, _, plans, _ = org
    from mfaguard.cli import main
    from mfaguard.drift import org as org_mod

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", seed.caller_key[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seed.caller_key[1])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    hook = seed_org.root_hook(seed)
    real = org_mod.OrgOptions.__init__

    def with_hook(self, *a, **kw):
        real(self, *a, **kw)
        self.on_client = hook
    monkeypatch.setattr(org_mod.OrgOptions, "__init__", with_hook)
    picked = [seed.accounts[n] for n in ("drifted", "unmanaged", "denied")]
    base = ["drift", "--org", "--role-name", seed_org.ROLE, "--endpoint-url", seed.endpoint_url, "--region",
            "us-east-1", "--plans", plans, "--accounts", ",".join(picked)]
    outputs = {}
    for fmt in ("json", "sarif", "junitxml", "asff", "table"):
        code = main(base + ["--format", fmt])
        outputs[fmt], err = capsys.readouterr()
        assert code == 3, err
    doc = json.loads(outputs["json"])
    statuses = {a["account_id"]: (a["status"], a["mode"]) for a in doc["summary"]["accounts"]}
    assert statuses == {picked[0]: ("read", "drift"), picked[1]: ("read", "compliance"),
                        picked[2]: ("failed", "compliance")}
    assert {f["account_id"] for f in doc["findings"]} == set(picked[:2])
    assert doc["summary"]["complete"] is False
    sarif = json.loads(outputs["sarif"])["runs"][0]
    assert {r["properties"]["account_id"] for r in sarif["results"]} == set(picked[:2])
    junit = ET.fromstring(outputs["junitxml"])
    assert {p.get("value") for case in junit.iter("testcase") for p in case.iter("property")
            if p.get("name") == "account_id"} == set(picked[:2])
    asff = json.loads(outputs["asff"])
    assert {f["AwsAccountId"] for f in asff} == set(picked[:2])
    # Security Hub takes a default-product finding only from its own account: each finding names
    # its account's product; `mfaguard securityhub import --role-name` imports them there
    # (tests/test_securityhub.py::test_an_organisation_file_is_imported_in_each_member_account)
    assert all(f["ProductArn"].endswith(f":{f['AwsAccountId']}:product/{f['AwsAccountId']}/default") for f in asff)
    assert all(f["Id"].startswith(f"mfaguard/{f['AwsAccountId']}/") for f in asff)
    table = outputs["table"]
    assert "ACCOUNT" in table and picked[0] in table and "failed" in table and "cannot assume" in table


def test_throttled_assume_role_is_retried(org):
    """moto never throttles: the first attempt of each caller AssumeRole is answered with Throttling at
    `before-send`; botocore's adaptive retries (not the connection-fault cap) retry it against moto."""
    from botocore.awsrequest import AWSResponse

    seed, _, _, _ = org
    throttled: list[bytes] = []
    answer_root = seed_org.root_hook(seed)
    body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded"
            b"</Message></Error></ErrorResponse>")

    def on_client(account, service, client):
        answer_root(account, service, client)

        def throttle(request=None, **_):
            if request.body not in throttled:
                throttled.append(request.body)
                return AWSResponse(request.url, 400, {}, _Raw(body))
            return None
        if account == "caller" and service == "sts":
            client.meta.events.register("before-send.sts.AssumeRole", throttle)

    picked = [seed.accounts["unmanaged"], seed.accounts["filler-2"]]
    result = run_org(seed.caller_session(), OrgOptions(
        role_name=seed_org.ROLE, regions=["us-east-1"], accounts=picked, endpoint_url=seed.endpoint_url,
        on_client=on_client))
    assert [a.status for a in result.accounts] == ["read", "read"], [a.detail for a in result.accounts]
    assert len(throttled) == 2  # each AssumeRole throttled once, then answered by moto


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_):
        yield self._body

    def read(self, *_):
        body, self._body = self._body, b""
        return body


def test_accounts_from_a_file_and_bad_ids(org, capsys, tmp_path):
    seed, _, _, _ = org
    from mfaguard.cli import main

    bad = tmp_path / "shard.txt"
    bad.write_text("# shard 1\n123\n")
    code = main(["drift", "--org", "--role-name", "R", "--accounts-from", str(bad), "--region", "us-east-1"])
    assert code == 2 and "'123' is not a 12-digit AWS account id" in capsys.readouterr().err
    code = main(["drift", "--org", "--region", "us-east-1"])
    assert code == 2 and "--role-name" in capsys.readouterr().err
    code = main(["drift", "--org", "--role-name", "R", "--plan", "prod.json", "--region", "us-east-1"])
    assert code == 2 and "ACCOUNT=FILE" in capsys.readouterr().err


def test_walk_and_per_account_reads_agree_on_scps(org):
    """The whole-organisation run walks the tree (ListAccountsForParent, ListTargetsForPolicy); a slice
    (--accounts) asks per account (ListParents, ListPoliciesForTarget): same SCPs, same findings."""
    seed, result, plans, _ = org
    picked = [seed.accounts[n] for n in ("drifted-scp", "root-creds", "filler-1")] + [seed.management]
    walked = by_account(result)
    sliced = run_org(seed.caller_session(), OrgOptions(
        role_name=seed_org.ROLE, regions=["us-east-1"], accounts=picked, endpoint_url=seed.endpoint_url,
        desired={a: _load(plans, a) for a in picked if a in seed.plans}, on_client=seed_org.root_hook(seed)))
    assert [a.account_id for a in sliced.accounts] == picked
    for a in sliced.accounts:
        assert sorted(a.scps) == sorted(walked[a.account_id].scps), a.account_id
        assert keyed(a.findings) == keyed(walked[a.account_id].findings)


def test_plan_and_accounts_options_parse(tmp_path):
    import argparse

    from mfaguard.drift.org_cli import _accounts, _plan_files

    (tmp_path / "111122223333.json").write_text("{}")
    (tmp_path / "444455556666-prod.json").write_text("{}")
    (tmp_path / "notes.json").write_text("{}")
    shard = tmp_path / "shard.txt"
    shard.write_text("# shard 1 of 4\n111122223333, 444455556666\n111122223333\n")
    ns = argparse.Namespace(plans=str(tmp_path), plan=["777788889999=x.json"], accounts=None,
                            accounts_from=str(shard))
    assert _plan_files(ns) == {"111122223333": str(tmp_path / "111122223333.json"),
                               "444455556666": str(tmp_path / "444455556666-prod.json"),
                               "777788889999": "x.json"}
    assert _accounts(ns) == ["111122223333", "444455556666"]


def test_an_unexpected_error_in_one_account_fails_only_that_account(org, monkeypatch):
    """A bug met in one account's data (here: compare raising) fails that account, not the run."""
    import mfaguard.drift.compare as compare_pkg  # org.py imports compare from it in each worker

    seed, _, _, _ = org

    original = compare_pkg.compare
    broken = seed.accounts["unmanaged"]

    def compare(desired, live):
        if live.account_id == broken:
            raise ValueError("a document mfaguard cannot handle")
        return original(desired, live)
    monkeypatch.setattr(compare_pkg, "compare", compare)
    picked = [broken, seed.accounts["filler-2"]]
    result = run_org(seed.caller_session(), OrgOptions(
        role_name=seed_org.ROLE, regions=["us-east-1"], accounts=picked, endpoint_url=seed.endpoint_url,
        on_client=seed_org.root_hook(seed)))
    assert [a.status for a in result.accounts] == ["failed", "read"]
    assert "mfaguard internal error (please report it): ValueError" in result.accounts[0].detail
    assert not result.complete


def test_org_securityhub_imports_each_members_findings_in_that_account(org, capsys, monkeypatch):
    """`--org --securityhub`: --role-name/--external-id are passed to the import, so each member's
    findings land in that member's Security Hub (read back through the member role)."""
    seed, _, plans, _ = org
    from mfaguard.cli import main
    from mfaguard.drift import org as org_mod

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", seed.caller_key[0])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", seed.caller_key[1])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    hook = seed_org.root_hook(seed)
    real = org_mod.OrgOptions.__init__

    def with_hook(self, *a, **kw):
        real(self, *a, **kw)
        self.on_client = hook
    monkeypatch.setattr(org_mod.OrgOptions, "__init__", with_hook)
    picked = [seed.accounts[n] for n in ("drifted", "unmanaged")]
    base = ["drift", "--org", "--role-name", seed_org.ROLE, "--endpoint-url", seed.endpoint_url, "--region",
            "us-east-1", "--plans", plans, "--accounts", ",".join(picked)]
    assert main(base + ["--format", "asff"]) == 1
    expected: dict[str, set] = {}
    for f in json.loads(capsys.readouterr().out):
        expected.setdefault(f["AwsAccountId"], set()).add(f["Id"])
    assert set(expected) == set(picked)
    # the member role as seeded is read-only: the import is denied there, exit 3 naming the action
    code = main(base + ["--format", "json", "--securityhub"])
    _, err = capsys.readouterr()
    assert code == 3 and "Security Hub import failed" in err and "securityhub:GetFindings" in err, err
    _grant_securityhub(seed, picked)
    code = main(base + ["--format", "json", "--securityhub"])
    _, err = capsys.readouterr()
    assert code == 1, err
    assert f"Security Hub: imported {sum(len(v) for v in expected.values())} finding(s)" in err
    sts = seed.caller_session().client("sts", endpoint_url=seed.endpoint_url)
    for account in picked:
        creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/{seed_org.ROLE}",
                                RoleSessionName="check")["Credentials"]
        import boto3

        hub = boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                            aws_session_token=creds["SessionToken"]).client(
            "securityhub", region_name="us-east-1", endpoint_url=seed.endpoint_url)
        assert {f["Id"] for f in hub.get_findings()["Findings"]} == expected[account]


def _grant_securityhub(seed, accounts) -> None:
    """Let the member role of `accounts` import findings (IAM enforcement off while changing it)."""
    url = seed.endpoint_url
    seed_org._post(f"{url}/moto-api/reset-auth", b"inf")
    try:
        for account in accounts:
            iam = seed_org._client(url, "iam", seed_org._member_creds(url, account))
            iam.put_role_policy(RoleName=seed_org.ROLE, PolicyName="securityhub-import", PolicyDocument=json.dumps({
                "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
                    "securityhub:BatchImportFindings", "securityhub:GetFindings"]}]}))
    finally:
        seed_org._post(f"{url}/moto-api/reset-auth", b"0")
