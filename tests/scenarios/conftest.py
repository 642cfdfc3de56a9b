"""Scenario fixtures: moto behind the AWS-like gateway (see gateway.py for what it adds)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
from tests.scenarios.gateway import Gateway
from tests.scenarios.setup import Setup
from tests.unit.probes.helpers import KEY, SECRET, TOKEN


@pytest.fixture
def setup(home: Path) -> Setup:
    """A fresh temp-HOME set-up whose output must never hold the fixture key, secret or token
    (a module that needs other secrets or settings defines its own)."""
    made = Setup.fresh(home)
    made.secrets += [KEY, SECRET, TOKEN]
    return made


@pytest.fixture
def gateway(aws: MotoAws, moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    """The gateway in front of moto; AWS_ENDPOINT_URL points at it."""
    with Gateway(moto_server) as front:
        monkeypatch.setenv("AWS_ENDPOINT_URL", front.url)
        yield front
