"""Benchmark: API calls and time of the drift live reader vs a per-user approach.

Seeds an embedded moto server (127.0.0.1, free port) with ~2,000 IAM users, 50 groups and 100
Cognito user pools in two regions, then reads the account over HTTP twice:

  mfaguard   mfaguard.drift.live.read_live: credential report + GetAccountAuthorizationDetails
             (pages) + account summary + virtual MFA devices; Cognito list + 2 calls per pool
  per-user   what common tools do: ListUsers (pages), then ListMFADevices and ListGroupsForUser
             for every user; the same Cognito calls

API calls are HTTP requests counted with botocore's `before-send` event (retries included).
Seeding goes straight into moto's in-process backends (it is not measured).

    python benchmarks/bench_drift.py [--users 2000] [--groups 50] [--pools 100] [--json]

Note: moto answers GetAccountAuthorizationDetails in one page whatever MaxItems says; real IAM
pages it at MaxItems=1000, so the script also prints the page count real IAM would need.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
import time
from collections import Counter

ACCOUNT = "123456789012"
REGIONS = ("us-east-1", "eu-west-1")
ENFORCE_MFA = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{
        "Sid": "DenyAllExceptListedIfNoMFA", "Effect": "Deny",
        "NotAction": ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:ListMFADevices",
                      "iam:ResyncMFADevice", "sts:GetSessionToken"],
        "Resource": "*", "Condition": {"BoolIfExists": {"aws:MultiFactorAuthPresent": "false"}},
    }],
})
READ_ONLY = json.dumps({"Version": "2012-10-17",
                        "Statement": [{"Effect": "Allow", "Action": ["s3:Get*", "logs:Get*"], "Resource": "*"}]})


def start_moto():
    """In-process moto server on a free port (its backends are reachable for fast seeding)."""
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    import types

    from moto.cognitoidp import models as cognito_models
    from moto.server import ThreadedMotoServer

    # Speed of seeding only: moto parses the same bundled RSA key for every pool it creates.
    key = cognito_models.jwk.RSAKey.import_key(
        cognito_models.load_resource("cognitoidp/resources/jwks-private.json"))
    cognito_models.jwk = types.SimpleNamespace(RSAKey=types.SimpleNamespace(import_key=lambda *_a, **_k: key))
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def seed(users: int, groups: int, pools: int) -> None:
    from moto.cognitoidp.models import cognitoidp_backends
    from moto.iam.models import iam_backends

    iam = iam_backends[ACCOUNT]["aws"]
    enforce = iam.create_policy(description="", path="/", policy_document=ENFORCE_MFA,
                                policy_name="enforce-mfa", tags=[])
    for g in range(groups):
        name = f"team-{g:02d}"
        iam.create_group(name)
        iam.put_group_policy(name, "read-only", READ_ONLY)
        if g % 2 == 0:
            iam.attach_group_policy(enforce.arn, name)
    for u in range(users):
        name = f"user-{u:05d}"
        iam.create_user(REGIONS[0], name)
        iam.add_user_to_group(f"team-{u % groups:02d}", name)
        if u % 3 == 0:
            iam.create_login_profile(name, "Pa55word!bench")
        if u % 3 != 0 or u % 7 == 0:
            iam.create_access_key(name)
        if u % 4 == 0:
            device = iam.create_virtual_mfa_device(f"{name}-mfa", "/")
            iam.enable_mfa_device(name, device.serial_number, "123456", "654321")
    for p in range(pools):
        region = REGIONS[p % len(REGIONS)]
        backend = cognitoidp_backends[ACCOUNT][region]
        pool = backend.create_user_pool(f"pool-{p:03d}", {"UserPoolAddOns": {
            "AdvancedSecurityMode": ("ENFORCED", "AUDIT", "OFF")[p % 3]}})
        mfa = ("ON", "OPTIONAL", "OFF")[p % 3]
        backend.set_user_pool_mfa_config(pool.id, None, {"Enabled": True} if mfa != "OFF" else None, mfa)


def counting_session():
    import boto3

    session = boto3.Session(aws_access_key_id="bench", aws_secret_access_key="bench", region_name=REGIONS[0])
    calls: Counter = Counter()

    def on_send(event_name, **_):
        _, service, operation = event_name.split(".", 2)
        calls[f"{service}:{operation}"] += 1

    session.events.register("before-send", on_send)
    return session, calls


def run_mfaguard(url: str) -> tuple[float, Counter, float, object]:
    from mfaguard.drift.live import read_live

    session, calls = counting_session()
    start = time.perf_counter()
    state = read_live(session, list(REGIONS), endpoint_url=url)
    total = time.perf_counter() - start
    return total, calls, 0.0, state


def run_per_user(url: str) -> tuple[float, Counter, float, dict]:
    from mfaguard.drift.live import client_config

    session, calls = counting_session()
    config = client_config()
    start = time.perf_counter()
    iam = session.client("iam", endpoint_url=url, config=config)
    users = {}
    for page in iam.get_paginator("list_users").paginate():
        for u in page["Users"]:
            users[u["UserName"]] = u
    for name in users:
        users[name]["mfa"] = bool(iam.list_mfa_devices(UserName=name)["MFADevices"])
        users[name]["groups"] = [g["GroupName"] for g in iam.list_groups_for_user(UserName=name)["Groups"]]
    iam_done = time.perf_counter() - start
    for region in REGIONS:
        cognito = session.client("cognito-idp", region_name=region, endpoint_url=url, config=config)
        for page in cognito.get_paginator("list_user_pools").paginate(PaginationConfig={"PageSize": 60}):
            for p in page["UserPools"]:
                cognito.describe_user_pool(UserPoolId=p["Id"])
                cognito.get_user_pool_mfa_config(UserPoolId=p["Id"])
    return time.perf_counter() - start, calls, iam_done, users


def split(calls: Counter) -> tuple[int, int]:
    iam = sum(n for k, n in calls.items() if k.startswith(("iam:", "sts:")))
    return iam, sum(calls.values()) - iam


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--pools", type=int, default=100)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    for name, value in os.environ.items():
        if name.startswith("AWS_") and name not in ("AWS_DEFAULT_REGION",):
            os.environ.pop(name, None)
    os.environ.update(AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench",
                      AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)

    server, url = start_moto()
    try:
        t0 = time.perf_counter()
        seed(args.users, args.groups, args.pools)
        print(f"seeded moto: {args.users} users, {args.groups} groups, {args.pools} pools in "
              f"{', '.join(REGIONS)} ({time.perf_counter() - t0:.1f}s, not measured)", flush=True)
        m_time, m_calls, _, state = run_mfaguard(url)
        assert len(state.users) == args.users and len(state.pools) == args.pools, "reader missed something"
        assert not state.errors, state.errors
        p_time, p_calls, p_iam_time, users = run_per_user(url)
        assert len(users) == args.users
    finally:
        server.stop()

    m_iam, m_cog = split(m_calls)
    p_iam, p_cog = split(p_calls)
    items = args.users + args.groups + 1  # + local managed policies
    real_pages = math.ceil(items / 1000)
    moto_pages = m_calls.get("iam:GetAccountAuthorizationDetails", 0)
    real_m_iam = m_iam - moto_pages + real_pages
    per100 = args.users / 100
    rows = [
        ("IAM + STS API calls", m_iam, p_iam),
        ("Cognito API calls", m_cog, p_cog),
        ("total API calls", m_iam + m_cog, p_iam + p_cog),
        ("IAM calls per 100 users", f"{m_iam / per100:.2f}", f"{p_iam / per100:.2f}"),
        ("wall time (s)", f"{m_time:.2f}", f"{p_time:.2f}"),
    ]
    print(f"\n{'':28}{'mfaguard':>12}{'per-user':>12}")
    for label, a, b in rows:
        print(f"{label:28}{a!s:>12}{b!s:>12}")
    print(f"\nmfaguard calls: {dict(sorted(m_calls.items()))}")
    print(f"per-user calls: {dict(sorted(p_calls.items()))}")
    print(f"real IAM would page GetAccountAuthorizationDetails {real_pages}x at MaxItems=1000 "
          f"(moto: {moto_pages}): mfaguard IAM calls on real AWS ~{real_m_iam} "
          f"= {real_m_iam / per100:.2f} per 100 users (budget: 1.00)")
    budget_ok = real_m_iam <= per100 and m_iam <= per100
    print("IAM budget (<= 1 call per 100 users):", "met" if budget_ok else "NOT MET")
    if args.json:
        print(json.dumps({"users": args.users, "groups": args.groups, "pools": args.pools,
                          "mfaguard": {"iam_calls": m_iam, "cognito_calls": m_cog, "seconds": round(m_time, 2),
                                       "iam_calls_real_aws_estimate": real_m_iam},
                          "per_user": {"iam_calls": p_iam, "cognito_calls": p_cog, "seconds": round(p_time, 2),
                                       "iam_seconds": round(p_iam_time, 2)}}, indent=2))
    return 0 if budget_ok else 1


if __name__ == "__main__":
    sys.exit(main())
