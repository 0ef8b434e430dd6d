"""Regenerates the generated parts of README.md and docs/checks.md (`make readme`).

Generated blocks sit between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers; their
content comes from the one place that states it (mfaguard.catalogue for checks, and
mfaguard.drift.permissions for the drift reader's IAM actions). Tests fail when a
generated block is stale.
"""
from __future__ import annotations

import re
import sys
from typing import Callable


def blocks() -> dict[str, Callable[[], str]]:
    from mfaguard import catalogue
    from mfaguard.drift import permissions

    return {"checks": catalogue.markdown_table, "permissions": permissions.markdown_table,
            "member-role": permissions.member_role_markdown}


def render(text: str) -> str:
    for name, make in blocks().items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.S)
        if not pattern.search(text):
            raise ValueError(f"no {start} ... {end} markers")
        body = make()
        text = pattern.sub(lambda _m, body=body: f"{start}\n{body}\n{end}", text)
    return text


def main(argv: list[str] | None = None) -> int:
    from mfaguard import catalogue

    argv = sys.argv[1:] if argv is None else argv
    readme = argv[0] if argv else "README.md"
    checks_doc = argv[1] if len(argv) > 1 else "docs/checks.md"
    with open(readme, encoding="utf-8") as fh:
        text = fh.read()
    new = render(text)
    if new != text:
        with open(readme, "w", encoding="utf-8") as fh:
            fh.write(new)
    with open(checks_doc, "w", encoding="utf-8") as fh:
        fh.write(catalogue.render_docs())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
