"""`mfaguard drift` end to end against a moto server over HTTP (fixture `moto` from conftest.py)."""
from __future__ import annotations

import json
import os

import pytest

from mfaguard.cli import main
from mfaguard.drift.permissions import ACTIONS

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(os.path.dirname(HERE), "terraform_fixtures", "drift")
PLAN = os.path.join(FIX, "plan_basic.json")


def _policy_doc(address: str) -> str:
    with open(PLAN, encoding="utf-8") as fh:
        plan = json.load(fh)
    return next(r["values"]["policy"] for r in plan["planned_values"]["root_module"]["resources"]
                if r["address"] == address)


@pytest.fixture(autouse=True)
def _fast_report_polling(monkeypatch):
    """moto answers GenerateCredentialReport with STARTED first: do not wait half a second for it."""
    from mfaguard.drift import live

    monkeypatch.setattr(live, "REPORT_FIRST_DELAY_S", 0.01, raising=False)


def seed(moto, *, drift: bool = True) -> dict:
    """The account behind plan_basic.json; with drift: bob left the admins group, the customers pool
    was switched to OPTIONAL, and an intern (console, no MFA) and a shadow pool were made by hand."""
    iam = moto.client("iam")
    arn = iam.create_policy(PolicyName="enforce-mfa", PolicyDocument=_policy_doc("aws_iam_policy.enforce_mfa"))[
        "Policy"]["Arn"]
    ro = iam.create_policy(PolicyName="readonly", PolicyDocument=_policy_doc("aws_iam_policy.readonly"))[
        "Policy"]["Arn"]
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
    for name in ("alice", "bob", "ci", "legacy-svc"):
        iam.create_user(UserName=name)
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-42!")
    iam.create_access_key(UserName="bob")
    iam.create_access_key(UserName="ci")
    iam.attach_user_policy(UserName="ci", PolicyArn=ro)
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    if not drift:
        iam.add_user_to_group(GroupName="admins", UserName="bob")
    else:
        iam.create_user(UserName="intern")
        iam.create_login_profile(UserName="intern", Password="Correct-Horse-42!")
    ids = {}
    pools = [("us-east-1", "customers", "OPTIONAL" if drift else "ON"), ("eu-west-1", "staff", "ON")]
    if drift:
        pools.append(("eu-west-1", "shadow", "OFF"))
    for region, name, mfa in pools:
        cognito = moto.client("cognito-idp", region)
        pid = cognito.create_user_pool(PoolName=name, UserPoolTier="PLUS", UserPoolAddOns={
            "AdvancedSecurityMode": "ENFORCED", "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "ENFORCED"}})[
            "UserPool"]["Id"]
        cognito.set_user_pool_mfa_config(UserPoolId=pid, SoftwareTokenMfaConfiguration={"Enabled": True},
                                         MfaConfiguration=mfa)
        ids[name] = pid
    return ids


def drift(moto, capsys, *extra: str, plan: str = PLAN) -> tuple[int, str, str]:
    code = main(["drift", "--plan", plan, "--endpoint-url", moto.endpoint_url, *extra])
    out, err = capsys.readouterr()
    return code, out, err


def keyed(doc: dict) -> set:
    return {(f["kind"], f["control"], f["id"]) for f in doc["findings"]}


def test_end_to_end_json_every_finding_kind(moto, capsys):
    ids = seed(moto)
    code, out, err = drift(moto, capsys, "--format", "json")
    assert code == 1, err
    doc = json.loads(out)
    assert keyed(doc) == {
        ("drift", "Cognito.5", ids["customers"]),  # ON in the plan, OPTIONAL live
        ("drift", "IAM.19", "bob"),  # removed from the group that enforced MFA
        ("noncompliant", "IAM.9", "123456789012"),  # moto's root has no MFA
        ("noncompliant", "IAM.6", "123456789012"),
        ("noncompliant", "IAM.5", "alice"),  # console password, no MFA device
        ("noncompliant", "IAM.19", "alice"),
        ("noncompliant", "IAM.19", "bob"),
        ("noncompliant", "IAM.19", "ci"),
        ("noncompliant", "IAM.19", "legacy-svc"),
        ("unmanaged", "IAM.5", "intern"),
        ("unmanaged", "IAM.19", "intern"),
        ("unmanaged", "Cognito.5", ids["shadow"]),
    }
    pool = next(f for f in doc["findings"] if f["id"] == ids["customers"])
    assert pool["address"] == "aws_cognito_user_pool.customers" and pool["region"] == "us-east-1"
    assert (pool["expected"], pool["actual"]) == ("ON", "OPTIONAL")
    assert "MFA is OPTIONAL live, the plan says ON" in pool["message"]
    bob = next(f for f in doc["findings"] if f["id"] == "bob" and f["kind"] == "drift")
    assert "removed from group admins" in bob["message"] and bob["address"] == "aws_iam_user.bob"
    assert doc["summary"]["regions"] == ["us-east-1", "eu-west-1"]  # the plan's provider regions
    assert doc["summary"]["credential_report_generated"]
    assert "credential report generated" in err


def test_missing_resources_in_an_empty_account(moto, capsys):
    code, out, _ = drift(moto, capsys, "--format", "json")
    assert code == 1
    doc = json.loads(out)
    kinds = keyed(doc)
    assert {k for k in kinds if k[0] == "missing"} == {
        ("missing", "IAM.5", "alice"), ("missing", "IAM.19", "bob"), ("missing", "IAM.19", "ci"),
        ("missing", "IAM.19", "legacy-svc"), ("missing", "IAM.5", "admins"),
        ("missing", "Cognito.5", "customers"), ("missing", "Cognito.5", "staff")}
    assert not [k for k in kinds if k[0] in ("drift", "unmanaged")]


def test_console_table_is_the_default(moto, capsys):
    seed(moto)
    code, out, _ = drift(moto, capsys)
    assert code == 1
    assert out.startswith("mfaguard drift: account 123456789012")
    assert "IAM credential report generated" in out
    assert "MFA is OPTIONAL live, the plan says ON" in out


def test_other_formats_to_output_file(moto, capsys, tmp_path):
    seed(moto)
    texts = {}
    for fmt in ("sarif", "junitxml", "asff"):
        target = tmp_path / f"report.{fmt}"
        code, out, _ = drift(moto, capsys, "--format", fmt, "--output", str(target), "--region", "us-east-1")
        assert code == 1 and out == ""
        texts[fmt] = target.read_text()
    assert len(json.loads(texts["sarif"])["runs"][0]["results"]) == 11  # 12 minus the eu-west-1 shadow pool
    assert "<testsuites" in texts["junitxml"] and 'failures="11"' in texts["junitxml"]
    items = json.loads(texts["asff"])
    # 10 findings (bob: drift + noncompliant IAM.19 merged), and 6 passed evaluations that only ASFF
    # carries: IAM.5 for bob, ci and legacy-svc (no console password), IAM.5 and IAM.19 for group
    # admins and for the enforce-mfa policy the plan owns (still enforcing), Cognito.1 and Cognito.4
    # for customers (ENFORCED)
    evaluated = {(i["GeneratorId"].rsplit("/", 1)[1], i["Resources"][0]["Id"].rsplit("/", 1)[1]) for i in items
                 if i["ProductFields"]["mfaguard/kind"] == "evaluated"}
    assert len({i["Id"] for i in items}) == len(items) == 19
    assert {(c, r.split("_")[0]) for c, r in evaluated} == {
        ("IAM.5", "bob"), ("IAM.5", "ci"), ("IAM.5", "legacy-svc"), ("IAM.5", "admins"), ("IAM.19", "admins"),
        ("IAM.5", "enforce-mfa"), ("IAM.19", "enforce-mfa"), ("Cognito.1", "us-east-1"), ("Cognito.4", "us-east-1")}
    assert all(i["Compliance"]["Status"] == "PASSED" and i["Severity"]["Label"] == "INFORMATIONAL"
               for i in items if i["ProductFields"]["mfaguard/kind"] == "evaluated")


def test_access_denied_exits_3_with_partial_results_and_the_permission(moto, capsys, monkeypatch):
    seed(moto)
    allowed = [a for a in ACTIONS if not a.startswith("cognito-idp:")]
    session = moto.least_privilege(allowed)
    creds = session.get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds.secret_key)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    code, out, err = drift(moto, capsys, "--format", "json", "--region", "us-east-1")
    assert code == 3
    doc = json.loads(out)
    assert ("noncompliant", "IAM.5", "alice") in keyed(doc)  # IAM was readable: printed
    assert not [f for f in doc["findings"] if f["control"].startswith("Cognito")]  # never "missing"
    assert any("cognito-idp:ListUserPools" in e for e in doc["summary"]["errors"])
    assert "cognito-idp:ListUserPools" in err and "Traceback" not in err


