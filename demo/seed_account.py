"""Seed a moto server as the demo account: the stack of demo/plan.json, as it is *now*.

Since the plan was applied, people changed the account by hand:

* the customer pool `acme-customers` was switched from MFA ON to OPTIONAL in the console;
* `intern` (console password, no MFA) was taken out of the `admins` group, whose policy forces MFA;
* `nightly-backup`, a second key-only automation user, was created outside Terraform;
* the `auditor` user was deleted;
* nobody ever gave the root user an MFA device.

`alice` (console, in `admins`, virtual MFA) and the staff pool (MFA ON, TOTP, threat protection
ENFORCED) are as planned.  `ci-deploy` is planned and live: access key, no MFA.

    python demo/seed_account.py --endpoint-url http://127.0.0.1:5000
"""
from __future__ import annotations

import argparse
import json

import boto3

REGION = "eu-west-1"
ENFORCE_MFA = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Sid": "DenyAllExceptMfaEnrolmentWithoutMFA",
            "Effect": "Deny",
            "NotAction": [
                "iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:GetMFADevice",
                "iam:ListMFADevices", "iam:ListVirtualMFADevices", "iam:ResyncMFADevice",
                "iam:ChangePassword", "iam:GetAccountPasswordPolicy", "sts:GetSessionToken",
            ],
            "Resource": "*",
            "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
        }
    ],
}
DEPLOY_ARTIFACTS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:PutObject", "s3:GetObject"],
                   "Resource": "arn:aws:s3:::acme-artifacts/*"}],
}
BACKUP = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["rds:CreateDBSnapshot", "rds:DescribeDBInstances"],
                   "Resource": "*"}],
}
SMS_ROLE = "arn:aws:iam::123456789012:role/acme-cognito-sms"
# Same creation parameters as the plan's pools (moto derives the pool IDs from them when
# MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY=HASH, so the IDs in demo/plan.json are the live ones).
STAFF_POOL = {
    "PoolName": "acme-staff",
    "UsernameAttributes": ["email"],
    "AutoVerifiedAttributes": ["email"],
    "UserPoolAddOns": {"AdvancedSecurityMode": "ENFORCED"},
}
CUSTOMER_POOL = {
    "PoolName": "acme-customers",
    "UsernameAttributes": ["email"],
    "AutoVerifiedAttributes": ["email"],
    "SmsConfiguration": {"SnsCallerArn": SMS_ROLE, "ExternalId": "acme-customers"},
    "UserPoolAddOns": {"AdvancedSecurityMode": "AUDIT"},
}


def _user(iam, name: str, path: str = "/", tags: dict | None = None) -> None:
    iam.create_user(UserName=name, Path=path, Tags=[{"Key": k, "Value": v} for k, v in (tags or {}).items()])


def _on_plus(cognito, pool_id: str, params: dict, custom_auth_mode: str) -> None:
    """Plus tier and custom-auth threat protection, as planned (set after creation: moto derives the
    pool ID from the creation parameters, and the plan's IDs were derived from these)."""
    rest = {k: v for k, v in params.items() if k not in ("PoolName", "UsernameAttributes")}  # not updatable
    add_ons = {**rest["UserPoolAddOns"], "AdvancedSecurityAdditionalFlows": {"CustomAuthMode": custom_auth_mode}}
    cognito.update_user_pool(UserPoolId=pool_id, **{**rest, "UserPoolAddOns": add_ons}, UserPoolTier="PLUS")


def seed(session: boto3.Session, endpoint_url: str) -> dict[str, str]:
    """Create the demo account; return the pool IDs by name."""
    iam = session.client("iam", region_name="us-east-1", endpoint_url=endpoint_url)
    cognito = session.client("cognito-idp", region_name=REGION, endpoint_url=endpoint_url)

    policy_arn = iam.create_policy(
        PolicyName="enforce-mfa", Path="/",
        Description="Deny everything but MFA enrolment until the caller signed in with MFA",
        PolicyDocument=json.dumps(ENFORCE_MFA),
    )["Policy"]["Arn"]
    iam.create_group(GroupName="admins")
    iam.attach_group_policy(GroupName="admins", PolicyArn=policy_arn)

    _user(iam, "alice", tags={"role": "admin"})
    iam.create_login_profile(UserName="alice", Password="Demo-only-pa55word!", PasswordResetRequired=True)
    iam.add_user_to_group(GroupName="admins", UserName="alice")
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice")["VirtualMFADevice"]["SerialNumber"]
    iam.enable_mfa_device(UserName="alice", SerialNumber=serial, AuthenticationCode1="123456",
                          AuthenticationCode2="654321")

    # Planned in `admins`; removed from the group by hand.  Console password, no MFA.
    _user(iam, "intern", tags={"role": "intern"})
    iam.create_login_profile(UserName="intern", Password="Demo-only-pa55word!", PasswordResetRequired=True)

    # Two key-only automation users without MFA: one planned, one created by hand.
    _user(iam, "ci-deploy", path="/automation/", tags={"role": "automation"})
    iam.create_access_key(UserName="ci-deploy")
    iam.put_user_policy(UserName="ci-deploy", PolicyName="deploy-artifacts",
                        PolicyDocument=json.dumps(DEPLOY_ARTIFACTS))
    _user(iam, "nightly-backup", path="/automation/")
    iam.create_access_key(UserName="nightly-backup")
    iam.put_user_policy(UserName="nightly-backup", PolicyName="snapshots", PolicyDocument=json.dumps(BACKUP))

    staff = cognito.create_user_pool(**STAFF_POOL)["UserPool"]["Id"]
    _on_plus(cognito, staff, STAFF_POOL, custom_auth_mode="ENFORCED")
    cognito.set_user_pool_mfa_config(UserPoolId=staff, MfaConfiguration="ON",
                                     SoftwareTokenMfaConfiguration={"Enabled": True})
    customers = cognito.create_user_pool(**CUSTOMER_POOL)["UserPool"]["Id"]
    _on_plus(cognito, customers, CUSTOMER_POOL, custom_auth_mode="AUDIT")
    # Planned: ON (TOTP or SMS).  Someone switched it to OPTIONAL in the console.
    cognito.set_user_pool_mfa_config(
        UserPoolId=customers, MfaConfiguration="OPTIONAL",
        SoftwareTokenMfaConfiguration={"Enabled": True},
        SmsMfaConfiguration={"SmsAuthenticationMessage": "Your Acme code is {####}",
                             "SmsConfiguration": CUSTOMER_POOL["SmsConfiguration"]},
    )
    return {"acme-staff": staff, "acme-customers": customers}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoint-url", required=True, help="the moto server to seed")
    args = parser.parse_args()
    session = boto3.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=REGION)
    for name, pool_id in seed(session, args.endpoint_url).items():
        print(f"{name}: {pool_id}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
