"""Shared pytest fixtures: one moto server over real HTTP for every test that talks to AWS.

    moto_server   session-scoped ThreadedMotoServer on 127.0.0.1, a free port; yields its URL
    moto          per test: resets moto (state and IAM auth), yields a `MotoAccount` helper:
                    .endpoint_url         "http://127.0.0.1:<port>"
                    .session(**creds)     boto3.Session with dummy (or given) credentials
                    .client(svc, region)  a boto3 client pointed at the server
                    .least_privilege(actions) -> boto3.Session of a new IAM user allowed only
                                          `actions`; IAM enforcement is switched on (real
                                          AccessDenied over HTTP) until the next test
    aws_env       dummy AWS credentials and no config files in the environment (autouse for
                  tests that use `moto`), so nothing ever reaches a real account

Tests never hand-write boto3 fakes: they talk to moto over HTTP, or (where moto lacks an API
behaviour, e.g. throttling) use botocore's Stubber.
"""
from __future__ import annotations

import json
import os
import urllib.request
from dataclasses import dataclass

import pytest

DUMMY_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
REGIONS = ("us-east-1", "eu-west-1")


def _post(url: str, body: bytes = b"") -> None:
    req = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def _cache_cognito_signing_key() -> None:
    """Speed only: moto parses the same bundled RSA key for every user pool it creates (~0.5 s
    each on a loaded machine).  The server runs in this process, so parse it once; every pool
    still gets that same key, exactly as before."""
    import types

    from moto.cognitoidp import models

    key = models.jwk.RSAKey.import_key(models.load_resource("cognitoidp/resources/jwks-private.json"))
    rsa = types.SimpleNamespace(import_key=lambda *_a, **_k: key)
    models.jwk = types.SimpleNamespace(RSAKey=rsa)


@pytest.fixture(scope="session")
def moto_server():
    """One moto server for the whole session (cheap per test: reset, not restart)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one log line per request otherwise
    _cache_cognito_signing_key()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws_env(monkeypatch):
    """Dummy credentials; strip profiles so a developer's real account is never used."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in DUMMY_ENV.items():
        monkeypatch.setenv(name, value)
    return dict(DUMMY_ENV)


@dataclass
class MotoAccount:
    endpoint_url: str

    def session(self, region: str = "us-east-1", **creds: str):
        import boto3

        return boto3.Session(
            aws_access_key_id=creds.get("aws_access_key_id", "testing"),
            aws_secret_access_key=creds.get("aws_secret_access_key", "testing"),
            aws_session_token=creds.get("aws_session_token"),
            region_name=region,
        )

    def client(self, service: str, region: str = "us-east-1", session=None):
        return (session or self.session(region)).client(
            service, region_name=region, endpoint_url=self.endpoint_url
        )

    def reset(self) -> None:
        _post(f"{self.endpoint_url}/moto-api/reset-auth", b"inf")
        _post(f"{self.endpoint_url}/moto-api/reset")

    def enable_auth(self) -> None:
        """From the next request on, moto checks every call against the caller's IAM policies."""
        _post(f"{self.endpoint_url}/moto-api/reset-auth", b"0")

    def least_privilege(self, actions: list[str], name: str = "reader"):
        """A session for a new IAM user allowed only `actions` (on "*"); enables IAM enforcement."""
        iam = self.client("iam")
        iam.create_user(UserName=name)
        doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}]}
        iam.put_user_policy(UserName=name, PolicyName="least-privilege", PolicyDocument=json.dumps(doc))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        self.enable_auth()
        return self.session(
            aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"]
        )


@pytest.fixture
def moto(moto_server, aws_env):
    """A clean moto account for this test (state and auth reset before and after)."""
    account = MotoAccount(moto_server)
    account.reset()
    try:
        yield account
    finally:
        account.reset()
