"""Time `mfaguard scan` over a monorepo of root modules against plain `checkov -d`, same run.

    python benchmarks/bench_monorepo.py [--roots 8] [--users 60] [--unrelated 150] [--repeat 1] [--keep DIR]

The generated tree (identical stacks, as real monorepos have them):

  infra/<env>/main.tf        for each of --roots environments: --users IAM users with console
                             passwords (every 3rd without MFA enforcement: FAIL), an enforcing
                             group, --unrelated buckets/queues, and a call of the local module
  modules/console_user/      a local module (one console user) with examples/basic/, a root

Runs, as subprocesses (start-up included):

  serial     MFAGUARD_WORKERS=1 mfaguard scan TREE --format json --output F   (one process)
  parallel   mfaguard scan TREE --format json --output F   (a process per core, forked)
  checkov    checkov -d TREE --framework terraform --external-checks-dir ... --skip-download -o json

and prints wall-clock seconds (best of --repeat) and the FAILED count of CKV2_MFA_1 each gives,
next to the count the stacks imply (every root judged alone).  Plain Checkov merges every
folder into one graph; where identical addresses collide it reports fewer (or merged)
findings.  A measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

ENFORCE = '''resource "aws_iam_group" "mfa" {
  name = "mfa-required"
}

resource "aws_iam_group_policy" "mfa" {
  name  = "enforce-mfa"
  group = aws_iam_group.mfa.name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Deny"
      NotAction = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
      Resource  = "*"
      Condition = { BoolIfExists = { "aws:MultiFactorAuthPresent" = "false" } }
    }]
  })
}
'''


def stack(env: str, users: int, unrelated: int) -> str:
    parts = [ENFORCE]
    for i in range(users):
        parts.append(f'resource "aws_iam_user" "u{i}" {{\n  name = "{env}-u{i}"\n}}\n\n'
                     f'resource "aws_iam_user_login_profile" "u{i}" {{\n  user = aws_iam_user.u{i}.name\n}}\n')
        if i % 3:
            parts.append(f'resource "aws_iam_user_group_membership" "u{i}" {{\n  user   = aws_iam_user.u{i}.name\n'
                         f'  groups = [aws_iam_group.mfa.name]\n}}\n')
    for i in range(unrelated):
        parts.append(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "{env}-b{i}"\n  tags = {{ Env = "{env}" }}\n}}\n\n'
                     f'resource "aws_sqs_queue" "q{i}" {{\n  name = "{env}-q{i}-${{aws_s3_bucket.b{i}.id}}"\n}}\n')
    parts.append(f'module "ops" {{\n  source = "../../modules/console_user"\n  name   = "{env}-ops"\n}}\n')
    return "\n".join(parts)


def write_tree(root: Path, roots: int, users: int, unrelated: int) -> int:
    """Write the tree; return the CKV2_MFA_1 FAILED count implied by judging each root alone."""
    for n in range(roots):
        env = f"env{n:02d}"
        (root / "infra" / env).mkdir(parents=True)
        (root / "infra" / env / "main.tf").write_text(stack(env, users, unrelated))
    module = root / "modules" / "console_user"
    (module / "examples" / "basic").mkdir(parents=True)
    (module / "main.tf").write_text('variable "name" {}\n\nresource "aws_iam_user" "this" {\n  name = var.name\n}\n\n'
                                    'resource "aws_iam_user_login_profile" "this" {\n  user = aws_iam_user.this.name\n}\n')
    (module / "examples" / "basic" / "main.tf").write_text('module "example" {\n  source = "../.."\n  name = "ex"\n}\n')
    without = len([i for i in range(users) if i % 3 == 0])
    return roots * (without + 1) + 1


def _failed(report: object) -> int:
    reports = report if isinstance(report, list) else [report]
    return sum(1 for r in reports if isinstance(r, dict)
               for c in r.get("results", {}).get("failed_checks", []) if c.get("check_id") == "CKV2_MFA_1")


def timed(cmd: list[str], env: dict[str, str], out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr[-800:]}")
    text = out.read_text() if out.exists() else proc.stdout
    return took, _failed(json.loads(text))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--roots", type=int, default=8)
    ap.add_argument("--users", type=int, default=60)
    ap.add_argument("--unrelated", type=int, default=150)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="mfaguard-bench-mono-"))
    tree = tmp / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    expected = write_tree(tree, args.roots, args.users, args.unrelated)
    sys.path.insert(0, str(REPO))
    from mfaguard.paths import external_checks_dirs

    ext = [a for d in external_checks_dirs() for a in ("--external-checks-dir", d)]
    out = tmp / "report.json"
    base = dict(os.environ)
    runs = {
        "serial": ([str(BIN / "mfaguard"), "scan", str(tree), "--format", "json", "--output", str(out)],
                   {**base, "MFAGUARD_WORKERS": "1"}),
        "parallel": ([str(BIN / "mfaguard"), "scan", str(tree), "--format", "json", "--output", str(out)], base),
        "checkov": ([str(BIN / "checkov"), "-d", str(tree), "--framework", "terraform", "--skip-download",
                     "-o", "json", *ext], base),
    }
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"tree: {args.roots} roots x ({args.users} users + {2 * args.unrelated} unrelated) + a module example; "
          f"{cores} cores; CKV2_MFA_1 FAILED implied by the stacks: {expected}")
    for name, (cmd, env) in runs.items():
        best, failed = float("inf"), -1
        for _ in range(args.repeat):
            out.unlink(missing_ok=True)
            took, failed = timed(cmd, env, out if name != "checkov" else tmp / "none")
            best = min(best, took)
        print(f"{name:9s} {best:7.2f} s   CKV2_MFA_1 FAILED: {failed}")
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
