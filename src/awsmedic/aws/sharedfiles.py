"""The shared AWS files as botocore reads them: where they are, and which profiles they define.

botocore parses `~/.aws/config` and `~/.aws/credentials` into one map of profiles
(`configloader.build_profile_map` plus `Session.full_config`). Here we rebuild that map from the
line-level reading in `inifile`, so that every profile and every setting keeps its file and
line: evidence can then say *where* to look, not only what is wrong.
"""

from __future__ import annotations

import re
import shlex
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from awsmedic.aws.hygiene import printed_as, without_escapes
from awsmedic.aws.inifile import IniFile, Section, scan
from awsmedic.context import Context
from awsmedic.model import Fact, Record

CREDENTIALS, CONFIG = "credentials", "config"
_ENV_VAR = {CREDENTIALS: "AWS_SHARED_CREDENTIALS_FILE", CONFIG: "AWS_CONFIG_FILE"}
_VAR = re.compile(r"\$(\w+)|\$\{([^}]*)\}")


@dataclass(frozen=True, repr=False, eq=False)
class SharedFile(Record):
    """One of the two files: where botocore looks for it, and why there."""

    kind: str  # CREDENTIALS or CONFIG
    path: Path | None  # None when the override variable is set but empty
    source: str  # the variable that set the path, or "default"
    ini: IniFile | None

    @property
    def exists(self) -> bool:
        return self.ini is not None and self.ini.exists

    def where(self, ctx: Context, line: int | None = None) -> str:
        text = ctx.tilde(self.path) if self.path is not None else f"(empty {self.source})"
        return f"{text} line {line}" if line else text


@dataclass(frozen=True, repr=False, eq=False)
class Setting(Record):
    """A value of a profile, with the file, section and line it comes from."""

    value: str
    file: SharedFile
    section: Section
    line: int

    def where(self, ctx: Context) -> str:
        return f"{self.file.where(ctx, self.line)} [{self.section.name}]"


@dataclass(frozen=True, repr=False, eq=False)
class ProfileSite(Record):
    """A section that defines (part of) a profile."""

    name: str
    file: SharedFile
    section: Section

    def where(self, ctx: Context) -> str:
        return f"{self.file.where(ctx, self.section.line)} [{self.section.name}]"


@dataclass(frozen=True, repr=False, eq=False)
class AwsFiles(Record):
    """Both shared files, and botocore's map of their profiles and sso-sessions."""

    credentials: SharedFile
    config: SharedFile
    profiles: Mapping[str, tuple[ProfileSite, ...]] = field(default_factory=dict)
    sso_sessions: Mapping[str, ProfileSite] = field(default_factory=dict)
    #: Config-file sections that are neither profiles nor sso-session/services blocks.
    others: tuple[ProfileSite, ...] = ()
    #: `[profile …]` and `[sso-session …]` headers botocore drops because their name is not one
    #: word (`[profile my dev]`, `[sso-session]`), each named by the name it was meant to have.
    ignored: tuple[ProfileSite, ...] = ()

    @property
    def files(self) -> tuple[SharedFile, SharedFile]:
        return (self.credentials, self.config)

    def facts(self, ctx: Context) -> dict[str, Fact]:
        """The `credentials_file` and `config_file` placeholders, with what chose each path."""
        return {
            "credentials_file": Fact(self.credentials.where(ctx), self.credentials.source),
            "config_file": Fact(self.config.where(ctx), self.config.source),
        }

    def settings(self, profile: str) -> dict[str, Setting]:
        """The profile's settings as botocore merges them: credentials-file values win."""
        merged: dict[str, Setting] = {}
        for site in self.profiles.get(profile, ()):
            for entry in site.section.entries:
                merged[entry.name] = Setting(entry.value, site.file, site.section, entry.line)
        return merged

    def session_settings(self, name: str) -> dict[str, Setting]:
        site = self.sso_sessions.get(name)
        if site is None:
            return {}
        return {
            e.name: Setting(e.value, site.file, site.section, e.line) for e in site.section.entries
        }