def test_no_drift_exits_0(moto, capsys, monkeypatch):
    """Everything compliant live; the reader is real except root, which moto cannot give an MFA device."""
    from mfaguard.drift import live as live_mod
    from mfaguard.drift.model import Root

    seed(moto, drift=False)
    iam = moto.client("iam")
    for name in ("alice", "bob", "ci", "legacy-svc"):
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="654321")
    real = live_mod.read_live

    def read_live(*a, **kw):
        state = real(*a, **kw)
        state.root = Root(arn=state.root.arn if state.root else None, mfa_active=True, mfa_virtual=False,
                          password_present=True)
        return state

    monkeypatch.setattr(live_mod, "read_live", read_live)
    code, out, err = drift(moto, capsys, "--format", "json", "--recheck-flagged")
    doc = json.loads(out)
    assert (code, doc["findings"]) == (0, []), doc["summary"]


def test_bad_plan_exits_2_one_line(moto, capsys):
    code, out, err = drift(moto, capsys, plan=os.path.join(FIX, "bad_format_version.json"))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "bad_format_version.json: unsupported format_version '9.0'" in err


def test_unknown_profile_exits_2(moto, capsys):
    code, _, err = drift(moto, capsys, "--profile", "no-such-profile")
    assert code == 2 and "no-such-profile" in err and err.count("\n") == 1


