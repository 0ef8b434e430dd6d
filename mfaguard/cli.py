"""`mfaguard` console script: dispatches to scan, drift and the small helper commands.

Subcommand modules are imported lazily so `mfaguard drift` never pays for importing
Checkov and `mfaguard scan` never pays for boto3.
"""
from __future__ import annotations

import argparse
import sys

from mfaguard import __version__
from mfaguard.errors import EXIT_BAD_INPUT, MfaguardError


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for bad input
        self.exit(EXIT_BAD_INPUT, f"mfaguard: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mfaguard", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"mfaguard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    from mfaguard.scan import cli as scan_cli
    from mfaguard.drift import cli as drift_cli

    from mfaguard.drift import securityhub
    from mfaguard.report import graph_cmd

    scan_cli.add_parser(sub)
    drift_cli.add_parser(sub)
    securityhub.add_parser(sub)
    graph_cmd.add_parser(sub)

    p = sub.add_parser("checks-dir", help="print the folders to pass to checkov --external-checks-dir")
    p.set_defaults(func=_checks_dir)
    p = sub.add_parser("catalogue", help="print the check catalogue as a Markdown table")
    p.set_defaults(func=_catalogue)
    return parser


def _checks_dir(_args: argparse.Namespace) -> int:
    from mfaguard.paths import external_checks_dirs

    for path in external_checks_dirs():
        print(path)
    return 0


def _catalogue(_args: argparse.Namespace) -> int:
    from mfaguard.catalogue import markdown_table

    print(markdown_table())
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except MfaguardError as exc:
        print(f"mfaguard: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
