"""`make demo`: the whole mfaguard story with no AWS account.

1. Before deploy: `mfaguard scan` the example stack (terraform_fixtures/examples/).
2. After deploy: start an embedded moto server on 127.0.0.1, seed it as an account that was
   changed by hand since the plan was applied (demo/seed_account.py), and run
   `mfaguard drift --plan demo/plan.json --endpoint-url ... --region eu-west-1` against it.

3. Organisation: reset the moto server, build an AWS Organization on it (demo/seed_org.py: a
   management account, OUs with an MFA-enforcing SCP, member accounts in different states, one
   whose role cannot be assumed) and run `mfaguard drift --org --role-name MfaguardAudit --plans ...`.

Exit 0 when every step ran and reported what it should (findings: exit 1 for scan and drift;
exit 3 for the organisation, one of whose accounts cannot be read by design); otherwise the
failing step's exit code.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
REGION = "eu-west-1"
# Offline, dummy credentials only: the demo must never reach a real account.
DEMO_ENV = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def banner(text: str) -> None:
    print(f"\n{'=' * 78}\n{text}\n{'=' * 78}", flush=True)


def run(args: list[str], env: dict[str, str] | None = None) -> int:
    print("$ mfaguard " + " ".join(args[3:]), flush=True)
    return subprocess.call(args, cwd=ROOT, env=env)


SUMMARY = """\
mfaguard demo: every AWS identity that can sign in needs a second factor, checked twice.

  1/4  HCL scan   the example stack's .tf files: the customer pool's OPTIONAL MFA (CKV_MFA_1) and
                  console user jess, whom no MFA-enforcing policy reaches (CKV2_MFA_1), each with its fix
  2/4  plan scan  the same stack as `terraform show -json` plans it: the same findings again, on purpose
                  (a plan gate proves them on what Terraform will create)
  3/4  drift      a moto account changed by hand since the plan was applied: the pool switched to
                  OPTIONAL, intern out of the MFA group, a key-only user made outside Terraform,
                  root without MFA
  4/4  drift --org  the same across a moto AWS Organization, account by account"""


def main() -> int:
    python = sys.executable
    print(SUMMARY, flush=True)
    banner("1/4  HCL scan (before deploy): mfaguard scan --quiet the example stack's .tf files")
    hcl = [os.path.join("terraform_fixtures", "examples", n) for n in ("cognito.tf", "iam.tf", "versions.tf")]
    scan_rc = run([python, "-m", "mfaguard", "scan", "--quiet", *hcl])
    print(f"\n(HCL scan exit code {scan_rc}: 1 = findings)")

    banner("2/4  Plan scan (before deploy): the same stack's plan JSON - the same findings, judged on the plan")
    plan_rc = run([python, "-m", "mfaguard", "scan", "--quiet", "terraform_fixtures/examples/tfplan.json"])
    print(f"\n(plan scan exit code {plan_rc}: 1 = findings)")
    scan_rc = max(scan_rc, plan_rc) if 2 not in (scan_rc, plan_rc) else 2

    banner("3/4  Drift (after deploy): mfaguard drift against a seeded moto account")
    # Pool IDs derived from the pools' settings, so the IDs in demo/plan.json are the live ones.
    os.environ["MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY"] = "HASH"
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    import boto3
    from moto.server import ThreadedMotoServer

    sys.path.insert(0, HERE)
    import seed_account

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        url = f"http://{host}:{port}"
        session = boto3.Session(aws_access_key_id="demo", aws_secret_access_key="demo", region_name=REGION)
        seed_account.seed(session, url)
        print(f"moto account 123456789012 at {url}: changed by hand since demo/plan.json was applied:\n"
              "  acme-customers pool ON -> OPTIONAL; intern removed from admins (the MFA-enforcing group);\n"
              "  nightly-backup created outside Terraform; auditor deleted; root never got MFA.\n", flush=True)
        env = {**os.environ, **DEMO_ENV}
        env.pop("AWS_PROFILE", None)
        env.pop("AWS_SESSION_TOKEN", None)
        drift_rc = run([python, "-m", "mfaguard", "drift", "--plan", "demo/plan.json",
                        "--endpoint-url", url, "--region", REGION], env=env)
        print(f"\n(drift exit code {drift_rc}: 1 = findings)")
        org_rc = run_org_demo(python, url, env)
    finally:
        server.stop()
    print(f"\n(drift --org exit code {org_rc}: 3 = an account was not fully read, here by design)")
    if scan_rc not in (0, 1):
        return scan_rc
    if drift_rc not in (0, 1):
        return drift_rc
    if org_rc != 3:
        return org_rc or 1
    print("\nNext: `mfaguard drift --plan <your plan.json> --format json|sarif|junitxml|asff` "
          "against your own account (read-only permissions: python -m mfaguard.drift.permissions).")
    return 0


def run_org_demo(python: str, url: str, env: dict[str, str]) -> int:
    import tempfile
    import urllib.request

    import seed_org

    banner("4/4  The whole organisation: mfaguard drift --org on a moto AWS Organization")
    logging.getLogger("werkzeug").setLevel(logging.CRITICAL)  # moto logs a traceback for what it lacks
    req = urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST")
    urllib.request.urlopen(req, timeout=10).read()
    seed = seed_org.seed_org(url, members=len(seed_org.SCENARIOS))
    names = {v: k for k, v in seed.accounts.items()}
    print(f"organisation {seed.organization_id}: management {seed.management}, OUs Workloads (SCP require-mfa) > "
          "Prod, Sandbox; members:\n" + "\n".join(f"  {a}  {names[a]}" for a in seed.members), flush=True)
    print("moto 5.2.5 has no iam:ListOrganizationsFeatures and no root password flag, so this run says so (an "
          "error, and roots fail closed);\ntests/test_drift_org.py answers those two calls to show the "
          "centrally managed root.\n", flush=True)
    org_env = {**env, "AWS_ACCESS_KEY_ID": seed.caller_key[0], "AWS_SECRET_ACCESS_KEY": seed.caller_key[1]}
    with tempfile.TemporaryDirectory() as plans:
        seed.write_plans(plans)
        return run([python, "-m", "mfaguard", "drift", "--org", "--role-name", seed_org.ROLE, "--plans", plans,
                    "--endpoint-url", url, "--region", "us-east-1", "--max-workers", "4"], env=org_env)


if __name__ == "__main__":
    raise SystemExit(main())
