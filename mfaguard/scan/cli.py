"""`mfaguard scan` argument parsing (stub: replaced by the scan implementation)."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("scan", help="scan Terraform/OpenTofu HCL folders, .tf files or plan JSON")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--format", choices=["cli", "json", "sarif", "junitxml"], default="cli")
    p.add_argument("--output", metavar="FILE")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError
