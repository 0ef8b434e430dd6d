"""`mfaguard drift` under network faults, all on 127.0.0.1 (tests/netfaults.py): a closed port, an
endpoint that accepts and never answers, an HTML page instead of AWS, and a connection that drops
mid-run in front of the moto server.  Every run is bounded: it happens in a thread joined with a
deadline, so a regression fails the test instead of hanging the suite."""
from __future__ import annotations

import json
import threading

import pytest

from mfaguard.cli import main
from netfaults import BrokenHtmlServer, CuttingProxy, HtmlServer, SilentServer, closed_port
from test_drift_cli import PLAN, seed

BOUND_S = 30.0


@pytest.fixture(autouse=True)
def _short_timeouts(monkeypatch, aws_env):
    from mfaguard.drift import live

    monkeypatch.setattr(live, "REPORT_FIRST_DELAY_S", 0.01)
    monkeypatch.setattr(live, "CONNECT_TIMEOUT_S", 1.0)
    monkeypatch.setattr(live, "READ_TIMEOUT_S", 1.0)


def bounded(capsys, *argv: str) -> tuple[int, str, str]:
    """main(argv) in a thread; fails (rather than hangs) past BOUND_S."""
    box: dict = {}

    def target():
        box["code"] = main(list(argv))

    t = threading.Thread(target=target, daemon=True)
    t.start()
    t.join(BOUND_S)
    assert not t.is_alive(), f"mfaguard drift {' '.join(argv)} still running after {BOUND_S:.0f} s"
    out, err = capsys.readouterr()
    return box["code"], out, err


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert "Traceback" not in err
    assert not any("<html" in line.lower() or "<!doctype" in line.lower() for line in lines)
    return lines[-1]


def test_closed_port_fails_at_once_with_a_clear_message(capsys):
    port = closed_port()
    code, out, err = bounded(capsys, "drift", "--plan", PLAN, "--endpoint-url", f"http://127.0.0.1:{port}",
                             "--format", "json")
    assert code == 3
    assert "cannot reach the AWS endpoint" in err and f"127.0.0.1:{port}" in err
    assert json.loads(out)["summary"]["complete"] is False


def test_endpoint_that_never_answers_times_out(capsys):
    with SilentServer() as server:
        code, out, err = bounded(capsys, "drift", "--plan", PLAN, "--endpoint-url", server.url)
    assert code == 3
    line = one_error_line(err)
    assert "accepted the connection but did not answer within 1 s (2 attempts)" in line
    assert "INCOMPLETE" in out


def test_html_page_instead_of_aws_is_one_clear_line(capsys):
    with HtmlServer() as server:
        code, out, err = bounded(capsys, "drift", "--plan", PLAN, "--endpoint-url", server.url)
    assert code == 3
    line = one_error_line(err)
    assert "sts:GetCallerIdentity failed" in line and "HTML page instead of an AWS answer" in line
    assert "<" not in out


def test_unparsable_html_500_is_one_clear_line_not_a_traceback(capsys):
    """botocore raises ResponseParserError (not a BotoCoreError) for it: still exit 3, one line."""
    with BrokenHtmlServer() as server:
        code, out, err = bounded(capsys, "drift", "--plan", PLAN, "--endpoint-url", server.url)
    assert code == 3
    line = one_error_line(err)
    assert "sts:GetCallerIdentity failed (ResponseParserError" in line and "not an AWS response" in line


@pytest.mark.parametrize("region", ["moon-1", "eu_west_1", "xx-west-1"])
def test_region_no_partition_can_have_is_usage_error(capsys, region):
    code, _, err = bounded(capsys, "drift", "--plan", PLAN, "--region", region, "--endpoint-url",
                           f"http://127.0.0.1:{closed_port()}")
    assert code == 2 and f"--region {region!r}" in err and len(err.strip().splitlines()) == 1


def test_connection_dropped_mid_run_keeps_what_was_read(moto, capsys):
    seed(moto)
    # GetCallerIdentity, GenerateCredentialReport x2 (moto: STARTED, then COMPLETE), GetCredentialReport,
    # GetAccountAuthorizationDetails go through; the network goes away at the root stage.
    with CuttingProxy(moto.endpoint_url, cut_after=5) as proxy:
        code, out, err = bounded(capsys, "drift", "--plan", PLAN, "--endpoint-url", proxy.url,
                                 "--format", "json")
    assert code == 3
    doc = json.loads(out)
    summary = doc["summary"]
    assert summary["complete"] is False
    assert any("AWS connection lost at iam:GetAccountSummary" in e for e in summary["errors"]), summary["errors"]
    found = {(f["kind"], f["control"], f["id"]) for f in doc["findings"]}
    # IAM read before the drop is judged: drift and compliance of the users
    assert ("drift", "IAM.19", "bob") in found
    assert ("noncompliant", "IAM.5", "alice") in found
    assert ("unmanaged", "IAM.5", "intern") in found
    # root and Cognito were not read: no verdict on them, and nothing reported missing
    assert not any(f["control"] in ("IAM.9", "IAM.6") or f["control"].startswith("Cognito")
                   for f in doc["findings"])
    assert any(n.startswith("root user: not read") for n in summary["notes"])
    assert any("could not be read live" in n for n in summary["notes"])
    assert "Traceback" not in err


def test_connection_faults_are_not_retried_like_throttling(aws_env):
    """One retry for a refused connection (not adaptive mode's 8), counted with botocore's own events."""
    import boto3

    from mfaguard.drift import live

    session = boto3.Session(region_name="us-east-1")
    client = live.make_client(session, "sts", "us-east-1", f"http://127.0.0.1:{closed_port()}")
    attempts = []
    client.meta.events.register("before-send", lambda **kw: attempts.append(1))
    from botocore.exceptions import EndpointConnectionError

    with pytest.raises(EndpointConnectionError):
        client.get_caller_identity()
    assert len(attempts) == live.CONNECTION_ATTEMPTS
    assert client.meta.config.retries["mode"] == "adaptive"
    assert client.meta.config.retries["total_max_attempts"] > live.MAX_ATTEMPTS  # throttling: still 1 + 8

