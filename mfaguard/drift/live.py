"""The live reader: one AWS account, read with boto3, into mfaguard.drift.model.AccountState.

    read_live(session, regions, *, endpoint_url=None, recheck_flagged=False) -> AccountState

API calls grow with pages, not with users:

    sts:GetCallerIdentity                   1        account ID and partition (root ARN)
    iam:GenerateCredentialReport            1..n     polled with back-off until COMPLETE
    iam:GetCredentialReport                 1        password / MFA / keys of every user + root row
    iam:GetAccountSummary                   1        live root evidence
    iam:ListVirtualMFADevices               pages    root virtual MFA (IAM.6)
    iam:GetAccountAuthorizationDetails      pages    users, groups, memberships, policies + documents
    cognito-idp:ListUserPools               pages    per region
    cognito-idp:DescribeUserPool            1 per pool
    cognito-idp:GetUserPoolMfaConfig        1 per pool

Per-user calls happen only for users the report cannot speak for: users created after the
report (always), and with `recheck_flagged=True` (the report can be up to 4 hours old) the users
it flags: no MFA, or a password / access key that `expected` (the plan's users) does not have.
Those are re-read for all of their evidence (GetLoginProfile, ListAccessKeys, ListMFADevices).
A user the report says has MFA is re-read (ListMFADevices) only when no virtual device is
assigned to it in ListVirtualMFADevices (read once, for root too): its device was removed since
the report, or it is a hardware/FIDO device that list never shows.

Errors are never swallowed: an AccessDenied (or any other failed call) is recorded in
`AccountState.errors` naming the IAM action, the affected facts stay `None` (unknown, never
"compliant"), and reading goes on so partial results can be printed (the CLI exits 3).
Bad or missing credentials, or an unreachable endpoint, raise AwsAccessError at once.
"""
from __future__ import annotations

import csv
import io
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterator

from mfaguard.drift.model import AccountState, Group, InlinePolicy, ManagedPolicy, Root, User, UserPool
from mfaguard.errors import AwsAccessError
from mfaguard.policy.values import policy_document

REPORT_TIMEOUT_S = 120.0
REPORT_FIRST_DELAY_S = 0.5
REPORT_MAX_DELAY_S = 8.0
ROOT_ROW = "<root_account>"
GAAD_FILTER = ["User", "Group", "LocalManagedPolicy"]
GAAD_PAGE_SIZE = 1000  # MaxItems upper bound of GetAccountAuthorizationDetails
VMFA_PAGE_SIZE = 1000
POOLS_PAGE_SIZE = 60  # ListUserPools MaxResults upper bound
MAX_ATTEMPTS = 8  # throttling and 5xx: adaptive mode (back-off + client-side rate limiter)
# Connection faults are not throttling: an endpoint that refuses, cannot be resolved or never
# answers will not get better by waiting.  One retry, short timeouts: a bad --endpoint-url, a
# closed port or a wrong region fails in seconds, a silent endpoint within
# CONNECTION_ATTEMPTS * (CONNECT_TIMEOUT_S + READ_TIMEOUT_S).
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
CONNECTION_ATTEMPTS = 2

_DENIED = {
    "AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "AuthorizationError",
    "NotAuthorizedException",
}
_BAD_CREDENTIALS = {
    "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken",
    "ExpiredTokenException", "InvalidAccessKeyId", "InvalidToken", "RequestExpired",
}
_SERVICE_PREFIX = {"iam": "iam", "sts": "sts", "cognito-idp": "cognito-idp"}

_REPORT_NOT_READY = ("ReportInProgress", "ReportNotPresent", "ReportExpired")

ClientFactory = Callable[[str, str], Any]


class AwsConnectionError(AwsAccessError):
    """No usable credentials or endpoint: nothing can be read (exit 3)."""

    def __init__(self, detail: str) -> None:
        self.permission = None
        self.detail = detail
        self.region = None
        Exception.__init__(self, f"AWS access failure: {detail}")


