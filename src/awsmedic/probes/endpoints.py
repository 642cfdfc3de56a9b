"""endpoint.override: which configured endpoint URL applies to the failing service, and to STS.

botocore looks for an endpoint in this order (`ConfiguredEndpointProvider`):
`AWS_ENDPOINT_URL_<SERVICE>`, `AWS_ENDPOINT_URL`, the service's entry in the profile's
`[services …]` section, the profile's `endpoint_url`; `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
turns all of them off. We ask botocore's own provider where the URL comes from, and a real
(unsigned, never sent) client where requests go. A service sent somewhere else than STS explains
keys that `sts get-caller-identity` accepts and the failing service does not know.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from awsmedic.aws.services import failing_service
from awsmedic.model import Evidence, Fact, Secret, Status, mask_url_password
from awsmedic.probes import ProbeInput, probe
from awsmedic.safety.secretscan import url_secrets

#: ConfiguredEndpointProvider's lookup order, and how to say each one to a user.
#: Where an override in effect is set (override_origin).
ORIGIN_FINDINGS = ("endpoint-from-env", "endpoint-from-option", "endpoint-from-config")
_LOCATIONS = {
    "environment_service": "AWS_ENDPOINT_URL_{SERVICE}",
    "environment_global": "AWS_ENDPOINT_URL",
    "config_service": "[services] section of the profile",
    "config_global": "endpoint_url in the profile",
}
_AWS_SUFFIXES = (
    ".amazonaws.com",
    ".amazonaws.com.cn",
    ".amazonaws.eu",
    ".api.aws",
    ".c2s.ic.gov",
    ".sc2s.sgov.gov",
)
_LOCAL_NAMES = {"localhost", "localstack", "host.docker.internal", "minio"}


@dataclass(frozen=True)
class Route:
    """Where botocore sends a service's requests, and the setting that says so. The URLs are as
    shown: a password in one is masked (`user:****@host`), and kept in `secrets`."""

    service: str
    endpoint: str  # where botocore sends requests
    override: str  # the configured URL that applies ("" for none)
    source: str  # which setting it comes from
    secrets: tuple[Secret, ...] = ()


def _source(provider: Any, service: str) -> tuple[str, str]:
    """(URL, where it is set) as botocore's provider finds it, first match wins."""
    for location, label in _LOCATIONS.items():
        url = getattr(provider, f"_get_endpoint_url_{location}")()
        if url:
            env_name = f"AWS_ENDPOINT_URL_{provider._transformed_service_id.upper()}"
            return str(url), label.replace("AWS_ENDPOINT_URL_{SERVICE}", env_name)
    return "", ""


def override_origin(source: str) -> tuple[str, str]:
    """(finding, variable) for where an override in effect is set: `endpoint-from-env` with
    the variable's name, `endpoint-from-option` (`--endpoint-url`), else `endpoint-from-config`
    (the profile's `endpoint_url` or its `[services]` section)."""
    variable = re.match(r"AWS_ENDPOINT_URL\w*", source)
    if variable is not None:
        return "endpoint-from-env", variable.group(0)
    if "--endpoint-url" in source:
        return "endpoint-from-option", ""
    return "endpoint-from-config", ""


def _route(run: ProbeInput, session: Any, service: str) -> Route:
    from botocore import UNSIGNED
    from botocore.config import Config
    from botocore.configprovider import ConfiguredEndpointProvider

    provider = ConfiguredEndpointProvider(
        session.full_config, session.get_scoped_config(), service, environ=run.ctx.environ
    )
    override, source = _source(provider, service)
    from botocore.exceptions import NoRegionError

    region = run.ctx.region or session.get_config_variable("region")
    config = run.world.client_config().merge(Config(signature_version=UNSIGNED))
    try:
        # No region: botocore sends STS (and other global services) to their global endpoint;
        # saying us-east-1's would contradict where the requests really go.
        client = session.create_client(service, region_name=region, config=config)
        endpoint = str(client.meta.endpoint_url)
    except NoRegionError:  # a regional service needs one: only an override can be told
        client = session.create_client(service, region_name="us-east-1", config=config)
        endpoint = str(client.meta.endpoint_url)
        if not override:  # an override is used as written, whatever region it names
            endpoint = endpoint.replace("us-east-1", "<region>")
    if override and endpoint.rstrip("/") != override.rstrip("/"):
        override, source = "", ""  # ignored (AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)
    secrets = url_secrets(endpoint) + url_secrets(override)
    endpoint, override = mask_url_password(endpoint), mask_url_password(override)
    return Route(service, endpoint, override, source, secrets)


