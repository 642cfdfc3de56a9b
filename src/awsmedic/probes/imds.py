"""imds.role: the EC2 instance metadata service, asked for a role the way botocore asks.

botocore PUTs `/latest/api/token` (IMDSv2), falls back to IMDSv1 on a timeout or 403/404/405
unless v1 is disabled, then GETs `/latest/meta-data/iam/security-credentials/` and the role's
credentials. It gives up after one attempt and one second, so a hop limit of 1 seen from a
container, a proxy in the way, or no role at all all end as "Unable to locate credentials".

We ask only when the environment suggests EC2 (the DMI vendor, or an explicit endpoint), never
with AWS_EC2_METADATA_DISABLED=true, within a one-second budget for the token and the role
list, and without proxies (we report a proxy that would catch botocore's requests instead). The
role's credentials get a window of their own (CREDENTIALS_WINDOW): an answer that comes after
botocore's timeout (`metadata_service_timeout`, one second by default) is a slow service, not a
role without credentials, and only a longer wait than botocore's tells the two apart.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from awsmedic.aws import bounded, numbersettings, sharedfiles
from awsmedic.context import Context
from awsmedic.model import Evidence, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe, selected_profile

BUDGET_SECONDS = 1.0
#: How long the role's credentials may take: longer than botocore's default timeout, so that a
#: slow answer is seen as one, and short enough to keep the probe bounded.
CREDENTIALS_WINDOW = 3.0
DEFAULT_ENDPOINT = "http://169.254.169.254/"
IPV6_ENDPOINT = "http://[fd00:ec2::254]/"
#: Files that say "this is an EC2 instance" (Nitro: DMI vendor; Xen: the hypervisor uuid).
EC2_HINTS = (
    (Path("/sys/devices/virtual/dmi/id/sys_vendor"), "Amazon EC2"),
    (Path("/sys/devices/virtual/dmi/id/board_asset_tag"), "i-"),
    (Path("/sys/hypervisor/uuid"), "ec2"),
)
_CREDS = "latest/meta-data/iam/security-credentials/"
_KINDS = {
    "AccessKeyId": SecretKind.ACCESS_KEY_ID,
    "SecretAccessKey": SecretKind.SECRET_KEY,
    "Token": SecretKind.SESSION_TOKEN,
}


def on_ec2() -> bool:
    for path, start in EC2_HINTS:
        try:
            if bounded.read_file(path, 4096).text().strip().startswith(start):
                return True
        except OSError:
            continue
    return False


def _setting(ctx: Context, var: str, key: str, run: ProbeInput) -> str | None:
    if ctx.env(var) is not None:
        return ctx.environ[var]
    selection = selected_profile(run)
    setting = sharedfiles.load(ctx).settings(selection.name).get(key)
    return setting.value if setting is not None else None


def base_url(ctx: Context, run: ProbeInput) -> tuple[str, bool]:
    """(endpoint, explicit) as botocore's IMDSFetcher._select_base_url chooses it."""
    explicit = _setting(
        ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint", run
    )
    if explicit:
        return explicit.rstrip("/") + "/", True
    mode = _setting(
        ctx, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode", run
    )
    return (IPV6_ENDPOINT if (mode or "").lower() == "ipv6" else DEFAULT_ENDPOINT), False


def _proxy(ctx: Context, url: str) -> str | None:
    """The proxy botocore would send IMDS requests through, if any."""
    host = urlparse(url).hostname or ""
    proxy = ctx.env("HTTP_PROXY") or ctx.env("http_proxy")
    bypass = (ctx.env("NO_PROXY") or ctx.env("no_proxy") or "").replace(" ", "").split(",")
    if proxy and host not in bypass and "*" not in bypass:
        return proxy
    return None


