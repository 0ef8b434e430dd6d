"""`mfaguard drift --org`: every account of an AWS Organization, read concurrently.

    run_org(session, OrgOptions(...)) -> OrgResult

Run with credentials of the management account or of a delegated administrator:

    organizations:DescribeOrganization      1            organisation id, management account id
    organizations:ListAccounts              pages of 20  Id, Name, State (never the retiring Status)
    iam:ListOrganizationsFeatures           1            RootCredentialsManagement / RootSessions
    sts:AssumeRole                          1 / account  role NAME in each member account (regional
                                                         STS endpoint, session name "mfaguard-drift")
    organizations:ListParents               per account and OU, cached: the OU chain to the root
    organizations:ListPoliciesForTarget     per account, OU and root, cached: attached SCPs
    organizations:DescribePolicy            once per SCP: its document
    + the single-account reader (mfaguard.drift.live.read_live) in each account

Each account is read in its own worker of a bounded pool (`max_workers`), with its own clients
(botocore adaptive retries per client).  An account with a plan/state gets the full comparison
(mode "drift"); one without gets the compliance findings (mode "compliance": noncompliant, and
every identity as unmanaged).  One account that cannot be assumed or read never stops the others:
its status says why (`failed`), or which permission was missing (`partial`).

SCPs (judged by mfaguard.policy.semantics through compare.py, like every other document) reach
the IAM users of member accounts only: SCPs do not apply to the management account, so it never
gets any.  Root credentials managed centrally apply to member accounts only, too.
"""
from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable

from mfaguard.drift.live import aws_errors
from mfaguard.drift.model import AccountState, Finding, ScpAttachment
from mfaguard.drift.permissions import ORG_ACTIONS
from mfaguard.drift.recheck import expected_credentials, mark_rechecked
from mfaguard.errors import AwsAccessError
from mfaguard.policy.values import policy_document

MANAGEMENT_ACTIONS = ORG_ACTIONS  # what the caller needs besides the reader's actions

ROLE_SESSION_NAME = "mfaguard-drift"
SCP_TYPE = "SERVICE_CONTROL_POLICY"
DEFAULT_MAX_WORKERS = 8
ORG_PAGE_SIZE = 20  # the MaxResults upper bound of ListAccounts, ListAccountsForParent, ListTargetsForPolicy
# Organizations' ListAccounts returned Status until 2025; State replaces it (Status is retired
# in September 2026).  Only when an answer has no State is Status mapped.
_STATUS_TO_STATE = {"ACTIVE": "ACTIVE", "SUSPENDED": "SUSPENDED", "PENDING_CLOSURE": "PENDING_CLOSURE"}
# iam:ListOrganizationsFeatures answers: the feature is off (IAM's trusted access not enabled, no
# organisation), or these credentials cannot tell (not the management account nor IAM's delegated
# administrator): neither is a failed read, and neither makes a member root "centrally managed".
_FEATURES_OFF = ("ServiceAccessNotEnabledException", "OrganizationNotFoundException")
_FEATURES_NOT_HERE = ("AccountNotManagementOrDelegatedAdministratorException",)


@dataclass
class OrgOptions:
    role_name: str
    regions: list[str]
    external_id: str | None = None
    max_workers: int = DEFAULT_MAX_WORKERS
    accounts: list[str] | None = None  # only these (--accounts / --accounts-from)
    desired: dict[str, AccountState] = field(default_factory=dict)  # account id -> plan/state
    plans: dict[str, str] = field(default_factory=dict)  # account id -> file name
    endpoint_url: str | None = None
    recheck_flagged: bool = False
    progress: Callable[[str], None] | None = None
    # Called with (account id, service, client) for every client the run creates ("caller" for the
    # organisation-level clients of the caller's credentials): benchmarks
    # count API calls with it; tests answer the calls moto cannot (demo/seed_org.py: root_hook).
    on_client: Callable[[str, str, Any], None] | None = None


