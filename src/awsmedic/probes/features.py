"""config.sdk-features: settings of the profile that only recent SDKs and tools understand.

`sso_session` (an `[sso-session]` section) came with AWS CLI 2.9.0 and botocore 1.29.10 (boto3
1.26.10) in November 2022; `login_session` (written by `aws login`) with AWS CLI 2.32.0 and
botocore 1.41.0, whose login provider also needs the `botocore[crt]` extra. A tool built on an
older SDK reads such a profile as incomplete, or as no profile at all, while the AWS CLI works.

An sso-session whose name has a blank in it (`aws configure sso` writes its header quoted,
`[sso-session 'my sso']`: awscli get_section_header, shlex.quote) is read by botocore, which
shlex-splits the header, and by no SDK that does not: the JavaScript SDK v3 stops at
`Cannot read properties of undefined (reading 'sso_region')` (aws/aws-sdk-js-v3#7225), the Go
SDK v2 at `failed to find SSO session section, my sso` (pulumi/pulumi-aws#6338; CDK, Terraform
and Pulumi run on the two).

Older still: the AWS SDK for Go v1 and the JavaScript SDK v2 read the config file only when
`AWS_SDK_LOAD_CONFIG` says so (Go v1 aws/session/env_config.go loadEnvConfig, strconv.ParseBool;
JavaScript v2 lib/node_loader.js, any non-empty value), unless the program turns it on itself.
Without it they see the credentials file alone, and a profile written only in the config file
(a role, IAM Identity Center, credential_process, even keys) has no credentials for them.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Callable

from awsmedic.aws import sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: Whether a value of AWS_SDK_LOAD_CONFIG turns the config file on, by the SDK that reads it.
_LOAD_CONFIG_ON: dict[str, Callable[[str], bool]] = {
    "go-sdk-v1": lambda value: value in ("1", "t", "T", "TRUE", "true", "True"),
    "js-sdk-v2": bool,
}
#: Settings that give a profile credentials (keys, a role, a provider).
_CREDENTIAL_SETTINGS = (
    "aws_access_key_id",
    "role_arn",
    "credential_process",
    "sso_session",
    "sso_start_url",
    "web_identity_token_file",
    "login_session",
)
SSO_SESSION_SINCE = "AWS CLI 2.9.0, boto3 1.26.10 / botocore 1.29.10"
#: Tools that read an sso-session's header as botocore does (shlex-split, quotes removed).
_SPLITS_HEADERS_AS_BOTOCORE = frozenset({"boto3", "aws-cli"})
LOGIN_SESSION_SINCE = "AWS CLI 2.32.0, boto3 / botocore 1.41.0 with botocore[crt]"
_HOPS = 10


def _chain(
    files: sharedfiles.AwsFiles, name: str
) -> list[tuple[str, dict[str, sharedfiles.Setting]]]:
    """The profile and the source profiles it assumes a role from, in order."""
    seen: list[tuple[str, dict[str, sharedfiles.Setting]]] = []
    while len(seen) < _HOPS and name not in (n for n, _ in seen):
        settings = files.settings(name)
        seen.append((name, settings))
        source = settings.get("source_profile")
        if source is None or "role_arn" not in settings:
            break
        name = source.value
    return seen


@probe(
    "config.sdk-features",
    title="Profile settings that need a recent SDK (sso_session, login_session)",
    findings=(
        "profile-uses-sso-session",
        "sso-session-complete",
        "profile-uses-login-session",
        "profile-uses-legacy-sso",
        "profile-uses-no-new-settings",
        "crt-installed-here",
        "crt-missing-here",
        "config-file-unread",
        "sso-session-name-unreadable",
    ),
    facts=("profile", "sso_session", "config_setting", "suggested_session"),
)
def sdk_features(run: ProbeInput) -> Evidence:
    """Whether the profile (or its source profile) uses settings old SDKs do not know."""
    selection = selected_profile(run)
    files = sharedfiles.load(run.ctx)
    facts = {"profile": Fact(selection.name, selection.source)}
    findings: list[str] = []
    details: list[str] = []
    for name, settings in _chain(files, selection.name):
        if "sso_session" in settings:
            session = settings["sso_session"]
            facts["sso_session"] = Fact(session.value, session.where(run.ctx))
            findings.append("profile-uses-sso-session")
            block = files.session_settings(session.value)
            if {"sso_start_url", "sso_region"} <= set(block):
                findings.append("sso-session-complete")
            details.append(
                f"profile '{name}' uses sso_session = {session.value} ({session.where(run.ctx)}):"
                f" understood since {SSO_SESSION_SINCE}"
            )
            tool = run.recognition.tool if run.recognition else None
            if re.search(r"\s", session.value) and tool not in _SPLITS_HEADERS_AS_BOTOCORE:
                findings.append("sso-session-name-unreadable")
                # A name every SDK reads: letters, digits, `_.-` (no quoting needed anywhere).
                plain = re.sub(r"[^A-Za-z0-9_.-]+", "-", session.value).strip("-") or "sso"
                facts["suggested_session"] = Fact(plain, "its name without blanks")
                details.append(
                    f"sso-session '{session.value}' has a blank in its name: botocore reads its"
                    " quoted header, the JavaScript SDK v3 and the Go SDK v2 find no such section"
                )
        elif "sso_start_url" in settings:
            findings.append("profile-uses-legacy-sso")
        if "login_session" in settings:
            findings.append("profile-uses-login-session")
            details.append(
                f"profile '{name}' uses login_session ({settings['login_session'].where(run.ctx)}):"
                f" understood since {LOGIN_SESSION_SINCE}"
            )
    new = {"profile-uses-sso-session", "profile-uses-login-session"} & set(findings)
    if not new:
        findings.append("profile-uses-no-new-settings")
    unread = _unread_config(run, files, selection.name)
    if unread is not None:
        key, setting = unread
        facts["config_setting"] = Fact(key, setting.where(run.ctx))
        findings.append("config-file-unread")
        tool = run.recognition.tool_title if run.recognition else None
        details.append(
            f"the {tool or 'tool'} reads"
            f" {files.config.where(run.ctx)} only with AWS_SDK_LOAD_CONFIG=1 (not set here), and"
            f" profile '{selection.name}' has its credentials only there ({key},"
            f" {setting.where(run.ctx)})"
        )
    summary = (
        "; ".join(details)  # what the profile uses, or what the tool does not read
        if details
        else f"profile '{selection.name}' uses no setting that needs a recent SDK"
    )
    crt = importlib.util.find_spec("awscrt") is not None
    findings.append("crt-installed-here" if crt else "crt-missing-here")
    details.append(
        "awscrt (botocore[crt]) is "
        + ("installed" if crt else "not installed")
        + " in the Python that runs awsmedic (the failing program may use another)"
    )
    return Evidence(
        "config.sdk-features",
        Status.OK,
        summary,
        tuple(dict.fromkeys(findings)),
        facts,
        tuple(details),
    )


def _unread_config(
    run: ProbeInput, files: sharedfiles.AwsFiles, name: str
) -> tuple[str, sharedfiles.Setting] | None:
    """The config-file setting (key, where) that gives the profile its credentials, when the
    pasted tool's SDK reads that file only with AWS_SDK_LOAD_CONFIG, which is not on, and the
    credentials file gives the profile none."""
    tool = run.recognition.tool if run.recognition else None
    turned_on = _LOAD_CONFIG_ON.get(tool or "")
    if turned_on is None or turned_on(run.ctx.env("AWS_SDK_LOAD_CONFIG") or ""):
        return None
    settings = files.settings(name)
    given = [(key, settings[key]) for key in _CREDENTIAL_SETTINGS if key in settings]
    if not given or any(setting.file.kind == sharedfiles.CREDENTIALS for _, setting in given):
        return None
    return given[0]
