"""creds.process: run the profile's credential_process once, the way botocore does, and check it.

botocore splits the command into words (no shell), runs it, and wants exit status 0 and a JSON
object on stdout with `Version` 1, `AccessKeyId`, `SecretAccessKey` (optionally `SessionToken`,
`Expiration`). We do the same with three differences that keep it safe: a short timeout, stdin
closed and a new session (so a helper cannot prompt on the user's terminal), and we report only
the *shape* of what it printed, never a value. It runs only when the walk reaches it and the
user agrees (no prefetch: the consultation asks `consent:creds.process` first), because the
helper is someone else's program: it may open a browser or touch its own caches.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from awsmedic.aws import bounded, sharedfiles
from awsmedic.model import Evidence, Fact, Secret, SecretKind, Status
from awsmedic.probes import Consent, ProbeInput, probe, selected_profile

PROCESS_TIMEOUT_SECONDS = bounded.HELPER_TIMEOUT_SECONDS
_SHELL_SYNTAX = ("|", ">", "<", "&&", ";", "`", "$(", "${", "$")
_REQUIRED = ("AccessKeyId", "SecretAccessKey")
Secrets = tuple[Secret, ...]
_KINDS = {
    "AccessKeyId": SecretKind.ACCESS_KEY_ID,
    "SecretAccessKey": SecretKind.SECRET_KEY,
    "SessionToken": SecretKind.SESSION_TOKEN,
}


def command_of(run: ProbeInput) -> tuple[str, str, str] | None:
    """(profile, command, where) of the helper the failing command ran, if any."""
    files = sharedfiles.load(run.ctx)
    selection = selected_profile(run)
    profile = selection.name
    for _ in range(10):  # a role profile takes its credentials from its source_profile
        settings = files.settings(profile)
        if "credential_process" in settings:
            setting = settings["credential_process"]
            return profile, setting.value, setting.where(run.ctx)
        source = settings.get("source_profile")
        if source is None or source.value == profile or "role_arn" not in settings:
            return None
        profile = source.value
    return None


def _tail(stderr: bytes, scrub: Callable[[str], str]) -> str:
    """The helper's last line on stderr, scrubbed like a paste: it may quote a password or a
    token of its own (`password=...`), which no probe has seen."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    last = scrub(next((line for line in reversed(lines) if line), ""))
    return last[:200] + ("…" if len(last) > 200 else "")


def _stdout_shape(out: bytes) -> str:
    text = out.decode("utf-8", "replace").strip()
    if text.startswith(("export ", "AWS_", "set ", "$Env:")):
        return "shell variable assignments (an env format), not the JSON credential_process needs"
    if text.startswith("{"):
        return "something that starts like JSON but does not parse"
    lines = len(text.splitlines())
    return f"{lines} line(s) of text that is not JSON (a prompt, banner or log message?)"


def check_output(out: bytes, now: datetime) -> tuple[str, str, Secrets]:
    """(finding, sentence, secrets) for what a helper printed; values never leave here."""
    if not out.strip():
        return "process-stdout-empty", "it printed nothing on stdout", ()
    try:
        data = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "process-stdout-not-json", f"its stdout is {_stdout_shape(out)}", ()
    if not isinstance(data, dict):
        return "process-stdout-not-json", "its stdout is JSON but not an object", ()
    secrets = tuple(
        Secret(data[key], kind)
        for key, kind in _KINDS.items()
        if isinstance(data.get(key), str) and data[key]
    )
    keys = ", ".join(sorted(str(key) for key in data))
    if data.get("Version") != 1:
        version = data.get("Version", "missing")
        return (
            "process-bad-version",
            f"its JSON has Version {version!r}, not 1 (keys: {keys})",
            secrets,
        )
    missing = [key for key in _REQUIRED if not data.get(key)]
    if missing:
        return (
            "process-missing-keys",
            f"its JSON lacks {', '.join(missing)} (keys: {keys})",
            secrets,
        )
    expiration = data.get("Expiration")
    if expiration is not None:
        try:
            expiry = datetime.fromisoformat(str(expiration).replace("Z", "+00:00"))
        except ValueError:
            return "process-bad-expiration", "its Expiration is not an ISO 8601 time", secrets
        if expiry.tzinfo is None or expiry <= now:
            return "process-expired", f"its credentials expired at {expiration}", secrets
    mismatch = _token_mismatch(str(data["AccessKeyId"]).strip(), data.get("SessionToken"))
    if mismatch is not None:
        return (*mismatch, secrets)
    return "process-ok", f"it printed valid credentials JSON (keys: {keys})", secrets


