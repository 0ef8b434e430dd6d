"""Drift findings -> table | json | sarif | junitxml | asff (| markdown | github: mfaguard.report).

    render(fmt, findings, context) -> str

`context` (a `ReportContext`) carries what every format states besides the findings: the plan
file, account, regions read, the credential report's generation time, errors (each naming a
missing permission) and notes (what could not be decided).

Control titles, severities and remediations come from mfaguard.catalogue.CONTROLS.
ASFF: one finding per (account, region, control, resource) with a stable Id, so a re-run
updates the Security Hub finding instead of adding a duplicate; the output is the JSON list that
`aws securityhub batch-import-findings --findings file://...` takes.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from xml.etree import ElementTree as ET

from mfaguard import __version__
from mfaguard.catalogue import CONTROLS, SECURITY_HUB, finding_severity
from mfaguard.drift.model import KINDS, Finding

FORMATS = ("table", "json", "sarif", "junitxml", "asff", "markdown", "github")
INFO_URI = "https://github.com/mfaguard/mfaguard/blob/main/docs/drift.md"
SH_DOCS = "https://docs.aws.amazon.com/securityhub/latest/userguide/"
_SH_PAGE = {"IAM": "iam-controls.html", "Cognito": "cognito-controls.html"}


@dataclass
class ReportContext:
    plan: str | None = None
    account_id: str | None = None
    partition: str = "aws"
    regions: list[str] = field(default_factory=list)
    credential_report_generated: str | None = None
    live_checked_users: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    now: str | None = None  # ISO 8601 UTC; fixed in tests
    # --org: the organisation and every account's status (AccountResult.to_dict()); None otherwise.
    # account_id is then the caller's (management / delegated administrator) account.
    organization_id: str | None = None
    accounts: list[dict[str, Any]] | None = None
    max_bytes: int | None = None  # markdown: size bound (mfaguard.report.markdown)
    # Every resource and control evaluated that needs nothing (kind "evaluated", PASSED): ASFF
    # always carries them (so a re-import resolves a fixed finding), JSON with include_passed;
    # the human formats give only their count.
    evaluated: list[Finding] = field(default_factory=list)
    include_passed: bool = False
    coverage: Any = None  # markdown: the live account's coverage picture (mfaguard.report.coverage.from_live)

    def timestamp(self) -> str:
        return self.now or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")[:-4] + "Z"


def render(fmt: str, findings: list[Finding], ctx: ReportContext) -> str:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt in ("markdown", "github"):  # the reviewer formats, shared with scan
        from mfaguard.report.formats import render_drift

        return render_drift(fmt, findings, ctx, max_bytes=ctx.max_bytes)
    return {"table": table, "json": to_json, "sarif": sarif, "junitxml": junitxml, "asff": asff}[fmt](
        findings, ctx)


def summary(findings: list[Finding], ctx: ReportContext) -> dict[str, Any]:
    by_kind = {k: 0 for k in KINDS}
    by_control = {c: 0 for c in CONTROLS}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
        by_control[f.control] = by_control.get(f.control, 0) + 1
    return {
        "complete": not ctx.errors,  # False: AWS access failed, findings are partial
        "total": len(findings),
        "failed": sum(1 for f in findings if f.compliance == "FAILED"),
        "passed_evaluations": len(ctx.evaluated),
        "by_kind": by_kind,
        "by_control": by_control,
        "plan": ctx.plan,
        "account_id": ctx.account_id,
        "regions": list(ctx.regions),
        "credential_report_generated": ctx.credential_report_generated,
        "live_checked_users": list(ctx.live_checked_users),
        "errors": list(ctx.errors),
        "notes": list(ctx.notes),
        **({"organization_id": ctx.organization_id, "accounts": list(ctx.accounts)}
           if ctx.accounts is not None else {}),
    }


def _account(f: Finding, ctx: ReportContext) -> str | None:
    return f.account_id or ctx.account_id


def status_table(ctx: ReportContext) -> str:
    """--org: one line per account (read, partial with the missing permission, failed with why)."""
    if ctx.accounts is None:
        return ""
    rows = [(a["account_id"], (a.get("name") or "-")[:28], a["status"], a["mode"], str(a["findings"]),
             a.get("detail") or "") for a in ctx.accounts]
    head = ("ACCOUNT", "NAME", "STATUS", "MODE", "FINDINGS", "DETAIL")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(5)]
    fmt = "  ".join("{:<%d}" % w for w in widths) + "  {}"
    counts: dict[str, int] = {}
    for a in ctx.accounts:
        counts[a["status"]] = counts.get(a["status"], 0) + 1
    lines = [f"organisation {ctx.organization_id or 'unknown'}: {len(ctx.accounts)} account(s): " +
             ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) +
             " (mode drift: compared with its plan/state; compliance: no plan, every identity unmanaged)",
             fmt.format(*head).rstrip()]
    lines += [fmt.format(*r).rstrip() for r in rows]
    return "\n".join(lines) + "\n"


def _report_age_line(ctx: ReportContext) -> str:
    if not ctx.credential_report_generated:
        return "IAM credential report: not available (see errors)"
    line = (f"IAM credential report generated {ctx.credential_report_generated} (it can be up to 4 hours old; "
            "re-check the users it flags with --recheck-flagged)")
    if ctx.live_checked_users:
        names = sorted(ctx.live_checked_users)
        shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
        line += f"; judged on evidence re-read live: {len(names)} user(s): {shown}"
    return line


# ---------------------------------------------------------------------------- table


def _summary_lines(findings: list[Finding], ctx: ReportContext) -> list[str]:
    s = summary(findings, ctx)
    kinds = ", ".join(f"{n} {k}" for k, n in s["by_kind"].items() if n)
    if ctx.errors:
        return [f"{s['total']} finding(s)" + (f": {kinds}" if kinds else "") +
                " — INCOMPLETE: AWS access failed (errors below), so this is not a clean result"]
    return [f"{s['total']} finding(s)" + (f": {kinds}" if kinds else ": no drift, live matches the plan")]


_RANK = {"CRITICAL": 0, "HIGH": 1, "MEDIUM": 2, "LOW": 3}


def _grouped(findings: list[Finding], ctx: ReportContext) -> list[list[Finding]]:
    """One group per account, resource and control (a user removed from the MFA group is both
    `drift` and `noncompliant` for IAM.5): one table row, each kind's message under it."""
    groups: dict[tuple, list[Finding]] = {}
    for f in findings:
        key = (_account(f, ctx), f.address or f.id or f.arn or "-", f.control, f.region)
        groups.setdefault(key, []).append(f)
    return sorted(groups.values(), key=lambda g: min(
        (_RANK.get(f.severity, 9) if f.compliance == "FAILED" else 8) for f in g))


