"""Where requests go: URLs in errors, regions, proxies and CA bundles as botocore sees them."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws import netroute


@pytest.mark.parametrize(
    ("text", "url"),
    [
        (
            'Could not connect to the endpoint URL: "https://ec2.ap-southeast-1a.amazonaws.com/"',
            "https://ec2.ap-southeast-1a.amazonaws.com/",
        ),
        (
            "SSL validation failed for https://sts.us-east-1.amazonaws.com/ [SSL: "
            "CERTIFICATE_VERIFY_FAILED]",
            "https://sts.us-east-1.amazonaws.com/",
        ),
        (
            "ConnectTimeout: HTTPSConnectionPool(host='alphabucket.s3.amazonaws.com', port=443): "
            "Max retries exceeded",
            "https://alphabucket.s3.amazonaws.com/",
        ),
        (
            "Starting new HTTPS connection (1): iam.us-east-1a.amazonaws.com",
            "https://iam.us-east-1a.amazonaws.com/",
        ),
        (
            "dial tcp: lookup sts.us-east1.amazonaws.com: no such host",
            "https://sts.us-east1.amazonaws.com/",
        ),
        (
            'Could not connect to the endpoint URL: "http://localhost:4566/"',
            "http://localhost:4566/",
        ),
        ('Failed to connect to proxy URL: "http://proxy:3128"', None),
    ],
)
def test_the_url_an_error_names(text: str, url: str | None) -> None:
    assert netroute.url_in_text(text) == url


def test_the_proxy_an_error_names() -> None:
    assert netroute.proxy_in_text('Failed to connect to proxy URL: "http://proxy:3128"') == (
        "http://proxy:3128"
    )


@pytest.mark.parametrize(
    ("host", "parts"),
    [
        ("sts.us-east-1.amazonaws.com", ("sts", "us-east-1")),
        ("sts.amazonaws.com", ("sts", "")),
        ("alphabucket.s3.amazonaws.com", ("s3", "")),
        ("bucket.s3.dualstack.eu-west-1.amazonaws.com", ("s3", "eu-west-1")),
        ("sts-fips.us-east-2.amazonaws.com", ("sts", "us-east-2")),
        ("ec2.ap-southeast-1a.amazonaws.com", ("ec2", "ap-southeast-1a")),
        ("sts.cn-north-1.amazonaws.com.cn", ("sts", "cn-north-1")),
        ("localhost", ("", "")),
    ],
)
def test_service_and_region_of_a_host(host: str, parts: tuple[str, str]) -> None:
    assert netroute.host_parts(host) == parts


def test_proxies_like_urllib_lower_case_wins() -> None:
    env = {"HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2", "NO_PROXY": "x"}
    assert netroute.environ_proxies(env) == {"https": "http://lower:2", "no": "x"}
    assert netroute.environ_proxies({"HTTP_PROXY": "h", "REQUEST_METHOD": "GET"}) == {}


def test_the_proxy_for_a_url_and_no_proxy() -> None:
    env = {"HTTPS_PROXY": "proxy.corp:3128", "NO_PROXY": "169.254.169.254,.internal"}
    proxy, why, secrets = netroute.proxy_for("https://sts.us-east-1.amazonaws.com/", env)
    assert proxy is not None and (proxy.host, proxy.port) == ("proxy.corp", 3128)
    assert proxy.url == "http://proxy.corp:3128"  # botocore adds http:// to a bare host:port
    assert "HTTPS_PROXY" in why and secrets == ()
    none, why, _ = netroute.proxy_for("https://s3.internal/", env)
    assert none is None and "NO_PROXY" in why
    plain, why, _ = netroute.proxy_for("http://127.0.0.1:5000/", env)
    assert plain is None and "HTTP_PROXY" in why


def test_a_proxy_password_is_a_secret_and_never_shown() -> None:
    env = {"https_proxy": "http://alice:s3cret-Passw0rd@proxy:8080"}
    proxy, _, secrets = netroute.proxy_for("https://sts.amazonaws.com/", env)
    assert proxy is not None
    assert "s3cret" not in proxy.url and proxy.url == "http://alice:****@proxy:8080"
    assert proxy.authorization.startswith("Basic ")
    assert [s.reveal() for s in secrets] == ["s3cret-Passw0rd"]


def test_ca_bundle_precedence_as_botocore_applies_it() -> None:
    env = {"AWS_CA_BUNDLE": "/a.pem", "REQUESTS_CA_BUNDLE": "/r.pem"}
    assert netroute.ca_bundle(env, "/a.pem") == ("/a.pem", "AWS_CA_BUNDLE")
    assert netroute.ca_bundle({}, "/p.pem") == ("/p.pem", "ca_bundle in the profile")
    path, source = netroute.ca_bundle({"REQUESTS_CA_BUNDLE": "/r.pem"}, None)
    assert (path, source.split(" ")[0]) == ("/r.pem", "REQUESTS_CA_BUNDLE")
    path, source = netroute.ca_bundle({"SSL_CERT_FILE": "/s.pem"}, None)
    assert path != "/s.pem"
    assert "certifi" in source or "cacert.pem" in source


def test_requests_ca_bundle_really_is_what_botocore_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    """The brief said botocore ignores REQUESTS_CA_BUNDLE; its endpoint code says otherwise."""
    import botocore.session

    monkeypatch.delenv("AWS_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/tmp/corp-ca.pem")
    client = botocore.session.Session().create_client(
        "sts", region_name="us-east-1", aws_access_key_id="a", aws_secret_access_key="b"
    )
    assert client._endpoint.http_session._verify == "/tmp/corp-ca.pem"


def test_bundle_problems(tmp_path: Path) -> None:
    assert "does not exist" in netroute.bundle_problem(str(tmp_path / "nope.pem"))
    assert "directory" in netroute.bundle_problem(str(tmp_path))
    (tmp_path / "empty.pem").write_text("hello")
    assert "no PEM certificate" in netroute.bundle_problem(str(tmp_path / "empty.pem"))
    (tmp_path / "ok.pem").write_text(
        "-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n"
    )
    assert netroute.bundle_problem(str(tmp_path / "ok.pem")) == ""


def test_a_password_in_the_target_url_is_never_in_the_proxy_reasons() -> None:
    """botocore matches NO_PROXY against the endpoint's netloc, user information and all: the
    reason names it, with the password masked."""
    url = "https://user:s3cr3tP4ss@minio.internal:9000/"
    proxy, why, _ = netroute.proxy_for(url, {"HTTPS_PROXY": "http://proxy:3128"})
    assert proxy is not None and why == "HTTPS_PROXY applies to user:****@minio.internal:9000"
    none, why, _ = netroute.proxy_for(
        url, {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": ".internal"}
    )
    assert none is None and why == "NO_PROXY (.internal) exempts user:****@minio.internal:9000"
