"""creds.secret: is the secret access key that is sent shaped like a real one? (Never its value.)

AWS answers SignatureDoesNotMatch when the secret is not the one of the key id. Before blaming
the key, rule out a secret that is right but polluted: quotes kept by the file format, a carriage
return from a Windows `.env` file, a trailing space, zsh's `%` end-of-output mark copied with it.
A real secret is 40 characters of base64 (A-Z, a-z, 0-9, `+`, `/`).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from awsmedic.aws import keyids
from awsmedic.aws.hygiene import value_problems
from awsmedic.aws.inifile import Entry, scan
from awsmedic.model import Evidence, Fact, Status
from awsmedic.probes import ProbeInput, probe
from awsmedic.probes.chainwalk import ChainReport, StaticKeys

_BASE64 = re.compile(r"^[A-Za-z0-9+/]*$")
_SECTION_IN_LOCATION = re.compile(r"\[([^\]]+)\]\s*$")


def chain_facts(run: ProbeInput, report: ChainReport) -> dict[str, Fact]:
    """The profile and files, so that steps name the user's own (shared with creds.expiry)."""
    ctx = run.ctx
    return {
        "profile": Fact(report.profile, report.profile_source),
        "credentials_file": Fact(ctx.tilde(report.credentials_file), "botocore"),
        "config_file": Fact(ctx.tilde(report.config_file), "botocore"),
    }


def _section_name(name: str) -> str:
    """A config-file section as botocore names it (`[profile  "a b"]` -> `profile a b`)."""
    try:
        return " ".join(shlex.split(name))
    except ValueError:
        return name.strip()


def _file_entry(keys: StaticKeys, report: ChainReport) -> tuple[Path, Entry] | None:
    """The line of the secret in the shared file it came from."""
    found = _SECTION_IN_LOCATION.search(keys.location)
    if found is None:
        return None
    path = Path(
        report.credentials_file if keys.method == "shared-credentials-file" else report.config_file
    ).expanduser()
    wanted = found.group(1)
    for section in scan(path).sections:
        same = section.name == wanted or (
            keys.method == "config-file" and _section_name(section.name) == wanted
        )
        entry = section.get("aws_secret_access_key") if same else None
        if entry is not None:
            return path, entry
    return None


def _line_ends_in_space(located: tuple[Path, Entry] | None) -> bool:
    """Whether the secret's line in its file ends in a space or tab after the value."""
    if located is None or located[1].continued:
        return False
    path, entry = located
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return 0 < entry.line <= len(lines) and lines[entry.line - 1].endswith((" ", "\t"))


def _where(run: ProbeInput, keys: StaticKeys, located: tuple[Path, Entry] | None) -> str:
    if keys.method == "env":
        return "AWS_SECRET_ACCESS_KEY"
    if located is None:
        return keys.location
    path, entry = located
    section = _SECTION_IN_LOCATION.search(keys.location)
    label = f" [{section.group(1)}]" if section else ""
    return f"{run.ctx.tilde(path)} line {entry.line}{label}"


def shape_problems(
    secret: str, *, from_file: bool, trailing_space: bool = False
) -> tuple[list[str], list[str]]:
    """(findings, descriptions) of what is wrong with a secret's shape; never its value.
    `trailing_space`: the file's line has a space after the value, which its parser dropped."""
    findings: list[str] = []
    problems = value_problems(secret, from_file=from_file)
    core = secret.strip().strip("\"'").strip()
    # Spaces at the ends count too: a '+' first or last, decoded as a space, leaves 39 characters.
    plus_as_space = _plus_as_space(secret.strip("\r\n\"'") + (" " if trailing_space else ""))
    if core.endswith("%"):
        core = core[:-1]
        findings.append("secret-trailing-percent")
        problems.append(
            "a trailing '%', which zsh prints after output without a final newline:"
            " it was copied with the key but is not part of it"
        )
    if problems:
        findings.append("secret-stray-characters")
    if plus_as_space:
        # Said first, in place of the plain "whitespace inside the value": it names the fix.
        findings.append("secret-plus-as-space")
        problems = [p for p in problems if p != "whitespace inside the value"]
        problems.insert(
            0,
            "a space where the secret most likely has a '+': with '+' for each space it is"
            " 40 characters of base64 (URL and form decoding read '+' as a space)",
        )
    if keyids.is_placeholder(core):
        findings.append("secret-placeholder")
        problems.append("a documentation-example or placeholder value")
    elif core.startswith(keyids.ACCESS_KEY_PREFIXES) and len(core) == keyids.KEY_ID_LENGTH:
        findings.append("secret-is-key-id")
        problems.append("the shape of an access key id, not of a secret: the two look swapped")
    else:
        if len(core) != keyids.SECRET_LENGTH and not plus_as_space:
            findings.append("secret-wrong-length")
            problems.append(
                f"{len(core)} characters (not counting stray ones);"
                f" secret access keys have {keyids.SECRET_LENGTH}"
            )
        if not _BASE64.match(core) and "secret-stray-characters" not in findings:
            findings.append("secret-bad-alphabet")
            problems.append("characters outside A-Z, a-z, 0-9, '+' and '/'")
    return findings, problems


def _plus_as_space(value: str) -> bool:
    """A secret whose spaces, each made '+', give a well-formed one: a '+' decoded as a space."""
    if " " not in value:
        return False
    mended = value.replace(" ", "+")
    return len(mended) == keyids.SECRET_LENGTH and bool(_BASE64.match(mended))


@probe(
    "creds.secret",
    title="Secret access key hygiene",
    findings=(
        "no-static-keys",
        "secret-stray-characters",
        "secret-plus-as-space",
        "secret-trailing-percent",
        "secret-placeholder",
        "secret-is-key-id",
        "secret-wrong-length",
        "secret-bad-alphabet",
        "secret-well-formed",
    ),
    facts=("profile", "credentials_file", "config_file", "access_key_id", "secret_location"),
)
def secret_hygiene(run: ProbeInput) -> Evidence:
    """Length, alphabet, quotes, whitespace, CR/LF and `%` in the secret that is sent."""
    report = run.world.chain()
    facts = chain_facts(run, report)
    keys = report.keys
    if keys is None and report.keys_unchecked:
        return Evidence("creds.secret", Status.SKIPPED, report.keys_unchecked, (), facts)
    if keys is None:
        source = report.winner.method if report.winner else "no provider"
        summary = f"no static secret to check (credentials come from {source})"
        return Evidence("creds.secret", Status.SKIPPED, summary, ("no-static-keys",), facts)
    # The secret's line in its file, read once for where it is and how the line ends.
    located = _file_entry(keys, report) if keys.method != "env" else None
    where = _where(run, keys, located)
    facts["access_key_id"] = Fact(keys.access_key.masked(), keys.method, keys.location)
    facts["secret_location"] = Fact(where, keys.method)
    findings, problems = shape_problems(
        keys.secret_key.reveal(),
        from_file=keys.method != "env",
        trailing_space=_line_ends_in_space(located),
    )
    details = tuple(f"the secret access key ({where}) has {p}" for p in problems)
    summary = (
        details[0]
        if details
        else f"the secret access key ({where}) is well formed: 40 characters of base64"
    )
    return Evidence(
        "creds.secret",
        Status.PROBLEM if findings else Status.OK,
        summary,
        tuple(findings) or ("secret-well-formed",),
        facts,
        details,
        keys.secrets(),
    )
