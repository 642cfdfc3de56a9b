"""values.hygiene: stray characters in credentials, profile names and regions, with file and line.

botocore sends environment variables verbatim and file values as configparser reads them
(surrounding whitespace stripped; quotes, inline comments and invisible characters kept), so a
value that looks right on screen can be a different string on the wire. The files are read with
`inifile.scan` (configparser's rules, with line numbers); values are described, never shown.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

from awsmedic.aws.hygiene import value_problems
from awsmedic.aws.inifile import IniFile, Section, scan
from awsmedic.aws.parsecache import ContentCache, memoised_for
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import ChainReport

CREDENTIAL_KEYS = ("aws_access_key_id", "aws_secret_access_key", "aws_session_token")
TOKEN_KEYS = ("aws_session_token", "aws_security_token")
NAME_KEYS = ("source_profile", "region", "sso_region")
ENV_CREDENTIALS = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
)
ENV_PROFILES = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE")
ENV_REGIONS = ("AWS_DEFAULT_REGION", "AWS_REGION")


@dataclass(frozen=True)
class Flaw:
    kind: str  # credential, profile, region, setting
    where: str  # "~/.aws/credentials:3 [default] aws_access_key_id" or "AWS_PROFILE"
    problem: str
    used: bool  # part of what the failing request sends or selects


def profile_of(section: str, config_file: bool) -> str | None:
    """The profile a section defines (botocore's build_profile_map), or None."""
    if not config_file:
        return section
    if section == "default":
        return "default"
    if section.startswith("profile"):
        try:
            parts = shlex.split(section)
        except ValueError:
            return None
        return parts[1] if len(parts) == 2 and parts[0] == "profile" else None
    return None


def _header_problems(section: Section, config_file: bool) -> list[str]:
    """What is odd about a section name: padding inside the brackets, quotes, invisible marks."""
    problems = value_problems(section.name)
    if config_file and section.name.startswith("profile"):
        problems = [p for p in problems if p != "whitespace inside the value"]
        if profile_of(section.name, True) is None and len(section.name.split()) > 2:
            problems.append("more than one word after 'profile': botocore ignores the section")
    return problems


@dataclass(frozen=True)
class _Found:
    """A flaw of a file, before it is known which profiles the failing command uses."""

    kind: str
    where: str
    problem: str
    profile: str | None  # the profile of its section
    credential: bool  # a key or token: used only where the keys sent are this profile's


#: Each reading's flaws: `check --all` looks at the same files for every profile.
_FOUND: ContentCache[tuple[object, tuple[_Found, ...]]] = ContentCache()


def _found_in(ini: IniFile, shown: str, config_file: bool) -> tuple[_Found, ...]:
    """Every flaw of the file, in file order; worked out once per reading of it (`scan` gives
    the same IniFile for the same bytes)."""
    return memoised_for(
        _FOUND, ini, (shown, config_file), lambda: tuple(_find(ini, shown, config_file))
    )


def _find(ini: IniFile, shown: str, config_file: bool) -> list[_Found]:
    found: list[_Found] = []
    for section in ini.sections:
        profile = profile_of(section.name, config_file)
        for problem in _header_problems(section, config_file):
            where = f"{shown}:{section.line} [{section.name.strip()}]"
            found.append(
                _Found("profile", where, f"the section name has {problem}", profile, False)
            )
        for entry in section.entries:
            where = f"{shown}:{entry.line} [{section.name.strip()}] {entry.key.strip()}"
            if not entry.name.isascii():
                message = "the key name has non-ASCII characters"
                found.append(_Found("setting", where, message, profile, False))
            if entry.name in CREDENTIAL_KEYS + TOKEN_KEYS:
                kind, credential = "credential", True
            elif entry.name in NAME_KEYS:
                kind, credential = ("region" if "region" in entry.name else "profile"), False
            else:
                continue
            for problem in value_problems(entry.value, from_file=True):
                found.append(_Found(kind, where, problem, profile, credential))
    return found


def _file_flaws(
    ini: IniFile, shown: str, config_file: bool, in_use_profiles: set[str], keys_profile: str
) -> list[Flaw]:
    """`keys_profile` names the profile whose keys in *this* file are sent ("" for none)."""
    return [
        Flaw(
            found.kind,
            found.where,
            found.problem,
            (bool(keys_profile) and found.profile == keys_profile)
            if found.credential
            else found.profile in in_use_profiles,
        )
        for found in _found_in(ini, shown, config_file)
        # `[profile dév]` selected as `dév`: botocore reads and finds it, a letter is no stray
        # character (the JavaScript SDK v3 skips it: config.region says so for that tool)
        if not (found.profile in in_use_profiles and _a_letter(found.problem))
    ]


def _a_letter(problem: str) -> bool:
    """Whether a problem is only a non-ASCII letter (`é`), not an invisible or control mark."""
    import re
    import unicodedata

    found = re.search(r"non-ASCII character U\+([0-9A-F]{4,6})", problem)
    return found is not None and unicodedata.category(chr(int(found.group(1), 16))).startswith("L")


def _env_flaws(run: ProbeInput, env_keys_used: bool) -> list[Flaw]:
    from awsmedic.aws import sharedfiles

    flaws = []
    files = sharedfiles.load(run.ctx)
    defined = files.profiles
    groups = (
        (ENV_CREDENTIALS, "credential", env_keys_used),
        (ENV_PROFILES, "profile", True),
        (ENV_REGIONS, "region", True),
    )
    for names, kind, used in groups:
        for var in names:
            value = run.ctx.env(var)
            if value is not None:
                problems = value_problems(value)
                if kind == "profile" and value in defined:  # a name botocore finds as it is
                    problems = [p for p in problems if not _a_letter(p)]
                if kind == "profile" and sharedfiles.ignored_section(files, "profile", value):
                    # `[profile my dev]`: the name is written the same in both places, and the
                    # header is what botocore drops (config.profile says so)
                    problems = [p for p in problems if p != "whitespace inside the value"]
                flaws += [Flaw(kind, var, p, used) for p in problems]
    return flaws


def _flaws(run: ProbeInput, report: ChainReport) -> list[Flaw]:
    keys = report.keys
    in_use = {report.profile, report.source_profile} - {""}
    flaws = _env_flaws(run, keys is not None and keys.method == "env")
    for path, config_file in ((report.credentials_file, False), (report.config_file, True)):
        ini = scan(Path(path).expanduser())
        if ini.exists and not ini.error:
            shown = run.ctx.tilde(path)
            sent_here = keys is not None and keys.location.startswith(f"{shown} [")
            keys_profile = keys.profile if keys is not None and sent_here else ""
            flaws += _file_flaws(ini, shown, config_file, in_use, keys_profile)
    return flaws


_FINDING = {
    ("credential", True): "credential-value-stray-characters",
    ("credential", False): "credential-stray-characters-elsewhere",
    ("profile", True): "profile-name-stray-characters",
    ("profile", False): "profile-name-stray-characters-elsewhere",
    ("region", True): "region-stray-characters",
    ("region", False): "region-stray-characters-elsewhere",
    ("setting", True): "setting-name-stray-characters",
    ("setting", False): "setting-name-stray-characters",
}


def _where_found(run: ProbeInput, flaws: list[Flaw]) -> tuple[str, ...]:
    """Whether the flaws are in variables, in the files, and whether a variable ends in a
    carriage return (exported from a file saved with Windows line endings): the steps that
    fix a variable are not those that fix a file."""
    variables = ENV_CREDENTIALS + ENV_PROFILES + ENV_REGIONS
    found: list[str] = []
    if any(f.kind == "credential" and f.where in ENV_CREDENTIALS for f in flaws):
        found.append("credential-env-stray-characters")
    if any(f.where not in variables for f in flaws):
        found.append("file-value-stray-characters")
    if any((run.ctx.env(name) or "").endswith("\r") for name in variables):
        found.append("env-line-ending")
    return tuple(found)


@probe(
    "values.hygiene",
    title="Stray characters in credentials, profile names and regions",
    findings=(
        *dict.fromkeys(_FINDING.values()),
        "region-env-stray-characters",
        "credential-env-stray-characters",
        "file-value-stray-characters",
        "env-line-ending",
        "values-clean",
        "values-checked",
    ),
    facts=("region_variable",),
)
def value_hygiene(run: ProbeInput) -> Evidence:
    """Whitespace, quotes, CR, BOM, zero-width and non-ASCII characters, with file and line."""
    report = run.world.chain()
    flaws = sorted(_flaws(run, report), key=lambda f: not f.used)
    if not flaws:
        return Evidence(
            "values.hygiene",
            Status.OK,
            "no stray characters in credentials, profile names or regions (files and environment)",
            ("values-clean", "values-checked"),
        )
    # `values-checked`: every value was looked at, so a region flaw not reported is known absent
    # (steps need not wait for files.syntax, which reads the same region lines).
    findings = (*dict.fromkeys(_FINDING[(f.kind, f.used)] for f in flaws), "values-checked")
    # A region variable outranks the profile's region: `aws configure set region` cannot fix it.
    region_vars = [f.where for f in flaws if f.kind == "region" and f.where in ENV_REGIONS]
    facts = {}
    if region_vars:
        findings += ("region-env-stray-characters",)
        facts["region_variable"] = Fact(region_vars[0], "environment")
    findings += _where_found(run, flaws)
    details = tuple(
        f"{f.where}: {f.problem}" + ("" if f.used else " (not used by this command)") for f in flaws
    )
    return Evidence(
        "values.hygiene",
        Status.PROBLEM,
        details[0] + (f" (and {len(details) - 1} more)" if len(details) > 1 else ""),
        findings,
        facts,
        details=details,
    )