def test_output_folder_missing_exits_2(moto, capsys, tmp_path):
    code, _, err = drift(moto, capsys, "--output", str(tmp_path / "nope" / "r.json"))
    assert code == 2 and "folder does not exist" in err


def test_malformed_endpoint_url_exits_2(capsys):
    code = main(["drift", "--plan", PLAN, "--endpoint-url", "notaurl"])
    _, err = capsys.readouterr()
    assert code == 2 and "--endpoint-url 'notaurl'" in err and err.count("\n") == 1


def test_enforcing_policy_weakened_and_detached_live(moto, capsys):
    """Live edits of the managed policy: a new default version that only covers the console, then
    detaching it from the group: both read back from the account and reported as drift."""
    seed(moto, drift=False)
    iam = moto.client("iam")
    arn = next(p["Arn"] for p in iam.list_policies(Scope="Local")["Policies"] if p["PolicyName"] == "enforce-mfa")
    weaker = _policy_doc("aws_iam_policy.enforce_mfa").replace("BoolIfExists", "Bool")
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=weaker, SetAsDefault=True)
    code, out, _ = drift(moto, capsys, "--format", "json", "--region", "us-east-1")
    doc = json.loads(out)
    drifts = {(f["control"], f["id"]): f for f in doc["findings"] if f["kind"] == "drift"}
    # console still covered (Bool); access keys no longer: bob (keys) and alice drift on IAM.19 only,
    # and so does the policy itself (the plan owns it)
    assert set(drifts) == {("IAM.19", "admins"), ("IAM.19", "bob"), ("IAM.19", "alice"), ("IAM.19", "enforce-mfa")}
    assert "changed live and no longer enforces MFA" in drifts[("IAM.19", "bob")]["message"]

    iam.detach_group_policy(GroupName="admins", PolicyArn=arn)
    code, out, _ = drift(moto, capsys, "--format", "json", "--region", "us-east-1")
    drifts = {(f["control"], f["id"]): f for f in json.loads(out)["findings"] if f["kind"] == "drift"}
    assert set(drifts) == {("IAM.5", "admins"), ("IAM.5", "alice"), ("IAM.19", "alice"), ("IAM.19", "bob"),
                           ("IAM.19", "enforce-mfa")}  # still its weakened default version
    assert "policy enforce-mfa detached from group admins" in drifts[("IAM.5", "alice")]["message"]


def test_recheck_flagged_rereads_only_flagged_users(moto, capsys):
    seed(moto)
    code, out, _ = drift(moto, capsys, "--format", "json", "--region", "us-east-1", "--recheck-flagged")
    summary = json.loads(out)["summary"]
    # every user in this account lacks MFA, so every one is flagged and re-read; nobody else
    assert sorted(summary["live_checked_users"]) == ["alice", "bob", "ci", "intern", "legacy-svc"]


