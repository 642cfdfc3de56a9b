"""config.role: a role profile's source of credentials, checked the way botocore checks it.

A profile with `role_arn` needs exactly one of `source_profile` and `credential_source`; the
source profile must exist, must itself have credentials, and the chain of source profiles must
not loop (botocore's AssumeRoleProvider._get_role_config and _validate_source_profile). All of
it is in the files, so this probe reads only files and variables: no STS call.
"""

from __future__ import annotations

import re

from awsmedic.aws import profilenames, sharedfiles
from awsmedic.aws.lineedits import key_edit, with_choices
from awsmedic.aws.sharedfiles import AwsFiles
from awsmedic.context import Context
from awsmedic.model import Edit, Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

CREDENTIAL_SOURCES = ("Environment", "EcsContainer", "Ec2InstanceMetadata")
_ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
#: The profile providers a source profile is tried with (environment variables disabled).
_SOURCE_KINDS = ("sso", "login", "process", "web-identity")
#: The findings this probe can give an exact edit for.
EDIT_FINDINGS = (
    "role-source-profile-missing",
    "role-source-no-credentials",
    "role-source-loop",  # the reference that closes the loop, pointed at a profile with credentials
    "role-credential-source-invalid",
)


def imds_disabled(ctx: Context) -> bool:
    """botocore's InstanceMetadataFetcher reads AWS_EC2_METADATA_DISABLED from the environment
    only (botocore/utils.py, `_disabled`), and then never asks (`_assert_enabled`)."""
    return (ctx.env("AWS_EC2_METADATA_DISABLED") or "").lower() == "true"


def _source_available(ctx: Context, source: str) -> str | None:
    """Why a credential_source would find nothing here, or None when it might work: the
    provider botocore's CanonicalNameCredentialSourcer hands the source to returns nothing, and
    AssumeRoleProvider._resolve_credentials_from_source raises CredentialRetrievalError."""
    if source == "Ec2InstanceMetadata" and imds_disabled(ctx):
        return (
            "credential_source = Ec2InstanceMetadata, but AWS_EC2_METADATA_DISABLED=true"
            " (environment): botocore never asks instance metadata, so the role has no source"
            " credentials"
        )
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


Step = tuple[str, str, str | None]  # (finding, sentence, next profile to follow or None)


def _step(ctx: Context, files: AwsFiles, current: str, visited: list[str]) -> Step:
    """Check one role profile's source, as AssumeRoleProvider._get_role_config does."""
    settings = files.settings(current)
    where = settings["role_arn"].where(ctx)
    source = settings.get("source_profile")
    cred_source = settings.get("credential_source")
    if source is not None and cred_source is not None:
        sentence = f"[{current}] ({where}) sets both source_profile and credential_source"
        return "role-both-sources", sentence, None
    if cred_source is not None:
        return _credential_source(ctx, current, cred_source)
    if source is None:
        sentence = f"[{current}] ({where}) has role_arn but neither source_profile nor"
        return "role-no-source", sentence + " credential_source", None
    return _source_profile(ctx, files, current, source, visited)


def _credential_source(ctx: Context, current: str, setting: sharedfiles.Setting) -> Step:
    if setting.value not in CREDENTIAL_SOURCES:
        allowed = ", ".join(CREDENTIAL_SOURCES)
        sentence = f"credential_source = {setting.value} ({setting.where(ctx)}) is not one of"
        return "role-credential-source-invalid", f"{sentence} {allowed}", None
    missing = _source_available(ctx, setting.value)
    if missing:
        return "role-credential-source-empty", missing, None
    return "role-config-ok", f"[{current}] uses credential_source = {setting.value}", None


def _missing_source(ctx: Context, files: AwsFiles, source: sharedfiles.Setting) -> Step:
    name = source.value
    sentence = f"source_profile = {name} ({source.where(ctx)}) names a profile that does not exist"
    wrong = profilenames.wrong_form(ctx, files, name)
    near = profilenames.near(files, name)
    if wrong is not None:
        sentence += f": {wrong[1]}"
    elif near is not None:
        sentence += f"; did you mean '{near}'?"
    return "role-source-profile-missing", sentence, None