def _rows(findings: list[Finding], ctx: ReportContext, org: bool) -> list[tuple[tuple, list[Finding]]]:
    rows = []
    for group in _grouped(findings, ctx):
        failed = [f for f in group if f.compliance == "FAILED"]
        sev = min((f.severity for f in failed), key=lambda v: _RANK.get(v, 9)) if failed else group[0].compliance
        first = group[0]
        row = (sev, ", ".join(dict.fromkeys(f.kind for f in group)), first.control,
               first.address or first.id or first.arn or "-", first.region or "global")
        rows.append((row + ((_account(first, ctx) or "-",) if org else ()), group))
    return rows


def table(findings: list[Finding], ctx: ReportContext) -> str:
    """The summary first, then one row per (account,) resource and control (the kinds named),
    each finding's message under its row, then notes, errors and (--org) the account table."""
    org = ctx.accounts is not None
    where = (f"organisation {ctx.organization_id or 'unknown'} (caller account {ctx.account_id or 'unknown'})"
             if org else f"account {ctx.account_id or 'unknown'}")
    lines = [f"mfaguard drift: {where}, regions {', '.join(ctx.regions) or '-'}, plan {ctx.plan or '-'}"]
    lines += _summary_lines(findings, ctx) + [_report_age_line(ctx), ""]
    if findings:
        head = ("SEVERITY", "KIND", "CONTROL", "RESOURCE", "REGION") + (("ACCOUNT",) if org else ())
        rows = _rows(findings, ctx, org)
        widths = [max(len(str(r[i])) for r in [row for row, _ in rows] + [head]) for i in range(len(head))]
        fmt = "  ".join("{:<%d}" % w for w in widths)
        lines.append(fmt.format(*head))
        for row, group in rows:
            lines.append(fmt.format(*row))
            for f in group:
                lines.append(f"    {f.kind}: {f.message}" if len(group) > 1 else "    " + f.message)
        lines.append("")
        lines += _summary_lines(findings, ctx)
    if ctx.evaluated:
        lines.append(f"{len(ctx.evaluated)} passed evaluation(s) not listed (--format asff carries them, "
                     "--format json with --include-passed lists them)")
    for note in ctx.notes:
        lines.append(f"note: {note}")
    for err in ctx.errors:
        lines.append(f"error: {err}")
    if org:
        lines.append("")
        lines.append(status_table(ctx).rstrip("\n"))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------- json


