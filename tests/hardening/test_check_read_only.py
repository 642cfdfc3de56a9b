"""`awsmedic check` is read-only too: no file written, only read-only AWS calls, and without
consent no role assumed and no credential_process helper run (the six broken setups of
test_read_only, each checked with --all), botocore's own runs of the helper included (check and
diagnose of a process profile and of a role whose source profile is one)."""

from __future__ import annotations

import json
import os
import sys
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


# -- botocore's own helper runs: the selected profile's, a role's source profile's ------------
#
# A probe that signs (sts:GetCallerIdentity, AssumeRole) lets botocore resolve the credentials,
# and botocore runs a credential_process helper to do so: for a process profile, and for a role
# whose source profile is one. That is running the user's program, so it needs the same consent
# as the creds.process probe (`consent:creds.process`). The helper here writes a marker file.

DENIED = "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied"
SIGNATURE = (
    "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
    "The request signature we calculated does not match the signature you provided."
)
HELPER_CONSENT = ["--answer", "consent:creds.process=yes"]


def helper_setup(aws: MotoAws, home: Path, env: dict[str, str]) -> Path:
    """Profile `p2` gets moto keys from a helper that leaves a marker; `r` is a role whose source
    profile is `p2`; `[default]` has a region only. Returns the marker's path."""
    keys = aws.create_user("helped")
    marker = home / "HELPER_RAN"
    script = home / "helper.py"
    script.write_text(
        "import json, sys\n"
        f"with open({str(marker)!r}, 'a') as ran:\n"
        "    ran.write(' '.join(sys.argv[1:]) + '\\n')\n"
        "print(json.dumps({'Version': 1, "
        f"'AccessKeyId': {keys.access_key_id!r}, 'SecretAccessKey': {keys.secret_access_key!r}}}))\n"
    )
    (home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\n"
        f"[profile p2]\ncredential_process = {sys.executable} {script} p2\nregion = us-east-1\n"
        "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = p2\n"
        "region = us-east-1\n"
    )
    return marker


def helper_env(aws: MotoAws, proxy: Stub, home: Path) -> tuple[dict[str, str], Path]:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_ENDPOINT_URL"] = proxy.url
    assert env["AWS_EC2_METADATA_DISABLED"] == "true"
    marker = helper_setup(aws, home, env)
    aws.enforce()
    return env, marker


#: (name, command line without the consent answer): each would make botocore run p2's helper.
HELPER_RUNS = {
    "check --all": ["check", "--all", "--format", "json"],
    "check a role on a process profile": ["--profile", "r", "check", "--format", "json"],
    "diagnose AccessDenied, process profile": [
        "--profile", "p2", "diagnose", "--no-input", "--format", "json", DENIED
    ],
    "diagnose SignatureDoesNotMatch, process profile": [
        "--profile", "p2", "diagnose", "--no-input", "--format", "json", SIGNATURE
    ],
    "diagnose AccessDenied, role on a process profile": [
        "--profile", "r", "diagnose", "--no-input", "--format", "json", DENIED
    ],
}  # fmt: skip


def _with_consent(argv: list[str]) -> list[str]:
    """The answer goes after the subcommand (before the pasted text of diagnose)."""
    at = next(i for i, word in enumerate(argv) if word in ("check", "diagnose")) + 1
    return [*argv[:at], *HELPER_CONSENT, *argv[at:]]


@pytest.mark.parametrize("name", list(HELPER_RUNS))
def test_botocore_runs_no_helper_without_consent(
    name: str, aws: MotoAws, proxy: Stub, home: Path
) -> None:
    env, marker = helper_env(aws, proxy, home)
    status, out, err = run_main(HELPER_RUNS[name], env)
    assert status in (0, 1), err
    assert not marker.exists(), f"the helper ran without consent: {marker.read_text()!r}"
    # Nothing was asked in the helper's name, and the output says why and how to allow it.
    assert "needs your consent" in out
    assert "consent:creds.process" in out
    assert "AssumeRole" not in proxy.operations  # the role's source keys were never made


@pytest.mark.parametrize("name", list(HELPER_RUNS))
def test_botocore_runs_the_helper_with_consent(
    name: str, aws: MotoAws, proxy: Stub, home: Path
) -> None:
    env, marker = helper_env(aws, proxy, home)
    status, out, err = run_main(_with_consent(HELPER_RUNS[name]), env)
    assert status in (0, 1), err
    assert marker.exists(), out
    assert "p2" in marker.read_text().split()
    assert "running the credential_process helper needs your consent" not in out


def test_with_consent_the_process_profile_is_checked_end_to_end(
    aws: MotoAws, proxy: Stub, home: Path
) -> None:
    """The helper's keys are moto's: with consent, check says who they are."""
    env, marker = helper_env(aws, proxy, home)
    argv = ["--profile", "p2", "check", *HELPER_CONSENT, "--format", "json"]
    status, out, err = run_main(argv, env)
    assert status == 0, out + err
    assert marker.exists()
    row = json.loads(out)["profiles"][0]
    assert row["state"] == "works", row
    assert ":user/helped" in row["identity"]
    assert "GetCallerIdentity" in proxy.operations
