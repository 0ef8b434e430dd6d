"""--format rdjsonl: reviewdog's Diagnostic format, one JSON object per line
(github.com/reviewdog/reviewdog proto/rdf/reviewdog.proto):

    {"message", "location": {"path", "range": {"start": {"line", "column"}, "end": {...}}},
     "severity": "ERROR"|"WARNING", "source": {"name", "url"}, "code": {"value", "url"},
     "suggestions": [{"range": {...}, "text": "\\"ON\\""}]}

Where the fix is a change of one value in the finding's own lines (mfa_configuration =
"OPTIONAL" -> "ON"; advanced_security_mode = "AUDIT" -> "ENFORCED"), the diagnostic's location
is that value (end column exclusive, columns in UTF-8 bytes, as the proto says) and a
suggestion carries the replacement, so `reviewdog -reporter=github-pr-review` offers a
one-click suggestion.  Otherwise the location is the resource's lines and the message carries
the HCL to add.  reviewdog posts the message as Markdown: it is defanged (mfaguard.report.escape).
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass

from mfaguard.report.escape import md_fence, md_text
from mfaguard.report.model import FAILED, Item, Report

SOURCE = {"name": "mfaguard", "url": "https://github.com/mfaguard/mfaguard"}


@dataclass(frozen=True)
class ValueFix:
    attribute: str
    bad: tuple[str, ...]  # literal values that fail
    good: str  # the replacement literal
    requires: tuple[str, ...] = ()  # regexes: one must match a line of the block, else the change alone fails


# check id -> the one-value change that fixes it (catalogue fix_hcl says the same)
VALUE_FIXES = {
    # ON needs a factor configured (AWS rejects MFA ON without one)
    "CKV_MFA_1": ValueFix("mfa_configuration", ("OPTIONAL", "OFF"), "ON",
                          requires=(r"\bsoftware_token_mfa_configuration\b", r"\bsms_configuration\b",
                                    r"\bemail_mfa_configuration\b")),
    # threat protection is a Plus-tier feature: on another tier the value change alone fails
    "CKV_MFA_3": ValueFix("advanced_security_mode", ("AUDIT", "OFF"), "ENFORCED",
                          requires=(r'^\s*user_pool_tier\s*=\s*"PLUS"',)),
    "CKV_MFA_5": ValueFix("custom_auth_mode", ("AUDIT", "OFF"), "ENFORCED",
                          requires=(r'^\s*user_pool_tier\s*=\s*"PLUS"',)),
}


def _read_lines(path: str) -> list[str] | None:
    try:
        with open(path, encoding="utf-8-sig") as fh:
            return fh.read().splitlines()
    except (OSError, UnicodeDecodeError):
        return None


def value_suggestion(item: Item, lines: list[str] | None = None) -> dict | None:
    """{"line", "start", "end", "text"} (1-based, byte columns, end exclusive) or None."""
    fix = VALUE_FIXES.get(item.check_id)
    if fix is None or item.status != FAILED or not item.file or not item.start_line:
        return None
    if not item.file.endswith((".tf", ".tofu")):
        return None  # plan JSON is not edited by hand
    lines = lines if lines is not None else _read_lines(item.file)
    if lines is None:
        return None
    first, last = item.start_line, min(item.end_line or item.start_line, len(lines))
    block = lines[first - 1:last]
    if fix.requires and not any(re.search(r, ln) for ln in block for r in fix.requires):
        return None
    pattern = re.compile(rf'^(\s*{fix.attribute}\s*=\s*)("(?:{"|".join(fix.bad)})")\s*(?:#.*|//.*)?$')
    hits = [(first + n, m) for n, ln in enumerate(block) if (m := pattern.match(ln))]
    if len(hits) != 1:
        return None  # absent, or several blocks nest the attribute: the message's HCL says it
    line_no, m = hits[0]
    start = len(m.group(1).encode("utf-8")) + 1
    end = start + len(m.group(2).encode("utf-8"))
    return {"line": line_no, "start": start, "end": end, "text": f'"{fix.good}"'}


def _message(item: Item, suggested: bool) -> str:
    text = md_text(f"{item.check_id} ({item.severity}) {item.resource}: {item.reason}")
    if item.fix_intro and not suggested:
        text += "\n\nFix: " + md_text(item.fix_intro)
    if item.fix and not suggested:
        text += "\n\n" + md_fence(item.fix, "hcl")
    return text


def diagnostic(item: Item) -> dict | None:
    if not item.file or item.not_applicable:
        return None
    sug = value_suggestion(item)
    if sug:
        rng = {"start": {"line": sug["line"], "column": sug["start"]},
               "end": {"line": sug["line"], "column": sug["end"]}}
    else:
        rng = {"start": {"line": item.start_line or 1}}
        if item.end_line:
            rng["end"] = {"line": item.end_line}
    diag: dict = {
        "message": _message(item, bool(sug)),
        "location": {"path": item.file.replace(os.sep, "/"), "range": rng},
        "severity": "ERROR" if item.status == FAILED else "WARNING",
        "source": SOURCE,
        "code": {"value": item.check_id, **({"url": item.help_url} if item.help_url else {})},
    }
    if sug:
        diag["suggestions"] = [{"range": rng, "text": sug["text"]}]
    return diag


def render(report: Report) -> str:
    out = []
    for item in report.sorted_items():
        diag = diagnostic(item)
        if diag is not None:
            out.append(json.dumps(diag, ensure_ascii=False, sort_keys=True))
    return "\n".join(out) + ("\n" if out else "")
