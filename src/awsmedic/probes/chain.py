"""creds.chain: which credential provider wins, what it shadows, and the profile behind it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from awsmedic.aws import sharedfiles
from awsmedic.aws.sharedfiles import profile_in_text, role_source_named, same_name
from awsmedic.model import Edit, Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import CONFIGURED, FOUND, UNCHECKED, ChainReport

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
# How a pasted command or program names its profile: `--profile dev`, `AWS_PROFILE=dev aws …`,
# `boto3.Session(profile_name="dev")`, Terraform's `profile = "dev"`.
_PASTED_PROFILE = re.compile(
    r"--profile[= ]+['\"]?([\w.@+-]+)|\bAWS_PROFILE=['\"]?([\w.@+-]+)"
    r"|profile_name\s*=\s*['\"]([^'\"\s]+)['\"]"
)


def pasted_profile(text: str) -> str | None:
    """The profile the failing command named, when the paste shows it."""
    found = _PASTED_PROFILE.search(text)
    if found is None:
        return None
    return next(group for group in found.groups() if group)


@dataclass(frozen=True)
class Named:
    """A profile the paste names, other than the one checked here."""

    name: str
    command: bool  # read from the failing command's line (core.pastes), not a text pattern
    here: bool  # defined in this machine's shared files

    def sentence(self) -> str:
        from awsmedic.safety.shellquote import POSIX, quote

        name = quote(self.name, POSIX)
        if self.command and not self.here:
            return (
                f"the pasted command line names profile {name}, which the shared files here do"
                " not define (the paste may come from another machine, or the name is wrong)"
            )
        where = "the pasted command line" if self.command else "the error"
        # A name that starts with `-` would be read as an option after a separate --profile.
        option = f"--profile={name}" if self.name.startswith("-") else f"--profile {name}"
        return f"{where} names profile {name}; to check that one, run awsmedic with {option}"


def named_profile(run: ProbeInput, report: ChainReport) -> Named | None:
    """The profile the paste names, when it is not the one the chain was walked for."""
    from awsmedic.aws.tfconfig import provider_location

    command = run.recognition.command.get("profile") if run.recognition else None
    if command is not None and provider_location(run.ctx.profile_source) is not None:
        return None  # a Terraform provider's profile beat it (the setting notes say so)
    if (
        command is not None
        and run.ctx.profile is None
        and run.ctx.env(command.location) == command.value
    ):
        # The command's own variable, set as in its environment: the tool read another
        # variable first, or not this one (the setting notes and profile_vars say which).
        return None
    name = command.value if command is not None else pasted_profile(run.text)
    if name is None:
        slot = _slot_profile(run)
        # A message prints the name: `dev\r` shows as `dev` and a line break, the same profile.
        name = None if slot is None or same_name(slot, report.profile) else slot
    if name is None or name == report.profile:
        return None
    return Named(name, command is not None, name in report.profiles)


def _slot_profile(run: ProbeInput) -> str | None:
    """The profile the matched phrase's `{profile}` slot read, in any SDK's words (JavaScript
    v2's "Profile qa not found", Java v1's "Unable to load credentials into profile [qa]"), but
    not from Go's role errors, which name the role's *source* profile."""
    facts = run.recognition.facts if run.recognition is not None else {}
    if "profile" not in facts or role_source_named(run.text):
        return None
    return facts["profile"].value or None


def pasted_name(run: ProbeInput) -> str | None:
    """Any profile the paste names: on the command line, in a message sharedfiles knows, or in
    a phrase's slot."""
    return pasted_profile(run.text) or profile_in_text(run.text) or _slot_profile(run)


#: How many profile names a summary lists before "and N more".
_LISTED = 8


def _nothing_selects(report: ChainReport, run: ProbeInput) -> bool:
    """No --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE, and the paste names no profile either:
    the failing command used `default`."""
    if report.profile_source != "default" or report.explicit:
        return False
    return pasted_name(run) is None


