"""config.role: a role profile's source of credentials, checked the way botocore checks it.

A profile with `role_arn` needs exactly one of `source_profile` and `credential_source`; the
source profile must exist, must itself have credentials, and the chain of source profiles must
not loop (botocore's AssumeRoleProvider._get_role_config and _validate_source_profile). All of
it is in the files, so this probe reads only files and variables: no STS call.
"""

from __future__ import annotations

import re

from awsmedic import awsconfig, profilenames
from awsmedic.awsconfig import AwsFiles
from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe

CREDENTIAL_SOURCES = ("Environment", "EcsContainer", "Ec2InstanceMetadata")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
#: The profile providers a source profile is tried with (environment variables disabled).
_SOURCE_KINDS = ("sso", "login", "process", "web-identity")


def _source_available(ctx: Context, source: str) -> str | None:
    """Why a credential_source would find nothing here, or None when it might work."""
    if source == "Environment" and not (
        ctx.env("AWS_ACCESS_KEY_ID") and ctx.env("AWS_SECRET_ACCESS_KEY")
    ):
        return (
            "credential_source = Environment, but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            " are not both set"
        )
    if source == "EcsContainer" and not any(
        ctx.env(v)
        for v in ("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI")
    ):
        return (
            "credential_source = EcsContainer, but no AWS_CONTAINER_CREDENTIALS_* variable is set"
        )
    return None


def _step(
    ctx: Context, files: AwsFiles, current: str, visited: list[str]
) -> tuple[str, str, str | None]:
    """Check one role profile; (finding, sentence, next profile to follow or None)."""
    settings = files.settings(current)
    where = settings["role_arn"].where(ctx)
    source = settings.get("source_profile")
    cred_source = settings.get("credential_source")
    if source is not None and cred_source is not None:
        return (
            "role-both-sources",
            f"[{current}] ({where}) sets both source_profile and credential_source",
            None,
        )
    if source is None and cred_source is None:
        return (
            "role-no-source",
            f"[{current}] ({where}) has role_arn but neither source_profile nor credential_source",
            None,
        )
    if cred_source is not None:
        if cred_source.value not in CREDENTIAL_SOURCES:
            return (
                "role-credential-source-invalid",
                f"credential_source = {cred_source.value} ({cred_source.where(ctx)}) is not one of"
                f" {', '.join(CREDENTIAL_SOURCES)}",
                None,
            )
        missing = _source_available(ctx, cred_source.value)
        if missing:
            return "role-credential-source-empty", missing, None
        return "role-config-ok", f"[{current}] uses credential_source = {cred_source.value}", None
    assert source is not None
    name = source.value
    if name not in files.profiles:
        sentence = (
            f"source_profile = {name} ({source.where(ctx)}) names a profile that does not exist"
        )
        wrong = profilenames.wrong_form(ctx, files, name)
        near = profilenames.near(files, name)
        if wrong is not None:
            sentence += f": {wrong[1]}"
        elif near is not None:
            sentence += f"; did you mean '{near}'?"
        return "role-source-profile-missing", sentence, None
    source_settings = files.settings(name)
    static = "aws_access_key_id" in source_settings or "aws_secret_access_key" in source_settings
    if name in visited and (name != current or not static):
        chain = " -> ".join([*visited, name])
        return "role-source-loop", f"source_profile references loop: {chain}", None
    kind = awsconfig.profile_kind(source_settings)
    if static:
        if "aws_access_key_id" in source_settings and "aws_secret_access_key" in source_settings:
            return "role-config-ok", f"[{current}] takes its credentials from '{name}' (keys)", None
        return (
            "role-source-no-credentials",
            f"source profile '{name}' ({source.where(ctx)}) has only half of a key pair",
            None,
        )
    if kind == "role":
        return "role-source-is-role", f"[{current}] chains to role profile '{name}'", name
    if kind in _SOURCE_KINDS:
        return "role-config-ok", f"[{current}] takes its credentials from '{name}' ({kind})", None
    return (
        "role-source-no-credentials",
        f"source profile '{name}' ({source.where(ctx)}) has no credentials of its own",
        None,
    )


@probe(
    "config.role",
    title="Role profile settings",
    findings=(
        "not-role-profile",
        "role-no-source",
        "role-both-sources",
        "role-credential-source-invalid",
        "role-credential-source-empty",
        "role-source-profile-missing",
        "role-source-no-credentials",
        "role-source-loop",
        "role-arn-malformed",
        "role-config-ok",
    ),
    facts=("profile", "role_arn", "source_profile", "credentials_file", "config_file"),
)
def role_config(run: ProbeInput) -> Evidence:
    """Follow role_arn/source_profile like botocore: missing, doubled, looping or empty sources."""
    ctx = run.ctx
    files = awsconfig.load(ctx)
    selection = awsconfig.selected_profile(ctx, run.text)
    settings = files.settings(selection.name)
    if awsconfig.profile_kind(settings) != "role":
        return Evidence(
            "config.role",
            Status.OK,
            f"profile '{selection.name}' is not a role profile (no role_arn)",
            ("not-role-profile",),
            {"profile": Fact(selection.name, selection.source)},
        )
    facts = {
        **files.facts(ctx),
        "profile": Fact(selection.name, selection.source),
        "role_arn": Fact(
            settings["role_arn"].value, "config-file", settings["role_arn"].where(ctx)
        ),
    }
    if "source_profile" in settings:
        source = settings["source_profile"]
        facts["source_profile"] = Fact(source.value, "config-file", source.where(ctx))
    details: list[str] = []
    findings: list[str] = []
    if not _ROLE_ARN.match(settings["role_arn"].value.strip()):
        findings.append("role-arn-malformed")
        details.append(
            f"role_arn ({settings['role_arn'].where(ctx)}) is not shaped like"
            " arn:aws:iam::<12 digits>:role/<name>"
        )
    visited = [selection.name]
    current: str | None = selection.name
    while current is not None:
        finding, sentence, current = _step(ctx, files, current, visited)
        details.append(sentence)
        if current is not None:
            visited.append(current)
            continue
        findings.insert(0, finding)
    ok = findings == ["role-config-ok"]
    summary = details[-1] if ok else "; ".join(d for d in details if "chains to" not in d)
    return Evidence(
        "config.role",
        Status.OK if ok else Status.PROBLEM,
        f"role profile '{selection.name}': {summary}",
        tuple(findings),
        facts,
        tuple(details),
    )
