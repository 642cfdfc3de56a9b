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
        "process-not-executable",
        "process-program-found",
    ),
    facts=("profile", "config_file"),
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
    facts = {
        "profile": Fact(profile, "credential_process", where),
        **sharedfiles.load(run.ctx).facts(run.ctx),
    }
    return Evidence(
        "creds.process-program",
        Status.OK if finding == "process-program-found" else Status.PROBLEM,
        f"credential_process of profile '{profile}' ({where}): {sentence}",
        (finding,),
        facts,
    )
