"""`mfaguard drift`: compare the live AWS account with a plan or state JSON.

    read the plan/state (desired.py) -> read the account (live.py) -> compare (compare/)
    -> report (report.py)

Exit codes (DESIGN.md): 0 nothing found, 1 findings, 2 bad input or usage, 3 AWS access failure
(partial findings are still printed, and the error names the missing permission).
"""
from __future__ import annotations

import argparse
import os
import sys

from mfaguard.errors import EXIT_AWS_ACCESS, EXIT_FINDINGS, EXIT_OK, AwsAccessError, InputError

FORMATS = ("table", "json", "sarif", "junitxml", "asff", "markdown", "github")


def _epilog() -> str:
    try:
        from mfaguard.drift.permissions import help_text

        return help_text()
    except Exception:  # pragma: no cover - permissions module missing in a partial checkout
        return ""


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "drift",
        help="compare the live AWS account with a plan or state JSON",
        description="Compare the live AWS account (IAM users, groups, policies, root, Cognito pools) with "
                    "`terraform show -json` output and report MFA drift, missing and unmanaged identities, "
                    "and live non-compliance with IAM.5, IAM.6, IAM.9, IAM.19, Cognito.5, Cognito.1 and Cognito.4.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--plan", action="append", default=[], metavar="PLAN_OR_STATE_JSON",
                   help="`terraform show -json` of a plan or of a state (or a terraform.tfstate); with --org, "
                        "ACCOUNT=FILE (repeatable)")
    p.add_argument("--region", action="append", default=[],
                   help="region to read Cognito pools in (repeatable; default: the plan's provider regions, "
                        "else the session's)")
    p.add_argument("--profile", help="AWS shared-config profile")
    p.add_argument("--endpoint-url", help="custom AWS endpoint (moto, LocalStack)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--output", metavar="FILE", help="write the report to FILE instead of stdout")
    p.add_argument("--max-bytes", type=_positive_int, metavar="N",
                   help="markdown: keep the report under N bytes (default 1 MiB, GitHub's step-summary limit)")
    p.add_argument("--config", metavar="FILE",
                   help="settings file, as for scan (default: the nearest .mfaguard.yaml above the plan)")
    p.add_argument("--recheck-flagged", action="store_true",
                   help="re-read live the users the credential report (up to 4 hours old) flags: no MFA, or a "
                        "password/access key the plan does not give them (login profile, access keys, MFA "
                        "devices), and users whose virtual MFA device is gone since the report")
    hub = p.add_argument_group("AWS Security Hub")
    hub.add_argument("--securityhub", action="store_true",
                     help="after the report, import this run's findings (ASFF) into Security Hub in each finding's "
                          "account and region (securityhub:BatchImportFindings, securityhub:GetFindings); with --org, "
                          "through --role-name in each member account")
    hub.add_argument("--archive-stale", action="store_true",
                     help="with --securityhub: archive the account's earlier mfaguard findings this run no longer "
                          "reports (never when the run was not fully read)")
    org = p.add_argument_group("organisation (--org): every account of an AWS Organization")
    org.add_argument("--org", action="store_true",
                     help="read every account of the organisation (credentials of the management account or a "
                          "delegated administrator)")
    org.add_argument("--role-name", metavar="NAME", help="role to assume in each member account (required with --org)")
    org.add_argument("--external-id", metavar="ID", help="external ID the role's trust policy requires")
    org.add_argument("--max-workers", type=int, default=None, metavar="N",
                     help="accounts read at once (default 8)")
    pick = org.add_mutually_exclusive_group()
    pick.add_argument("--accounts", metavar="ID,...", help="only these account IDs")
    pick.add_argument("--accounts-from", metavar="FILE",
                      help="only the account IDs in FILE (one or more a line, '#' comments): a CI-matrix shard")
    org.add_argument("--plans", metavar="DIR",
                     help="plans/states named <account-id>.json (or <account-id>*.json) in DIR")
    p.add_argument("--include-passed", action="store_true",
                   help="json: also list every resource and control evaluated that passed (kind evaluated); "
                        "asff always carries them")
    p.set_defaults(func=run)


