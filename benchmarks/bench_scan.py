"""Time `mfaguard scan` against a default `checkov -d` on generated stacks, side by side.

    python benchmarks/bench_scan.py [--stacks tiny,iam,mixed] [--repeat N] [--keep DIR]

For each stack it writes the Terraform into a temporary folder, then runs, as subprocesses
(start-up included, as a pre-commit hook pays it):

  mfaguard   mfaguard scan DIR --format json --output FILE
  checkov    checkov -d DIR --external-checks-dir <checks> --external-checks-dir <policies>
             --skip-download -o json          (every framework, every built-in check)

and prints wall-clock seconds (best of N), the ratio, and whether the two give the same
verdicts: the set of (check id, resource, PASSED/FAILED) for mfaguard's check IDs.
Checkov's report drops UNKNOWN records, so those are not compared (mfaguard lists them).

Stacks (sizes from the issue):
  tiny   3 resources: a Cognito pool, an IAM user with a console password
  iam    1,000 users (console passwords, access keys), 50 groups with memberships and
         policies (half MFA-enforcing), 200 Cognito pools, policy documents
  mixed  iam + 2,000 unrelated resources (buckets, security groups, instances, which
         reference each other) in their own files

Exit status 0 when every stack gave the same verdicts and met its target
(tiny <= 0.6x, iam <= 1.0x, mixed <= 0.5x), else 1.  A measurement, not a test.
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
TARGETS = {"tiny": 0.6, "iam": 1.0, "mixed": 0.5}

ENFORCE_DOC = '''data "aws_iam_policy_document" "enforce_mfa" {
  statement {
    sid         = "DenyAllExceptMfaEnrolmentWithoutMFA"
    effect      = "Deny"
    not_actions = ["iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices",
                   "iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"]
    resources   = ["*"]
    condition {
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }
  }
}

data "aws_iam_policy_document" "read_only" {
  statement {
    effect    = "Allow"
    actions   = ["s3:Get*", "s3:List*"]
    resources = ["*"]
  }
}
'''


def _tiny() -> dict[str, str]:
    return {"main.tf": '''resource "aws_cognito_user_pool" "pool" {
  name              = "staff"
  mfa_configuration = "OPTIONAL"
}

resource "aws_iam_user" "jess" {
  name = "jess"
}

resource "aws_iam_user_login_profile" "jess" {
  user = aws_iam_user.jess.name
}
'''}


def _iam(users: int = 1000, groups: int = 50, pools: int = 200) -> dict[str, str]:
    files: dict[str, str] = {"policies.tf": ENFORCE_DOC, "variables.tf": 'variable "env" {\n  default = "prod"\n}\n'}
    u = []
    for i in range(users):
        u.append(f'resource "aws_iam_user" "u{i}" {{\n  name = "user-{i}"\n  tags = {{ env = var.env }}\n}}\n')
        if i % 2 == 0:
            u.append(f'resource "aws_iam_user_login_profile" "u{i}" {{\n  user = aws_iam_user.u{i}.name\n}}\n')
        if i % 3 == 0:
            u.append(f'resource "aws_iam_access_key" "u{i}" {{\n  user = aws_iam_user.u{i}.name\n}}\n')
    files["users.tf"] = "\n".join(u)
    g = []
    per = max(users // groups, 1)
    for j in range(groups):
        g.append(f'resource "aws_iam_group" "g{j}" {{\n  name = "group-{j}"\n}}\n')
        members = ", ".join(f"aws_iam_user.u{i}.name" for i in range(j * per, min((j + 1) * per, users)))
        g.append(f'resource "aws_iam_group_membership" "g{j}" {{\n  name  = "members-{j}"\n'
                 f'  group = aws_iam_group.g{j}.name\n  users = [{members}]\n}}\n')
        doc = "enforce_mfa" if j % 2 == 0 else "read_only"
        g.append(f'resource "aws_iam_group_policy" "g{j}" {{\n  name   = "policy-{j}"\n'
                 f'  group  = aws_iam_group.g{j}.name\n  policy = data.aws_iam_policy_document.{doc}.json\n}}\n')
    files["groups.tf"] = "\n".join(g)
    p = []
    for k in range(pools):
        mode = ("ON", "OPTIONAL", "OFF")[k % 3]
        p.append(f'resource "aws_cognito_user_pool" "p{k}" {{\n  name              = "pool-{k}"\n'
                 f'  mfa_configuration = "{mode}"\n\n  software_token_mfa_configuration {{\n    enabled = {str(k % 2 == 0).lower()}\n  }}\n}}\n')
    files["pools.tf"] = "\n".join(p)
    return files


def _unrelated(n: int = 2000) -> dict[str, str]:
    third = n // 3
    b, s, ins = [], [], []
    for i in range(third):
        b.append(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "bucket-{i}-${{var.env}}"\n'
                 f'  tags = {{\n    Name = "bucket {i}"\n    Team = "data"\n  }}\n}}\n')
        b.append("")
    for i in range(third):
        s.append(f'resource "aws_security_group" "sg{i}" {{\n  name        = "sg-{i}"\n  description = "web {i}"\n'
                 f'  ingress {{\n    from_port   = 443\n    to_port     = 443\n    protocol    = "tcp"\n'
                 f'    cidr_blocks = ["10.{i % 250}.0.0/16"]\n  }}\n  egress {{\n    from_port   = 0\n    to_port     = 0\n'
                 f'    protocol    = "-1"\n    cidr_blocks = ["0.0.0.0/0"]\n  }}\n}}\n')
    for i in range(n - 2 * third):
        ins.append(f'resource "aws_instance" "i{i}" {{\n  ami                    = "ami-0abcdef{i:08d}"\n'
                   f'  instance_type          = "t3.micro"\n  vpc_security_group_ids = [aws_security_group.sg{i % third}.id]\n'
                   f'  tags = {{\n    Name   = "app-{i}"\n    Bucket = aws_s3_bucket.b{i % third}.bucket\n  }}\n}}\n')
    return {"buckets.tf": "\n".join(b), "network.tf": "\n".join(s), "compute.tf": "\n".join(ins)}


STACKS = {
    "tiny": _tiny,
    "iam": _iam,
    "mixed": lambda: {**_iam(), **_unrelated()},
}


def generate(stack: str, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in STACKS[stack]().items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _check_ids() -> set[str]:
    sys.path.insert(0, str(REPO))
    from mfaguard.catalogue import CHECKS

    return set(CHECKS)


def verdicts(report_json: str, ids: set[str]) -> set[tuple[str, str, str]]:
    data = json.loads(report_json)
    reports = data if isinstance(data, list) else [data]
    out = set()
    for rep in reports:
        if not isinstance(rep, dict) or rep.get("check_type") not in ("terraform", "terraform_plan"):
            continue
        for key, verdict in (("passed_checks", "PASSED"), ("failed_checks", "FAILED")):
            for rec in rep.get("results", {}).get(key, []):
                if rec["check_id"] in ids:
                    out.add((rec["check_id"], rec["resource"], verdict))
    return out


def _run(argv: list[str], out_file: Path | None = None) -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONWARNINGS": "ignore", "LOG_LEVEL": "ERROR"})
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{argv[0]} failed with {proc.returncode}: {proc.stderr.strip()[-2000:]}")
    return elapsed, out_file.read_text(encoding="utf-8") if out_file else proc.stdout


def bench(stack: str, root: Path, repeat: int) -> dict:
    from_paths = _external_dirs()
    folder = generate(stack, root / stack)
    out = root / f"{stack}.mfaguard.json"
    mfa_cmd = [str(BIN / "mfaguard"), "scan", str(folder), "--format", "json", "--output", str(out)]
    ck_cmd = [str(BIN / "checkov"), "-d", str(folder), "--skip-download", "-o", "json"]
    for d in from_paths:
        ck_cmd += ["--external-checks-dir", d]
    mfa_times, ck_times = [], []
    mfa_json = ck_json = ""
    for _ in range(repeat):  # interleaved, so machine load hits both alike
        t, mfa_json = _run(mfa_cmd, out)
        mfa_times.append(t)
        t, ck_json = _run(ck_cmd)
        ck_times.append(t)
    ids = _check_ids()
    a, b = verdicts(mfa_json, ids), verdicts(ck_json, ids)
    resources = sum(text.count('\nresource "') + text.startswith('resource "')
                    for text in STACKS[stack]().values())
    return {"stack": stack, "resources": resources, "mfaguard_s": min(mfa_times), "checkov_s": min(ck_times),
            "ratio": min(mfa_times) / min(ck_times), "verdicts": len(a), "same_verdicts": a == b,
            "only_mfaguard": sorted(a - b)[:5], "only_checkov": sorted(b - a)[:5]}


def _external_dirs() -> list[str]:
    sys.path.insert(0, str(REPO))
    from mfaguard.paths import external_checks_dirs

    return external_checks_dirs()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stacks", default="tiny,iam,mixed")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    args = ap.parse_args(argv)
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mfaguard-bench-"))
    ok = True
    try:
        print(f"{'stack':6} {'resources':>9} {'mfaguard s':>10} {'checkov s':>9} {'ratio':>6} {'target':>6} "
              f"{'verdicts':>8} same")
        for stack in args.stacks.split(","):
            r = bench(stack, root, args.repeat)
            met = r["ratio"] <= TARGETS[stack] and r["same_verdicts"]
            ok = ok and met
            print(f"{stack:6} {r['resources']:9d} {r['mfaguard_s']:10.2f} {r['checkov_s']:9.2f} {r['ratio']:6.2f} "
                  f"{TARGETS[stack]:6.2f} {r['verdicts']:8d} {'yes' if r['same_verdicts'] else 'NO'}"
                  + ("" if met else "   <-- target missed"), flush=True)
            if not r["same_verdicts"]:
                print(f"    only mfaguard: {r['only_mfaguard']}\n    only checkov:  {r['only_checkov']}")
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
