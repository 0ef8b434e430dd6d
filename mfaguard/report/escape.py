"""Every escaping rule for text a pull request controls (resource names, keys, file names,
policy text, messages that quote them), by where the text lands.  One place, tested with
crafted names in tests/test_report_escape.py.

Markdown (GitHub job summaries, PR/MR comments, reviewdog comments):
    md_text(s)     prose, safe in a paragraph or a table cell: no HTML, no Markdown markup,
                   no table break, no @mention, no #123 cross-reference, one line
    md_code(s)     an inline code span (identifiers, file:line), safe in a table cell
    md_fence(s)    a fenced code block that the text cannot close
    html_text(s)   text inside an HTML element (<summary>), one line
    Callers never start a line with PR-controlled text: block syntax (#, -, >) stays ours.

GitHub workflow commands (`::error file=...,line=...,title=...::message`), as the Actions
toolkit escapes them (@actions/core command.ts: escapeData / escapeProperty):
    gh_data(s)      message: % -> %25, CR -> %0D, LF -> %0A
    gh_property(s)  property value: the same, and : -> %3A, , -> %2C
"""
from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")  # C0/C1 controls, ESC (ANSI) included
_MENTION = re.compile(r"@(?=[A-Za-z0-9_-])")
_ISSUE_REF = re.compile(r"(?<!&)#(?=\d)")
_MD_PUNCT = re.compile(r"([\\`*_\[\]|~])")
ZWSP = "&#8203;"  # zero-width space: breaks @mentions and #123 references, invisible when rendered


def one_line(text: object) -> str:
    """The text on one line (CR/LF/tabs to spaces), without terminal control characters."""
    s = str(text).replace("\r\n", " ").replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return _CONTROL.sub("", s).strip()


def _defang(s: str) -> str:
    s = _MENTION.sub("@" + ZWSP, s)
    return _ISSUE_REF.sub("#" + ZWSP, s)


def md_text(text: object) -> str:
    s = one_line(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _MD_PUNCT.sub(r"\\\1", s)
    return _defang(s)


def html_text(text: object) -> str:
    s = one_line(text)
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _defang(s)


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max((len(r) for r in runs), default=0)


def md_code(text: object, *, in_table: bool = True) -> str:
    """An inline code span.  Code spans show HTML, mentions and markup literally; a backtick in
    the text gets a longer delimiter; in a table, `|` is written `\\|` (GFM strips the backslash)."""
    s = one_line(text)
    if in_table:
        s = s.replace("|", "\\|")
    fence = "`" * (_longest_run(s, "`") + 1)
    pad = " " if s.startswith("`") or s.endswith("`") or not s.strip() else ""
    return f"{fence}{pad}{s}{pad}{fence}"


def md_fence(text: str, lang: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run in the text."""
    body = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).rstrip("\n")
    fence = "`" * max(3, _longest_run(body, "`") + 1)
    return f"{fence}{lang}\n{body}\n{fence}"


def gh_data(text: object) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def gh_property(text: object) -> str:
    return gh_data(text).replace(":", "%3A").replace(",", "%2C")
