"""files.syntax: both shared files read the way botocore reads them; every problem, file and line.

botocore says only "Unable to parse config file", or nothing at all when a file parses into
something other than intended. This probe names the file, the line, the section and the
profile, and whether the problem touches the profile the failing command used.
"""

from __future__ import annotations

from awsmedic.aws import sharedfiles
from awsmedic.aws.filechecks import ISSUE_FINDINGS, FileProblem, file_problems
from awsmedic.aws.inifile import Entry
from awsmedic.aws.lineedits import key_edit
from awsmedic.aws.profilenames import swapped
from awsmedic.model import Evidence, Fact, Secret, Status
from awsmedic.probes import ProbeInput, probe, selected_profile
from awsmedic.safety.secretscan import file_secrets

#: Problems in the selected profile's own sections get a second, profile-specific finding.
_PROFILE_FINDINGS = {
    "misspelt-key": "profile-misspelt-key",
    "export-line": "profile-export-line",
    "region-empty": "profile-region-empty",
    "region-stray-characters": "profile-region-stray-characters",
    "credentials-file-profile-prefix": "profile-written-with-prefix",
    "config-section-without-prefix": "profile-written-without-prefix",
    "section-stray-characters": "profile-section-stray-characters",
    "section-name-case": "profile-section-name-case",
}

#: The header problems whose edits rewrite a section's form for the file it is in.
_HEADER_FINDINGS = ("credentials-file-profile-prefix", "config-section-without-prefix")


def _swallowed(file: sharedfiles.SharedFile, entry: Entry) -> tuple[str, int] | None:
    """(key, line) of a credential setting merged into `entry` by indentation, if any."""
    if not entry.continued or file.ini is None:
        return None
    # The non-blank continuation lines of a value are the continuation issues it owns, in order.
    lines = [line for line in entry.value.split("\n")[1:] if line]
    owned = [i.line for i in file.ini.issues if i.code == "continuation" and i.owner == entry.line]
    for text, line in zip(lines, owned, strict=False):
        key = text.split("=")[0].split(":")[0].strip().lower()
        if key in sharedfiles.CREDENTIAL_KEYS:
            return key, line
    return None


_PAIR = ("aws_access_key_id", "aws_secret_access_key")


def _pair_problems(run: ProbeInput, files: sharedfiles.AwsFiles, profile: str) -> list[FileProblem]:
    """A key id without its secret (or the other way round), and keys lost to continuations."""
    found: list[FileProblem] = []
    for site in files.profiles.get(profile, ()):
        section = site.section
        names = {entry.name for entry in section.entries}
        where = site.where(run.ctx)
        for entry in section.entries:
            lost = _swallowed(site.file, entry)
            if lost is not None:
                key, line = lost
                message = (
                    f"'{key}' is indented, so it is read as part of '{entry.key}'"
                    f" (line {entry.line}) and the profile has no such key"
                )
                finding = "profile-key-continuation"
                edit = key_edit(run.ctx, site.file, line, finding, message, dedent=True)
                found.append(
                    FileProblem(
                        finding,
                        f"{site.file.where(run.ctx, line)} [{section.name}]",
                        message,
                        profile,
                        edit=edit,
                    )
                )
        for entry in section.entries:
            if entry.name in _PAIR and not entry.value.strip():
                # botocore keeps the empty string as the key: unsigned-looking requests without
                # the CRT, `34 (AWS_ERROR_INVALID_ARGUMENT)` from its signer with it.
                found.append(
                    FileProblem(
                        "profile-empty-credential",
                        f"{site.file.where(run.ctx, entry.line)} [{section.name}]",
                        f"'{entry.key}' has no value",
                        profile,
                    )
                )
        if "aws_access_key_id" in names and "aws_secret_access_key" not in names:
            found.append(
                FileProblem(
                    "profile-missing-secret",
                    where,
                    "has aws_access_key_id but no aws_secret_access_key",
                    profile,
                )
            )
        if "aws_secret_access_key" in names and "aws_access_key_id" not in names:
            found.append(
                FileProblem(
                    "profile-missing-key-id",
                    where,
                    "has aws_secret_access_key but no aws_access_key_id",
                    profile,
                )
            )
    return found


