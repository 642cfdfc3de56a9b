"""What the probes find on this machine re-weights a refused role (AccessDenied on AssumeRole).

Each test writes a real ~/.aws in the temp HOME, then runs `awsmedic diagnose --offline
--no-input` on the refusal as STS words it: the probes read the files, and the ranked list after
them must follow what they found. Offline, the identity checks cannot run; the file probes can.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenarios.harness import diagnose, environment, write

pytestmark = [pytest.mark.slow]

REFUSED = (
    "botocore.exceptions.ClientError: An error occurred (AccessDenied) when calling the"
    " AssumeRole operation: User: arn:aws:iam::123456789012:user/alice is not authorized to"
    " perform: sts:AssumeRole on resource: arn:aws:iam::123456789012:role/admin"
)
KEYS = (
    "[default]\naws_access_key_id = AKIAZ7Q2LPMXNWRT3VBD\n"
    "aws_secret_access_key = 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\n"
)
ROLE = (
    "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\nsource_profile = default\n"
)


def ranked(home: Path, tmp_path: Path, mfa_serial: str | None) -> tuple[list[str], str | None]:
    write(home, "credentials", KEYS)
    extra = f"mfa_serial = {mfa_serial}\n" if mfa_serial else ""
    write(home, "config", ROLE + extra)
    result = diagnose(environment(), REFUSED, tmp_path, "--offline", "--profile", "admin")
    assert result.probe("role.settings")["status"] != "skipped"
    return [c["cause"] for c in result.json["candidates"]], result.cause


def test_no_mfa_serial_leaves_both_the_trust_and_mfa_open(home: Path, tmp_path: Path) -> None:
    causes, cause = ranked(home, tmp_path, None)
    assert cause is None  # the question whether the role needs MFA stays open
    assert causes[:2] == ["assume-role-denied", "mfa-required"], causes


def test_an_mfa_device_in_the_profile_leaves_the_trust(home: Path, tmp_path: Path) -> None:
    causes, cause = ranked(home, tmp_path, "arn:aws:iam::123456789012:mfa/alice")
    assert cause == "assume-role-denied"
    assert "mfa-required" not in causes, causes


def test_an_mfa_serial_that_is_no_device_is_the_mfa(home: Path, tmp_path: Path) -> None:
    causes, cause = ranked(home, tmp_path, "arn:aws:iam::123456789012:user/alice")
    assert cause == "mfa-required"
    assert causes[0] == "mfa-required", causes