def other_profiles(report: ChainReport, run: ProbeInput) -> list[str]:
    """Findings for credentials that exist here under another name than the one used: the chain
    found none, the selected profile defines none, and other profiles do."""
    if report.winner is not None or report.error or not report.credential_profiles:
        return []
    found = ["other-profiles-have-credentials"]
    if _nothing_selects(report, run):
        found.append("credentials-only-in-named-profiles")
    if _under_stray_names(report):
        found.append("credentials-only-under-stray-names")
    return found


def _under_stray_names(report: ChainReport) -> bool:
    """The credentials sit under damaged names (`[ dev ]`, an escape sequence in the header):
    every profile that has some has one, or one was meant to be a profile defined without
    credentials (`[ dev ]` beside `[profile dev]`). No profile selected by its name can reach
    them (botocore takes a credentials-file header as written), so selecting another profile
    cannot fix it: the header can."""
    from awsmedic.aws.profilenames import cleaned

    stray = [name for name in report.credential_profiles if cleaned(name) != name]
    if not stray:
        return False
    meant = {cleaned(name) for name in stray}
    return len(stray) == len(report.credential_profiles) or bool(meant & set(report.profiles))


def profile_list(names: tuple[str, ...]) -> str:
    """Profile names for a sentence, each quoted as a shell word (a name is any text the files
    hold: a quote, a `;` or a space in it must not blur where it ends)."""
    from awsmedic.safety.shellquote import POSIX, quote

    shown = [quote(name, POSIX) for name in names[:_LISTED]]
    more = len(names) - _LISTED
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _region(run: ProbeInput, report: ChainReport) -> Fact | None:
    from awsmedic.probes.partition import configured_region

    region = configured_region(run, report)
    return Fact(region.name, region.source, region.location) if region else None


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
    if report.source_profile:
        facts["source_profile"] = Fact(report.source_profile, "role chain")
    region = _region(run, report)
    if region is not None:
        facts["region"] = region
    if other_profiles(report, run):
        names = report.credential_profiles
        facts["credential_profiles"] = Fact(profile_list(names), "the shared files")
        if len(names) == 1 and _under_stray_names(report):
            from awsmedic.aws.profilenames import cleaned

            facts["suggested_profile"] = Fact(
                cleaned(names[0]), "the only profile with credentials, once its header is repaired"
            )
        elif len(names) == 1:
            facts["suggested_profile"] = Fact(names[0], "the only other profile with credentials")
    unread = report.unread_profile
    if unread is not None and unread[1] in report.profiles:  # the profile that was meant
        facts["suggested_profile"] = Fact(unread[1], f"{unread[0]}, which the tool does not read")
    return facts


def _literal_file(run: ProbeInput, report: ChainReport) -> bool:
    """The credentials come from the shared files, and the failing tool reads the variable that
    names one of them as written (the JavaScript SDK v3 expands only a leading `~/`): it found
    no file there, whatever botocore finds (files.location says which and why)."""
    from awsmedic.aws.sharedfiles import literal_paths

    winner = report.winner
    if winner is None or winner.method not in _PROFILE_METHODS:
        return False
    return bool(literal_paths(run.ctx, run.recognition.tool if run.recognition else None))


def _shadow_findings(report: ChainReport) -> list[str]:
    winner = report.winner
    if report.config_keys is not None:
        return ["credentials-file-shadows-config-keys"]
    if winner is None or winner.method != "env":
        return []
    shadowed = {p.method for p in report.shadowed}
    if report.profile_source.startswith("AWS_") and shadowed & _PROFILE_METHODS:
        return ["env-shadows-profile"]
    own, sent = report.profile_keys, report.keys
    if report.profile_source == "default" and own and sent and own.key_id != sent.key_id:
        return ["env-shadows-default-profile"]
    return []


def _token_findings(report: ChainReport) -> list[str]:
    keys = report.keys
    if keys is None:
        return []
    found = []
    if keys.method == "env" and keys.unused_tokens:
        found.append("env-token-shadows-other-token")
    if keys.method != "env" and keys.token is not None:
        found.append("profile-has-session-token")
    return found


