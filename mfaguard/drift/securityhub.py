"""Import mfaguard's ASFF findings into AWS Security Hub with boto3.

    mfaguard securityhub import FILE... [--archive-stale]     (or: mfaguard drift ... --securityhub)

What Security Hub allows, and what this module does about it (AWS Security Hub partner guide,
"Guidelines for using the BatchImportFindings API"):

* up to 100 findings and 6 MB per ``BatchImportFindings`` call, 240 KB per finding: findings
  are sent in batches within both limits; a finding over 240 KB is refused (exit 2) naming it;
* the call goes to the Security Hub of the region in the finding's ``ProductArn``, made from the
  account in its ``AwsAccountId`` (the API reference: with the default product ARN, the calling
  account must be the finding's account): findings are grouped by account and region; another
  account's findings are imported through ``--role-name`` assumed in that account (an
  organisation run), and the delegated administrator sees them by Security Hub's aggregation;
* findings the API reports in ``FailedFindings`` are sent again (a few attempts, backing off);
  what still fails is reported with its error code and the run exits 3;
* throttling (10 TPS per account and region, burst 30) is left to botocore's adaptive retries.

A finding's lifecycle, as Security Hub's own controls behave:

* the same resource and control always has the same ``Id`` (see report.asff_id), so a re-import
  updates the finding: a fixed resource turns PASSED;
* ``CreatedAt`` and ``FirstObservedAt`` keep the first sighting: before importing, the
  account's active mfaguard findings are read (``GetFindings``) and their first-seen times are
  carried over; ``UpdatedAt`` is the new run's;
* with ``archive_stale``, an active mfaguard finding of the same account and region that the new
  run no longer produces (the user was deleted, the pool is gone) is re-imported with
  ``RecordState: ARCHIVED``. Use it only with a file that is a complete run for its accounts.

Nothing here decides a verdict: it moves findings that report.asff rendered.
"""
from __future__ import annotations

import copy
import json
import os
import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from mfaguard.errors import AwsAccessError, InputError

MAX_FINDINGS_PER_BATCH = 100
MAX_BATCH_BYTES = 6 * 1024 * 1024
MAX_FINDING_BYTES = 240 * 1024
GENERATOR_PREFIX = "mfaguard/"
_PRODUCT_ARN = re.compile(r"^arn:([a-z-]+):securityhub:([a-z0-9-]+):(\d{12}):product/")
_DENIED = {"AccessDeniedException", "AccessDenied", "UnauthorizedOperation"}


@dataclass
class ImportResult:
    imported: int = 0
    archived: int = 0
    kept_first_seen: int = 0  # findings whose CreatedAt/FirstObservedAt came from an earlier run
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (finding Id, code, message)
    by_region: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        regions = ", ".join(f"{r}: {n}" for r, n in sorted(self.by_region.items())) or "none"
        line = f"Security Hub: imported {self.imported} finding(s) ({regions})"
        if self.archived:
            line += f", archived {self.archived} that this run no longer reports"
        if self.failed:
            line += f"; {len(self.failed)} FAILED"
        return line


# ------------------------------------------------------------------------------ reading a file
def load(path: str) -> list[dict[str, Any]]:
    """An ASFF file as `mfaguard drift --format asff` writes it (a list), or the AWS CLI's
    ``{"Findings": [...]}`` input shape."""
    from mfaguard.scan.inputs import special_file_problem

    problem = special_file_problem(path) if os.path.exists(path) else None
    if problem:  # a FIFO, socket or device: opening it could block waiting for a writer
        raise InputError(path, problem)
    if os.path.isdir(path):
        raise InputError(path, "is a directory, expected an ASFF JSON file (mfaguard drift --format asff)")
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, f"is not an ASFF JSON file: {exc}") from None
    if isinstance(doc, dict) and isinstance(doc.get("Findings"), list):
        doc = doc["Findings"]
    if not isinstance(doc, list) or not all(isinstance(f, dict) for f in doc):
        raise InputError(path, "is not an ASFF file: expected a JSON list of findings (mfaguard drift --format asff)")
    for i, finding in enumerate(doc):
        for key in ("Id", "ProductArn", "AwsAccountId"):
            if not isinstance(finding.get(key), str):
                raise InputError(path, f"finding #{i + 1} has no {key}")
        region_of(finding, path)
    return doc


