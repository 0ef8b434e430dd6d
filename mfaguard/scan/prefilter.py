"""Keep only the HCL blocks mfaguard's checks can depend on, before hcl2 parses them.

A default Checkov run parses and graphs *every* resource; the MFA checks look at a dozen
IAM/Cognito resource types. This module blanks the other top-level ``resource`` blocks of
a module folder, character for character (newlines kept), so hcl2 and Checkov's graph see
far fewer blocks while every kept block keeps its file path, line numbers and skip comments.

What is kept (conservative):
  * every non-``resource`` block: data, variable, locals, module, provider, output,
    terraform, moved, import, check, ... ;
  * every ``resource`` of a RELEVANT type (see :func:`relevant_resource_types`);
  * every resource referenced, transitively, by a kept block (``TYPE.NAME`` anywhere in
    the kept block's text, ``depends_on`` included), so values and graph edges a kept
    block can see are unchanged.

When the splitter is unsure (unbalanced braces, a top-level token it does not expect,
a string it cannot close) the file is returned unchanged: hcl2 then parses the original,
and reports its own error if the file really is malformed.

Pure text processing: no Checkov import, no I/O except reading policy YAML for types.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Iterable, Mapping

_YAML_TYPE_KEYS = ("resource_types", "connected_resource_types")


def _types_in_policy(node: object, out: set[str]) -> bool:
    """Collect resource types named by a Checkov YAML graph policy; False if it says `all`."""
    ok = True
    if isinstance(node, dict):
        for key, value in node.items():
            if key in _YAML_TYPE_KEYS:
                values = value if isinstance(value, list) else [value]
                for v in values:
                    if not isinstance(v, str) or v.lower() == "all":
                        ok = False
                    else:
                        out.add(v)
            elif not _types_in_policy(value, out):
                ok = False
    elif isinstance(node, list):
        for item in node:
            if not _types_in_policy(item, out):
                ok = False
    return ok


def relevant_resource_types(policy_dirs: Iterable[str] = ()) -> frozenset[str] | None:
    """Every resource type a check may read, or None when that cannot be bounded.

    The union of: the catalogue's check resources (and `depends_on`, should the catalogue
    gain that field), the types the Python graph checks read (``mfaguard.checkov_adapter.IAM_TYPES``,
    their own declaration), and every type named in the YAML graph policies found in
    `policy_dirs` (so a new policy cannot silently lose the blocks it needs).  None (no
    prefilter) when the graph checks' list cannot be imported or a policy applies to `all`.
    """
    from mfaguard.catalogue import CHECKS

    try:
        from mfaguard.checkov_adapter import IAM_TYPES
    except ImportError:  # pragma: no cover - cannot bound what the graph checks read
        return None
    types: set[str] = {t for t in IAM_TYPES if not t.startswith("data.")}
    for meta in CHECKS.values():
        for res in tuple(meta.resources) + tuple(getattr(meta, "depends_on", ()) or ()):
            if not res.startswith("data."):
                types.add(res)
    for folder in policy_dirs:
        if not folder or not os.path.isdir(folder):
            continue
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if not name.endswith((".yaml", ".yml")):
                    continue
                import yaml

                try:
                    with open(os.path.join(root, name), encoding="utf-8") as fh:
                        doc = yaml.safe_load(fh)
                except (OSError, yaml.YAMLError, UnicodeDecodeError):
                    return None  # cannot tell what it needs: keep everything
                if not _types_in_policy(doc, types):
                    return None
    return frozenset(types)


class Unsure(Exception):
    """The splitter met something it does not understand: use the original text."""


class TooDeep(Exception):
    """Brackets nested deeper than MAX_NESTING: no parser should be handed this file."""


# Real configurations nest a few dozen levels; hcl2's tree transformer recurses per level and
# fails (slowly) near Python's recursion limit.  Deeper files are refused before parsing.
MAX_NESTING = int(os.environ.get("MFAGUARD_MAX_NESTING", "500"))


@dataclass(frozen=True)
class Block:
    header: tuple[str, ...]  # ("resource", "aws_iam_user", "u") / ("locals",) / ...
    start: int  # offset of the first header token
    end: int  # offset just after the closing brace


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LABEL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_WS = re.compile(r"[ \t\r\n]+")
_CODE_SPECIAL = re.compile(r'[{}\[\]()"#/<]')
_STR_SPECIAL = re.compile(r'[\\"$%\n]')
_HEREDOC = re.compile(r"<<(-?)([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_CLOSER = {"{": "}", "[": "]", "(": ")"}


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)

    def skip_comment(self, i: int) -> int:
        """i at '#', '//' or '/*': return the offset after the comment."""
        t = self.text
        if t.startswith("/*", i):
            j = t.find("*/", i + 2)
            if j < 0:
                raise Unsure("unclosed /* comment")
            return j + 2
        j = t.find("\n", i)
        return self.n if j < 0 else j + 1

    def skip_heredoc(self, m: re.Match) -> int:
        marker = m.group(2)
        pos = m.end()
        t = self.text
        while pos <= self.n:
            j = t.find("\n", pos)
            line = t[pos:] if j < 0 else t[pos:j]
            if line.strip() == marker:
                return pos + len(line)
            if j < 0:
                break
            pos = j + 1
        raise Unsure("unclosed heredoc")

    def skip_string(self, i: int) -> int:
        """i at the opening quote: return the offset after the closing quote."""
        t = self.text
        i += 1
        while True:
            m = _STR_SPECIAL.search(t, i)
            if m is None:
                raise Unsure("unclosed string")
            c = m.group()
            i = m.start()
            if c == "\\":
                i += 2
            elif c == '"':
                return i + 1
            elif c == "\n":
                raise Unsure("newline in a quoted string")
            else:  # $ or %
                if t.startswith(c + c + "{", i):  # escaped $${ / %%{
                    i += 3
                elif t.startswith("{", i + 1):
                    i = self.skip_code(i + 2, "}")
                else:
                    i += 1

    def skip_code(self, i: int, closer: str) -> int:
        """Scan an expression/body from i until the matching `closer`; return offset after it."""
        t = self.text
        stack = [closer]
        while True:
            m = _CODE_SPECIAL.search(t, i)
            if m is None:
                raise Unsure("unbalanced brackets")
            c = m.group()
            i = m.start()
            if c in _CLOSER:
                stack.append(_CLOSER[c])
                if len(stack) > MAX_NESTING:
                    raise TooDeep(f"brackets nested more than {MAX_NESTING} levels deep")
                i += 1
            elif c in "}])":
                if stack.pop() != c:
                    raise Unsure("mismatched brackets")
                i += 1
                if not stack:
                    return i
            elif c == '"':
                i = self.skip_string(i)
            elif c == "#" or (c == "/" and t.startswith(("//", "/*"), i)):
                i = self.skip_comment(i)
            elif c == "<":
                h = _HEREDOC.match(t, i)
                i = self.skip_heredoc(h) if h else i + 1
            else:
                i += 1

    def blocks(self) -> list[Block]:
        t = self.text
        out: list[Block] = []
        i = 0
        if t.startswith("\ufeff"):
            i = 1
        while True:
            i = self._skip_ws_comments(i)
            if i >= self.n:
                return out
            m = _IDENT.match(t, i)
            if m is None:
                raise Unsure(f"unexpected top-level text at offset {i}")
            start = i
            header = [m.group()]
            i = m.end()
            while True:
                i = self._skip_ws_comments(i)
                if i >= self.n:
                    raise Unsure("block header without body")
                c = t[i]
                if c == "{":
                    end = self.skip_code(i + 1, "}")
                    out.append(Block(tuple(header), start, end))
                    i = end
                    break
                if c == '"':
                    lm = _LABEL.match(t, i)
                    if lm is None:
                        raise Unsure("bad block label")
                    header.append(lm.group(1))
                    i = lm.end()
                    continue
                lm = _IDENT.match(t, i)
                if lm is None:
                    raise Unsure("unexpected token in block header")  # e.g. a top-level attribute
                header.append(lm.group())
                i = lm.end()

    def _skip_ws_comments(self, i: int) -> int:
        t = self.text
        while i < self.n:
            m = _WS.match(t, i)
            if m:
                i = m.end()
                continue
            if t[i] == "#" or t.startswith(("//", "/*"), i):
                i = self.skip_comment(i)
                continue
            break
        return i


def split_blocks(text: str) -> list[Block] | None:
    """Top-level blocks of an HCL file, or None when the splitter is unsure."""
    try:
        return _Scanner(text).blocks()
    except (Unsure, RecursionError):
        return None  # TooDeep propagates: the caller refuses the file


_REF = re.compile(r"(?<![A-Za-z0-9_.-])([A-Za-z_][A-Za-z0-9_-]*)\.([A-Za-z_][A-Za-z0-9_-]*)")


def _blank_all(text: str, blocks: list[Block]) -> str:
    """`text` with every block in `blocks` (in file order) replaced by its newlines only."""
    pieces: list[str] = []
    pos = 0
    for b in blocks:
        pieces.append(text[pos:b.start])
        pieces.append("\n" * text.count("\n", b.start, b.end))
        pos = b.end
    pieces.append(text[pos:])
    return "".join(pieces)


@dataclass(frozen=True)
class FilterStats:
    resources: int = 0
    kept: int = 0
    files_unchanged: int = 0
    too_deep: tuple[str, ...] = ()  # files nested deeper than MAX_NESTING: refuse, never parse


def filter_module(texts: Mapping[str, str], relevant: frozenset[str] | None) -> tuple[dict[str, str], FilterStats]:
    """Filter the .tf texts of ONE module folder (path -> text); returns new texts + stats.

    References are followed across the files of the folder (a module's namespace).
    A file the splitter is unsure about is kept whole, and every block of it counts as
    kept (its references are followed), so nothing it points to is lost.
    """
    if relevant is None:
        return dict(texts), FilterStats(files_unchanged=len(texts))
    split: dict[str, list[Block] | None] = {}
    too_deep: list[str] = []
    for p, t in texts.items():
        try:
            split[p] = split_blocks(t)
        except TooDeep:
            too_deep.append(p)
    originals = texts
    texts = {p: t for p, t in texts.items() if p not in too_deep}
    resources: dict[tuple[str, str], list[tuple[str, Block]]] = {}
    pending: list[str] = []  # texts of kept blocks whose references are not yet followed
    for path, blocks in split.items():
        if blocks is None:
            pending.append(texts[path])
            continue
        for b in blocks:
            if b.header[0] == "resource" and len(b.header) == 3:
                resources.setdefault((b.header[1], b.header[2]), []).append((path, b))
            else:
                pending.append(texts[path][b.start:b.end])
    kept: set[tuple[str, str]] = set()

    def keep(key: tuple[str, str]) -> None:
        if key in kept:
            return
        kept.add(key)
        for path, b in resources[key]:
            pending.append(texts[path][b.start:b.end])

    for key in resources:
        if key[0] in relevant:
            keep(key)
    while pending:
        chunk = pending.pop()
        for m in _REF.finditer(chunk):
            key = (m.group(1), m.group(2))
            if key in resources:
                keep(key)

    out: dict[str, str] = {}
    unchanged = 0
    for path, text in texts.items():
        blocks = split[path]
        if blocks is None:
            out[path] = text
            unchanged += 1
            continue
        drop = [b for b in blocks
                if b.header[0] == "resource" and len(b.header) == 3 and (b.header[1], b.header[2]) not in kept]
        new = _blank_all(text, drop) if drop else text  # one pass: linear in the size of the file
        out[path] = new
        if new is text:
            unchanged += 1
    total = sum(len(v) for v in resources.values())
    kept_n = sum(len(resources[k]) for k in kept)
    for path in too_deep:  # returned unchanged; callers refuse them (FilterStats.too_deep)
        out[path] = originals[path]
    return out, FilterStats(resources=total, kept=kept_n, files_unchanged=unchanged, too_deep=tuple(too_deep))
