"""Time `mfaguard scan plan.json` against `checkov -f plan.json` on a large synthetic plan.

    python benchmarks/bench_plan.py [--mb 100] [--repeat 1] [--timeout 1800] [--keep DIR]

The plan (`terraform show -json` shape, pretty-printed as `jq .` would) holds the IAM and
Cognito resources of terraform_fixtures/examples/tfplan.json plus about --mb megabytes of
unrelated resources (aws_instance instances of 40 for_each blocks, each in planned_values and
resource_changes, with one configuration block per resource block as Terraform writes it).

Runs, as subprocesses (start-up included):

  mfaguard   mfaguard scan PLAN --format json --output F     (plan prefiltered)
  whole      mfaguard scan PLAN --no-prefilter --format json --output F
  checkov    checkov -f PLAN --framework terraform_plan --external-checks-dir ... --skip-download -o json

and prints wall-clock seconds, peak RSS (MiB) and mfaguard's check verdict count next to
Checkov's (the same (check, resource, result) set is expected).  A measurement, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BLOCKS = 40


def _instance(block: int, key: int) -> dict:
    return {"ami": "ami-0123456789abcdef0", "instance_type": "t3.micro", "monitoring": False,
            "subnet_id": f"subnet-{block:04d}{key:08d}", "vpc_security_group_ids": [f"sg-{block:08d}"],
            "tags": {"Name": f"web-{block}-{key}", "Team": "platform", "CostCenter": "cc-1234"},
            "root_block_device": [{"volume_size": 20, "volume_type": "gp3", "encrypted": True,
                                   "delete_on_termination": True}],
            "metadata_options": [{"http_endpoint": "enabled", "http_tokens": "required",
                                  "http_put_response_hop_limit": 1}],
            "user_data": "#!/bin/sh\necho hello from an unrelated instance\n" * 2}


def build(mb: float) -> dict:
    base = json.loads((REPO / "terraform_fixtures" / "examples" / "tfplan.json").read_text())
    per = len(json.dumps(_instance(0, 0))) * 2 + 400  # planned_values + resource_changes + keys
    n = max(BLOCKS, int(mb * 1024 * 1024 / per))
    planned = base["planned_values"]["root_module"].setdefault("resources", [])
    changes = base.setdefault("resource_changes", [])
    config = base.setdefault("configuration", {}).setdefault("root_module", {}).setdefault("resources", [])
    for block in range(BLOCKS):
        name = f"web{block}"
        config.append({"address": f"aws_instance.{name}", "mode": "managed", "type": "aws_instance", "name": name,
                       "expressions": {"ami": {"constant_value": "ami-0123456789abcdef0"}},
                       "for_each_expression": {"references": ["var.hosts"]}})
        for key in range(n // BLOCKS):
            values = _instance(block, key)
            address = f'aws_instance.{name}["h{key}"]'
            planned.append({"address": address, "mode": "managed", "type": "aws_instance", "name": name,
                            "index": f"h{key}", "provider_name": "registry.terraform.io/hashicorp/aws",
                            "schema_version": 1, "values": values, "sensitive_values": {}})
            changes.append({"address": address, "mode": "managed", "type": "aws_instance", "name": name,
                            "index": f"h{key}", "provider_name": "registry.terraform.io/hashicorp/aws",
                            "change": {"actions": ["create"], "before": None, "after": values,
                                       "after_unknown": {"id": True}}})
    return base


def _verdicts(text: str) -> set:
    doc = json.loads(text)
    reports = doc if isinstance(doc, list) else [doc]
    return {(r["check_id"], r["resource"], key) for rep in reports if isinstance(rep, dict)
            for key in ("passed_checks", "failed_checks") for r in rep.get("results", {}).get(key, [])
            if r["check_id"].startswith(("CKV_MFA", "CKV2_MFA"))}


def run(cmd: list[str], out: Path | None, timeout: float) -> tuple[float, float, set | None]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return float("inf"), 0.0, None
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr[-800:]}")
    text = out.read_text() if out else proc.stdout
    return took, max(peak, before) / 1024, _verdicts(text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=100)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--keep", metavar="DIR")
    args = ap.parse_args()
    tmp = Path(args.keep or tempfile.mkdtemp(prefix="mfaguard-bench-plan-"))
    tmp.mkdir(parents=True, exist_ok=True)
    plan = tmp / "plan.json"
    plan.write_text(json.dumps(build(args.mb), indent=2))
    sys.path.insert(0, str(REPO))
    from mfaguard.paths import external_checks_dirs

    ext = [a for d in external_checks_dirs() for a in ("--external-checks-dir", d)]
    out = tmp / "report.json"
    runs = {
        "mfaguard": ([str(BIN / "mfaguard"), "scan", str(plan), "--format", "json", "--output", str(out)], out),
        "whole": ([str(BIN / "mfaguard"), "scan", str(plan), "--no-prefilter", "--format", "json",
                   "--output", str(out)], out),
        "checkov": ([str(BIN / "checkov"), "-f", str(plan), "--framework", "terraform_plan", "--skip-download",
                     "-o", "json", *ext], None),
    }
    print(f"plan: {plan.stat().st_size / 2**20:.1f} MiB, {os.cpu_count()} cores")
    results = {}
    for name, (cmd, report) in runs.items():
        best, peak, verdicts = float("inf"), 0.0, None
        for _ in range(args.repeat):
            took, peak, verdicts = run(cmd, report, args.timeout)
            best = min(best, took)
        results[name] = verdicts
        shown = f"{best:8.2f} s" if best != float("inf") else f"> {args.timeout:.0f} s (timed out)"
        print(f"{name:9s} {shown}   peak RSS of children so far {peak:7.0f} MiB   verdicts: "
              f"{len(verdicts) if verdicts is not None else '-'}")
    if results.get("checkov") is not None:
        print("same verdicts as checkov:", results["mfaguard"] == results["checkov"])
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
