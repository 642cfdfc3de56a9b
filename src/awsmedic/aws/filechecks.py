"""What is wrong inside the shared files, line by line, beyond what configparser rejects.

`inifile` finds what makes configparser (and so botocore) give up. This module looks for what
parses but means something else than intended: a `[profile x]` header in the credentials file,
a profile section in the config file without its prefix, a misspelt key, an `export` line, an
empty or polluted region, a header with stray characters. Each problem keeps its file, line and
the profile it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass

from awsmedic.aws.configkeys import KNOWN_KEYS, misspelling
from awsmedic.aws.hygiene import value_problems, without_escapes
from awsmedic.aws.inifile import FATAL, Entry, IniFile, Section
from awsmedic.aws.lineedits import (
    clean_region,
    correct_header,
    header_edit,
    header_insert,
    key_edit,
)
from awsmedic.aws.parsecache import ContentCache, memoised_for
from awsmedic.aws.sharedfiles import CONFIG, CREDENTIALS, SharedFile, config_profile_name
from awsmedic.context import Context
from awsmedic.model import Edit

#: inifile issue codes -> finding codes.
ISSUE_FINDINGS = {
    "bom": "file-bom",
    "utf16": "file-utf16",
    "not-utf8": "file-not-utf8",
    "no-section-header": "file-no-section-header",
    "bad-line": "file-bad-line",
    "duplicate-section": "file-duplicate-section",
    "duplicate-key": "file-duplicate-key",
    "continuation": "file-continuation",
}


@dataclass(frozen=True)
class FileProblem:
    finding: str
    where: str  # "~/.aws/config line 3 [profile dev]"
    message: str
    profile: str | None = None  # the profile it is about (for a bad header: the one meant)
    fatal: bool = False
    edit: Edit | None = None  # the exact fix, where the file alone makes it certain

    def describe(self) -> str:
        return f"{self.where}: {self.message}"


def _where(ctx: Context, file: SharedFile, line: int, section: Section | None = None) -> str:
    text = file.where(ctx, line)
    return f"{text} [{section.name}]" if section is not None else text


def profile_of(file: SharedFile, section: Section) -> str | None:
    if file.kind == CREDENTIALS:
        return section.name
    named = config_profile_name(section.name)
    return named[1] if named and named[0] == "profile" else None


def _nested(ini: IniFile, owner: int) -> bool:
    """Whether the key on line `owner` has a value that starts on the next line (`s3 =` and
    indented keys): botocore reads such values as nested settings, the indentation is meant."""
    return any(
        entry.line == owner and entry.value.startswith("\n")
        for section in ini.sections
        for entry in section.entries
    )


def issue_problems(ctx: Context, file: SharedFile) -> list[FileProblem]:
    """What configparser itself stumbles over (inifile issues)."""
    ini = file.ini
    if ini is None:
        return []
    if ini.error:
        why = f"cannot be read ({ini.error}): botocore silently treats it as empty"
        return [FileProblem("file-unreadable", file.where(ctx), why)]
    found = []
    for issue in ini.issues:
        if issue.code not in ISSUE_FINDINGS or (
            issue.code == "continuation" and _nested(ini, issue.owner)
        ):
            continue
        finding = ISSUE_FINDINGS[issue.code]
        where = _where(ctx, file, issue.line)
        edit = None
        if issue.code == "continuation":
            edit = key_edit(ctx, file, issue.line, finding, issue.message, dedent=True)
        elif issue.code == "no-section-header":
            # Keys before any header: the default profile's, when the file has none yet.
            edit = header_insert(ctx, file, issue.line, "default", finding, issue.message)
        found.append(
            FileProblem(finding, where, issue.message, fatal=issue.code in FATAL, edit=edit)
        )
    return found


def _header_problems(ctx: Context, file: SharedFile, section: Section) -> list[FileProblem]:
    where = _where(ctx, file, section.line, section)
    name = section.name
    found: list[FileProblem] = []
    if name != name.strip() or any(not c.isascii() or not c.isprintable() for c in name):
        meant = _meant(file, name)
        message = (
            "the section name has spaces at its ends or invisible/non-ASCII characters; "
            "botocore uses the name exactly as written"
        )
        sso = file.kind == CONFIG and _clean(name).startswith("sso-session ")
        target = _clean(name).removeprefix("sso-session ").strip() if sso else meant
        header = correct_header(file, target, sso)
        edit = header_edit(
            ctx, file, section.line, name, header, "section-stray-characters", message
        )
        found.append(FileProblem("section-stray-characters", where, message, meant, edit=edit))
    elif name.lower() in ("default", "profile default") and name not in (
        "default",
        "profile default",
    ):
        message = "section names are case-sensitive: this is not the default profile"
        edit = header_edit(
            ctx, file, section.line, name, name.lower(), "section-name-case", message
        )
        found.append(FileProblem("section-name-case", where, message, "default", edit=edit))
    if file.kind == CREDENTIALS and name.startswith("profile "):
        meant = name[len("profile ") :].strip()
        message = (
            f"in the credentials file this names a profile called '{name}'; write [{meant}] there"
        )
        finding = "credentials-file-profile-prefix"
        edit = header_edit(ctx, file, section.line, name, meant, finding, message)
        found.append(FileProblem(finding, where, message, meant, edit=edit))
    if file.kind == CONFIG:
        for problem in _config_header_problems(where, section):
            if problem.finding == "config-section-without-prefix":
                sso = problem.profile is None
                header = correct_header(file, name.strip(), sso)
                edit = header_edit(
                    ctx, file, section.line, name, header, problem.finding, problem.message
                )
                problem = FileProblem(
                    problem.finding, where, problem.message, problem.profile, edit=edit
                )
            found.append(problem)
    return found


def _clean(name: str) -> str:
    import unicodedata

    name = without_escapes(name)
    clean = "".join(c for c in name if c.isprintable() and unicodedata.category(c) != "Cf")
    return " ".join(clean.replace("\u00a0", " ").split())


def _config_header_problems(where: str, section: Section) -> list[FileProblem]:
    name = section.name
    if name.startswith(("profile", "sso-session", "services")):
        if config_profile_name(name) is None:
            return [
                FileProblem(
                    "config-section-bad-name",
                    where,
                    "botocore ignores this section: after 'profile' (or 'sso-session') it needs"
                    " a space and exactly one name",
                )
            ]
        return []
    if name != "default" and any(e.name in KNOWN_KEYS for e in section.entries):
        kind = (
            "sso-session" if any(e.name == "sso_start_url" for e in section.entries) else "profile"
        )
        if kind == "sso-session" and not any(e.name == "sso_account_id" for e in section.entries):
            hint = f"an sso-session is written [sso-session {name.strip()}]"
        else:
            kind, hint = "profile", f"a profile is written [profile {name.strip()}] in this file"
        return [
            FileProblem(
                "config-section-without-prefix",
                where,
                f"botocore does not read this section as a {kind}: {hint}",
                name.strip() if kind == "profile" else None,
            )
        ]
    return []


def _meant(file: SharedFile, name: str) -> str:
    """The profile a section with a damaged name was meant to define."""
    import unicodedata

    name = without_escapes(name)
    clean = "".join(c for c in name if c.isprintable() and unicodedata.category(c) != "Cf")
    clean = " ".join(clean.replace("\u00a0", " ").split())
    if file.kind == CONFIG and clean.startswith("profile "):
        return clean[len("profile ") :].strip()
    return clean


def _entry_problems(
    ctx: Context, file: SharedFile, section: Section, entry: Entry
) -> list[FileProblem]:
    where = _where(ctx, file, entry.line, section)
    profile = profile_of(file, section)
    name = entry.name
    if name.startswith("export "):
        key = name[len("export ") :].strip()
        message = (
            f"a shell `export` line: the key becomes 'export …' and is ignored; write `{key} = …`"
        )
        edit = key_edit(ctx, file, entry.line, "export-line", message, key=key)
        return [FileProblem("export-line", where, message, profile, edit=edit)]
    meant = misspelling(entry.key)
    if meant is not None:
        message = f"'{entry.key.strip()}' is not a key botocore reads; did you mean '{meant}'?"
        edit = key_edit(ctx, file, entry.line, "misspelt-key", message, key=meant)
        return [FileProblem("misspelt-key", where, message, profile, edit=edit)]
    if name == "region":
        problems = _region_problems(where, entry, profile)
        return [_with_region_edit(ctx, file, entry, problem) for problem in problems]
    return []


def _with_region_edit(
    ctx: Context, file: SharedFile, entry: Entry, problem: FileProblem
) -> FileProblem:
    meant = clean_region(entry.value) if problem.finding == "region-stray-characters" else None
    if meant is None:
        return problem
    edit = key_edit(ctx, file, entry.line, problem.finding, problem.message, value=meant)
    return FileProblem(problem.finding, problem.where, problem.message, problem.profile, edit=edit)


def _region_problems(where: str, entry: Entry, profile: str | None) -> list[FileProblem]:
    if not entry.value:
        return [
            FileProblem(
                "region-empty",
                where,
                "`region =` has no value (an empty region counts as none)",
                profile,
            )
        ]
    problems = value_problems(entry.value, from_file=True)
    if problems:
        return [
            FileProblem(
                "region-stray-characters", where, "the region has " + "; ".join(problems), profile
            )
        ]
    return []


def content_problems(ctx: Context, file: SharedFile) -> list[FileProblem]:
    """Everything that parses but means something else than intended."""
    if file.ini is None:
        return []
    found: list[FileProblem] = []
    for section in file.ini.sections:
        found += _header_problems(ctx, file, section)
        for entry in section.entries:
            found += _entry_problems(ctx, file, section, entry)
    return found


#: Each reading's problems: `check --all` looks at the same files for every profile.
_PROBLEMS: ContentCache[tuple[object, tuple[FileProblem, ...]]] = ContentCache()


def file_problems(ctx: Context, file: SharedFile) -> list[FileProblem]:
    """`issue_problems` and `content_problems` of `file`, worked out once per reading of it
    (`sharedfiles.load` gives the same SharedFile while the files are unchanged) and home
    directory (the only part of `ctx` they use: paths are shown with `~`)."""
    found: tuple[FileProblem, ...] = memoised_for(
        _PROBLEMS,
        file,
        ctx.home,
        lambda: tuple(issue_problems(ctx, file) + content_problems(ctx, file)),
    )
    return list(found)
