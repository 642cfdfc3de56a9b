"""sts.endpoint-mode: global or regional STS, and which of the two this network can reach.

Older SDKs and tools (botocore before 1.40.0, AWS CLI v1 on it, the Go SDK v1, the JavaScript
SDK v2, the Java SDK v1) send STS requests to the global endpoint `sts.amazonaws.com` unless
`AWS_STS_REGIONAL_ENDPOINTS=regional` (or `sts_regional_endpoints = regional`) says otherwise.
In a private subnet whose only way to STS is an interface VPC endpoint, only the regional name
`sts.<region>.amazonaws.com` resolves to it. This probe reads the setting and tries a TCP
connection (through the proxy that applies, with a CONNECT tunnel) to both names: nothing is
sent to STS itself.
"""

from __future__ import annotations

import socket

from awsmedic.aws import netcheck, netroute, sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

GLOBAL_HOST = "sts.amazonaws.com"
_MODES = ("legacy", "regional")
#: Name resolution and the HTTPS port: tests point the AWS names at ports on 127.0.0.1.
RESOLVER: netcheck.Resolver = socket.getaddrinfo
PORTS: dict[str, int] = {}


def reachable(run: ProbeInput, host: str) -> tuple[bool, str]:
    """Whether a TCP connection (or a proxy tunnel) to the host's HTTPS port opens, and what
    happened."""
    port = PORTS.get(host, 443)
    timeout = run.ctx.network_timeout
    proxy, _, _ = netroute.proxy_for(f"https://{host}/", run.ctx.environ)
    target_host, target_port = (proxy.host, proxy.port) if proxy else (host, port)
    addresses = netcheck.resolve(target_host, target_port, timeout, RESOLVER)
    if isinstance(addresses, str):
        return False, f"{target_host}: name lookup failed: {addresses}"
    connected: object = ("connect-failed", "no address")
    for address in addresses[:2]:
        connected = netcheck.connect(address, target_port, timeout)
        if not isinstance(connected, tuple):
            break
    if isinstance(connected, tuple):
        return False, f"{target_host} ({address}:{target_port}): {connected[1]}"
    assert isinstance(connected, socket.socket)
    with connected:
        if proxy is None:
            return True, f"{host}:{port} accepts connections"
        status = netcheck.tunnel(connected, proxy, host, port)
    if status == 200:
        return True, f"{host}:{port} is reachable through the proxy {proxy.url}"
    return False, f"the proxy {proxy.url} refused a tunnel to {host}:{port}: {status}"


def _mode(run: ProbeInput) -> tuple[str, str]:
    """The mode set explicitly (legacy, regional or "" when unset) and where: the default
    differs between SDKs, so only an explicit setting says what every tool here does."""
    value = (run.ctx.env("AWS_STS_REGIONAL_ENDPOINTS") or "").strip().lower()
    if value:
        return value, "AWS_STS_REGIONAL_ENDPOINTS"
    selection = selected_profile(run)
    setting = sharedfiles.load(run.ctx).settings(selection.name).get("sts_regional_endpoints")
    if setting is not None and setting.value.strip().lower() in _MODES:
        return setting.value.strip().lower(), setting.where(run.ctx)
    return "", "not set: botocore 1.40+ and the AWS CLI v2 use regional, older SDKs global"


@probe(
    "sts.endpoint-mode",
    title="STS endpoint: global or regional, and which one this network reaches",
    network=True,
    findings=(
        "sts-legacy-configured",
        "sts-regional-configured",
        "sts-mode-default",
        "sts-no-region",
        "sts-endpoint-overridden",
        "sts-global-unreachable",
        "sts-global-reachable",
        "sts-regional-unreachable",
        "sts-regional-reachable",
    ),
    facts=("region",),
)
def endpoint_mode(run: ProbeInput) -> Evidence:
    """Which STS endpoint is configured, and whether the global and regional ones answer."""
    mode, source = _mode(run)
    findings = [
        {"legacy": "sts-legacy-configured", "regional": "sts-regional-configured"}.get(
            mode, "sts-mode-default"
        )
    ]
    details = [f"STS endpoint mode: {mode or 'not set'} ({source})"]
    if run.ctx.env("AWS_ENDPOINT_URL_STS") or run.ctx.env("AWS_ENDPOINT_URL"):
        summary = "an endpoint override (AWS_ENDPOINT_URL...) decides where STS requests go"
        return Evidence(
            "sts.endpoint-mode",
            Status.OK,
            summary,
            (*findings, "sts-endpoint-overridden"),
            details=tuple(details),
        )
    region = run.ctx.region or str(run.world.config_variable("region") or "")
    facts = {"region": Fact(region, "the configured region")} if region else {}
    # China has no global STS endpoint: there every request is regional.
    hosts = [] if region.startswith("cn-") else [("global", GLOBAL_HOST)]
    if region:
        suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
        hosts.append(("regional", f"sts.{region}.{suffix}"))
    else:
        findings.append("sts-no-region")
        details.append(
            "no region is configured: SDKs then use the global endpoint whatever the mode"
        )
    for kind, host in hosts:
        works, line = reachable(run, host)
        findings.append(f"sts-{kind}-{'reachable' if works else 'unreachable'}")
        details.append(line)
    blocked = "sts-global-unreachable" in findings and "sts-regional-reachable" in findings
    summary = (
        f"this network reaches {hosts[-1][1]} but not {GLOBAL_HOST}"
        if blocked
        else "; ".join(details[-len(hosts) :])
    )
    return Evidence(
        "sts.endpoint-mode",
        Status.PROBLEM if blocked else Status.OK,
        summary,
        tuple(findings),
        facts,
        tuple(details),
    )