def _positive_int(text: str) -> int:
    from mfaguard.scan.cli import _positive_int as parse

    return parse(text)


def _session(args: argparse.Namespace, region: str | None):
    import boto3
    from botocore.exceptions import BotoCoreError, ProfileNotFound

    try:
        session = boto3.Session(profile_name=args.profile, region_name=region)
        if _local_emulator(args.endpoint_url) and not args.profile and session.get_credentials() is None:
            # moto / LocalStack on this machine accept any key: do not make a demo or a test
            # fail for want of credentials. Never done for a remote endpoint.
            session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing",
                                    region_name=region)
        return session
    except ProfileNotFound:
        raise InputError(None, f"--profile {args.profile}: no such AWS profile") from None
    except BotoCoreError as exc:
        raise InputError(None, f"AWS configuration: {exc}") from None


def check_region(region: str) -> None:
    """A name no AWS partition can have is a usage error at once (exit 2), not 37 s of retries."""
    import re

    from botocore.loaders import create_loader

    if not region.replace("-", "").isalnum():
        raise InputError(None, f"--region {region!r}: not a region name (e.g. eu-west-1)")
    partitions = create_loader().load_data("partitions").get("partitions", [])
    known = [name for p in partitions for name in p.get("regions", {})]
    if region in known:
        return
    if not any(re.match(p.get("regionRegex") or "^$", region) for p in partitions
               if p.get("regionRegex")):
        raise InputError(None, f"--region {region!r}: not an AWS region name (e.g. eu-west-1, us-gov-west-1)")


def _local_emulator(endpoint_url: str | None) -> bool:
    from urllib.parse import urlparse

    host = urlparse(endpoint_url).hostname if endpoint_url else None
    return host in ("127.0.0.1", "localhost", "::1")


def _check_output(path: str | None) -> None:
    if not path:
        return
    parent = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(parent):
        raise InputError(path, "--output: the folder does not exist")
    if os.path.isdir(path):
        raise InputError(path, "--output: is a directory")


def _validate_common(args: argparse.Namespace) -> list[str]:
    _check_output(args.output)
    if args.endpoint_url is not None:
        from urllib.parse import urlparse

        url = urlparse(args.endpoint_url)
        if url.scheme not in ("http", "https") or not url.netloc:
            raise InputError(None, f"--endpoint-url {args.endpoint_url!r}: expected http(s)://host[:port]")
    regions = list(dict.fromkeys(r for r in args.region if r))
    for r in regions:
        check_region(r)
    return regions


