"""creds.chain: which credential provider wins, what it shadows, and the profile behind it."""

from __future__ import annotations

from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import CONFIGURED, FOUND, ChainReport

_METHOD_FINDING = {
    "env": "env-credentials",
    "shared-credentials-file": "profile-credentials",
    "config-file": "profile-credentials",
    "assume-role": "role-profile",
    "assume-role-with-web-identity": "web-identity",
    "sso": "sso-profile",
    "login": "login-profile",
    "custom-process": "process-profile",
    "container-role": "container-credentials",
    "ec2-credentials-file": "legacy-credentials-file",
    "boto-config": "boto-config-credentials",
}
_PROFILE_METHODS = {
    "assume-role",
    "sso",
    "shared-credentials-file",
    "login",
    "custom-process",
    "config-file",
}
_SETTINGS = ("source_profile", "role_arn", "mfa_serial", "sso_session", "sso_start_url")


def _region(run: ProbeInput, report: ChainReport) -> Fact | None:
    if run.ctx.region:
        return Fact(run.ctx.region, "--region")
    if run.ctx.env("AWS_DEFAULT_REGION"):
        return Fact(run.ctx.environ["AWS_DEFAULT_REGION"], "env", "AWS_DEFAULT_REGION")
    if report.profile_config.get("region"):
        return Fact(report.profile_config["region"], "config-file", f"[{report.profile}]")
    return None


def _facts(run: ProbeInput, report: ChainReport) -> dict[str, Fact]:
    ctx = run.ctx
    facts = {
        "profile": Fact(report.profile, report.profile_source),
        "credentials_file": Fact(
            ctx.tilde(report.credentials_file),
            "AWS_SHARED_CREDENTIALS_FILE" if ctx.env("AWS_SHARED_CREDENTIALS_FILE") else "default",
        ),
        "config_file": Fact(
            ctx.tilde(report.config_file),
            "AWS_CONFIG_FILE" if ctx.env("AWS_CONFIG_FILE") else "default",
        ),
    }
    winner = report.winner
    if winner is not None:
        facts["credential_source"] = Fact(winner.method, winner.detail)
    if report.keys is not None:
        facts["access_key_id"] = Fact(
            report.keys.access_key.masked(), report.keys.method, report.keys.location
        )
    for name in _SETTINGS:
        if name in report.profile_config:
            facts[name] = Fact(report.profile_config[name], "config-file", f"[{report.profile}]")
    region = _region(run, report)
    if region is not None:
        facts["region"] = region
    return facts


def _findings(report: ChainReport) -> list[str]:
    findings: list[str] = []
    if report.error.startswith("ProfileNotFound"):
        findings.append("profile-not-found")
    elif report.error.startswith("ConfigParseError"):
        findings.append("config-parse-error")
    if report.failed is not None:
        findings.append("chain-aborted")
    winner = report.winner
    if winner is None:
        if not report.error:
            findings.append("no-credentials")
        return findings
    findings.append(_METHOD_FINDING.get(winner.method, "other-credentials"))
    shadowed = {p.method for p in report.shadowed}
    if (
        winner.method == "env"
        and report.profile_source.startswith("AWS_")
        and shadowed & _PROFILE_METHODS
    ):
        findings.append("env-shadows-profile")
    if winner.method == "assume-role" and report.keys is None:
        findings.append("role-source-not-static")
    return findings


def _summary(report: ChainReport) -> str:
    winner = report.winner
    profile = f"profile '{report.profile}' ({report.profile_source})"
    if report.error and winner is None:
        return f"{profile}: {report.error}"
    if winner is None:
        return f"{profile}: no provider has credentials on this machine"
    text = f"{profile}: credentials from {winner.method}"
    if report.keys is not None:
        text += f" ({report.keys.location}, key {report.keys.access_key.masked()})"
    if report.shadowed:
        text += "; shadowing " + ", ".join(p.method for p in report.shadowed)
    return text


@probe(
    "creds.chain",
    title="Credential chain",
    findings=(
        "profile-not-found",
        "config-parse-error",
        "chain-aborted",
        "no-credentials",
        "env-credentials",
        "profile-credentials",
        "role-profile",
        "web-identity",
        "sso-profile",
        "login-profile",
        "process-profile",
        "container-credentials",
        "legacy-credentials-file",
        "boto-config-credentials",
        "other-credentials",
        "env-shadows-profile",
        "role-source-not-static",
    ),
    facts=(
        "profile",
        "credentials_file",
        "config_file",
        "credential_source",
        "access_key_id",
        "source_profile",
        "role_arn",
        "mfa_serial",
        "sso_session",
        "sso_start_url",
        "region",
    ),
)
def credential_chain(run: ProbeInput) -> Evidence:
    """Walk botocore's provider chain: the winner, what it shadows, and any provider that raised."""
    report = run.world.chain()
    details = [
        f"{p.method}: {p.state}" + (f" ({p.detail})" if p.detail else "") for p in report.providers
    ]
    if report.profiles:
        details.append("profiles: " + ", ".join(report.profiles))
    for hop in report.role_hops:
        details.append(
            f"role profile '{hop.profile}' assumes {hop.role_arn} from "
            + (
                f"source_profile '{hop.source_profile}'"
                if hop.source_profile
                else f"credential_source {hop.credential_source or '(none)'}"
            )
        )
    findings = _findings(report)
    ok = report.winner is not None and report.winner.state in (FOUND, CONFIGURED)
    status = Status.OK if ok and "env-shadows-profile" not in findings else Status.PROBLEM
    return Evidence(
        "creds.chain",
        status,
        _summary(report),
        tuple(findings),
        _facts(run, report),
        tuple(details),
        report.secrets(),
    )