@dataclass
class AccountResult:
    account_id: str
    name: str | None = None
    state: str | None = None  # Organizations' State: ACTIVE, SUSPENDED, PENDING_CLOSURE, ...
    status: str = "failed"  # read | partial | failed | skipped
    detail: str = ""  # partial: the missing permissions; failed/skipped: why
    mode: str = "compliance"  # drift (a plan/state was given) | compliance (none)
    plan: str | None = None
    findings: list[Finding] = field(default_factory=list)
    evaluated: list[Finding] = field(default_factory=list)  # passed evaluations (ASFF carries them)
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    credential_report_generated: str | None = None
    scps: list[str] = field(default_factory=list)  # "name (where)" of the SCPs that reach it
    seconds: float = 0.0

    @property
    def fully_read(self) -> bool:
        return self.status in ("read", "skipped")

    def to_dict(self) -> dict[str, Any]:
        return {"account_id": self.account_id, "name": self.name, "state": self.state, "status": self.status,
                "detail": self.detail, "mode": self.mode, "plan": self.plan, "findings": len(self.findings),
                "credential_report_generated": self.credential_report_generated, "scps": list(self.scps),
                "errors": list(self.errors)}


@dataclass
class OrgResult:
    organization_id: str | None = None
    management_account_id: str | None = None
    caller_account_id: str | None = None
    partition: str = "aws"
    features: list[str] | None = None  # iam:ListOrganizationsFeatures; None = not read
    accounts: list[AccountResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # organisation-level
    notes: list[str] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for a in self.accounts for f in a.findings]

    @property
    def evaluated(self) -> list[Finding]:
        return [f for a in self.accounts for f in a.evaluated]

    @property
    def complete(self) -> bool:
        return not self.errors and all(a.fully_read for a in self.accounts)


def _error_code(exc: Exception) -> tuple[str, str]:
    from botocore.exceptions import ClientError

    from mfaguard.drift.live import _connection_errors, clean_message, describe_connection_error

    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        return str(err.get("Code") or f"HTTP{status}"), clean_message(err.get("Message"), status)
    if isinstance(exc, _connection_errors()):
        return "ConnectionError", describe_connection_error(exc)
    if type(exc).__name__ == "ResponseParserError":
        return "ResponseParserError", "the endpoint's answer is not an AWS response (an HTML error page?)"
    return type(exc).__name__, str(exc).strip().splitlines()[0] if str(exc).strip() else ""


def _denied(code: str) -> bool:
    return code in ("AccessDenied", "AccessDeniedException", "UnauthorizedOperation") or code.endswith("403")


def _describe(action: str, exc: Exception) -> str:
    code, message = _error_code(exc)
    if _denied(code):
        return str(AwsAccessError(action, f"{code}: {message}"))
    return f"AWS call failed: {action}: {code}: {message}"


