"""`awsmedic check` is read-only too: no file written, only read-only AWS calls, and without
consent no role assumed and no credential_process helper run (the six broken setups of
test_read_only, each checked with --all)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
from tests.hardening.inprocess import run_main
from tests.hardening.servers import Stub
from tests.hardening.test_read_only import (
    READ_ONLY,
    RECORDER,
    SETUPS,
    cache_writes,
    home_files,
    proxy,
)

pytestmark = pytest.mark.moto

__all__ = ["proxy"]  # the fixture, shared with test_read_only


@pytest.mark.parametrize("setup", list(SETUPS))
def test_check_writes_nothing_and_uses_no_other_identity_unasked(
    setup: str, aws: MotoAws, proxy: Stub, home: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_ENDPOINT_URL"] = proxy.url
    SETUPS[setup](aws, home, env)
    aws.enforce()
    before = home_files(home, env)
    with RECORDER.recording() as writes:
        status, out, err = run_main(["check", "--all", "--format", "json"], env)
    assert status in (0, 1), err
    strays = [event for event in writes if not cache_writes(env)(event)]
    assert strays == [], f"check changed files: {strays}"
    assert home_files(home, env) == before
    changes = [op for op in proxy.operations if not READ_ONLY.match(op)]
    assert changes == [], f"calls that are not read-only (no consent was given): {changes}"
    ran = {
        probe["id"]
        for row in json.loads(out)["profiles"]
        for probe in row["probes"]
        if probe["status"] != "skipped"
    }
    assert not ran & {"creds.process", "role.assume", "iam.key-status"}