def expand(ctx: Context, text: str) -> Path:
    """`os.path.expandvars(os.path.expanduser(p))` as botocore applies it, over ctx's world."""

    def var(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        return ctx.environ.get(name, match.group(0))

    text = _VAR.sub(var, text)
    home = ctx.home if ctx.home is not None else _passwd_home()
    if home is not None and (text == "~" or text.startswith("~/")):
        text = str(home) + text[1:]
    return Path(text)


#: The tools that replace only a leading `~/` in AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE,
#: and read the rest of the path as written, where botocore runs os.path.expandvars and
#: expanduser (configloader.py raw_config_parse): the JavaScript SDK v3
#: (@smithy/core dist-es/submodules/config/shared-ini-file-loader/loadSharedConfigFiles.js:
#: `if (filepath.startsWith("~/")) resolvedFilepath = join(homeDir, filepath.slice(2))`).
_HOME_PREFIX_ONLY = {"js-sdk-v3": "the JavaScript SDK v3"}


@dataclass(frozen=True, repr=False, eq=False)
class LiteralPath(Record):
    """A file variable a tool reads as written, so that it names no file for the tool while
    botocore, which expands it, finds one."""

    kind: str  # credentials | config
    variable: str
    value: str  # as set: `$HOME/.aws/work-credentials`
    expanded: Path  # what botocore (and a shell) makes of it
    reader: str  # how evidence names the tool


def literal_paths(ctx: Context, tool: str | None) -> tuple[LiteralPath, ...]:
    """The file variables that `tool` reads as written where botocore expands them (`$HOME`,
    `${VAR}`, `~user`, a lone `~`), and that name no file as written."""
    import os

    reader = _HOME_PREFIX_ONLY.get(tool or "")
    if reader is None:
        return ()
    found = []
    for kind, var in _ENV_VAR.items():
        value = ctx.env(var)
        # An empty value is not read at all (`process.env[...] || join(home, ".aws", ...)`).
        if not value or value.startswith("~/"):
            continue
        if not (_VAR.search(value) or value.startswith("~")):
            continue
        literal = Path(value)
        if not literal.is_absolute():
            literal = (ctx.cwd or Path(os.getcwd())) / literal
        if literal.exists():
            continue
        expanded = expand(ctx, value)
        if str(expanded).startswith("~"):  # ~user, which botocore's expanduser resolves
            expanded = Path(os.path.expanduser(str(expanded)))
        found.append(LiteralPath(kind, var, value, expanded, reader))
    return tuple(found)


#: The tools that read only `name = value` lines of the shared files, where botocore's
#: configparser takes `name: value` too: the JavaScript SDK v3 (@smithy/core dist-es/submodules/
#: config/shared-ini-file-loader/parseIni.js splits a line at its first `=` and skips a line
#: without one).
EQUALS_ONLY = {"js-sdk-v3": "the JavaScript SDK v3"}


@dataclass(frozen=True, repr=False, eq=False)
class ColonLines(Record):
    """The lines of one profile, in one file, that `reader` does not read as botocore does."""

    file: SharedFile
    lines: tuple[int, ...]
    names: tuple[str, ...]  # the settings they hold, as configparser reads them
    reader: str


def colon_lines(files: AwsFiles, profile: str, tool: str | None) -> tuple[ColonLines, ...]:
    """The settings of `profile` written `name: value`, where `tool` reads only `name = value`
    (so it misses them, or reads a wrong name when an `=` comes later in the value)."""
    from awsmedic.aws.inifile import separator_at

    reader = EQUALS_ONLY.get(tool or "")
    if reader is None:
        return ()
    found = []
    for site in files.profiles.get(profile, ()):
        ini = site.file.ini
        if ini is None:
            continue
        hits = [
            entry
            for entry in site.section.entries
            if (text := ini.text_of(entry.line)) is not None
            and (at := separator_at(text)) >= 0
            and text[at] == ":"
        ]
        if hits:
            lines = tuple(entry.line for entry in hits)
            found.append(ColonLines(site.file, lines, tuple(e.name for e in hits), reader))
    return tuple(found)


def _passwd_home() -> Path | None:
    """Where `~` points without HOME (cron, some services): os.path.expanduser's fallback."""
    try:
        import os
        import pwd

        return Path(pwd.getpwuid(os.getuid()).pw_dir)
    except (ImportError, KeyError, AttributeError):
        return None


def locate(ctx: Context, kind: str) -> tuple[Path | None, str]:
    """Where botocore reads the file of `kind`, and what decided it."""
    var = _ENV_VAR[kind]
    value = ctx.env(var)
    if value is not None:
        return (expand(ctx, value) if value else None), var
    return expand(ctx, f"~/.aws/{kind}"), "default"


def _shared_file(ctx: Context, kind: str) -> SharedFile:
    path, source = locate(ctx, kind)
    return SharedFile(kind, path, source, scan(path) if path is not None else None)


def config_profile_name(section: str) -> tuple[str, str] | None:
    """(block kind, name) for a config-file section, as build_profile_map reads it.

    botocore shlex-splits any section that merely *starts* with `profile`, `sso-session` or
    `services` and keeps it only when that gives exactly two words.
    """
    if section == "default":
        return "profile", "default"
    for prefix in ("profile", "sso-session", "services"):
        if section.startswith(prefix):
            try:
                parts = shlex.split(section)
            except ValueError:
                return None
            return (prefix, parts[1]) if len(parts) == 2 else None
    return None


#: The last maps built, with the readings they were built from (`inifile.scan` gives the same
#: reading for the same bytes, so an unchanged pair of files is mapped once).
_LOADED: list[AwsFiles] = []
_LOADED_LOCK = threading.Lock()
_KEEP_LOADED = 4


def load(ctx: Context) -> AwsFiles:
    credentials = _shared_file(ctx, CREDENTIALS)
    config = _shared_file(ctx, CONFIG)
    with _LOADED_LOCK:
        for files in _LOADED:
            if _same(files.credentials, credentials) and _same(files.config, config):
                return files
    files = _build(credentials, config)
    with _LOADED_LOCK:
        _LOADED.insert(0, files)
        del _LOADED[_KEEP_LOADED:]
    return files


def _same(kept: SharedFile, new: SharedFile) -> bool:
    """The same file at the same place, chosen the same way, read to the same bytes (the very
    same reading: `kept` holds it, so no other reading can take its identity)."""
    return (
        kept.ini is new.ini
        and kept.ini is not None
        and kept.path == new.path
        and kept.source == new.source
    )


def _build(credentials: SharedFile, config: SharedFile) -> AwsFiles:
    profiles: dict[str, list[ProfileSite]] = {}
    sessions: dict[str, ProfileSite] = {}
    others: list[ProfileSite] = []
    ignored: list[ProfileSite] = []
    for section in config.ini.sections if config.ini and config.ini.parses else ():
        named = config_profile_name(section.name)
        if named is None:
            if not section.name.startswith(("profile", "sso-session", "services")):
                others.append(ProfileSite(section.name, config, section))
            elif (meant := _meant_name(section.name)) is not None:
                ignored.append(ProfileSite(meant, config, section))
            continue
        block, name = named
        site = ProfileSite(name, config, section)
        if block == "profile":
            # [default] and [profile default] are one profile; the later section wins.
            profiles.setdefault(name, []).append(site)
        elif block == "sso-session":
            sessions[name] = site
    for section in credentials.ini.sections if credentials.ini and credentials.ini.parses else ():
        profiles.setdefault(section.name, []).append(
            ProfileSite(section.name, credentials, section)
        )
    return AwsFiles(
        credentials,
        config,
        {name: tuple(sites) for name, sites in profiles.items()},
        sessions,
        tuple(others),
        tuple(ignored),
    )


def _meant_name(section: str) -> str | None:
    """The name a `[profile …]` or `[sso-session …]` header botocore drops was meant to have:
    what follows its prefix and a blank, unquoted (`my dev`, or `` for a header with no name);
    None for `[profiledev]` and the like (profilenames reads those) and `[services …]`."""
    for prefix in ("profile", "sso-session"):
        if section == prefix or section.startswith((f"{prefix} ", f"{prefix}\t")):
            rest = section[len(prefix) :].strip()
            if len(rest) >= 2 and rest[0] == rest[-1] and rest[0] in "\"'":
                rest = rest[1:-1]
            return rest
    return None


def ignored_section(files: AwsFiles, block: str, name: str) -> ProfileSite | None:
    """The dropped `[profile …]` (or `[sso-session …]`, with `block`) header meant for `name`."""
    prefix = f"{block} "
    return next(
        (
            site
            for site in files.ignored
            if site.name == name and (site.section.name + " ").startswith(prefix)
        ),
        None,
    )


#: The JavaScript SDK v3 reads a config-file header `[<prefix> <name>]` only when it matches
#: @smithy/core dist-es/submodules/config/shared-ini-file-loader/parseIni.js
#: `prefixKeyRegex = /^([\w-]+)\s(["'])?([\w-@+.%:/]+)\2$/` (JavaScript's `\w` is ASCII only);
#: getConfigData.js then drops any other section but `[default]`.
_JS_SECTION = re.compile(r"^([A-Za-z0-9_-]+)\s([\"'])?([A-Za-z0-9_@+.%:/-]+)\2$")


def js_reads_section(section: str) -> bool:
    """Whether the JavaScript SDK v3 reads this config-file section as a profile or sso-session."""
    found = _JS_SECTION.match(section)
    return section == "default" or (
        found is not None and found.group(1) in ("profile", "sso-session", "services")
    )


def portable_name(name: str) -> str:
    """`name` as botocore and the JavaScript SDK v3 both read it: accents dropped, anything but
    ASCII letters, digits and `_-` made `-` (`my dev` -> `my-dev`, `dév` -> `dev`); "" if
    nothing is left."""
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"-{2,}", "-", re.sub(r"[^A-Za-z0-9_-]", "-", plain)).strip("-")


