from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import MotoAws
from tests.unit.probes.helpers import probe

pytestmark = pytest.mark.moto


def test_working_credentials(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("carol")
    aws.enforce()
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\naws_secret_access_key = {keys.secret_access_key}\n"
    )
    evidence = probe("sts.identity")
    assert evidence.status is Status.OK
    assert evidence.facts["arn"].value == "arn:aws:iam::123456789012:user/carol"
    assert evidence.facts["sts_endpoint"].value.startswith("http://127.0.0.1:")


@pytest.mark.parametrize(
    ("secret_change", "finding"),
    [(True, "rejected-signature-does-not-match"), (False, "rejected-invalid-client-token-id")],
)
def test_rejections_are_findings(
    aws: MotoAws, home: Path, secret_change: bool, finding: str
) -> None:
    keys = aws.create_user("dave")
    if not secret_change:
        aws.delete_key("dave", keys)
    aws.enforce()
    secret = keys.secret_access_key[::-1] if secret_change else keys.secret_access_key
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\naws_secret_access_key = {secret}\n"
    )
    evidence = probe("sts.identity")
    assert evidence.findings == (finding,)
    assert keys.secret_access_key not in evidence.summary


def test_offline_skips(aws: MotoAws) -> None:
    assert probe("sts.identity", offline=True).status is Status.SKIPPED


def test_unreachable_endpoint_is_reported_quickly(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    from tests.awsfixtures import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIARZPUZDIKGB2VALC4\naws_secret_access_key = x\n"
    )
    evidence = probe("sts.identity")
    assert evidence.findings == ("endpoint-unreachable",)
    assert evidence.elapsed_ms < 5000