def to_json(findings: list[Finding], ctx: ReportContext) -> str:
    shown = list(findings) + (list(ctx.evaluated) if ctx.include_passed else [])
    items = [{**f.to_dict(), "resource_type": resource_type(f)} for f in shown]
    return json.dumps({"findings": items, "summary": summary(findings, ctx)}, indent=2, default=str) + "\n"


# ---------------------------------------------------------------------------- sarif

_SARIF_LEVEL = {"CRITICAL": "error", "HIGH": "error", "MEDIUM": "warning", "LOW": "note"}
_SECURITY_SEVERITY = {"CRITICAL": "9.5", "HIGH": "8.0", "MEDIUM": "5.5", "LOW": "3.0"}


def _help_uri(control: str) -> str:
    service = control.split(".")[0]
    return f"{SH_DOCS}{_SH_PAGE.get(service, 'securityhub-controls-reference.html')}#{control.lower().replace('.', '-')}"


def _resource_key(f: Finding) -> str:
    return f.arn or (f"{f.region}:{f.id}" if f.region and f.id else None) or f.id or f.address or "unknown"


def fingerprint(f: Finding, ctx: ReportContext) -> str:
    key = "|".join([_account(f, ctx) or "", f.region or "global", f.control, _resource_key(f)])
    return hashlib.sha256(key.encode()).hexdigest()


def sarif(findings: list[Finding], ctx: ReportContext) -> str:
    rules = []
    index = {}
    for i, c in enumerate(CONTROLS.values()):
        index[c.id] = i
        rules.append({
            "id": c.id,
            "name": c.id.replace(".", ""),
            "shortDescription": {"text": c.title},
            "fullDescription": {"text": f"{c.title} (AWS Security Hub {c.id})."},
            "help": {"text": c.remediation, "markdown": c.remediation},
            "helpUri": _help_uri(c.id),
            "defaultConfiguration": {"level": _SARIF_LEVEL[finding_severity(c.id)]},
            "properties": {
                "security-severity": _SECURITY_SEVERITY[finding_severity(c.id)],
                "tags": ["security", "mfa", *[f"{fw}: {', '.join(ids)}" for fw, ids in c.frameworks.items()]],
            },
        })
    results = []
    for f in findings:
        loc_name = f.address or f.arn or f.id or "unknown"
        result = {
            "ruleId": f.control,
            "ruleIndex": index[f.control],
            "kind": "fail" if f.compliance == "FAILED" else ("review" if f.compliance == "UNKNOWN" else "pass"),
            "level": _SARIF_LEVEL[f.severity] if f.compliance == "FAILED" else "none",
            "message": {"text": f.message},
            "locations": [{
                "logicalLocations": [{
                    "name": f.id or loc_name,
                    "fullyQualifiedName": loc_name,
                    "kind": "resource",
                }],
            }],
            "partialFingerprints": {"mfaguardFinding/v1": fingerprint(f, ctx)},
            "properties": {k: v for k, v in f.to_dict().items() if k not in ("message",)},
        }
        if ctx.plan:  # code-scanning UIs need a file: the plan/state the account was compared with
            result["locations"][0]["physicalLocation"] = {
                "artifactLocation": {"uri": ctx.plan.replace(os.sep, "/")}, "region": {"startLine": 1}}
        results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "mfaguard", "version": __version__, "informationUri": INFO_URI,
                                "rules": rules}},
            "automationDetails": {"id": f"mfaguard-drift/{ctx.account_id or 'unknown'}/"},
            "invocations": [{
                "executionSuccessful": not ctx.errors,
                "toolExecutionNotifications": [
                    {"level": "error", "message": {"text": e}} for e in ctx.errors
                ] + [{"level": "note", "message": {"text": n}} for n in ctx.notes],
            }],
            "properties": {"credentialReportGenerated": ctx.credential_report_generated,
                           "regions": list(ctx.regions), "plan": ctx.plan,
                           **({"organizationId": ctx.organization_id, "accounts": list(ctx.accounts)}
                              if ctx.accounts is not None else {}),
                           "passedEvaluations": len(ctx.evaluated)},
            "results": results,
        }],
    }
    from mfaguard.report.sarif import within_github_limits

    return json.dumps(within_github_limits(doc), indent=2, default=str) + "\n"


# ---------------------------------------------------------------------------- junit