def _source_profile(
    ctx: Context, files: AwsFiles, current: str, source: sharedfiles.Setting, visited: list[str]
) -> Step:
    name = source.value
    if name not in files.profiles:
        return _missing_source(ctx, files, source)
    settings = files.settings(name)
    keys = {"aws_access_key_id", "aws_secret_access_key"} & set(settings)
    # A profile may name itself as its source only when it holds static keys.
    if name in visited and (name != current or not keys):
        return (
            "role-source-loop",
            f"source_profile references loop: {' -> '.join([*visited, name])}",
            None,
        )
    kind = sharedfiles.profile_kind(settings)
    if len(keys) == 2 or (not keys and kind in _SOURCE_KINDS):
        what = "keys" if keys else kind
        return "role-config-ok", f"[{current}] takes its credentials from '{name}' ({what})", None
    if not keys and kind == "role":
        return "role-source-is-role", f"[{current}] chains to role profile '{name}'", name
    lack = "only half of a key pair" if keys else "no credentials of its own"
    return (
        "role-source-no-credentials",
        f"source profile '{name}' ({source.where(ctx)}) has {lack}",
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
        "role-uses-credential-source",
        "role-credential-source-imds",
        "role-credential-source-imds-disabled",
        "role-credential-source-env",
    ),
    facts=("profile", "role_arn", "source_profile", "credentials_file", "config_file"),
    edits=EDIT_FINDINGS,
)
def role_config(run: ProbeInput) -> Evidence:
    """Follow role_arn/source_profile like botocore: missing, doubled, looping or empty sources."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    selection = selected_profile(run)
    settings = files.settings(selection.name)
    if sharedfiles.profile_kind(settings) != "role":
        summary = f"profile '{selection.name}' is not a role profile (no role_arn)"
        profile = {"profile": Fact(selection.name, selection.source)}
        return Evidence("config.role", Status.OK, summary, ("not-role-profile",), profile)
    findings, details, last = _walk(ctx, files, selection.name)
    ok = findings == ["role-config-ok"]
    findings += _source_findings(ctx, files, last, findings)
    summary = details[-1] if ok else "; ".join(d for d in details if "chains to" not in d)
    return Evidence(
        "config.role",
        Status.OK if ok else Status.PROBLEM,
        f"role profile '{selection.name}': {summary}",
        tuple(findings),
        _facts(ctx, files, selection),
        tuple(details),
        edits=_edits(ctx, files, last, findings, details[-1]),
    )


def _source_findings(ctx: Context, files: AwsFiles, last: str, found: list[str]) -> list[str]:
    """What the source at the end of the chain is, when it is a credential_source botocore
    takes (a source profile's findings say the rest)."""
    settings = files.settings(last)
    source = settings.get("credential_source")
    if source is None or "source_profile" in settings or source.value not in CREDENTIAL_SOURCES:
        return []
    extra = ["role-uses-credential-source"]
    if source.value == "Environment":
        # Only AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (botocore's EnvProvider): in CI, the
        # step that exports them is the usual fix, not another source.
        extra.append("role-credential-source-env")
    if source.value == "Ec2InstanceMetadata":
        # Settings that are right say nothing of whether instance metadata answers here.
        extra.append("role-credential-source-imds")
        if "role-credential-source-empty" in found:
            extra.append("role-credential-source-imds-disabled")
    return extra


def _walk(ctx: Context, files: AwsFiles, profile: str) -> tuple[list[str], list[str], str]:
    """Findings and sentences along the chain of source profiles, from `profile` down, and
    the profile of the chain where the walk stopped."""
    findings: list[str] = []
    details: list[str] = []
    arn = files.settings(profile)["role_arn"]
    if not _ROLE_ARN.match(arn.value.strip()):
        findings.append("role-arn-malformed")
        details.append(
            f"role_arn ({arn.where(ctx)}) is not shaped like arn:aws:iam::<12 digits>:role/<name>"
        )
    visited = [profile]
    current: str | None = profile
    last = profile
    while current is not None:
        last = current
        finding, sentence, current = _step(ctx, files, current, visited)
        details.append(sentence)
        if current is None:
            findings.insert(0, finding)
        else:
            visited.append(current)
    return findings, details, last


def _edits(
    ctx: Context, files: AwsFiles, profile: str, findings: list[str], why: str
) -> tuple[Edit, ...]:
    """The fix of the source reference of `profile`, where the files make it certain."""
    settings = files.settings(profile)
    finding = next((f for f in findings if f in EDIT_FINDINGS), None)
    if finding == "role-credential-source-invalid":
        setting = settings["credential_source"]
        meant = next((c for c in CREDENTIAL_SOURCES if c.lower() == setting.value.lower()), None)
        if meant is None:
            return ()
        edit = key_edit(ctx, setting.file, setting.line, finding, why, value=meant)
        return (edit,) if edit is not None else ()
    if finding is None or "source_profile" not in settings:
        return ()
    setting = settings["source_profile"]
    candidates = profilenames.usable_sources(files, profile, setting.value)
    if not candidates:
        return ()
    best, best_why = candidates[0]
    edit = key_edit(ctx, setting.file, setting.line, finding, why, value=best)
    if edit is None:
        return ()
    head = edit.after[: len(edit.after) - len(best)]
    others = [(head + name, reason) for name, reason in candidates[1:5]]
    return (with_choices(edit, others, f"'{best}' has {best_why}"),)


def _facts(ctx: Context, files: AwsFiles, selection: sharedfiles.Selection) -> dict[str, Fact]:
    settings = files.settings(selection.name)
    facts = {**files.facts(ctx), "profile": Fact(selection.name, selection.source)}
    for name in ("role_arn", "source_profile"):
        if name in settings:
            facts[name] = Fact(settings[name].value, "config-file", settings[name].where(ctx))
    return facts