@dataclass(frozen=True, repr=False, eq=False)
class UnreadProfile(Record):
    """A config-file section meant for a profile that the failing tool does not read."""

    site: ProfileSite
    botocore: bool  # botocore drops it too (else only the JavaScript SDK v3 does)
    reason: str  # for evidence: where it is and why it is skipped
    rename: str  # a name every tool reads ("" when none can be made of it)


def unread_profile(
    ctx: Context, files: AwsFiles, name: str, tool: str | None
) -> UnreadProfile | None:
    """The `[profile …]` section of `name` that botocore drops (a name of more than one word
    for shlex: configloader.py `_parse_section`), or, for the JavaScript SDK v3, one whose name
    its parseIni pattern refuses (a space, a non-ASCII letter)."""
    site = ignored_section(files, "profile", name)
    if site is not None and name:
        rename = portable_name(name)
        where = site.where(ctx)
        reason = (
            f"{where} is ignored: botocore reads a [profile …] header only when its name is one"
            " word, and the JavaScript SDK v3 only a name of ASCII letters, digits and"
            f' _-@+.%:/ ([profile "{name}"] would do for botocore only)'
        )
        return UnreadProfile(site, True, reason, rename)
    if tool != "js-sdk-v3":
        return None
    for site in files.profiles.get(name, ()):
        if site.file.kind == CONFIG and not js_reads_section(site.section.name):
            reason = (
                f"{site.where(ctx)} is skipped by the JavaScript SDK v3, which reads a profile's"
                " name only when it is ASCII letters, digits and _-@+.%:/ (boto3 and the AWS CLI"
                " read it)"
            )
            return UnreadProfile(site, False, reason, portable_name(name))
    return None


