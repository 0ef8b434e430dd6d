"""Time the HCL prefilter alone (mfaguard.scan.prefilter.filter_module) on growing files.

    python benchmarks/bench_prefilter.py [--sizes 1.5,3,6,12,24]

Each file is N MiB of unrelated resource blocks (buckets with tags and a heredoc) with one IAM
user every 500 blocks.  The prefilter must stay linear in the size of the file: the seconds
per MiB column should stay flat.  (Before the fix each blanked block copied the whole text:
95 s for 6 MiB.)  A measurement, not a test.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mfaguard.scan.prefilter import filter_module  # noqa: E402

BLOCK = '''resource "aws_s3_bucket" "b{i}" {{
  bucket = "bucket-{i}"
  tags = {{ Team = "platform", Name = "b{i}" }}
  policy = <<POLICY
{{"Version": "2012-10-17", "Statement": []}}
POLICY
}}

'''
USER = 'resource "aws_iam_user" "u{i}" {{\n  name = "u{i}"\n}}\n\n'


def text_of(mib: float) -> str:
    parts, size, i = [], 0, 0
    while size < mib * 1024 * 1024:
        part = USER.format(i=i) if i % 500 == 0 else BLOCK.format(i=i)
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1.5,3,6,12,24")
    args = ap.parse_args()
    relevant = frozenset({"aws_iam_user"})
    print(f"{'MiB':>6} {'blocks':>8} {'kept':>6} {'seconds':>8} {'s/MiB':>7}")
    for mib in (float(x) for x in args.sizes.split(",")):
        text = text_of(mib)
        start = time.perf_counter()
        out, stats = filter_module({"main.tf": text}, relevant)
        took = time.perf_counter() - start
        assert out["main.tf"].count("\n") == text.count("\n")
        print(f"{mib:6.1f} {stats.resources:8d} {stats.kept:6d} {took:8.2f} {took / mib:7.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
