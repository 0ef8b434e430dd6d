"""Judge an HCL root module through its synthetic plan: Checkov's plan runner (the same
checks, exact on instances), records reported back at the HCL file and lines.

    run_root(folder, external_checks_dir, runner_filter, relevant=None, boundary=None, skip=())
        -> ExpandedRun | None

``None`` means the expander is off (``MFAGUARD_EXPAND=0``) or could not know the root's instances (an unknown ``count``, an
override file, a syntax error ...): the caller scans that root with Checkov's HCL runner
instead, and the reason is logged at debug level (on stderr with MFAGUARD_DEBUG=1).  Otherwise ``ExpandedRun.report`` is a
``terraform`` Report (passed, failed and skipped records) and ``ExpandedRun.unknown`` the
UNKNOWN records, every one pointing at the HCL block of its instance:

* ``resource`` is the instance address (``module.team["a"].aws_iam_user.u["jane.doe"]``); data
  sources are named as Checkov's HCL runner names them (without ``data.``);
* ``file_path`` is relative to `folder` with a leading ``/``, as Checkov's HCL runner writes it;
  ``file_line_range``/``code_block`` are the block's;
* ``details`` carry the IAM checks' messages, with ``${unknown_N}`` markers replaced by their
  reasons;
* a ``#checkov:skip=ID:reason`` comment inside the block skips the check, as in HCL.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Any, Iterator

from mfaguard.expand.config import ConfigError
from mfaguard.expand.expander import Unexpandable, expand
from mfaguard.expand.plan import SyntheticPlan, synthetic_plan

log = logging.getLogger(__name__)

_SKIP = re.compile(r"(?:checkov:skip=|bridgecrew:skip=) *([A-Za-z_\d-]+(?:,[A-Za-z_\d-]+)*)?(:[^\n]*)?")


@dataclass
class ExpandedRun:
    report: Any
    unknown: list = field(default_factory=list)
    plan: SyntheticPlan | None = None


@contextlib.contextmanager
def _own_unknown() -> Iterator[list]:
    """Collect UNKNOWN records of this run only (Checkov's Report drops them anyway)."""
    from checkov.common.models.enums import CheckResult
    from checkov.common.output.report import Report

    captured: list = []
    outer = Report.add_record

    def add_record(self: Any, record: Any) -> None:
        if record.check_result.get("result") == CheckResult.UNKNOWN:
            captured.append(record)
            return
        outer(self, record)

    Report.add_record = add_record  # type: ignore[method-assign]
    try:
        yield captured
    finally:
        Report.add_record = outer  # type: ignore[method-assign]


@contextlib.contextmanager
def _in_memory(plan_file: str, document: dict) -> Iterator[None]:
    """Hand Checkov's plan runner the document itself: its JSON reader (a YAML loader that
    records every node's line) and its per-resource context search (quadratic) cost more than
    the checks on a large root, and the plan's own lines are never shown (records point at HCL)."""
    from checkov.terraform import plan_parser, plan_runner

    real_path = os.path.realpath(plan_file)
    original_parse, original_context = plan_parser.parse, plan_runner.build_definitions_context

    def parse(filename: str, out_parsing_errors: dict[str, str]) -> Any:
        if os.path.realpath(filename) == real_path:
            return _with_line_keys(document), [(1, "{}")]
        return original_parse(filename, out_parsing_errors)

    plan_parser.parse = parse  # type: ignore[assignment]
    plan_runner.build_definitions_context = _context  # type: ignore[assignment]
    try:
        yield
    finally:
        plan_parser.parse = original_parse  # type: ignore[assignment]
        plan_runner.build_definitions_context = original_context  # type: ignore[assignment]


def _with_line_keys(document: dict) -> dict:
    """The document with the start_line/end_line keys Checkov's JSON reader adds to every
    resource's values (0: the plan's lines are not used)."""
    def module(body: dict) -> dict:
        out = dict(body)
        out["resources"] = [{**r, "values": {**(r.get("values") or {}), "start_line": 0, "end_line": 0}}
                            for r in body.get("resources", [])]
        out["child_modules"] = [module(c) for c in body.get("child_modules", [])]
        return out

    planned = {"root_module": module(document["planned_values"]["root_module"])}
    return {**document, "planned_values": planned}


def _context(definitions: dict, _raw: dict) -> dict:
    """Checkov's build_definitions_context in one pass (same keys; no code lines)."""
    from checkov.terraform.plan_parser import TF_PLAN_RESOURCE_ADDRESS

    out: dict[str, dict[str, Any]] = {}
    for path, definition in definitions.items():
        entries = out.setdefault(path, {})
        for block_type in ("data", "resource"):
            for entity in definition.get(block_type, []):
                for by_name in entity.values():
                    for conf in by_name.values():
                        address = conf.get(TF_PLAN_RESOURCE_ADDRESS)
                        if address:
                            entries[address] = {"start_line": conf["start_line"][0], "end_line": conf["end_line"][0],
                                                "address": address, "code_lines": []}
    return out


def build_plan(folder: str, relevant: frozenset[str] | None = None, boundary: str | None = None,
               skip: frozenset[str] = frozenset()) -> SyntheticPlan | None:
    try:
        expansion = expand(folder, relevant, boundary, skip)
    except (ConfigError, Unexpandable) as exc:
        _debug(f"{folder} is judged by Checkov's HCL runner: the expander cannot expand it ({exc})")
        return None
    except RecursionError:
        _debug(f"{folder} is judged by Checkov's HCL runner: expressions nested too deeply to expand")
        return None
    except Exception as exc:  # noqa: BLE001 - an expander bug must not cost the scan: today's reading instead
        log.debug("expander failure on %s", folder, exc_info=True)
        _debug(f"{folder} is judged by Checkov's HCL runner: the expander failed ({exc!r})")
        return None
    return synthetic_plan(expansion)


def _debug(message: str) -> None:
    """A debug line (logging, and stderr when MFAGUARD_DEBUG=1: workers inherit no handlers)."""
    log.debug(message)
    if os.environ.get("MFAGUARD_DEBUG") == "1":
        import sys

        print(f"mfaguard: debug: {message}", file=sys.stderr)


def run_root(folder: str, external_checks_dir: list[str], runner_filter: Any,
             relevant: frozenset[str] | None = None, boundary: str | None = None,
             skip: frozenset[str] = frozenset()) -> ExpandedRun | None:
    from checkov.common.models.enums import CheckResult
    from checkov.common.output.report import Report
    from checkov.terraform.plan_runner import Runner as PlanRunner

    if os.environ.get("MFAGUARD_EXPAND") == "0":  # Checkov's own HCL reading, e.g. to compare with plain checkov
        return None
    plan = build_plan(folder, relevant, boundary, skip)
    if plan is None:
        return None
    tmp = tempfile.mkdtemp(prefix="mfaguard-expanded-")
    try:
        plan_file = os.path.join(tmp, "tfplan.json")
        with open(plan_file, "w", encoding="utf-8") as fh:
            json.dump(plan.document, fh)
        with _own_unknown() as unknown, _in_memory(plan_file, plan.document):
            result = PlanRunner().run(root_folder=None, files=[plan_file], external_checks_dir=external_checks_dir,
                                      runner_filter=runner_filter)
        plan_report = result[0] if isinstance(result, list) else result
        records = plan_report.passed_checks + plan_report.failed_checks + plan_report.skipped_checks + unknown
        _attach_details(records, plan)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    report = Report("terraform")
    out_unknown = []
    lines_cache: dict[str, list[str]] = {}
    for record in records:
        address = str(record.resource_address or record.resource)
        location = plan.locations.get(address)
        if location is None:  # every planned instance has one; never expected
            _debug(f"no HCL location for {record.resource}; record dropped")
            continue
        why = _cannot_stand(record, address, plan)
        if why:
            record.check_result = {"result": CheckResult.UNKNOWN}
            record.details = [f"cannot decide: {why}"]
        _relocate(record, location, folder, lines_cache)
        caller = plan.callers.get(address)
        if caller is not None:  # the root's module block (engine._repath makes the path relative)
            record.caller_file_path = os.path.abspath(caller[0])
            record.caller_file_line_range = [caller[1], caller[2]]
        skipped = _skip(record)
        if plan.not_downloaded and record.check_result.get("result") == CheckResult.UNKNOWN:
            _name_missing_modules(record, plan.not_downloaded)
        if record.check_result.get("result") == CheckResult.UNKNOWN and not skipped:
            out_unknown.append(record)
            continue
        report.add_resource(f"{record.file_path}:{record.resource}")
        report.add_record(record)
    return ExpandedRun(report, out_unknown, plan)


def _cannot_stand(record: Any, address: str, plan: SyntheticPlan) -> str:
    """Why the record's verdict rests on an instance that may not exist (its count/for_each, or
    its module's, cannot be evaluated), or "".

    * the instance itself: whatever was judged may not be there at all;
    * a login profile or access key that may not exist, on this user: CKV2_MFA_1 (console users)
      keeps a PASS (enforced on console sign-in either way) but not a FAIL (it needs the
      password); CKV2_MFA_2 judges the user's own sign-in paths (both when it declares none),
      which the credential changes in either direction;
    * a membership, policy or attachment that may not exist and reaches this principal
      (SyntheticPlan.maybe_pass / maybe_fail): the PASS, or the group's FAIL, it could give."""
    from checkov.common.models.enums import CheckResult

    def exists_unknown(links: list[tuple[str, str]], lead: str, joiner: str) -> str:
        return lead + joiner.join(f"{link}, and whether that exists is not known from the configuration: {reason}"
                                  for link, reason in dict.fromkeys(links))

    result = record.check_result.get("result")
    if address in plan.undetermined:
        return ("whether it exists, and how many instances it has, is not known from the configuration: "
                + plan.undetermined[address])
    credentials = plan.maybe_credentials.get(address)
    if credentials and (result == CheckResult.FAILED or
                        (result == CheckResult.PASSED and record.check_id != "CKV2_MFA_1")):
        return exists_unknown(credentials, "the user is judged with ", "; the user is judged with ")
    if result == CheckResult.PASSED and address in plan.maybe_pass:
        return exists_unknown(plan.maybe_pass[address], "it passes with ", "; and with ")
    if result == CheckResult.FAILED and address in plan.maybe_fail:
        return exists_unknown(plan.maybe_fail[address], "it fails with ", "; and with ")
    return ""


def _name_missing_modules(record: Any, missing: list[str]) -> None:
    """A group the configuration does not declare may be one a module that is not downloaded
    creates (boldlink's examples: module.groups from the registry): say so, and what settles it."""
    from mfaguard.policy.coverage import NOT_IN_CONFIGURATION

    details = [str(d) for d in record.details or []]
    if details and NOT_IN_CONFIGURATION in details[0] and "terraform init" not in details[0]:
        details[0] = (details[0].rstrip() + f" It may be created by a module that is not downloaded: "
                      f"{', '.join(missing)}; run `terraform init` in the root module and scan again.")
        record.details = details


def _attach_details(records: list, plan: SyntheticPlan) -> None:
    try:
        from mfaguard.checkov_adapter.details import details_for
    except ImportError:  # pragma: no cover - the IAM checks are not installed
        details_for = None  # type: ignore[assignment]
    for record in records:
        if not record.details and details_for is not None:
            record.details = details_for(record)
        record.details = [plan.explain(str(d)) for d in record.details or []]


def _hcl_name(address: str) -> str:
    """Checkov's HCL runner names a data source without ``data.`` (aws_iam_policy_document.x)."""
    return re.sub(r"(^|\.)data\.", r"\1", address, count=1) if ".data." in f".{address}" else address


def _relocate(record: Any, location: tuple[str, int, int], folder: str, cache: dict[str, list[str]]) -> None:
    path, start, end = location
    if path not in cache:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                cache[path] = fh.readlines()
        except OSError:
            cache[path] = []
    lines = cache[path]
    address = str(record.resource_address or record.resource)
    record.resource = _hcl_name(address)
    record.resource_address = address
    record.file_abs_path = os.path.abspath(path)
    record.file_path = "/" + os.path.relpath(path, folder).replace(os.sep, "/")
    rel = os.path.relpath(path)
    record.repo_file_path = "/" + rel if not rel.startswith("..") else os.path.abspath(path)
    record.definition_context_file_path = record.file_abs_path
    record.file_line_range = [start, end]
    record.code_block = [(n, lines[n - 1]) for n in range(start, min(end, len(lines)) + 1)]


def _skip(record: Any) -> bool:
    """Turn the record into SKIPPED when its block carries a skip comment for its check."""
    from checkov.common.models.enums import CheckResult

    for _n, line in record.code_block:
        m = _SKIP.search(line)
        if m and m.group(1) and record.check_id in m.group(1).split(","):
            reason = (m.group(2) or ":No comment provided")[1:].strip() or "No comment provided"
            record.check_result = {"result": CheckResult.SKIPPED, "suppress_comment": reason}
            return True
    return False