# --------------------------------------------------------------------------------------------
# Which profile the failing command used


_TEXT_PROFILE = (
    re.compile(r"The config profile \(([^)\n]*)\) could not be found"),
    re.compile(r"--profile(?:=|\s+)(['\"]?)([^\s'\"]+)\1"),
    re.compile(r"\bAWS_PROFILE=(['\"]?)([^\s'\"]*)\1"),
    re.compile(r"(?<!source_)(?<!source )\bprofile \"([^\"\n]+)\""),
    re.compile(r"AWS profile \"([^\"\n]+)\" doesn't seem to be configured"),
    re.compile(r"failed to get shared config profile, (\S+)"),
    # Other SDKs' words for a profile they did not find (knowledge/trees/profile-not-found.toml)
    re.compile(r"A profile named (\S+) has not been registered"),  # .NET's legacy ProfileManager
    re.compile(r"Unable to find the ([\"'])([^\"'\n]+)\1 profile"),  # .NET
    re.compile(r"Profile file contained no credentials for profile '([^'\n]+)'"),  # Java v2
    re.compile(r"[Nn]o AWS profile named '([^'\n]+)'"),  # Java v1
    re.compile(r"Could not resolve credentials using profile: \[([^\]\n]+)\]"),  # JavaScript v3
)


