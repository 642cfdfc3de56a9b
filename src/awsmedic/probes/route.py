"""net.route: which endpoint a request goes to and why, through which proxy, trusting which CAs.

Offline: it reads the pasted error (the URL that failed), the environment and botocore's own
endpoint resolution (unsigned clients: no credentials are resolved or sent). When botocore
cannot build a client (a file it cannot parse, a region or endpoint URL it refuses), it names no
endpoint: what depended on it is "not checked", with botocore's reason, never a guessed host.
An endpoint URL with a password in it (`https://user:password@host`) is shown as a proxy's is,
`user:****@host`, and its password is a secret of the evidence.
"""

from __future__ import annotations

import re
import threading
import weakref
from dataclasses import dataclass, replace
from typing import Any

from awsmedic.aws import denial, netroute, regions, sharedfiles
from awsmedic.aws.hygiene import visible
from awsmedic.aws.netcheck import Proxy
from awsmedic.model import Evidence, Fact, Secret, Status, Unchecked, mask_url_password
from awsmedic.probes import UNCHECKED_WHY, ProbeInput, not_checked, probe, selected_profile
from awsmedic.probes.chainwalk import profile_selection
from awsmedic.probes.endpoints import ORIGIN_FINDINGS, override_origin
from awsmedic.probes.world import AwsWorld
from awsmedic.safety.secretscan import url_secrets

_TRUE = ("true", "1", "yes")
_OPTION = re.compile(r"--endpoint-url[= ]\"?(https?://[^\s\"]+)")
#: How much of botocore's message a reason keeps: one line, never a dump of a config.
_REASON_LIMIT = 200


@dataclass(frozen=True)
class Route:
    """Every URL here is as shown: a password in it masked (it is among `secrets`)."""

    #: Where the request goes: the URL in the error text, else botocore's endpoint; None when
    #: the text names none and botocore could not build a client (`unresolved` says why).
    target: netroute.Target | None
    used: str  # botocore's endpoint for the target's service ("" when it cannot say)
    default: str  # the same with configured endpoints ignored
    override: str  # the override in effect ("" for none)
    override_source: str
    proxy: Proxy | None
    proxy_reason: str
    bundle: str | None
    bundle_source: str
    secrets: tuple[Secret, ...]
    region: str = ""  # the region the request was for ("" when none is known)
    #: Why botocore could not build a client, as `Exception: message` (redacted, one short
    #: line); "" when it could, or when it refused only a configured endpoint (the override).
    unresolved: str = ""


_CACHE: weakref.WeakKeyDictionary[AwsWorld, Route] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _service(run: ProbeInput, target_service: str) -> str:
    if target_service:
        return target_service
    facts = run.recognition.facts if run.recognition else {}
    if "service" in facts:
        return denial.iam_prefix(facts["service"].value)
    operation = facts["operation"].value if "operation" in facts else ""
    return denial.action_for_operation(operation).split(":")[0] or "sts"


_INVALID_ENDPOINT = "Invalid endpoint: "


def _endpoints(
    session: Any, service: str, region: str | None
) -> tuple[str, str, str, Exception | None]:
    """(endpoint botocore uses, endpoint without configured overrides, service id, and what
    botocore raised when it could not build a client: then the endpoints are "")."""
    from botocore import UNSIGNED
    from botocore.config import Config

    base = Config(signature_version=UNSIGNED)
    try:
        plain = session.create_client(
            service,
            region_name=region,
            config=base.merge(Config(ignore_configured_endpoint_urls=True)),
        )
    except Exception as exc:  # an unknown service, a region it refuses, a broken profile
        return "", "", "", exc
    service_id = plain.meta.service_model.service_id
    try:
        used = session.create_client(service, region_name=region, config=base)
    except ValueError as exc:
        # A configured endpoint botocore refuses (no scheme): it is the override in effect,
        # the one the failing command could not use (botocore/endpoint.py create_endpoint).
        refused = str(exc).removeprefix(_INVALID_ENDPOINT)
        if refused == str(exc):
            return "", "", "", exc  # another refusal (an endpoint URL it cannot parse)
        return refused, plain.meta.endpoint_url, service_id, None
    except Exception as exc:
        return "", "", "", exc
    return used.meta.endpoint_url, plain.meta.endpoint_url, service_id, None


