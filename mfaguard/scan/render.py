"""Render a ScanResult in Checkov's report formats (cli, json, sarif, junitxml); the reviewer
formats (markdown, github, rdjsonl) are mfaguard.report's.

Checkov's own renderers do the work; mfaguard adds what Checkov drops or does not know:
the UNKNOWN records (an ``unknown_checks`` list and a ``summary.unknown`` count in JSON,
``UNKNOWN:`` lines in cli, ``note``-level results in SARIF, skipped test cases in JUnit)
and, under each cli finding, its fix once (the check's own HCL, else the catalogue's); SARIF
results get partialFingerprints and stay within GitHub's limits (mfaguard.report.sarif).
"""
from __future__ import annotations

import json
import re
from typing import Any

from mfaguard.catalogue import CHECKS

UNKNOWN_WHY = ("the check could not resolve a value it needs (an unset variable, or a value "
               "known only after apply)")
_ANSI = re.compile(r"(?:\x1B[@-_]|[\x80-\x9F])[0-9:;<=>?]*[ -/]*[@-~]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def unknown_reason(record: Any) -> str:
    details = [str(d) for d in (getattr(record, "details", None) or []) if str(d).strip()]
    return "; ".join(details) if details else UNKNOWN_WHY


def _location(record: Any) -> str:
    """path:first-last, the path relative to the working directory (engine.display_path)."""
    path = record.repo_file_path or record.file_path or ""
    if not path:
        return ""
    lines = record.file_line_range or []
    span = f":{lines[0]}-{lines[1]}" if len(lines) == 2 and lines[0] else ""
    return f"{path}{span}"


def unknown_line(record: Any) -> str:
    from mfaguard.report.scan_items import caller_location

    where = _location(record)
    if where and caller_location(record):
        where += f", called from {caller_location(record)}"
    return f"UNKNOWN: {record.check_id} {record.resource}: {unknown_reason(record)}" + (f" ({where})" if where else "")


def _unknown_for(result: Any, check_type: str) -> list[Any]:
    return list(result.unknown_by_type.get(check_type, []))


def _has_hcl(text: str) -> bool:
    """The check's own message already carries a specific HCL fix (graph checks name the user);
    tests/snapshots.py applies the same rule to choose the fix a snapshot records."""
    return 'resource "' in text or 'data "' in text


_SECURITY_SEVERITY = {"CRITICAL": "9.5", "HIGH": "8.0", "MEDIUM": "5.5", "LOW": "3.0"}


def _finding_text(check_id: str, details: list[str]) -> str:
    """A SARIF message that stands alone in a PR annotation: what was found, then its fix once."""
    from mfaguard.report.scan_items import split_details

    reason, intro, fix = split_details(check_id, details)
    if not intro and not fix:
        return reason
    return f"{reason}\n\nFix: {intro or ''}" + (f"\n{fix}" if fix else "")


def _enrich_sarif(run: dict[str, Any]) -> None:
    """Checkov's SARIF puts the check name in message.text and the specific message in an
    attachment; code-scanning annotations show message.text, so put the finding there, and
    give each rule its catalogue help (remediation, fix HCL, controls, severity)."""
    for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
        meta = CHECKS.get(rule.get("id"))
        if meta is None:
            continue
        controls = "; ".join(f"{fw}: {', '.join(ids)}" for fw, ids in meta.controls.items())
        rule["shortDescription"] = {"text": meta.name}
        rule["fullDescription"] = {"text": f"Passes when {meta.passes_when}. {controls}."}
        rule["help"] = {"text": f"{meta.remediation}\n\n{meta.fix_hcl}",
                        "markdown": f"{meta.remediation}\n\n```hcl\n{meta.fix_hcl}\n```\n\n{controls}"}
        rule["helpUri"] = meta.guideline
        props = rule.setdefault("properties", {})
        props["security-severity"] = _SECURITY_SEVERITY[meta.severity]
        props["tags"] = sorted({"security", "mfa", *(i for ids in meta.controls.values() for i in ids)})
    for res in run.get("results", []):
        if res.get("kind") == "review":  # UNKNOWN notes already say why
            continue
        details = [a["description"] for a in res.get("attachments", []) if a.get("description")]
        if details:
            res["message"] = {"text": _finding_text(res.get("ruleId", ""), details)}


_SECTION = {"terraform": "terraform scan results (HCL files)",
            "terraform_plan": "terraform_plan scan results (plan JSON: the planned resources, judged again as "
                              "Terraform will create them)"}


_EXCERPT_LINES = 12


def _cli_failure(record: Any, quiet: bool, seen: dict[tuple, str]) -> str:
    """One failed check: what, where, why, its fix once (the check's own or the catalogue's; a
    fix already printed for another check of the same resource is referred to, not repeated)."""
    from mfaguard.report.scan_items import caller_location, display_path, split_details

    reason, intro, fix = split_details(record.check_id, list(record.details or []))
    key = (str(record.resource), intro, fix)
    if key in seen:
        intro, fix = f"the same fix as for {seen[key]} above", None
    else:
        seen[key] = f"{record.check_id} {record.resource}"
    sev = CHECKS[record.check_id].severity if record.check_id in CHECKS else getattr(record.severity, "name", "")
    out = [f'Check: {record.check_id}: "{record.check_name}"', f"\tFAILED for resource: {record.resource}",
           f"\tSeverity: {sev}", f"\tFile: {display_path(record)}" + _span(record)]
    if caller_location(record):
        out.append(f"\tCalling File: {caller_location(record)}")
    out.append(f"\tDetails: {reason}")
    if intro and fix is None and intro.startswith("the same fix"):
        out.append(f"\tFix: {intro}")
    elif intro:
        out.append(f"\tRemediation: {intro[:1].upper()}{intro[1:]}")
    if fix:
        out.append("\tFix:\n" + "\n".join(f"\t\t{line}" for line in fix.splitlines()))
    if getattr(record, "guideline", None):
        out.append(f"\tGuide: {record.guideline}")
    if not quiet and record.code_block:
        out.append("")
        out += [f"\t\t{n} | {text.rstrip()}" for n, text in record.code_block[:_EXCERPT_LINES]]
        if len(record.code_block) > _EXCERPT_LINES:
            out.append(f"\t\t... ({len(record.code_block) - _EXCERPT_LINES} more lines)")
    return "\n".join(out) + "\n\n"


def _span(record: Any) -> str:
    lines = record.file_line_range or []
    return f":{lines[0]}-{lines[1]}" if len(lines) == 2 else ""


def render_cli(result: Any, *, quiet: bool = False) -> str:
    """Checkov's --compact habit: per framework a summary line first, then the failures (each
    once, with its fix once), the UNKNOWNs, the skipped checks; passed checks only as a count."""
    out: list[str] = []
    for report in result.reports:
        unknown = _unknown_for(result, report.check_type)
        s = report.get_summary()
        out.append(f"{_SECTION.get(report.check_type, report.check_type + ' scan results')}:\n\n")
        out.append(f"Passed checks: {s['passed']}, Failed checks: {s['failed']}, Skipped checks: {s['skipped']}, "
                   f"Unknown checks: {len(unknown)}"
                   + (f", Parsing errors: {s['parsing_errors']}" if s["parsing_errors"] else "") + "\n\n")
        order = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}
        seen: dict[tuple, str] = {}
        for record in sorted(report.failed_checks, key=lambda r: (
                order.get(getattr(CHECKS.get(r.check_id), "severity", ""), 9), r.file_path, r.file_line_range)):
            out.append(_cli_failure(record, quiet, seen))
        for record in unknown:
            out.append(unknown_line(record) + "\n")
        for record in report.skipped_checks:
            why = (record.check_result or {}).get("suppress_comment") or "suppressed"
            out.append(f"SKIPPED: {record.check_id} {record.resource}: {why} ({_location(record)})\n")
        out.append("\n")
    if not result.reports:
        out.append("No Terraform resources were scanned.\n")
    return "".join(out)