#: The findings this probe can give an exact edit for.
EDIT_FINDINGS = (
    "credentials-file-profile-prefix",
    "config-section-without-prefix",
    "section-stray-characters",
    "section-name-case",
    "misspelt-key",
    "export-line",
    "region-stray-characters",
    "file-continuation",
    "file-no-section-header",
    "profile-key-continuation",
)


def _rank(problem: FileProblem, profile: str) -> int:
    """What botocore rejects outright first, then what touches the selected profile."""
    if problem.fatal:
        return 0
    return 1 if problem.profile == profile or problem.finding.startswith("profile-") else 2


def _findings(problems: list[FileProblem], profile: str) -> list[str]:
    findings = [p.finding for p in problems]
    if any(p.fatal for p in problems):
        findings.append("file-parse-error")
    findings += [
        _PROFILE_FINDINGS[p.finding]
        for p in problems
        if p.profile == profile and p.finding in _PROFILE_FINDINGS
    ]
    return list(dict.fromkeys(findings))


@probe(
    "files.syntax",
    title="AWS config and credentials files, line by line",
    findings=(
        "file-parse-error",
        "file-unreadable",
        *ISSUE_FINDINGS.values(),
        "credentials-file-profile-prefix",
        "config-section-without-prefix",
        "config-section-bad-name",
        "section-stray-characters",
        "section-name-case",
        "misspelt-key",
        "export-line",
        "region-empty",
        "region-stray-characters",
        *_PROFILE_FINDINGS.values(),
        "profile-key-continuation",
        "profile-missing-secret",
        "profile-missing-key-id",
        "profile-empty-credential",
        "files-clean",
        "file-crlf",
        "config-default-twice",
    ),
    facts=("profile", "credentials_file", "config_file"),
    edits=EDIT_FINDINGS,
)
def file_syntax(run: ProbeInput) -> Evidence:
    """Re-read both files as configparser would; report each problem with file and line."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    selection = selected_profile(run)
    problems: list[FileProblem] = []
    for file in files.files:
        problems += file_problems(ctx, file)
    problems += _pair_problems(run, files, selection.name)
    problems.sort(key=lambda problem: _rank(problem, selection.name))
    facts = {"profile": Fact(selection.name, selection.source), **files.facts(ctx)}
    # CRLF is harmless to botocore (Python reads universal newlines), so it is only noted.
    crlf = tuple(
        f"{f.where(ctx)} has Windows (CRLF) line endings, which botocore reads fine"
        for f in files.files
        if f.ini is not None and f.ini.crlf
    )
    noted: tuple[str, ...] = ("file-crlf",) if crlf else ()
    twice = sharedfiles.default_twice(ctx, files)
    if twice:
        noted += ("config-default-twice",)
    if not problems:
        present = " and ".join(f.where(ctx) for f in files.files if f.exists)
        summary = f"{present} parse cleanly" if present else "neither file exists"
        if twice:
            summary += f"; {twice}"
        findings: tuple[str, ...] = ("files-clean", *noted)
        status = Status.OK
    else:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        summary = f"{problems[0].describe()}{more}"
        findings = (*_findings(problems, selection.name), *noted)
        status = Status.PROBLEM
    details = tuple(p.describe() for p in problems) + crlf + ((twice,) if twice else ())
    # With AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE swapped, each header is right for
    # the file it is in: rewriting it would fit the files to the wrong variables (audit 5 s15).
    wrong = _HEADER_FINDINGS if swapped(ctx, files) is not None else ()
    edits = tuple(
        dict.fromkeys(p.edit for p in problems if p.edit is not None and p.finding not in wrong)
    )
    return Evidence(
        "files.syntax", status, summary, findings, facts, details, _secrets(files), edits=edits
    )


def _secrets(files: sharedfiles.AwsFiles) -> tuple[Secret, ...]:
    """Every credential value in the files, for the scrubber (values never leave the probe)."""
    found: list[Secret] = []
    for file in files.files:
        if file.path is not None and file.exists:
            found += file_secrets(file.path)
    return tuple(found)
