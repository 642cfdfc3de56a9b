"""creds.process-program: whether the program a credential_process names can be started at all.

botocore splits the setting into words without a shell and hands them to `subprocess.Popen`;
a program that is not on PATH (or a `~/bin/helper` no shell expands) makes Popen raise
FileNotFoundError, which botocore does not wrap: the user sees only `[Errno 2] No such file or
directory: 'aws-vault'`. Finding the program is a lookup, not a run, so this probe needs no
consent (running the helper is `creds.process`, which asks first).

A script that exists and is executable can still not start: its first line (`#!`) names the
interpreter the kernel runs. `#!/usr/bin/env python2` with no python2 on PATH makes env exit
with status 127 ("/usr/bin/env: 'python2': No such file or directory", which botocore wraps in
"Error when retrieving credentials from custom-process:"); `#!/opt/bin/python` that does not
exist makes the exec itself fail, and Popen's FileNotFoundError names the script, which does
exist. Reading that first line is a lookup too.
"""

from __future__ import annotations

import os
import re
import shutil

from awsmedic.aws import bounded, sharedfiles
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile
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


#: What env prints when the program its script's `#!` line names is not on PATH: GNU coreutils
#: ("/usr/bin/env: 'python2': No such file or directory", its quotes typographic in a UTF-8
#: locale) and BSD/macOS ("env: python2: No such file or directory").
_ENV_NOT_FOUND = re.compile(r"\benv: [‘'\"]?([\w.+-]+)[’'\"]?: No such file or directory")


def interpreter_missing(path: str, search: str | None) -> tuple[str, str] | None:
    """(interpreter, sentence) when the script at `path` starts with a `#!` line whose
    interpreter does not exist here (through `/usr/bin/env NAME`: NAME not on PATH)."""
    try:
        first = bounded.read_file(path, 512).data.split(b"\n", 1)[0]
    except OSError:
        return None
    if not first.startswith(b"#!"):
        return None
    words = first[2:].decode("utf-8", "replace").split()
    if not words:
        return None
    if os.path.basename(words[0]) == "env":
        names = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if not names or os.sep in names[0]:
            return None
        name = names[0]
        if shutil.which(name, path=search if search is not None else os.defpath) is not None:
            return None
        return name, (
            f"its first line runs '{name}' through {words[0]} ({first.decode('utf-8', 'replace')}),"
            f" and '{name}' is not on PATH: env exits with status 127"
        )
    if os.path.exists(words[0]):
        return None
    return words[0], (
        f"its first line names the interpreter '{words[0]}', which does not exist here, so the"
        " script cannot start (the error then names the script as if it were missing)"
    )


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
    selection = selected_profile(run)
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
        "process-interpreter-missing",
    ),
    facts=(
        "interpreter",
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
    missing = _interpreter(run, finding, program)
    if missing is not None:
        findings.append("process-interpreter-missing")
        facts["interpreter"] = Fact(missing[0], "credential_process", where)
        sentence = missing[1]
    signing = roles_anywhere_facts(argv, where)
    if signing:
        findings.append("process-roles-anywhere")
        facts.update(signing)
    return Evidence(
        "creds.process-program",
        Status.OK if findings == ["process-program-found"] else Status.PROBLEM,
        f"credential_process of profile '{profile}' ({where}): {sentence}",
        tuple(findings),
        facts,
    )


def _interpreter(run: ProbeInput, finding: str, program: str) -> tuple[str, str] | None:
    """The interpreter a found helper script cannot start, from its `#!` line, else from what
    env printed in the paste (the helper may live on the machine that failed, not here)."""
    if finding == "process-program-found":
        path = program if os.sep in program else shutil.which(program, path=run.ctx.env("PATH"))
        if path is not None:
            missing = interpreter_missing(path, run.ctx.env("PATH"))
            if missing is not None:
                return missing
    said = _ENV_NOT_FOUND.search(run.text)
    if said is not None and finding != "process-command-not-found":
        name = said.group(1)
        return name, f"the error says env found no '{name}', the interpreter of the helper script"
    return None


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
