"""Exact edits of the shared files: the line as written, and what it should be.

An edit is offered only where the fix is certain from the file alone (a section header in the
wrong form, a misspelt or indented key, a polluted region, a source_profile that names nothing)
and only on lines whose text is known exactly: never in a UTF-16 or non-UTF-8 file, never on a
first line behind a byte-order mark. On a line that holds a credential, the edit touches only
the line's start and shows the value masked.
"""

from __future__ import annotations

import re

from awsmedic.aws.hygiene import without_escapes
from awsmedic.aws.inifile import separator_at
from awsmedic.aws.regions import AZ
from awsmedic.aws.sharedfiles import CONFIG, CREDENTIALS, SharedFile, config_profile_name
from awsmedic.context import Context
from awsmedic.model import Choice, Edit, mask_key_id

_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
_SECRET_KEYS = {
    "aws_secret_access_key": "<secret-key:redacted>",
    "aws_session_token": "<session-token:redacted>",
    "aws_security_token": "<session-token:redacted>",
}
_UNSURE_ISSUES = frozenset({"utf16", "not-utf8"})


def _key_line(raw: str) -> dict[str, str] | None:
    """A `key = value` line's parts: its indent, key, separator (with the blanks around it),
    value, and the head before the value; None for a line without a separator."""
    at = separator_at(raw)
    if at < 0:
        return None
    indent = raw[: len(raw) - len(raw.lstrip())]
    key = raw[len(indent) : at].rstrip()
    rest = raw[at + 1 :]
    value_at = at + 1 + len(rest) - len(rest.lstrip())
    return {
        "indent": indent,
        "key": key,
        "sep": raw[len(indent) + len(key) : value_at],
        "value": raw[value_at:],
        "head": raw[:value_at],
    }


def raw_line(file: SharedFile, line: int) -> str | None:
    """The line exactly as written, when an edit can name it exactly."""
    ini = file.ini
    if ini is None or any(issue.code in _UNSURE_ISSUES for issue in ini.issues):
        return None
    if line == 1 and any(issue.code == "bom" for issue in ini.issues):
        return None
    return ini.text_of(line)


def _edit(
    ctx: Context, file: SharedFile, line: int, finding: str, reason: str, before: str, after: str
) -> Edit | None:
    if before == after or "\n" in after or "\r" in after:
        return None
    crlf = file.ini is not None and file.ini.crlf
    return Edit(ctx.tilde(file.path or ""), line, before, after, finding, reason, crlf=crlf)


def correct_header(file: SharedFile, meant: str, sso_session: bool = False) -> str:
    """The header that defines profile (or sso-session) `meant` in `file`."""
    if file.kind == CREDENTIALS:
        return meant
    if sso_session:
        return f"sso-session {meant}"
    return "default" if meant == "default" else f"profile {meant}"


def header_edit(
    ctx: Context,
    file: SharedFile,
    line: int,
    name: str,
    new_name: str,
    finding: str,
    reason: str,
) -> Edit | None:
    """`[name]` on `line` should read `[new_name]`."""
    raw = raw_line(file, line)
    if raw is None or f"[{name}]" not in raw or not new_name.strip():
        return None
    after = raw.replace(f"[{name}]", f"[{new_name}]", 1)
    if file.kind == CONFIG and new_name != "default" and config_profile_name(new_name) is None:
        return None  # botocore would not read the new header either
    return _edit(ctx, file, line, finding, reason, raw, after)


def key_edit(
    ctx: Context,
    file: SharedFile,
    line: int,
    finding: str,
    reason: str,
    *,
    key: str | None = None,
    dedent: bool = False,
    value: str | None = None,
) -> Edit | None:
    """A `key = value` line with its key renamed, its indentation removed, or a new value."""
    raw = raw_line(file, line)
    found = _key_line(raw) if raw is not None else None
    if raw is None or found is None:
        return None
    indent = "" if dedent else found["indent"]
    new_key = key if key is not None else found["key"]
    head_after = indent + new_key + found["sep"]
    secret = _masked(found["key"], new_key, found["value"])
    if secret is not None:
        if value is not None:
            return None  # never write a credential value into a command
        edit = _edit(
            ctx,
            file,
            line,
            finding,
            reason,
            found["head"] + secret,
            head_after + secret,
        )
        if edit is None:
            return None
        # The command matches the key and its separator, and names only the key: written out,
        # `key = ` would read as a secret assignment to the scrubber (and to a reader).
        return Edit(
            edit.file,
            edit.line,
            edit.before,
            edit.after,
            finding,
            reason,
            crlf=edit.crlf,
            head_before=found["indent"] + found["key"],
            head_after=indent + new_key,
        )
    after = head_after + (value if value is not None else found["value"])
    return _edit(ctx, file, line, finding, reason, raw, after)


def _masked(old_key: str, new_key: str, value: str) -> str | None:
    """The value as shown, when either key names a credential (None: not a credential)."""
    names = {old_key.strip().lower().removeprefix("export ").strip(), new_key.strip().lower()}
    for name in names:
        if name in _SECRET_KEYS:
            return _SECRET_KEYS[name]
        if name == "aws_access_key_id":
            return mask_key_id(value.strip())
    return None


def header_insert(
    ctx: Context, file: SharedFile, line: int, meant: str, finding: str, reason: str
) -> Edit | None:
    """A `[meant]` header put before `line`, the first line of keys that no header precedes
    (configparser's MissingSectionHeaderError). The line itself stays as it is: on a credential
    line only its key is matched, and its value is shown masked."""
    raw = raw_line(file, line)
    ini = file.ini
    header = correct_header(file, meant)
    if raw is None or ini is None or ini.section(header) is not None:
        return None
    found = _key_line(raw)
    secret = _masked(found["key"], found["key"], found["value"]) if found else None
    shown = found["head"] + secret if found is not None and secret is not None else raw
    head = found["indent"] + found["key"] if found is not None and secret is not None else ""
    return Edit(
        ctx.tilde(file.path or ""),
        line,
        shown,
        f"[{header}]\n{shown}",
        finding,
        reason,
        crlf=ini.crlf,
        head_before=head,
        head_after=head,
        inserted=f"[{header}]",
    )


def clean_region(value: str) -> str | None:
    """The region a polluted value was meant to be, when that is certain."""
    value = without_escapes(value)
    core = "".join(c for c in value if c.isascii() and c.isprintable()).strip().strip("\"'")
    core = core.split(" #")[0].split(" ;")[0].strip().strip("\"'").strip()
    if _REGION.match(core):
        return core
    zone = AZ.match(core)
    return zone.group(1) if zone else None


def with_choices(edit: Edit, choices: list[tuple[str, str]], why: str) -> Edit:
    """The same edit offered with alternatives: `choices` are (after, why), best first."""
    return Edit(
        edit.file,
        edit.line,
        edit.before,
        edit.after,
        edit.finding,
        edit.reason,
        crlf=edit.crlf,
        why=why,
        choices=tuple(Choice(after, reason) for after, reason in choices),
    )
