"""The live reader (mfaguard.drift.live) against a moto server over HTTP.

Where moto cannot produce a behaviour, botocore's Stubber drives the same reader code
(via `client_factory`) and the test says why:
  - a credential report that stays STARTED/INPROGRESS, or fails with LimitExceeded (moto
    completes on the second GenerateCredentialReport and never rate-limits it);
  - GetAccountAuthorizationDetails over several pages (moto always answers in one page);
  - a root user with a virtual or hardware MFA device and the report's <root_account> row
    (moto cannot assign MFA to root and its report has no root row).
Throttling is injected into real HTTP exchanges with moto through botocore's `before-send`
event, so botocore's own adaptive retry handler does the retrying.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import datetime, timezone

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from mfaguard.drift import permissions
from mfaguard.drift.live import (
    AwsConnectionError,
    client_config,
    parse_credential_report,
    read_live,
    root_from_evidence,
)
from mfaguard.errors import AwsAccessError

ACCOUNT = "123456789012"
ROOT_ARN = f"arn:aws:iam::{ACCOUNT}:root"
ENFORCE_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllExceptListedIfNoMFA",
            "Effect": "Deny",
            "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                          "iam:ResyncMFADevice", "sts:GetSessionToken"],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ],
}
NO_WAIT = (lambda _s: None)  # moto answers STARTED once, then COMPLETE: poll again at once
S3_READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:Get*", "Resource": "*"}]}


def count_calls(session: boto3.Session) -> Counter:
    """Count HTTP requests (retries included) per 'service.Operation' made through `session`."""
    calls: Counter = Counter()

    def on_send(request, event_name, **_):
        _, service, operation = event_name.split(".", 2)
        calls[f"{service}.{operation}"] += 1

    session.events.register("before-send", on_send)
    return calls


def enable_virtual_mfa(iam, user: str) -> None:
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=f"{user}-mfa")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName=user, SerialNumber=serial, AuthenticationCode1="123456",
                          AuthenticationCode2="654321")


# ---------------------------------------------------------------------------- IAM over moto


def test_reads_users_groups_policies_and_credentials(moto):
    iam = moto.client("iam")
    iam.create_group(GroupName="admins")
    arn = iam.create_policy(PolicyName="enforce-mfa", PolicyDocument=json.dumps(ENFORCE_MFA))["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="admins", PolicyArn=arn)
    iam.put_group_policy(GroupName="admins", PolicyName="read", PolicyDocument=json.dumps(S3_READ))
    for name in ("alice", "deploy", "intern"):
        iam.create_user(UserName=name)
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    iam.create_login_profile(UserName="alice", Password="Pa55word!x")
    enable_virtual_mfa(iam, "alice")
    iam.create_access_key(UserName="deploy")
    iam.put_user_policy(UserName="deploy", PolicyName="s3", PolicyDocument=json.dumps(S3_READ))
    iam.attach_user_policy(UserName="deploy", PolicyArn=arn)
    iam.create_login_profile(UserName="intern", Password="Pa55word!x")

    state = read_live(moto.session(), ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    assert state.errors == [] and state.unread == []
    assert state.account_id == ACCOUNT and state.partition == "aws"
    assert state.credential_report_generated == "2015-02-02T20:02:02Z"  # moto's fixed GeneratedTime
    alice, deploy, intern = state.users["alice"], state.users["deploy"], state.users["intern"]
    assert (alice.console, alice.access_keys, alice.mfa_active) == (True, False, True)
    assert (deploy.console, deploy.access_keys, deploy.mfa_active) == (False, True, False)
    assert (intern.console, intern.access_keys, intern.mfa_active) == (True, False, False)
    assert alice.groups == ["admins"] and intern.groups == []
    assert alice.arn == f"arn:aws:iam::{ACCOUNT}:user/alice" and alice.id
    assert deploy.attached_policy_arns == [arn]
    assert [(p.name, p.document) for p in deploy.inline_policies] == [("s3", S3_READ)]
    admins = state.groups["admins"]
    assert admins.attached_policy_arns == [arn]
    assert [(p.name, p.document) for p in admins.inline_policies] == [("read", S3_READ)]
    assert state.policies[arn].name == "enforce-mfa"
    assert state.policies[arn].document == ENFORCE_MFA  # the default version's parsed document


def test_policy_document_is_the_default_version(moto):
    iam = moto.client("iam")
    arn = iam.create_policy(PolicyName="p", PolicyDocument=json.dumps(ENFORCE_MFA))["Policy"]["Arn"]
    iam.create_policy_version(PolicyArn=arn, PolicyDocument=json.dumps(S3_READ), SetAsDefault=True)
    state = read_live(moto.session(), ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert state.policies[arn].document == S3_READ  # weakened document: the live default version


def test_empty_account(moto):
    state = read_live(moto.session(), ["us-east-1", "eu-west-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert state.users == {} and state.groups == {} and state.policies == {} and state.pools == []
    assert state.errors == [] and state.unread == []
    assert state.regions == ["us-east-1", "eu-west-1"]
    # moto's summary has no AccountPasswordPresent and its report no root row: no evidence that
    # root lacks a password, so the reader fails closed.
    assert state.root.arn == ROOT_ARN
    assert state.root.mfa_active is False
    assert state.root.password_present is None
    assert state.root.has_credentials is True


def test_pagination_past_one_page(moto):
    iam = moto.client("iam")
    for i in range(101):  # one past IAM's default page of 100
        iam.create_user(UserName=f"user{i:03d}")
    cognito = moto.client("cognito-idp", "eu-west-1")
    for i in range(61):  # one past ListUserPools' maximum page of 60
        cognito.create_user_pool(PoolName=f"pool{i:02d}")
    session = moto.session()
    calls = count_calls(session)
    state = read_live(session, ["eu-west-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert sorted(state.users) == [f"user{i:03d}" for i in range(101)]
    assert all(u.mfa_active is False and u.console is False for u in state.users.values())
    assert sorted(p.name for p in state.pools) == [f"pool{i:02d}" for i in range(61)]
    assert calls["cognito-identity-provider.ListUserPools"] == 2  # 60 + 1


def test_iam_calls_do_not_grow_with_users(moto):
    iam = moto.client("iam")
    iam.create_group(GroupName="g")

    def iam_calls() -> int:
        session = moto.session()
        calls = count_calls(session)
        read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
        return sum(n for k, n in calls.items() if k.startswith(("iam.", "sts.")))

    for i in range(5):
        iam.create_user(UserName=f"a{i}")
    iam_calls()  # the first read starts the report (STARTED, then COMPLETE): one more call
    few = iam_calls()
    for i in range(60):
        iam.create_user(UserName=f"b{i}")
        if i % 2:
            iam.add_user_to_group(GroupName="g", UserName=f"b{i}")
    many = iam_calls()
    assert few == many <= 8


def test_recheck_flagged_calls_once_per_flagged_user_only(moto):
    iam = moto.client("iam")
    for name in ("ok1", "ok2", "flagged1", "flagged2"):
        iam.create_user(UserName=name)
    enable_virtual_mfa(iam, "ok1")
    enable_virtual_mfa(iam, "ok2")
    session = moto.session()
    calls = count_calls(session)
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT, recheck_flagged=True)
    assert calls["iam.ListMFADevices"] == 2
    assert sorted(state.live_checked_users) == ["flagged1", "flagged2"]
    assert state.users["flagged1"].mfa_active is False and state.users["ok1"].mfa_active is True

    calls.clear()
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert calls["iam.ListMFADevices"] == 0 and state.live_checked_users == []


def stale_report(session, snapshot: dict) -> None:
    """Answer iam:GetCredentialReport with `snapshot` (a report taken earlier from moto) instead of
    moto's: moto rebuilds its report from the current users on every call (dated 2015), so it
    cannot show a report older than a change.  A botocore `before-call` handler at the HTTP
    boundary (Stubber's mechanism); every other call goes to moto."""

    def answer(**_):
        return AWSResponse(None, 200, {}, None), dict(snapshot)

    session.events.register("before-call.iam.GetCredentialReport", answer)


def take_report(moto) -> dict:
    iam = moto.client("iam")
    iam.generate_credential_report()
    iam.generate_credential_report()
    got = iam.get_credential_report()
    return {"Content": got["Content"], "ReportFormat": "text/csv", "GeneratedTime": got["GeneratedTime"]}


def test_recheck_rereads_all_evidence_of_a_flagged_user(moto):
    """Flagged (no MFA in the report): login profile, access keys and MFA devices are all re-read;
    a user with a virtual device still assigned costs no per-user call."""
    iam = moto.client("iam")
    for name in ("nomfa", "ok"):
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Pa55word!x")
    iam.create_access_key(UserName="nomfa")
    enable_virtual_mfa(iam, "ok")
    session = moto.session()
    calls = count_calls(session)
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT, recheck_flagged=True)
    assert state.errors == []
    assert (calls["iam.GetLoginProfile"], calls["iam.ListAccessKeys"], calls["iam.ListMFADevices"]) == (1, 1, 1)
    assert calls["iam.ListVirtualMFADevices"] == 1  # read once, for root and the re-checks
    assert state.live_checked_users == ["nomfa"]
    nomfa = state.users["nomfa"]
    assert (nomfa.console, nomfa.access_keys, nomfa.mfa_active) == (True, True, False)


