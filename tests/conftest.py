"""Every test runs in a clean world: no AWS_* variables, HOME in a temp dir, no IMDS."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from awsmedic.context import Context
from awsmedic.safety.redact import SecretBook
from tests import fakecli
from tests.awsfixtures import MotoAws

_FOREIGN = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "AWSMEDIC_KNOWLEDGE_PATH",
    "BOTO_CONFIG",
    "NO_COLOR",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",  # the knowledge cache goes under the test's HOME
    "AWSMEDIC_NO_CACHE",
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/* from the current exporters (review the diff)",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def aws_cli_v2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory with a stand-in AWS CLI version 2 (`tests/fakecli.py`)."""
    return fakecli.install(tmp_path_factory.mktemp("aws-cli-v2"), fakecli.V2)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, aws_cli_v2: Path) -> Path:
    """A fresh HOME with an empty ~/.aws, none of the developer's AWS settings, and an AWS CLI
    version 2 stand-in first on PATH (never the developer's own CLI)."""
    monkeypatch.setenv("PATH", f"{aws_cli_v2}{os.pathsep}{os.environ.get('PATH', '')}")
    for name in list(os.environ):
        if name.startswith("AWS_") or name in _FOREIGN:
            monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(home / ".aws" / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / ".aws" / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    return home


@pytest.fixture
def home(clean_env: Path) -> Path:
    return clean_env


def make_context(**overrides: object) -> Context:
    """A Context of the (monkeypatched) process world; botocore reads the same environment."""
    return Context.from_process(**overrides)


@pytest.fixture
def book() -> SecretBook:
    return SecretBook()


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    # Port 0: the kernel picks a free port as the server binds it, so no other process can take
    # it between choosing and binding (free_port() leaves that window open).
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    # socketserver accepts only after select() says a connection waits, but on a busy machine
    # that connection can be gone by then (a client that timed out): a blocking accept() then
    # waits for the next one, and at the end of the session for ever (seen: shutdown() hung,
    # and the control calls in between were reset). Non-blocking, accept() just says "none".
    server._server.socket.setblocking(False)  # moto keeps its werkzeug server private
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    _warm_up(url)
    yield url
    stopping = threading.Thread(target=server.stop, daemon=True)
    stopping.start()
    stopping.join(30)  # never hang the session's end on a server thread


def _warm_up(url: str) -> None:
    """Load the moto backends the tests use before any test times a probe against them: the
    first call to each costs seconds on a busy machine, longer than a probe's network timeout."""
    import boto3

    for service, call in (
        ("sts", "get_caller_identity"),
        ("iam", "list_users"),
        ("rds", "describe_db_instances"),
    ):
        client = boto3.client(
            service,
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="warmup",
            aws_secret_access_key="warmup",
        )
        getattr(client, call)()


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoAws]:
    """A fresh moto account with auth open for set-up; call .enforce() before the test acts."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    backend = MotoAws(moto_server)
    backend.open()
    yield backend
    backend.open()
