"""creds.process-program: whether the program a credential_process names can be started at all.

botocore splits the setting into words without a shell and hands them to `subprocess.Popen`;
a program that is not on PATH (or a `~/bin/helper` no shell expands) makes Popen raise
FileNotFoundError, which botocore does not wrap: the user sees only `[Errno 2] No such file or
directory: 'aws-vault'`. Finding the program is a lookup, not a run, so this probe needs no
consent (running the helper is `creds.process`, which asks first).
"""

from __future__ import annotations

import os
import shutil

from awsmedic.aws import sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.process import command_of


def _lookup(program: str, path: str | None) -> tuple[str, str]:
    """(finding, sentence) for the program botocore would start."""
    if not program:
        return "process-command-not-found", "the command is empty"
    if program.startswith("~") or "$" in program:
        return "process-command-not-found", (
            f"'{program}' needs a shell to expand it, and botocore runs the command without one"
        )
    if os.sep in program or (os.altsep and os.altsep in program):
        if not os.path.exists(program):
            return "process-command-not-found", f"'{program}' does not exist"
        if os.path.isdir(program) or not os.access(program, os.X_OK):
            return "process-not-executable", f"'{program}' is not an executable file"
        return "process-program-found", f"'{program}' exists and is executable"
    found = shutil.which(program, path=path if path is not None else os.defpath)
    if found is None:
        return "process-command-not-found", f"'{program}' is not on PATH (no such program)"
    return "process-program-found", f"'{program}' is {found}"


def _unquoted_space(argv: list[str]) -> str | None:
    """The program's path when the setting left a space in it unquoted: the first words joined
    again name an existing file (`/home/u/my tools/get-creds.sh` split into two words)."""
    for end in range(2, min(len(argv), 8) + 1):
        joined = " ".join(argv[:end])
        if (os.sep in joined or (os.altsep and os.altsep in joined)) and os.path.isfile(joined):
            return joined
    return None


def _elsewhere(run: ProbeInput) -> str:
    """No helper for the profile in use: say which profiles have one (the failing program may
    have chosen one of them in its code, where no option or variable shows it)."""
    files = sharedfiles.load(run.ctx)
    selection = sharedfiles.selected_profile(run.ctx, run.text)
    summary = f"profile '{selection.name}' ({selection.source}) has no credential_process"
    others = sorted(name for name in files.profiles if "credential_process" in files.settings(name))
    if others:
        summary += f"; profiles that have one: {', '.join(others)} (name it with --profile)"
    return summary


@probe(
    "creds.process-program",
    title="credential_process program",
    findings=(
        "not-process-profile",
        "process-command-not-found",
        "process-path-unquoted",
        "process-not-executable",
        "process-program-found",
        "process-roles-anywhere",
    ),
    facts=(
        "profile",
        "config_file",
        "certificate_file",
        "private_key_file",
        "trust_anchor_id",
        "ra_profile_id",
        "role_name",
    ),
)
def process_program(run: ProbeInput) -> Evidence:
    """The program of the profile's credential_process: on PATH, or where the setting says."""
    from botocore.compat import compat_shell_split

    found = command_of(run)
    if found is None:
        return Evidence(
            "creds.process-program", Status.OK, _elsewhere(run), ("not-process-profile",)
        )
    profile, command, where = found
    try:
        argv = compat_shell_split(command)
    except ValueError:  # an unclosed quote: botocore fails the same way, before any run
        argv = []
    program = argv[0] if argv else ""
    finding, sentence = _lookup(program, run.ctx.env("PATH"))
    spaced = _unquoted_space(argv) if finding == "process-command-not-found" else None
    if spaced is not None:
        finding, sentence = (
            "process-path-unquoted",
            (
                f"'{program}' does not exist, but '{spaced}' does: botocore splits the setting at"
                f' spaces, so a path with a space must be quoted ("{spaced}")'
            ),
        )
    facts = {
        "profile": Fact(profile, "credential_process", where),
        **sharedfiles.load(run.ctx).facts(run.ctx),
    }
    findings = [finding]
    signing = roles_anywhere_facts(argv, where)
    if signing:
        findings.append("process-roles-anywhere")
        facts.update(signing)
    return Evidence(
        "creds.process-program",
        Status.OK if finding == "process-program-found" else Status.PROBLEM,
        f"credential_process of profile '{profile}' ({where}): {sentence}",
        tuple(findings),
        facts,
    )


#: aws_signing_helper's options that name what IAM Roles Anywhere checks, and the fact each
#: gives (aws/rolesanywhere-credential-helper README, credential-process). An ARN gives its id.
_SIGNING_OPTIONS = {
    "--certificate": ("certificate_file", ""),
    "--private-key": ("private_key_file", ""),
    "--trust-anchor-arn": ("trust_anchor_id", ":trust-anchor/"),
    "--profile-arn": ("ra_profile_id", ":profile/"),
    "--role-arn": ("role_name", ":role/"),
}


def roles_anywhere_facts(argv: list[str], where: str) -> dict[str, Fact]:
    """The certificate, key, trust anchor, profile and role an IAM Roles Anywhere credential
    helper is given, read from its command line (`--name value` or `--name=value`); {} for any
    other program. A PKCS#11 URI or a certificate selector is no file, and gives none."""
    # (a Windows path is read as such wherever awsmedic runs: the config may be shared)
    name = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower() if argv else ""
    if name not in ("aws_signing_helper", "aws_signing_helper.exe"):
        return {}
    facts: dict[str, Fact] = {}
    for index, word in enumerate(argv[1:], 1):
        option, equals, inline = word.partition("=")
        if option not in _SIGNING_OPTIONS:
            continue
        value = inline if equals else (argv[index + 1] if index + 1 < len(argv) else "")
        fact, marker = _SIGNING_OPTIONS[option]
        if marker:
            value = value.partition(marker)[2] if marker in value else ""
        elif value.startswith("pkcs11:"):
            value = ""
        if value and fact not in facts:
            facts[fact] = Fact(value, "credential_process", where)
    return facts
