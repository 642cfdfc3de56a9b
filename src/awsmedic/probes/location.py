"""files.location: where the shared files are, why there, whether they exist, whose they are.

The commonest reason for "it works in my shell but not in cron/sudo/Docker" is that the process
reads other files than the ones the user edited: another HOME, another user, an override
variable, or the legacy AWS_CREDENTIAL_FILE. botocore treats a missing or unreadable file as
empty and says nothing, so this probe says it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from awsmedic.aws import sharedfiles
from awsmedic.aws.inifile import IniFile, Section, scan
from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

#: Files whose presence means "inside a container" (Docker, Podman).
CONTAINER_MARKERS = (Path("/.dockerenv"), Path("/run/.containerenv"))
_CONTAINER_VARS = (
    "KUBERNETES_SERVICE_HOST",
    "ECS_CONTAINER_METADATA_URI_V4",
    "ECS_CONTAINER_METADATA_URI",
)
_CI_VARS = (
    "GITHUB_ACTIONS",
    "GITLAB_CI",
    "JENKINS_URL",
    "CODEBUILD_BUILD_ID",
    "CIRCLECI",
    "BUILDKITE",
    "TF_BUILD",
    "BITBUCKET_BUILD_NUMBER",
)


def _user_home(uid: int) -> Path | None:
    try:
        import pwd

        return Path(pwd.getpwuid(uid).pw_dir)
    except (ImportError, KeyError):
        return None


def _named_home(user: str) -> Path | None:
    try:
        import pwd

        return Path(pwd.getpwnam(user).pw_dir)
    except (ImportError, KeyError):
        return None


def _file_state(
    ctx: Context,
    file: sharedfiles.SharedFile,
    findings: list[str],
    facts: dict[str, Fact],
    profile: str | None = None,
) -> str:
    """One line on one file; appends findings (and facts for the steps) about it."""
    kind = file.kind
    default = sharedfiles.expand(ctx, f"~/.aws/{kind}")
    # An override that hides an existing file at the default place is the classic mistake.
    hidden = f"; {ctx.tilde(default)} exists but is not read" if default.is_file() else ""
    if file.path is None:
        # `{kind}-file-override`: which variable to unset, so a step names only that one.
        findings += [f"{kind}-file-missing", "file-override-empty", f"{kind}-file-override"]
        if hidden:
            findings.append("file-override-hides-default")
        return f"{kind} file: {file.source} is set but empty, so botocore reads none{hidden}"
    where = f"{kind} file {file.where(ctx)} ({file.source})"
    override = file.source != "default" and file.path != default
    if override:
        findings += ["file-path-override", f"{kind}-file-override"]
    ini = file.ini
    if (ini is None or not ini.exists) and file.path.is_symlink() and not override:
        # botocore's os.path.isfile follows the link: a link to nothing is a missing file.
        findings.append(f"{kind}-file-missing")
        return f"{where}: {_skipped(ctx, file.path, findings, facts)}{hidden}"
    if ini is None or not ini.exists:
        findings.append(f"{kind}-file-missing")
        if override:
            findings.append("file-override-missing")
            if hidden:
                findings.append("file-override-hides-default")
            relative = ""
            if not file.path.is_absolute():
                # botocore opens it as given: from whatever directory the program runs in
                findings.append("file-override-relative")
                relative = "; the path is relative, so it is looked for in the working directory"
            return f"{where}: does not exist{relative}{hidden}"
        return f"{where}: does not exist"
    if ini.error:
        findings.append("file-unreadable")
        if override and hidden:
            findings.append("file-override-hides-default")
        if override:  # the variable is what to fix (it names ~/.aws, say), not the path
            return (
                f"{where}: exists but cannot be read ({ini.error}); botocore treats it as"
                f" empty{hidden}"
            )
        return f"{where}: {_skipped(ctx, file.path, findings, facts)}"
    state = f"{where}: {_owner_and_mode(file.path, findings, kind)}"
    if override and profile is not None:
        shadowed = _hidden_profile(ctx, kind, default, profile, ini)
        if shadowed:
            findings.append("file-override-hides-default")
            state += f"; {shadowed}"
    return state


def _literal_state(ctx: Context, path: sharedfiles.LiteralPath) -> str:
    """`credentials file: AWS_SHARED_CREDENTIALS_FILE='$HOME/…' is ~/… for botocore, …`."""
    from awsmedic.safety.shellquote import POSIX, quote

    relative = (
        ""
        if Path(path.value).is_absolute()
        else " (a relative path, from the directory it runs in)"
    )
    found = "" if path.expanded.is_file() else f"; {ctx.tilde(path.expanded)} does not exist either"
    return (
        f"{path.kind} file: {path.variable}={quote(path.value, POSIX)} is"
        f" {ctx.tilde(path.expanded)} for botocore, which expands it, but {path.reader} replaces"
        f" only a leading ~/ and reads the rest as written: there is no file"
        f" {quote(path.value, POSIX)} for it{relative}{found}"
    )


def _skipped(ctx: Context, path: Path, findings: list[str], facts: dict[str, Fact]) -> str:
    """Why botocore skips a file that is there (a directory, no permission, a symbolic link
    to nothing or in a loop: `os.path.isfile` is false, or configparser cannot open it), with
    the findings and facts a step needs to repair it where it is."""
    findings.append("file-broken-here")
    if "unreadable_file" not in facts:  # the first such file is the one the steps name
        facts["unreadable_file"] = Fact(ctx.tilde(path), "files.location")
    try:
        info = path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            findings.append("file-link-loop")
            return (
                f"{_link_chain(ctx, path)} is a loop of symbolic links (too many levels):"
                " botocore skips it as if it did not exist"
            )
        target = _link_target(path)
        findings.append("file-link-dangling")
        facts.setdefault("link_target", Fact(ctx.tilde(target), "files.location"))
        return (
            f"a symbolic link to {ctx.tilde(target)}, which does not exist: botocore skips it"
            " as if there were no file"
        )
    if stat.S_ISDIR(info.st_mode):
        findings.append("file-is-directory")
        return _directory(ctx, path, findings, facts)
    if not stat.S_ISREG(info.st_mode):
        findings.append("file-not-regular")
        return "it is not a regular file: botocore skips it as if it did not exist"
    if os.access(path, os.R_OK):
        return "it cannot be read: botocore treats it as empty"
    findings.append("file-permission-denied")
    text = f"this user cannot read it (permission denied, mode {stat.filemode(info.st_mode)}"
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid is not None and info.st_uid != euid:
        findings.append("file-owned-by-other-user")
        owner = _user_name(info.st_uid)
        text += f", owned by {owner}, not by this user"
        facts.setdefault("file_owner", Fact(owner, "files.location"))
    return text + "): botocore treats it as empty"


def _link_target(path: Path) -> Path:
    target = Path(os.readlink(path))
    return target if target.is_absolute() else path.parent / target


def _link_chain(ctx: Context, path: Path) -> str:
    """`~/.aws/credentials -> credentials.bak -> credentials`, as far as the loop goes."""
    seen = [path]
    current = path
    while current.is_symlink() and len(seen) < 8:
        current = _link_target(current)
        if current in seen:
            seen.append(current)
            break
        seen.append(current)
    return " -> ".join(ctx.tilde(step) for step in seen)


def _user_name(uid: int) -> str:
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return f"uid {uid}"


def _directory(ctx: Context, path: Path, findings: list[str], facts: dict[str, Fact]) -> str:
    """A directory where the file should be: what is in it, and where it can be moved aside."""
    aside = next(
        candidate
        for candidate in (path.with_name(f"{path.name}.d{n or ''}") for n in range(100))
        if not candidate.exists() and not candidate.is_symlink()
    )
    facts.setdefault("unreadable_file_aside", Fact(ctx.tilde(aside), "files.location"))
    try:
        names = sorted(entry.name for entry in os.scandir(path))[:50]
    except OSError:
        names = None
    if names is None:
        return "it is a directory: botocore skips it as if it did not exist"
    files = [name for name in names if (path / name).is_file()]
    if not names:
        findings.append("file-directory-empty")
        return "it is an empty directory: botocore skips it as if it did not exist"
    inner = path.name if path.name in files else files[0] if len(files) == 1 else None
    listed = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
    if inner is None:
        return f"it is a directory (holding {listed}): botocore skips it as if it did not exist"
    findings.append("file-directory-holds-file")
    facts.setdefault("unreadable_inner_file", Fact(ctx.tilde(aside / inner), "files.location"))
    return (
        f"it is a directory holding {ctx.tilde(path / inner)}: botocore skips it as if it did"
        " not exist, so the file inside is never read"
    )


def _hidden_profile(
    ctx: Context, kind: str, default: Path, profile: str, read: IniFile
) -> str | None:
    """The file at the default place defines the profile in use and the override does not:
    the override hides what the command needed (AWS_SHARED_CREDENTIALS_FILE=~/.aws/config)."""
    header = profile if kind == "credentials" or profile == "default" else f"profile {profile}"

    def defines(ini: IniFile) -> Section | None:
        section = ini.section(header)
        if section is None or (kind == "credentials" and section.get("aws_access_key_id") is None):
            return None
        return section

    if defines(read) is not None or not default.is_file():
        return None
    section = defines(scan(default))
    if section is None:
        return None
    where = f"{ctx.tilde(default)} line {section.line} [{section.name}]"
    return f"{where} defines profile '{profile}' but is not read"


def _owner_and_mode(path: Path, findings: list[str], kind: str) -> str:
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot stat ({exc.strerror})"
    text = f"{info.st_size} bytes, mode {stat.filemode(info.st_mode)}"
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    if euid is not None and info.st_uid != euid:
        findings.append("file-owned-by-other-user")
        text += f", owned by uid {info.st_uid}, not by this user (uid {euid})"
    if info.st_mode & 0o077 and kind == sharedfiles.CREDENTIALS:
        findings.append("file-readable-by-others")
        text += "; other users can read it (chmod 600 it: it holds secret keys)"
    return text


def _legacy(ctx: Context, findings: list[str]) -> str | None:
    value = ctx.env("AWS_CREDENTIAL_FILE")
    if value is None:
        return None
    findings.append("legacy-credential-file-var")
    path = sharedfiles.expand(ctx, value)
    if not path.is_file():
        findings.append("legacy-credential-file-missing")
        return (
            f"AWS_CREDENTIAL_FILE={ctx.tilde(path)} is set and missing: botocore stops with"
            " 'The specified config file (…) could not be found' (it is the legacy EC2 tools"
            " variable, not AWS_SHARED_CREDENTIALS_FILE)"
        )
    return (
        f"AWS_CREDENTIAL_FILE={ctx.tilde(path)} is set (the legacy EC2 tools format"
        " AWSAccessKeyId=/AWSSecretKey=, not the shared credentials file)"
    )


def _who(ctx: Context, findings: list[str]) -> list[str]:
    lines: list[str] = []
    if ctx.home is None:
        findings.append("home-unset")
        lines.append(
            "HOME is not set: botocore falls back to this user's home directory in the"
            " password database"
        )
    euid = os.geteuid() if hasattr(os, "geteuid") else None
    passwd_home = _user_home(euid) if euid is not None else None
    if ctx.home is not None and passwd_home is not None and ctx.home != passwd_home:
        findings.append("home-not-user-home")
        lines.append(f"HOME is {ctx.home}, but this user's home directory is {passwd_home}")
    sudo_user = ctx.env("SUDO_USER")
    if sudo_user and euid == 0:
        findings.append("running-under-sudo")
        theirs = _named_home(sudo_user)
        if theirs is not None and theirs != ctx.home and (theirs / ".aws").is_dir():
            findings.append("sudo-user-has-aws-files")
            lines.append(
                f"running under sudo as root: {sudo_user}'s own files are in {theirs}/.aws,"
                f" which this process ignores (it reads {ctx.home}/.aws)"
            )
        else:
            lines.append(f"running under sudo as root (invoked by {sudo_user}); HOME is {ctx.home}")
    return lines


def _where_running(ctx: Context, findings: list[str]) -> list[str]:
    lines: list[str] = []
    if any(marker.exists() for marker in CONTAINER_MARKERS) or any(
        ctx.env(var) for var in _CONTAINER_VARS
    ):
        findings.append("in-container")
        lines.append("this runs inside a container: its files are the container's, not the host's")
    if ctx.env("CI") == "true" or any(ctx.env(var) for var in _CI_VARS):
        findings.append("in-ci")
        lines.append("this runs in a CI job")
    return lines


#: Findings that mean "the process reads other files than the ones you think".
ELSEWHERE = frozenset(
    {
        "file-override-hides-default",
        "file-override-relative",
        "file-override-unexpanded",
        "file-unreadable",
        "file-broken-here",
        "legacy-credential-file-missing",
        "sudo-user-has-aws-files",
    }
)


@probe(
    "files.location",
    title="Where the AWS files are and whose they are",
    findings=(
        "credentials-file-missing",
        "config-file-missing",
        "aws-files-missing",
        "file-path-override",
        "credentials-file-override",
        "config-file-override",
        "file-override-missing",
        "file-override-empty",
        "file-override-hides-default",
        "file-override-relative",
        "file-override-unexpanded",
        "file-unreadable",
        "file-broken-here",
        "file-is-directory",
        "file-directory-empty",
        "file-directory-holds-file",
        "file-not-regular",
        "file-permission-denied",
        "file-link-loop",
        "file-link-dangling",
        "file-owned-by-other-user",
        "file-readable-by-others",
        "legacy-credential-file-var",
        "legacy-credential-file-missing",
        "home-unset",
        "home-not-user-home",
        "running-under-sudo",
        "sudo-user-has-aws-files",
        "in-container",
        "in-ci",
        "files-elsewhere",
    ),
    facts=(
        "credentials_file",
        "config_file",
        "file_variable",
        "file_path",
        "unreadable_file",
        "unreadable_file_aside",
        "unreadable_inner_file",
        "link_target",
        "file_owner",
    ),
)
def file_location(run: ProbeInput) -> Evidence:
    """Paths botocore reads and what chose them (HOME, env overrides), existence, owner, mode."""
    ctx = run.ctx
    files = sharedfiles.load(ctx)
    findings: list[str] = []
    notes: list[tuple[str, bool]] = []  # (sentence, whether it explains "files elsewhere")

    def note(lines: list[str], before: int) -> None:
        reason = bool(ELSEWHERE & set(findings[before:]))
        notes.extend((line, reason) for line in lines)

    selected = selected_profile(run).name
    facts = files.facts(ctx)
    for file in files.files:
        before = len(findings)
        note([_file_state(ctx, file, findings, facts, selected)], before)
    literal = sharedfiles.literal_paths(ctx, run.recognition.tool if run.recognition else None)
    for path in literal:
        before = len(findings)
        findings += ["file-override-unexpanded", f"{path.kind}-file-override"]
        note([_literal_state(ctx, path)], before)
    if "credentials-file-missing" in findings and "config-file-missing" in findings:
        findings.append("aws-files-missing")
    for helper in (_legacy, _who, _where_running):
        before = len(findings)
        found = helper(ctx, findings)
        note(found if isinstance(found, list) else [found] if found else [], before)
    details = tuple(line for line, _ in notes)
    reasons = [line for line, reason in notes if reason]
    if reasons:
        findings.append("files-elsewhere")
    status = Status.PROBLEM if reasons or "file-readable-by-others" in findings else Status.OK
    summary = "; ".join(reasons[:2] or details[:2])
    if literal:  # the variable to write again, with the path a shell would have made of it
        facts["file_variable"] = Fact(literal[0].variable, "environment")
        if literal[0].expanded.is_absolute():
            facts["file_path"] = Fact(str(literal[0].expanded), "the path expanded")
    findings = list(dict.fromkeys(findings))
    return Evidence("files.location", status, summary, tuple(findings), facts, details)
