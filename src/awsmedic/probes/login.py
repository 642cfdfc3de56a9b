"""login.session: a profile written by `aws login` and the session cache botocore would read.

`aws login` (AWS CLI 2.32.0+) writes `login_session = <arn>` into the profile and caches a
token in `~/.aws/login/cache/<sha256 of the session>.json` (or `AWS_LOGIN_CACHE_DIRECTORY`).
The CLI renews the short-lived credentials from it for up to 12 hours; each renewal rewrites
the file, so a file untouched for longer than that belongs to a session that has ended.
"""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from awsmedic.aws import bounded, sharedfiles
from awsmedic.aws.ages import ago
from awsmedic.context import Context
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status
from awsmedic.probes import ProbeInput, probe, selected_profile

SESSION_LIFETIME = timedelta(hours=12)
_REQUIRED = ("accessToken", "refreshToken", "dpopKey", "clientId")
_ACCESS_KINDS = {
    "accessKeyId": SecretKind.ACCESS_KEY_ID,
    "secretAccessKey": SecretKind.SECRET_KEY,
    "sessionToken": SecretKind.SESSION_TOKEN,
}


def cache_dir(ctx: Context) -> Path:
    """botocore.utils.get_login_token_cache_directory, over ctx's world."""
    override = ctx.env("AWS_LOGIN_CACHE_DIRECTORY")
    return sharedfiles.expand(ctx, override if override else "~/.aws/login/cache")


def _login_profile(files: sharedfiles.AwsFiles, name: str) -> tuple[str, str] | None:
    for _ in range(10):
        settings = files.settings(name)
        if "login_session" in settings:
            return name, settings["login_session"].value
        source = settings.get("source_profile")
        if source is None or "role_arn" not in settings or source.value == name:
            return None
        name = source.value
    return None


def _secrets(token: dict[str, object]) -> tuple[Secret, ...]:
    found: list[Secret] = []
    access = token.get("accessToken")
    if isinstance(access, dict):
        found += [
            Secret(str(access[k]), kind) for k, kind in _ACCESS_KINDS.items() if access.get(k)
        ]
    found += [Secret(str(token[k])) for k in ("refreshToken", "dpopKey") if token.get(k)]
    return tuple(found)


def _state(path: Path, token: dict[str, object], now: datetime) -> tuple[str, str]:
    missing = [field for field in _REQUIRED if field not in token]
    if missing:
        return "login-cache-invalid", f"the cached session lacks {', '.join(missing)}"
    written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    age = now - written
    if age > SESSION_LIFETIME:
        return (
            "login-session-ended",
            f"the cache was last renewed {ago(written, now)}, longer than a login session lasts"
            " (12 h)",
        )
    return "login-cache-recent", f"the cache was renewed {ago(written, now)}"


@probe(
    "login.session",
    title="aws login session",
    findings=(
        "not-login-profile",
        "login-cache-missing",
        "login-cache-invalid",
        "login-session-ended",
        "login-cache-recent",
    ),
    facts=("profile", "iam_user", "account_id", "arn"),
)
def login_session(run: ProbeInput) -> Evidence:
    """Whether the profile uses `aws login`, and the age and shape of its cached session."""
    ctx = run.ctx
    selection = selected_profile(run)
    found = _login_profile(sharedfiles.load(ctx), selection.name)
    facts = {"profile": Fact(selection.name, selection.source)}
    if found is None:
        summary = f"profile '{selection.name}' does not use aws login (no login_session)"
        return Evidence("login.session", Status.OK, summary, ("not-login-profile",), facts)
    profile, session = found
    facts.update(_identity(session))
    digest = hashlib.sha256(session.encode("utf-8")).hexdigest()
    path = cache_dir(ctx) / f"{digest}.json"
    # The full sha256 name looks like a token to the scrubber; its start is enough to find it.
    shown = f"{ctx.tilde(path.parent)}/{digest[:12]}….json"
    finding, sentence, token = _read(path, shown, ctx.now())
    return Evidence(
        "login.session",
        Status.OK if finding == "login-cache-recent" else Status.PROBLEM,
        f"aws login profile '{profile}': {sentence}",
        (finding,),
        facts,
        (sentence,),
        _secrets(token),
    )


_SESSION_ARN = re.compile(
    r"^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(user|assumed-role|root)(?:/(.+))?$"
)


def _identity(session: str) -> dict[str, Fact]:
    """Who signed in, from the login_session ARN: the user and the account steps can name."""
    found = _SESSION_ARN.match(session.strip())
    if found is None:
        return {}
    source = "login_session"
    facts = {"arn": Fact(session.strip(), source), "account_id": Fact(found.group(1), source)}
    if found.group(2) == "user" and found.group(3):
        facts["iam_user"] = Fact(found.group(3).rsplit("/", 1)[-1], source)
    return facts


def _read(path: Path, shown: str, now: datetime) -> tuple[str, str, dict[str, object]]:
    """(finding, sentence, cached token) for the session cache file."""
    try:
        read = bounded.read_file(path, bounded.SMALL_FILE_BYTES)
        if read.cut:
            raise ValueError(f"larger than {bounded.SMALL_FILE_BYTES >> 20} MB")
        token = json.loads(read.data.decode("utf-8"))
    except FileNotFoundError:
        return "login-cache-missing", f"no cached session ({shown} does not exist)", {}
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or type(exc).__name__
        return "login-cache-invalid", f"the cached session {shown} cannot be read ({why})", {}
    token = token if isinstance(token, dict) else {}
    finding, sentence = _state(path, token, now)
    return finding, f"{sentence} ({shown})", token