def junitxml(findings: list[Finding], ctx: ReportContext) -> str:
    failures = sum(1 for f in findings if f.compliance == "FAILED")
    suites = ET.Element("testsuites", name="mfaguard drift", tests=str(len(findings)), failures=str(failures),
                        errors=str(len(ctx.errors)))
    suite = ET.SubElement(suites, "testsuite", name="mfaguard drift", tests=str(len(findings)),
                          failures=str(failures), errors=str(len(ctx.errors)), timestamp=ctx.timestamp()[:19])
    props = ET.SubElement(suite, "properties")
    for name, value in (("plan", ctx.plan), ("account_id", ctx.account_id), ("regions", ",".join(ctx.regions)),
                        ("credential_report_generated", ctx.credential_report_generated),
                        ("passed_evaluations", len(ctx.evaluated))):
        ET.SubElement(props, "property", name=name, value=str(value or ""))
    for f in findings:
        resource = f.address or f.arn or f.id or "unknown"
        acct = _account(f, ctx)
        case = ET.SubElement(suite, "testcase", classname=f"mfaguard.drift.{f.control}",
                             name=f"[{f.control}] {f.kind} {resource}" + (f" ({f.region})" if f.region else "") +
                             (f" [account {acct}]" if ctx.accounts is not None and acct else ""))
        ET.SubElement(ET.SubElement(case, "properties"), "property", name="account_id", value=acct or "")
        if f.compliance == "FAILED":
            fail = ET.SubElement(case, "failure", type=f.kind, message=f.message)
            fail.text = (f"{CONTROLS[f.control].title}\nseverity: {f.severity}\nexpected: {f.expected}\n"
                         f"actual: {f.actual}\nremediation: {CONTROLS[f.control].remediation}")
        elif f.compliance == "UNKNOWN":
            ET.SubElement(case, "skipped", message=f.message)
        else:
            out = ET.SubElement(case, "system-out")
            out.text = f.message
    for i, err in enumerate(ctx.errors):
        case = ET.SubElement(suite, "testcase", classname="mfaguard.drift.access", name=f"AWS access {i + 1}")
        ET.SubElement(case, "error", type="AwsAccessError", message=err)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# ---------------------------------------------------------------------------- asff

# Security Hub's own control findings use ".../AWS-Foundational-Security-Best-Practices"; mfaguard's
# say whose they are and which kind, so a filter on Types or Title never mixes the two.
_ASFF_NAMESPACE = "Software and Configuration Checks/Industry and Regulatory Standards"
_ASFF_KIND = {"drift": "mfaguard drift", "unmanaged": "mfaguard unmanaged identity",
              "missing": "mfaguard missing resource", "noncompliant": "mfaguard noncompliant",
              "evaluated": "mfaguard evaluated"}
_GLOBAL_CONTROLS = ("IAM.5", "IAM.6", "IAM.9", "IAM.19")  # IAM is global: no region in their Ids


def resource_type(f: Finding) -> str:
    """The ASFF resource type of a finding's resource (also the JSON findings' resource_type)."""
    if f.control in ("IAM.9", "IAM.6"):
        return "AwsAccount"
    if f.control.startswith("Cognito"):
        return "AwsCognitoUserPool"
    if (f.arn and ":policy/" in f.arn) or "aws_iam_policy." in (f.address or ""):
        return "AwsIamPolicy"
    if (f.arn and ":group/" in f.arn) or ".aws_iam_group." in f".{f.address or ''}" or \
            (f.address or "").startswith("aws_iam_group."):
        return "AwsIamGroup"
    return "AwsIamUser"


def _asff_resource_type(f: Finding) -> str:
    # ASFF has no AwsCognitoUserPool resource type: "Other" with the pool's details.
    rtype = resource_type(f)
    return "Other" if rtype == "AwsCognitoUserPool" else rtype


def home_region(ctx: ReportContext) -> str:
    """Where global (IAM) findings are imported: the first of the run's regions in sorted order,
    so the order of --region never changes a finding's ProductArn or Id."""
    return sorted(ctx.regions)[0] if ctx.regions else "us-east-1"


def asff_id(f: Finding, ctx: ReportContext, region: str) -> str:
    """One Id per (account, control, resource type, resource): a user and a group both named
    `deploy` are two findings; IAM findings carry no region (IAM is global), pools carry theirs."""
    account = getattr(f, "account_id", None) or ctx.account_id
    key = f"{resource_type(f)}/{_resource_key(f)}"
    where = "global" if f.control in _GLOBAL_CONTROLS else region
    raw = f"mfaguard/{account}/{where}/{f.control}/{key}"
    if len(raw) <= 512:
        return raw
    return f"mfaguard/{account}/{where}/{f.control}/{hashlib.sha256(key.encode()).hexdigest()}"


