"""The coverage picture (report/coverage.py) as Mermaid (GitHub renders it in Markdown) or DOT.

    mermaid(coverage, max_users=..., only=None) -> str
    dot(coverage, max_users=...) -> str

users -> groups -> policies; each user box says how it signs in and whether MFA is enforced
(covered / NOT covered: which path / unknown: why).  Bounded: at most `max_users` users are
drawn (not covered first, then unknown, then covered); one box says how many were left out.
Labels are escaped for each language: Mermaid entity codes (#34;) for everything but letters,
digits and a few safe marks, DOT quoted strings with \\ and " escaped.
"""
from __future__ import annotations

import re

from mfaguard.report.coverage import COVERED, NOT_COVERED, UNKNOWN, Coverage, UserCoverage

MAX_USERS = 60
MAX_LABEL = 120
_STYLE = {COVERED: ("covered", "#d4edda", "#2e7d32"), NOT_COVERED: ("notcovered", "#f8d7da", "#c62828"),
          UNKNOWN: ("unknown", "#fff3cd", "#b8860b")}
_SAFE = re.compile(r"[A-Za-z0-9 _.,/()\[\]-]")
_ORDER = {NOT_COVERED: 0, UNKNOWN: 1, COVERED: 2}


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def mermaid_text(text: str) -> str:
    """Mermaid label text: every character outside a small safe set as an entity code (#nnn;)."""
    return "".join(c if _SAFE.fullmatch(c) else f"#{ord(c)};" for c in _short(text))


def dot_text(text: str) -> str:
    return _short(text).replace("\\", "\\\\").replace('"', '\\"')


def _status_line(u: UserCoverage) -> str:
    if u.status == COVERED:
        return "covered: MFA enforced"
    if u.status == NOT_COVERED:
        return f"NOT covered: {u.why}"
    return f"unknown: {u.why}"


def _select(cov: Coverage, max_users: int, only: set[str] | None) -> tuple[list[UserCoverage], int]:
    users = [u for u in cov.users if only is None or u.address in only]
    users.sort(key=lambda u: (_ORDER[u.status], u.address))
    return users[:max_users], max(0, len(users) - max_users)


def _layout(users: list[UserCoverage]) -> tuple[dict, dict, list]:
    """Node ids for groups and policies, and the edges (from, to, label)."""
    groups: dict[str, str] = {}
    policies: dict[tuple[str, str], str] = {}
    edges: list[tuple[str, str, str]] = []
    for i, u in enumerate(users):
        uid = f"u{i}"
        for g in u.groups:
            gid = groups.setdefault(g, f"g{len(groups)}")
            edges.append((uid, gid, "member"))
        for p in u.policies:
            pid = policies.setdefault((p.label, p.enforces), f"p{len(policies)}")
            src = groups.setdefault(p.via_group, f"g{len(groups)}") if p.via_group else uid
            edges.append((src, pid, "attached"))
    return groups, policies, list(dict.fromkeys(edges))


def mermaid(cov: Coverage, *, max_users: int = MAX_USERS, only: set[str] | None = None) -> str:
    users, left = _select(cov, max_users, only)
    groups, policies, edges = _layout(users)
    out = ["flowchart LR"]
    for i, u in enumerate(users):
        label = "<br/>".join(mermaid_text(x) for x in (f"user {u.name}", u.address, u.signin, _status_line(u)))
        out.append(f'  u{i}["{label}"]:::{_STYLE[u.status][0]}')
    for g, gid in groups.items():
        out.append(f'  {gid}["{mermaid_text("group " + g)}"]')
    for (label, enforces), pid in policies.items():
        out.append(f'  {pid}["{mermaid_text(label)}<br/>{mermaid_text(enforces)}"]')
    for a, b, _ in edges:
        out.append(f"  {a} --> {b}")
    if left:
        out.append(f'  more["{mermaid_text(f"... and {left} more user(s) not drawn")}"]')
    if not users and not left:
        out.append(f'  none["{mermaid_text("no IAM users found")}"]')
    for status, (cls, fill, stroke) in _STYLE.items():
        out.append(f"  classDef {cls} fill:{fill},stroke:{stroke},color:#000")
    return "\n".join(out) + "\n"


def markdown_block(cov: Coverage, users: set[str], max_users: int = 20) -> str | None:
    """A ```mermaid block for the Markdown report: only `users` (those that fail or are unknown)."""
    chosen = [u for u in cov.users if u.address in users]
    if not chosen:
        return None
    return "```mermaid\n" + mermaid(cov, max_users=max_users, only=users) + "```"


def dot(cov: Coverage, *, max_users: int = MAX_USERS, only: set[str] | None = None) -> str:
    users, left = _select(cov, max_users, only)
    groups, policies, edges = _layout(users)
    out = ["digraph mfaguard {", "  rankdir=LR;",
           '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica"];']
    for i, u in enumerate(users):
        _, fill, stroke = _STYLE[u.status]
        label = "\\n".join(dot_text(x) for x in (f"user {u.name}", u.address, u.signin, _status_line(u)))
        out.append(f'  u{i} [label="{label}", fillcolor="{fill}", color="{stroke}"];')
    for g, gid in groups.items():
        out.append(f'  {gid} [label="{dot_text("group " + g)}"];')
    for (label, enforces), pid in policies.items():
        out.append(f'  {pid} [label="{dot_text(label)}\\n{dot_text(enforces)}"];')
    for a, b, label in edges:
        out.append(f'  {a} -> {b} [label="{label}"];')
    if left:
        out.append(f'  more [label="... and {left} more user(s) not drawn", style=dashed];')
    out.append("}")
    return "\n".join(out) + "\n"
