"""Benchmark: `mfaguard drift --org` over an organisation on an embedded moto server.

Builds the organisation of demo/seed_org.py (management account, OUs, an MFA-enforcing SCP,
`--members` member accounts in the test's states, IAM enforcement on), then reads it with
mfaguard.drift.org.run_org at 1, 4 and 16 workers, for 1 and 2 regions.  API calls are counted per
account with botocore's `before-call` event (one per API call, whether moto or seed_org.root_hook
answers it; retries not included), the caller's own calls (Organizations, STS AssumeRole,
iam:ListOrganizationsFeatures) apart.

    python benchmarks/bench_org.py [--members 24] [--workers 1,4,16] [--regions 1,2] [--json]

It then gives a paper estimate for 1,000 accounts from the measured per-account cost (see
benchmarks/README.md for the assumptions: AWS documents no fixed request rate for IAM, STS or
Organizations reads, so the Organizations rate is a parameter, --org-tps).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import threading
import time
from collections import Counter, defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "demo"))

REGIONS = ("us-east-1", "eu-west-1")


def start_moto():
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    return server, f"http://{host}:{port}"


def measure(seed, regions: list[str], workers: int) -> dict:
    import seed_org

    from mfaguard.drift import desired as desired_mod
    from mfaguard.drift.org import OrgOptions, run_org

    calls: dict[str, Counter] = defaultdict(Counter)
    lock = threading.Lock()
    answer_root = seed_org.root_hook(seed)

    def on_client(account: str, service: str, client) -> None:
        def count(model=None, **_):
            with lock:
                calls[account][f"{service}:{model.name}"] += 1
        # before-parameter-build: once per API call, also for calls root_hook answers at before-call
        client.meta.events.register("before-parameter-build", count)
        answer_root(account, service, client)

    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        seed.write_plans(tmp)
        desired = {a: desired_mod.load(os.path.join(tmp, f"{a}.json")) for a in seed.plans}
    started = time.perf_counter()
    result = run_org(seed.caller_session(), OrgOptions(
        role_name=seed_org.ROLE, regions=regions, max_workers=workers, endpoint_url=seed.endpoint_url,
        desired=desired, on_client=on_client))
    wall = time.perf_counter() - started
    read = [a for a in result.accounts if a.status in ("read", "partial")]
    per_account = [sum(calls[a.account_id].values()) for a in read]
    caller_calls = sum(calls["caller"].values())  # Organizations, AssumeRole, features: the caller's rate
    return {
        "regions": len(regions), "workers": workers, "accounts": len(result.accounts),
        "read": len(read), "wall_s": round(wall, 2),
        "calls_per_account_mean": round(sum(per_account) / max(1, len(per_account)), 1),
        "calls_per_account_max": max(per_account or [0]),
        "caller_calls": caller_calls,
        "caller_calls_by_api": dict(sorted(calls["caller"].items())),
        "member_calls_by_api": dict(sorted(sum((calls[a.account_id] for a in read), Counter()).items())),
        "seconds_per_account_mean": round(sum(a.seconds for a in read) / max(1, len(read)), 3),
        "statuses": dict(Counter(a.status for a in result.accounts)),
    }


def organizations_calls(accounts: int, ous: int, scps: int) -> int:
    """Caller-side Organizations calls of a whole-organisation run (the walk), pages of 20, with
    FullAWSAccess attached to the root, every OU and every account (AWS's default) plus `scps - 1`
    SCPs on a few OUs each."""
    pages = -(-accounts // 20)
    return (1 + pages  # DescribeOrganization, ListAccounts
            + 1 + (ous + 1) + (ous + 1 + pages)  # ListRoots, ListOrganizationalUnitsForParent, ListAccountsForParent
            + 1 + scps + (scps + -(-(accounts + ous + 1) // 20)))  # ListPolicies, DescribePolicy, ListTargetsForPolicy


def estimate(m: dict, accounts: int, workers: int, args) -> dict:
    """Paper estimate: member reads run in parallel (throttled per member account: AWS applies limits
    to the account of the calling credentials); the caller's Organizations calls share the
    organisation's rate, its AssumeRole calls the caller account's STS rate."""
    per_member = m["calls_per_account_mean"]
    org_calls = organizations_calls(accounts, args.ous, args.scps)
    member_time = accounts * (per_member * args.latency + args.report_wait) / workers
    org_time = org_calls / args.org_tps
    sts_time = accounts / args.sts_tps
    return {"accounts": accounts, "workers": workers, "member_calls": round(accounts * per_member),
            "organizations_calls": org_calls, "assume_role_calls": accounts,
            "member_bound_s": round(member_time), "organizations_bound_s": round(org_time),
            "sts_bound_s": round(sts_time), "estimate_s": round(max(member_time, org_time, sts_time))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--members", type=int, default=24)
    ap.add_argument("--workers", default="1,4,16")
    ap.add_argument("--regions", default="1,2")
    ap.add_argument("--org-tps", type=float, default=5.0,
                    help="assumed sustained rate of Organizations reads for the organisation (AWS documents none)")
    ap.add_argument("--sts-tps", type=float, default=20.0,
                    help="assumed sustained AssumeRole rate for the caller account (AWS documents none)")
    ap.add_argument("--latency", type=float, default=0.15, help="assumed real AWS latency per call, seconds")
    ap.add_argument("--report-wait", type=float, default=10.0,
                    help="assumed wait per account for IAM to (re)generate a credential report older than 4 hours")
    ap.add_argument("--ous", type=int, default=50, help="OUs assumed in the 1,000-account organisation")
    ap.add_argument("--scps", type=int, default=5, help="SCPs assumed in it (FullAWSAccess included)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    os.environ.update({"AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench",
                       "AWS_DEFAULT_REGION": "us-east-1", "AWS_CONFIG_FILE": os.devnull,
                       "AWS_SHARED_CREDENTIALS_FILE": os.devnull, "AWS_EC2_METADATA_DISABLED": "true"})
    os.environ.pop("AWS_PROFILE", None)
    from mfaguard.drift import live

    live.REPORT_FIRST_DELAY_S = 0.05  # moto's report is ready on the second call
    import seed_org

    server, url = start_moto()
    try:
        t0 = time.perf_counter()
        seed = seed_org.seed_org(url, members=args.members)
        seeded = time.perf_counter() - t0
        rows = []
        for n_regions in [int(x) for x in args.regions.split(",")]:
            for workers in [int(x) for x in args.workers.split(",")]:
                rows.append(measure(seed, list(REGIONS[:n_regions]), workers))
                if not args.json:
                    r = rows[-1]
                    print(f"regions={r['regions']} workers={r['workers']:>2}: {r['accounts']} accounts "
                          f"({r['statuses']}), wall {r['wall_s']:.2f} s, calls/account {r['calls_per_account_mean']} "
                          f"(max {r['calls_per_account_max']}), caller calls {r['caller_calls']}", flush=True)
    finally:
        server.stop()
    base = next(r for r in rows if r["regions"] == 1 and r["workers"] == max(int(x) for x in args.workers.split(",")))
    est = [estimate(base, 1000, w, args) for w in (4, 16, 32)]
    out = {"members": args.members, "seed_s": round(seeded, 1), "runs": rows, "estimate_1000": est,
           "assumptions": {"org_tps": args.org_tps, "sts_tps": args.sts_tps, "latency_s": args.latency,
                           "report_wait_s": args.report_wait,
                           "ous": args.ous, "scps": args.scps}}
    if args.json:
        print(json.dumps(out, indent=2))
    else:
        print("member calls by API (1 region):", json.dumps(base["member_calls_by_api"]))
        print("caller calls by API (1 region):", json.dumps(base["caller_calls_by_api"]))
        for e in est:
            print(f"1,000 accounts, {e['workers']} workers: ~{e['estimate_s']} s (member reads {e['member_bound_s']} s; "
                  f"Organizations {e['organizations_calls']} calls, {e['organizations_bound_s']} s at {args.org_tps:g}/s; "
                  f"AssumeRole {e['assume_role_calls']} calls, {e['sts_bound_s']} s at {args.sts_tps:g}/s; "
                  f"{e['member_calls']} member calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
