"""Scenario fixtures: moto behind the AWS-like gateway (see gateway.py for what it adds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.awsfixtures import MotoAws
from tests.scenarios.gateway import Gateway


@pytest.fixture
def gateway(aws: MotoAws, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The gateway in front of moto; AWS_ENDPOINT_URL points at it."""
    with Gateway(moto_server) as front:
        monkeypatch.setenv("AWS_ENDPOINT_URL", front.url)
        yield front