def test_state_json_written_for_another_account_matches_by_name(moto, capsys):
    """A `terraform show -json` state whose ARNs/IDs name account 111122223333 and pool
    eu-west-1_AbC123: nothing matches by ARN/ID in moto's account, so users, policies and pools
    fall back to names; the region comes from the pool's ID."""
    iam = moto.client("iam")
    with open(os.path.join(FIX, "state_show.json"), encoding="utf-8") as fh:
        state = json.load(fh)
    doc = next(r["values"]["policy"] for r in state["values"]["root_module"]["resources"]
               if r["address"] == "aws_iam_policy.enforce")
    arn = iam.create_policy(PolicyName="enforce-mfa", PolicyDocument=doc)["Policy"]["Arn"]
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
    for name in ("carol", "bot"):
        iam.create_user(UserName=name)
    iam.create_login_profile(UserName="carol", Password="Correct-Horse-42!")
    iam.add_user_to_group(GroupName="admins", UserName="carol")
    iam.create_access_key(UserName="bot")
    cognito = moto.client("cognito-idp", "eu-west-1")
    pid = cognito.create_user_pool(PoolName="customers", UserPoolTier="PLUS", UserPoolAddOns={
        "AdvancedSecurityMode": "ENFORCED", "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "ENFORCED"}})[
        "UserPool"]["Id"]
    cognito.set_user_pool_mfa_config(UserPoolId=pid, SoftwareTokenMfaConfiguration={"Enabled": True},
                                     MfaConfiguration="OPTIONAL")
    code, out, err = drift(moto, capsys, "--format", "json", plan=os.path.join(FIX, "state_show.json"))
    assert code == 1, err
    doc = json.loads(out)
    assert doc["summary"]["regions"] == ["eu-west-1"]
    assert keyed(doc) == {
        ("drift", "Cognito.5", pid),
        ("noncompliant", "IAM.9", "123456789012"), ("noncompliant", "IAM.6", "123456789012"),
        ("noncompliant", "IAM.5", "carol"), ("noncompliant", "IAM.19", "carol"),
        ("noncompliant", "IAM.19", "bot"),
    }


def test_local_emulator_needs_no_credentials(moto, capsys, monkeypatch, tmp_path):
    """Against moto/LocalStack on loopback, a machine with no AWS credentials still runs."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    seed(moto)
    code, out, err = drift(moto, capsys, "--format", "json")
    assert code == 1, err
    assert ("drift", "Cognito.5") in {(f["kind"], f["control"]) for f in json.loads(out)["findings"]}


# ------------------------------------------------------------------ .mfaguard.yaml (--config), as for scan


@pytest.fixture
def optional_pool_account(moto, monkeypatch, tmp_path):
    """Everything compliant but the customers pool, OPTIONAL both in the plan and live (no drift):
    Cognito.5 non-compliance only.  Returns the plan's path (in tmp_path)."""
    from mfaguard.drift import live as live_mod
    from mfaguard.drift.model import Root

    ids = seed(moto, drift=False)
    moto.client("cognito-idp", "us-east-1").set_user_pool_mfa_config(
        UserPoolId=ids["customers"], SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="OPTIONAL")
    iam = moto.client("iam")
    for name in ("alice", "bob", "ci", "legacy-svc"):
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="654321")
    real = live_mod.read_live

    def read_live(*a, **kw):  # moto cannot give root an MFA device
        state = real(*a, **kw)
        state.root = Root(arn=state.root.arn if state.root else None, mfa_active=True, mfa_virtual=False,
                          password_present=True)
        return state

    monkeypatch.setattr(live_mod, "read_live", read_live)
    plan = json.loads(open(PLAN, encoding="utf-8").read())
    for r in plan["planned_values"]["root_module"]["resources"]:
        if r["address"] == "aws_cognito_user_pool.customers":
            r["values"]["mfa_configuration"] = "OPTIONAL"
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(plan))
    return str(path)


ACCEPT = """accept_optional_mfa:
  - pool: aws_cognito_user_pool.customers
    reason: customers opt in to MFA; fraud monitoring covers the rest
"""


