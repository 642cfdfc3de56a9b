"""An edit a probe found, as the user sees it: a small diff, and one command that applies it.

The command is shown, never run. It keeps a copy of the file (`<file>.bak`) and replaces the
one line only when that line is exactly what the probe read. On a line that holds a credential,
only its indentation and key are matched, with the separator after them, and replaced: the
value never appears in the command, and the command never reads as `secret_key = ...`. POSIX
shells get `sed -i.bak`, which GNU and BSD sed both take; PowerShell gets .NET's line reader
and writer.
"""

from __future__ import annotations

import re

from awsmedic.aws.hygiene import visible
from awsmedic.model import Edit
from awsmedic.safety.shellquote import POWERSHELL, quote, quote_path

# The characters special in a POSIX basic regular expression, and the `/` delimiter.
_BRE_SPECIAL = re.compile(r"([.\[\\*^$/])")
_REPLACEMENT_SPECIAL = re.compile(r"([\\&/])")
# The characters special in a .NET regular expression.
_NET_SPECIAL = re.compile(r"([\\.^$|?*+()\[\]{}#])")


def _fence(text: str, info: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text}\n{ticks}"


def diff(edit: Edit) -> str:
    """The edit as a fenced unified-diff fragment; a character no terminal shows is written as
    its escape (`\\x1b`), so the two lines differ on the screen as they do in the file."""
    if edit.inserted:
        where = f"@@ {edit.file} line {edit.line} @@"
        return _fence(f"{where}\n+{visible(edit.inserted)}\n {visible(edit.before)}", "diff")
    body = f"@@ {edit.file} line {edit.line} @@\n-{visible(edit.before)}\n+{visible(edit.after)}"
    return _fence(body, "diff")


def _unshown(text: str, anything: str) -> str:
    """`text` (already escaped for its pattern language) with each character a terminal would
    not show, and the screen would drop from a copied command, matched by `anything`: the
    line number and the rest of the line still pin it down."""
    return "".join(anything if not c.isprintable() else c for c in text)


def _sed_match(edit: Edit) -> str:
    """The line as the probe read it, as a basic regular expression (its key only, on a line
    that holds a credential)."""
    if edit.head_before:
        return "^" + _unshown(_BRE_SPECIAL.sub(r"\\\1", edit.head_before), ".") + "[[:space:]]*[=:]"
    old = _unshown(_BRE_SPECIAL.sub(r"\\\1", edit.before), ".")
    return f"^{old}[[:cntrl:]]\\{{0,1\\}}$" if edit.crlf else f"^{old}$"


def _sed(edit: Edit) -> str:
    if edit.inserted:
        # On that line, and only if it is still what the probe read: keep it (h), make the
        # pattern space the new line, and append the kept one after a newline (G). POSIX sed:
        # GNU's `1i text` is not BSD's.
        new = _REPLACEMENT_SPECIAL.sub(r"\\\1", edit.inserted)
        return f"{edit.line}{{/{_sed_match(edit)}/{{h;s/.*/{new}/;G;}};}}"
    if edit.head_before:
        old = _unshown(_BRE_SPECIAL.sub(r"\\\1", edit.head_before), ".")
        new = _REPLACEMENT_SPECIAL.sub(r"\\\1", edit.head_after)
        return f"{edit.line}s/^{old}\\([[:space:]]*[=:]\\)/{new}\\1/"
    old = _unshown(_BRE_SPECIAL.sub(r"\\\1", edit.before), ".")
    new = _REPLACEMENT_SPECIAL.sub(r"\\\1", edit.after)
    if edit.crlf:
        # Keep the carriage return: [[:cntrl:]] is portable where \r is not.
        return f"{edit.line}s/^{old}\\([[:cntrl:]]\\{{0,1\\}}\\)$/{new}\\1/"
    return f"{edit.line}s/^{old}$/{new}/"


def _powershell(edit: Edit) -> str:
    index = edit.line - 1
    line = f"$l[{index}]"
    if edit.inserted:
        if edit.head_before:
            pattern = "^" + _unshown(_NET_SPECIAL.sub(r"\\\1", edit.head_before), ".") + r"\s*[=:]"
        else:
            pattern = "^" + _unshown(_NET_SPECIAL.sub(r"\\\1", edit.before), ".") + "$"
        path = quote_path(edit.file, POWERSHELL, expression=True)
        head = f"@($l[0..{index - 1}]) + " if index > 0 else ""
        return (
            f'$f = {path}; Copy-Item -LiteralPath $f -Destination "$f.bak"; '
            f"$l = [IO.File]::ReadAllLines($f); "
            f"if ({line} -cmatch {quote_ps(pattern)}) {{ "
            f"[IO.File]::WriteAllLines($f, [string[]]({head}@({quote_ps(edit.inserted)}) + "
            f"@($l[{index}..($l.Length - 1)]))) }}"
        )
    if edit.head_before:
        pattern = "^" + _unshown(_NET_SPECIAL.sub(r"\\\1", edit.head_before), ".") + r"\s*[=:]"
        test = f"{line} -cmatch {quote_ps(pattern)}"
        value = f"{quote_ps(edit.head_after)} + {line}.Substring({len(edit.head_before)})"
    elif not edit.before.isprintable():
        pattern = "^" + _unshown(_NET_SPECIAL.sub(r"\\\1", edit.before), ".") + "$"
        test = f"{line} -cmatch {quote_ps(pattern)}"
        value = quote_ps(edit.after)
    else:
        test = f"{line} -ceq {quote_ps(edit.before)}"
        value = quote_ps(edit.after)
    path = quote_path(edit.file, POWERSHELL, expression=True)
    return (
        f'$f = {path}; Copy-Item -LiteralPath $f -Destination "$f.bak"; '
        f"$l = [IO.File]::ReadAllLines($f); "
        f"if ({test}) {{ {line} = {value}; [IO.File]::WriteAllLines($f, $l) }}"
    )


def quote_ps(text: str) -> str:
    return quote(text, POWERSHELL, expression=True)


def apply_command(edit: Edit, shell: str) -> str:
    """One command that applies `edit` in `shell`, keeping a backup."""
    if shell == POWERSHELL:
        return _powershell(edit)
    return f"sed -i.bak {quote(_sed(edit), 'posix')} {quote_path(edit.file, 'posix')}"


def backup_name(edit: Edit) -> str:
    return f"{edit.file}.bak"