class _Scps:
    """SCPs reaching an account: on it, on each OU above it, on the root (cached, thread-safe).

    Two ways to learn the tree and the attachments, same answers:
    - `walk()` (a run over the whole organisation): the tree top-down (ListRoots,
      ListOrganizationalUnitsForParent, ListAccountsForParent: pages of 20) and each SCP's targets
      (ListPolicies, ListTargetsForPolicy): calls grow with OUs, SCPs and accounts / 20;
    - per account, lazily (a slice of --accounts): ListParents up the chain and
      ListPoliciesForTarget per account and OU: about 2 calls per account.
    """

    def __init__(self, org) -> None:
        self.org = org
        self.lock = threading.Lock()
        self.key_locks: dict[tuple[int, str], threading.Lock] = {}
        self.parents: dict[str, tuple[str, str]] = {}  # child id -> (parent id, type)
        self.attached: dict[str, list[dict]] = {}  # target id -> policy summaries
        self.documents: dict[str, dict | None] = {}
        self.ou_names: dict[str, str] = {}

    def _cached(self, cache: dict, key: str, fetch: Callable[[], Any]) -> Any:
        """Each (cache, key) fetched once: a worker that needs what another is fetching waits for it."""
        with self.lock:
            if key in cache:
                return cache[key]
            key_lock = self.key_locks.setdefault((id(cache), key), threading.Lock())
        with key_lock:
            with self.lock:
                if key in cache:
                    return cache[key]
            value = fetch()
            with self.lock:
                cache[key] = value
        return value

    def _pages(self, operation: str, key: str, **params) -> list[dict]:
        out: list[dict] = []
        for page in self.org.get_paginator(operation).paginate(PaginationConfig={"PageSize": ORG_PAGE_SIZE},
                                                                  **params):
            out += page.get(key, [])
        return out

    def walk(self) -> None:
        """Fill every cache for the whole organisation (raises botocore errors: the caller falls back)."""
        parents: dict[str, tuple[str, str]] = {}
        names: dict[str, str] = {}
        roots = [r["Id"] for r in self._pages("list_roots", "Roots")]
        queue = [(r, "ROOT") for r in roots]
        while queue:
            pid, ptype = queue.pop()
            for ou in self._pages("list_organizational_units_for_parent", "OrganizationalUnits", ParentId=pid):
                parents[ou["Id"]], names[ou["Id"]] = (pid, ptype), ou.get("Name") or ou["Id"]
                queue.append((ou["Id"], "ORGANIZATIONAL_UNIT"))
            for account in self._pages("list_accounts_for_parent", "Accounts", ParentId=pid):
                parents[account["Id"]] = (pid, ptype)
        attached: dict[str, list[dict]] = {t: [] for t in [*roots, *parents]}
        try:
            policies = self._pages("list_policies", "Policies", Filter=SCP_TYPE)
        except aws_errors() as exc:
            if _error_code(exc)[0] != "PolicyTypeNotEnabledException":
                raise
            policies = []
        for policy in policies:
            for target in self._pages("list_targets_for_policy", "Targets", PolicyId=policy["Id"]):
                attached.setdefault(target["TargetId"], []).append({"Id": policy["Id"], "Name": policy.get("Name")})
        with self.lock:
            self.parents.update(parents)
            self.ou_names.update(names)
            self.attached.update(attached)

    def _parent(self, child: str) -> tuple[str, str] | None:
        def fetch():
            for page in self.org.get_paginator("list_parents").paginate(ChildId=child):
                for p in page.get("Parents", []):
                    return p["Id"], p["Type"]
            return None
        return self._cached(self.parents, child, fetch)

    def _policies(self, target: str) -> list[dict]:
        from botocore.exceptions import ClientError

        def fetch():
            out = []
            try:
                for page in self.org.get_paginator("list_policies_for_target").paginate(
                        TargetId=target, Filter=SCP_TYPE):
                    out += page.get("Policies", [])
            except ClientError as exc:
                if _error_code(exc)[0] != "PolicyTypeNotEnabledException":
                    raise
            return out
        return self._cached(self.attached, target, fetch)

    def _document(self, policy_id: str) -> dict | None:
        def fetch():
            content = self.org.describe_policy(PolicyId=policy_id)["Policy"].get("Content")
            doc = policy_document(content)  # the engine's one decoder of policy JSON
            return doc if isinstance(doc, dict) else None
        return self._cached(self.documents, policy_id, fetch)

    def _ou_name(self, ou_id: str) -> str:
        def fetch():
            return self.org.describe_organizational_unit(OrganizationalUnitId=ou_id)[
                "OrganizationalUnit"].get("Name") or ou_id
        try:
            return self._cached(self.ou_names, ou_id, fetch)
        except aws_errors():  # a name is cosmetic; the id still says where
            return ou_id

    def for_account(self, account_id: str) -> list[ScpAttachment]:
        """Raises botocore errors (the caller records the missing permission)."""
        targets = [(account_id, f"account {account_id}")]
        child = account_id
        for _ in range(10):  # OUs nest at most 5 deep under the root
            parent = self._parent(child)
            if parent is None:
                break
            pid, ptype = parent
            if ptype == "ROOT":
                targets.append((pid, f"the organisation root ({pid})"))
                break
            targets.append((pid, f"OU {self._ou_name(pid)} ({pid})"))
            child = pid
        out = []
        for target, where in targets:
            for summary in self._policies(target):
                out.append(ScpAttachment(policy_id=summary["Id"], name=summary.get("Name") or summary["Id"],
                                         target=where, document=self._document(summary["Id"])))
        return out