def region_of(finding: dict[str, Any], where: str | None = None) -> str:
    match = _PRODUCT_ARN.match(str(finding.get("ProductArn", "")))
    if not match:
        raise InputError(where, f"finding {finding.get('Id')!r}: ProductArn {finding.get('ProductArn')!r} "
                                "is not a Security Hub product ARN")
    return match.group(2)


def batches(findings: list[dict[str, Any]], max_count: int = MAX_FINDINGS_PER_BATCH,
            max_bytes: int = MAX_BATCH_BYTES) -> Iterator[list[dict[str, Any]]]:
    """Consecutive batches of at most `max_count` findings and `max_bytes` of JSON each."""
    batch: list[dict[str, Any]] = []
    size = 2  # "[]"
    for finding in findings:
        n = len(json.dumps(finding, default=str).encode("utf-8")) + 1
        if n > MAX_FINDING_BYTES:
            raise InputError(None, f"finding {finding.get('Id')!r} is {n // 1024} KB; Security Hub accepts at most "
                                   f"{MAX_FINDING_BYTES // 1024} KB per finding")
        if batch and (len(batch) >= max_count or size + n > max_bytes):
            yield batch
            batch, size = [], 2
        batch.append(finding)
        size += n
    if batch:
        yield batch


# ------------------------------------------------------------------------------ talking to AWS
def _access_error(exc: Exception, action: str, region: str) -> AwsAccessError:
    error = getattr(exc, "response", {}).get("Error", {})
    code, message = error.get("Code", type(exc).__name__), error.get("Message", str(exc))
    if code == "InvalidAccessException":
        return AwsAccessError(action, f"Security Hub is not enabled in this account and region ({message})", region)
    return AwsAccessError(action, f"{code}: {message}", region)


def existing_findings(client: Any, accounts: Iterable[str], region: str) -> dict[str, dict[str, Any]]:
    """mfaguard's ACTIVE findings of `accounts` in this region's Security Hub, by Id.

    The filters go to the API (cheap on a large hub) and are applied again here, so an endpoint
    that ignores filters (moto does) gives the same answer."""
    from botocore.exceptions import ClientError

    wanted = set(accounts)
    filters = {
        "GeneratorId": [{"Value": GENERATOR_PREFIX, "Comparison": "PREFIX"}],
        "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        "AwsAccountId": [{"Value": a, "Comparison": "EQUALS"} for a in sorted(wanted)],
    }
    out: dict[str, dict[str, Any]] = {}
    try:
        for page in client.get_paginator("get_findings").paginate(Filters=filters,
                                                                  PaginationConfig={"PageSize": 100}):
            for f in page.get("Findings", []):
                if (str(f.get("GeneratorId", "")).startswith(GENERATOR_PREFIX) and f.get("AwsAccountId") in wanted
                        and f.get("RecordState", "ACTIVE") == "ACTIVE"):
                    out[f["Id"]] = f
    except ClientError as exc:
        raise _access_error(exc, "securityhub:GetFindings", region) from None
    return out


def _send(client: Any, findings: list[dict[str, Any]], region: str, attempts: int,
          sleep: Callable[[float], None]) -> list[tuple[str, str, str]]:
    """Import `findings` in batches; resend what the API reports as failed. -> what still failed."""
    from botocore.exceptions import ClientError

    failed: list[tuple[str, str, str]] = []
    for batch in batches(findings):
        pending = batch
        for attempt in range(attempts):
            try:
                resp = client.batch_import_findings(Findings=pending)
            except ClientError as exc:
                raise _access_error(exc, "securityhub:BatchImportFindings", region) from None
            errors = {f["Id"]: (f.get("ErrorCode", "?"), f.get("ErrorMessage", "")) for f in resp.get("FailedFindings", [])}
            if not errors:
                break
            pending = [f for f in pending if f["Id"] in errors]
            if attempt == attempts - 1:
                failed.extend((fid, code, msg) for fid, (code, msg) in errors.items())
            else:
                sleep(0.5 * 2 ** attempt)
    return failed


def _first_seen(finding: dict[str, Any], earlier: dict[str, Any] | None) -> bool:
    """Carry the first sighting over from an earlier import of the same Id."""
    if earlier is None:
        finding.setdefault("FirstObservedAt", finding.get("CreatedAt"))
        return False
    first = earlier.get("FirstObservedAt") or earlier.get("CreatedAt")
    if earlier.get("CreatedAt"):
        finding["CreatedAt"] = earlier["CreatedAt"]
    if first:
        finding["FirstObservedAt"] = first
    return True


