"""`mfaguard drift --org ...`: options -> mfaguard.drift.org.run_org -> one report for every account.

Usage errors (exit 2, before any AWS call): --role-name missing, a bad account ID in --accounts or
--accounts-from, a plan that cannot be read, --plan without ACCOUNT=, --plans not a folder.
Exit codes: 3 when the organisation or any account was not fully read (failed, or partial: a
permission missing), even if others had findings; else 1 with findings; else 0.
"""
from __future__ import annotations

import argparse
import os
import sys

from mfaguard.errors import EXIT_AWS_ACCESS, EXIT_FINDINGS, EXIT_OK, AwsAccessError, InputError


def _accounts(args: argparse.Namespace) -> list[str] | None:
    from mfaguard.drift.org import parse_account_ids

    try:
        if args.accounts is not None:
            return parse_account_ids(args.accounts, "--accounts")
        if args.accounts_from is not None:
            try:
                with open(args.accounts_from, encoding="utf-8") as fh:
                    text = fh.read()
            except OSError as exc:
                raise InputError(args.accounts_from, f"--accounts-from: cannot read: {exc.strerror or exc}") from None
            return parse_account_ids(text, args.accounts_from)
    except ValueError as exc:
        raise InputError(None, str(exc)) from None
    return None


def _plan_files(args: argparse.Namespace) -> dict[str, str]:
    plans: dict[str, str] = {}
    if args.plans is not None:
        if not os.path.isdir(args.plans):
            raise InputError(args.plans, "--plans: not a folder")
        for name in sorted(os.listdir(args.plans)):
            head = name[:12]
            if name.endswith(".json") and head.isdigit() and len(head) == 12 and head not in plans:
                plans[head] = os.path.join(args.plans, name)
    for item in args.plan:
        account, sep, path = item.partition("=")
        if not sep or not (len(account) == 12 and account.isdigit()) or not path:
            raise InputError(item, "--plan with --org: expected ACCOUNT=FILE (a 12-digit account id)")
        plans[account] = path
    return plans


def run_org_cli(args: argparse.Namespace) -> int:
    from mfaguard.drift import desired as desired_mod
    from mfaguard.drift.cli import _session, _validate_common, _write
    from mfaguard.drift.org import DEFAULT_MAX_WORKERS, OrgOptions, run_org, stderr_progress
    from mfaguard.drift.report import ReportContext, render

    regions = _validate_common(args)
    if not args.role_name:
        raise InputError(None, "--org needs --role-name NAME (the read-only role deployed in member accounts)")
    workers = DEFAULT_MAX_WORKERS if args.max_workers is None else args.max_workers
    if workers < 1:
        raise InputError(None, f"--max-workers {workers}: must be at least 1")
    accounts = _accounts(args)
    plans = _plan_files(args)
    desired = {acct: desired_mod.load(path) for acct, path in plans.items()}  # exit 2 on a bad plan
    if not regions:
        regions = list(dict.fromkeys(r for d in desired.values() for r in d.regions))
    session = _session(args, regions[0] if regions else None)
    if not regions and session.region_name:
        regions = [session.region_name]
    if not regions:
        raise InputError(None, "no region: pass --region (the plans set none and the AWS session has none)")
    options = OrgOptions(role_name=args.role_name, regions=regions, external_id=args.external_id,
                         max_workers=workers, accounts=accounts, desired=desired, plans=plans,
                         endpoint_url=args.endpoint_url, recheck_flagged=args.recheck_flagged,
                         progress=stderr_progress())
    try:
        result = run_org(session, options)
    except AwsAccessError as exc:
        print(f"mfaguard: error: {exc}", file=sys.stderr)
        from mfaguard.drift.org import OrgResult

        result = OrgResult(errors=[str(exc)])
    errors = list(result.errors) + [f"account {a.account_id}: {e}" for a in result.accounts for e in a.errors]
    notes = list(result.notes) + [f"account {a.account_id}: {n}" for a in result.accounts for n in a.notes]
    generated = sorted({a.credential_report_generated for a in result.accounts if a.credential_report_generated})
    ctx = ReportContext(
        # the plans per account are in `accounts`; here the folder, or the one file given
        plan=args.plans or (next(iter(plans.values())) if len(plans) == 1 else None),
        account_id=result.caller_account_id, partition=result.partition, regions=regions,
        credential_report_generated=generated[0] if generated else None,
        errors=errors, notes=notes, organization_id=result.organization_id,
        accounts=[a.to_dict() for a in result.accounts],
        evaluated=result.evaluated, include_passed=args.include_passed,
    )
    findings = result.findings
    _write(args, render(args.format, findings, ctx))
    if args.format != "table" or args.output:
        from mfaguard.drift.report import status_table

        print(status_table(ctx), file=sys.stderr, end="")
    from mfaguard.drift.cli import securityhub_import

    imported = securityhub_import(args, findings, ctx, complete=result.complete)
    if not result.complete or not imported:
        return EXIT_AWS_ACCESS
    return EXIT_FINDINGS if findings else EXIT_OK
