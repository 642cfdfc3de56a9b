"""clock.error-time and clock.skew.

clock.skew is tested against a small HTTP server on 127.0.0.1 that answers like AWS does to an
unsigned request (403 with a Date header); the local clock is shifted through Context.clock.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from awsmedic.aws import hostenv
from awsmedic.model import Status
from tests.unit.probes.helpers import probe

STS_DENIAL = (
    b'<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>'
    b"<Code>MissingAuthenticationToken</Code><Message>Request is missing Authentication Token"
    b"</Message></Error><RequestId>1</RequestId></ErrorResponse>"
)


class FakeAws:
    """Answers every request like AWS answers an unsigned one, and remembers what it got."""

    def __init__(self, date: bool = True) -> None:
        self.requests: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                self.rfile.read(length)
                owner.requests.append((self.path, dict(self.headers)))
                self.send_response_only(403)
                if date:
                    self.send_header("Date", format_datetime(datetime.now(UTC), usegmt=True))
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(STS_DENIAL)))
                self.end_headers()
                self.wfile.write(STS_DENIAL)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAws]:
    server = FakeAws()
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    yield server
    server.close()


@pytest.fixture
def wsl2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "root"
    (root / "proc/sys/kernel").mkdir(parents=True)
    (root / "proc/sys/kernel/osrelease").write_text("5.15.153.1-microsoft-standard-WSL2\n")
    monkeypatch.setattr(hostenv, "ROOT", root)


def shifted(minutes: float):  # type: ignore[no-untyped-def]
    return lambda: datetime.now(UTC) + timedelta(minutes=minutes)


def test_error_text_gives_the_offset_and_the_fix_for_this_machine(wsl2: None) -> None:
    evidence = probe(
        "clock.error-time",
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z "
        "(20220127T015928Z - 15 min.)",
    )
    assert {"error-times", "error-skew-far", "error-clock-behind", "host-wsl"} <= set(
        evidence.findings
    )
    assert evidence.facts["skew"].value == "105 minutes behind"
    assert evidence.facts["clock_fix"].value == "sudo hwclock -s"
    assert evidence.facts["host"].value == "WSL2"


def test_error_text_without_times(wsl2: None) -> None:
    evidence = probe("clock.error-time", "Signature not yet current: <DATE> is still later than")
    assert {"error-no-times", "error-clock-ahead"} <= set(evidence.findings)
    assert "skew" not in evidence.facts
    assert probe("clock.error-time", "Request has expired").findings[-1] == "error-no-time-info"


@pytest.mark.parametrize(
    ("minutes", "text", "expected", "words"),
    [
        (-75, "", {"clock-skewed", "clock-skewed-far", "clock-behind"}, "75 minutes behind"),
        (180, "", {"clock-skewed", "clock-skewed-far", "clock-ahead"}, "3 hours ahead"),
        (10, "calling the Invoke operation", {"clock-skewed", "clock-ahead"}, "10 minutes ahead"),
        (10, "calling the GetCallerIdentity operation", {"clock-off"}, "10 minutes ahead"),
        (0, "", {"clock-in-sync"}, "in sync"),
    ],
)
def test_measured_offset(
    fake_aws: FakeAws, minutes: float, text: str, expected: set[str], words: str
) -> None:
    evidence = probe("clock.skew", text, clock=shifted(minutes))
    assert expected <= set(evidence.findings)
    assert "clock-skewed-far" not in evidence.findings or abs(minutes) > 15
    assert evidence.facts["skew"].value == words
    assert evidence.status is (Status.PROBLEM if "clock-skewed" in expected else Status.OK)
    assert fake_aws.url in evidence.summary


def test_the_request_is_unsigned(fake_aws: FakeAws) -> None:
    probe("clock.skew")
    assert len(fake_aws.requests) == 1
    headers = {k.lower() for k in fake_aws.requests[0][1]}
    assert "authorization" not in headers and "x-amz-security-token" not in headers


def test_a_proxy_in_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """The endpoint host does not exist: only the proxy on 127.0.0.1 can answer."""
    proxy = FakeAws()
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", "http://sts.clock-test.invalid")
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        evidence = probe("clock.skew", clock=shifted(-30))
    finally:
        proxy.close()
    assert "clock-behind" in evidence.findings
    assert proxy.requests[0][0] == "http://sts.clock-test.invalid/"


def test_no_date_header_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    server = FakeAws(date=False)
    try:
        monkeypatch.setenv("AWS_ENDPOINT_URL_STS", server.url)
        evidence = probe("clock.skew")
    finally:
        server.close()
    assert evidence.status is Status.ERROR and evidence.findings == ("no-date-header",)


def test_offline_skips_the_measurement() -> None:
    assert probe("clock.skew", offline=True).status is Status.SKIPPED


# -- clock.sso-token: a token this clock sees as expired, by AWS time (audit 4 s11) ----------


def _sso_token(home: Path, expires: datetime) -> None:
    (home / ".aws" / "config").write_text(
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = Admin\n\n[sso-session corp]\n"
        "sso_start_url = https://example.awsapps.com/start\nsso_region = eu-west-1\n"
    )
    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    name = hashlib.sha1(b"corp").hexdigest()  # noqa: S324 (botocore's cache key)
    token = {"accessToken": "t" * 20, "expiresAt": f"{expires:%Y-%m-%dT%H:%M:%SZ}"}
    (cache / f"{name}.json").write_text(json.dumps(token))


@pytest.mark.parametrize(
    ("hours", "ahead_minutes", "finding", "words"),
    [
        (8, 24 * 60, "sso-token-valid-by-aws-time", "but valid by AWS time (in 7 h 59 min)"),
        (-1, 24 * 60, "sso-token-expired-by-aws-time", "1 h ago by AWS time"),
        (-1, 0, "sso-token-expired-by-aws-time", "1 h ago by AWS time"),
    ],
    ids=["valid-by-aws-time", "expired-by-aws-time-too", "clock-right"],
)
def test_an_sso_token_against_aws_time(
    fake_aws: FakeAws,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    hours: int,
    ahead_minutes: int,
    finding: str,
    words: str,
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    _sso_token(home, datetime.now(UTC) + timedelta(hours=hours))
    evidence = probe("clock.sso-token", clock=shifted(ahead_minutes))
    assert evidence.findings[0] == finding
    assert words in evidence.summary
    assert evidence.status == (
        Status.PROBLEM if finding.endswith("valid-by-aws-time") else Status.OK
    )
    if ahead_minutes:
        assert evidence.facts["skew"].value == "1 day ahead"


def test_no_sso_token_asks_aws_nothing(fake_aws: FakeAws) -> None:
    evidence = probe("clock.sso-token")
    assert evidence.findings == ("sso-token-not-read",)
    assert fake_aws.requests == []


def test_offline_skips_the_sso_token_comparison(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    _sso_token(home, datetime.now(UTC) + timedelta(hours=8))
    evidence = probe("clock.sso-token", offline=True, clock=shifted(24 * 60))
    assert evidence.status is Status.SKIPPED
