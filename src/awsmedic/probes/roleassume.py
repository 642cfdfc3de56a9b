"""role.settings: the role-assumption settings of the selected profile, and what is wrong with them.

Offline. botocore's AssumeRoleProvider reads role_arn, source_profile or credential_source,
external_id, mfa_serial, role_session_name and duration_seconds from the role profile; a profile
may name another role profile as its source (role chaining, limited to one-hour sessions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from awsmedic.aws import denial, sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.identity import configured_profiles

ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_ARN_KIND = re.compile(r"^arn:aws[a-z-]*:(iam|sts)::[^:]*:([a-z-]+)/")
MFA_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:(?:mfa|u2f)/[\w+=,.@/-]+$")
_HARDWARE_SERIAL = re.compile(r"^[A-Za-z0-9]{6,}$")
#: STS session durations: 15 minutes to 12 hours; role chaining caps a session at one hour.
MIN_DURATION, CHAINED_MAX, MAX_DURATION = 900, 3600, 43200
# STS's RoleSessionName (botocore/data/sts/2011-06-15/service-2.json roleSessionNameType)
_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")
_ROLE_CREDENTIAL_SOURCES = {"Ec2InstanceMetadata", "EcsContainer"}
# IAM's role name (botocore/data/iam/2010-05-08/service-2.json roleNameType)
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")
# Terraform's AWS provider checks `assume_role { role_arn }` before it sends anything
# (hashicorp/terraform-provider-aws internal/verify/validate.go ValidARNCheck, "%q (%s) is an
# invalid ARN: %s" with the Go arn package's "arn: invalid prefix" / "arn: not enough
# sections"): the error names the attribute, and its source excerpt the file and line.
_TF_ROLE_ARN_SAID = re.compile(r"\bassume_role(?:_with_web_identity)?\.\d+\.role_arn\b")
_TF_SOURCE = re.compile(r'^[ \t│|]*(\d+):[ \t]*role_arn[ \t]*=[ \t]*"([^"\n]*)"', re.MULTILINE)
_TF_ON = re.compile(r"\bon ([^\s,]+\.tf) line (\d+)")


def arn_problem(arn: str) -> tuple[str, str]:
    """(finding, why) when a role_arn cannot name a role; ("", "") when it can."""
    if ROLE_ARN.match(arn):
        return "", ""
    kind = _ARN_KIND.match(arn)
    if kind and kind.group(2) != "role":
        thing = {"assumed-role": "a role session", "user": "an IAM user", "mfa": "an MFA device"}
        what = thing.get(kind.group(2), f"a {kind.group(2)}")
        fix = denial.role_of_session(arn) if kind.group(2) == "assumed-role" else ""
        hint = f"; the role itself is {fix}" if fix != arn and fix else ""
        return "role-arn-not-role", f"role_arn {arn} names {what}, not a role{hint}"
    return "role-arn-malformed", (
        f"role_arn {arn!r} is not of the form arn:aws:iam::<12-digit-account>:role/<name>"
    )


def mfa_problem(serial: str) -> str:
    if MFA_ARN.match(serial) or (not serial.startswith("arn:") and _HARDWARE_SERIAL.match(serial)):
        return ""
    return f"mfa_serial {serial} is not an MFA device (arn:aws:iam::<account>:mfa/<device-name>)"


def _duration(value: str, chained: bool, details: list[str]) -> list[str]:
    try:
        seconds = int(value)
    except ValueError:
        details.append(f"duration_seconds {value!r} is not a number of seconds")
        return ["duration-set", "duration-invalid"]
    found = ["duration-set"]
    if not MIN_DURATION <= seconds <= MAX_DURATION:
        details.append(f"duration_seconds {seconds} is outside 900-43200 seconds")
        found.append("duration-invalid")
    elif seconds > CHAINED_MAX:
        found.append("duration-over-hour")
        limit = (
            "role chaining allows at most 3600"
            if chained
            else "the role's MaxSessionDuration must be at least that"
        )
        details.append(f"duration_seconds {seconds} is over one hour: {limit}")
    return found


def _chained(profiles: Mapping[str, Mapping[str, str]], hops: tuple[Any, ...]) -> str:
    """Why the source of the last hop is itself a role session, or ""."""
    if len(hops) > 1:
        return f"profile '{hops[0].profile}' assumes a role from another role profile"
    if not hops:
        return ""
    last = hops[-1]
    if last.credential_source in _ROLE_CREDENTIAL_SOURCES:
        return f"credential_source {last.credential_source} supplies role credentials"
    source = profiles.get(last.source_profile, {})
    if "sso_role_name" in source or "sso_account_id" in source:
        return f"source profile '{last.source_profile}' is an IAM Identity Center (SSO) role"
    return ""


def _text_findings(text: str, details: list[str]) -> list[str]:
    found: list[str] = []
    parsed = denial.parse(text)
    if parsed.action.lower() == "sts:setsourceidentity":
        found.append("source-identity-required")
        details.append(
            "sts:SetSourceIdentity was refused: the request carried a source identity (set by the"
            " tool, or kept from the calling role session along a role chain), and the role's"
            " trust policy does not allow sts:SetSourceIdentity"
        )
    if parsed.action.lower() == "sts:tagsession":
        found.append("session-tags-refused")
        details.append("session tags were sent, and the trust policy does not allow sts:TagSession")
    if re.search(r"unable to validate MFA code", text, re.I):
        found.append("mfa-serial-rejected")
        details.append("AWS could not match the MFA serial to this user: wrong device or user ARN")
    elif re.search(r"invalid MFA one time pass code", text, re.I):
        found.append("mfa-code-rejected")
        details.append("the MFA code was wrong or already used")
    return found


def _role_findings(
    run: ProbeInput, profile: str, config: Mapping[str, str], details: list[str]
) -> list[str]:
    found: list[str] = []
    arn = config.get("role_arn", "")
    finding, why = arn_problem(arn)
    if finding:
        found.append(finding)
        details.append(why)
    said = denial.parse(run.text)
    if said.is_assume_role and said.resource.startswith("arn:") and said.resource != arn:
        found.append("role-differs-from-error")
        details.append(f"the error is about {said.resource}, the profile assumes {arn}")
    if "external_id" in config:
        found.append("external-id-set")
    name = config.get("role_session_name")
    if name is not None and not _SESSION_NAME.fullmatch(name):
        found.append("session-name-invalid")
        setting = sharedfiles.load(run.ctx).settings(profile).get("role_session_name")
        where = f" ({setting.where(run.ctx)})" if setting is not None else ""
        details.append(
            f"role_session_name {name!r}{where} is not 2 to 64 characters of letters, digits"
            " and _+=,.@-, which STS requires"
        )
    return found


@probe(
    "role.settings",
    title="Role assumption settings of the profile",
    findings=(
        "no-role-profile",
        "role-arn-malformed",
        "role-arn-not-role",
        "role-differs-from-error",
        "external-id-set",
        "mfa-serial-set",
        "mfa-serial-not-device",
        "mfa-serial-rejected",
        "mfa-code-rejected",
        "duration-set",
        "duration-over-hour",
        "duration-invalid",
        "role-chaining",
        "source-temporary-keys",
        "source-long-term-keys",
        "source-identity-required",
        "session-tags-refused",
        "session-name-invalid",
        "role-arn-in-terraform",
    ),
    facts=("profile", "role_arn", "source_profile", "mfa_serial", "role_name", "terraform_setting"),
)
def role_settings(run: ProbeInput) -> Evidence:
    """Is role_arn a well-formed role ARN; MFA, external id, duration and chaining settings."""
    report = run.world.chain()
    config = report.profile_config
    details: list[str] = []
    findings = _text_findings(run.text, details)
    if "role_arn" not in config:
        findings.insert(0, "no-role-profile")
        details.insert(0, f"profile '{report.profile}' assumes no role (no role_arn)")
    else:
        findings += _role_findings(run, report.profile, config, details)
        findings += _chain_findings(run, details)
    if "mfa_serial" in config:
        findings.append("mfa-serial-set")
        problem = mfa_problem(config["mfa_serial"])
        if problem:
            findings.append("mfa-serial-not-device")
            details.append(problem)
    where = f"[{report.profile}]"
    facts = {"profile": Fact(report.profile, report.profile_source)}
    for name in ("role_arn", "source_profile", "mfa_serial"):
        if name in config:
            facts[name] = Fact(config[name], "config-file", where)
    # A role's name where its ARN belongs, the usual way a role_arn goes wrong: IAM can say
    # which ARN that name has.
    if "role-arn-malformed" in findings and _ROLE_NAME.fullmatch(config.get("role_arn", "")):
        facts["role_name"] = Fact(config["role_arn"], "config-file", where)
    terraform = _terraform_role_arn(run)
    if terraform is not None:
        value, site, why = terraform
        findings.append("role-arn-in-terraform")
        details.insert(0, f"{site}: Terraform's assume_role {why}")
        facts["role_arn"] = Fact(value, "Terraform", site)
        facts["terraform_setting"] = Fact(site, "Terraform")
        if _ROLE_NAME.fullmatch(value):
            facts["role_name"] = Fact(value, "Terraform", site)
    bad = set(findings) - {
        "no-role-profile",
        "mfa-serial-set",
        "external-id-set",
        "duration-set",
        "source-long-term-keys",
    }
    summary = details[0] if details and bad else _plain(report.profile, config)
    return Evidence(
        "role.settings",
        Status.PROBLEM if bad else Status.OK,
        summary,
        tuple(findings),
        facts,
        tuple(details),
        report.secrets(),
    )


def _terraform_role_arn(run: ProbeInput) -> tuple[str, str, str] | None:
    """(value, "main.tf line 7", why) of a Terraform provider block's `assume_role` role_arn
    that names no role, when the paste comes from Terraform or names that attribute: read from
    the `.tf` files of the working directory (literals only), else from the source excerpt
    Terraform printed under the error."""
    tool = run.recognition.tool if run.recognition is not None else None
    if tool != "terraform" and not _TF_ROLE_ARN_SAID.search(run.text):
        return None
    found: list[tuple[str, str, str]] = []
    if run.ctx.cwd is not None:
        from awsmedic.aws.tfconfig import read_directory

        for block in read_directory(run.ctx.cwd).blocks:
            value = block.settings.get("assume_role.role_arn")
            if value is None or not isinstance(value.literal, str):
                continue
            _, why = arn_problem(value.literal)
            if why:
                found.append((value.literal, f"{block.file} line {value.line}", why))
    if not found:
        on = _TF_ON.search(run.text)
        for source in _TF_SOURCE.finditer(run.text):
            _, why = arn_problem(source.group(2))
            if on is not None and why:
                found.append((source.group(2), f"{on.group(1)} line {source.group(1)}", why))
    return found[0] if len(found) == 1 else None


def _chain_findings(run: ProbeInput, details: list[str]) -> list[str]:
    """Role chaining (a role session assuming a role) and what it means for the duration."""
    report = run.world.chain()
    profiles = configured_profiles(run)
    chained = _chained(profiles, report.role_hops)
    found: list[str] = []
    if chained:
        found.append("role-chaining")
        details.append(f"role chaining: {chained}")
    elif report.keys is not None and report.keys.access_key.reveal().startswith("ASIA"):
        found.append("source-temporary-keys")
        details.append(
            "the source credentials are temporary (ASIA): if they are a role's, this is"
            " role chaining"
        )
    elif report.keys is not None and report.keys.access_key.reveal().startswith("AKIA"):
        # An IAM user's own keys: no role session is the source, so no chaining limit.
        found.append("source-long-term-keys")
    if "duration_seconds" in report.profile_config:
        duration = report.profile_config["duration_seconds"]
        found += _duration(duration, bool(chained), details)
    return found


def _plain(profile: str, config: Mapping[str, str]) -> str:
    if "role_arn" not in config:
        return f"profile '{profile}' assumes no role"
    settings = [
        name for name in ("mfa_serial", "external_id", "duration_seconds") if name in config
    ]
    extra = f" with {', '.join(settings)}" if settings else ""
    return f"profile '{profile}' assumes {config['role_arn']}{extra}"