class _Budget:
    def __init__(self, seconds: float) -> None:
        self.deadline = time.monotonic() + seconds

    def request(
        self, method: str, url: str, headers: dict[str, str], cap: float | None = None
    ) -> tuple[int | None, bytes]:
        """(HTTP status, body), status None on a timeout or no connection."""
        remaining = self.deadline - time.monotonic()
        if cap is not None:
            remaining = min(remaining, cap)
        if remaining <= 0.05:
            return None, b""
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        request = urllib.request.Request(url, method=method, headers=headers)  # noqa: S310
        try:
            with opener.open(request, timeout=remaining) as response:
                return int(response.status), response.read(64 * 1024)
        except urllib.error.HTTPError as exc:
            return int(exc.code), b""
        except (OSError, ValueError):
            return None, b""


@dataclass(frozen=True)
class Limits:
    """How long botocore waits for instance metadata, and how often it asks."""

    timeout: numbersettings.NumberSetting
    attempts: numbersettings.NumberSetting

    def sentence(self) -> str:
        seconds, tries = self.timeout.value, self.attempts.value
        refused = [s.describe() for s in (self.timeout, self.attempts) if s.refused]
        if refused:
            return f"botocore cannot read {' or '.join(refused)} as a whole number"
        times = "once" if tries == 1 else f"{tries} times"
        return (
            f"botocore waits {seconds} s ({self.timeout.describe()}) and asks {times}"
            f" ({self.attempts.describe()})"
        )


def limits(ctx: Context, run: ProbeInput) -> Limits:
    """botocore's IMDS timeout and attempts for the selected profile (defaults 1 s, 1)."""
    profile = selected_profile(run).name
    found = numbersettings.read(ctx, profile)
    return Limits(found["metadata_service_timeout"], found["metadata_service_num_attempts"])


def _ask(
    base: str, v1_disabled: bool, botocore: Limits
) -> tuple[list[str], str, tuple[Secret, ...]]:
    """The three requests botocore makes; (findings, sentence, secrets)."""
    budget = _Budget(BUDGET_SECONDS)
    ttl = {"x-aws-ec2-metadata-token-ttl-seconds": "60"}
    # Half the budget for the token, so that a token request that never returns (a hop limit
    # of 1) still leaves time to see how IMDSv1 answers, as botocore's fallback would.
    status, body = budget.request("PUT", base + "latest/api/token", ttl, BUDGET_SECONDS / 2)
    headers: dict[str, str] = {}
    findings: list[str] = []
    notes: list[str] = []
    if status == 200:
        headers["x-aws-ec2-metadata-token"] = body.decode("ascii", "replace")
    elif status is None:
        findings.append("imds-token-timeout")
        notes.append("the IMDSv2 token request got no answer")
    else:
        notes.append(f"the IMDSv2 token request answered HTTP {status}")
    if not headers and v1_disabled:
        notes.append("IMDSv1 is disabled, so botocore stops here")
        return [*findings, "imds-unreachable"], "; ".join(notes), ()
    status, body = budget.request("GET", base + _CREDS, headers)
    if status == 404:
        return ["imds-no-role"], "IMDS answers, but no IAM role is attached (404)", ()
    if status == 200 and body.strip():
        role = body.decode("utf-8", "replace").splitlines()[0].strip()
        started = time.monotonic()
        status, body = _Budget(CREDENTIALS_WINDOW).request("GET", base + _CREDS + role, headers)
        return _role_answer(role, _Answer(status, body, time.monotonic() - started), botocore)
    findings.append("imds-unreachable")
    if status == 401:
        findings.append("imds-v1-rejected")
        notes.append("IMDSv1 is refused (401): the instance requires IMDSv2 tokens")
    else:
        notes.append(f"the role list {'got no answer' if status is None else f'answered {status}'}")
    return findings, "; ".join(notes), ()


@dataclass(frozen=True)
class _Answer:
    status: int | None  # None: no answer within the window
    body: bytes
    seconds: float

    def data(self) -> dict[str, object]:
        import json

        try:
            data = json.loads(self.body.decode("utf-8")) if self.status == 200 else {}
        except (UnicodeError, ValueError):
            data = {}
        return data if isinstance(data, dict) else {}


#: What botocore needs in the answer to use it (InstanceMetadataFetcher
#: _REQUIRED_CREDENTIAL_FIELDS): without one of them it takes no credentials from instance
#: metadata, whatever `Code` says.
CREDENTIAL_FIELDS = ("AccessKeyId", "SecretAccessKey", "Token", "Expiration")