def host_kind(url: str) -> str:
    """`local`, `aws` or `other` for the host of an endpoint URL."""
    host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return "local"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "aws" if host.endswith(_AWS_SUFFIXES) else "other"
    return "local" if address.is_loopback or address.is_unspecified else "other"


def _configured_anywhere(run: ProbeInput, session: Any) -> bool:
    env = any(name.startswith("AWS_ENDPOINT_URL") for name in run.ctx.environ)
    scoped = session.get_scoped_config()
    return env or "endpoint_url" in scoped or "services" in scoped


def _findings(run: ProbeInput, session: Any, failing: Route, sts: Route) -> list[str]:
    findings: list[str] = []
    if failing.override:
        findings.append("endpoint-override-for-service")
        kind = host_kind(failing.override)
        if kind != "aws":
            findings.append(f"endpoint-override-{'local' if kind == 'local' else 'not-aws'}")
    elif _configured_anywhere(run, session) and failing.service != "sts":
        findings.append("endpoint-override-missing-for-service")
    if sts.override:
        findings.append("endpoint-override-for-sts")
    if failing.service != "sts" and failing.override != sts.override:
        findings.append("endpoint-differs-from-sts")
    ignore = (run.ctx.env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS") or "").lower() == "true"
    if ignore and _configured_anywhere(run, session):
        findings.append("endpoint-overrides-ignored")
    return findings or ["no-endpoint-override"]


def _describe(route: Route) -> str:
    if route.override:
        return f"{route.service} goes to {route.endpoint} ({route.source})"
    return f"{route.service} goes to {route.endpoint}"


@probe(
    "endpoint.override",
    title="Endpoint overrides for the failing service and STS",
    findings=(
        "no-endpoint-override",
        "endpoint-override-for-service",
        "endpoint-override-local",
        "endpoint-override-not-aws",
        "endpoint-override-missing-for-service",
        "endpoint-override-for-sts",
        "endpoint-differs-from-sts",
        "endpoint-overrides-ignored",
        "services-section-missing",
        *ORIGIN_FINDINGS,
    ),
    facts=("endpoint_url", "service", "endpoint_variable"),
)
def endpoint_override(run: ProbeInput) -> Evidence:
    """Where the failing service's requests and STS's go, and which setting sends them there."""
    from botocore.exceptions import InvalidConfigError, UnknownServiceError

    codes = run.recognition.codes if run.recognition else ()
    named = failing_service(run.text, codes)
    # A session of our own: the shared one may only be touched under the world's lock.
    session = run.world.own_session()
    try:
        sts = _route(run, session, "sts")
        try:
            failing = _route(run, session, named) if named and named != "sts" else sts
        except UnknownServiceError:
            named, failing = None, sts
    except InvalidConfigError as exc:
        return Evidence(
            "endpoint.override",
            Status.PROBLEM,
            str(exc),
            ("services-section-missing",),
        )
    findings = _findings(run, session, failing, sts)
    details = [_describe(failing)] + ([_describe(sts)] if failing is not sts else [])
    if named is None:
        details.append("the error does not say which service failed: STS is assumed")
    facts = {"service": Fact(failing.service, "derived from the error" if named else "assumed")}
    override = failing.override or sts.override
    if override:
        source = failing.source if failing.override else sts.source
        facts["endpoint_url"] = Fact(override, source)
        origin, variable = override_origin(source)
        findings.append(origin)
        if variable:
            facts["endpoint_variable"] = Fact(variable, "environment")
    problem = {"endpoint-differs-from-sts", "endpoint-override-missing-for-service"}
    return Evidence(
        "endpoint.override",
        Status.PROBLEM if problem & set(findings) else Status.OK,
        "; ".join(details[:2]),
        tuple(findings),
        facts,
        tuple(details),
        failing.secrets + sts.secrets,
    )