def _findings(report: ChainReport, run: ProbeInput, named: Named | None) -> list[str]:
    findings: list[str] = []
    if report.error.startswith("ProfileNotFound"):
        findings.append("profile-not-found")
    elif report.error.startswith("ConfigParseError"):
        findings.append("config-parse-error")
    if report.failed is not None:
        findings.append("chain-aborted")
    if report.profile_vars is not None:
        findings.append("profile-vars-conflict")
    if report.unread_profile is not None:
        findings.append("profile-var-not-read")
    if report.explicit and report.env_keys is not None:
        findings.append("profile-flag-drops-env-keys")
    if named is not None:
        findings.append("paste-names-other-profile")
    winner = report.winner
    if winner is None:
        if not report.error:
            findings.append("no-credentials")
        return findings + other_profiles(report, run)
    findings.append(_METHOD_FINDING.get(winner.method, "other-credentials"))
    findings += _shadow_findings(report) + _token_findings(report)
    if winner.method == "assume-role":
        findings.append("role-source-keys" if report.keys else "role-source-not-static")
        if report.source_error:
            findings.append("role-source-broken")
        if report.role_mfa:
            findings.append("role-needs-mfa")
    return findings


#: The chain walk asks no network service: where instance metadata is the provider left,
#: "nothing found" is only "nothing before it" (`check` asks it, and says what it answered).
BEFORE_IMDS = "no credentials before instance metadata"
IMDS_NOT_CHECKED = "the instance role was not checked"


def imds_left(report: ChainReport) -> bool:
    """Whether instance metadata is the provider the walk could not ask: every provider before
    it has nothing, none raised, and instance metadata is not turned off."""
    if report.error or report.winner is not None or report.failed is not None:
        return False
    return any(p.method == "iam-role" and p.state == UNCHECKED for p in report.providers)


def nothing_found(report: ChainReport) -> str:
    """What a walk that found no credentials can say: all of botocore's chain, or all of it
    but instance metadata."""
    if imds_left(report):
        return f"{BEFORE_IMDS}; {IMDS_NOT_CHECKED}"
    return "no provider has credentials on this machine"


def unread_sentence(unread: tuple[str, str], tool: str | None) -> str:
    """`AWS_DEFAULT_PROFILE=dev is set, but the JavaScript SDK v3 does not read it`."""
    from awsmedic.aws.sharedfiles import profile_readers, profile_variables
    from awsmedic.safety.shellquote import POSIX, quote

    var, value = unread
    reads = " and ".join(profile_variables(tool))
    return (
        f"{var}={quote(value, POSIX)} is set, but {profile_readers(tool)} does not read it:"
        f" it reads {reads} only, else the profile default"
    )


def _summary(
    report: ChainReport,
    run: ProbeInput,
    named: Named | None,
    notes: tuple[str, ...] = (),
    tool: str | None = None,
) -> str:
    winner = report.winner
    selected = report.profile_source
    if report.profile_vars is not None:
        selected += f", while AWS_PROFILE={report.profile_vars[1]}"
    if report.unread_profile is not None:
        selected += f"; {unread_sentence(report.unread_profile, tool)}"
    if named is not None:
        selected += f"; {named.sentence()}"
    for note in notes:  # what a Terraform provider block chose, or why it was not taken
        selected += f"; {note}"
    profile = f"profile '{report.profile}' ({selected})"
    if report.error and winner is None:
        return f"{profile}: {report.error}"
    if winner is None:
        summary = f"{profile}: {nothing_found(report)}"
        if other_profiles(report, run):
            summary += (
                f"; other profiles have credentials: {profile_list(report.credential_profiles)}"
                " (select one with --profile or AWS_PROFILE)"
            )
        return summary
    text = f"{profile}: credentials from {winner.method}"
    if report.source_error:
        text += f", {_source_unusable(report)}"
    elif report.source_profile:
        text += f" with the keys of source profile '{report.source_profile}'"
    if report.keys is not None:
        text += f" ({report.keys.location}, key {report.keys.access_key.masked()})"
    own = report.profile_keys
    hidden = report.config_keys
    if report.keys is not None and report.keys.method == "env" and own is not None:
        text += f"; shadowing the keys in {own.location} ({own.access_key.masked()})"
    elif hidden is not None:
        text += f"; shadowing other keys in {hidden.location} ({hidden.access_key.masked()})"
    elif report.shadowed:
        text += "; shadowing " + ", ".join(p.method for p in report.shadowed)
    return text