def _reason(run: ProbeInput, exc: Exception) -> str:
    """What botocore raised, as one short line safe to show: its messages can quote a config
    value (a region, an endpoint URL), so redacted first; hidden characters written as escapes."""
    text = run.world.book.scrub(f"{type(exc).__name__}: {exc}")
    home = str(run.ctx.home or "").rstrip("/")
    if home:  # ConfigParseError names the file: shown as users write it, `~/.aws/config`
        text = text.replace(home + "/", "~/")
    text = visible(text)
    return text if len(text) <= _REASON_LIMIT else text[: _REASON_LIMIT - 1] + "…"


def _override_source(run: ProbeInput, service_id: str) -> str:
    var = "AWS_ENDPOINT_URL_" + re.sub(r"[ -]", "_", service_id.upper())
    for name in (var, "AWS_ENDPOINT_URL"):
        if run.ctx.env(name):
            return name
    return "the config file (endpoint_url or a [services] section of the profile)"


def _text_override(run: ProbeInput, target: netroute.Target) -> tuple[str, str]:
    option = _OPTION.search(run.text)
    if option:
        return option.group(1), "--endpoint-url on the failing command"
    for name, value in run.ctx.environ.items():
        if name.startswith("AWS_ENDPOINT_URL") and value and _netloc(value) == _netloc(target.url):
            return value, name
    if not target.aws_host and target.source == "the error text":
        return target.url, "an endpoint URL given to the tool (not an AWS host name)"
    return "", ""


