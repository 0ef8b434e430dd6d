"""Overhead of mfaguard's external checks on a full `checkov -d` run, measured side by side.

    python benchmarks/bench_checks_overhead.py [--users 1000] [--groups 50] [--policies 200]
                                               [--repeat 3] [--keep DIR]

Writes a generated IAM repository (users with console passwords and/or access keys, group
memberships of both kinds, managed policies from data "aws_iam_policy_document" /
jsonencode / heredoc, group and user attachments, inline group policies), then runs, as
subprocesses and alternating so both see the same machine load:

  baseline   checkov -d DIR --skip-download -o json
  mfaguard   checkov -d DIR --skip-download -o json --external-checks-dir checks
                            --external-checks-dir policies

and prints each run's wall-clock and CPU seconds (the subprocess tree's user+sys), then the
ratio of the best runs (best of N, as timeit advises: slower runs measure the neighbours'
load, not the code), the ratio of the medians and the CPU-time ratio.  Exit status 0 when the
best-of-N wall-clock ratio is at most 1.10 (the issue's budget) and the mfaguard run reported
the IAM checks, else 1.  A measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHECKOV = [sys.executable, "-m", "checkov.main"]
BUDGET = 1.10
IAM_IDS = ("CKV_MFA_4", "CKV2_MFA_1", "CKV2_MFA_2", "CKV2_MFA_3")

ENROL = ('"iam:CreateVirtualMFADevice", "iam:EnableMFADevice", "iam:GetUser", "iam:ListMFADevices", '
         '"iam:ListVirtualMFADevices", "iam:ResyncMFADevice", "iam:ChangePassword", "sts:GetSessionToken"')


def _policy(i: int) -> str:
    """Policy i: a quarter data-document MFA policies, the rest ordinary or weak MFA policies."""
    kind = i % 4
    if kind == 0:
        return f'''data "aws_iam_policy_document" "p{i}" {{
  statement {{
    sid         = "DenyWithoutMFA{i}"
    effect      = "Deny"
    not_actions = [{ENROL}]
    resources   = ["*"]
    condition {{
      test     = "BoolIfExists"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["false"]
    }}
  }}
}}

resource "aws_iam_policy" "p{i}" {{
  name   = "policy-{i}"
  policy = data.aws_iam_policy_document.p{i}.json
}}
'''
    if kind == 1:
        return f'''resource "aws_iam_policy" "p{i}" {{
  name = "policy-{i}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = ["s3:GetObject", "s3:ListBucket"], Resource = "arn:aws:s3:::bucket-{i}/*" }}]
  }})
}}
'''
    if kind == 2:
        return f'''resource "aws_iam_policy" "p{i}" {{
  name   = "policy-{i}"
  policy = <<EOF
{{"Version": "2012-10-17", "Statement": [{{"Effect": "Deny", "Action": "*", "Resource": "*",
  "Condition": {{"Bool": {{"aws:MultiFactorAuthPresent": "false"}}}}}}]}}
EOF
}}
'''
    return f'''resource "aws_iam_policy" "p{i}" {{
  name = "policy-{i}"
  policy = jsonencode({{
    Version   = "2012-10-17"
    Statement = [{{ Effect = "Allow", Action = "ec2:Describe*", Resource = "*" }}]
  }})
}}
'''


def generate(folder: Path, users: int, groups: int, policies: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    chunks = ['provider "aws" {\n  region = "eu-west-1"\n}\n']
    chunks += [_policy(i) for i in range(policies)]
    (folder / "policies.tf").write_text("\n".join(chunks))

    chunks = []
    for g in range(groups):
        chunks.append(f'resource "aws_iam_group" "g{g}" {{\n  name = "group-{g}"\n}}\n')
        for k in (0, 1):  # two managed policies per group
            p = (g * 2 + k) % policies
            chunks.append(f'resource "aws_iam_group_policy_attachment" "g{g}_{k}" {{\n'
                          f'  group      = aws_iam_group.g{g}.name\n  policy_arn = aws_iam_policy.p{p}.arn\n}}\n')
        if g % 5 == 0:
            chunks.append(f'resource "aws_iam_group_policy" "g{g}" {{\n  name  = "inline-{g}"\n'
                          f'  group = aws_iam_group.g{g}.name\n  policy = jsonencode({{\n'
                          f'    Version = "2012-10-17"\n    Statement = [{{ Effect = "Deny", NotAction = [{ENROL}],'
                          f' Resource = "*", Condition = {{ BoolIfExists = {{ "aws:MultiFactorAuthPresent" = "false" }} }} }}]\n'
                          f'  }})\n}}\n')
    (folder / "groups.tf").write_text("\n".join(chunks))

    chunks = []
    members: dict[int, list[int]] = {}
    for u in range(users):
        chunks.append(f'resource "aws_iam_user" "u{u}" {{\n  name = "user-{u}"\n  tags = {{ team = "t{u % 7}" }}\n}}\n')
        if u % 5 != 4:
            chunks.append(f'resource "aws_iam_user_login_profile" "u{u}" {{\n  user = aws_iam_user.u{u}.name\n}}\n')
        if u % 5 >= 2:
            chunks.append(f'resource "aws_iam_access_key" "u{u}" {{\n  user = aws_iam_user.u{u}.name\n}}\n')
        g = u % groups
        if u % 2:
            chunks.append(f'resource "aws_iam_user_group_membership" "u{u}" {{\n  user   = aws_iam_user.u{u}.name\n'
                          f'  groups = [aws_iam_group.g{g}.name]\n}}\n')
        else:
            members.setdefault(g, []).append(u)
        if u % 10 == 0:
            chunks.append(f'resource "aws_iam_user_policy_attachment" "u{u}" {{\n  user       = aws_iam_user.u{u}.name\n'
                          f'  policy_arn = aws_iam_policy.p{u % policies}.arn\n}}\n')
    for g, us in sorted(members.items()):
        refs = ", ".join(f"aws_iam_user.u{u}.name" for u in us)
        chunks.append(f'resource "aws_iam_group_membership" "g{g}" {{\n  name  = "members-{g}"\n'
                      f'  group = aws_iam_group.g{g}.name\n  users = [{refs}]\n}}\n')
    (folder / "users.tf").write_text("\n".join(chunks))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(folder: Path, external: bool) -> tuple[float, float, dict]:
    cmd = [*CHECKOV, "-d", str(folder), "--skip-download", "-o", "json", "--compact"]
    if external:
        cmd += ["--external-checks-dir", str(REPO / "checks"), "--external-checks-dir", str(REPO / "policies")]
    env = {**os.environ, "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false"}
    start, cpu0 = time.perf_counter(), _children_cpu()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    elapsed, cpu = time.perf_counter() - start, _children_cpu() - cpu0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"checkov failed ({proc.returncode}): {proc.stderr[-2000:]}")
    data = json.loads(proc.stdout)
    reports = data if isinstance(data, list) else [data]
    counts: dict = {}
    for rep in reports:
        for verdict in ("passed", "failed"):
            for c in rep.get("results", {}).get(f"{verdict}_checks", []):
                if c["check_id"] in IAM_IDS:
                    counts[(c["check_id"], verdict)] = counts.get((c["check_id"], verdict), 0) + 1
    return elapsed, cpu, counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--users", type=int, default=1000)
    ap.add_argument("--groups", type=int, default=50)
    ap.add_argument("--policies", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", metavar="DIR", help="write the repository here and keep it")
    args = ap.parse_args(argv)

    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="mfaguard-overhead-"))
    try:
        generate(folder, args.users, args.groups, args.policies)
        print(f"repository: {args.users} users, {args.groups} groups, {args.policies} policies in {folder}")
        base, ours, base_cpu, ours_cpu, counts = [], [], [], [], {}
        for i in range(args.repeat):
            order = (False, True) if i % 2 == 0 else (True, False)
            for external in order:
                elapsed, cpu, got = run(folder, external)
                (ours if external else base).append(elapsed)
                (ours_cpu if external else base_cpu).append(cpu)
                if external:
                    counts = got
                print(f"  run {i + 1} {'mfaguard' if external else 'baseline'}: {elapsed:.2f} s wall, "
                      f"{cpu:.2f} s CPU", flush=True)
        b, o = min(base), min(ours)
        ratio = o / b
        median_ratio = statistics.median(ours) / statistics.median(base)
        cpu_ratio = min(ours_cpu) / min(base_cpu)
        print(f"best of {args.repeat}: baseline {b:.2f} s, with mfaguard checks {o:.2f} s, ratio {ratio:.3f} "
              f"(budget {BUDGET}); median ratio {median_ratio:.3f}; CPU time ratio (best) {cpu_ratio:.3f}")
        print("IAM verdicts in the mfaguard run: " +
              ", ".join(f"{cid} {v} {n}" for (cid, v), n in sorted(counts.items())))
        ok = ratio <= BUDGET and all(any(k[0] == cid for k in counts) for cid in IAM_IDS)
        return 0 if ok else 1
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
