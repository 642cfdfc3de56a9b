"""docker.ecr-login: what Docker on this machine holds for the ECR registry of the error.

Reads `~/.docker/config.json` (or `$DOCKER_CONFIG/config.json`), bounded and read-only: whether
a credential helper serves the registry (and whether its program is on PATH), or when the
stored ECR token expires. It never runs a helper or a credential store, and never shows a token.
"""

from __future__ import annotations

import shutil
from datetime import datetime

from awsmedic.aws import dockerconfig
from awsmedic.aws.dockerconfig import DockerConfig, Login
from awsmedic.model import Evidence, Fact, Secret, Status
from awsmedic.probes import ProbeInput, probe

ECR_HELPER = "ecr-login"


def _age(delta_seconds: float) -> str:
    hours = abs(delta_seconds) / 3600
    return f"{hours:.0f} h" if hours >= 1 else f"{abs(delta_seconds) / 60:.0f} min"


def _helper_findings(run: ProbeInput, helper: str, host: str) -> tuple[list[str], str]:
    if helper != ECR_HELPER:
        return ["ecr-login-in-store"], (
            f"Docker keeps the login for {host} in the credential store '{helper}'"
            " (awsmedic does not read it)"
        )
    program = f"docker-credential-{helper}"
    if shutil.which(program, path=run.ctx.env("PATH") or "") is None:
        return ["ecr-helper-configured", "ecr-helper-missing"], (
            f"{host} uses the Amazon ECR credential helper, but {program} is not on PATH"
        )
    return ["ecr-helper-configured"], (
        f"{host} uses the Amazon ECR credential helper ({program}): it gets a new token for"
        " each pull and push from your AWS credentials"
    )


def _login_findings(logins: list[Login], host: str, now: datetime) -> tuple[list[str], str]:
    if not logins:
        return ["ecr-login-missing"], f"Docker has no login stored for {host}"
    found = ["ecr-login-duplicate"] if len(logins) > 1 else []
    dated = [login for login in logins if login.expires is not None]
    if not dated:
        return [*found, "ecr-login-present"], f"a login for {host} is stored (expiry unknown)"
    latest = max(login.expires for login in dated if login.expires is not None)
    left = (latest - now).total_seconds()
    if left <= 0:
        return [*found, "ecr-login-expired"], (
            f"the stored login for {host} expired {_age(left)} ago ({latest:%Y-%m-%d %H:%M} UTC);"
            " ECR tokens last 12 hours"
        )
    return [*found, "ecr-login-valid"], (
        f"the stored login for {host} is valid for another {_age(left)}"
    )


def _hosts(run: ProbeInput, config: DockerConfig) -> list[str]:
    named = dockerconfig.registries_in(run.text)
    if named:
        return named[:1]
    helpers = [h for h in config.cred_helpers if dockerconfig.ECR_HOST.fullmatch(h)]
    return list(dict.fromkeys([login.host for login in config.logins] + helpers))


@probe(
    "docker.ecr-login",
    title="Docker's stored login for the ECR registry",
    findings=(
        "docker-config-missing",
        "docker-config-unreadable",
        "ecr-registry-unknown",
        "ecr-helper-configured",
        "ecr-helper-missing",
        "ecr-login-in-store",
        "ecr-login-missing",
        "ecr-login-duplicate",
        "ecr-login-present",
        "ecr-login-expired",
        "ecr-login-valid",
    ),
    facts=("registry", "region", "docker_config"),
)
def ecr_login(run: ProbeInput) -> Evidence:
    """Whether Docker here has a login (or the ECR helper) for the registry, and its expiry."""
    config = dockerconfig.read(run.ctx)
    where = run.ctx.tilde(config.path)
    facts = {"docker_config": Fact(where, config.source)}
    secrets = tuple(Secret(value) for login in config.logins for value in login.secrets)
    hosts = _hosts(run, config)
    if config.problem:
        missing = config.problem == "does not exist"
        first = "docker-config-missing" if missing else "docker-config-unreadable"
        return Evidence(
            "docker.ecr-login",
            Status.PROBLEM,
            f"{where} {config.problem}: Docker has no stored registry login here",
            (first, "ecr-login-missing") if missing and hosts else (first,),
            facts | _host_facts(hosts),
        )
    if not hosts:
        return Evidence(
            "docker.ecr-login",
            Status.OK,
            f"{where} has no ECR registry, and the error names none",
            ("ecr-registry-unknown",),
            facts,
            secrets=secrets,
        )
    findings: list[str] = []
    details: list[str] = []
    for host in hosts[:5]:
        helper = config.helper_for(host)
        logins = [login for login in config.logins if login.host == host and login.stored]
        found, sentence = (
            _helper_findings(run, helper, host)
            if helper
            else _login_findings(logins, host, run.ctx.now())
        )
        findings += [f for f in found if f not in findings]
        details.append(sentence)
    problem = {"ecr-login-missing", "ecr-login-expired", "ecr-helper-missing"} & set(findings)
    return Evidence(
        "docker.ecr-login",
        Status.PROBLEM if problem else Status.OK,
        details[0],
        tuple(findings),
        facts | _host_facts(hosts),
        tuple(details),
        secrets,
    )


def _host_facts(hosts: list[str]) -> dict[str, Fact]:
    if not hosts:
        return {}
    facts = {"registry": Fact(hosts[0], "the error text or the Docker config")}
    region = dockerconfig.region_of(hosts[0])
    if region:
        facts["region"] = Fact(region, f"the registry host {hosts[0]}")
    return facts