#: Go's "the source profile of a role profile is missing or has no credentials": it names the
#: role's ARN and the *source* profile (aws-sdk-go-v2 config/shared_config.go
#: SharedConfigAssumeRoleError; aws-sdk-go aws/session/shared_config.go), so the profile that
#: failed is the one with that role_arn and source_profile.
_ROLE_SOURCE = re.compile(
    r"failed to load assume role (?:for )?(arn:[^\s,]+), (?:of profile|source profile) ([^\s,]+)"
)


def role_source_named(text: str) -> bool:
    """Whether the paste is Go's role error, whose profile name is the role's source profile."""
    return _ROLE_SOURCE.search(text) is not None


def profile_in_text(text: str) -> str | None:
    """The profile the pasted error names, if it names one."""
    if _ROLE_SOURCE.search(text):
        return None  # it names the source profile, not the one asked for: see `role_profile`
    for pattern in _TEXT_PROFILE:
        found = pattern.search(text)
        if found:
            return found.groups()[-1]
    return None


#: botocore's order (boto3, botocore, AWS CLI v1: configprovider.py
#: `'profile': (None, ['AWS_DEFAULT_PROFILE', 'AWS_PROFILE'], None)`); AWS CLI v2 reads
#: AWS_PROFILE first. Where the tool is not known, the probes follow botocore and report a
#: disagreement of the two variables (chainwalk.profile_vars).
BOTOCORE_PROFILE_VARS = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
#: The variables a recognised tool reads for its profile, in its order, where that is not
#: botocore's, and how evidence names the tool.
_TOOL_PROFILE_VARS = {
    # @smithy/core dist-es/submodules/config/shared-ini-file-loader/getProfileName.js:
    # `init.profile || process.env[ENV_PROFILE] || DEFAULT_PROFILE`, ENV_PROFILE = "AWS_PROFILE"
    # (AWS_DEFAULT_PROFILE is read nowhere in the JavaScript SDK v3).
    "js-sdk-v3": (("AWS_PROFILE",), "the JavaScript SDK v3"),
}
_BOTOCORE = "boto3, botocore and AWS CLI v1"


def profile_variables(tool: str | None) -> tuple[str, ...]:
    """The variables `tool` selects a profile with, the one it reads first first."""
    return _TOOL_PROFILE_VARS.get(tool or "", (BOTOCORE_PROFILE_VARS, ""))[0]


def profile_readers(tool: str | None) -> str:
    """How evidence names the tools that read `profile_variables(tool)` in that order."""
    return _TOOL_PROFILE_VARS.get(tool or "", ((), _BOTOCORE))[1]


@dataclass(frozen=True, repr=False, eq=False)
class Selection(Record):
    """The profile botocore selects, and what selected it."""

    name: str
    source: str  # --profile, the error text, AWS_DEFAULT_PROFILE, AWS_PROFILE, default
    explicit: bool  # set on the session: environment credentials are then ignored


def profile_selection(ctx: Context) -> tuple[str, str, bool]:
    """The profile botocore selects, what selected it, and whether it counts as explicit."""
    if ctx.profile is not None:
        return ctx.profile, ctx.profile_source, ctx.profile_explicit
    # botocore (and boto3, CLI v1) read AWS_DEFAULT_PROFILE before AWS_PROFILE; CLI v2 the
    # other way round. The conflict is reported (profile_vars) when both are set. A tool that
    # was recognised reads its own (ctx.profile_variables: the JavaScript SDK v3 AWS_PROFILE only).
    for var in ctx.profile_variables:
        value = ctx.env(var)
        if value is not None:
            return value, var, False
    return "default", "default", False


