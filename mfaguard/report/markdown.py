"""--format markdown: a GitHub job summary ($GITHUB_STEP_SUMMARY) or a PR/MR comment.

    render(report, max_bytes=MAX_SUMMARY_BYTES) -> str

A one-line verdict; a table of the failed findings (check, severity, resource, file:line,
one-line reason); each distinct fix once, in a collapsed <details> listing the findings it
fixes; the UNKNOWNs with their reasons; passed checks only as a count.  The text stays under
`max_bytes` (UTF-8): GitHub accepts 1 MiB per step summary, a comment ~64 KB (65,536
characters); findings are dropped from the end (lowest severity first) and a note says how
many were left out.  Every PR-controlled string goes through mfaguard.report.escape.
"""
from __future__ import annotations

from mfaguard.report.escape import html_text, md_code, md_fence, md_text
from mfaguard.report.model import FAILED, NOTICE, UNKNOWN, Item, Report

MAX_SUMMARY_BYTES = 1024 * 1024 - 1024  # GitHub's step-summary limit is 1 MiB; keep a margin
MAX_REASON_CHARS = 400
_ICON = {"PASS": ":white_check_mark:", "FAIL": ":x:", "ERROR": ":warning:", "FINDINGS": ":warning:"}


def _reason(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_REASON_CHARS else text[: MAX_REASON_CHARS - 1] + "…"


def _row(item: Item, drift: bool) -> str:
    cells = [md_code(item.check_id), item.severity]
    if drift:
        cells.append(md_text(item.kind or ""))
    cells += [md_code(item.resource), md_code(item.region or "global") if drift else _location(item),
              md_text(_reason(item.reason))]
    return "| " + " | ".join(cells) + " |"


def _location(item: Item) -> str:
    if not item.location:
        return ""
    return md_code(item.location) + (f" (called from {md_code(item.caller)})" if item.caller else "")


def _table(items: list[Item], drift: bool) -> list[str]:
    head = (["check", "severity", "kind", "resource", "region", "reason"] if drift
            else ["check", "severity", "resource", "file:line", "reason"])
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += [_row(i, drift) for i in items]
    return out


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _fixes(items: list[Item]) -> list[str]:
    """One <details> per distinct fix, naming every place it fixes (each once)."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for item in items:
        if item.fix or item.fix_intro:
            groups.setdefault((item.fix_intro or "", item.fix or ""), []).append(item)
    out: list[str] = []
    for (intro, fix), members in groups.items():
        checks = ", ".join(dict.fromkeys(m.check_id for m in members))
        places = list(dict.fromkeys((m.resource, m.location) for m in members))
        resources = list(dict.fromkeys(m.resource for m in members))
        summary = f"Fix {checks}: {resources[0]}" + (f" and {len(resources) - 1} more" if len(resources) > 1 else "")
        out += ["<details>", f"<summary>{html_text(summary)}</summary>", ""]
        out.append("Where: " + ", ".join(md_code(r, in_table=False) + (f" ({md_code(loc, in_table=False)})" if loc else "")
                                         for r, loc in places))
        out.append("")
        if intro:
            out += [md_text(_cap(intro)), ""]
        if fix:
            out += [md_fence(fix, "hcl"), ""]
        out += ["</details>", ""]
    return out


def _unknowns(items: list[Item]) -> list[str]:
    out = []
    for item in items:
        where = f" ({md_code(item.location, in_table=False)})" if item.location else ""
        out.append(f"- {md_code(item.check_id, in_table=False)} {md_code(item.resource, in_table=False)}{where}: "
                   f"{md_text(_reason(item.reason))}")
    return out


def _body(report: Report, items: list[Item], left_out: tuple[int, int, int], limit: int) -> str:
    drift = report.command == "drift"
    verdict = report.verdict()
    out = [f"## mfaguard {report.command}", "", f"{_ICON.get(verdict.split(':')[0], '')} **{md_text(verdict)}**", ""]
    if report.context:
        out += [md_text(report.context), ""]
    for err in report.errors:
        out.append(f"- :warning: error: {md_text(err)}")
    if report.errors:
        out.append("")
    failed = [i for i in items if i.status == FAILED]
    notices = [i for i in items if i.status == NOTICE]
    undecided = [i for i in items if i.status == UNKNOWN and not i.not_applicable]
    na = [i for i in items if i.status == UNKNOWN and i.not_applicable]
    if failed:
        out += [f"### Failed ({len(report.failed)})", ""] + _table(failed, drift) + [""]
        out += _fixes(failed)
    if report.graph:
        out += ["### Who is covered", "", report.graph, ""]
    if notices:
        out += [f"### Other findings ({len(report.notices)})", ""] + _table(notices, drift) + [""]
    if undecided:
        out += [f"### Unknown: could not decide ({len(report.undecided)})", ""] + _unknowns(undecided) + [""]
    if na:
        out += ["<details>", f"<summary>Not applicable ({len(report.unknown) - len(report.undecided)})</summary>", ""]
        out += _unknowns(na) + ["", "</details>", ""]
    if report.command == "scan":
        out.append(f"Passed: {report.passed} check(s)" + (f"; skipped: {report.skipped}" if report.skipped else "") + ".")
    for note in report.notes:
        out.append(f"- note: {md_text(note)}")
    if any(left_out):
        f, u, n = left_out
        parts = [f"{f} failed finding(s)" if f else "", f"{u} unknown(s)" if u else "", f"{n} other finding(s)" if n else ""]
        out += ["", f"> **Truncated:** {', '.join(p for p in parts if p)} left out to stay under {limit:,} bytes; "
                    "the full list: `--format cli`, `json` or `sarif`."]
    return "\n".join(out).rstrip("\n") + "\n"


def render(report: Report, max_bytes: int | None = None) -> str:
    limit = max_bytes or MAX_SUMMARY_BYTES
    items = report.sorted_items()

    def build(k: int) -> str:
        kept = items[:k]
        dropped = items[k:]
        left = (sum(i.status == FAILED for i in dropped), sum(i.status == UNKNOWN for i in dropped),
                sum(i.status == NOTICE for i in dropped))
        return _body(report, kept, left, limit)

    text = build(len(items))
    if len(text.encode("utf-8")) <= limit:
        return text
    lo, hi = 0, len(items)  # largest k whose text fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if len(build(mid).encode("utf-8")) <= limit:
            lo = mid
        else:
            hi = mid - 1
    text = build(lo)
    if len(text.encode("utf-8")) > limit:  # even the frame is too big (e.g. thousands of input errors)
        note = "\n\n> **Truncated** to stay under the byte limit.\n"
        cut = text.encode("utf-8")[: max(0, limit - len(note.encode()))].decode("utf-8", "ignore")
        text = cut[: cut.rfind("\n") + 1 if "\n" in cut else len(cut)] + note
    return text
