"""Where a request goes and how: the endpoint, the proxy, the CA bundle, the region behind them.

Reads the pasted error (the URL that failed is the best witness), the environment as botocore
reads it, and botocore's own endpoint resolution. No sockets here: `netcheck` does the talking.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from awsmedic.aws import bounded
from awsmedic.aws.netcheck import Proxy, basic_authorization
from awsmedic.model import Secret, SecretKind, mask_url_password

_URL_PATTERNS = (
    re.compile(
        r"(?:endpoint URL|validation failed for|failed for)\s*:?\s*\"?(https?://[^\s\"'<>]+)"
    ),
    re.compile(r"HTTPS?ConnectionPool\(host='([^']+)', port=(\d+)\)"),
    re.compile(r"Starting new HTTPS connection \(\d+\): ([A-Za-z0-9.-]+)(?::(\d+))?"),
    re.compile(r"Inaccessible host: `([A-Za-z0-9.-]+)'"),
    re.compile(r"dial tcp: lookup ([A-Za-z0-9.-]+)"),
    re.compile(r"Connect to ([A-Za-z0-9.-]+\.amazonaws\.com[a-z.]*)(?::(\d+))?"),
    re.compile(r"(https?://[A-Za-z0-9.-]+\.(?:amazonaws\.com(?:\.cn)?|api\.aws)(?::\d+)?/?)"),
)
_PROXY_IN_TEXT = re.compile(r"proxy URL:\s*\"?([^\s\"]+)")
_REGION_LIKE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+[a-z]?$")
_AWS_HOST = re.compile(r"\.(?:amazonaws\.com(?:\.cn)?|api\.aws|amazonaws\.eu)$")


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    port: int
    scheme: str
    service: str
    region: str
    source: str

    @property
    def aws_host(self) -> bool:
        return bool(_AWS_HOST.search(self.host))


def url_in_text(text: str) -> str | None:
    """The endpoint URL a pasted network error names (not a proxy's)."""
    for pattern in _URL_PATTERNS:
        found = pattern.search(text)
        if not found:
            continue
        if found.group(1).startswith("http"):
            return found.group(1)
        port = found.group(2) if pattern.groups >= 2 and found.group(2) else "443"
        return (
            f"https://{found.group(1)}:{port}/" if port != "443" else f"https://{found.group(1)}/"
        )
    return None


def proxy_in_text(text: str) -> str | None:
    found = _PROXY_IN_TEXT.search(text)
    return found.group(1) if found else None


def host_parts(host: str) -> tuple[str, str]:
    """(service, region) of an AWS host name, each "" when the name does not say."""
    if not _AWS_HOST.search(host):
        return "", ""
    labels = _AWS_HOST.sub("", host).split(".")
    region = labels[-1] if _REGION_LIKE.match(labels[-1]) else ""
    rest = [label for label in (labels[:-1] if region else labels) if label != "dualstack"]
    service = rest[-1] if rest else ""
    return service.removesuffix("-fips"), region


def target_from_url(url: str, source: str) -> Target:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    service, region = host_parts(host)
    return Target(url, host, port, parts.scheme or "https", service, region, source)


def environ_proxies(environ: Mapping[str, str]) -> dict[str, str]:
    """urllib.request.getproxies_environment over an injected environment (lower case wins)."""
    proxies: dict[str, str] = {}
    for name, value in environ.items():
        if value and name.lower().endswith("_proxy"):
            proxies[name.lower()[:-6]] = value
    if "REQUEST_METHOD" in environ:
        proxies.pop("http", None)
    for name, value in environ.items():
        if name.endswith("_proxy"):
            if value:
                proxies[name.lower()[:-6]] = value
            else:
                proxies.pop(name.lower()[:-6], None)
    return proxies


def proxy_for(url: str, environ: Mapping[str, str]) -> tuple[Proxy | None, str, tuple[Secret, ...]]:
    """The proxy botocore would use for url, why, and any password in its URL (a secret).

    Like botocore, NO_PROXY is matched against the URL's netloc, user information and all; the
    reason names it with any password masked."""
    proxies = environ_proxies(environ)
    scheme = urlsplit(url).scheme
    if scheme not in proxies:
        return None, f"no {scheme.upper()}_PROXY is set", ()
    netloc = urlsplit(url).netloc
    shown_netloc = mask_url_password(netloc)
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    if "no" in proxies and bypass(netloc, proxies):
        return None, f"NO_PROXY ({proxies['no']}) exempts {shown_netloc}", ()
    raw = proxies[scheme]
    # botocore: a proxy URL without a scheme is taken as http://
    fixed = raw if raw.startswith(("http://", "https://")) else "http://" + raw.lstrip("/")
    parts = urlsplit(fixed)
    secrets: tuple[Secret, ...] = ()
    shown = fixed
    authorization = ""
    if parts.password:
        secrets = (Secret(parts.password, SecretKind.OTHER),)
        shown = mask_url_password(fixed)
        authorization = basic_authorization(parts.username or "", parts.password)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    proxy = Proxy(shown, parts.hostname or "", port, authorization)
    return proxy, f"{scheme.upper()}_PROXY applies to {shown_netloc}", secrets


def ca_bundle(environ: Mapping[str, str], configured: str | None) -> tuple[str | None, str]:
    """The CA bundle botocore verifies with, and where that choice comes from.

    botocore: `--ca-bundle`, else the `ca_bundle` setting (`AWS_CA_BUNDLE`, then the profile),
    else `REQUESTS_CA_BUNDLE` (endpoint.py keeps honouring it), else certifi or its own
    cacert.pem. `SSL_CERT_FILE` is never read.
    """
    if configured:
        source = "AWS_CA_BUNDLE" if environ.get("AWS_CA_BUNDLE") else "ca_bundle in the profile"
        return configured, source
    if environ.get("REQUESTS_CA_BUNDLE"):
        return environ["REQUESTS_CA_BUNDLE"], "REQUESTS_CA_BUNDLE (AWS_CA_BUNDLE is not set)"
    try:
        from certifi import where

        return where(), "certifi (the default)"
    except ImportError:
        import botocore

        return str(Path(botocore.__file__).parent / "cacert.pem"), "botocore's cacert.pem"


def bundle_problem(path: str) -> str:
    """Why a CA bundle path cannot work, or ""."""
    bundle = Path(path).expanduser()
    if not bundle.exists():
        return f"{path} does not exist"
    if bundle.is_dir():
        return f"{path} is a directory; botocore needs one PEM file"
    try:
        head = bounded.read_file(bundle, bounded.MB).data
    except OSError as exc:  # a FIFO or a device (/dev/zero) is said so, never read
        return f"{path} cannot be read: {exc.strerror or exc}"
    if b"-----BEGIN CERTIFICATE-----" not in head:
        return f"{path} holds no PEM certificate"
    return ""