def test_drift_config_accepts_optional_mfa_for_a_named_pool(optional_pool_account, moto, capsys, tmp_path):
    code, out, _ = drift(moto, capsys, "--format", "json", "--recheck-flagged", plan=optional_pool_account)
    assert code == 1 and {(f["kind"], f["control"], f["address"]) for f in json.loads(out)["findings"]} == {
        ("noncompliant", "Cognito.5", "aws_cognito_user_pool.customers")}
    (tmp_path / ".mfaguard.yaml").write_text(ACCEPT)  # found next to the plan
    code, out, err = drift(moto, capsys, "--recheck-flagged", plan=optional_pool_account)
    assert code == 0, out
    assert "aws_cognito_user_pool.customers: OPTIONAL MFA accepted by" in out + err
    assert "fraud monitoring covers the rest" in out + err


def test_drift_config_skip_checks_and_unknown_fails(optional_pool_account, moto, capsys, tmp_path):
    cfg = tmp_path / "team.yaml"
    cfg.write_text("skip_checks: [CKV_MFA_1]\n")  # Cognito.5 is the control CKV_MFA_1 judges
    code, out, err = drift(moto, capsys, "--config", str(cfg), "--recheck-flagged", plan=optional_pool_account)
    assert code == 0 and "controls judged" in out + err and "Cognito.5" not in (out + err).split("controls judged")[1]
    # only eu-west-1 read: the customers pool (us-east-1) is undecided, which fails only with unknown_fails
    cfg.write_text(ACCEPT)
    code, out, err = drift(moto, capsys, "--config", str(cfg), "--recheck-flagged", "--region", "eu-west-1",
                           plan=optional_pool_account)
    assert code == 0 and "us-east-1" in out + err
    cfg.write_text(ACCEPT + "unknown_fails: true\n")
    code, out, err = drift(moto, capsys, "--config", str(cfg), "--recheck-flagged", "--region", "eu-west-1",
                           plan=optional_pool_account)
    assert code == 1


def test_drift_config_keeps_drift_of_an_accepted_pool(moto, capsys, tmp_path):
    """The plan says ON, live says OPTIONAL: accepting OPTIONAL does not hide that someone changed it."""
    seed(moto)
    cfg = tmp_path / "team.yaml"
    cfg.write_text(ACCEPT)
    code, out, _ = drift(moto, capsys, "--config", str(cfg), "--format", "json")
    assert ("drift", "Cognito.5", "aws_cognito_user_pool.customers") in {
        (f["kind"], f["control"], f["address"]) for f in json.loads(out)["findings"]}


@pytest.mark.parametrize("text,key", [("skip_check: [CKV_MFA_1]\n", "skip_check: unknown key"),
                                      ("accept_optional_mfa:\n  - pool: p\n", "accept_optional_mfa[0].reason")])
def test_drift_invalid_config_is_exit_2_naming_the_key(moto, capsys, tmp_path, text, key):
    cfg = tmp_path / "team.yaml"
    cfg.write_text(text)
    code, _, err = drift(moto, capsys, "--config", str(cfg))
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and str(cfg) in lines[0] and key in lines[0]
    code, _, err = drift(moto, capsys, "--config", str(cfg), "--org", "--role-name", "R")
    assert code == 2 and "not read with --org" in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="os.mkfifo is POSIX only")