def client_config():
    from botocore.config import Config

    return Config(
        retries={"mode": "adaptive", "max_attempts": MAX_ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
        user_agent_extra="mfaguard-drift",
    )


def aws_errors() -> tuple[type, ...]:
    """What a boto3 call raises when AWS (or the endpoint) fails it.  ResponseParserError (an answer
    that is not AWS's, e.g. an HTML 500 page) is not a BotoCoreError."""
    from botocore.exceptions import BotoCoreError, ClientError
    from botocore.parsers import ResponseParserError

    return (ClientError, BotoCoreError, ResponseParserError)


def _connection_errors() -> tuple[type, ...]:
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError

    return (BotoConnectionError, HTTPClientError)  # refused, DNS, connect/read timeouts, reset


def cap_connection_retries(client) -> Any:
    """Give up on a connection fault after CONNECTION_ATTEMPTS, leaving throttling to adaptive mode.

    Registered first on the client's `needs-retry` event: botocore's own handler (adaptive mode,
    MAX_ATTEMPTS) still decides every other retry."""
    errors = _connection_errors()

    def give_up(attempts=1, caught_exception=None, **_):
        if isinstance(caught_exception, errors) and attempts >= CONNECTION_ATTEMPTS:
            raise caught_exception
        return None

    client.meta.events.register_first("needs-retry", give_up)
    return client


def make_client(session, service: str, region: str, endpoint_url: str | None, config=None):
    """One boto3 client as mfaguard uses it: adaptive retries, bounded connection faults."""
    client = session.client(service, region_name=region, endpoint_url=endpoint_url,
                            config=config or client_config())
    return cap_connection_retries(client)


def default_client_factory(session, endpoint_url: str | None) -> ClientFactory:
    config = client_config()
    cache: dict[tuple[str, str], Any] = {}

    def make(service: str, region: str):
        key = (service, region)
        if key not in cache:
            cache[key] = make_client(session, service, region, endpoint_url, config)
        return cache[key]

    return make


def describe_connection_error(exc: Exception) -> str:
    """One clear line for a connection fault (never a traceback or an HTML page)."""
    from botocore.exceptions import ConnectTimeoutError, EndpointConnectionError, ReadTimeoutError

    url = getattr(exc, "kwargs", {}).get("endpoint_url") or ""
    where = f" {url}" if url else ""
    if isinstance(exc, ReadTimeoutError):
        return (f"the AWS endpoint{where} accepted the connection but did not answer within "
                f"{READ_TIMEOUT_S:g} s ({CONNECTION_ATTEMPTS} attempts)")
    if isinstance(exc, ConnectTimeoutError):
        return f"could not connect to the AWS endpoint{where} within {CONNECT_TIMEOUT_S:g} s"
    if isinstance(exc, EndpointConnectionError):
        return (f"cannot reach the AWS endpoint{where} (connection refused or host not found; check "
                "--endpoint-url and --region)")
    return f"the connection to the AWS endpoint{where} failed: {_first_line(str(exc))}"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text and text.strip() else ""


def clean_message(message: Any, status: Any) -> str:
    """An AWS error message in one line; an HTML page (a proxy, a wrong endpoint) is never echoed."""
    text = str(message or "").strip()
    if text.startswith("<") and ("<html" in text.lower() or "<!doctype" in text.lower() or "<body" in text.lower()):
        return f"HTTP {status or '?'} with an HTML page instead of an AWS answer (is the endpoint an AWS API?)"
    return _first_line(text)[:300]


def read_live(
    session,
    regions: list[str],
    *,
    endpoint_url: str | None = None,
    recheck_flagged: bool = False,
    expected: dict[str, tuple[bool, bool]] | None = None,
    client_factory: ClientFactory | None = None,
    poll_sleep: Callable[[float], None] = time.sleep,
    report_timeout: float = REPORT_TIMEOUT_S,
) -> AccountState:
    """Read the account behind `session` (IAM once, Cognito in each of `regions`).

    `expected`: with `recheck_flagged`, the plan's users as {name: (console, access keys)}; a
    user the report shows with a password or key the plan does not have is re-read too."""
    regions = list(dict.fromkeys(r for r in regions if r))
    if not regions and getattr(session, "region_name", None):
        regions = [session.region_name]
    if not regions:
        raise AwsConnectionError("no region: pass --region or configure a default region for the session")
    factory = client_factory or default_client_factory(session, endpoint_url)
    reader = _Reader(factory, regions, poll_sleep=poll_sleep, report_timeout=report_timeout)
    return reader.read(recheck_flagged=recheck_flagged, expected=expected)


# ----------------------------------------------------------------------------- helpers


def _flag(value: Any) -> bool | None:
    """Credential report / summary value -> bool; 'N/A', 'not_supported', missing -> None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        v = value.strip().lower()
        if v in ("true", "1"):
            return True
        if v in ("false", "0"):
            return False
    return None


def _any_true(*values: bool | None) -> bool | None:
    """True if any source says True; False if some say False and none True; None if none know."""
    if any(v is True for v in values):
        return True
    if any(v is False for v in values):
        return False
    return None


def _document(raw: Any) -> Any:
    """Policy documents arrive decoded by botocore; URL-encoded/JSON strings go through the one
    policy decoder (mfaguard.policy.values.policy_document): a dict, Unresolved, or None."""
    return policy_document(raw)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return str(value)


def parse_credential_report(content: bytes | str) -> tuple[dict[str, dict[str, str]], dict[str, str] | None]:
    """(rows by user name, root row or None). Pure; raises ValueError on a report without a header."""
    if isinstance(content, (bytes, bytearray)):
        content = content.decode("utf-8")
    reader = csv.DictReader(io.StringIO(content))
    if not reader.fieldnames or "user" not in reader.fieldnames:
        raise ValueError("credential report has no 'user' column")
    rows: dict[str, dict[str, str]] = {}
    root: dict[str, str] | None = None
    for row in reader:
        name = row.get("user")
        if name == ROOT_ROW:
            root = row
        elif name:
            rows[name] = row
    return rows, root


def user_credentials(row: dict[str, str]) -> tuple[bool | None, bool | None, bool | None]:
    """(console, access_keys, mfa_active) from one credential report row."""
    console = _flag(row.get("password_enabled"))
    keys = _any_true(_flag(row.get("access_key_1_active")), _flag(row.get("access_key_2_active")))
    return console, keys, _flag(row.get("mfa_active"))


def root_from_evidence(
    *,
    root_arn: str | None,
    summary: dict[str, Any] | None,
    root_row: dict[str, str] | None,
    virtual_devices: list[dict[str, Any]] | None,
) -> Root:
    """Pure: the root user's MFA and credential evidence.

    - mfa_active: the account summary's AccountMFAEnabled (live), else the report's root row.
    - mfa_virtual: a virtual device whose User.Arn is exactly `root_arn` (never a substring
      match on "root"); None when the device list could not be read.
    - credentials: the summary's Account*Present flags and the root row; a missing flag stays
      None, so Root.has_credentials fails closed.  (The report's root password_enabled is
      documented as "not_supported", hence None there.)
    """
    summary = summary or {}
    row = root_row or {}
    mfa = _flag(summary.get("AccountMFAEnabled"))
    if mfa is None:
        mfa = _flag(row.get("mfa_active"))
    virtual: bool | None = None
    serials: list[str] = []
    if virtual_devices is not None and root_arn:
        # by the device's user ARN, never by its serial's name ("root-account-mfa-device" can be anyone's)
        serials = [str(d.get("SerialNumber") or "?") for d in virtual_devices
                   if (d.get("User") or {}).get("Arn") == root_arn]
        virtual = bool(serials)
        if virtual:
            mfa = True if mfa is None else mfa
    password = _any_true(_flag(summary.get("AccountPasswordPresent")), _flag(row.get("password_enabled")))
    keys = _any_true(
        _flag(summary.get("AccountAccessKeysPresent")),
        _flag(row.get("access_key_1_active")),
        _flag(row.get("access_key_2_active")),
    )
    certs = _any_true(
        _flag(summary.get("AccountSigningCertificatesPresent")),
        _flag(row.get("cert_1_active")),
        _flag(row.get("cert_2_active")),
    )
    return Root(
        arn=root_arn,
        mfa_active=mfa,
        mfa_virtual=virtual,
        virtual_mfa_serials=serials,
        password_present=password,
        access_keys_present=keys,
        signing_certificates_present=certs,
    )


def _policy_name(arn: str) -> str:
    return arn.rsplit("/", 1)[-1]


# ----------------------------------------------------------------------------- reader


class _ReadFailed(Exception):
    """Internal: a call failed and was recorded; the caller leaves its facts unknown."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(code)
        self.code = code
        self.message = message


class _Reader:
    def __init__(self, factory: ClientFactory, regions: list[str], *, poll_sleep, report_timeout: float):
        self.factory = factory
        self.regions = regions
        self.home = regions[0]  # IAM and STS are global; any region of the partition will do
        self.poll_sleep = poll_sleep
        self.report_timeout = report_timeout
        self.state = AccountState(regions=list(regions))
        self._created: dict[str, Any] = {}
        self._virtual: list[dict] | None = None  # ListVirtualMFADevices (Assigned), read once
        self._virtual_read = False
        self.details_ok = False
        self.disconnected: str | None = None  # set when the connection was lost mid-run

    # -- calls -----------------------------------------------------------------------

    def _record(self, permission: str, code: str, message: str, region: str | None) -> None:
        if code in _DENIED:
            text = str(AwsAccessError(permission, f"{code}: {message}", region))
        else:
            where = f" in {region}" if region else ""
            text = f"AWS call failed{where}: {permission}: {code}: {message}"
        if text not in self.state.errors:
            self.state.errors.append(text)

    def _lost(self, detail: str, permission: str) -> _ReadFailed:
        """The connection failed after the account was identified: keep what was read."""
        if self.disconnected is None:
            self.disconnected = detail
            self.state.errors.append(
                f"AWS connection lost at {permission}: {detail}; the findings below come from what was read "
                "before it (partial), the parts listed as not read were not compared")
        return _ReadFailed("ConnectionLost", detail)

    def _handle(self, exc: Exception, permission: str, region: str | None, quiet=()) -> _ReadFailed:
        from botocore.exceptions import ClientError, NoCredentialsError, NoRegionError, PartialCredentialsError

        if isinstance(exc, ClientError):
            err = exc.response.get("Error", {})
            meta = exc.response.get("ResponseMetadata", {})
            status = meta.get("HTTPStatusCode")
            code = str(err.get("Code") or (f"HTTP{status}" if status else "Unknown"))
            message = clean_message(err.get("Message"), status)
            if "html" in str((meta.get("HTTPHeaders") or {}).get("content-type", "")).lower():
                message = clean_message("<html>", status)
            if status == 403 and code not in _DENIED and code not in _BAD_CREDENTIALS:
                # an unparsed 403 body (seen from moto's JSON services): still a denial
                code, message = "AccessDenied", f"HTTP 403 from {permission}"
            if code in _BAD_CREDENTIALS:
                raise AwsConnectionError(f"the AWS credentials were rejected ({code}: {message})") from None
            if code in quiet:  # an expected answer (e.g. NoSuchEntity), not a failure
                return _ReadFailed(code, message)
            self._record(permission, code, message, region)
            return _ReadFailed(code, message)
        if isinstance(exc, (NoCredentialsError, PartialCredentialsError)):
            raise AwsConnectionError(
                "no AWS credentials found (standard boto3 chain; use --profile or AWS_* variables)"
            ) from None
        if isinstance(exc, NoRegionError):
            raise AwsConnectionError("no region: pass --region") from None
        if isinstance(exc, _connection_errors()):
            detail = describe_connection_error(exc)
            if self.state.account_id is None:  # nothing read yet: nothing to keep
                raise AwsConnectionError(detail) from None
            return self._lost(detail, permission)
        message = _first_line(str(exc))
        if type(exc).__name__ == "ResponseParserError":
            message = "the endpoint's answer is not an AWS response (an HTML error page?)"
        self._record(permission, type(exc).__name__, message, region)
        return _ReadFailed(type(exc).__name__, message)

    def _permission(self, service: str, client, operation: str) -> str:
        return f"{_SERVICE_PREFIX[service]}:{client.meta.method_to_api_mapping.get(operation, operation)}"

    def call(self, service: str, operation: str, region: str | None = None, *, quiet=(), **params) -> dict:
        if self.disconnected:
            raise _ReadFailed("ConnectionLost", self.disconnected)
        region = region or self.home
        client = self.factory(service, region)
        permission = self._permission(service, client, operation)
        try:
            return getattr(client, operation)(**params)
        except aws_errors() as exc:
            raise self._handle(exc, permission, region if service == "cognito-idp" else None, quiet) from None

    def pages(self, service: str, operation: str, region: str | None = None, **params) -> Iterator[dict]:
        if self.disconnected:
            raise _ReadFailed("ConnectionLost", self.disconnected)
        region = region or self.home
        client = self.factory(service, region)
        permission = self._permission(service, client, operation)
        try:
            yield from client.get_paginator(operation).paginate(**params)
        except aws_errors() as exc:
            raise self._handle(exc, permission, region if service == "cognito-idp" else None) from None

    # -- stages ----------------------------------------------------------------------

    def read(self, *, recheck_flagged: bool, expected: dict[str, tuple[bool, bool]] | None = None) -> AccountState:
        self.identity()
        report_rows, root_row = self.credential_report()
        self.authorization_details()
        self.apply_report(report_rows, recheck_flagged=recheck_flagged, expected=expected)
        self.root(root_row)
        for region in self.regions:
            self.pools(region)
        return self.state

    def identity(self) -> None:
        try:
            ident = self.call("sts", "get_caller_identity")
        except _ReadFailed as failed:
            raise AwsConnectionError(
                f"sts:GetCallerIdentity failed ({failed.code}{': ' + failed.message if failed.message else ''}): "
                "cannot identify the account") from None
        self.state.account_id = ident.get("Account")
        arn = ident.get("Arn") or ""
        parts = arn.split(":")
        if len(parts) > 1 and parts[1]:
            self.state.partition = parts[1]

    @property
    def root_arn(self) -> str | None:
        if not self.state.account_id:
            return None
        return f"arn:{self.state.partition}:iam::{self.state.account_id}:root"

    def credential_report(self) -> tuple[dict[str, dict[str, str]] | None, dict[str, str] | None]:
        """Generate (poll with back-off), download, parse. On failure: recorded, (None, None)."""
        waited, delay = 0.0, REPORT_FIRST_DELAY_S
        try:
            while True:
                state = self.call("iam", "generate_credential_report").get("State")
                if state == "COMPLETE":
                    try:
                        got = self.call("iam", "get_credential_report", quiet=_REPORT_NOT_READY)
                        break
                    except _ReadFailed as failed:
                        if failed.code not in _REPORT_NOT_READY:
                            raise
                        # still being (re)generated: poll again
                if waited + delay > self.report_timeout:
                    self._record(
                        "iam:GenerateCredentialReport", "Timeout",
                        f"the credential report was not ready after {self.report_timeout:.0f}s; retry later",
                        None,
                    )
                    self.state.unread.append("credential-report")
                    return None, None
                self.poll_sleep(delay)
                waited += delay
                delay = min(delay * 2, REPORT_MAX_DELAY_S)
        except _ReadFailed:
            self.state.unread.append("credential-report")
            return None, None
        self.state.credential_report_generated = _iso(got.get("GeneratedTime"))
        try:
            return parse_credential_report(got.get("Content") or b"")
        except (ValueError, UnicodeDecodeError, csv.Error) as exc:
            self._record("iam:GetCredentialReport", "MalformedReport", str(exc), None)
            self.state.unread.append("credential-report")
            return None, None

    def authorization_details(self) -> None:
        st = self.state
        try:
            for page in self.pages(
                "iam", "get_account_authorization_details",
                Filter=GAAD_FILTER, PaginationConfig={"PageSize": GAAD_PAGE_SIZE},
            ):
                for u in page.get("UserDetailList", []):
                    st.users[u["UserName"]] = User(
                        name=u["UserName"],
                        arn=u.get("Arn"),
                        id=u.get("UserId"),
                        groups=list(u.get("GroupList", [])),
                        attached_policy_arns=[p["PolicyArn"] for p in u.get("AttachedManagedPolicies", [])],
                        inline_policies=[
                            InlinePolicy(p["PolicyName"], _document(p.get("PolicyDocument")))
                            for p in u.get("UserPolicyList", [])
                        ],
                        permissions_boundary=(u.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn"),
                    )
                    self._created[u["UserName"]] = u.get("CreateDate")
                for g in page.get("GroupDetailList", []):
                    st.groups[g["GroupName"]] = Group(
                        name=g["GroupName"],
                        arn=g.get("Arn"),
                        id=g.get("GroupId"),
                        attached_policy_arns=[p["PolicyArn"] for p in g.get("AttachedManagedPolicies", [])],
                        inline_policies=[
                            InlinePolicy(p["PolicyName"], _document(p.get("PolicyDocument")))
                            for p in g.get("GroupPolicyList", [])
                        ],
                    )
                for p in page.get("Policies", []):
                    default = p.get("DefaultVersionId")
                    doc = None
                    for version in p.get("PolicyVersionList", []):
                        if version.get("IsDefaultVersion") or version.get("VersionId") == default:
                            doc = _document(version.get("Document"))
                            break
                    st.policies[p["Arn"]] = ManagedPolicy(
                        name=p.get("PolicyName") or _policy_name(p["Arn"]), arn=p["Arn"], document=doc
                    )
        except _ReadFailed:
            self.details_ok = False
            self.state.unread.append("iam-details")
            return
        self.details_ok = True
        # AWS-managed policies attached to users/groups are not fetched: their documents are not
        # in the details (Filter LocalManagedPolicy), fetching them would cost 2 calls per policy,
        # and none denies on aws:MultiFactorAuthPresent (compare.py treats them as not enforcing).

    def apply_report(self, rows: dict[str, dict[str, str]] | None, *, recheck_flagged: bool,
                     expected: dict[str, tuple[bool, bool]] | None = None) -> None:
        if rows is None:
            return  # report unreadable: credentials stay unknown (errors name why)
        if not self.details_ok:
            # Partial result: users known from the report only (groups and policies unread).
            for name, row in rows.items():
                self.state.users[name] = User(name=name, arn=row.get("arn") or None)
        for name, user in self.state.users.items():
            row = rows.get(name)
            if row is not None and user.arn and row.get("arn") and row["arn"] != user.arn:
                row = None
            if row is not None and not self._same_user(row, self._created.get(name)):
                row = None  # deleted and re-created since the report
            if row is None:
                self.live_credentials(user)
                continue
            user.console, user.access_keys, user.mfa_active = user_credentials(row)
            if recheck_flagged:
                self.recheck(user, (expected or {}).get(name))

    def recheck(self, user: User, planned: tuple[bool, bool] | None) -> None:
        """--recheck-flagged: re-read what the (up to 4 hours old) report may have wrong."""
        unexpected = planned is not None and (
            (user.console is True and not planned[0]) or (user.access_keys is True and not planned[1]))
        if user.mfa_active is not True or unexpected:
            self.live_credentials(user)  # flagged: all of its evidence
            return
        devices = self.virtual_devices()
        if devices is None or any(self._assigned_to(d, user) for d in devices):
            return  # a virtual device is still assigned (or the list is unreadable: error recorded)
        self.live_mfa(user)  # removed since the report, or a hardware/FIDO device: ask
        if user.mfa_active is False:  # now flagged: its password and keys may be stale too
            self.live_credentials(user, mfa=False)

    @staticmethod
    def _assigned_to(device: dict, user: User) -> bool:
        owner = device.get("User") or {}
        if user.arn and owner.get("Arn"):
            return owner["Arn"] == user.arn
        return bool(owner.get("UserName")) and owner.get("UserName") == user.name

    def virtual_devices(self) -> list[dict] | None:
        """The account's assigned virtual MFA devices, read once (root's IAM.6 and the re-checks);
        None when they could not be read (the error is recorded)."""
        if self._virtual_read:
            return self._virtual
        self._virtual_read = True
        devices: list[dict] | None = []
        try:
            for page in self.pages(
                "iam", "list_virtual_mfa_devices",
                AssignmentStatus="Assigned", PaginationConfig={"PageSize": VMFA_PAGE_SIZE},
            ):
                devices += page.get("VirtualMFADevices", [])
        except _ReadFailed:
            devices = None
        self._virtual = devices
        return devices

    @staticmethod
    def _same_user(row: dict[str, str], created: Any) -> bool:
        if not isinstance(created, datetime) or not row.get("user_creation_time"):
            return True
        try:
            reported = datetime.fromisoformat(row["user_creation_time"].replace("Z", "+00:00"))
        except ValueError:
            return True
        if created.tzinfo is None:
            created = created.replace(tzinfo=timezone.utc)
        if reported.tzinfo is None:
            reported = reported.replace(tzinfo=timezone.utc)
        return abs((created - reported).total_seconds()) < 2

    def live_mfa(self, user: User) -> None:
        try:
            devices = []
            for page in self.pages("iam", "list_mfa_devices", UserName=user.name):
                devices += page.get("MFADevices", [])
        except _ReadFailed:
            return  # recorded; the report's value (None for a user it does not know) stands
        user.mfa_active = bool(devices)
        if user.name not in self.state.live_checked_users:
            self.state.live_checked_users.append(user.name)

    def live_credentials(self, user: User, *, mfa: bool = True) -> None:
        """A user the report does not know (created after it), or one it flags (--recheck-flagged):
        read its credentials one by one.  A failed call leaves that fact as it was (recorded)."""
        try:
            self.call("iam", "get_login_profile", UserName=user.name, quiet=("NoSuchEntity",))
            user.console = True
        except _ReadFailed as failed:
            if failed.code == "NoSuchEntity":
                user.console = False
        try:
            keys = []
            for page in self.pages("iam", "list_access_keys", UserName=user.name):
                keys += page.get("AccessKeyMetadata", [])
            user.access_keys = any(k.get("Status") == "Active" for k in keys)
        except _ReadFailed:
            pass
        if mfa:
            self.live_mfa(user)

    def root(self, root_row: dict[str, str] | None) -> None:
        summary = None
        try:
            summary = self.call("iam", "get_account_summary").get("SummaryMap", {})
        except _ReadFailed:
            self.state.unread.append("root")
        devices = self.virtual_devices()
        if devices is None and "root" not in self.state.unread:
            self.state.unread.append("root")
        self.state.root = root_from_evidence(
            root_arn=self.root_arn, summary=summary, root_row=root_row, virtual_devices=devices
        )

    def pools(self, region: str) -> None:
        try:
            listed = []
            for page in self.pages(
                "cognito-idp", "list_user_pools", region, PaginationConfig={"PageSize": POOLS_PAGE_SIZE}
            ):
                listed += page.get("UserPools", [])
        except _ReadFailed:
            self.state.unread.append(f"cognito:{region}")
            return
        for item in listed:
            pool = UserPool(name=item.get("Name") or item["Id"], region=region, id=item["Id"])
            if self.state.account_id:
                pool.arn = (
                    f"arn:{self.state.partition}:cognito-idp:{region}:{self.state.account_id}:userpool/{pool.id}"
                )
            try:
                desc = self.call("cognito-idp", "describe_user_pool", region, UserPoolId=pool.id)["UserPool"]
                pool.arn = desc.get("Arn") or pool.arn
                pool.mfa_configuration = desc.get("MfaConfiguration")
                add_ons = desc.get("UserPoolAddOns") or {}
                pool.advanced_security_mode = add_ons.get("AdvancedSecurityMode") or "OFF"
                flows = add_ons.get("AdvancedSecurityAdditionalFlows") or {}
                pool.custom_auth_mode = flows.get("CustomAuthMode") or "AUDIT"  # AWS default (Cognito.4)
                pool.tier = desc.get("UserPoolTier")  # None when not reported: threat protection undecided
                # Cognito.5's scope: pools whose first factor is PASSWORD only (no SignInPolicy = PASSWORD).
                sign_in = (desc.get("Policies") or {}).get("SignInPolicy") or {}
                factors = sign_in.get("AllowedFirstAuthFactors")
                pool.allowed_first_auth_factors = list(factors) if factors else ["PASSWORD"]
            except _ReadFailed:
                self._unread_pools(region)
            try:
                mfa = self.call("cognito-idp", "get_user_pool_mfa_config", region, UserPoolId=pool.id)
                pool.mfa_configuration = mfa.get("MfaConfiguration") or pool.mfa_configuration
                pool.software_token_enabled = bool((mfa.get("SoftwareTokenMfaConfiguration") or {}).get("Enabled"))
                pool.sms_enabled = bool(mfa.get("SmsMfaConfiguration"))
                pool.email_enabled = bool(mfa.get("EmailMfaConfiguration"))
            except _ReadFailed:
                self._unread_pools(region)
            self.state.pools.append(pool)

    def _unread_pools(self, region: str) -> None:
        if f"cognito:{region}" not in self.state.unread:
            self.state.unread.append(f"cognito:{region}")