def _write(args: argparse.Namespace, text: str) -> None:
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise InputError(args.output, f"cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def securityhub_import(args: argparse.Namespace, findings: list, ctx, complete: bool) -> bool:
    """--securityhub: import the run's findings after the chosen --format was written."""
    if not getattr(args, "securityhub", False):
        return True
    from mfaguard.drift.report import render
    from mfaguard.drift.securityhub import import_run

    if ctx.accounts:  # --org: the accounts read completely
        accounts = [a["account_id"] for a in ctx.accounts if a.get("status") == "read"]
    else:
        accounts = [ctx.account_id] if ctx.account_id else []
    scope = [(a, r) for a in accounts for r in ctx.regions]
    return import_run(render("asff", findings, ctx), profile=args.profile, endpoint_url=args.endpoint_url,
                      role_name=getattr(args, "role_name", None), external_id=getattr(args, "external_id", None),
                      archive_stale=args.archive_stale, complete=complete, scope=scope)


def run(args: argparse.Namespace) -> int:
    if getattr(args, "archive_stale", False) and not getattr(args, "securityhub", False):
        raise InputError(None, "--archive-stale needs --securityhub")
    if getattr(args, "org", False):
        from mfaguard.drift.org_cli import run_org_cli

        if getattr(args, "config", None):
            raise InputError(args.config, "--config is not read with --org yet (only for one account)")

        return run_org_cli(args)
    for flag in ("role_name", "external_id", "max_workers", "accounts", "accounts_from", "plans"):
        if getattr(args, flag, None) is not None:
            raise InputError(None, f"--{flag.replace('_', '-')} needs --org")
    if len(args.plan) != 1:
        raise InputError(None, "--plan PLAN_OR_STATE_JSON is required once (several plans: --org --plan ACCOUNT=FILE)")
    args.plan = args.plan[0]
    return _run_single(args)


def _run_single(args: argparse.Namespace) -> int:
    from mfaguard.drift import desired as desired_mod
    from mfaguard.drift.compare import compare
    from mfaguard.drift.live import read_live
    from mfaguard.drift.model import AccountState
    from mfaguard.drift.recheck import expected_credentials, mark_rechecked
    from mfaguard.drift.report import ReportContext, render

    from mfaguard.adopt import config as adopt_config
    from mfaguard.policy import semantics

    regions = _validate_common(args)
    cfg = adopt_config.for_drift(args.plan, args.config)
    semantics.accept_notaction(cfg.accept_notaction)
    desired = desired_mod.load(args.plan)
    if not regions:
        regions = list(desired.regions)
    session = _session(args, regions[0] if regions else None)
    if not regions and session.region_name:
        regions = [session.region_name]
    if not regions:
        raise InputError(args.plan, "no region: the plan sets no provider region and the AWS session has "
                                    "none; pass --region")

    fatal: AwsAccessError | None = None
    try:
        live = read_live(session, regions, endpoint_url=args.endpoint_url, recheck_flagged=args.recheck_flagged,
                         expected=expected_credentials(desired))
    except AwsAccessError as exc:
        fatal = exc
        live = AccountState(regions=regions, errors=[str(exc)],
                            unread=["iam-details", "credential-report", "root"] + [f"cognito:{r}" for r in regions])

    undecided = False
    if fatal is None:
        result = compare(desired, live)
        findings, notes = adopt_config.after_drift(result.findings, result.notes, cfg)
        evaluated = result.evaluated
        undecided = any("not applicable" not in n for n in result.notes)
        mark_rechecked(findings + evaluated, live)
    else:
        findings, notes, evaluated = [], [], []
    ctx = ReportContext(
        plan=args.plan, account_id=live.account_id or desired.account_id,
        partition=live.partition or desired.partition, regions=list(live.regions or regions),
        credential_report_generated=live.credential_report_generated,
        live_checked_users=list(getattr(live, "live_checked_users", []) or []),
        errors=list(live.errors), notes=notes, max_bytes=args.max_bytes, evaluated=evaluated,
        include_passed=args.include_passed,
    )
    if args.format == "markdown" and fatal is None and "iam-details" not in live.unread:
        from mfaguard.report.coverage import from_live

        ctx.coverage = from_live(desired, live)  # who is covered, drawn for the failing users
    _write(args, render(args.format, findings, ctx))

    if args.format != "table" or args.output:
        # Machine formats keep stdout clean; say the essentials on stderr.
        if live.credential_report_generated:
            print(f"mfaguard: IAM credential report generated {live.credential_report_generated} "
                  "(up to 4 hours old; --recheck-flagged re-checks the users it flags)", file=sys.stderr)
    if live.errors:
        for err in live.errors:
            print(f"mfaguard: error: {err}", file=sys.stderr)
    imported = securityhub_import(args, findings, ctx, complete=not live.errors)
    if live.errors or not imported:
        return EXIT_AWS_ACCESS
    return EXIT_FINDINGS if findings or (undecided and cfg.unknown_fails) else EXIT_OK
