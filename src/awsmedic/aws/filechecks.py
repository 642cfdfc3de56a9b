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
from awsmedic.aws.hygiene import value_problems
from awsmedic.aws.inifile import FATAL, Entry, IniFile, Section
from awsmedic.aws.sharedfiles import CONFIG, CREDENTIALS, SharedFile, config_profile_name
from awsmedic.context import Context

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
    return [
        FileProblem(
            ISSUE_FINDINGS[issue.code],
            _where(ctx, file, issue.line),
            issue.message,
            fatal=issue.code in FATAL,
        )
        for issue in ini.issues
        if issue.code in ISSUE_FINDINGS
        and not (issue.code == "continuation" and _nested(ini, issue.owner))
    ]


def _header_problems(ctx: Context, file: SharedFile, section: Section) -> list[FileProblem]:
    where = _where(ctx, file, section.line, section)
    name = section.name
    found: list[FileProblem] = []
    if name != name.strip() or any(not c.isascii() or not c.isprintable() for c in name):
        found.append(
            FileProblem(
                "section-stray-characters",
                where,
                "the section name has spaces at its ends or invisible/non-ASCII characters; "
                "botocore uses the name exactly as written",
                _meant(file, name),
            )
        )
    elif name.lower() in ("default", "profile default") and name not in (
        "default",
        "profile default",
    ):
        found.append(
            FileProblem(
                "section-name-case",
                where,
                "section names are case-sensitive: this is not the default profile",
                "default",
            )
        )
    if file.kind == CREDENTIALS and name.startswith("profile "):
        found.append(
            FileProblem(
                "credentials-file-profile-prefix",
                where,
                f"in the credentials file this names a profile called '{name}'; "
                f"write [{name[len('profile ') :].strip()}] there",
                name[len("profile ") :].strip(),
            )
        )
    if file.kind == CONFIG:
        found += _config_header_problems(where, section)
    return found


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
        return [
            FileProblem(
                "export-line",
                where,
                "a shell `export` line: the key becomes 'export …' and is ignored; write "
                f"`{name[len('export ') :].strip()} = …`",
                profile,
            )
        ]
    meant = misspelling(entry.key)
    if meant is not None:
        return [
            FileProblem(
                "misspelt-key",
                where,
                f"'{entry.key.strip()}' is not a key botocore reads; did you mean '{meant}'?",
                profile,
            )
        ]
    if name == "region":
        return _region_problems(where, entry, profile)
    return []


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
