"""`mfaguard graph PATH`: the coverage picture of a configuration (Mermaid or DOT)."""
from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "graph", help="draw who is covered: IAM users -> groups -> policies (Mermaid or DOT)",
        description="Draw the IAM users of a configuration with the groups and policies that reach them, "
                    "each marked covered, NOT covered (which sign-in path) or unknown - the same judgement "
                    "as CKV2_MFA_2. Mermaid renders in GitHub Markdown; DOT with Graphviz.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="folder, .tf file or plan JSON")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.add_argument("--max-users", type=int, default=None, metavar="N",
                   help="draw at most N users (not covered first; default 60)")
    p.add_argument("--output", metavar="FILE", help="write the picture to FILE")
    p.set_defaults(func=run)


def coverage_of(paths: list[str]) -> tuple[object, list]:
    from mfaguard.report.coverage import capture, merge
    from mfaguard.scan import engine

    with capture() as indexes:
        result = engine.scan(paths)
    return merge(indexes), result.errors


def run(args: argparse.Namespace) -> int:
    from mfaguard.report import graph

    cov, errors = coverage_of(list(args.paths))
    kwargs = {"max_users": args.max_users} if args.max_users else {}
    text = graph.mermaid(cov, **kwargs) if args.format == "mermaid" else graph.dot(cov, **kwargs)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    for err in errors:
        print(f"mfaguard: error: {err}", file=sys.stderr)
    return 2 if errors else 0
