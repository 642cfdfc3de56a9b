"""sign.region and sign.proxy: what the signature was scoped to, and what carries the request.

A SigV4 signature is scoped to a region. AWS names the region it got when it disagrees
("Credential should be scoped to a valid region, not 'us-east-1a'", S3's "the region 'us-east-1'
is wrong; expecting 'eu-west-1'"). We check that name against botocore's own region list and
against the region configured here. A proxy between the client and AWS can also alter a signed
request; botocore takes proxies from the environment, like urllib does.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from awsmedic.aws import netroute, regions
from awsmedic.model import Evidence, Fact, Status, mask_url_password
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import profile_selection

_SCOPE = re.compile(r"Credential should be scoped to a valid region(?:,? not '([^']*)')?", re.I)
_WRONG = re.compile(r"the region '([^']*)' is wrong;? expecting '([^']*)'", re.I)
_CONSTRAINT = re.compile(r"The ([a-z0-9-]+) location constraint is incompatible", re.I)
_REDIRECT_ENDPOINT = re.compile(r"<Endpoint>[^<]*?\bs3[.-]([a-z0-9-]+)\.amazonaws\.com", re.I)
_BUCKET_REGION = re.compile(r"x-amz-bucket-region[\"']?\s*[:=]\s*[\"']?([A-Za-z0-9-]+)", re.I)
_REGION_TAG = re.compile(r"<Region>\s*([^<\s]+)\s*</Region>")


def _why_invalid(name: str, meant: str | None) -> str:
    if meant and re.fullmatch(rf"{re.escape(meant)}[a-z]", name):
        return f"'{name}' is an availability zone; its region is '{meant}'"
    hint = f"; did you mean '{meant}'?" if meant else ""
    return f"'{name}' is not an AWS region{hint}"


def _configured_region(run: ProbeInput) -> Fact | None:
    """The region botocore would use here (the AWS CLI v2 reads AWS_REGION first)."""
    if run.ctx.region:
        return Fact(run.ctx.region, run.ctx.region_source)
    if run.ctx.env("AWS_DEFAULT_REGION"):
        return Fact(run.ctx.environ["AWS_DEFAULT_REGION"], "env", "AWS_DEFAULT_REGION")
    from botocore.exceptions import BotoCoreError

    try:
        region = run.world.config_variable("region")
    except BotoCoreError:  # a missing profile or a broken file: no configured region to compare
        return None
    if not region:
        return None
    return Fact(str(region), "config-file", f"profile {profile_selection(run.ctx)[0]}")


_EXPECTED = (_CONSTRAINT, _REDIRECT_ENDPOINT, _BUCKET_REGION, _REGION_TAG)


def _error_regions(text: str) -> tuple[str | None, str | None]:
    """(region the request was signed for, region AWS expected) as the error names them."""
    wrong = _WRONG.search(text)
    if wrong:
        return wrong.group(1), wrong.group(2)
    scope = _SCOPE.search(text)
    expected = next((m.group(1) for p in _EXPECTED if (m := p.search(text))), None)
    return (scope.group(1) if scope else None), expected


def _verdict(signed: str, expected: str | None) -> tuple[str, str]:
    """The finding and the summary for the region the request was signed for."""
    verdict, meant = regions.verdict(signed)
    if verdict == "invalid":
        return "signed-region-invalid", f"the request was signed for {_why_invalid(signed, meant)}"
    if verdict == "unknown":
        return "signed-region-unknown", (
            f"the request was signed for '{signed}', a region this botocore does not list"
        )
    if expected and expected != signed:
        return "region-mismatch", (
            f"the request was signed for '{signed}', but the bucket is in '{expected}'"
        )
    if regions.is_opt_in(signed):
        return "signed-region-opt-in", (
            f"the request was signed for '{signed}', an opt-in region: it must be enabled for"
            " the account"
        )
    return "signed-region-valid", f"the request was signed for '{signed}', a valid region"


@probe(
    "sign.region",
    title="Region of the signature",
    findings=(
        "signed-region-invalid",
        "signed-region-unknown",
        "signed-region-valid",
        "signed-region-opt-in",
        "region-mismatch",
        "signed-region-configured",
        "signed-region-not-configured",
        "configured-region-invalid",
        "no-region-in-error",
    ),
    facts=("region", "bucket_region", "profile"),
)
def signature_region(run: ProbeInput) -> Evidence:
    """The region in the error against botocore's region list and the configured region."""
    signed, expected = _error_regions(run.text)
    configured = _configured_region(run)
    profile, source, _ = profile_selection(run.ctx)
    facts: dict[str, Fact] = {"profile": Fact(profile, source)}
    findings, details = _configured_findings(configured, facts)
    if expected:
        facts["bucket_region"] = Fact(expected, "the pasted error")
    if signed is None:
        findings.append("region-mismatch" if expected else "no-region-in-error")
        summary = f"AWS expects region '{expected}'" if expected else "the error names no region"
        summary = details[-1] if "configured-region-invalid" in findings else summary
        status = Status.PROBLEM if len(findings) > 1 or expected else Status.OK
        return Evidence("sign.region", status, summary, tuple(findings), facts, tuple(details))
    facts["region"] = Fact(signed, "the pasted error", "the signature's credential scope")
    finding, summary = _verdict(signed, expected)
    findings.insert(0, finding)
    if configured is not None:
        same = configured.value == signed
        findings.append("signed-region-configured" if same else "signed-region-not-configured")
        summary += (
            f"; it is the configured region ({configured.describe()})"
            if same
            else f"; the configured region is {configured.describe()}: the tool chose its own"
        )
    return Evidence("sign.region", Status.PROBLEM, summary, tuple(findings), facts, tuple(details))