def asff(findings: list[Finding], ctx: ReportContext) -> str:
    """BatchImportFindings input; one finding per (account, region, control, resource).

    ProductArn is the default product of the finding's own account (AwsAccountId): Security Hub
    takes a finding with the default product ARN only from the account it belongs to (API
    reference, BatchImportFindings), so `mfaguard securityhub import --role-name` imports an
    organisation's findings in each member account, and the delegated administrator sees them
    through Security Hub's own aggregation."""
    partition = ctx.partition or "aws"
    home = home_region(ctx)
    now = ctx.timestamp()
    merged: dict[str, dict[str, Any]] = {}
    for f in list(findings) + list(ctx.evaluated):
        region = home if f.control in _GLOBAL_CONTROLS else (f.region or home)
        fid = asff_id(f, ctx, region)
        account = _account(f, ctx) or "000000000000"
        control = CONTROLS[f.control]
        status = f.compliance if f.compliance in ("PASSED", "FAILED") else "NOT_AVAILABLE"
        if fid in merged:  # same resource and control, another kind: one finding, both stories
            prev = merged[fid]
            prev["Description"] = (prev["Description"] + " | " + f.message)[:1024]
            prev["ProductFields"]["mfaguard/kind"] += f",{f.kind}"
            kind_type = f"{_ASFF_NAMESPACE}/{_ASFF_KIND.get(f.kind, 'mfaguard')}"
            if kind_type not in prev["Types"] and len(prev["Types"]) < 50:
                prev["Types"].append(kind_type)
                prev["FindingProviderFields"]["Types"] = list(prev["Types"])
            if status == "FAILED":
                prev["Compliance"]["Status"] = "FAILED"
                prev["Severity"] = {"Label": f.severity, "Original": f.severity}
                prev["FindingProviderFields"]["Severity"] = dict(prev["Severity"])
            continue
        resource_id = f.arn or (f"arn:{partition}:iam::{account}:root" if control.id in ("IAM.9", "IAM.6")
                                else (f.id or f.address or "unknown"))
        related = [f"{fw} {i}" for fw, ids in control.frameworks.items() if fw != SECURITY_HUB for i in ids]
        product_fields = {"mfaguard/kind": f.kind, "mfaguard/expected": str(f.expected),
                          "mfaguard/actual": str(f.actual),
                          # the plan's file name only: a runner's local path means nothing in Security Hub
                          "mfaguard/plan": os.path.basename(ctx.plan or ""),
                          "ControlId": control.id, "RecommendationUrl": _help_uri(control.id)}
        if f.address:
            product_fields["mfaguard/address"] = f.address
        resource = {"Type": _asff_resource_type(f), "Id": resource_id[:512], "Partition": partition,
                    "Region": region}
        if f.id and resource["Type"] == "Other":
            resource["Details"] = {"Other": {"UserPoolId": f.id, "Name": str(f.address or f.id)[:1024]}}
        merged[fid] = {
            "SchemaVersion": "2018-10-08",
            "Id": fid,
            "ProductArn": f"arn:{partition}:securityhub:{region}:{account}:product/{account}/default",
            "GeneratorId": f"mfaguard/drift/{control.id}",
            "AwsAccountId": account,
            "Types": [f"{_ASFF_NAMESPACE}/{_ASFF_KIND.get(f.kind, 'mfaguard')}"],
            "CreatedAt": now,
            "UpdatedAt": now,
            "Severity": ({"Label": f.severity, "Original": f.severity} if status == "FAILED"
                         else {"Label": "INFORMATIONAL", "Original": f.severity}),
            "FindingProviderFields": {"Severity": ({"Label": f.severity, "Original": f.severity}
                                                   if status == "FAILED" else
                                                   {"Label": "INFORMATIONAL", "Original": f.severity}),
                                      "Types": [f"{_ASFF_NAMESPACE}/{_ASFF_KIND.get(f.kind, 'mfaguard')}"]},
            "Title": f"mfaguard {f.kind}: {control.id} {control.title}"[:256],
            "Description": f.message[:1024],
            "Remediation": {"Recommendation": {"Text": control.remediation[:512], "Url": _help_uri(control.id)}},
            "ProductFields": product_fields,
            "Resources": [resource],
            "Compliance": {"Status": status, "SecurityControlId": control.id,
                           "RelatedRequirements": related[:32]},
            "RecordState": "ACTIVE",
            "Workflow": {"Status": "NEW"},
        }
    return json.dumps(list(merged.values()), indent=2, default=str) + "\n"
