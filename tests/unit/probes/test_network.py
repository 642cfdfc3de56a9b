"""net.route and net.connect against real sockets on 127.0.0.1 (never the internet).

AWS host names appear only behind a local proxy, which is all botocore would connect to: neither
awsmedic nor these tests ever resolve them.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from awsmedic.model import Evidence
from awsmedic.probes.reach import connection
from tests.nethelpers import closed_port, intercepting_proxy, make_pki, serve, tls_server
from tests.unit.probes.helpers import KEY, probe

AWS_TLS_ERROR = (
    "SSL validation failed for https://sts.us-east-1.amazonaws.com/ [SSL: "
    "CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate "
    "chain (_ssl.c:1006)"
)


@pytest.fixture(autouse=True)
def no_inherited_ca_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("REQUESTS_CA_BUNDLE", "SSL_CERT_FILE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)


def _refused(text: str) -> str:
    return f'Could not connect to the endpoint URL: "{text}"'


# --- net.route -----------------------------------------------------------------------------


def test_a_service_specific_override_is_named_with_its_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ENDPOINT_URL_STS", url)
    evidence = probe("net.route", _refused(url + "/"))
    assert {"endpoint-overridden", "endpoint-not-aws"} <= set(evidence.findings)
    assert evidence.facts["endpoint_url"].value.rstrip("/") == url
    assert evidence.facts["endpoint_url"].source == "AWS_ENDPOINT_URL_STS"
    assert evidence.status.value == "problem"


def test_an_override_with_a_path_after_its_host(monkeypatch: pytest.MonkeyPatch) -> None:
    """Audit 4 s23: `AWS_ENDPOINT_URL=http://127.0.0.1:5079/sts/` (a gateway document's path):
    botocore keeps the path, so the server's root is what the step writes back."""
    port = closed_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}/sts/")
    evidence = probe("net.route", _refused(f"http://127.0.0.1:{port}/sts/"))
    assert "endpoint-url-has-path" in evidence.findings
    assert evidence.facts["endpoint_root"].value == f"http://127.0.0.1:{port}"
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{port}/")
    evidence = probe("net.route", _refused(f"http://127.0.0.1:{port}/"))
    assert "endpoint-url-has-path" not in evidence.findings
    assert "endpoint_root" not in evidence.facts


def test_an_override_in_the_profile(home: Path) -> None:
    (home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\nendpoint_url = http://localhost:4566\n"
    )
    evidence = probe(
        "net.route", "An error occurred (AccessDenied) when calling the GetCallerIdentity operation"
    )
    assert "endpoint-overridden" in evidence.findings
    assert evidence.facts["endpoint_url"].value.startswith("http://localhost:4566")
    assert "config file" in evidence.facts["endpoint_url"].source


def test_an_availability_zone_is_not_a_region() -> None:
    evidence = probe("net.route", _refused("https://ec2.ap-southeast-1a.amazonaws.com/"))
    assert "region-not-a-region" in evidence.findings
    assert evidence.facts["region"].value == "ap-southeast-1a"
    assert "endpoint-overridden" not in evidence.findings


def test_an_opt_in_region_from_the_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-south-1")
    evidence = probe("net.route", "RegionDisabledException: STS is not activated in this region")
    assert "region-opt-in" in evidence.findings
    assert evidence.facts["target_url"].value == "https://sts.eu-south-1.amazonaws.com"


def test_fips_endpoints_selected(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_USE_FIPS_ENDPOINT", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-2")
    evidence = probe("net.route", "EndpointConnectionError")
    assert "fips-endpoint" in evidence.findings
    assert "fips" in evidence.facts["target_url"].value


def test_proxy_applies_unless_no_proxy_exempts_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://corp:pa55word-1@proxy.corp:3128")
    evidence = probe("net.route", AWS_TLS_ERROR)
    assert "proxy-applies" in evidence.findings
    assert evidence.facts["proxy_url"].value == "http://corp:****@proxy.corp:3128"
    assert not any("pa55word" in line for line in (evidence.summary, *evidence.details))
    assert [s.reveal() for s in evidence.secrets] == ["pa55word-1"]
    monkeypatch.setenv("NO_PROXY", ".amazonaws.com")
    assert "proxy-bypassed" in probe("net.route", AWS_TLS_ERROR).findings