def test_recheck_catches_credentials_removed_since_a_stale_report(moto):
    """The report (injected: taken before the change) still shows a password and a key that were
    removed since: the flagged user is re-read and judged on what it has now."""
    iam = moto.client("iam")
    iam.create_user(UserName="gone")
    iam.create_login_profile(UserName="gone", Password="Pa55word!x")
    key = iam.create_access_key(UserName="gone")["AccessKey"]["AccessKeyId"]
    snapshot = take_report(moto)
    iam.delete_login_profile(UserName="gone")
    iam.update_access_key(UserName="gone", AccessKeyId=key, Status="Inactive")
    session = moto.session()
    stale_report(session, snapshot)
    before = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert (before.users["gone"].console, before.users["gone"].access_keys) == (True, True)  # the stale report
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT, recheck_flagged=True)
    gone = state.users["gone"]
    assert (gone.console, gone.access_keys, gone.mfa_active) == (False, False, False)
    assert state.live_checked_users == ["gone"]


def test_recheck_catches_a_virtual_device_removed_since_the_report(moto):
    """The report (injected: taken before the change) says MFA active; the virtual device was
    deactivated since, so ListVirtualMFADevices no longer lists it for the user: re-read, MFA gone,
    and its password re-read too.  A hardware device (never in that list) costs one call and stays."""
    iam = moto.client("iam")
    for name in ("alice", "hw", "kept"):
        iam.create_user(UserName=name)
        iam.create_login_profile(UserName=name, Password="Pa55word!x")
    enable_virtual_mfa(iam, "alice")
    enable_virtual_mfa(iam, "kept")
    iam.enable_mfa_device(UserName="hw", SerialNumber="GAHT12345678", AuthenticationCode1="123456",
                          AuthenticationCode2="654321")
    snapshot = take_report(moto)
    iam.deactivate_mfa_device(UserName="alice", SerialNumber=f"arn:aws:iam::{ACCOUNT}:mfa/alice-mfa")
    session = moto.session()
    stale_report(session, snapshot)
    calls = count_calls(session)
    plain = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert plain.users["alice"].mfa_active is True  # what the stale report says
    calls.clear()
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT, recheck_flagged=True)
    assert state.errors == []
    assert state.users["alice"].mfa_active is False and state.users["alice"].console is True
    assert state.users["hw"].mfa_active is True and state.users["kept"].mfa_active is True
    assert sorted(state.live_checked_users) == ["alice", "hw"]
    assert calls["iam.ListMFADevices"] == 2 and calls["iam.ListVirtualMFADevices"] == 1
    assert calls["iam.GetLoginProfile"] == 1  # alice only, once her device is known gone


