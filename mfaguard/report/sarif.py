"""SARIF post-processing shared by scan and drift: partialFingerprints and GitHub's limits.

partialFingerprints: code scanning matches a result across runs by them.  mfaguard's key is
the rule, the file and the resource address (never line numbers or message text), so an
alert survives unrelated edits above it and a changed message.

Limits (docs.github.com, "SARIF results exceed limit"): 20 runs per file, 25,000 results per
run (only the top 5,000 shown, by severity), 1,000 locations per result, 20 tags per rule
(10 shown).  `within_github_limits` keeps a document inside them: results sorted by level
(error first) before cutting, and a tool notification saying how many were left out.
"""
from __future__ import annotations

import hashlib
from typing import Any

FINGERPRINT_KEY = "mfaguardResource/v1"
MAX_RUNS = 20
MAX_RESULTS = 25_000
MAX_LOCATIONS = 1_000
MAX_TAGS = 10  # the display limit (the hard limit is 20)
_LEVEL_ORDER = {"error": 0, "warning": 1, "note": 2, "none": 3}


def fingerprint(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()


def within_github_limits(doc: dict[str, Any]) -> dict[str, Any]:
    runs = doc.get("runs") or []
    if len(runs) > MAX_RUNS:
        doc["runs"] = runs = runs[:MAX_RUNS]
    for run in runs:
        for rule in run.get("tool", {}).get("driver", {}).get("rules", []):
            tags = rule.get("properties", {}).get("tags")
            if isinstance(tags, list) and len(tags) > MAX_TAGS:
                rule["properties"]["tags"] = tags[:MAX_TAGS]
        results = run.get("results") or []
        for res in results:
            if len(res.get("locations") or []) > MAX_LOCATIONS:
                res["locations"] = res["locations"][:MAX_LOCATIONS]
        if len(results) > MAX_RESULTS:
            results.sort(key=lambda r: _LEVEL_ORDER.get(r.get("level", "warning"), 1))
            left = len(results) - MAX_RESULTS
            run["results"] = results[:MAX_RESULTS]
            inv = run.setdefault("invocations", [{"executionSuccessful": True}])
            inv[0].setdefault("toolExecutionNotifications", []).append({
                "level": "warning",
                "message": {"text": f"{left} result(s) left out: GitHub accepts at most {MAX_RESULTS:,} per run"},
            })
    return doc
