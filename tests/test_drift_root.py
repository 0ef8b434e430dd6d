"""The root user as IAM.9 / IAM.6 judge it, with centrally managed root access (--org), and the
credit MFA-enforcing SCPs give member accounts.  Pure: literal AccountStates through compare();
the reader's part (root_from_evidence) on literal API answers.

AWS's rules used (IAM user guide, "Centrally manage root access for member accounts"): with
RootCredentialsManagement, the management account can delete a member's root password, access
keys, signing certificates and MFA devices; enabling the feature does not delete credentials that
already exist.  IAM.6 fails while a virtual MFA device is assigned to root."""
from __future__ import annotations

from mfaguard.drift.compare import compare
from mfaguard.drift.live import root_from_evidence
from mfaguard.drift.model import AccountState, Root, ScpAttachment, User

ACCT = "222233334444"
ROOT_ARN = f"arn:aws:iam::{ACCT}:root"
ENFORCE_SCP = {"Version": "2012-10-17", "Statement": [{
    "Sid": "DenyWithoutMfa", "Effect": "Deny",
    "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                  "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"],
    "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}


def no_credentials(**kw) -> Root:
    base = dict(arn=ROOT_ARN, mfa_active=False, mfa_virtual=False, password_present=False,
                access_keys_present=False, signing_certificates_present=False)
    return Root(**{**base, **kw})


def run(root: Root, **kw):
    return compare(AccountState(), AccountState(account_id=ACCT, root=root, regions=["us-east-1"], **kw))


def keyed(result) -> set:
    return {(f.kind, f.control, f.id, f.compliance) for f in result.findings}


def test_member_root_without_credentials_is_not_applicable_with_the_reason():
    result = run(no_credentials(centrally_managed=True))
    assert result.findings == []
    note = next(n for n in result.notes if "not applicable" in n)
    assert ACCT in note and "RootCredentialsManagement" in note
    assert "no password, access keys, signing certificates or MFA devices" in note


def test_root_without_credentials_outside_central_management_passes_without_that_reason():
    result = run(no_credentials(centrally_managed=False))
    assert result.findings == [] and not any("not applicable" in n for n in result.notes)


def test_feature_enabled_but_root_still_has_credentials_is_its_own_finding():
    result = run(no_credentials(centrally_managed=True, mfa_active=True, password_present=True,
                                access_keys_present=True))
    own = [f for f in result.findings if f.expected.startswith("no root credentials")]
    assert len(own) == 1
    f = own[0]
    assert (f.control, f.kind, f.compliance, f.account_id) == ("IAM.9", "noncompliant", "FAILED", ACCT)
    assert f.actual == "root has a password, access keys"
    assert "enabling the feature does not delete existing credentials" in f.message
    # its MFA is a hardware device: IAM.9/IAM.6 themselves pass
    assert {(x.control, x.expected) for x in result.findings} == {("IAM.9", f.expected)}


def test_credentials_unknown_under_central_management_fail_closed_without_claiming_credentials():
    result = run(no_credentials(centrally_managed=True, password_present=None))
    assert keyed(result) == {("noncompliant", "IAM.9", ACCT, "FAILED"), ("noncompliant", "IAM.6", ACCT, "FAILED")}
    assert not any("still has" in f.message for f in result.findings)


def _device(serial: str, user_arn: str) -> dict:
    return {"SerialNumber": serial, "User": {"Arn": user_arn, "UserName": user_arn.rsplit("/", 1)[-1]}}


def test_virtual_device_beside_a_hardware_key_fails_iam6_classified_by_user_arn():
    devices = [
        _device(f"arn:aws:iam::{ACCT}:mfa/phone", ROOT_ARN),  # root's phone app
        _device(f"arn:aws:iam::{ACCT}:mfa/root-account-mfa-device", f"arn:aws:iam::{ACCT}:user/alice"),
    ]
    # AccountMFAEnabled counts every device type: the FIDO key is there too; the phone still fails IAM.6
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountMFAEnabled": 1, "AccountPasswordPresent": 1,
                                                          "AccountAccessKeysPresent": 0,
                                                          "AccountSigningCertificatesPresent": 0},
                              root_row=None, virtual_devices=devices)
    assert root.virtual_mfa_serials == [f"arn:aws:iam::{ACCT}:mfa/phone"]
    result = run(root)
    assert keyed(result) == {("noncompliant", "IAM.6", ACCT, "FAILED")}
    msg = result.findings[0].message
    assert "mfa/phone" in msg and "even beside a hardware or FIDO key" in msg and "alice" not in msg


def test_a_device_named_like_root_but_assigned_to_a_user_is_not_roots():
    devices = [_device(f"arn:aws:iam::{ACCT}:mfa/root-account-mfa-device", f"arn:aws:iam::{ACCT}:user/root")]
    root = root_from_evidence(root_arn=ROOT_ARN, summary={"AccountMFAEnabled": 1, "AccountPasswordPresent": 1,
                                                          "AccountAccessKeysPresent": 0,
                                                          "AccountSigningCertificatesPresent": 0},
                              root_row=None, virtual_devices=devices)
    assert root.mfa_virtual is False and run(root).findings == []


# ------------------------------------------------------------------------------------- SCP credit

def _alice(groups=()):
    return User(name="alice", arn=f"arn:aws:iam::{ACCT}:user/alice", console=True, access_keys=True,
                mfa_active=False, groups=list(groups))


def test_mfa_enforcing_scp_is_named_with_where_it_is_attached():
    scp = ScpAttachment("p-enforce1", "require-mfa", "OU Workloads (ou-root-workload1)", ENFORCE_SCP)
    result = run(no_credentials(), users={"alice": _alice()}, scps=[scp])
    f = next(f for f in result.findings if f.control == "IAM.5")
    assert "SCP require-mfa attached to OU Workloads (ou-root-workload1)" in f.message
    assert "console sign-in" in f.message and "access keys" in f.message


def test_scp_covers_a_planned_enforcement_lost_live():
    """The plan enforced MFA through a group policy; live the user left the group, but an SCP on its
    OU still enforces MFA on both paths: no drift (an SCP that only targets a few actions would not)."""
    from mfaguard.drift.model import Group, ManagedPolicy

    plan = AccountState(
        # alice's key is declared too: a key added by hand would be drift of its own (issue 11)
        users={"alice": User(name="alice", address="aws_iam_user.alice", console=True, access_keys=True,
                             groups=["admins"])},
        groups={"admins": Group(name="admins", address="aws_iam_group.admins",
                                attached_policy_arns=["aws_iam_policy.mfa"])},
        policies={"aws_iam_policy.mfa": ManagedPolicy(name="mfa", address="aws_iam_policy.mfa",
                                                      document=ENFORCE_SCP)})
    live_kw = dict(account_id=ACCT, root=no_credentials(), regions=["us-east-1"],
                   users={"alice": _alice()}, groups={"admins": Group(name="admins")})
    without = compare(plan, AccountState(**live_kw))
    assert ("drift", "IAM.5") in {(f.kind, f.control) for f in without.findings}
    scp = ScpAttachment("p-1", "require-mfa", "the organisation root (r-abcd)", ENFORCE_SCP)
    targeted = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "ec2:TerminateInstances",
                "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}}}]}
    with_scp = compare(plan, AccountState(**live_kw, scps=[scp]))
    assert not any(f.kind == "drift" and f.id == "alice" for f in with_scp.findings)  # the user is covered
    only_targeted = compare(plan, AccountState(**live_kw, scps=[ScpAttachment("p-2", "ec2", "the root", targeted)]))
    assert any(f.kind == "drift" and f.id == "alice" for f in only_targeted.findings)
