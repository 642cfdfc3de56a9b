"""clock.error-time, clock.skew and clock.sso-token: how far this machine's clock is from AWS time.

The error text often carries both times (offline, exact at the moment of the error); the live
probe reads the `Date` header AWS puts on every answer, even to an unsigned request, so it needs
no credentials and sends none. botocore and the AWS CLI never correct a wrong clock themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from awsmedic.aws import hostenv, sharedfiles, skew
from awsmedic.aws.ages import ago
from awsmedic.model import Evidence, Fact, Status, Unchecked, mask_url_password
from awsmedic.probes import ProbeInput, not_checked, probe, selected_profile, sso
from awsmedic.probes.chainwalk import profile_selection
from awsmedic.probes.sts import UNREACHABLE, classify

HOST_FINDINGS = ("host-wsl", "host-docker-desktop", "host-container", "host-vm")
_HOST_FINDING = {
    "wsl2": "host-wsl",
    "wsl1": "host-wsl",
    "docker-desktop": "host-docker-desktop",
    "container": "host-container",
    "vm": "host-vm",
}
_FACTS = ("skew", "host", "clock_fix", "profile")


def host_facts(run: ProbeInput) -> tuple[list[str], dict[str, Fact], str]:
    """Findings, facts and a detail line about the machine, for a fix that works on it."""
    host = hostenv.detect(run.ctx.environ, run.ctx.platform)
    findings = [_HOST_FINDING[host.kind]] if host.kind in _HOST_FINDING else []
    profile, source, _ = profile_selection(run.ctx)
    facts = {
        "host": Fact(host.title, "this machine", host.evidence),
        "clock_fix": Fact(host.command, host.title, host.note),
        "profile": Fact(profile, source),
    }
    detail = (
        f"this machine: {host.title} ({host.evidence}); to resync: {host.command} ({host.note})"
    )
    return findings, facts, detail


def _classify(seconds: float, margin: float, tolerance: int) -> list[str]:
    """Finding codes for an offset; `margin` is how uncertain the measurement is."""
    size = abs(seconds) - margin
    if size <= skew.IN_SYNC_SECONDS:
        return ["clock-in-sync"]
    if size <= tolerance:
        return ["clock-off"]
    found = ["clock-skewed", "clock-behind" if seconds < 0 else "clock-ahead"]
    if size > skew.FIFTEEN_MINUTES:
        found.append("clock-skewed-far")
    return found


@probe(
    "clock.error-time",
    title="Clock offset stated in the error",
    findings=(
        "error-times",
        "error-skew-far",
        "error-clock-behind",
        "error-clock-ahead",
        "error-no-times",
        "error-no-time-info",
        *HOST_FINDINGS,
    ),
    facts=_FACTS,
)
def error_time(run: ProbeInput) -> Evidence:
    """Request and server time from the pasted error (Signature expired, RequestTimeTooSkewed)."""
    findings, facts, host = host_facts(run)
    said = skew.from_text(run.text)
    if said is None:
        findings.append("error-no-time-info")
        summary = "the error names no times"
        return Evidence("clock.error-time", Status.OK, summary, tuple(findings), facts, (host,))
    if said.behind is not None:
        findings.append("error-clock-behind" if said.behind else "error-clock-ahead")
    if said.seconds is None:
        findings.append("error-no-times")
        direction = {True: "behind", False: "ahead", None: "off"}[said.behind]
        summary = f"AWS rejected the request time: the clock was {direction} (no times given)"
        details: tuple[str, ...] = (host,)
        return Evidence(
            "clock.error-time", Status.PROBLEM, summary, tuple(findings), facts, details
        )
    findings.append("error-times")
    if abs(said.seconds) > skew.FIFTEEN_MINUTES:
        findings.append("error-skew-far")
    words = skew.describe(said.seconds)
    facts["skew"] = Fact(words, "the pasted error", "request time vs AWS server time")
    tolerance = f"; AWS allowed {said.tolerance // 60} minutes" if said.tolerance else ""
    summary = f"the error shows the request time {skew.against(words, 'AWS time')}{tolerance}"
    stamp = "%Y-%m-%d %H:%M:%SZ"
    times = f"request time {said.request_time:{stamp}}, AWS time {said.server_time:{stamp}}"
    details = (times, host)
    return Evidence("clock.error-time", Status.PROBLEM, summary, tuple(findings), facts, details)


@dataclass(frozen=True)
class Reading:
    endpoint: str
    server: datetime | None  # AWS's Date header
    offset: float  # local minus AWS, seconds
    rtt: float
    error: str = ""
    unreached: bool = False  # AWS never answered (a connection error, a timeout)


def _no_date(probe_id: str, reading: Reading) -> Evidence:
    """A reading without AWS time: "not checked" when AWS never answered, else an error."""
    if reading.unreached:
        detail = f"{reading.endpoint}: {reading.error}"
        return not_checked(probe_id, Unchecked.UNREACHABLE, detail, ("no-date-header",))
    why = f" ({reading.error})" if reading.error else ""
    summary = f"no Date header from {reading.endpoint}{why}"
    return Evidence(probe_id, Status.ERROR, summary, ("no-date-header",))


def read_date(run: ProbeInput, region: str | None) -> Reading:
    """Send one unsigned GetCallerIdentity and read the Date header of whatever comes back."""
    client = run.world.client("sts", region, unsigned=True)
    seen: dict[str, Any] = {}

    def capture(response_dict: dict[str, Any], **_: Any) -> None:
        seen["date"] = response_dict.get("headers", {}).get("date")
        seen["at"] = run.ctx.now()

    # before-parse sees the raw answer even when it is not parseable (an emulator's 500).
    client.meta.events.register("before-parse.sts.GetCallerIdentity", capture)
    sent = run.ctx.now()
    error, unreached = "", False
    try:
        client.get_caller_identity()
    except Exception as exc:  # an unsigned call is refused: only the Date header matters
        finding, error = classify(exc)
        unreached = finding in UNREACHABLE
    received = seen.get("at") or run.ctx.now()
    shown = mask_url_password(client.meta.endpoint_url)  # an override's password: user:****@host
    rtt = (received - sent).total_seconds()
    try:
        server = parsedate_to_datetime(seen["date"]) if seen.get("date") else None
    except (TypeError, ValueError):
        server = None
    if server is None:
        return Reading(shown, None, 0.0, rtt, error, unreached)
    if server.tzinfo is None:  # "-0000" instead of "GMT": still UTC (RFC 5322)
        server = server.replace(tzinfo=UTC)
    # Date has one-second resolution and is truncated: AWS's time was half a second later.
    midpoint = sent + (received - sent) / 2
    offset = (midpoint - server).total_seconds() - 0.5
    return Reading(shown, server, offset, rtt, error)


@probe(
    "clock.skew",
    title="Clock offset from AWS time (Date header)",
    network=True,
    findings=(
        "clock-in-sync",
        "clock-off",
        "clock-skewed",
        "clock-skewed-far",
        "clock-behind",
        "clock-ahead",
        "no-date-header",
        *HOST_FINDINGS,
    ),
    facts=(*_FACTS, "clock_tolerance"),
)
def clock_skew(run: ProbeInput) -> Evidence:
    """Compare the local UTC clock with the Date header of the STS endpoint botocore would use."""
    region = run.ctx.region or run.world.config_variable("region")
    reading = read_date(run, region)
    if reading.server is None:
        return _no_date("clock.skew", reading)
    findings, facts, host = host_facts(run)
    tolerance, why_tolerance = skew.tolerance_for(run.text)
    margin = reading.rtt / 2 + 1
    findings = _classify(reading.offset, margin, tolerance) + findings
    words = skew.describe(reading.offset) if abs(reading.offset) > margin else "in sync"
    facts["skew"] = Fact(words, "Date header", reading.endpoint)
    facts["clock_tolerance"] = Fact(f"{tolerance // 60} minutes", why_tolerance)
    summary = (
        f"this clock is {skew.against(words, 'AWS time')} (±{margin:.0f} s, from the Date header of"
        f" {reading.endpoint}); {why_tolerance}"
    )
    status = Status.PROBLEM if "clock-skewed" in findings else Status.OK
    details = (
        f"AWS time {reading.server:%Y-%m-%d %H:%M:%S}Z, offset {reading.offset:+.1f} s,"
        f" round trip {reading.rtt:.2f} s",
        host,
    )
    return Evidence("clock.skew", status, summary, tuple(findings), facts, details)


#: How much earlier (in seconds) than the cached token's expiry AWS time must be for the token
#: to count as valid by AWS time: the Date header's one-second truncation and the round trip.
_TOKEN_MARGIN = 60


@probe(
    "clock.sso-token",
    title="The cached SSO token's expiry by AWS time (Date header)",
    network=True,
    findings=(
        "sso-token-valid-by-aws-time",
        "sso-token-expired-by-aws-time",
        "sso-token-not-read",
        "no-date-header",
        *HOST_FINDINGS,
    ),
    facts=_FACTS,
)
def sso_token_clock(run: ProbeInput) -> Evidence:
    """Whether the cached IAM Identity Center token that this clock sees as expired is still
    valid by AWS time: botocore compares `expiresAt` with the local clock alone
    (botocore/utils.py SSOTokenProvider, tokens.py), so a clock far ahead makes a valid token
    look expired, and signing in again does not help."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    selection = selected_profile(run)
    profile = sso.sso_profile(files, selection.name)
    config = sso.read_config(ctx, files, profile) if profile is not None else None
    path = sso.cache_file(ctx, config) if config is not None else None
    token = sso.read_token(path)[0] if path is not None else None
    expires = sso.parse_time(token.get("expiresAt")) if token is not None else None
    if expires is None:
        summary = "no cached SSO token with an expiry time to compare with AWS time"
        return Evidence("clock.sso-token", Status.OK, summary, ("sso-token-not-read",))
    region = ctx.region or run.world.config_variable("region")
    reading = read_date(run, region)
    if reading.server is None:
        return _no_date("clock.sso-token", reading)
    findings, facts, host = host_facts(run)
    margin = reading.rtt / 2 + 1
    words = skew.describe(reading.offset) if abs(reading.offset) > margin else "in sync"
    facts["skew"] = Fact(words, "Date header", reading.endpoint)
    aws_now = ctx.now() - timedelta(seconds=reading.offset)
    local = ago(expires, ctx.now(), dated=False)
    by_aws = ago(expires, aws_now, dated=False)
    stamp = f"the cached token's expiresAt is {expires:%Y-%m-%d %H:%M} UTC"
    clock = f"this clock is {skew.against(words, 'AWS time')} (Date header of {reading.endpoint})"
    if expires <= ctx.now() and expires > aws_now + timedelta(seconds=_TOKEN_MARGIN + margin):
        summary = (
            f"{stamp}: expired by this clock ({local}), but valid by AWS time ({by_aws}); {clock}"
        )
        findings.insert(0, "sso-token-valid-by-aws-time")
        status = Status.PROBLEM
    else:
        summary = f"{stamp}, {by_aws} by AWS time; {clock}"
        findings.insert(0, "sso-token-expired-by-aws-time")
        status = Status.OK
    details = (f"AWS time {reading.server:%Y-%m-%d %H:%M:%S}Z", host)
    return Evidence("clock.sso-token", status, summary, tuple(findings), facts, details)
