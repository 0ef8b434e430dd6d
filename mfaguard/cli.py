"""`mfaguard` console script: dispatches to scan, drift and the small helper commands.

Subcommand modules are imported lazily so `mfaguard drift` never pays for importing
Checkov and `mfaguard scan` never pays for boto3.
"""
from __future__ import annotations

import argparse
import os
import sys

from mfaguard import __version__
from mfaguard.errors import EXIT_BAD_INPUT, MfaguardError


DESCRIPTION = """\
Every AWS identity that can sign in needs a second factor. mfaguard checks it twice:
before deploy (scan: Terraform/OpenTofu HCL and plan JSON, with Checkov) and after deploy
(drift: the live account compared with the plan or state)."""

EPILOG = """\
examples:
  mfaguard scan infra/                                 findings, each with the HCL that fixes it
  mfaguard scan tfplan.json --format sarif --output mfaguard.sarif
  mfaguard scan infra/ --format markdown >> "$GITHUB_STEP_SUMMARY"
  mfaguard graph infra/                                who is covered, as a Mermaid picture
  mfaguard drift --plan state.json --region eu-west-1  the live account against the state

exit codes: 0 nothing found, 1 findings, 2 bad input or usage, 3 AWS access failure (drift).
`mfaguard COMMAND --help` for each command's options."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        """One line, exit 2 (as for bad input), that ends with the command's usage."""
        usage = " ".join(self.format_usage().split())
        self.exit(EXIT_BAD_INPUT, f"mfaguard: error: {message} ({usage}; --help for more)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mfaguard", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"mfaguard {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND",
                                title="commands")

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


def _quiet_broken_pipe() -> None:
    """`mfaguard ... | head`: the reader left; send the rest of the output nowhere, no traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except MfaguardError as exc:
        print(f"mfaguard: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _quiet_broken_pipe()
        return 141  # as a shell reports a process ended by SIGPIPE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