def _configured_findings(
    configured: Fact | None, facts: dict[str, Fact]
) -> tuple[list[str], list[str]]:
    if configured is None:
        return [], []
    details = [f"configured region: {configured.describe()}"]
    verdict, meant = regions.verdict(configured.value)
    if verdict != "invalid":
        return [], details
    facts["region"] = configured
    details.append(f"the configured region {_why_invalid(configured.value, meant)}")
    return ["configured-region-invalid"], details


@probe(
    "sign.proxy",
    title="Proxy between this machine and AWS",
    findings=("proxy-for-endpoint", "proxy-bypassed", "no-proxy", "custom-ca-bundle"),
    facts=("proxy",),
)
def proxy_in_path(run: ProbeInput) -> Evidence:
    """Whether botocore sends the STS request through a proxy (HTTPS_PROXY, NO_PROXY)."""
    region = run.ctx.region or run.world.config_variable("region")
    endpoint = run.world.endpoint_url("sts", region)
    parts = urlsplit(endpoint)
    findings: list[str] = []
    if run.ctx.env("AWS_CA_BUNDLE") or run.world.config_variable("ca_bundle"):
        findings.append("custom-ca-bundle")
    shown = mask_url_password(endpoint)  # an override's password: user:****@host
    if parts.scheme not in netroute.environ_proxies(run.ctx.environ):
        summary = f"no proxy is set for {parts.scheme} (requests go straight to {shown})"
        return Evidence("sign.proxy", Status.OK, summary, ("no-proxy", *findings))
    proxy, why, secrets = netroute.proxy_for(endpoint, run.ctx.environ)
    if proxy is None:
        summary = f"the proxy is bypassed for {mask_url_password(parts.netloc)}: {why}"
        return Evidence("sign.proxy", Status.OK, summary, ("proxy-bypassed", *findings))
    summary = f"requests to {shown} go through the proxy {proxy.url}"
    facts = {"proxy": Fact(proxy.url, "env", f"{parts.scheme.upper()}_PROXY")}
    return Evidence(
        "sign.proxy",
        Status.PROBLEM,
        summary,
        ("proxy-for-endpoint", *findings),
        facts,
        secrets=secrets,
    )