def _report_dicts(result: Any) -> list[dict[str, Any]]:
    dicts = []
    for report in result.reports:
        d = report.get_dict(url="")
        d.pop("url", None)
        unknown = _unknown_for(result, report.check_type)
        d["results"]["unknown_checks"] = [r.__dict__ for r in unknown]
        d["summary"]["unknown"] = len(unknown)
        dicts.append(d)
    return dicts


def render_json(result: Any) -> str:
    from checkov.common.util.json_utils import CustomJSONEncoder

    dicts = _report_dicts(result)
    if not dicts:
        from checkov.common.output.report import Report

        payload: Any = {**Report("").get_summary(), "unknown": 0}
    elif len(dicts) == 1:
        payload = dicts[0]
    else:
        payload = dicts
    return json.dumps(payload, indent=4, cls=CustomJSONEncoder) + "\n"


def render_sarif(result: Any) -> str:
    from urllib.parse import quote

    from checkov.common.output.sarif import Sarif
    from checkov.common.util.json_utils import CustomJSONEncoder

    sarif = Sarif(reports=list(result.reports), tool="mfaguard")
    runs = sarif.json.get("runs") or []
    # "not applicable" UNKNOWNs (out of the control's scope) are no annotation-worthy news.
    if runs and result.undecided:
        run = runs[0]
        rules = run.setdefault("tool", {}).setdefault("driver", {}).setdefault("rules", [])
        index = {r.get("id"): i for i, r in enumerate(rules)}
        for record in result.undecided:
            if record.check_id not in index:
                meta = CHECKS.get(record.check_id)
                rules.append({"id": record.check_id, "name": record.check_name,
                              "shortDescription": {"text": record.check_name},
                              "fullDescription": {"text": meta.remediation if meta else record.check_name},
                              "help": {"text": meta.remediation if meta else record.check_name}})
                index[record.check_id] = len(rules) - 1
            lines = record.file_line_range or [1, 1]
            run.setdefault("results", []).append({
                "ruleId": record.check_id,
                "ruleIndex": index[record.check_id],
                "level": "note",
                "kind": "review",
                "message": {"text": f"UNKNOWN: {record.resource}: {unknown_reason(record)}"},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": quote((record.repo_file_path or record.file_path).lstrip("/"))},
                    "region": {"startLine": max(int(lines[0]), 1), "endLine": max(int(lines[1]), 1)},
                }}],
            })
    for run in runs:
        _enrich_sarif(run)
        _fingerprint(run, result)
    from mfaguard.report.sarif import within_github_limits

    return json.dumps(within_github_limits(sarif.json), indent=4, cls=CustomJSONEncoder) + "\n"