class OrgRun:
    """One `--org` run: list, then read every account in a bounded pool."""

    def __init__(self, session, options: OrgOptions, *, client_factory=None) -> None:
        from mfaguard.drift.live import client_config

        self.session = session
        _regional_sts(session)
        self.o = options
        self.home = options.regions[0]
        self.result = OrgResult()
        self._config = client_config()
        self._clients: dict[str, Any] = {}
        self._client_factory = client_factory
        self._loader = None
        self._done = 0
        self._progress_lock = threading.Lock()

    def _make(self, service: str):
        """The caller's clients (management / delegated administrator), one per service."""
        from mfaguard.drift.live import make_client

        if service not in self._clients:
            client = (self._client_factory(service) if self._client_factory else
                      make_client(self.session, service, self.home, self.o.endpoint_url, self._config))
            if self.o.on_client:
                self.o.on_client("caller", service, client)  # the organisation-level clients
            self._clients[service] = client
        return self._clients[service]

    def _account_factory(self, account_id: str, session):
        from mfaguard.drift.live import default_client_factory

        make = default_client_factory(session, self.o.endpoint_url)
        if self.o.on_client is None:
            return make
        seen: set[int] = set()

        def factory(service: str, region: str):
            client = make(service, region)
            if id(client) not in seen:
                seen.add(id(client))
                self.o.on_client(account_id, service, client)
            return client
        return factory

    # -- organisation ----------------------------------------------------------
    def run(self) -> OrgResult:
        from mfaguard.drift.live import AwsConnectionError

        try:
            ident = self._make("sts").get_caller_identity()
        except aws_errors() as exc:
            raise AwsConnectionError(_describe("sts:GetCallerIdentity", exc)) from None
        self.result.caller_account_id = ident.get("Account")
        org = self._make("organizations")
        self.result.partition = (ident.get("Arn") or "arn:aws").split(":")[1] or "aws"
        try:
            desc = org.describe_organization()["Organization"]
            self.result.organization_id = desc.get("Id")
            self.result.management_account_id = desc.get("MasterAccountId")
        except aws_errors() as exc:
            raise AwsConnectionError(_describe("organizations:DescribeOrganization", exc) +
                                     " (run --org with the management account or a delegated administrator)") from None
        accounts = self.list_accounts(org)
        self.read_features()
        self.scps = _Scps(org)
        if self.o.accounts is None:  # the whole organisation: walk it once rather than 2 calls per account
            try:
                self.scps.walk()
            except aws_errors() as exc:
                self.scps = _Scps(org)
                self.result.notes.append("organisation tree not walked (" + _describe(_scp_action(exc), exc) +
                                         "): SCPs read per account instead")
        self.read_all(accounts)
        return self.result

    def list_accounts(self, org) -> list[dict]:
        from mfaguard.drift.live import AwsConnectionError

        listed: list[dict] = []
        try:
            for page in org.get_paginator("list_accounts").paginate(PaginationConfig={"PageSize": ORG_PAGE_SIZE}):
                listed += page.get("Accounts", [])
        except aws_errors() as exc:
            if not self.o.accounts:
                raise AwsConnectionError(_describe("organizations:ListAccounts", exc)) from None
            self.result.errors.append(_describe("organizations:ListAccounts", exc) +
                                      " (reading the --accounts given, names and states unknown)")
            return [{"Id": a} for a in self.o.accounts]
        for a in listed:
            a["State"] = a.get("State") or _STATUS_TO_STATE.get(a.get("Status") or "", a.get("Status"))
        if self.o.accounts is None:
            return listed
        by_id = {a["Id"]: a for a in listed}
        out = []
        for wanted in self.o.accounts:
            out.append(by_id.get(wanted) or {"Id": wanted, "_missing": True})
        return out

    def read_features(self) -> None:
        """iam:ListOrganizationsFeatures, once, with the management/delegated-admin credentials."""
        try:
            got = self._make("iam").list_organizations_features()
        except aws_errors() as exc:
            code, message = _error_code(exc)
            if code in _FEATURES_OFF:
                self.result.features = []
                self.result.notes.append(f"centralised root access: not enabled ({code})")
                return
            if code in _FEATURES_NOT_HERE:
                self.result.notes.append(f"centralised root access: not known ({code}: run with the management "
                                         "account or IAM's delegated administrator); member roots without "
                                         "credentials pass on evidence only")
                return
            self.result.errors.append(_describe("iam:ListOrganizationsFeatures", exc) +
                                      " — member roots without credentials pass on evidence only")
            return
        self.result.features = list(got.get("EnabledFeatures") or [])
        decision = self._features_decision()
        if decision is not None and decision.reason:
            self.result.notes.append(f"centralised root access: {decision.reason}")

    def _features_decision(self):
        """The engine's verdict on the organisation's features (the same as CKV_MFA_6's on the HCL)."""
        from mfaguard.policy.org_features import root_credentials_management

        if self.result.features is None:
            return None
        return root_credentials_management(tuple(self.result.features))

    def centrally_managed(self, account_id: str) -> bool | None:
        from mfaguard.policy.decision import FAILED, PASSED

        decision = self._features_decision()
        if decision is None or decision.verdict not in (PASSED, FAILED):
            return None
        return decision.passed and account_id != self.result.management_account_id

    # -- accounts --------------------------------------------------------------
    def read_all(self, accounts: list[dict]) -> None:
        total = len(accounts)
        workers = max(1, min(self.o.max_workers, total or 1))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mfaguard-org")
        results: list[AccountResult | None] = [None] * total
        try:
            futures = {pool.submit(self.read_account, a): i for i, a in enumerate(accounts)}
            for fut in as_completed(futures):
                res = fut.result()
                results[futures[fut]] = res
                self._report_progress(res, total)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: do not start the remaining accounts
            raise
        pool.shutdown(wait=True)
        self.result.accounts = [r for r in results if r is not None]

    def _report_progress(self, res: AccountResult, total: int) -> None:
        if self.o.progress is None:
            return
        with self._progress_lock:
            self._done += 1
            tail = f" ({res.detail})" if res.detail and not res.fully_read else ""
            self.o.progress(f"[{self._done}/{total}] account {res.account_id} {res.status}{tail}")

    def read_account(self, listed: dict) -> AccountResult:
        aid = listed["Id"]
        res = AccountResult(account_id=aid, name=listed.get("Name"), state=listed.get("State"),
                            plan=self.o.plans.get(aid), mode="drift" if aid in self.o.desired else "compliance")
        started = time.monotonic()
        try:
            self._read_into(res, listed)
        except Exception as exc:  # noqa: BLE001 - the pool's boundary: one account never stops the others
            res.status = "failed"
            res.detail = f"mfaguard internal error (please report it): {type(exc).__name__}: {exc}"[:300]
            res.errors.append(res.detail)
            res.findings, res.evaluated = [], []
        finally:
            res.seconds = time.monotonic() - started
        return res

    def _read_into(self, res: AccountResult, listed: dict) -> None:
        from mfaguard.drift.compare import compare
        from mfaguard.drift.live import read_live

        aid = res.account_id
        if listed.get("_missing"):
            res.status, res.detail = "failed", f"not an account of organisation {self.result.organization_id}"
            return
        if res.state and res.state != "ACTIVE":
            res.status, res.detail = "skipped", f"account state {res.state}: nothing can sign in to read"
            return
        session = self.account_session(res)
        if session is None:
            return
        scps: list[ScpAttachment] = []
        if aid != self.result.management_account_id:  # SCPs never apply to the management account
            try:
                scps = self.scps.for_account(aid)
            except aws_errors() as exc:  # recorded with the action
                res.errors.append(_describe(_scp_action(exc), exc) + " — SCPs not credited")
        desired = self.o.desired.get(aid) or AccountState()
        try:
            live = read_live(session, self.o.regions, endpoint_url=self.o.endpoint_url,
                             recheck_flagged=self.o.recheck_flagged, expected=expected_credentials(desired),
                             client_factory=self._account_factory(aid, session))
        except AwsAccessError as exc:
            res.status, res.detail = "failed", str(exc)
            res.errors.append(str(exc))
            return
        live.scps = scps
        if live.root is not None:
            live.root.centrally_managed = self.centrally_managed(aid)
        result = compare(desired, live)
        res.findings, res.notes, res.evaluated = result.findings, result.notes, result.evaluated
        mark_rechecked(res.findings + res.evaluated, live)
        for f in res.findings + res.evaluated:
            f.account_id = f.account_id or aid
        res.errors += live.errors
        res.credential_report_generated = live.credential_report_generated
        res.scps = [f"{s.name} ({s.target})" for s in scps]
        if desired.account_id and desired.account_id != aid:
            res.notes.append(f"the plan {res.plan} names account {desired.account_id}, read as {aid}")
        res.status = "partial" if res.errors else "read"
        missing = sorted({a for a in map(_action_of, res.errors) if a})
        if missing:
            res.detail = "missing permission " + ", ".join(missing)
        elif res.errors:
            res.detail = res.errors[0][:200]

    def account_session(self, res: AccountResult):
        """The caller's own account is read with its credentials; every other account through the role."""
        import boto3
        if res.account_id == self.result.caller_account_id:
            return self.session
        arn = f"arn:{self.result.partition}:iam::{res.account_id}:role/{self.o.role_name}"
        params = {"RoleArn": arn, "RoleSessionName": ROLE_SESSION_NAME}
        if self.o.external_id:
            params["ExternalId"] = self.o.external_id
        try:
            creds = self._make("sts").assume_role(**params)["Credentials"]
        except aws_errors() as exc:
            code, message = _error_code(exc)
            res.status = "failed"
            res.detail = (f"cannot assume {arn}: {code} (missing permission sts:AssumeRole, or the role's trust "
                          "policy / external ID refuses the caller)" if _denied(code) else
                          f"cannot assume {arn}: {code}: {message}")
            res.errors.append(f"{res.detail}: {message}" if _denied(code) else res.detail)
            return None
        return boto3.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                             aws_session_token=creds["SessionToken"], region_name=self.home,
                             botocore_session=self._botocore_session())

    def _botocore_session(self):
        """A fresh botocore session per account (sessions are not thread-safe) sharing one model loader."""
        import botocore.session

        bs = botocore.session.Session()
        bs.set_config_variable("sts_regional_endpoints", "regional")
        if self._loader is None:
            self._loader = bs.get_component("data_loader")
        else:
            bs.register_component("data_loader", self._loader)
        return bs