_ARCHIVE_KEYS = ("SchemaVersion", "Id", "ProductArn", "GeneratorId", "AwsAccountId", "Types", "CreatedAt",
                 "FirstObservedAt", "Severity", "Title", "Description", "Remediation", "ProductFields",
                 "Resources", "Compliance", "FindingProviderFields")


def _archived(earlier: dict[str, Any], now: str) -> dict[str, Any]:
    """An earlier finding, as BatchImportFindings input, marked ARCHIVED (only input members are
    kept: GetFindings adds read-only ones such as ProcessedAt)."""
    gone = {k: copy.deepcopy(earlier[k]) for k in _ARCHIVE_KEYS if k in earlier}
    gone["RecordState"] = "ARCHIVED"
    gone["UpdatedAt"] = now
    gone["Description"] = ("mfaguard no longer reports this resource (deleted, or out of scope): "
                           + str(gone.get("Description", "")))[:1024]
    return gone


def import_findings(findings: list[dict[str, Any]], client_for: Callable[..., Any], *,
                    archive_stale: bool = False, now: str | None = None, attempts: int = 3,
                    sleep: Callable[[float], None] = time.sleep,
                    scope: Iterable[tuple[str, str]] = ()) -> ImportResult:
    """Import ASFF `findings` into Security Hub, per account and region; `client_for(region,
    account)` gives a boto3 ``securityhub`` client acting as that account. Raises AwsAccessError
    (exit 3) on a denied or disabled hub.  `scope`: the (account, region) pairs the run covered
    completely; with `archive_stale` their stale findings are archived even when the run has no
    finding left there (a file alone only tells the pairs it has findings for)."""
    now = now or time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    result = ImportResult()
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    if archive_stale:
        for key in scope:
            groups.setdefault(key, [])
    for finding in findings:
        groups.setdefault((finding["AwsAccountId"], region_of(finding)), []).append(copy.deepcopy(finding))
    for (account, region), items in sorted(groups.items()):
        client = client_for(region, account)
        earlier = existing_findings(client, {account}, region)
        for f in items:
            result.kept_first_seen += _first_seen(f, earlier.get(f["Id"]))
        send = list(items)
        if archive_stale:
            current = {f["Id"] for f in items}
            send.extend(_archived(e, now) for fid, e in sorted(earlier.items()) if fid not in current)
        failed = _send(client, send, region, attempts, sleep)
        failed_ids = {fid for fid, _, _ in failed}
        if archive_stale:
            result.archived += sum(1 for f in send[len(items):] if f["Id"] not in failed_ids)
        done = sum(1 for f in items if f["Id"] not in failed_ids)
        result.imported += done
        result.by_region[region] = result.by_region.get(region, 0) + done
        result.failed.extend(failed)
    return result


