"""An AWS Organization on a moto server, for `make demo`, tests/test_drift_org.py and
benchmarks/bench_org.py.

    seed_org(endpoint_url, members=22) -> OrgSeed

The management account is moto's default (123456789012).  Member accounts are created with
Organizations, moved into OUs, and seeded through `sts:AssumeRole` into each (moto keeps IAM per
account: assumed-role keys belong to the role's account).  Each member gets the role mfaguard
assumes (ROLE, with the read-only policy from mfaguard.drift.permissions), except where a state
needs otherwise.  Then IAM enforcement is switched on: every later call is checked against the
caller's policies, so a denied AssumeRole or a missing read permission is a real AccessDenied.

    scenario       OU               plan    state
    drifted        Sandbox          yes     alice (console) left group admins, which enforced MFA
    drifted-scp    Workloads/Prod   yes     same, but an MFA-enforcing SCP on Workloads still covers her
    clean          Sandbox          yes     matches its plan; alice has MFA
    unmanaged      Sandbox          no      an intern with a console password and no MFA, made by hand
    root-creds     Workloads        no      root still has a password although root access is central
    partial        Sandbox          no      the role may not list Cognito pools (cognito-idp:ListUserPools)
    denied         Sandbox          no      the management caller may not assume its role
    suspended      Sandbox          no      closed: Organizations State SUSPENDED
    filler-N       Workloads/Sandbox no     empty accounts

What moto cannot show (no root MFA or AccountPasswordPresent; no iam:ListOrganizationsFeatures in
moto 5.2.5) is answered by `root_hook(seed)`: a botocore `before-call` handler (the mechanism
botocore's Stubber uses) on exactly those two operations; every other call goes to moto.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

MANAGEMENT = "123456789012"
ROLE = "MfaguardAudit"
CALLER = "org-auditor"
REGION = "us-east-1"
ENFORCE_MFA = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyAllExceptMfaEnrolmentWithoutMfa", "Effect": "Deny",
    "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                  "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"],
    "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
SCENARIOS = ("drifted", "drifted-scp", "clean", "unmanaged", "root-creds", "partial", "denied", "suspended")


@dataclass
class OrgSeed:
    endpoint_url: str
    management: str = MANAGEMENT
    accounts: dict[str, str] = field(default_factory=dict)  # scenario -> account id
    members: list[str] = field(default_factory=list)
    ous: dict[str, str] = field(default_factory=dict)  # name -> id
    root_id: str = ""
    organization_id: str = ""
    scp_id: str = ""
    plans: dict[str, dict] = field(default_factory=dict)  # account id -> state JSON
    caller_key: tuple[str, str] = ("", "")

    def caller_session(self, region: str = REGION):
        import boto3

        return boto3.Session(aws_access_key_id=self.caller_key[0], aws_secret_access_key=self.caller_key[1],
                             region_name=region)

    def write_plans(self, folder: str) -> None:
        """<account-id>.json files, as `--plans DIR` reads them."""
        import os

        for account, doc in self.plans.items():
            with open(os.path.join(folder, f"{account}.json"), "w", encoding="utf-8") as fh:
                json.dump(doc, fh)


def _client(url: str, service: str, creds: dict | None = None):
    import boto3

    creds = creds or {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, region_name=REGION, endpoint_url=url, **creds)


def _member_creds(url: str, account: str) -> dict:
    c = _client(url, "sts").assume_role(RoleArn=f"arn:aws:iam::{account}:role/{ROLE}",
                                        RoleSessionName="seed")["Credentials"]
    return {"aws_access_key_id": c["AccessKeyId"], "aws_secret_access_key": c["SecretAccessKey"],
            "aws_session_token": c["SessionToken"]}


def _role(iam, actions: list[str]) -> None:
    """The member role as README generates it (trust policy, read-only actions)."""
    from mfaguard.drift.permissions import trust_policy

    iam.create_role(RoleName=ROLE, AssumeRolePolicyDocument=json.dumps(trust_policy(MANAGEMENT)))
    iam.put_role_policy(RoleName=ROLE, PolicyName="mfaguard-read", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}))


def _admins(iam, account: str, *, member: bool, mfa: bool) -> dict:
    """alice (console) and group admins with enforce-mfa; returns the matching state JSON."""
    arn = iam.create_policy(PolicyName="enforce-mfa", PolicyDocument=json.dumps(ENFORCE_MFA))["Policy"]["Arn"]
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
    iam.create_user(UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Correct-Horse-42!")
    if member:
        iam.add_user_to_group(GroupName="admins", UserName="alice")
    if mfa:
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
        iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456",
                              AuthenticationCode2="654321")
    return _state(account, arn)


def _state(account: str, policy_arn: str) -> dict:
    def res(rtype: str, name: str, values: dict) -> dict:
        return {"address": f"{rtype}.{name}", "mode": "managed", "type": rtype, "name": name,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0, "values": values}

    return {"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {"resources": [
        res("aws_iam_policy", "enforce_mfa", {"name": "enforce-mfa", "arn": policy_arn, "path": "/",
                                              "policy": json.dumps(ENFORCE_MFA)}),
        res("aws_iam_group", "admins", {"name": "admins", "arn": f"arn:aws:iam::{account}:group/admins"}),
        res("aws_iam_group_policy_attachment", "admins_mfa", {"group": "admins", "policy_arn": policy_arn}),
        res("aws_iam_user", "alice", {"name": "alice", "arn": f"arn:aws:iam::{account}:user/alice"}),
        res("aws_iam_user_login_profile", "alice", {"user": "alice"}),
        res("aws_iam_group_membership", "admins", {"name": "admins-members", "group": "admins", "users": ["alice"]}),
    ]}}}


def seed_org(endpoint_url: str, members: int = 22) -> OrgSeed:
    """Build the organisation (members >= len(SCENARIOS)); IAM enforcement is on when it returns."""
    from mfaguard.drift.permissions import ACTIONS

    url = endpoint_url
    seed = OrgSeed(endpoint_url=url)
    org = _client(url, "organizations")
    seed.organization_id = org.create_organization(FeatureSet="ALL")["Organization"]["Id"]
    seed.root_id = org.list_roots()["Roots"][0]["Id"]
    for name, parent in (("Workloads", seed.root_id), ("Sandbox", seed.root_id), ("Prod", "Workloads")):
        seed.ous[name] = org.create_organizational_unit(
            ParentId=seed.ous.get(parent, parent), Name=name)["OrganizationalUnit"]["Id"]
    seed.scp_id = org.create_policy(Name="require-mfa", Description="deny everything without MFA",
                                    Type="SERVICE_CONTROL_POLICY", Content=json.dumps(ENFORCE_MFA))["Policy"][
        "PolicySummary"]["Id"]
    org.attach_policy(PolicyId=seed.scp_id, TargetId=seed.ous["Workloads"])
    names = list(SCENARIOS) + [f"filler-{i}" for i in range(max(0, members - len(SCENARIOS)))]
    place = {"drifted-scp": "Prod", "root-creds": "Workloads"}
    for i, name in enumerate(names):
        account = org.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]["AccountId"]
        seed.accounts[name] = account
        seed.members.append(account)
        ou = place.get(name) or ("Workloads" if name.startswith("filler") and i % 2 else "Sandbox")
        org.move_account(AccountId=account, SourceParentId=seed.root_id, DestinationParentId=seed.ous[ou])
        iam = _client(url, "iam", _member_creds(url, account))
        readable = [a for a in ACTIONS if not (name == "partial" and a == "cognito-idp:ListUserPools")]
        _role(iam, readable)
        if name in ("drifted", "drifted-scp", "clean"):
            seed.plans[account] = _admins(iam, account, member=name == "clean", mfa=name == "clean")
        elif name == "unmanaged":
            iam.create_user(UserName="intern")
            iam.create_login_profile(UserName="intern", Password="Correct-Horse-42!")
    org.close_account(AccountId=seed.accounts["suspended"])
    seed.caller_key = _caller(url, seed.accounts["denied"])
    _post(f"{url}/moto-api/reset-auth", b"0")  # IAM enforcement from here on
    return seed


def _caller(url: str, denied_account: str) -> tuple[str, str]:
    """The management account's auditor: Organizations read, the reader's actions for its own
    account, AssumeRole into ROLE anywhere but in `denied_account`."""
    from mfaguard.drift.permissions import org_policy_document, policy_document

    iam = _client(url, "iam")
    iam.create_user(UserName=CALLER)
    # exactly the generated policies (README): the reader's for its own account, the --org caller's
    doc = {"Version": "2012-10-17", "Statement": policy_document()["Statement"] + org_policy_document(ROLE)["Statement"] + [
        # the delegated administrator imports the organisation's ASFF into its Security Hub
        {"Effect": "Allow", "Action": ["securityhub:BatchImportFindings", "securityhub:GetFindings"], "Resource": "*"},
        {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::{denied_account}:role/{ROLE}"},
    ]}
    iam.put_user_policy(UserName=CALLER, PolicyName="org-read", PolicyDocument=json.dumps(doc))
    key = iam.create_access_key(UserName=CALLER)["AccessKey"]
    # moto's root: no MFA device can be given to it; the hook answers its summary
    return key["AccessKeyId"], key["SecretAccessKey"]


def _post(url: str, body: bytes) -> None:
    import urllib.request

    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def root_summary(seed: OrgSeed, account: str) -> dict[str, int]:
    """Root evidence moto cannot give: management root with a hardware device and a password;
    root-creds member with a password and MFA left behind; every other member without credentials."""
    if account == seed.management:
        return {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0,
                "AccountSigningCertificatesPresent": 0}
    if account == seed.accounts.get("root-creds"):
        return {"AccountMFAEnabled": 1, "AccountPasswordPresent": 1, "AccountAccessKeysPresent": 0,
                "AccountSigningCertificatesPresent": 0}
    return {"AccountMFAEnabled": 0, "AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0,
            "AccountSigningCertificatesPresent": 0}


def root_hook(seed: OrgSeed, features: tuple[str, ...] = ("RootCredentialsManagement",)):
    """OrgOptions.on_client: answer iam:GetAccountSummary (per account) and
    iam:ListOrganizationsFeatures (management) before they reach moto, which lacks them."""
    from botocore.awsrequest import AWSResponse

    def on_client(account: str, service: str, client: Any) -> None:
        if service != "iam":
            return

        def summary(**_):
            return AWSResponse(None, 200, {}, None), {"SummaryMap": root_summary(seed, account)}

        def listed(**_):
            return AWSResponse(None, 200, {}, None), {"OrganizationId": seed.organization_id,
                                                      "EnabledFeatures": list(features)}

        client.meta.events.register("before-call.iam.GetAccountSummary", summary)
        client.meta.events.register("before-call.iam.ListOrganizationsFeatures", listed)

    return on_client