def _netloc(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def compute(run: ProbeInput) -> Route:
    """The route, computed once per diagnosis and shared by net.route and net.connect."""
    with _LOCK:
        cached = _CACHE.get(run.world)
    if cached is not None:
        return cached
    session = run.world.own_session()
    url = netroute.url_in_text(run.text)
    found = netroute.target_from_url(url, "the error text") if url else None
    service = _service(run, found.service if found else "")
    region = (found.region if found else "") or run.ctx.region or _region(run, session)
    used, default, service_id, failure = _endpoints(session, service, region or None)
    # An override botocore refused (no scheme) is no place a request could go: the target stays
    # the endpoint botocore would use without it.
    reachable = used if "://" in used else default
    target = found
    if target is None and reachable:
        target = netroute.target_from_url(reachable, f"botocore's endpoint for {service}")
    override, source = ("", "")
    if used and default and used != default:
        override, source = used, _override_source(run, service_id)
    elif found:
        override, source = _text_override(run, found)
    proxy: Proxy | None = None
    reason, secrets = "", tuple[Secret, ...]()
    if target is not None:
        proxy, reason, secrets = netroute.proxy_for(target.url, run.ctx.environ)
        secrets += url_secrets(target.url)
        target = replace(target, url=mask_url_password(target.url))
    secrets += url_secrets(override)
    bundle, bundle_source = netroute.ca_bundle(run.ctx.environ, _configured_bundle(session))
    route = Route(
        target,
        mask_url_password(used),
        mask_url_password(default),
        mask_url_password(override),
        source,
        proxy,
        reason,
        bundle,
        bundle_source,
        secrets,
        region or "",
        _reason(run, failure) if failure is not None else "",
    )
    with _LOCK:
        _CACHE[run.world] = route
    return route


def _region(run: ProbeInput, session: Any) -> str:
    facts = run.recognition.facts if run.recognition else {}
    if "region" in facts:
        return facts["region"].value
    try:
        return str(session.get_config_variable("region") or "")
    except Exception:
        return ""


def _configured_bundle(session: Any) -> str | None:
    try:
        value = session.get_config_variable("ca_bundle")
    except Exception:
        return None
    return str(value) if value else None


def _variant_findings(run: ProbeInput, route: Route, details: list[str]) -> list[str]:
    found: list[str] = []
    host = route.target.host if route.target is not None else ""
    for name, env, marker in (
        ("fips", "AWS_USE_FIPS_ENDPOINT", "-fips."),
        ("dualstack", "AWS_USE_DUALSTACK_ENDPOINT", "dualstack"),
    ):
        setting = _variant_setting(run, name, env)
        if (
            setting is not None
            or marker in host
            or (name == "dualstack" and host.endswith(".api.aws"))
        ):
            found.append(f"{name}-endpoint")
            missing = _fips_missing(route) if name == "fips" else None
            if setting is not None:
                found.append(f"{name}-from-{setting[0]}")
            if missing is not None and setting is not None:
                found.append("fips-endpoint-missing")
                details.append(f"{setting[1]} selects {host}, {missing}")
                continue
            where = (
                setting[1] if setting is not None else f"{env} or the profile's use_{name}_endpoint"
            )
            details.append(
                f"{'FIPS' if name == 'fips' else 'dual-stack'} endpoints are selected ({where});"
                " not every service has one in every region"
            )
    return found


def _variant_setting(run: ProbeInput, name: str, env: str) -> tuple[str, str] | None:
    """Where FIPS (or dual-stack) endpoints are turned on: ("env" | "config", the words), as
    botocore reads it (the variable first, then the profile's use_<name>_endpoint)."""
    value = run.ctx.env(env)
    if value is not None:
        if value.strip().lower() not in _TRUE:
            return None
        return "env", f"{env}={visible(value)} in the environment"
    ctx = run.ctx
    selection = selected_profile(run)
    setting = sharedfiles.load(ctx).settings(selection.name).get(f"use_{name}_endpoint")
    if setting is None or setting.value.strip().lower() not in _TRUE:
        return None
    return "config", f"use_{name}_endpoint = {visible(setting.value)} ({setting.where(ctx)})"


def _fips_missing(route: Route) -> str | None:
    """Why the FIPS host the request went to does not exist, by botocore's endpoints data: the
    service has no FIPS endpoint in this region (STS has them in US and GovCloud regions
    only). None when the host is no FIPS host or the data cannot say."""
    target = route.target
    if target is None or "-fips." not in target.host:
        return None
    service = target.host.split(".", 1)[0].removesuffix("-fips")
    region = target.region or route.region
    if regions.has_fips_endpoint(service, region) is not False:
        return None
    where = sorted(regions.fips_regions(service))
    has = f" ({service} has FIPS endpoints only in {', '.join(where)})" if where else ""
    return f"but botocore's endpoint data {_NO_FIPS} {service} in {region}{has}"


def _region_findings(run: ProbeInput, route: Route, details: list[str]) -> list[str]:
    region = (route.target.region if route.target is not None else "") or route.region
    if not region:
        return []

    status = regions.status(region)
    shown = _shown(run, region)  # a value botocore refused may be anything: a pasted secret
    if status == "not-a-region":
        details.append(f"'{shown}' is not a region name (an availability zone or a typo?)")
        return ["region-not-a-region"]
    if status == "unknown":
        details.append(f"'{shown}' is not a region this botocore knows (a typo, or very new)")
        return ["region-not-listed"]
    if status == "opt-in":
        details.append(f"{shown} is an opt-in region: it must be enabled for the account")
        return ["region-opt-in"]
    return []


def _shown(run: ProbeInput, value: str) -> str:
    return visible(run.world.book.scrub(value))


def _tls_findings(run: ProbeInput, route: Route, details: list[str]) -> list[str]:
    found: list[str] = []
    env = run.ctx.environ
    if route.bundle_source != "certifi (the default)" and "cacert.pem" not in route.bundle_source:
        found.append("ca-bundle-custom")
        problem = netroute.bundle_problem(route.bundle or "")
        if problem:
            found.append("ca-bundle-broken")
            # where the broken path is set, so that the step names the one thing to change
            found.append(
                _BUNDLE_SOURCES.get(route.bundle_source.split(" (")[0], "ca-bundle-in-profile")
            )
            shown = problem.replace(route.bundle or "", run.ctx.tilde(route.bundle or ""), 1)
            details.append(f"the CA bundle cannot work: {shown}")
    both = env.get("AWS_CA_BUNDLE"), env.get("REQUESTS_CA_BUNDLE")
    if all(both) and both[0] != both[1]:
        details.append("AWS_CA_BUNDLE and REQUESTS_CA_BUNDLE differ: botocore uses AWS_CA_BUNDLE")
    if env.get("SSL_CERT_FILE") and not (env.get("AWS_CA_BUNDLE") or env.get("REQUESTS_CA_BUNDLE")):
        found.append("ssl-cert-file-ignored")
        details.append("SSL_CERT_FILE is set, but botocore never reads it: use AWS_CA_BUNDLE")
    return found


#: The finding for each place a CA bundle comes from (netroute.ca_bundle's source words).
_BUNDLE_SOURCES = {
    "AWS_CA_BUNDLE": "ca-bundle-from-env",
    "REQUESTS_CA_BUNDLE": "ca-bundle-from-requests-env",
    "ca_bundle in the profile": "ca-bundle-in-profile",
}


def _headline(details: list[str]) -> list[str]:
    """The override and CA bundle lines, and why the bundle cannot work when it cannot (that
    line comes later in the details, and is the finding itself). A FIPS setting that picks an
    endpoint botocore's data does not list comes first, and then the override only."""
    broken = [line for line in details[3:] if line.startswith("the CA bundle cannot work")]
    fips = [line for line in details if _NO_FIPS in line]
    if fips:
        return fips + [line for line in details if line.startswith("endpoint override")] + broken
    return details[1:3] + broken


_NO_FIPS = "lists no FIPS endpoint for"


def _plain(route: Route, target: netroute.Target) -> str:
    text = f"{target.url} ({target.source})"
    if route.proxy is not None:
        text += f" via proxy {route.proxy.url}"
    return text + f"; CA bundle from {route.bundle_source}"


@probe(
    "net.route",
    title="Endpoint, proxy and CA bundle in use",
    findings=(
        "endpoint-overridden",
        "endpoint-url-has-path",
        *ORIGIN_FINDINGS,
        "endpoint-not-aws",
        "fips-endpoint",
        "fips-endpoint-missing",
        "fips-from-env",
        "fips-from-config",
        "dualstack-endpoint",
        "dualstack-from-env",
        "dualstack-from-config",
        "region-not-a-region",
        "region-not-listed",
        "region-opt-in",
        "proxy-applies",
        "proxy-bypassed",
        "ca-bundle-custom",
        "ca-bundle-broken",
        "ca-bundle-from-env",
        "ca-bundle-from-requests-env",
        "ca-bundle-in-profile",
        "ssl-cert-file-ignored",
    ),
    facts=(
        "profile",
        "endpoint_url",
        "endpoint_variable",
        "endpoint_root",
        "region",
        "proxy_url",
        "ca_bundle",
        "target_url",
    ),
)
def route_probe(run: ProbeInput) -> Evidence:
    """Which endpoint, proxy and CA bundle botocore uses for the failing request, and why."""
    route = compute(run)
    target = route.target
    if target is None:
        return _unresolved(run, route)
    details = [f"target: {target.url} ({target.source})"]
    findings: list[str] = []
    if route.override:
        findings += ["endpoint-overridden", override_origin(route.override_source)[0]]
        details.append(f"endpoint override {route.override} from {route.override_source}")
        if _endpoint_root(route.override) != route.override.rstrip("/"):
            findings.append("endpoint-url-has-path")
            details.append(
                f"the endpoint override has a path after its host: botocore sends every request"
                f" under it ({_endpoint_root(route.override)} is the server's root)"
            )
    if not target.aws_host:
        findings.append("endpoint-not-aws")
    findings += _variant_findings(run, route, details)
    findings += _region_findings(run, route, details)
    if route.proxy is not None:
        findings.append("proxy-applies")
        details.append(f"proxy {route.proxy.url}: {route.proxy_reason}")
    elif "NO_PROXY" in route.proxy_reason:
        findings.append("proxy-bypassed")
        details.append(route.proxy_reason)
    if route.bundle:
        details.append(f"CA bundle: {run.ctx.tilde(route.bundle)} ({route.bundle_source})")
    findings += _tls_findings(run, route, details)
    if route.unresolved:  # the target is the error text's; botocore could not say its own
        details.append(f"botocore's own endpoint: {_NOT_CHECKED} ({route.unresolved})")
    problem = {
        "endpoint-overridden",
        "region-not-a-region",
        "ca-bundle-broken",
        "fips-endpoint-missing",
    } & set(findings)
    return Evidence(
        "net.route",
        Status.PROBLEM if problem else Status.OK,
        "; ".join(_headline(details)) if problem else _plain(route, target),
        tuple(findings),
        _route_facts(run, route),
        tuple(details),
        route.secrets,
    )


_NOT_CHECKED = f"not checked: {UNCHECKED_WHY[Unchecked.BOTOCORE]}"


def _unresolved(run: ProbeInput, route: Route) -> Evidence:
    """botocore could not build a client and the error text names no URL: where requests go,
    their override and their proxy are not checked (no host is guessed in their place). What
    needs no endpoint still is: the region's name, FIPS and dual-stack settings, the CA bundle;
    a problem found there is evidence, beside what could not be checked."""
    reason = f"{_NOT_CHECKED} ({route.unresolved})"
    details = [f"target: {reason}"]
    findings = _variant_findings(run, route, details)
    region_lines: list[str] = []
    findings += _region_findings(run, route, region_lines)
    details += region_lines
    if route.bundle:
        details.append(f"CA bundle: {run.ctx.tilde(route.bundle)} ({route.bundle_source})")
    findings += _tls_findings(run, route, details)
    facts = _route_facts(run, route)
    problems = region_lines if "region-not-a-region" in findings else []
    problems += [line for line in details if line.startswith("the CA bundle cannot work")]
    if not problems:
        return not_checked(
            "net.route",
            Unchecked.BOTOCORE,
            route.unresolved,
            tuple(findings),
            facts,
            tuple(details),
            route.secrets,
        )
    return Evidence(
        "net.route",
        Status.PROBLEM,
        "; ".join([*problems, f"where requests go: {reason}"]),
        tuple(findings),
        facts,
        tuple(details),
        route.secrets,
    )


def _route_facts(run: ProbeInput, route: Route) -> dict[str, Fact]:
    target = route.target
    profile, selected_by, _ = profile_selection(run.ctx)
    facts: dict[str, Fact] = {}
    if target is not None:
        facts["target_url"] = Fact(target.url, target.source)
    facts["profile"] = Fact(profile, selected_by)
    if route.override:
        facts["endpoint_url"] = Fact(route.override, route.override_source)
        root = _endpoint_root(route.override)
        if root != route.override.rstrip("/"):
            facts["endpoint_root"] = Fact(root, "the endpoint override without its path")
        variable = override_origin(route.override_source)[1]
        if variable:
            facts["endpoint_variable"] = Fact(variable, "environment")
    if target is not None and target.region:
        facts["region"] = Fact(target.region, target.source)
    elif route.region:
        facts["region"] = Fact(run.world.book.scrub(route.region), "the configured region")
    if route.proxy is not None:
        facts["proxy_url"] = Fact(route.proxy.url, route.proxy_reason)
    if route.bundle:
        facts["ca_bundle"] = Fact(run.ctx.tilde(route.bundle), route.bundle_source)
    return facts


def _endpoint_root(url: str) -> str:
    """`url` down to its scheme, host and port: an endpoint URL botocore keeps whole, so a path
    after the host (`http://127.0.0.1:4566/sts/`) is put before every request's own path (S3
    path-style then takes its first part for the bucket)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return url.rstrip("/")
    return f"{parts.scheme}://{parts.netloc}"
