"""Sections that were meant to define a profile but do not, and names that nearly match.

botocore finds a profile only under its exact name and header form. When it does not, the
files usually hold the intended section in another form: `[profile dev]` in the credentials
file, `[dev]` in the config file, `[profiledev]`, `[ dev ]`, or `[Dev]`.
"""

from __future__ import annotations

from collections.abc import Iterable

from awsmedic.aws import sharedfiles
from awsmedic.aws.sharedfiles import AwsFiles, SharedFile
from awsmedic.context import Context

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
        meant = (
            section.strip().removeprefix("profile ").strip() if file.kind == "config" else section
        )
        if section != section.strip() and meant.strip() == name:
            return (
                "profile-section-stray-characters",
                f"{file.where(ctx, line)} has [{section}], with spaces inside the brackets",
            )
    return None


def near(files: AwsFiles, name: str) -> str | None:
    from rapidfuzz import fuzz, process, utils

    names = [profile for profile in files.profiles if profile != name]
    if not names:
        return None
    for profile in names:
        if profile.strip().lower() == name.strip().lower():
            return profile
    best = process.extractOne(name, names, scorer=fuzz.ratio, processor=utils.default_process)
    return str(best[0]) if best and best[1] >= NEAR_CUTOFF else None