# ------------------------------------------------------------------------------ command line
def client_factory(profile: str | None = None, endpoint_url: str | None = None, role_name: str | None = None,
                   external_id: str | None = None) -> Callable[..., Any]:
    """`client_for(region, account)`: the caller's own account with its credentials; another
    account through `role_name` assumed there (regional STS), as `mfaguard drift --org` reads it."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    from mfaguard.drift.cli import _local_emulator

    session = boto3.Session(profile_name=profile)
    if _local_emulator(endpoint_url) and not profile and session.get_credentials() is None:
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing")
    config = Config(retries={"mode": "adaptive", "max_attempts": 8}, connect_timeout=5, read_timeout=30,
                    user_agent_extra="mfaguard")
    clients: dict[tuple[str, str], Any] = {}
    sessions: dict[str, Any] = {}
    caller: list[str] = []  # [account, partition] of these credentials

    def session_for(account: str, region: str) -> Any:
        if not caller:
            try:
                sts = session.client("sts", region_name=region, endpoint_url=endpoint_url, config=config)
                ident = sts.get_caller_identity()
                # the member role lives in the caller's partition (aws, aws-us-gov, aws-cn)
                caller.extend([ident["Account"], (ident.get("Arn") or "arn:aws").split(":")[1] or "aws"])
            except (ClientError, BotoCoreError) as exc:
                raise AwsAccessError("sts:GetCallerIdentity", str(exc), region) from None
        if account == caller[0]:
            return session
        if not role_name:
            raise InputError(None, f"findings of account {account}: Security Hub takes a finding only from its own "
                                   f"account (AwsAccountId); these credentials are account {caller[0]}. Pass "
                                   "--role-name ROLE to import them through a role in that account")
        if account not in sessions:
            arn = f"arn:{caller[1]}:iam::{account}:role/{role_name}"
            params = {"RoleArn": arn, "RoleSessionName": "mfaguard-securityhub"}
            if external_id:
                params["ExternalId"] = external_id
            try:
                sts = session.client("sts", region_name=region, endpoint_url=endpoint_url, config=config)
                creds = sts.assume_role(**params)["Credentials"]
            except ClientError as exc:
                raise _access_error(exc, "sts:AssumeRole", region) from None
            sessions[account] = boto3.Session(aws_access_key_id=creds["AccessKeyId"],
                                              aws_secret_access_key=creds["SecretAccessKey"],
                                              aws_session_token=creds["SessionToken"])
        return sessions[account]

    def client_for(region: str, account: str | None = None) -> Any:
        key = (account or "", region)
        if key not in clients:
            base = session_for(account, region) if account else session
            clients[key] = base.client("securityhub", region_name=region, endpoint_url=endpoint_url, config=config)
        return clients[key]

    return client_for


def import_run(asff_text: str, *, profile: str | None, endpoint_url: str | None, role_name: str | None = None,
               external_id: str | None = None, archive_stale: bool = False, complete: bool = True,
               scope: Iterable[tuple[str, str]] = ()) -> bool:
    """`mfaguard drift ... --securityhub [--archive-stale]`: import the run's ASFF findings, the
    summary and any failure on stderr.  -> True when every finding was imported.

    A run that was not fully read (an access error) is imported but never archives: a finding
    it lacks may only be unread, not fixed."""
    import sys

    findings = json.loads(asff_text)
    if archive_stale and not complete:
        print("mfaguard: Security Hub: --archive-stale skipped: this run was not fully read (see the errors), "
              "so a finding it lacks may only be unread", file=sys.stderr)
        archive_stale = False
    try:
        result = import_findings(findings, client_factory(profile, endpoint_url, role_name, external_id),
                                 archive_stale=archive_stale, scope=scope)
    except AwsAccessError as exc:
        print(f"mfaguard: error: Security Hub import failed: {exc}", file=sys.stderr)
        return False
    print(f"mfaguard: {result.summary()}", file=sys.stderr)
    for fid, code, message in result.failed:
        print(f"mfaguard: error: not imported into Security Hub: {fid}: {code}: {message} "
              "(securityhub:BatchImportFindings)", file=sys.stderr)
    return not result.failed


def add_parser(sub: Any) -> None:
    p = sub.add_parser(
        "securityhub",
        help="import `mfaguard drift --format asff` output into AWS Security Hub",
        description="Import ASFF findings written by `mfaguard drift --format asff` into the Security Hub of "
                    "each finding's region, in batches within BatchImportFindings' limits (100 findings, 6 MB), "
                    "keeping each finding's first sighting. Needs securityhub:BatchImportFindings and "
                    "securityhub:GetFindings in the findings' account.",
    )
    verbs = p.add_subparsers(dest="verb", required=True, parser_class=type(p))
    imp = verbs.add_parser("import", help="import one or more ASFF files")
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.add_argument("--archive-stale", action="store_true",
                     help="archive this account's earlier mfaguard findings that the files no longer contain "
                          "(use only with a file that is a complete run for its accounts)")
    imp.add_argument("--role-name", metavar="NAME",
                     help="for findings of other accounts (an organisation run): the role to assume in each of them "
                          "(it needs securityhub:BatchImportFindings and securityhub:GetFindings)")
    imp.add_argument("--external-id", metavar="ID", help="external ID for --role-name")
    imp.add_argument("--profile", help="AWS shared-config profile")
    imp.add_argument("--endpoint-url", help="custom AWS endpoint (moto, LocalStack)")
    imp.set_defaults(func=_run_import)


def _run_import(args: Any) -> int:
    import sys

    from mfaguard.errors import EXIT_AWS_ACCESS, EXIT_OK

    findings: list[dict[str, Any]] = []
    for path in args.files:
        findings.extend(load(path))
    result = import_findings(findings, client_factory(args.profile, args.endpoint_url, args.role_name,
                                                      args.external_id),
                             archive_stale=args.archive_stale)
    print(result.summary())
    for fid, code, message in result.failed:
        print(f"  not imported: {fid}: {code}: {message}", file=sys.stderr)
    return EXIT_AWS_ACCESS if result.failed else EXIT_OK