def _regional_sts(session) -> None:
    """STS in the run's region (sts.<region>.amazonaws.com), not the global endpoint in us-east-1."""
    core = getattr(session, "_session", None)
    if core is not None:
        core.set_config_variable("sts_regional_endpoints", "regional")


def _scp_action(exc: Exception) -> str:
    op = getattr(exc, "operation_name", None) or "ListPoliciesForTarget"
    return f"organizations:{op}"


def _action_of(error: str) -> str:
    marker = "missing permission "
    if marker in error:
        return error.split(marker, 1)[1].split(":", 2)[0] + ":" + error.split(marker, 1)[1].split(":", 2)[1]
    return ""


def run_org(session, options: OrgOptions, *, client_factory=None) -> OrgResult:
    """Read every selected account of the organisation; raises AwsAccessError only when the
    organisation itself cannot be read (identity, DescribeOrganization, ListAccounts)."""
    return OrgRun(session, options, client_factory=client_factory).run()


def stderr_progress() -> Callable[[str], None] | None:
    """Progress lines on stderr when it is a terminal; nothing in CI logs or pipes."""
    if not sys.stderr.isatty():
        return None
    return lambda line: print(f"mfaguard: {line}", file=sys.stderr, flush=True)


def parse_account_ids(text: str, source: str) -> list[str]:
    """IDs separated by commas, spaces or new lines; '#' starts a comment. Raises ValueError."""
    ids: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        for token in line.replace(",", " ").split():
            if not (len(token) == 12 and token.isdigit()):
                raise ValueError(f"{source}: {token!r} is not a 12-digit AWS account id")
            if token not in ids:
                ids.append(token)
    return ids
