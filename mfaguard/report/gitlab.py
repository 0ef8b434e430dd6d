"""--format gitlab_sast: GitLab's SAST report (the shape Checkov's `-o gitlab_sast` writes,
schema v15.0.4), with mfaguard's own words: the finding's reason as description, its fix as
solution, mfaguard as scanner, and an id derived from check, file and resource so a re-run
keeps the same vulnerability.  For `artifacts: reports: sast:` in .gitlab-ci.yml.
"""
from __future__ import annotations

import json
import uuid
from typing import Any

from mfaguard import __version__
from mfaguard.report.model import FAILED, Report

SCHEMA = ("https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v15.0.4/dist/"
          "sast-report-format.json")
_SEVERITY = {"CRITICAL": "Critical", "HIGH": "High", "MEDIUM": "Medium", "LOW": "Low"}
_NAMESPACE = uuid.UUID("5b0c3f0e-4d0a-4e55-9d7e-6d6667756172")


def render(report: Report, now: str) -> str:
    scanner = {"id": "mfaguard", "name": "mfaguard", "url": "https://github.com/mfaguard/mfaguard",
               "vendor": {"name": "mfaguard"}, "version": __version__}
    vulns = []
    for item in report.sorted_items():
        if item.status != FAILED or not item.file:
            continue
        fix = (item.fix_intro or "") + (f"\n\n{item.fix}" if item.fix else "")
        vuln: dict[str, Any] = {
            "id": str(uuid.uuid5(_NAMESPACE, f"{item.check_id}|{item.file}|{item.resource}")),
            "identifiers": [{"name": item.check_id, "type": "mfaguard", "value": item.check_id,
                             **({"url": item.help_url} if item.help_url else {})}],
            "location": {"file": item.file, "start_line": item.start_line or 1,
                         "end_line": item.end_line or item.start_line or 1},
            "name": f"{item.title} ({item.resource})",
            "description": item.reason,
            "severity": _SEVERITY.get(item.severity, "Unknown"),
            "solution": fix.strip() or item.title,
        }
        if item.help_url:
            vuln["links"] = [{"url": item.help_url}]
        vulns.append(vuln)
    doc = {"schema": SCHEMA, "version": "15.0.4",
           "scan": {"start_time": now, "end_time": now, "analyzer": scanner, "scanner": scanner,
                    "status": "success", "type": "sast"},
           "vulnerabilities": vulns}
    return json.dumps(doc, indent=2) + "\n"