def _role_answer(
    role: str, answer: _Answer, botocore: Limits
) -> tuple[list[str], str, tuple[Secret, ...]]:
    data = answer.data()
    secrets = tuple(Secret(str(data[k]), kind) for k, kind in _KINDS.items() if data.get(k))
    timeout = botocore.timeout.value or 0
    if answer.status is None:
        # No answer at all is no word about the role or its trust: only that botocore, waiting
        # less than we did, got none either.
        return (
            ["imds-credentials-timeout"],
            f"role '{role}' is attached, but IMDS sent no credentials for it within"
            f" {CREDENTIALS_WINDOW:g} s; {botocore.sentence()}",
            secrets,
        )
    missing = [field for field in CREDENTIAL_FIELDS if field not in data]
    if not missing:
        if answer.seconds > timeout:
            return (
                ["imds-slow"],
                f"IMDS serves credentials for role '{role}', but only after"
                f" {answer.seconds:.1f} s; {botocore.sentence()}, so it gives up before they"
                " come",
                secrets,
            )
        return ["imds-role-ok"], f"IMDS serves credentials for role '{role}'", secrets
    if answer.status == 200 and "AccessKeyId" in data:
        return (
            ["imds-role-broken"],
            f"IMDS answers for role '{role}' without {', '.join(missing)}: botocore takes no"
            " credentials from such an answer",
            secrets,
        )
    code = data.get("Code") or f"HTTP {answer.status}"
    return (
        ["imds-role-broken"],
        f"role '{role}' is attached, but IMDS returns no credentials for it ({code}; does"
        " its trust policy allow ec2.amazonaws.com?)",
        secrets,
    )


@probe(
    "imds.role",
    title="EC2 instance metadata and instance role",
    network=True,
    findings=(
        "imds-disabled",
        "imds-disabled-on-ec2",
        "imds-disabled-role-available",
        "not-on-ec2",
        "imds-behind-proxy",
        "imds-unreachable",
        "imds-token-timeout",
        "imds-v1-rejected",
        "imds-no-role",
        "imds-role-broken",
        "imds-slow",
        "imds-credentials-timeout",
        "imds-role-ok",
    ),
)
def instance_role(run: ProbeInput) -> Evidence:
    """IMDSv2 token, role list and role credentials, bounded, only where EC2 is likely."""
    ctx = run.ctx
    local = without_network(run)
    if local is not None:
        return local
    ec2 = on_ec2()
    base, _ = base_url(ctx, run)
    disabled = (ctx.env("AWS_EC2_METADATA_DISABLED") or "").lower() == "true"
    v1 = _setting(ctx, "AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled", run) or ""
    botocore = limits(ctx, run)
    findings, sentence, secrets = _ask(base, v1.lower() == "true", botocore)
    timeout = botocore.timeout.value or 0
    if "imds-credentials-timeout" in findings and timeout > CREDENTIALS_WINDOW:
        # botocore would wait longer than we did: our silence says nothing about its answer.
        return not_checked("imds.role", Unchecked.UNREACHABLE, f"{base}: {sentence}")
    if disabled:
        return _disabled(base, ec2, findings, sentence, secrets, role_source(run))
    proxy = _proxy(ctx, base)
    if proxy is not None:
        findings.append("imds-behind-proxy")
        sentence += f"; botocore sends these requests through the proxy {proxy}"
        sentence += f" (add {urlparse(base).hostname} to NO_PROXY)"
    status = Status.OK if findings == ["imds-role-ok"] else Status.PROBLEM
    summary = f"instance metadata at {base}: {sentence}"
    return Evidence("imds.role", status, summary, tuple(findings), {}, (sentence,), secrets)