def test_a_ca_bundle_that_cannot_work(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AWS_CA_BUNDLE", str(tmp_path / "corp-ca.pem"))
    evidence = probe("net.route", AWS_TLS_ERROR)
    assert {"ca-bundle-custom", "ca-bundle-broken"} <= set(evidence.findings)
    assert evidence.facts["ca_bundle"].source == "AWS_CA_BUNDLE"


def test_ssl_cert_file_is_not_read_by_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/corp.pem")
    evidence = probe("net.route", AWS_TLS_ERROR)
    assert "ssl-cert-file-ignored" in evidence.findings
    assert "certifi" in evidence.facts["ca_bundle"].source


# --- net.connect ---------------------------------------------------------------------------


def test_nothing_listens_at_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{closed_port()}/"
    monkeypatch.setenv("AWS_ENDPOINT_URL", url)
    evidence = probe("net.connect", _refused(url))
    assert evidence.findings == ("connect-refused",)
    assert "refused" in evidence.summary


def test_only_a_connection_is_opened_no_request_sent() -> None:
    received: list[bytes] = []
    done = threading.Event()

    def record(conn: socket.socket) -> None:
        conn.settimeout(5)
        received.append(conn.recv(65536))
        done.set()

    with serve(record) as port:
        evidence = probe("net.connect", _refused(f"http://127.0.0.1:{port}/"))
        assert done.wait(5)
    assert evidence.findings == ("reachable",)
    assert received == [b""]  # the probe closed the connection without sending anything


def test_a_self_signed_server_is_untrusted_and_its_issuer_named(tmp_path: Path) -> None:
    pki = make_pki(tmp_path, ["localhost", "127.0.0.1"])
    with tls_server(pki) as port:
        evidence = probe(
            "net.connect", f"SSL validation failed for https://localhost:{port}/ [SSL]"
        )
    assert "tls-untrusted" in evidence.findings
    assert "tls-intercepted" not in evidence.findings  # not an AWS host: nobody is in between
    assert evidence.facts["tls_issuer"].value == "CN=Example Corp TLS Inspection CA, O=Example Corp"


def test_the_same_server_verifies_with_its_ca_in_aws_ca_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = make_pki(tmp_path, ["localhost"])
    monkeypatch.setenv("AWS_CA_BUNDLE", str(pki.ca))
    with tls_server(pki) as port:
        evidence = probe("net.connect", f"SSL validation failed for https://localhost:{port}/")
    assert evidence.findings == ("reachable", "tls-ok")
    assert "AWS_CA_BUNDLE" in evidence.details[-1]


def test_an_intercepting_proxy_is_recognised_by_its_issuer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pki = make_pki(tmp_path, ["sts.us-east-1.amazonaws.com"])
    with intercepting_proxy(pki) as port:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
        evidence = probe("net.connect", AWS_TLS_ERROR)
    assert {"reachable", "tls-untrusted", "tls-intercepted"} <= set(evidence.findings)
    assert "Example Corp TLS Inspection CA" in evidence.summary
    assert "not by Amazon" in evidence.summary


def test_a_proxy_that_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
    evidence = probe("net.connect", AWS_TLS_ERROR)
    assert evidence.findings == ("proxy-unreachable",)
    assert "proxy http://127.0.0.1" in evidence.summary


def test_a_proxy_that_wants_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    def deny(conn: socket.socket) -> None:
        conn.recv(4096)
        conn.sendall(b"HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n")

    with serve(deny) as port:
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{port}")
        evidence = probe("net.connect", AWS_TLS_ERROR)
    assert evidence.findings == ("proxy-auth-required",)


def test_a_name_that_does_not_resolve(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_such_host(host: str, *args: object, **kwargs: object) -> object:
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    evidence = probe("net.connect", _refused("https://sts.us-east1.amazonaws.com/"))
    assert evidence.findings == ("dns-failed",)
    assert "sts.us-east1.amazonaws.com" in evidence.summary


def test_offline_runs_no_network_check() -> None:
    evidence = probe("net.connect", AWS_TLS_ERROR, offline=True)
    assert evidence.status.value == "skipped"


def test_connection_is_registered_as_a_network_probe() -> None:
    from awsmedic.probes import registry

    assert registry()["net.connect"].network and registry()["net.connect"].function is connection
    assert not registry()["net.route"].network


# --- botocore cannot build a client --------------------------------------------------------
#
# A config botocore refuses (a file it cannot parse, a region or an endpoint URL it rejects)
# leaves no endpoint of botocore's to describe or to connect to: the route probes say why and
# report "not checked", never evidence about a host guessed in its place.

#: Shaped like a secret access key, with the `/` of many real ones (AWS's documentation example).
SECRET_ON_THE_REGION_LINE = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
NO_URL = "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL"


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every host name a probe tries to resolve; none resolves (no network beyond 127.0.0.1)."""
    asked: list[str] = []

    def refuse(host: str, *args: object, **kwargs: object) -> object:
        asked.append(host)
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return asked


def _seeded_probe(probe_id: str, text: str) -> Evidence:
    """Run a probe with the scrubber seeded from the shared files, as `awsmedic` starts."""
    from awsmedic.probes import ProbeInput, registry, run_probe
    from awsmedic.probes.world import AwsWorld
    from awsmedic.safety.redact import SecretBook
    from awsmedic.safety.secretscan import known_secrets
    from tests.conftest import make_context

    context = make_context()
    world = AwsWorld(context, SecretBook(known_secrets(context)))
    return run_probe(registry()[probe_id], ProbeInput(context, world, text))


def _texts(evidence: Evidence) -> list[str]:
    facts = [f"{fact.value} {fact.source}" for fact in evidence.facts.values()]
    return [evidence.summary, *evidence.details, *facts]


def _not_checked_because(evidence: Evidence, reason: str) -> None:
    assert evidence.unchecked is not None, evidence
    assert evidence.status.value == "skipped"
    assert evidence.summary.startswith("not checked: botocore could not build a client")
    assert reason in evidence.summary
    assert "target_url" not in evidence.facts
    assert not any("amazonaws.com" in line for line in _texts(evidence)), evidence
    assert not any("botocore's endpoint for" in line for line in _texts(evidence)), evidence
    assert "\n" not in evidence.summary and "Traceback" not in evidence.summary


@pytest.mark.parametrize("probe_id", ["net.route", "net.connect"])
def test_a_config_file_botocore_cannot_parse_is_not_checked(
    home: Path, probe_id: str, lookups: list[str]
) -> None:
    (home / ".aws" / "config").write_text("[default\nregion = us-east-1\n")
    evidence = probe(probe_id, NO_URL)
    _not_checked_because(evidence, "ConfigParseError: Unable to parse config file: ~/.aws/config")
    assert lookups == []


def test_a_region_botocore_refuses_is_not_checked_and_its_value_stays_secret(
    home: Path, lookups: list[str]
) -> None:
    """A secret key pasted on the region line: botocore's message quotes the value."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\n"
        f"aws_secret_access_key = {SECRET_ON_THE_REGION_LINE}\n"
    )
    (home / ".aws" / "config").write_text(f"[default]\nregion = {SECRET_ON_THE_REGION_LINE}\n")
    for run in (probe, _seeded_probe):
        connect = run("net.connect", NO_URL)
        _not_checked_because(connect, "InvalidRegionError: Provided region_name")
        route = run("net.route", NO_URL)  # its name is no region's: that check needs no endpoint
        assert route.findings == ("region-not-a-region",)
        assert "not checked: botocore could not build a client (InvalidRegionError" in (
            route.summary
        )
        for evidence in (connect, route):
            assert not any(SECRET_ON_THE_REGION_LINE in line for line in _texts(evidence))
            assert "EXAMPLEKEY" not in repr(evidence)
    assert lookups == []


def test_a_refused_region_named_as_no_region_is_evidence_with_the_endpoint_not_checked(
    home: Path, lookups: list[str]
) -> None:
    """`us east 1` is no region name whoever asks: that check ran. Where requests go did not."""
    (home / ".aws" / "config").write_text("[default]\nregion = us east 1\n")
    route = probe("net.route", NO_URL)
    assert route.unchecked is None and route.status.value == "problem"
    assert route.findings == ("region-not-a-region",)
    assert "not checked: botocore could not build a client (InvalidRegionError" in route.summary
    assert "target_url" not in route.facts
    assert not any("amazonaws.com" in line for line in _texts(route)), route
    _not_checked_because(probe("net.connect", NO_URL), "InvalidRegionError")
    assert lookups == []


@pytest.mark.parametrize("probe_id", ["net.route", "net.connect"])
def test_a_hidden_newline_in_the_region_is_not_checked_and_shown_escaped(
    monkeypatch: pytest.MonkeyPatch, probe_id: str, lookups: list[str]
) -> None:
    """botocore builds `https://sts.us-east-1\\n.amazonaws.com` and refuses it: no override,
    so not the refused-override case; the reason is one line, the newline written `\\n`."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1\n")
    evidence = probe(probe_id, NO_URL)
    assert evidence.unchecked is not None, evidence
    assert "ValueError: Invalid endpoint: https://sts.us-east-1\\n.amazonaws.com" in (
        evidence.summary
    )
    assert "\n" not in evidence.summary and "endpoint-overridden" not in evidence.findings
    assert "target_url" not in evidence.facts
    assert lookups == []


@pytest.mark.parametrize("probe_id", ["net.route", "net.connect"])
def test_an_endpoint_url_botocore_cannot_parse_is_not_checked(
    home: Path, probe_id: str, lookups: list[str]
) -> None:
    password = "pr0xy-Passw0rd-99"
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = us-east-1\nendpoint_url = https://ci:{password}@[::1\n"
    )
    evidence = probe(probe_id, NO_URL)
    _not_checked_because(evidence, "ValueError: Invalid IPv6 URL")
    assert "endpoint-overridden" not in evidence.findings
    assert not any(password in line for line in _texts(evidence))
    assert lookups == []


def test_an_endpoint_without_a_scheme_is_still_the_override_in_effect(home: Path) -> None:
    """The one refusal that is an answer: botocore names the endpoint it would not use."""
    (home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\nendpoint_url = localhost:4566\n"
    )
    evidence = probe("net.route", NO_URL)
    assert evidence.unchecked is None
    assert "endpoint-overridden" in evidence.findings
    assert evidence.facts["endpoint_url"].value == "localhost:4566"
    assert evidence.facts["target_url"].value == "https://sts.us-east-1.amazonaws.com"


def test_a_url_in_the_error_is_still_checked_when_botocore_cannot_build_a_client(
    home: Path,
) -> None:
    (home / ".aws" / "config").write_text("[default\nregion = us-east-1\n")
    url = f"http://127.0.0.1:{closed_port()}/"
    route = probe("net.route", _refused(url))
    assert route.unchecked is None
    assert route.facts["target_url"].value == url
    assert route.facts["target_url"].source == "the error text"
    assert any(
        "botocore's own endpoint: not checked: botocore could not build a client "
        "(ConfigParseError" in line
        for line in route.details
    ), route.details
    connect = probe("net.connect", _refused(url))
    assert connect.findings == ("connect-refused",)


# --- an endpoint URL with a password in it ---------------------------------------------------
#
# `https://user:password@host/`: botocore takes it as written (it sends no basic auth from it,
# but the URL is the user's, and so is the password). Shown like a proxy's: `user:****@host`.

URL_PASSWORD = "s3cr3tP4ss"


def _shows_no_password(evidence: Evidence) -> None:
    assert not any(URL_PASSWORD in line for line in _texts(evidence)), _texts(evidence)
    assert URL_PASSWORD not in repr(evidence.facts)
    assert URL_PASSWORD in [secret.reveal() for secret in evidence.secrets]


def test_an_endpoint_password_from_the_environment_is_masked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = closed_port()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://user:{URL_PASSWORD}@127.0.0.1:{port}")
    evidence = probe("net.route", NO_URL)
    assert "endpoint-overridden" in evidence.findings
    assert evidence.facts["endpoint_url"].value == f"http://user:****@127.0.0.1:{port}"
    assert evidence.facts["endpoint_url"].source == "AWS_ENDPOINT_URL"
    assert evidence.facts["target_url"].value == f"http://user:****@127.0.0.1:{port}"
    assert f"127.0.0.1:{port}" in evidence.summary
    _shows_no_password(evidence)
    connect = probe("net.connect", NO_URL)
    assert connect.findings == ("connect-refused",)
    assert not any(URL_PASSWORD in line for line in _texts(connect))


def test_an_endpoint_password_from_the_config_file_is_masked(home: Path) -> None:
    port = closed_port()
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = us-east-1\nendpoint_url = https://ci:{URL_PASSWORD}@127.0.0.1:{port}\n"
    )
    evidence = probe("net.route", NO_URL)
    assert evidence.facts["endpoint_url"].value == f"https://ci:****@127.0.0.1:{port}"
    assert "config file" in evidence.facts["endpoint_url"].source
    assert any(f"ci:****@127.0.0.1:{port}" in line for line in evidence.details)
    _shows_no_password(evidence)


def test_a_refused_endpoint_without_a_scheme_is_masked(home: Path) -> None:
    """botocore refuses `user:password@host:9000` (no scheme) and names it in its message."""
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = us-east-1\nendpoint_url = user:{URL_PASSWORD}@127.0.0.1:9000\n"
    )
    evidence = probe("net.route", NO_URL)
    assert "endpoint-overridden" in evidence.findings
    assert evidence.facts["endpoint_url"].value == "user:****@127.0.0.1:9000"
    assert evidence.facts["target_url"].value == "https://sts.us-east-1.amazonaws.com"
    _shows_no_password(evidence)


def test_a_pasted_endpoint_url_option_is_masked() -> None:
    port = closed_port()
    url = f"http://user:{URL_PASSWORD}@127.0.0.1:{port}"
    text = f"$ aws sts get-caller-identity --endpoint-url {url}\n\n{_refused(url + '/')}"
    evidence = probe("net.route", text)
    assert evidence.facts["endpoint_url"].value == f"http://user:****@127.0.0.1:{port}"
    assert evidence.facts["endpoint_url"].source == "--endpoint-url on the failing command"
    assert evidence.facts["target_url"].value == f"http://user:****@127.0.0.1:{port}/"
    assert evidence.facts["target_url"].source == "the error text"
    _shows_no_password(evidence)


def test_a_password_in_the_url_of_the_error_is_masked() -> None:
    url = f"https://user:{URL_PASSWORD}@minio.example:9000/"
    evidence = probe("net.route", _refused(url))
    assert evidence.facts["target_url"].value == "https://user:****@minio.example:9000/"
    assert evidence.facts["endpoint_url"].value == "https://user:****@minio.example:9000/"
    _shows_no_password(evidence)


def test_an_endpoint_password_behind_a_proxy_is_masked_in_its_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"https://user:{URL_PASSWORD}@minio.internal:9000")
    monkeypatch.setenv("HTTPS_PROXY", "http://corp:pa55word-1@proxy.corp:3128")
    evidence = probe("net.route", NO_URL)
    assert evidence.facts["proxy_url"].value == "http://corp:****@proxy.corp:3128"
    assert (
        evidence.facts["proxy_url"].source == "HTTPS_PROXY applies to user:****@minio.internal:9000"
    )
    assert {"pa55word-1", URL_PASSWORD} <= {secret.reveal() for secret in evidence.secrets}
    _shows_no_password(evidence)
    monkeypatch.setenv("NO_PROXY", ".internal")
    bypassed = probe("net.route", NO_URL)
    assert "proxy-bypassed" in bypassed.findings
    _shows_no_password(bypassed)
