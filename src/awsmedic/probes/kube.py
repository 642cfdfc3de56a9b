"""kube.config and kube.identity: how kubectl authenticates to EKS from this machine.

kube.config reads the kubeconfig kubectl would read (bounded, read-only) and reports the current
context's `exec` section: the command, its apiVersion, and the AWS profile, role and region it
signs with. kube.identity asks STS who that profile (and role) is, as `aws eks get-token` would
sign: the token is made locally, so credentials that no longer work only show when the cluster
checks the token, as `Unauthorized`.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from typing import Any

from awsmedic.aws import denial, kubeconfig, sharedfiles
from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status, Unchecked
from awsmedic.probes import ProbeInput, not_checked, probe
from awsmedic.probes.sts import UNREACHABLE, classify
from awsmedic.probes.world import AwsWorld

#: The session name `aws eks get-token --role-arn` gives the role session (awscli's get_token).
ROLE_SESSION_NAME = "EKSGetTokenAuth"


@dataclass(frozen=True)
class Signer:
    """Who the exec command signs as: a profile (and where it came from), a role, a region."""

    profile: str
    profile_source: str
    role: str
    region: str


_CACHE: weakref.WeakKeyDictionary[
    AwsWorld, tuple[kubeconfig.KubeConfig, kubeconfig.AwsExec | None]
] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def _read(run: ProbeInput) -> tuple[kubeconfig.KubeConfig, kubeconfig.AwsExec | None]:
    """The kubeconfig and its exec section, read once per diagnosis for both probes."""
    with _LOCK:
        if run.world not in _CACHE:
            config = kubeconfig.read(run.ctx)
            _CACHE[run.world] = (config, kubeconfig.aws_exec(config))
        return _CACHE[run.world]


def signer(ctx: Context, section: kubeconfig.AwsExec) -> Signer:
    """The profile the exec command uses: `--profile`, else AWS_PROFILE / AWS_DEFAULT_PROFILE
    from the section's `env` over kubectl's own environment (AWS CLI v2's order)."""
    options = section.options
    role = options.get("role", "")
    region = options.get("region") or section.env_value("AWS_REGION") or ""
    if options.get("profile"):
        return Signer(options["profile"], "--profile in the exec args", role, region)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        value = section.env_value(name)
        if value:
            return Signer(value, f"{name} in the exec env", role, region)
        if ctx.env(name):
            return Signer(ctx.env(name) or "", f"{name} of this shell", role, region)
    return Signer("default", "default", role, region)


def _exec_findings(ctx: Context, section: kubeconfig.AwsExec, who: Signer) -> list[str]:
    found = ["kubeconfig-exec-aws"]
    if section.api_version == kubeconfig.ALPHA:
        found.append("exec-api-v1alpha1")
    elif section.api_version in kubeconfig.KNOWN_API_VERSIONS:
        found.append("exec-api-current")
    else:
        found.append("exec-api-unknown")
    found.append(
        "exec-profile-inherited"
        if who.profile_source.endswith("shell") or who.profile == "default"
        else "exec-profile-set"
    )
    if who.role:
        found.append("exec-role-set")
    if who.profile != "default" and who.profile not in sharedfiles.load(ctx).profiles:
        found.append("exec-profile-unknown")
    return found


def _exec_details(section: kubeconfig.AwsExec, who: Signer) -> list[str]:
    details = [
        f"exec command: {section.command} {' '.join(section.args)}".rstrip(),
        f"exec apiVersion: {section.api_version or '(none)'}",
        f"AWS profile: {who.profile} ({who.profile_source})",
    ]
    if section.api_version == kubeconfig.ALPHA:
        details.append(
            "client.authentication.k8s.io/v1alpha1 was removed from kubectl in Kubernetes 1.24;"
            " AWS CLI 2.6.3 and later write v1beta1"
        )
    if who.role:
        details.append(f"the token is signed as role {who.role} (assumed with that profile)")
    other = [name for name, _ in section.env if name not in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")]
    if other:
        details.append(f"exec env also sets: {', '.join(other)} (values not shown)")
    return details


def _facts(
    config: kubeconfig.KubeConfig, ctx: Context, who: Signer | None, cluster: str
) -> dict[str, Fact]:
    where = ", ".join(ctx.tilde(path) for path in config.files)
    facts = {"kubeconfig": Fact(where, config.source)}
    if cluster:
        facts["cluster"] = Fact(cluster, "the kubeconfig's exec args")
    if who is not None:
        facts["profile"] = Fact(who.profile, who.profile_source)
        if who.role:
            facts["role_arn"] = Fact(who.role, "the kubeconfig's exec args")
        if who.region:
            facts["region"] = Fact(who.region, "the kubeconfig's exec args")
    return facts


@probe(
    "kube.config",
    title="kubeconfig: how kubectl authenticates (exec section)",
    findings=(
        "kubeconfig-missing",
        "kubeconfig-unreadable",
        "kubeconfig-no-context",
        "kubeconfig-exec-not-aws",
        "kubeconfig-exec-aws",
        "exec-api-v1alpha1",
        "exec-api-current",
        "exec-api-unknown",
        "exec-profile-set",
        "exec-profile-inherited",
        "exec-profile-unknown",
        "exec-role-set",
    ),
    facts=("kubeconfig", "cluster", "profile", "role_arn", "region"),
)
def kube_config(run: ProbeInput) -> Evidence:
    """The current context's exec section: command, apiVersion, profile, role and region."""
    config, section = _read(run)
    if not config.read_any:
        missing = all(problem.endswith("does not exist") for problem in config.problems)
        finding = "kubeconfig-missing" if missing else "kubeconfig-unreadable"
        return Evidence(
            "kube.config",
            Status.OK if missing else Status.PROBLEM,
            "no kubeconfig here: " + "; ".join(config.problems),
            (finding,),
            _facts(config, run.ctx, None, ""),
            config.problems,
        )
    if not config.context_found:
        why = (
            f"current-context '{config.current_context}' is not defined"
            if config.current_context
            else "no current-context is set"
        )
        return Evidence(
            "kube.config",
            Status.PROBLEM,
            f"kubeconfig: {why}",
            ("kubeconfig-no-context",),
            _facts(config, run.ctx, None, ""),
            config.problems,
        )
    if section is None or section.kind == "other":
        how = f"runs {section.command!r}" if section else _without_exec(config.user_entry)
        return Evidence(
            "kube.config",
            Status.OK,
            f"context '{config.current_context}': user '{config.user}' {how}, not AWS",
            ("kubeconfig-exec-not-aws",),
            _facts(config, run.ctx, None, ""),
            config.problems,
        )
    who = signer(run.ctx, section)
    findings = _exec_findings(run.ctx, section, who)
    cluster = section.options.get("cluster", "")
    summary = (
        f"context '{config.current_context}' runs {section.kind} (apiVersion"
        f" {section.api_version or 'none'}) with AWS profile '{who.profile}'"
        + (f" and role {who.role}" if who.role else "")
    )
    bad = {"exec-api-v1alpha1", "exec-api-unknown", "exec-profile-unknown"} & set(findings)
    return Evidence(
        "kube.config",
        Status.PROBLEM if bad else Status.OK,
        summary,
        tuple(findings),
        _facts(config, run.ctx, who, cluster),
        (*_exec_details(section, who), *config.problems),
    )


def _without_exec(user: dict[str, Any]) -> str:
    for key, what in (
        ("token", "uses a static token"),
        ("tokenFile", "uses a token file"),
        ("client-certificate-data", "uses a client certificate"),
        ("client-certificate", "uses a client certificate"),
        ("auth-provider", "uses an auth-provider plugin"),
        ("username", "uses a user name and password"),
    ):
        if key in user:
            return what
    return "has no exec section"


@probe(
    "kube.identity",
    title="Who kubectl's exec command signs as (sts:GetCallerIdentity)",
    network=True,
    findings=(
        "kube-identity-ok",
        "kube-identity-expired",
        "kube-identity-rejected",
        "kube-identity-role-refused",
        "kube-identity-no-credentials",
        "kube-identity-failed",
        "kube-identity-not-aws",
    ),
    facts=("arn", "account_id", "profile"),
)
def kube_identity(run: ProbeInput) -> Evidence:
    """Ask STS who the kubeconfig's AWS profile (and role) is, as the token is signed."""
    _, section = _read(run)
    if section is None or section.kind == "other":
        return Evidence(
            "kube.identity",
            Status.SKIPPED,
            "the current context does not authenticate with AWS",
            ("kube-identity-not-aws",),
        )
    who = signer(run.ctx, section)
    facts = {"profile": Fact(who.profile, who.profile_source)}
    asked = _Asked()
    answer = _ask(run, who, asked)
    if answer is None and asked.unreached:
        return not_checked(
            "kube.identity", Unchecked.UNREACHABLE, asked.unreached, (), facts, (), asked.secrets
        )
    if answer is None:
        return Evidence(
            "kube.identity", Status.PROBLEM, asked.why, (asked.finding,), facts, (), asked.secrets
        )
    arn = str(answer.get("Arn", ""))
    facts["arn"] = Fact(arn, f"sts:GetCallerIdentity as profile '{who.profile}'")
    facts["account_id"] = Fact(str(answer.get("Account", "")), "sts:GetCallerIdentity")
    details = (
        (
            "the cluster maps the role, not the session: an access entry or aws-auth entry for"
            f" {denial.role_of_session(arn)}",
        )
        if ":assumed-role/" in arn
        else ()
    )
    return Evidence(
        "kube.identity",
        Status.OK,
        f"kubectl's token is signed as {arn}",
        ("kube-identity-ok",),
        facts,
        details,
        asked.secrets,
    )


@dataclass
class _Asked:
    finding: str = ""
    why: str = ""
    secrets: tuple[Secret, ...] = ()
    unreached: str = ""  # AWS never answered (no connection, a timeout): nothing was checked


def _ask(run: ProbeInput, who: Signer, asked: _Asked) -> dict[str, Any] | None:
    """GetCallerIdentity signed as the exec command signs; None (and `asked` says why) when
    STS or the credentials refuse."""
    session = run.world.new_session(who.profile)
    config = run.world.client_config()
    region = who.region or None
    try:
        sts = session.create_client("sts", region_name=region, config=config)
        if who.role:
            keys = _assume(sts, who, asked)
            if keys is None:
                return None
            sts = session.create_client("sts", region_name=region, config=config, **keys)
        return dict(sts.get_caller_identity())
    except Exception as exc:
        finding, description = classify(exc)
    if finding in UNREACHABLE:
        asked.unreached = description
        return None
    refused = f"STS refuses the credentials of profile '{who.profile}': {description}"
    asked.finding, asked.why = {
        "rejected-expired-token": ("kube-identity-expired", refused),
        "no-credentials": (
            "kube-identity-no-credentials",
            f"profile '{who.profile}' has no credentials here: {description}",
        ),
    }.get(finding, ("", ""))
    if not asked.finding:
        rejected = finding.startswith("rejected-")
        asked.finding = "kube-identity-rejected" if rejected else "kube-identity-failed"
        asked.why = refused if rejected else f"could not ask STS: {description}"
    return None


def _assume(sts: Any, who: Signer, asked: _Asked) -> dict[str, str] | None:
    """The role's keys, as `aws eks get-token --role-arn` gets them (AssumeRole vends
    credentials the failing command itself would get, and changes nothing)."""
    try:
        answer = sts.assume_role(RoleArn=who.role, RoleSessionName=ROLE_SESSION_NAME)
    except Exception as exc:
        finding, description = classify(exc)
        if finding in UNREACHABLE:
            asked.unreached = description
            return None
        asked.finding = "kube-identity-role-refused"
        asked.why = f"assuming {who.role} with profile '{who.profile}' failed: {description}"
        return None
    keys = answer["Credentials"]
    asked.secrets = (
        Secret(keys["AccessKeyId"], SecretKind.ACCESS_KEY_ID),
        Secret(keys["SecretAccessKey"], SecretKind.SECRET_KEY),
        Secret(keys["SessionToken"], SecretKind.SESSION_TOKEN),
    )
    return {
        "aws_access_key_id": keys["AccessKeyId"],
        "aws_secret_access_key": keys["SecretAccessKey"],
        "aws_session_token": keys["SessionToken"],
    }