def without_network(run: ProbeInput) -> Evidence | None:
    """What this probe says without asking anything: off EC2 (no EC2 hint, no endpoint set) it
    asks nothing, nor where the user turned instance metadata off on EC2. None: only asking the
    service tells (`--offline` then leaves it unchecked)."""
    ec2 = on_ec2()
    _, explicit = base_url(run.ctx, run)
    disabled = (run.ctx.env("AWS_EC2_METADATA_DISABLED") or "").lower() == "true"
    if not (ec2 or explicit):
        return _off_ec2(disabled, role_source(run))
    if disabled and not explicit:
        # Turned off on what looks like EC2: say so, without asking the real service the user
        # turned off (only an endpoint the user set, a local or test one, is asked anyway).
        summary = (
            "AWS_EC2_METADATA_DISABLED=true (environment): botocore never asks instance"
            " metadata on this EC2 instance"
        )
        return Evidence(
            "imds.role", Status.PROBLEM, summary, ("imds-disabled", "imds-disabled-on-ec2")
        )
    return None


def role_source(run: ProbeInput) -> str | None:
    """The role profile that takes its source credentials from instance metadata
    (`credential_source = Ec2InstanceMetadata` at the end of the selected profile's chain of
    roles), or None. botocore then asks instance metadata whatever comes before it in the chain
    (AssumeRoleProvider._resolve_credentials_from_source), and nothing from it is a failure."""
    hops = run.world.chain().role_hops
    if hops and hops[-1].credential_source == "Ec2InstanceMetadata" and not hops[-1].source_profile:
        return hops[-1].profile
    return None


def _off_ec2(disabled: bool, role: str | None = None) -> Evidence:
    """Nothing suggests EC2: instance metadata is not asked (whether or not it is turned off).
    Where nothing needs it, that is as it should be; a role whose source is instance metadata
    (`role`) gets no credentials."""
    needs = (
        f": profile '{role}' takes its role's source credentials from it"
        " (credential_source = Ec2InstanceMetadata), so it gets none"
        if role is not None
        else ""
    )
    status = Status.PROBLEM if role is not None else Status.OK
    if disabled:
        summary = "AWS_EC2_METADATA_DISABLED=true: botocore never asks instance metadata here"
        # Off EC2 the variable changes nothing botocore does: not-on-ec2 says so to the steps
        # (the one to remove the variable is for where instance metadata is there to ask).
        return Evidence("imds.role", status, summary + needs, ("imds-disabled", "not-on-ec2"))
    summary = (
        "this does not look like an EC2 instance (no EC2 DMI vendor, no metadata endpoint"
        " set): instance metadata not asked"
    )
    if role is not None:
        summary = (
            "this does not look like an EC2 instance (no EC2 DMI vendor, no metadata endpoint"
            f" set), so instance metadata cannot answer{needs}"
        )
    return Evidence("imds.role", status, summary, ("not-on-ec2",))


def _disabled(
    base: str,
    ec2: bool,
    asked: list[str],
    sentence: str,
    secrets: tuple[Secret, ...],
    role: str | None = None,
) -> Evidence:
    """AWS_EC2_METADATA_DISABLED=true where instance metadata is expected (an EC2 instance, or
    an endpoint set for it): botocore skips the provider, so what IMDS would give is lost.
    We asked anyway, within the same bounds, to say whether a role is there to be had."""
    findings = ["imds-disabled", *(["imds-disabled-on-ec2"] if ec2 else [])]
    lead = "AWS_EC2_METADATA_DISABLED=true (environment): botocore never asks instance metadata"
    if "imds-role-ok" in asked or "imds-slow" in asked:
        findings.append("imds-disabled-role-available")
        summary = f"{lead}, yet instance metadata at {base} would give credentials ({sentence})"
    else:
        summary = f"{lead}; asked anyway, the instance metadata at {base}: {sentence}"
    if role is not None:
        summary += (
            f"; profile '{role}' takes its role's source credentials from instance metadata"
            " (credential_source = Ec2InstanceMetadata), so it gets none"
        )
    problem = ec2 or role is not None or "imds-disabled-role-available" in findings
    return Evidence(
        "imds.role",
        Status.PROBLEM if problem else Status.OK,
        summary,
        tuple(findings),
        {},
        (sentence,),
        secrets,
    )
