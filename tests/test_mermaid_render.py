"""The coverage picture: its model on the example stack, and its Mermaid parsed and rendered
by mermaid itself (npm `mermaid` in headless Debian Chromium; skipped with the reason when
chromium or node_modules/mermaid is absent; .ci/run installs both)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from mfaguard.report import graph
from mfaguard.report.coverage import COVERED, NOT_COVERED, Coverage, PolicyEdge, UserCoverage
from mfaguard.report.graph_cmd import coverage_of

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "demo"))
import picture  # noqa: E402

sys.path.remove(str(ROOT / "demo"))

EXAMPLES = str(ROOT / "terraform_fixtures" / "examples")
EVIL = '@octocat "]; click u0 call alert(1) %% <img src=x> `x` \n end'


@pytest.fixture(scope="module")
def example_coverage():
    cov, errors = coverage_of([EXAMPLES])
    assert errors == []
    return cov


def test_example_stack_users_and_verdicts(example_coverage):
    by = {u.name: u for u in example_coverage.users}
    assert by["jess"].status == NOT_COVERED and by["jess"].why == "no MFA on console sign-in"
    assert by["jess"].groups == ["aws_iam_group.developers"]
    assert by["ci-deploy"].status == NOT_COVERED and "access keys" in by["ci-deploy"].why
    assert by["alice"].status == COVERED
    assert any("aws_iam_policy.enforce_mfa" in p.label and p.via_group == "aws_iam_group.admins"
               for p in by["alice"].policies)


def test_mermaid_and_dot_carry_the_same_picture(example_coverage):
    m = graph.mermaid(example_coverage)
    d = graph.dot(example_coverage)
    assert m.startswith("flowchart LR") and ":::notcovered" in m and ":::covered" in m
    assert d.startswith("digraph mfaguard {") and d.rstrip().endswith("}")
    import re

    assert len(re.findall(r"^  \w+ --> \w+$", m, re.M)) == len(re.findall(r"^  \w+ -> \w+ \[", d, re.M)) == 6


def _crafted(n: int) -> Coverage:
    return Coverage(users=[UserCoverage(f"aws_iam_user.u{i}", f"{EVIL}{i}", "console sign-in", NOT_COVERED,
                                        "no MFA on console sign-in", groups=[f'aws_iam_group.g"{i % 3}'],
                                        policies=[PolicyEdge(f"{EVIL} policy", "enforces no MFA", None)])
                           for i in range(n)])


def test_picture_is_bounded_and_escaped():
    m = graph.mermaid(_crafted(200), max_users=10)
    assert m.count(":::notcovered") == 10 and "190 more user(s) not drawn" in m
    body = [line for line in m.splitlines() if "[" in line]
    for line in body:
        label = line.split('["', 1)[1].rsplit('"]', 1)[0]
        assert '"' not in label and "`" not in label and "<img" not in label and "\n" not in label
    d = graph.dot(_crafted(3))
    assert '\\"' in d and "\n end" not in d


needs_renderer = pytest.mark.skipif(picture.missing() is not None, reason=f"cannot render Mermaid: {picture.missing()}")


@needs_renderer
def test_mermaid_parses_and_renders_in_chromium(example_coverage):
    bad = "flowchart LR\n  a[\"unclosed --> b\n"
    diagrams = [graph.mermaid(example_coverage), graph.mermaid(_crafted(12), max_users=8),
                graph.mermaid(Coverage()), bad]
    status = picture.render(diagrams)
    assert status[:3] == ["OK", "OK", "OK"], status
    assert status[3].startswith("ERROR"), "the harness must see a parse error"


@needs_renderer
def test_markdown_report_embeds_a_valid_picture_of_the_failing_users(capsys):
    from mfaguard.cli import main

    main(["scan", EXAMPLES + "/iam.tf", "--format", "markdown"])
    out = capsys.readouterr().out
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert "user jess" in block and "user ci-deploy" in block and "user alice" not in block
    assert picture.render([block]) == ["OK"]


# ------------------------------------------------------------------ drift: the live account's picture


@pytest.fixture
def demo_drift_markdown(moto, monkeypatch):
    """`mfaguard drift --format markdown` on make demo's seeded account (demo/seed_account.py)."""
    from mfaguard.cli import main
    from mfaguard.drift import live

    monkeypatch.setenv("MOTO_COGNITO_IDP_USER_POOL_ID_STRATEGY", "HASH")
    monkeypatch.setattr(live, "REPORT_FIRST_DELAY_S", 0.01, raising=False)
    monkeypatch.syspath_prepend(str(ROOT / "demo"))
    sys.modules.pop("seed_account", None)
    import seed_account

    seed_account.seed(moto.session(seed_account.REGION), moto.endpoint_url)
    monkeypatch.chdir(ROOT)

    def run(*extra: str) -> str:
        import io
        from contextlib import redirect_stdout

        buf = io.StringIO()
        with redirect_stdout(buf):
            code = main(["drift", "--plan", "demo/plan.json", "--endpoint-url", moto.endpoint_url,
                         "--region", "eu-west-1", *extra])
        assert code == 1
        return buf.getvalue()

    return run


def test_drift_markdown_draws_the_live_account_for_the_failing_users(demo_drift_markdown):
    """intern was taken out of admins by hand: live, nothing enforces MFA on him; ci-deploy and the
    unmanaged nightly-backup have keys and no enforcing policy; alice (in admins) passes and is
    left out of the picture, which draws only the users the report fails."""
    out = demo_drift_markdown("--format", "markdown")
    assert "### Who is covered" in out
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    lines = block.splitlines()
    user = {ln.split('["', 1)[1].split("<br/>", 1)[0]: ln for ln in lines if ln.startswith("  u") and '["' in ln}
    assert set(user) == {"user intern", "user ci-deploy", "user nightly-backup"}, sorted(user)
    assert "aws_iam_user.intern" in user["user intern"] and "NOT covered" in user["user intern"]
    assert user["user intern"].endswith(":::notcovered")
    assert graph.mermaid_text("arn:aws:iam::123456789012:user/automation/nightly-backup") in user["user nightly-backup"]
    assert "user alice" not in block and "group admins" not in block  # alice passes; intern left admins
    # the picture's verdicts are drift's: every drawn user is one the table fails
    table = out.split("### Who is covered", 1)[0]
    assert all(f"`{addr}`" in table for addr in ("aws_iam_user.intern", "aws_iam_user.ci_deploy"))


def test_drift_picture_only_in_markdown(demo_drift_markdown):
    assert "mermaid" not in demo_drift_markdown("--format", "github")


@needs_renderer
def test_drift_markdown_picture_renders_in_chromium(demo_drift_markdown):
    out = demo_drift_markdown("--format", "markdown")
    block = out.split("```mermaid\n", 1)[1].split("```", 1)[0]
    assert picture.render([block]) == ["OK"]
