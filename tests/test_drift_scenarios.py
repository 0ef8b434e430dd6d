"""Live scenarios on moto (real HTTP): each a plan, an account changed by hand, and its expected
findings as DATA: {(control, kind, resource, compliance, severity)}.

The expected rows come from AWS's rules and issue 11, not from the tool's output:

* IAM.5 fails a user with a console password and no MFA device; IAM.19 fails every user without
  one (Security Hub's controls); a failing finding carries its control's severity (MEDIUM for both).
* ``compliance`` is the live state of the control, whatever the kind: a change that leaves the
  control passing (the user still has a device, a pool's MFA raised to ON) is still drift, at LOW.
* A password or access key the plan does not declare is drift: a sign-in path added outside
  Terraform (IAM.5 for the console, IAM.19 for keys).
* What the plan deletes (resource_changes actions ["delete"]) is pending_destroy, not unmanaged.
* Terraform reads aws_iam_user by name: a user renamed by hand (same unique id) is drift on the
  renamed user, since the next apply would create the old name again.

Root (IAM.9/IAM.6: moto's root has no MFA) is left out of every table: tests/test_drift_compare.py
covers it.  Every test runs `mfaguard drift` end to end, as tests/test_drift_cli.py does.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Callable

import pytest

from mfaguard.cli import main

ACCT = "123456789012"  # moto's account
REGION = "us-east-1"
NOT_ACTIONS = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
               "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
ENFORCE = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Deny", "NotAction": NOT_ACTIONS, "Resource": "*",
    "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]})
# "Allow if MFA" is not enforcement (DESIGN.md): without MFA the user is simply not allowed by it.
ALLOW_IF_MFA = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Action": "*", "Resource": "*",
    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]})
PASSWORD = "Correct-Horse-42!"
POLICY_ARN = f"arn:aws:iam::{ACCT}:policy/enforce-mfa"


@pytest.fixture(autouse=True)
def _fast_report_polling(monkeypatch):
    from mfaguard.drift import live

    monkeypatch.setattr(live, "REPORT_FIRST_DELAY_S", 0.01, raising=False)


# ----------------------------------------------------------------------------- plans


def res(rtype: str, label: str, **values) -> dict:
    return {"address": f"{rtype}.{label}", "mode": "managed", "type": rtype, "name": label, "values": values}


def plan(*resources: dict, deleted: tuple = (), data: tuple = ()) -> dict:
    """A `terraform show -json` plan: `resources` stay (no-op), `deleted` are being destroyed,
    `data` sources were read at plan time (Terraform >= 0.13 keeps them in prior_state)."""
    changes = [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                "change": {"actions": ["no-op"], "before": r["values"], "after": r["values"]}} for r in resources]
    changes += [{"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                 "change": {"actions": ["delete"], "before": r["values"], "after": None}} for r in deleted]
    return {
        "format_version": "1.2", "terraform_version": "1.9.0",
        "planned_values": {"root_module": {"resources": list(resources)}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "values": {"root_module": {
            "resources": list(resources) + list(deleted) + list(data)}}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "expressions": {
            "region": {"constant_value": REGION}}}}, "root_module": {}},
    }


def admins(*members: str, policy_arn: str | None = None) -> list[dict]:
    """Group admins with the enforce-mfa policy, and its members."""
    arn = policy_arn or f"arn:aws:iam::{ACCT}:policy/enforce-mfa"
    return [res("aws_iam_policy", "enforce_mfa", name="enforce-mfa", path="/", policy=ENFORCE, arn=arn),
            res("aws_iam_group", "admins", name="admins", arn=f"arn:aws:iam::{ACCT}:group/admins"),
            res("aws_iam_group_policy_attachment", "admins", group="admins", policy_arn=arn),
            res("aws_iam_group_membership", "admins", name="admins", group="admins", users=list(members))]


def read_policy(name: str, document: str) -> dict:
    return {"address": f"data.aws_iam_policy.{name}", "mode": "data", "type": "aws_iam_policy", "name": name,
            "values": {"arn": POLICY_ARN, "name": "enforce-mfa", "path": "/", "policy": document}}


def user(name: str, address: str | None = None, **values) -> dict:
    return res("aws_iam_user", address or name, name=name, arn=f"arn:aws:iam::{ACCT}:user/{name}", **values)


def pool(name: str, mfa: str, **values) -> dict:
    return res("aws_cognito_user_pool", name, name=name, mfa_configuration=mfa,
               software_token_mfa_configuration=[{"enabled": True}],
               user_pool_tier="PLUS", user_pool_add_ons=[{
                   "advanced_security_mode": "ENFORCED",
                   "advanced_security_additional_flows": [{"custom_auth_mode": "ENFORCED"}]}], **values)


# ----------------------------------------------------------------------------- the account


class Account:
    """The moto account, changed as a person would change it by hand."""

    def __init__(self, moto) -> None:
        self.moto = moto
        self.iam = moto.client("iam")
        self.cognito = moto.client("cognito-idp", REGION)
        self.pools: dict[str, str] = {}  # pool id -> name

    def admins(self, *members: str) -> None:
        arn = self.iam.create_policy(PolicyName="enforce-mfa", PolicyDocument=ENFORCE)["Policy"]["Arn"]
        self.iam.create_group(GroupName="admins")
        self.iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
        for m in members:
            self.iam.add_user_to_group(GroupName="admins", UserName=m)

    def weaken_policy(self) -> None:
        """A new default version of enforce-mfa that no longer enforces (a console edit)."""
        self.iam.create_policy_version(PolicyArn=POLICY_ARN, PolicyDocument=ALLOW_IF_MFA, SetAsDefault=True)

    def user(self, name: str, *, console=False, key=False, mfa=False) -> dict:
        got = self.iam.create_user(UserName=name)["User"]
        if console:
            self.iam.create_login_profile(UserName=name, Password=PASSWORD)
        if key:
            self.iam.create_access_key(UserName=name)
        if mfa:
            self.enrol_mfa(name)
        return got

    def enrol_mfa(self, name: str) -> None:
        serial = self.iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        self.iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1="123456",
                                   AuthenticationCode2="654321")

    def pool(self, name: str, mfa: str) -> str:
        pid = self.cognito.create_user_pool(PoolName=name, UserPoolTier="PLUS", UserPoolAddOns={
            "AdvancedSecurityMode": "ENFORCED", "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "ENFORCED"}})[
            "UserPool"]["Id"]
        self.cognito.set_user_pool_mfa_config(UserPoolId=pid, SoftwareTokenMfaConfiguration={"Enabled": True},
                                              MfaConfiguration=mfa)
        self.pools[pid] = name
        return pid


def drift_json(moto, tmp_path, capsys, doc: dict, *extra: str) -> tuple[int, dict]:
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code = main(["drift", "--plan", str(path), "--endpoint-url", moto.endpoint_url, "--format", "json", *extra])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return code, json.loads(out)


def rows(doc: dict, account: Account) -> set[tuple]:
    return {(f["control"], f["kind"], account.pools.get(f["id"], f["id"]), f["compliance"], f["severity"])
            for f in doc["findings"] if f["control"] not in ("IAM.9", "IAM.6")}


# ----------------------------------------------------------------------------- scenarios


@dataclass
class Scenario:
    change: Callable[[Account], dict]  # changes the account by hand; returns what the plan needs
    plan: Callable[[dict], dict]
    expected: set = field(default_factory=set)


def _console_added(a: Account) -> dict:
    a.user("dev", console=True)  # a password set in the console, no MFA device
    a.admins("dev")
    return {}


def _key_added_with_device(a: Account) -> dict:
    a.user("svc", key=True, mfa=True)
    a.admins("svc")
    return {}


def _pending_destroy(a: Account) -> dict:
    a.user("old", console=True)
    a.admins()
    return {"legacy": a.pool("legacy", "ON")}


def _pool_raised(a: Account) -> dict:
    a.admins()
    return {"customers": a.pool("customers", "ON")}  # the plan says OPTIONAL


def _lost_group(mfa: bool) -> Callable[[Account], dict]:
    def change(a: Account) -> dict:
        a.user("alice", console=True, mfa=mfa)
        a.admins()  # alice was removed from admins by hand
        return {}
    return change


def _renamed(a: Account) -> dict:
    got = a.user("alice", mfa=True)
    a.admins("alice")
    a.iam.update_user(UserName="alice", NewUserName="alice-renamed")
    return {"unique_id": got["UserId"]}


def _baseline_policy_weakened(a: Account) -> dict:
    a.admins()
    a.weaken_policy()
    return {}


def _team_stack_policy_weakened(a: Account) -> dict:
    a.user("dev", mfa=True)
    a.admins("dev")
    a.weaken_policy()
    return {}


def _group_renamed(a: Account) -> dict:
    a.user("dev", mfa=True)
    a.admins("dev")
    group_id = a.iam.get_group(GroupName="admins")["Group"]["GroupId"]
    a.iam.update_group(GroupName="admins", NewGroupName="admins-ops")
    return {"group_id": group_id}


def _group_plan(ctx: dict) -> dict:
    group, *rest = [r for r in admins("dev") if r["type"] != "aws_iam_policy"]
    group["values"]["unique_id"] = ctx["group_id"]
    policy = res("aws_iam_policy", "enforce_mfa", name="enforce-mfa", path="/", policy=ENFORCE, arn=POLICY_ARN)
    return plan(user("dev"), policy, group, *rest)


SCENARIOS = {
    # §3: a console password added by hand, no device: drift AND noncompliant
    "console-added-by-hand": Scenario(
        _console_added, lambda ctx: plan(user("dev"), *admins("dev")),
        {("IAM.5", "drift", "dev", "FAILED", "HIGH"),
         ("IAM.5", "noncompliant", "dev", "FAILED", "HIGH"),
         ("IAM.19", "noncompliant", "dev", "FAILED", "MEDIUM")}),
    # §3: an access key added by hand to a user with a device: drift, IAM.19 passes live
    "key-added-by-hand-device-enrolled": Scenario(
        _key_added_with_device, lambda ctx: plan(user("svc"), *admins("svc")),
        {("IAM.19", "drift", "svc", "PASSED", "LOW")}),
    # §3: what the plan deletes is pending destroy, each with its live compliance
    "pending-destroy": Scenario(
        _pending_destroy, lambda ctx: plan(*admins(), deleted=(
            user("old"), res("aws_iam_user_login_profile", "old", user="old"),
            pool("legacy", "ON", id=ctx["legacy"], arn=f"arn:aws:cognito-idp:{REGION}:{ACCT}:userpool/"
                                                        f"{ctx['legacy']}"))),
        {("IAM.5", "pending_destroy", "old", "FAILED", "HIGH"),
         ("IAM.19", "pending_destroy", "old", "FAILED", "MEDIUM"),
         ("Cognito.5", "pending_destroy", "legacy", "PASSED", "LOW")}),
    # §3: MFA raised by hand (OPTIONAL -> ON): the next apply would lower it again
    "pool-mfa-raised-by-hand": Scenario(
        _pool_raised, lambda ctx: plan(*admins(), pool("customers", "OPTIONAL", id=ctx["customers"])),
        {("Cognito.5", "drift", "customers", "PASSED", "LOW")}),
    # §1: lost the enforcing group, still has a device: drift, PASSED, LOW ...
    "lost-group-device-enrolled": Scenario(
        _lost_group(True), lambda ctx: plan(user("alice"), res("aws_iam_user_login_profile", "alice", user="alice"),
                                            *admins("alice")),
        {("IAM.5", "drift", "alice", "PASSED", "LOW"), ("IAM.19", "drift", "alice", "PASSED", "LOW")}),
    # ... and without a device: the control fails, at the severity of the check that judges it
    # (IAM.5: CKV2_MFA_1 HIGH, IAM.19: CKV2_MFA_2 MEDIUM; catalogue.SEVERITY_RULE)
    "lost-group-no-device": Scenario(
        _lost_group(False), lambda ctx: plan(user("alice"), res("aws_iam_user_login_profile", "alice", user="alice"),
                                             *admins("alice")),
        {("IAM.5", "drift", "alice", "FAILED", "HIGH"), ("IAM.19", "drift", "alice", "FAILED", "MEDIUM"),
         ("IAM.5", "noncompliant", "alice", "FAILED", "HIGH"),
         ("IAM.19", "noncompliant", "alice", "FAILED", "MEDIUM")}),
    # §3: the baseline stack owns enforce-mfa (no users): a new default version that no longer
    # enforces is drift on the policy itself (both paths lost: IAM.5, as for groups)
    "baseline-policy-new-default-version": Scenario(
        _baseline_policy_weakened,
        lambda ctx: plan(res("aws_iam_policy", "enforce_mfa", name="enforce-mfa", path="/", policy=ENFORCE,
                             arn=POLICY_ARN)),
        {("IAM.5", "drift", "enforce-mfa", "FAILED", "HIGH")}),
    # §3: a team stack read the document with data "aws_iam_policy" and attaches it by ARN: the
    # document read at plan time against the live one; dev (with a device) is judged on live policies
    "team-stack-read-policy-changed": Scenario(
        _team_stack_policy_weakened,
        lambda ctx: plan(user("dev"), res("aws_iam_group", "admins", name="admins"),
                         res("aws_iam_group_policy_attachment", "admins", group="admins", policy_arn=POLICY_ARN),
                         res("aws_iam_group_membership", "admins", name="admins", group="admins", users=["dev"]),
                         data=(read_policy("enforce_mfa", ENFORCE),)),
        {("IAM.5", "drift", "enforce-mfa", "FAILED", "HIGH")}),
    # §3: a group renamed by hand, matched by the unique id the state has; it still enforces MFA
    # (console and keys: IAM.5, as for groups) on its members, so the control passes
    "group-renamed-by-hand": Scenario(
        _group_renamed, _group_plan, {("IAM.5", "drift", "admins-ops", "PASSED", "LOW")}),
    # §3: renamed by hand, matched by the unique id the state has
    "user-renamed-by-hand": Scenario(
        _renamed, lambda ctx: plan(user("alice", unique_id=ctx["unique_id"]), *admins("alice")),
        {("IAM.19", "drift", "alice-renamed", "PASSED", "LOW")}),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario(name, moto, tmp_path, capsys):
    scenario = SCENARIOS[name]
    account = Account(moto)
    ctx = scenario.change(account)
    _, doc = drift_json(moto, tmp_path, capsys, scenario.plan(ctx))
    assert rows(doc, account) == scenario.expected


# ----------------------------------------------------------------------------- Security Hub lifecycle


def test_security_hub_lifecycle_a_fixed_finding_turns_passed(moto, tmp_path, capsys):
    """Run drift, import; fix the account in moto (alice back in admins, an MFA device enrolled);
    run again, import again: alice's findings are PASSED in moto's Security Hub, first sighting
    kept, UpdatedAt moved, nothing duplicated."""
    account = Account(moto)
    account.user("alice", console=True)
    account.admins()  # alice removed from admins by hand, no device
    doc = plan(user("alice"), res("aws_iam_user_login_profile", "alice", user="alice"), *admins("alice"))
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(doc), encoding="utf-8")

    def run_and_import(name: str) -> list[dict]:
        out = tmp_path / name
        assert main(["drift", "--plan", str(path), "--endpoint-url", moto.endpoint_url, "--region", REGION,
                     "--format", "asff", "--output", str(out)]) == 1
        assert main(["securityhub", "import", str(out), "--endpoint-url", moto.endpoint_url]) == 0
        capsys.readouterr()
        return json.loads(out.read_text())

    def alice_in_hub() -> dict[str, dict]:
        found = moto.client("securityhub", REGION).get_findings()["Findings"]
        return {f["Compliance"]["SecurityControlId"]: f for f in found
                if f["Resources"][0]["Id"] == f"arn:aws:iam::{ACCT}:user/alice"}

    first = run_and_import("night1.asff.json")
    before = alice_in_hub()
    assert {c: f["Compliance"]["Status"] for c, f in before.items()} == {"IAM.5": "FAILED", "IAM.19": "FAILED"}

    account.iam.add_user_to_group(GroupName="admins", UserName="alice")
    account.enrol_mfa("alice")
    second = run_and_import("night2.asff.json")
    after = alice_in_hub()
    assert {c: f["Compliance"]["Status"] for c, f in after.items()} == {"IAM.5": "PASSED", "IAM.19": "PASSED"}
    for control in ("IAM.5", "IAM.19"):
        assert after[control]["Id"] == before[control]["Id"]
        assert after[control]["CreatedAt"] == before[control]["CreatedAt"]
        assert after[control]["FirstObservedAt"] == before[control]["FirstObservedAt"]
        assert after[control]["UpdatedAt"] > before[control]["UpdatedAt"]
        assert after[control]["RecordState"] == "ACTIVE"
        assert after[control]["Severity"]["Label"] == "INFORMATIONAL"
    assert "mfaguard evaluated" in after["IAM.5"]["Title"]
    hub = moto.client("securityhub", REGION).get_findings()["Findings"]
    assert len(hub) == len({f["Id"] for f in first} | {f["Id"] for f in second})  # updated, never duplicated