def test_plan_that_is_a_fifo_is_refused_at_once(tmp_path):
    """`--plan` naming a named pipe (issue 12): exit 2 with one line, never waiting for a writer.
    Run in a subprocess with a timeout, so a blocking open fails the test instead of hanging it."""
    import subprocess
    import sys

    fifo = tmp_path / "plan.json"
    os.mkfifo(fifo)
    proc = subprocess.run([sys.executable, "-m", "mfaguard", "drift", "--plan", str(fifo), "--region", "us-east-1",
                           "--endpoint-url", "http://127.0.0.1:9"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(fifo) in lines[0] and "FIFO" in lines[0], lines
    assert proc.stdout == ""


def _hub_findings(moto, regions=("us-east-1", "eu-west-1")) -> dict[str, dict]:
    out = {}
    for region in regions:
        out.update({f["Id"]: f for f in moto.client("securityhub", region).get_findings()["Findings"]})
    return out


def test_securityhub_imports_the_runs_findings_and_archives_what_is_gone(moto, capsys):
    """`--securityhub` after the chosen --format: the same findings as `--format asff`, in moto's
    Security Hub of each finding's region.  Next run with `--archive-stale`: the fixed pool's finding
    turns PASSED (same Id), the deleted user's findings are archived, and so are those of a pool
    deleted from a region where the run has nothing left (us-west-2).  Summary on stderr."""
    ids = seed(moto)
    stray = moto.client("cognito-idp", "us-west-2").create_user_pool(PoolName="stray")["UserPool"]["Id"]
    regions = ("--region", "us-east-1", "--region", "eu-west-1", "--region", "us-west-2")
    code, out, _ = drift(moto, capsys, "--format", "asff", *regions)
    expected = {f["Id"] for f in json.loads(out)}
    code, out, err = drift(moto, capsys, "--format", "json", "--securityhub", *regions)
    assert code == 1, err
    assert json.loads(out)["findings"]  # the chosen format, untouched
    assert f"Security Hub: imported {len(expected)} finding(s)" in err
    hub = _hub_findings(moto, ("us-east-1", "eu-west-1", "us-west-2"))
    assert set(hub) == expected and all(f["RecordState"] == "ACTIVE" for f in hub.values())
    intern = {fid for fid in expected if fid.endswith(":user/intern")}
    west = {fid for fid in expected if "/us-west-2/" in fid}
    customers = next(fid for fid in expected if "/Cognito.5/" in fid and fid.endswith(ids["customers"]))
    assert intern and west and hub[customers]["Compliance"]["Status"] == "FAILED"

    moto.client("iam").delete_login_profile(UserName="intern")
    moto.client("iam").delete_user(UserName="intern")
    moto.client("cognito-idp", "us-west-2").delete_user_pool(UserPoolId=stray)
    moto.client("cognito-idp", "us-east-1").set_user_pool_mfa_config(
        UserPoolId=ids["customers"], SoftwareTokenMfaConfiguration={"Enabled": True}, MfaConfiguration="ON")
    code, out, err = drift(moto, capsys, "--format", "asff", "--securityhub", "--archive-stale", *regions)
    assert code == 1, err
    assert not [f for f in json.loads(out) if "/us-west-2/" in f["Id"]]  # nothing left there
    assert f"archived {len(intern | west)} that this run no longer reports" in err
    hub = _hub_findings(moto, ("us-east-1", "eu-west-1", "us-west-2"))
    assert {fid for fid, f in hub.items() if f["RecordState"] == "ARCHIVED"} == intern | west
    assert hub[customers]["RecordState"] == "ACTIVE" and hub[customers]["Compliance"]["Status"] == "PASSED"


def test_securityhub_import_denied_exits_3_naming_the_permission(moto, capsys, monkeypatch):
    """Reading is allowed, Security Hub is not (moto's IAM enforcement): the report is written,
    the import fails with exit 3 naming securityhub:GetFindings."""
    seed(moto)
    session = moto.least_privilege(list(ACTIONS))
    creds = session.get_credentials()
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", creds.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", creds.secret_key)
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    code, out, err = drift(moto, capsys, "--format", "json", "--region", "us-east-1", "--securityhub")
    assert code == 3, err
    assert json.loads(out)["findings"]
    assert "Security Hub import failed" in err and "securityhub:GetFindings" in err and "Traceback" not in err


def test_archive_stale_needs_securityhub(moto, capsys):
    code, _, err = drift(moto, capsys, "--archive-stale")
    assert code == 2 and "--archive-stale needs --securityhub" in err


def test_rechecked_users_are_named_in_table_json_and_messages(moto, capsys):
    """--recheck-flagged: the table's report line names the users judged on re-read evidence, and
    each of their findings' messages says so; a finding about a pool does not."""
    seed(moto)
    code, out, _ = drift(moto, capsys, "--format", "json", "--region", "us-east-1", "--recheck-flagged")
    doc = json.loads(out)
    checked = set(doc["summary"]["live_checked_users"])
    assert "intern" in checked
    for f in doc["findings"]:
        rechecked = "judged on evidence re-read live after the credential report" in f["message"]
        assert rechecked == (f["resource_type"] == "AwsIamUser" and f["id"] in checked), f
    code, out, _ = drift(moto, capsys, "--format", "table", "--region", "us-east-1", "--recheck-flagged")
    assert f"judged on evidence re-read live: {len(checked)} user(s): " + ", ".join(sorted(checked)) in out
