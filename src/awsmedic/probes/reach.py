"""net.connect: can this machine reach the endpoint, the way botocore would?

DNS, then TCP (to the proxy when one applies: botocore then never resolves the endpoint itself),
a CONNECT tunnel through the proxy, then a TLS handshake checked against the CA bundle botocore
uses. When the certificate fails verification, a second, unverified handshake reads who issued
it. Nothing is sent but the tunnel request and the handshake: no credentials, no AWS request.
"""

from __future__ import annotations

import socket
import time

from awsmedic.aws import netcheck
from awsmedic.aws.netroute import Target
from awsmedic.model import Evidence, Fact, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.probes.route import Route, compute

_UNREACHABLE = ("dns-failed", "connect-refused", "connect-timeout", "host-unreachable")


def _open(
    route: Route, target: Target, reach: netcheck.Reach, timeout: float
) -> socket.socket | None:
    """A socket to the endpoint (through the proxy's tunnel when one applies), or None."""
    proxy = route.proxy
    host, port = (proxy.host, proxy.port) if proxy else (target.host, target.port)
    what = f"proxy {proxy.url}" if proxy else target.host
    addresses = netcheck.resolve(host, port, timeout, socket.getaddrinfo)
    if isinstance(addresses, str):
        reach.add(
            "proxy-unreachable" if proxy else "dns-failed",
            f"{what}: name lookup failed: {addresses}",
        )
        return None
    # Like urllib3, try the addresses in turn (an unreachable IPv6 one first is common).
    for address in addresses[:2]:
        connected = netcheck.connect(address, port, timeout)
        if not isinstance(connected, tuple):
            break
    if isinstance(connected, tuple):
        finding, text = connected
        reach.add("proxy-unreachable" if proxy else finding, f"{what} ({address}:{port}): {text}")
        return None
    reach.note(f"TCP connection to {what} ({address}:{port}) works")
    if proxy is None or target.scheme != "https":
        return connected
    status = netcheck.tunnel(connected, proxy, target.host, target.port)
    if status != 200:
        connected.close()
        finding = "proxy-auth-required" if status == 407 else "proxy-tunnel-refused"
        reach.add(finding, f"the proxy refused a tunnel to {target.host}:{target.port}: {status}")
        return None
    return connected


def _tls(
    route: Route,
    target: Target,
    reach: netcheck.Reach,
    sock: socket.socket,
    timeout: float,
    started: float,
) -> None:
    names, error = netcheck.handshake(sock, target.host, route.bundle, verify=True)
    if not error:
        issuer = names.describe_issuer() if names else "(unknown)"
        reach.issuer = issuer
        reach.add(
            "tls-ok",
            f"TLS to {target.host} verifies against {route.bundle_source}; issuer {issuer}",
        )
        return
    if "certificate verify failed" not in error:
        reach.add("tls-handshake-failed", f"TLS handshake with {target.host} failed: {error}")
        return
    reach.add("tls-untrusted", f"TLS to {target.host}: {error} (CA bundle: {route.bundle_source})")
    if time.monotonic() - started > 2 * timeout:
        return  # a slow network already used most of the budget: the issuer is a bonus
    again = _open(route, target, netcheck.Reach(), timeout)  # a second look, unverified
    if again is None:
        return
    names, _ = netcheck.handshake(again, target.host, None, verify=False)
    if names is None:
        return
    reach.issuer = names.describe_issuer()
    signed = " (self-signed)" if names.self_signed else ""
    if target.aws_host and not netcheck.looks_like_aws_issuer(names.issuer):
        reach.add(
            "tls-intercepted",
            f"the certificate presented for {target.host} was issued by {reach.issuer}{signed},"
            " not by Amazon: something between you and AWS (a TLS-inspecting proxy or firewall)"
            " answers in its place",
        )
    else:
        reach.note(f"the certificate presented was issued by {reach.issuer}{signed}")


@probe(
    "net.connect",
    title="Connection to the endpoint (DNS, TCP, proxy, TLS)",
    network=True,
    findings=(
        "reachable",
        *_UNREACHABLE,
        "connect-failed",
        "proxy-unreachable",
        "proxy-tunnel-refused",
        "proxy-auth-required",
        "tls-ok",
        "tls-untrusted",
        "tls-intercepted",
        "tls-handshake-failed",
    ),
    facts=("tls_issuer",),
)
def connection(run: ProbeInput) -> Evidence:
    """Resolve, connect and shake hands with the endpoint (or its proxy), with short timeouts."""
    route = compute(run)
    target = route.target
    if target is None:  # botocore named no endpoint, and the error text none either
        return not_checked("net.connect", Unchecked.BOTOCORE, route.unresolved)
    reach = netcheck.Reach()
    timeout = run.ctx.network_timeout
    started = time.monotonic()
    sock = _open(route, target, reach, timeout)
    if sock is not None:
        with sock:
            via = f"the proxy opened a tunnel to {target.host}" if route.proxy else ""
            reach.add("reachable", via or f"{target.host} answers")
            if target.scheme == "https":
                _tls(route, target, reach, sock, timeout, started)
    bad = [(f, line) for f, line in reach.steps if f and f not in ("reachable", "tls-ok")]
    bad.sort(key=lambda step: step[0] != "tls-intercepted")  # the most telling line first
    facts = {"tls_issuer": Fact(reach.issuer, "TLS handshake")} if reach.issuer else {}
    return Evidence(
        "net.connect",
        Status.PROBLEM if bad else Status.OK,
        _summary(route, target, reach, bad),
        reach.findings,
        facts,
        reach.lines,
        route.secrets,
    )


def _summary(
    route: Route, target: Target, reach: netcheck.Reach, bad: list[tuple[str, str]]
) -> str:
    if bad and bad[0][0] == "tls-untrusted" and reach.issuer:
        return f"{bad[0][1]}; the certificate presented was issued by {reach.issuer}"
    if bad:
        return bad[0][1]
    what = target.host + (f" via proxy {route.proxy.url}" if route.proxy else "")
    verified = f" and TLS verifies (issuer {reach.issuer})" if "tls-ok" in reach.findings else ""
    return f"{what} is reachable{verified}"
