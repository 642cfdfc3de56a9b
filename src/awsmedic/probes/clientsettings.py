"""config.client-settings: settings botocore checks as it creates a client, and where each is set.

botocore reads these from the variable, else the profile (botocore/configprovider.py
BOTOCORE_DEFAUT_SESSION_VARIABLES), and refuses a value it does not take before any request, so
every client (every boto3 call, every AWS CLI command) fails, whatever the credentials:

- `retry_mode` (AWS_RETRY_MODE): legacy, standard or adaptive, as written (config.py
  `_validate_retry_configuration`: InvalidRetryModeError);
- `max_attempts` (AWS_MAX_ATTEMPTS): a whole number of at least 1 (the same function:
  InvalidMaxRetryAttemptsError; a value int() refuses is config.number-settings');
- `defaults_mode` (AWS_DEFAULTS_MODE): legacy, auto, standard, in-region, cross-region or
  mobile, in any case (session.py `_resolve_defaults_mode`: InvalidDefaultsMode);
- `sts_regional_endpoints` (AWS_STS_REGIONAL_ENDPOINTS): legacy or regional, or empty (args.py
  `_get_sts_regional_endpoints_config`);
- `s3_us_east_1_regional_endpoint` (AWS_S3_US_EAST_1_REGIONAL_ENDPOINT): legacy or regional
  (args.py `_validate_s3_regional_config`; its nested form `s3 = us_east_1_regional_endpoint`
  is not read here).

The last two are read for every client, not only STS and S3: the endpoint rules' built-ins
(args.py `compute_endpoint_resolver_builtin_defaults`) ask both.

The findings say which setting and where (the variable or the shared file), so the steps give
only the fix for that place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from awsmedic.aws import sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

RETRY_MODES = ("legacy", "standard", "adaptive")
DEFAULTS_MODES = ("legacy", "auto", "standard", "in-region", "cross-region", "mobile")
#: sts_regional_endpoints and s3_us_east_1_regional_endpoint (VALID_REGIONAL_ENDPOINTS_CONFIG)
REGIONAL_MODES = ("legacy", "regional")


def _max_attempts_refused(value: str) -> bool:
    try:
        return int(value) < 1
    except ValueError:
        return False  # int() refuses it first: config.number-settings says so


@dataclass(frozen=True)
class ClientSetting:
    key: str  # the config-file key
    var: str  # the environment variable
    finding: str  # the finding's stem: "<stem>-invalid-env", "<stem>-invalid-file"
    takes: str  # what it takes, in words
    refused: Callable[[str], bool]


SETTINGS = (
    ClientSetting(
        "retry_mode",
        "AWS_RETRY_MODE",
        "retry-mode",
        "legacy, standard or adaptive",
        lambda value: value not in RETRY_MODES,
    ),
    ClientSetting(
        "max_attempts",
        "AWS_MAX_ATTEMPTS",
        "max-attempts",
        "a whole number of at least 1",
        _max_attempts_refused,
    ),
    ClientSetting(
        "defaults_mode",
        "AWS_DEFAULTS_MODE",
        "defaults-mode",
        ", ".join(DEFAULTS_MODES),
        lambda value: value.lower() not in DEFAULTS_MODES,
    ),
    ClientSetting(
        "sts_regional_endpoints",
        "AWS_STS_REGIONAL_ENDPOINTS",
        "sts-regional-endpoints",
        "legacy or regional",
        lambda value: bool(value) and value not in REGIONAL_MODES,
    ),
    ClientSetting(
        "s3_us_east_1_regional_endpoint",
        "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
        "s3-us-east-1",
        "legacy or regional",
        lambda value: value not in REGIONAL_MODES,
    ),
)
FINDINGS = tuple(f"{s.finding}-invalid-{where}" for s in SETTINGS for where in ("env", "file"))


@probe(
    "config.client-settings",
    title="Settings botocore checks as it creates a client (retry_mode, max_attempts, …)",
    findings=("client-setting-invalid", "client-setting-env", *FINDINGS, "client-settings-ok"),
    facts=("profile",),
)
def client_settings(run: ProbeInput) -> Evidence:
    """Which client setting holds a value botocore refuses, and whether the variable or the
    shared file sets it."""
    ctx = run.ctx
    selection = selected_profile(run)
    facts = {"profile": Fact(selection.name, selection.source)}
    profile_settings: dict[str, sharedfiles.Setting] | None = None
    lines: list[str] = []
    findings: list[str] = []
    for setting in SETTINGS:
        value = ctx.env(setting.var)
        if value is not None:
            if setting.refused(value):
                lines.append(
                    f"{setting.var}={value!r} in the environment (it wins over the profile's"
                    f" {setting.key}): botocore takes {setting.takes}"
                )
                findings.append(f"{setting.finding}-invalid-env")
            continue
        if profile_settings is None:
            profile_settings = sharedfiles.load(ctx).settings(selection.name)
        found = profile_settings.get(setting.key)
        if found is not None and setting.refused(found.value):
            lines.append(
                f"{setting.key} = {found.value!r} in {found.where(ctx)}: botocore takes"
                f" {setting.takes}"
            )
            findings.append(f"{setting.finding}-invalid-file")
    if not findings:
        summary = (
            "retry_mode, max_attempts, defaults_mode, sts_regional_endpoints and"
            " s3_us_east_1_regional_endpoint are unset or hold values botocore takes"
        )
        return Evidence(
            "config.client-settings", Status.OK, summary, ("client-settings-ok",), facts
        )
    summary = (
        f"{'; '.join(lines)}. botocore refuses it as it creates a client, before any request:"
        " every command fails, whatever the credentials"
    )
    if any(finding.endswith("-env") for finding in findings):
        findings.insert(0, "client-setting-env")
    return Evidence(
        "config.client-settings",
        Status.PROBLEM,
        summary,
        ("client-setting-invalid", *findings),
        facts,
        tuple(lines),
    )