def selected_profile(ctx: Context, text: str = "", recognised: str | None = None) -> Selection:
    """The profile the failing command used, as far as this machine and the paste tell.

    `--profile` given to awsmedic wins; then a profile the paste names (it is what the failing
    command asked for): `recognised`, the one the matcher read (the `{profile}` slot of the
    phrase it matched, or the pasted command line's), else one of the patterns above; then
    botocore's environment order (AWS_DEFAULT_PROFILE before AWS_PROFILE; AWS CLI v2 reads them
    the other way round).
    """
    from_env = Selection(*profile_selection(ctx))
    if from_env.explicit:
        return from_env
    if text and _ROLE_SOURCE.search(text):
        # Go names the role's *source* profile, which a `{profile}` slot of another phrase
        # (`failed to get shared config profile, x`) would take for the one asked for.
        named = _role_profile(ctx, text)
    else:
        # The patterns read the raw paste, stray characters and all; the matcher's slot comes
        # from the cleaned one.
        named = (profile_in_text(text) if text else None) or recognised or None
    if named is not None and not same_name(named, from_env.name):
        return Selection(named, "the error text", "--profile" in text)
    return from_env


def same_name(printed: str, value: str) -> bool:
    """Whether an error that names profile `printed` names `value`: as a terminal shows it, as a
    repr writes it, or both without line ends and invisible characters (a variable set to
    `dev\\r` prints as `dev` and a line break, which the matcher's slot keeps)."""

    def cleaned(name: str) -> str:
        return "".join(c for c in without_escapes(name) if c.isprintable()).strip()

    return printed_as(printed, value) or (
        cleaned(value) != "" and cleaned(printed) == cleaned(value)
    )


def _role_profile(ctx: Context, text: str) -> str | None:
    """The one profile here whose role_arn and source_profile a Go role error names."""
    found = _ROLE_SOURCE.search(text)
    if found is None:
        return None
    arn, source = found.groups()
    files = load(ctx)
    matches = [
        name
        for name in files.profiles
        if (settings := files.settings(name)).get("role_arn") is not None
        and settings["role_arn"].value == arn
        and (settings.get("source_profile") is None or settings["source_profile"].value == source)
    ]
    return matches[0] if len(matches) == 1 else None


CREDENTIAL_KEYS = (
    "aws_access_key_id",
    "aws_secret_access_key",
    "role_arn",
    "sso_account_id",
    "sso_role_name",
    "credential_process",
    "login_session",
    "web_identity_token_file",
)


def profile_kind(settings: Mapping[str, object]) -> str:
    """Which profile provider botocore would use for these settings (credentials.py order)."""
    if "role_arn" in settings and "web_identity_token_file" not in settings:
        return "role"
    if "web_identity_token_file" in settings:
        return "web-identity"
    if "sso_account_id" in settings or "sso_role_name" in settings:
        return "sso"
    # (Keys in the config file rank after credential_process; the difference rarely matters.)
    if "aws_access_key_id" in settings:
        return "static"
    if "login_session" in settings:
        return "login"
    if "credential_process" in settings:
        return "process"
    return "none"


def default_twice(ctx: Context, files: AwsFiles) -> str:
    """`[default]` and `[profile default]` both in the config file: botocore maps both to the
    profile `default` and the later section replaces the earlier one whole
    (botocore/configloader.py build_profile_map), so the earlier one's settings are never read.
    It parses, so it is noted, not a problem: which section holds the value that failed is the
    evidence's to say (config.region names its line)."""
    sites = [site for site in files.profiles.get("default", ()) if site.file.kind == CONFIG]
    if len({site.section.name for site in sites}) < 2:
        return ""
    first, last = sites[0], sites[-1]
    return (
        f"{first.where(ctx)} and {last.where(ctx)} are both the default profile: botocore reads"
        " only the later one's settings"
    )