def source_loop(report: ChainReport) -> tuple[str, ...]:
    """The profiles of a source_profile loop, the first again at the end (`dev`, `ops`, `dev`);
    () when the role chain does not loop. The walk stops where a source profile comes round
    again: that profile is no source of keys, only the loop's end."""
    hops = [hop.profile for hop in report.role_hops]
    if not report.source_error or report.source_profile not in hops:
        return ()
    return (*hops[hops.index(report.source_profile) :], report.source_profile)


def _source_unusable(report: ChainReport) -> str:
    """Why a role profile's AssumeRole has no keys to sign with, for the summary."""
    loop = source_loop(report)
    if loop:
        return (
            f"but its source_profile references loop ({' -> '.join(loop)}): no profile in it"
            " gives the keys that sign AssumeRole"
        )
    if report.source_profile:
        return (
            f"but its source profile '{report.source_profile}' gives no keys to sign AssumeRole"
            f" ({report.source_error})"
        )
    return f"but it has no source of keys to sign AssumeRole ({report.source_error})"


def _details(run: ProbeInput, report: ChainReport, named: Named | None) -> list[str]:
    details = [
        f"{p.method}: {p.state}" + (f" ({p.detail})" if p.detail else "") for p in report.providers
    ]
    if report.profiles:
        details.append("profiles: " + ", ".join(report.profiles))
    for hop in report.role_hops:
        via = (
            f"source_profile '{hop.source_profile}'"
            if hop.source_profile
            else f"credential_source {hop.credential_source or '(none)'}"
        )
        details.append(f"role profile '{hop.profile}' assumes {hop.role_arn} from {via}")
    if report.source_error:
        details.append(f"source credentials: {report.source_error}")
    elif report.source_provider:
        details.append(f"the source credentials come from {report.source_provider}")
    keys = report.keys
    if keys is not None and keys.token_source:
        details.append(f"session token read from {keys.token_source}")
    if keys is not None and keys.unused_tokens:
        details.append(
            f"{', '.join(keys.unused_tokens)} is also set but not sent:"
            f" botocore reads {keys.token_source} first"
        )
    if report.profile_vars is not None:
        default, chosen = report.profile_vars
        details.append(
            f"AWS_DEFAULT_PROFILE={default} and AWS_PROFILE={chosen}: boto3, botocore and AWS CLI"
            f" v1 use '{default}', AWS CLI v2 and most other SDKs use '{chosen}'"
        )
    if report.explicit and report.env_keys is not None:
        details.append(
            "--profile makes the AWS CLI and boto3 ignore the AWS_ACCESS_KEY_ID in the environment"
        )
    if named is not None:
        details.append(named.sentence())
    details += _overridden(run, report)
    others = other_profiles(report, run)
    if others:
        why = (
            "nothing selects a profile (no --profile, AWS_PROFILE or AWS_DEFAULT_PROFILE),"
            " so tools use it"
            if "credentials-only-in-named-profiles" in others
            else f"it was selected by {report.profile_source}"
        )
        details.append(
            f"profile '{report.profile}' defines no credentials ({why}); profiles with"
            f" credentials or a credential provider: {profile_list(report.credential_profiles)}"
        )
    return details


