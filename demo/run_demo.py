"""`make demo`: the whole mfaguard story with no AWS account.

1. Before deploy: `mfaguard scan` the example stack (terraform_fixtures/examples/).
2. After deploy: start an embedded moto server on 127.0.0.1, seed it as an account that was
   changed by hand since the plan was applied (demo/seed_account.py), and run
   `mfaguard drift --plan demo/plan.json --endpoint-url ... --region eu-west-1` against it.

Exit 0 when both steps ran and reported what they should (findings, exit 1 each); otherwise
the failing step's exit code.
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


def main() -> int:
    python = sys.executable
    banner("1/2  Before deploy: mfaguard scan --quiet terraform_fixtures/examples/  (HCL and its plan JSON; Checkov, offline)")
    scan_rc = run([python, "-m", "mfaguard", "scan", "--quiet", "terraform_fixtures/examples/"])
    print(f"\n(scan exit code {scan_rc}: 1 = findings)")

    banner("2/2  After deploy: mfaguard drift against a seeded moto account")
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
    finally:
        server.stop()
    print(f"\n(drift exit code {drift_rc}: 1 = findings)")
    if scan_rc not in (0, 1):
        return scan_rc
    if drift_rc not in (0, 1):
        return drift_rc
    print("\nNext: `mfaguard drift --plan <your plan.json> --format json|sarif|junitxml|asff` "
          "against your own account (read-only permissions: python -m mfaguard.drift.permissions).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