def _fingerprint(run: dict[str, Any], result: Any) -> None:
    """partialFingerprints from rule, file and resource address (mfaguard.report.sarif): the
    result is found again by its rule, file and start line, which identify one record -- except
    in a shared module called by several roots, where the calling root's file tells the records
    apart: it joins the fingerprint and is the result's relatedLocation."""
    from urllib.parse import quote

    from mfaguard.report.sarif import FINGERPRINT_KEY, fingerprint
    from mfaguard.report.scan_items import caller_location

    by_place: dict[tuple, list] = {}
    for record in result.failed + result.passed + result.skipped + result.unknown:
        uri = quote((record.repo_file_path or record.file_path).lstrip("/"))
        start = max(int((record.file_line_range or [1])[0]), 1)
        by_place.setdefault((record.check_id, uri, start), []).append(record)
    for res in run.get("results", []):
        loc = (res.get("locations") or [{}])[0].get("physicalLocation", {})
        uri = loc.get("artifactLocation", {}).get("uri", "")
        start = loc.get("region", {}).get("startLine", 1)
        record = _record_of(res, by_place.get((res.get("ruleId"), uri, start), []))
        resource = str(record.resource) if record is not None else f"line {start}"
        caller = caller_location(record) if record is not None else ""
        if caller:
            path, _, lines = caller.rpartition(":")
            first, _, last = lines.partition("-")
            res["relatedLocations"] = [{"id": 1, "message": {"text": "the root module's call that creates it"},
                                        "physicalLocation": {"artifactLocation": {"uri": quote(path)},
                                                             "region": {"startLine": int(first),
                                                                        "endLine": int(last or first)}}}]
            resource += f" called from {path}"
        res.setdefault("partialFingerprints", {})[FINGERPRINT_KEY] = fingerprint(res.get("ruleId", ""), uri, resource)


def _record_of(res: dict[str, Any], candidates: list) -> Any:
    """The record a SARIF result was made from, among the records at its place (taken, so two
    results at one place get two records): the one whose message it carries."""
    if len(candidates) > 1:
        texts = {a.get("description") for a in res.get("attachments", [])} | {res.get("message", {}).get("text")}
        for i, record in enumerate(candidates):
            if any(str(d) in texts for d in record.details or []) or (
                    f"UNKNOWN: {record.resource}: {unknown_reason(record)}" in texts):
                return candidates.pop(i)
    return candidates.pop(0) if candidates else None


def render_junitxml(result: Any) -> str:
    from checkov.common.output.report import Report
    from junit_xml import TestCase

    suites = []
    for report in result.reports:
        suite = report.get_test_suite()
        for record in _unknown_for(result, report.check_type):
            case = TestCase(name=f"[UNKNOWN][{record.check_id}] {record.check_name}",
                            classname=f"{record.file_path}.{record.resource}", file=record.file_path)
            case.add_skipped_info(unknown_reason(record))
            suite.test_cases.append(case)
        suites.append(suite)
    if not suites:
        suites = [Report("").get_test_suite()]
    return Report.get_junit_xml_string(suites)


RENDERERS = {"cli": render_cli, "json": render_json, "sarif": render_sarif, "junitxml": render_junitxml}


def render(result: Any, fmt: str) -> str:
    return RENDERERS[fmt](result)


def summary_line(result: Any) -> str:
    return (f"mfaguard scan: {len(result.passed)} passed, {len(result.failed)} failed, "
            f"{len(result.unknown)} unknown, {len(result.skipped)} skipped, {len(result.errors)} input errors")
