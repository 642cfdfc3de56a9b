from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.awsfixtures import MotoAws, free_port


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoAws]:
    """A fresh moto account with auth open for set-up; call .enforce() before the test acts."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    backend = MotoAws(moto_server)
    backend.open()
    yield backend
    backend.open()
