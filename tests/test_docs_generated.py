"""The generated parts of README.md and docs/checks.md are up to date (`make readme`)."""
from pathlib import Path

from mfaguard import catalogue, docs
from mfaguard.drift import permissions

REPO = Path(__file__).resolve().parents[1]


def test_readme_generated_blocks_are_current():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert docs.render(text) == text, "README.md is stale: run `make readme`"
    assert permissions.markdown_table() in text
    assert catalogue.markdown_table() in text


def test_readme_opens_with_the_two_setup_commands():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    setup = text.index("## Set-up")
    assert text.index("make demo") > setup and text.index("make test") > setup
    assert text.index("make demo") < text.index("## Scan")
