"""Sections that were meant to define a profile but do not, and names that nearly match.

botocore finds a profile only under its exact name and header form. When it does not, the
files usually hold the intended section in another form: `[profile dev]` in the credentials
file, `[dev]` in the config file, `[profiledev]`, `[ dev ]`, or `[Dev]`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from awsmedic.aws import sharedfiles
from awsmedic.aws.hygiene import value_problems, visible, without_escapes
from awsmedic.aws.sharedfiles import AwsFiles, SharedFile
from awsmedic.context import Context
from awsmedic.model import Edit, Fact

#: rapidfuzz ratio (0-100) for a profile name to count as "probably meant".
NEAR_CUTOFF = 75


def defines(file: SharedFile, section: str, name: str) -> bool:
    """Whether `section` of `file` is a correct header for profile `name`."""
    if file.kind == sharedfiles.CREDENTIALS:
        return section == name
    return sharedfiles.config_profile_name(section) == ("profile", name)


def sections(files: AwsFiles) -> Iterable[tuple[sharedfiles.SharedFile, str, int]]:
    for file in files.files:
        for section in file.ini.sections if file.ini is not None else ():
            yield file, section.name, section.line


def wrong_form(ctx: Context, files: AwsFiles, name: str) -> tuple[str, str] | None:
    """(finding, evidence) when a section was meant to define `name` but does not."""
    for file, section, line in sections(files):
        if defines(file, section, name):
            continue
        where = f"{file.where(ctx, line)} has [{section}]"
        if file.kind == sharedfiles.CREDENTIALS and section.startswith("profile "):
            if section[len("profile ") :].strip() == name:
                return (
                    "profile-written-with-prefix",
                    f"{where}, which in the credentials file names a profile called"
                    f" '{section}' (write [{name}] there)",
                )
        elif file.kind == sharedfiles.CONFIG and section.strip() == name and name != "default":
            return (
                "profile-written-without-prefix",
                f"{where}, which in the config file is not a profile (write [profile {name}])",
            )
        elif file.kind == sharedfiles.CONFIG and section.replace(" ", "") == f"profile{name}":
            return (
                "profile-bad-header",
                f"{where}, which botocore ignores (write [profile {name}])",
            )
    for file, section, line in sections(files):
        if stray_meant(file, section) == name:
            return "profile-section-stray-characters", _stray_reason(ctx, file, section, line)
    return None


#: Config-file section prefixes (botocore configloader.build_profile_map); a credentials file
#: has none.
_CONFIG_PREFIXES = ("profile ", "sso-session ", "services ")


def _looks_like_config(file: SharedFile) -> bool:
    """A file with `[profile x]` or `[sso-session x]` sections: written as a config file."""
    names = [section.name for section in file.ini.sections] if file.ini is not None else []
    return any(name.startswith(_CONFIG_PREFIXES) for name in names)


def _looks_like_credentials(file: SharedFile) -> bool:
    """A file whose sections carry no config-file prefix and that holds a named profile or an
    access key: written as a credentials file."""
    found = file.ini.sections if file.ini is not None else ()
    if not found or any(section.name.startswith(_CONFIG_PREFIXES) for section in found):
        return False
    return any(
        section.name != "default" or section.get("aws_access_key_id") is not None
        for section in found
    )


def swapped(ctx: Context, files: AwsFiles) -> str | None:
    """Evidence when AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are swapped: the file
    botocore reads as the config file is written as a credentials file, and the other way
    round. botocore reads each variable as its name says (configprovider.py `config_file`,
    `credentials_file`), so each file's headers then name the wrong profiles; the fix is the
    two variables, not the files."""
    config, credentials = files.config, files.credentials
    if config.source != "AWS_CONFIG_FILE" or credentials.source != "AWS_SHARED_CREDENTIALS_FILE":
        return None
    if not (_looks_like_credentials(config) and _looks_like_config(credentials)):
        return None
    return (
        f"AWS_CONFIG_FILE names {config.where(ctx)}, written as a credentials file, and"
        f" AWS_SHARED_CREDENTIALS_FILE names {credentials.where(ctx)}, written as a config"
        " file ([profile ...] sections): the two variables are swapped"
    )


def _stray_reason(ctx: Context, file: SharedFile, section: str, line: int) -> str:
    said = (
        "with spaces inside the brackets"
        if section.strip().isprintable()
        else f"whose name has {'; '.join(value_problems(section))}"
    )
    return f"{file.where(ctx, line)} has [{visible(section)}], {said}"


def stray_meant(file: SharedFile, section: str) -> str | None:
    """The profile a section whose name has stray characters (spaces at its ends, escape
    sequences, control or invisible characters) was meant to define; None for a clean name."""
    clean = cleaned(section)
    if clean == section:
        return None
    if file.kind == sharedfiles.CONFIG:
        return clean.removeprefix("profile ").strip()
    return clean


def cleaned(name: str) -> str:
    """`name` without escape sequences, control and invisible characters, and spaces at its
    ends (inner runs of spaces made one): the name a damaged header was meant to have."""
    clean = without_escapes(name)
    clean = "".join(c for c in clean if c.isprintable() and unicodedata.category(c) != "Cf")
    return " ".join(clean.replace("\u00a0", " ").split())


#: What may follow a profile name only when something else was run on to it: a shell's
#: separators and substitutions, quotes, a comment, whitespace.
_RUN_ON = re.compile(r"[;&|`$()'\"#\s]")


def near(files: AwsFiles, name: str) -> str | None:
    from rapidfuzz import fuzz, process, utils

    names = [profile for profile in files.profiles if profile != name]
    if not names:
        return None
    for profile in names:
        if profile.strip().lower() == name.strip().lower():
            return profile
    # A defined name with something run on after it that no typed name has (`dev;touch x`,
    # `dev # comment`, `dev"`): the defined name is the one meant, however long the rest.
    prefixed = [p for p in names if p and _RUN_ON.match(name, len(p)) and name.startswith(p)]
    if prefixed:
        return max(prefixed, key=len)
    best = process.extractOne(name, names, scorer=fuzz.ratio, processor=utils.default_process)
    return str(best[0]) if best and best[1] >= NEAR_CUTOFF else None


#: Profile kinds that can give a role profile its source credentials, best first, as shown.
_SOURCE_KINDS = {
    "static": "access keys",
    "sso": "IAM Identity Center",
    "login": "aws login",
    "process": "credential_process",
    "web-identity": "web identity",
    "role": "assumes a role",
}


def _reaches(files: AwsFiles, start: str, target: str) -> bool:
    """Whether following source_profile from `start` arrives at `target` (a loop)."""
    seen: set[str] = set()
    current: str | None = start
    while current is not None and current not in seen:
        if current == target:
            return True
        seen.add(current)
        source = files.settings(current).get("source_profile")
        current = source.value if source is not None else None
    return False


def usable_sources(files: AwsFiles, role_profile: str, meant: str = "") -> list[tuple[str, str]]:
    """Configured profiles that could serve as `role_profile`'s source_profile, best first:
    the name nearest to `meant`, then profiles with access keys, then the other kinds."""
    from rapidfuzz import fuzz, utils

    ranked: list[tuple[int, int, float, str, str]] = []
    order = list(_SOURCE_KINDS)
    for name in files.profiles:
        if name == role_profile or _reaches(files, name, role_profile):
            continue
        settings = files.settings(name)
        kind = sharedfiles.profile_kind(settings)
        keys = {"aws_access_key_id", "aws_secret_access_key"} <= set(settings)
        if kind not in _SOURCE_KINDS or (kind == "static" and not keys):
            continue
        score = fuzz.ratio(meant, name, processor=utils.default_process) if meant else 0.0
        near_rank = 0 if meant and score >= NEAR_CUTOFF else 1
        ranked.append((near_rank, order.index(kind), -score, name, _SOURCE_KINDS[kind]))
    ranked.sort()
    return [(name, why) for _, _, _, name, why in ranked]


def wrong_form_edits(ctx: Context, files: AwsFiles, name: str) -> tuple[Edit, ...]:
    """The edits that make the sections meant for `name` define it (see `wrong_form`): one
    for the first such section, and one for each other section of the same kind of damage (the
    same stray characters pasted into both files' headers)."""
    from awsmedic.aws.lineedits import correct_header, header_edit

    found = wrong_form(ctx, files, name)
    if found is None:
        return ()
    finding, reason = found
    edits: list[Edit] = []
    for file, section, line in sections(files):
        if defines(file, section, name):
            continue
        stray = stray_meant(file, section)
        text = section.strip()
        if file.kind == sharedfiles.CONFIG:
            meant = text[len("profile") :].strip() if text.startswith("profile") else text
        else:
            meant = text.removeprefix("profile ").strip()
        if meant != name and stray != name:
            continue
        if edits and (stray == name) != (finding == "profile-section-stray-characters"):
            continue  # another kind of damage: its own finding says so
        why = _stray_reason(ctx, file, section, line) if edits and stray == name else reason
        header = correct_header(file, name)
        edit = header_edit(ctx, file, line, section, header, finding, why)
        if edit is not None:
            edits.append(edit)
    return tuple(edits)


def unread_fix(
    ctx: Context,
    files: AwsFiles,
    unread: sharedfiles.UnreadProfile,
    selection: sharedfiles.Selection,
    finding: str,
    variables: tuple[str, ...],
) -> tuple[dict[str, Fact], tuple[Edit, ...]]:
    """For a profile section the failing tool does not read (`[profile my dev]`): the name it
    can take (`suggested_profile`, unless another profile has it), the variable that then
    selects it (`profile_variable`), and the edit of its header line."""
    from awsmedic.aws.lineedits import header_edit

    facts: dict[str, Fact] = {}
    if selection.source in variables:
        facts["profile_variable"] = Fact(selection.source, "environment")
    if not unread.rename or unread.rename in files.profiles:
        return facts, ()
    facts["suggested_profile"] = Fact(
        unread.rename, "the section's name in letters every tool reads"
    )
    site = unread.site
    header = f"profile {unread.rename}"
    edit = header_edit(
        ctx, site.file, site.section.line, site.section.name, header, finding, unread.reason
    )
    return facts, (edit,) if edit is not None else ()
