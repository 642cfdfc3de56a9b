"""denial.message (the text) and denial.decode (STS, only with consent).

moto has no DecodeAuthorizationMessage, so a small STS stand-in on 127.0.0.1 answers it the way
AWS does (query protocol XML), and records what it was sent.
"""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from awsmedic.probes import registry
from tests.nethelpers import serve
from tests.unit.probes.helpers import KEY, SECRET, probe

ENCODED = "y9SN8pDcYUETrkaVexi6nw1Erhzr88Kfc_vC5igSEjdSa0kPB7OUUntqdF-am3-B6XAuWj0c"
UNAUTHORIZED = (
    "An error occurred (UnauthorizedOperation) when calling the RunInstances operation: You are "
    f"not authorized to perform this operation. Encoded authorization failure message: {ENCODED}"
)
DECODED = {
    "allowed": False,
    "explicitDeny": True,
    "matchedStatements": {"items": [{"statementId": "DenyOutsideEU"}]},
    "failures": {"items": []},
    "context": {
        "principal": {"id": "AIDAEXAMPLE", "arn": "arn:aws:iam::123456789012:user/bob"},
        "action": "ec2:RunInstances",
        "resource": "arn:aws:ec2:us-east-1:123456789012:instance/*",
    },
}


def test_the_denial_in_facts_and_findings() -> None:
    evidence = probe(
        "denial.message",
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:PutObject on "
        "resource: arn:aws:s3:::reports/x.csv with an explicit deny in a service control policy",
    )
    assert {"denial-parsed", "explicit-deny", "explicit-deny-scp", "guardrail-policy"} <= set(
        evidence.findings
    )
    assert evidence.facts["action"].value == "s3:PutObject"
    assert evidence.facts["policy_kind"].value == "service control policy"
    assert json.loads(evidence.facts["policy_statement"].value)["Statement"][0]["Resource"] == (
        "arn:aws:s3:::reports/x.csv"
    )
    assert "an explicit deny in a service control policy" in evidence.summary


def test_an_assume_role_refusal_gets_a_trust_statement() -> None:
    evidence = probe(
        "denial.message",
        "User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole "
        "on resource: arn:aws:iam::222222222222:role/Admin",
    )
    assert "assume-role-action" in evidence.findings
    trust = json.loads(evidence.facts["trust_statement"].value)["Statement"][0]
    assert trust["Principal"] == {"AWS": "arn:aws:iam::111111111111:user/alice"}


def test_an_encoded_message_is_reported_with_the_command_but_not_decoded() -> None:
    evidence = probe("denial.message", UNAUTHORIZED)
    assert "encoded-message" in evidence.findings
    decode = next(line for line in evidence.details if "decode-authorization-message" in line)
    assert "sts:DecodeAuthorizationMessage" in decode and ENCODED in decode
    assert registry()["denial.decode"].prefetch is False
    assert registry()["denial.decode"].network is True


_REFUSAL = (
    "<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: "
    "arn:aws:iam::123456789012:user/bob is not authorized to perform: "
    "sts:DecodeAuthorizationMessage</Message></Error><RequestId>1</RequestId></ErrorResponse>"
)
_ANSWER = (
    '<DecodeAuthorizationMessageResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">'
    f"<DecodeAuthorizationMessageResult><DecodedMessage>{escape(json.dumps(DECODED))}"
    "</DecodedMessage></DecodeAuthorizationMessageResult><ResponseMetadata><RequestId>1"
    "</RequestId></ResponseMetadata></DecodeAuthorizationMessageResponse>"
)


def _read_request(conn: socket.socket) -> bytes:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length")
    )
    while len(body) < length:
        body += conn.recv(65536)
    return head + b"\r\n\r\n" + body


@contextlib.contextmanager
def fake_sts(monkeypatch: pytest.MonkeyPatch, home: Path, *, refuse: bool) -> Iterator[list[bytes]]:
    """STS answering DecodeAuthorizationMessage (or refusing it); yields the requests it got."""
    requests: list[bytes] = []

    def answer(conn: socket.socket) -> None:
        requests.append(_read_request(conn))
        status, payload = ("403 Forbidden", _REFUSAL) if refuse else ("200 OK", _ANSWER)
        raw = payload.encode()
        conn.sendall(
            f"HTTP/1.1 {status}\r\nContent-Type: text/xml\r\nContent-Length: {len(raw)}\r\n"
            "Connection: close\r\n\r\n".encode()
            + raw
        )

    with serve(answer) as port:
        monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        (home / ".aws" / "credentials").write_text(
            f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
        )
        yield requests


def test_decoding_when_asked(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    with fake_sts(monkeypatch, home, refuse=False) as requests:
        evidence = probe("denial.decode", UNAUTHORIZED)
    assert evidence.findings == ("decoded-explicit-deny",)
    assert evidence.facts["action"].value == "ec2:RunInstances"
    assert evidence.facts["principal"].value.endswith(":user/bob")
    assert "an explicit deny" in evidence.summary and "1 matching statement" in evidence.summary
    assert len(requests) == 1
    assert b"Action=DecodeAuthorizationMessage" in requests[0] and ENCODED.encode() in requests[0]
    assert SECRET.encode() not in requests[0]  # signed with it, never sent


def test_decoding_refused_says_which_permission_is_missing(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    with fake_sts(monkeypatch, home, refuse=True):
        evidence = probe("denial.decode", UNAUTHORIZED)
    assert evidence.findings == ("decode-refused",)
    assert "sts:DecodeAuthorizationMessage" in evidence.summary


def test_nothing_to_decode_is_skipped_and_nothing_is_sent(
    monkeypatch: pytest.MonkeyPatch, home: Path
) -> None:
    with fake_sts(monkeypatch, home, refuse=False) as requests:
        evidence = probe("denial.decode", "AccessDenied: Access Denied")
    assert evidence.status.value == "skipped"
    assert requests == []


def test_an_old_style_assume_role_refusal_takes_the_role_from_the_profile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[base]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text(
        "[profile app]\nrole_arn = arn:aws:iam::222222222222:role/Admin\nsource_profile = base\n"
    )
    monkeypatch.setenv("AWS_PROFILE", "app")
    evidence = probe(
        "denial.message",
        "An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
        "arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole",
    )
    assert evidence.facts["resource"].value == "arn:aws:iam::222222222222:role/Admin"
    assert evidence.facts["resource"].source == "role_arn of profile 'app'"
    assert evidence.facts["profile"].value == "app"
    assert "arn:aws:iam::222222222222:role/Admin" in evidence.facts["policy_statement"].value