def _token_mismatch(key_id: str, token: object) -> tuple[str, str] | None:
    """A key id and a SessionToken that cannot go together: botocore sends both as printed
    (credentials.py ProcessProvider), and AWS refuses the pair with InvalidClientTokenId."""
    if key_id.startswith("AKIA") and token:
        return (
            "process-token-with-long-term-key",
            "it prints a long-term AKIA key together with a SessionToken, which such a key never"
            " takes (a token left over from other credentials?)",
        )
    if key_id.startswith("ASIA") and not token:
        return (
            "process-temporary-key-without-token",
            "it prints a temporary ASIA key without the SessionToken issued with it",
        )
    return None


def _execute(
    argv: list[str], env: dict[str, str], now: datetime, scrub: Callable[[str], str]
) -> tuple[str, str, Secrets]:
    """(finding, sentence, secrets) for one run of the helper."""
    if not argv:
        return "process-command-not-found", "the command is empty", ()
    try:
        ran = bounded.run(argv, env, timeout=PROCESS_TIMEOUT_SECONDS)
    except FileNotFoundError:
        return "process-command-not-found", f"the program '{argv[0]}' was not found", ()
    except PermissionError:
        return "process-not-executable", f"the program '{argv[0]}' is not executable", ()
    except OSError as exc:
        return "process-exit-nonzero", f"'{argv[0]}' could not be started ({exc.strerror})", ()
    limit = f"{bounded.SMALL_FILE_BYTES >> 20} MB"
    if ran.out.cut:
        return (
            "process-stdout-not-json",
            (
                f"it printed more than {limit} on stdout, and was stopped there (the JSON a helper"
                " prints is a few hundred bytes)"
            ),
            (),
        )
    if ran.err.cut:
        return "process-exit-nonzero", f"it printed more than {limit} on stderr: stopped", ()
    if ran.status is None:
        wait = f"{PROCESS_TIMEOUT_SECONDS:.0f} s"
        return "process-timeout", f"it did not finish within {wait} (waiting for input?)", ()
    if ran.status != 0:
        tail = _tail(ran.err.data, scrub)
        said = f": {tail}" if tail else " and printed nothing on stderr"
        return "process-exit-nonzero", f"it exited with status {ran.status}{said}", ()
    return check_output(ran.out.data, now)


@probe(
    "creds.process",
    title="credential_process helper",
    findings=(
        "not-process-profile",
        "process-shell-syntax",
        "process-command-not-found",
        "process-not-executable",
        "process-timeout",
        "process-exit-nonzero",
        "process-stdout-empty",
        "process-stdout-not-json",
        "process-bad-version",
        "process-missing-keys",
        "process-bad-expiration",
        "process-expired",
        "process-token-with-long-term-key",
        "process-temporary-key-without-token",
        "process-ok",
    ),
    facts=("profile", "config_file"),
    consent=Consent.EXPLICIT,
)
def credential_process(run: ProbeInput) -> Evidence:
    """It runs your credential_process helper once (5 s limit, no input); no value is shown.

    Only the exit status and the shape of the output (JSON keys, Version, Expiration) are
    reported; every value the helper prints goes to the scrubber.
    """
    from botocore.compat import compat_shell_split

    found = command_of(run)
    if found is None:
        summary = "no credential_process is configured"
        return Evidence("creds.process", Status.OK, summary, ("not-process-profile",))
    profile, command, where = found
    facts = {
        "profile": Fact(profile, "credential_process", where),
        **sharedfiles.load(run.ctx).facts(run.ctx),
    }
    argv = compat_shell_split(command)
    finding, sentence, secrets = _execute(
        argv, dict(run.ctx.environ), run.ctx.now(), run.world.book.scrub
    )
    program = argv[0] if argv else ""
    details = [f"credential_process of profile '{profile}' ({where}) runs '{program}'", sentence]
    findings = [finding]
    if any(token in command for token in _SHELL_SYNTAX) or command.lstrip().startswith("~"):
        findings.append("process-shell-syntax")
        details.append(
            "the command uses shell syntax (~, $VAR, pipes, redirections), but no shell runs it"
        )
    return Evidence(
        "creds.process",
        Status.OK if findings == ["process-ok"] else Status.PROBLEM,
        f"credential_process of profile '{profile}' ({where}): {sentence}",
        tuple(findings),
        facts,
        tuple(details),
        secrets,
    )