def test_recheck_rereads_a_password_the_plan_does_not_expect(moto):
    """bob has MFA, but the report (injected, stale) shows a console password the plan does not give
    him; it was removed since: re-read, no password.  Without the plan's expectation he is not flagged."""
    iam = moto.client("iam")
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="Pa55word!x")
    iam.create_access_key(UserName="bob")
    enable_virtual_mfa(iam, "bob")
    snapshot = take_report(moto)
    iam.delete_login_profile(UserName="bob")
    session = moto.session()
    stale_report(session, snapshot)
    kw = dict(endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT, recheck_flagged=True)
    unflagged = read_live(session, ["us-east-1"], **kw)
    assert unflagged.users["bob"].console is True and unflagged.live_checked_users == []
    state = read_live(session, ["us-east-1"], expected={"bob": (False, True)}, **kw)
    bob = state.users["bob"]
    assert (bob.console, bob.access_keys, bob.mfa_active) == (False, True, True)
    assert state.live_checked_users == ["bob"]


# ---------------------------------------------------------------------------- Cognito over moto


def test_cognito_pools_per_region_with_mfa_and_threat_protection(moto):
    east = moto.client("cognito-idp", "us-east-1")
    west = moto.client("cognito-idp", "eu-west-1")
    staff = east.create_user_pool(PoolName="staff", UserPoolAddOns={"AdvancedSecurityMode": "ENFORCED"})["UserPool"]
    east.set_user_pool_mfa_config(UserPoolId=staff["Id"], MfaConfiguration="ON",
                                  SoftwareTokenMfaConfiguration={"Enabled": True})
    customers = west.create_user_pool(PoolName="customers", UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    west.set_user_pool_mfa_config(UserPoolId=customers["UserPool"]["Id"], MfaConfiguration="OPTIONAL",
                                  SmsMfaConfiguration={"SmsConfiguration": {"SnsCallerArn": f"arn:aws:iam::{ACCOUNT}:role/sns"}})
    west.create_user_pool(PoolName="legacy")
    moto.client("cognito-idp", "ap-south-1").create_user_pool(PoolName="elsewhere")

    state = read_live(moto.session(), ["us-east-1", "eu-west-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    pools = {p.name: p for p in state.pools}
    assert sorted(pools) == ["customers", "legacy", "staff"]  # ap-south-1 not asked for
    s, c, legacy = pools["staff"], pools["customers"], pools["legacy"]
    assert (s.region, s.id, s.arn) == ("us-east-1", staff["Id"], staff["Arn"])
    assert (s.mfa_configuration, s.software_token_enabled, s.sms_enabled, s.advanced_security_mode) == (
        "ON", True, False, "ENFORCED")
    assert (c.region, c.mfa_configuration, c.software_token_enabled, c.sms_enabled, c.advanced_security_mode) == (
        "eu-west-1", "OPTIONAL", False, True, "AUDIT")
    assert (legacy.mfa_configuration, legacy.advanced_security_mode) == ("OFF", "OFF")


def test_cognito_tier_and_custom_auth_mode_over_moto(moto):
    """DescribeUserPool's UserPoolTier and UserPoolAddOns.AdvancedSecurityAdditionalFlows.CustomAuthMode
    (moto returns what the pool was created with): Cognito.1/Cognito.4 evidence."""
    east = moto.client("cognito-idp", "us-east-1")
    east.create_user_pool(PoolName="plus", UserPoolTier="PLUS", UserPoolAddOns={
        "AdvancedSecurityMode": "ENFORCED", "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": "ENFORCED"}})
    east.create_user_pool(PoolName="essentials", UserPoolTier="ESSENTIALS",
                          UserPoolAddOns={"AdvancedSecurityMode": "AUDIT"})
    east.create_user_pool(PoolName="untiered")

    state = read_live(moto.session(), ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    pools = {p.name: p for p in state.pools}
    assert (pools["plus"].tier, pools["plus"].custom_auth_mode) == ("PLUS", "ENFORCED")
    # no AdditionalFlows: AUDIT, the documented default
    assert (pools["essentials"].tier, pools["essentials"].custom_auth_mode) == ("ESSENTIALS", "AUDIT")
    assert pools["untiered"].tier is None  # not reported (AWS always reports it; moto only when given)


# ---------------------------------------------------------------------------- AccessDenied (moto IAM auth)


def test_cognito_denied_in_a_region_keeps_iam_results(moto):
    moto.client("iam").create_user(UserName="ci")
    moto.client("cognito-idp", "eu-west-1").create_user_pool(PoolName="p")
    iam_only = [a for a in permissions.ACTIONS if a.startswith("iam:")]
    session = moto.least_privilege(iam_only)

    state = read_live(session, ["eu-west-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    assert "ci" in state.users and state.users["ci"].mfa_active is False
    assert state.pools == []
    assert state.unread == ["cognito:eu-west-1"]
    assert len(state.errors) == 1
    assert "in eu-west-1" in state.errors[0] and "cognito-idp:ListUserPools" in state.errors[0]
    assert "AccessDenied" in state.errors[0]


def test_credential_report_denied_is_an_error_not_a_passing_report(moto):
    iam = moto.client("iam")
    iam.create_user(UserName="intern")
    iam.create_login_profile(UserName="intern", Password="Pa55word!x")
    allowed = [a for a in permissions.ACTIONS if a != "iam:GenerateCredentialReport"]
    session = moto.least_privilege(allowed)

    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    assert any("missing permission iam:GenerateCredentialReport" in e for e in state.errors)
    assert "credential-report" in state.unread
    assert state.credential_report_generated is None
    intern = state.users["intern"]  # still read from the authorization details ...
    assert (intern.console, intern.access_keys, intern.mfa_active) == (None, None, None)  # ... but unknown


def test_least_privilege_policy_is_enough(moto):
    iam = moto.client("iam")
    iam.create_user(UserName="u")
    moto.client("cognito-idp").create_user_pool(PoolName="p")
    session = moto.least_privilege(list(permissions.ACTIONS))
    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert state.errors == [] and state.unread == []
    assert {"u", "reader"} <= set(state.users) and [p.name for p in state.pools] == ["p"]


def test_rejected_credentials_raise(moto):
    moto.enable_auth()
    session = moto.session(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="nope")
    with pytest.raises(AwsConnectionError) as exc:
        read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    assert isinstance(exc.value, AwsAccessError) and exc.value.exit_code == 3
    assert "InvalidClientTokenId" in str(exc.value) and "\n" not in str(exc.value)


# ---------------------------------------------------------------------------- throttling (real HTTP)


def test_throttled_calls_are_retried_by_botocore(moto, monkeypatch):
    # botocore decides to retry; only its jittered back-off wait is zeroed to keep the test fast
    monkeypatch.setattr("botocore.retries.standard.ExponentialBackoff.delay_amount", lambda self, ctx: 0)
    moto.client("iam").create_user(UserName="u")
    moto.client("cognito-idp").create_user_pool(PoolName="p")
    session = moto.session()
    attempts: Counter = Counter()

    def throttle_first(request, event_name, **_):
        op = event_name.split(".")[-1]
        attempts[op] += 1
        if attempts[op] == 1:
            if ".iam." in event_name:  # query protocol: XML error
                body = (b"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>"
                        b"<Message>Rate exceeded</Message></Error><RequestId>x</RequestId></ErrorResponse>")
                return AWSResponse(request.url, 400, {"Content-Type": "text/xml"}, _Raw(body))
            body = b'{"__type": "TooManyRequestsException", "message": "Rate exceeded"}'  # JSON protocol
            return AWSResponse(request.url, 400, {"Content-Type": "application/x-amz-json-1.1"}, _Raw(body))
        return None

    # The last call of each client: after a throttle, adaptive mode also slows the client's
    # later calls down (its client-side rate limiter), which is right but slow in a test.
    session.events.register("before-send.iam.ListVirtualMFADevices", throttle_first)
    session.events.register("before-send.cognito-identity-provider.GetUserPoolMfaConfig", throttle_first)

    state = read_live(session, ["us-east-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)

    assert attempts == Counter({"ListVirtualMFADevices": 2, "GetUserPoolMfaConfig": 2})
    assert state.errors == [] and "u" in state.users and [p.name for p in state.pools] == ["p"]


class _Raw:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_):
        yield self._body

    def read(self, *_):
        body, self._body = self._body, b""
        return body


# ---------------------------------------------------------------------------- Stubber paths


HEADER = ("user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
          "password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,"
          "access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,"
          "access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,"
          "access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,"
          "cert_2_active,cert_2_last_rotated")
CREATED = "2026-01-01T00:00:00+00:00"


def report_row(user, arn, *, password="false", mfa="false", key1="false", key2="false", cert1="false"):
    return ",".join([user, arn, CREATED, password, "N/A", "N/A", "N/A", mfa, key1, "N/A", "N/A", "N/A",
                     "N/A", key2, "N/A", "N/A", "N/A", "N/A", cert1, "N/A", "false", "N/A"])


class Stubbed:
    """Stubbed iam/sts/cognito-idp clients handed to read_live through client_factory."""

    def __init__(self) -> None:
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
        self.clients = {s: session.client(s, region_name="us-east-1", config=client_config())
                        for s in ("iam", "sts", "cognito-idp")}
        self.stubs = {s: Stubber(c) for s, c in self.clients.items()}
        self.sleeps: list[float] = []

    def factory(self, service, region):
        return self.clients[service]

    def add(self, service, method, response=None, **error):
        if error:
            self.stubs[service].add_client_error(method, **error)
        else:
            self.stubs[service].add_response(method, response or {}, None)

    def identity(self, partition="aws"):
        self.add("sts", "get_caller_identity",
                 {"Account": ACCOUNT, "Arn": f"arn:{partition}:iam::{ACCOUNT}:user/reader", "UserId": "AIDAX"})

    def report(self, *rows):
        content = "\n".join((HEADER,) + rows).encode()
        self.add("iam", "generate_credential_report", {"State": "COMPLETE"})
        self.add("iam", "get_credential_report", {
            "Content": content, "ReportFormat": "text/csv",
            "GeneratedTime": datetime(2026, 11, 27, 20, 0, tzinfo=timezone.utc)})

    def details(self, *pages):
        for i, page in enumerate(pages):
            body = {"UserDetailList": [], "GroupDetailList": [], "Policies": [], **page,
                    "IsTruncated": i < len(pages) - 1}
            if i < len(pages) - 1:
                body["Marker"] = f"m{i}"
            self.add("iam", "get_account_authorization_details", body)

    def root(self, summary, devices=()):
        self.add("iam", "get_account_summary", {"SummaryMap": summary})
        self.add("iam", "list_virtual_mfa_devices", {"VirtualMFADevices": list(devices), "IsTruncated": False})

    def no_pools(self):
        self.add("cognito-idp", "list_user_pools", {"UserPools": []})

    def read(self, **kw):
        for s in self.stubs.values():
            s.activate()
        state = read_live(None, ["us-east-1"], client_factory=self.factory, poll_sleep=self.sleeps.append, **kw)
        for s in self.stubs.values():
            s.assert_no_pending_responses()
        return state


def test_report_still_being_generated_is_polled_with_back_off(aws_env):
    st = Stubbed()
    st.identity()
    st.add("iam", "generate_credential_report", {"State": "STARTED"})
    st.add("iam", "generate_credential_report", {"State": "INPROGRESS"})
    st.add("iam", "generate_credential_report", {"State": "INPROGRESS"})
    st.add("iam", "generate_credential_report", {"State": "COMPLETE"})
    st.add("iam", "get_credential_report", service_error_code="ReportInProgress", http_status_code=404)
    st.report(report_row("ci", f"arn:aws:iam::{ACCOUNT}:user/ci", key1="true"))
    st.details({"UserDetailList": [{"UserName": "ci", "Arn": f"arn:aws:iam::{ACCOUNT}:user/ci", "UserId": "AIDAEXAMPLEUSER01",
                                    "Path": "/", "CreateDate": datetime(2026, 1, 1, tzinfo=timezone.utc)}]})
    st.root({"AccountMFAEnabled": 0})
    st.no_pools()

    state = st.read()

    assert st.sleeps == [0.5, 1.0, 2.0, 4.0]
    assert state.errors == []
    assert state.credential_report_generated == "2026-11-27T20:00:00Z"
    assert (state.users["ci"].console, state.users["ci"].access_keys, state.users["ci"].mfa_active) == (
        False, True, False)


def test_report_that_never_completes_is_an_error(aws_env):
    st = Stubbed()
    st.identity()
    for _ in range(4):
        st.add("iam", "generate_credential_report", {"State": "INPROGRESS"})
    st.details({})
    st.root({"AccountMFAEnabled": 0})
    st.no_pools()
    state = st.read(report_timeout=5.0)
    assert st.sleeps == [0.5, 1.0, 2.0]  # the next 4s wait would pass the deadline
    assert "credential-report" in state.unread
    assert any("iam:GenerateCredentialReport" in e and "not ready" in e for e in state.errors)


def test_report_limit_exceeded_is_an_error(aws_env):
    st = Stubbed()
    st.identity()
    st.add("iam", "generate_credential_report", service_error_code="LimitExceeded",
           service_message="Credential report generation limit exceeded", http_status_code=409)
    st.details({"UserDetailList": [{"UserName": "u", "Arn": f"arn:aws:iam::{ACCOUNT}:user/u", "UserId": "AIDAEXAMPLEUSER02",
                                    "Path": "/", "CreateDate": datetime(2026, 1, 1, tzinfo=timezone.utc)}]})
    st.root({"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0})
    st.no_pools()
    state = st.read()
    assert state.unread == ["credential-report"]
    assert state.errors == ["AWS call failed: iam:GenerateCredentialReport: LimitExceeded: "
                            "Credential report generation limit exceeded"]
    assert state.users["u"].mfa_active is None


def test_authorization_details_over_several_pages(aws_env):
    st = Stubbed()
    st.identity()
    arn = lambda n: f"arn:aws:iam::{ACCOUNT}:user/{n}"  # noqa: E731
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    st.report(report_row("a", arn("a"), mfa="true", password="true"), report_row("b", arn("b"), key1="true"))
    policy_arn = f"arn:aws:iam::{ACCOUNT}:policy/enforce"
    st.details(
        {"UserDetailList": [{"UserName": "a", "Arn": arn("a"), "UserId": "AIDAEXAMPLEUSER0A", "Path": "/", "CreateDate": created,
                             "GroupList": ["admins"]}]},
        {"UserDetailList": [{"UserName": "b", "Arn": arn("b"), "UserId": "AIDAEXAMPLEUSER0B", "Path": "/", "CreateDate": created}],
         "GroupDetailList": [{"GroupName": "admins", "Arn": f"arn:aws:iam::{ACCOUNT}:group/admins",
                              "AttachedManagedPolicies": [{"PolicyName": "enforce", "PolicyArn": policy_arn}]}]},
        {"Policies": [{"PolicyName": "enforce", "Arn": policy_arn, "DefaultVersionId": "v2", "PolicyVersionList": [
            {"VersionId": "v1", "IsDefaultVersion": False, "Document": json.dumps(S3_READ)},
            {"VersionId": "v2", "IsDefaultVersion": True, "Document": json.dumps(ENFORCE_MFA)}]}]},
    )
    st.root({"AccountMFAEnabled": 0})
    st.no_pools()
    state = st.read()
    assert sorted(state.users) == ["a", "b"] and state.users["a"].groups == ["admins"]
    assert state.users["a"].mfa_active is True and state.users["b"].access_keys is True
    assert state.groups["admins"].attached_policy_arns == [policy_arn]
    assert state.policies[policy_arn].document == ENFORCE_MFA


def test_a_users_permissions_boundary_is_read(aws_env):
    # moto keeps permissions boundaries for roles only: Stubber, with GAAD's documented
    # UserDetail.PermissionsBoundary shape.
    st = Stubbed()
    st.identity()
    user_arn = f"arn:aws:iam::{ACCOUNT}:user/bounded"
    st.report(report_row("bounded", user_arn, password="true"))
    boundary = f"arn:aws:iam::{ACCOUNT}:policy/boundaries/mfa-boundary"
    st.details({"UserDetailList": [{
        "UserName": "bounded", "Arn": user_arn, "UserId": "AIDAEXAMPLEUSER0C", "Path": "/",
        "CreateDate": datetime(2026, 1, 1, tzinfo=timezone.utc),
        "PermissionsBoundary": {"PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                                "PermissionsBoundaryArn": boundary}}],
        "Policies": [{"PolicyName": "mfa-boundary", "Arn": boundary, "Path": "/boundaries/", "DefaultVersionId": "v1",
                      "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": True,
                                             "Document": json.dumps(ENFORCE_MFA)}]}]})
    st.root({"AccountMFAEnabled": 1})
    st.no_pools()
    state = st.read()
    assert state.users["bounded"].permissions_boundary == boundary
    from mfaguard.policy.coverage import Engine
    cov = Engine(state, scope="the account").coverage(state.users["bounded"])
    assert cov.status == "PASSED" and [s.kind for s in cov.enforcing()] == ["boundary"]


def test_root_virtual_device_read_through_the_reader(aws_env):
    st = Stubbed()
    st.identity(partition="aws-us-gov")
    gov_root = f"arn:aws-us-gov:iam::{ACCOUNT}:root"
    st.report(f"<root_account>,{gov_root},{CREATED},not_supported,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,"
              "false,N/A,N/A,N/A,N/A,false,N/A,false,N/A")
    st.details({})
    st.root({"AccountMFAEnabled": 1, "AccountAccessKeysPresent": 0, "AccountSigningCertificatesPresent": 0},
            devices=[{"SerialNumber": f"arn:aws-us-gov:iam::{ACCOUNT}:mfa/root-account-mfa-device",
                      "User": {"Arn": gov_root, "UserName": "root", "UserId": f"{ACCOUNT}0000", "Path": "/",
                               "CreateDate": datetime(2020, 1, 1, tzinfo=timezone.utc)},
                      "EnableDate": datetime(2020, 1, 1, tzinfo=timezone.utc)}])
    st.no_pools()
    state = st.read()
    assert state.users == {}  # the root row is not a user
    assert state.root.arn == gov_root
    assert (state.root.mfa_active, state.root.mfa_virtual) == (True, True)
    assert state.root.password_present is None and state.root.has_credentials is True


# ---------------------------------------------------------------------------- pure helpers


def _device(arn):
    return {"SerialNumber": "arn:aws:iam::123456789012:mfa/x", "User": {"Arn": arn}}


@pytest.mark.parametrize("device_arn, virtual", [
    (ROOT_ARN, True),
    (f"arn:aws:iam::{ACCOUNT}:user/root", False),  # a user called "root" is not the root user
    (f"arn:aws:iam::{ACCOUNT}:user/rootkit", False),
    (f"arn:aws-cn:iam::{ACCOUNT}:root", False),  # another partition
    (f"arn:aws:iam::999999999999:root", False),  # another account
])
def test_root_virtual_device_matches_the_root_arn_exactly(device_arn, virtual):
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountMFAEnabled": 1}, root_row=None,
                              virtual_devices=[_device(device_arn)])
    assert root.mfa_active is True and root.mfa_virtual is virtual


def test_root_hardware_mfa():
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountMFAEnabled": 1}, root_row=None, virtual_devices=[])
    assert (root.mfa_active, root.mfa_virtual) == (True, False)


def test_root_devices_unreadable_is_unknown_not_hardware():
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountMFAEnabled": 1}, root_row=None, virtual_devices=None)
    assert root.mfa_virtual is None


def test_centrally_managed_root_without_credentials_only_on_evidence():
    summary = {"AccountMFAEnabled": 0, "AccountPasswordPresent": 0, "AccountAccessKeysPresent": 0,
               "AccountSigningCertificatesPresent": 0}
    root = root_from_evidence(root_arn=ROOT_ARN, summary=summary, root_row=None, virtual_devices=[])
    assert root.mfa_active is False and root.has_credentials is False
    no_password_flag = {k: v for k, v in summary.items() if k != "AccountPasswordPresent"}
    root = root_from_evidence(root_arn=ROOT_ARN, summary=no_password_flag, root_row=None, virtual_devices=[])
    assert root.password_present is None and root.has_credentials is True  # fail closed


def test_root_row_access_key_is_evidence_of_credentials():
    row = dict(zip(HEADER.split(","), report_row("<root_account>", ROOT_ARN, key2="true").split(",")))
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountPasswordPresent": 0}, root_row=row,
                              virtual_devices=[])
    assert root.access_keys_present is True and root.has_credentials is True
    assert root.mfa_active is False  # from the root row when the summary has no AccountMFAEnabled


def test_parse_credential_report_values():
    content = "\n".join([HEADER, report_row("<root_account>", ROOT_ARN, mfa="true"),
                         report_row("u", "arn:aws:iam::1:user/u", password="true", key2="true")])
    rows, root = parse_credential_report(content.encode())
    assert list(rows) == ["u"] and root["mfa_active"] == "true"
    with pytest.raises(ValueError):
        parse_credential_report(b"not,a,report\n")


def test_permissions_are_declared_once_with_reasons():
    assert len(set(permissions.ACTIONS)) == len(permissions.ACTIONS)
    assert all(p.why for p in permissions.PERMISSIONS)
    doc = permissions.policy_document()
    assert doc["Statement"][0]["Action"] == list(permissions.ACTIONS)
    assert "iam:GenerateCredentialReport" in permissions.markdown_table()


def test_user_created_after_the_report_is_read_one_by_one(aws_env):
    st = Stubbed()
    st.identity()
    created = datetime(2026, 1, 1, tzinfo=timezone.utc)
    arn = lambda n: f"arn:aws:iam::{ACCOUNT}:user/{n}"  # noqa: E731
    st.report(report_row("old", arn("old"), password="true"))
    st.details({"UserDetailList": [
        {"UserName": "old", "Arn": arn("old"), "UserId": "AIDAEXAMPLEUSEROLD", "Path": "/", "CreateDate": created},
        {"UserName": "new", "Arn": arn("new"), "UserId": "AIDAEXAMPLEUSERNEW", "Path": "/", "CreateDate": created},
    ]})
    st.add("iam", "get_login_profile", service_error_code="NoSuchEntity", http_status_code=404)
    st.add("iam", "list_access_keys", {"AccessKeyMetadata": [
        {"UserName": "new", "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "Status": "Active", "CreateDate": created}],
        "IsTruncated": False})
    st.add("iam", "list_mfa_devices", {"MFADevices": [], "IsTruncated": False})
    st.root({"AccountMFAEnabled": 0})
    st.no_pools()
    state = st.read()
    assert state.errors == []  # NoSuchEntity for the login profile is an answer, not an error
    new = state.users["new"]
    assert (new.console, new.access_keys, new.mfa_active) == (False, True, False)
    assert state.live_checked_users == ["new"]
    assert (state.users["old"].console, state.users["old"].mfa_active) == (True, False)


def test_docs_list_the_declared_permissions():
    import pathlib

    docs = pathlib.Path(__file__).resolve().parent.parent / "docs" / "live-reader.md"
    assert permissions.markdown_table() in docs.read_text(encoding="utf-8")


def test_demo_account_tells_the_demo_story(moto, monkeypatch):
    """`make demo`'s seeded account against demo/plan.json: every finding kind, nothing else."""
    import pathlib
    import sys

    from mfaguard.drift import desired
    from mfaguard.drift.compare import compare

    root = pathlib.Path(__file__).resolve().parent.parent
    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")  # the server runs in-process
    monkeypatch.syspath_prepend(str(root / "demo"))
    sys.modules.pop("seed_account", None)
    import seed_account

    pool_ids = seed_account.seed(moto.session(), moto.endpoint_url)
    plan = desired.load(str(root / "demo" / "plan.json"))
    assert {p.name: p.id for p in plan.pools} == pool_ids  # the plan's pool IDs are the live ones

    live = read_live(moto.session(), ["eu-west-1"], endpoint_url=moto.endpoint_url, poll_sleep=NO_WAIT)
    found = {(f.kind, f.control, f.address or f.id) for f in compare(plan, live).findings}
    assert found == {
        ("drift", "Cognito.5", "aws_cognito_user_pool.customers"),
        ("drift", "IAM.5", "aws_iam_user.intern"),
        ("drift", "IAM.19", "aws_iam_user.intern"),
        ("missing", "IAM.5", "aws_iam_user.auditor"),
        ("noncompliant", "IAM.9", ACCOUNT),
        ("noncompliant", "IAM.6", ACCOUNT),
        ("noncompliant", "IAM.5", "aws_iam_user.intern"),
        ("noncompliant", "IAM.19", "aws_iam_user.intern"),
        ("noncompliant", "IAM.19", "aws_iam_user.ci_deploy"),
        ("noncompliant", "Cognito.1", "aws_cognito_user_pool.customers"),
        ("noncompliant", "Cognito.4", "aws_cognito_user_pool.customers"),
        ("unmanaged", "IAM.19", "nightly-backup"),
    }


def test_pool_sign_in_policy_sets_cognito5_scope(aws_env):
    """moto ignores SignInPolicy, so Stubber: a passwordless pool is out of Cognito.5's scope."""
    st = Stubbed()
    st.identity()
    st.report()
    st.details({})
    st.root({"AccountMFAEnabled": 0})
    st.add("cognito-idp", "list_user_pools", {"UserPools": [{"Id": "us-east-1_pwless", "Name": "pwless"},
                                                            {"Id": "us-east-1_classic", "Name": "classic"}]})
    st.add("cognito-idp", "describe_user_pool", {"UserPool": {
        "Id": "us-east-1_pwless", "MfaConfiguration": "OFF",
        "Policies": {"SignInPolicy": {"AllowedFirstAuthFactors": ["EMAIL_OTP", "WEB_AUTHN"]}}}})
    st.add("cognito-idp", "get_user_pool_mfa_config", {"MfaConfiguration": "OFF"})
    st.add("cognito-idp", "describe_user_pool", {"UserPool": {"Id": "us-east-1_classic", "MfaConfiguration": "OFF"}})
    st.add("cognito-idp", "get_user_pool_mfa_config", {"MfaConfiguration": "OFF"})
    state = st.read()
    factors = {p.name: p.allowed_first_auth_factors for p in state.pools}
    assert factors == {"pwless": ["EMAIL_OTP", "WEB_AUTHN"], "classic": ["PASSWORD"]}
