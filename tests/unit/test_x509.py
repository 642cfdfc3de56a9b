"""The certificate reader names issuer and subject, and never raises on junk."""

from __future__ import annotations

import ssl
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.aws import x509
from tests.nethelpers import make_pki


def _der(pem: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(pem.read_text())


def test_issuer_and_subject_of_a_signed_certificate(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["sts.us-east-1.amazonaws.com"])
    names = x509.names(_der(pki.cert))
    assert names.issuer == {"CN": "Example Corp TLS Inspection CA", "O": "Example Corp"}
    assert names.subject == {"CN": "sts.us-east-1.amazonaws.com"}
    assert not names.self_signed
    assert names.describe_issuer() == "CN=Example Corp TLS Inspection CA, O=Example Corp"


def test_a_self_signed_certificate(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["localhost"])
    assert x509.names(_der(pki.ca)).self_signed


def test_junk_gives_empty_names() -> None:
    for junk in (b"", b"\x30", b"\x30\x82\xff\xff", b"not a certificate at all"):
        names = x509.names(junk)
        assert names.issuer == {} and names.subject == {}
        assert names.describe_issuer() == "(unnamed)"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_random_bytes_never_raise(data: bytes) -> None:
    x509.names(b"\x30\x82\x01\x00" + data)
    x509.names(data)
