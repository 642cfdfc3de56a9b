"""docker.ecr-login: Docker's stored ECR login, or its credential helper, for the registry."""

from __future__ import annotations

import base64
import json
import os
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.unit.probes.helpers import probe

REGISTRY = "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
NO_AUTH = f"The push refers to repository [{REGISTRY}/app]\nno basic auth credentials"


def ecr_auth(expires: datetime) -> str:
    """An `auths` value shaped like ECR's: base64 of `AWS:` and a base64 JSON password."""
    password = base64.b64encode(
        json.dumps(
            {
                "payload": "p" * 40,
                "datakey": "d" * 40,
                "version": "2",
                "type": "DATA_KEY",
                "expiration": int(expires.timestamp()),
            }
        ).encode()
    ).decode()
    return base64.b64encode(f"AWS:{password}".encode()).decode()


def docker_config(home: Path, document: dict[str, object]) -> None:
    (home / ".docker").mkdir(exist_ok=True)
    (home / ".docker" / "config.json").write_text(json.dumps(document))


def test_no_docker_config(home: Path) -> None:
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("docker-config-missing", "ecr-login-missing")
    assert evidence.facts["registry"].value == REGISTRY
    assert evidence.facts["region"].value == "eu-west-1"


def test_a_login_older_than_twelve_hours(home: Path) -> None:
    auth = ecr_auth(datetime.now(UTC) - timedelta(hours=3))
    docker_config(home, {"auths": {REGISTRY: {"auth": auth}}})
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("ecr-login-expired",)
    assert "expired 3 h ago" in evidence.summary
    assert auth not in evidence.summary + "".join(evidence.details)
    assert auth in {secret.reveal() for secret in evidence.secrets}


def test_a_valid_login_and_a_stale_https_duplicate(home: Path) -> None:
    fresh = ecr_auth(datetime.now(UTC) + timedelta(hours=11))
    stale = ecr_auth(datetime.now(UTC) - timedelta(days=2))
    docker_config(
        home, {"auths": {REGISTRY: {"auth": fresh}, f"https://{REGISTRY}": {"auth": stale}}}
    )
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("ecr-login-duplicate", "ecr-login-valid")
    assert "valid for another 11 h" in evidence.summary


def test_no_login_for_this_registry(home: Path) -> None:
    other = "123456789012.dkr.ecr.us-east-1.amazonaws.com"
    docker_config(home, {"auths": {other: {"auth": ecr_auth(datetime.now(UTC))}}})
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("ecr-login-missing",)
    assert evidence.status is Status.PROBLEM


def test_the_ecr_helper_without_its_program(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    docker_config(home, {"credHelpers": {REGISTRY: "ecr-login"}})
    bin_dir = home / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    # Installed under the wrong name (amazon-ecr-credential-helper#135).
    wrong = bin_dir / "ecr-login"
    wrong.write_text("#!/bin/sh\n")
    wrong.chmod(wrong.stat().st_mode | stat.S_IXUSR)
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("ecr-helper-configured", "ecr-helper-missing")
    right = bin_dir / "docker-credential-ecr-login"
    os.rename(wrong, right)
    assert probe("docker.ecr-login", NO_AUTH).findings == ("ecr-helper-configured",)


def test_a_credential_store_is_not_read(home: Path) -> None:
    docker_config(home, {"auths": {REGISTRY: {}}, "credsStore": "osxkeychain"})
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("ecr-login-in-store",)
    assert "osxkeychain" in evidence.summary


def test_docker_config_env(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = home / "ci-docker"
    elsewhere.mkdir()
    (elsewhere / "config.json").write_text("{not json")
    monkeypatch.setenv("DOCKER_CONFIG", str(elsewhere))
    evidence = probe("docker.ecr-login", NO_AUTH)
    assert evidence.findings == ("docker-config-unreadable",)
    assert evidence.facts["docker_config"].source == "DOCKER_CONFIG"


def test_without_a_registry_in_the_error_every_ecr_login_is_checked(home: Path) -> None:
    docker_config(
        home,
        {
            "auths": {
                REGISTRY: {"auth": ecr_auth(datetime.now(UTC) - timedelta(hours=1))},
                "ghcr.io": {"auth": "eA=="},
            }
        },
    )
    evidence = probe("docker.ecr-login", "no basic auth credentials")
    assert evidence.findings == ("ecr-login-expired",)
    assert evidence.facts["registry"].value == REGISTRY