def _overridden(run: ProbeInput, report: ChainReport) -> list[str]:
    """A profile variable of awsmedic's own environment that the failing command's line
    overrode (its option, or its own `AWS_PROFILE=...`)."""
    if run.ctx.profile is None or run.ctx.profile_source == "--profile":
        return []
    return [
        f"{var}={value} in awsmedic's environment is not what the command used:"
        f" {report.profile_source} selects '{report.profile}'"
        for var in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
        if (value := run.ctx.env(var)) is not None and value != report.profile
    ]


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
        "env-shadows-default-profile",
        "env-token-shadows-other-token",
        "credentials-file-shadows-config-keys",
        "profile-has-session-token",
        "profile-vars-conflict",
        "profile-var-not-read",
        "file-var-unexpanded",
        "colon-lines-unread",
        "profile-flag-drops-env-keys",
        "paste-names-other-profile",
        "other-profiles-have-credentials",
        "credentials-only-in-named-profiles",
        "credentials-only-under-stray-names",
        "role-source-keys",
        "role-source-not-static",
        "role-source-broken",
        "role-needs-mfa",
        "terraform-shared-file-missing",
    ),
    edits=("terraform-shared-file-missing",),
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
        "suggested_profile",
        "credential_profiles",
        "colon_file",
        "colon_lines",
        "terraform_setting",
    ),
)
def credential_chain(run: ProbeInput) -> Evidence:
    """Walk botocore's provider chain: the winner, what it shadows, and any provider that raised."""
    report = run.world.chain()
    named = named_profile(run, report)
    findings = _findings(report, run, named)
    if _literal_file(run, report):
        findings.append("file-var-unexpanded")
    colons = _colon_lines(run, report)
    if colons:
        findings.append("colon-lines-unread")
    missing, tf_facts, tf_edits = _terraform_files(run)
    findings += missing
    ok = report.winner is not None and report.winner.state in (FOUND, CONFIGURED)
    worrying = {
        "env-shadows-profile",
        "env-shadows-default-profile",
        "credentials-file-shadows-config-keys",
        "profile-vars-conflict",
        TF_FILE_MISSING,
    }
    summary = _summary(
        report,
        run,
        named,
        run.ctx.setting_notes,
        run.recognition.tool if run.recognition else None,
    )
    facts, details = _facts(run, report) | tf_facts, _details(run, report, named)
    if colons:
        first = colons[0]
        where = first.file.where(run.ctx)
        lines = ", ".join(str(line) for line in first.lines)
        said = (
            f"{where} line{'s' if len(first.lines) > 1 else ''} {lines}"
            f" ({', '.join(first.names)}) {'are' if len(first.lines) > 1 else 'is'} written"
            f" `name: value`; {first.reader} reads only `name = value` lines, so it found no"
            " credentials there (botocore reads both)"
        )
        summary = f"{summary}; but {said}"
        details.insert(0, said)
        facts["colon_file"] = Fact(where, "the file with `name: value` lines")
        facts["colon_lines"] = Fact(f"line{'s' if len(first.lines) > 1 else ''} {lines}", where)
    return Evidence(
        "creds.chain",
        Status.OK if ok and not worrying & set(findings) else Status.PROBLEM,
        summary,
        tuple(findings),
        facts,
        tuple(details),
        report.secrets(),
        edits=tf_edits,
    )


def _terraform_files(run: ProbeInput) -> tuple[list[str], dict[str, Fact], tuple[Edit, ...]]:
    """The Terraform provider block lists shared files that do not exist (probes.tfprovider
    MissingFiles): the Go SDK reads them as empty, with no fallback to ~/.aws."""
    from awsmedic.probes.tfprovider import failing_block, missing_files, path_edit

    tool = run.recognition.tool if run.recognition else None
    block = failing_block(run.ctx, tool, run.text)
    missing = missing_files(run.ctx, block) if block is not None else ()
    if not missing:
        return [], {}, ()
    first = missing[0]
    facts = {"terraform_setting": Fact(first.where, "Terraform")}
    edits = [path_edit(run.ctx, item, TF_FILE_MISSING) for item in missing]
    return [TF_FILE_MISSING], facts, tuple(edit for edit in edits if edit is not None)


#: The finding of a Terraform provider block whose listed shared files do not exist.
TF_FILE_MISSING = "terraform-shared-file-missing"


def _colon_lines(run: ProbeInput, report: ChainReport) -> tuple[sharedfiles.ColonLines, ...]:
    """The keys come from the shared files, and the failing tool reads only `name = value`
    lines while the profile's are written `name: value` (configparser reads both)."""
    winner = report.winner
    if winner is None or winner.method not in ("shared-credentials-file", "config-file"):
        return ()
    tool = run.recognition.tool if run.recognition else None
    found = sharedfiles.colon_lines(sharedfiles.load(run.ctx), report.profile, tool)
    return tuple(lines for lines in found if _KEY_NAMES & set(lines.names))


_KEY_NAMES = {"aws_access_key_id", "aws_secret_access_key"}
