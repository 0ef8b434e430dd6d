"""`mfaguard drift` argument parsing (stub: replaced by the drift implementation)."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("drift", help="compare the live AWS account with a plan or state JSON")
    p.add_argument("--plan", required=True, metavar="PLAN_OR_STATE_JSON")
    p.add_argument("--region", action="append", default=[])
    p.add_argument("--profile")
    p.add_argument("--endpoint-url")
    p.add_argument("--format", choices=["table", "json", "sarif", "junitxml", "asff"], default="table")
    p.add_argument("--output", metavar="FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
