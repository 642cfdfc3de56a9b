"""Where a step's Markdown shows commands: code spans shaped like a command, and the lines of
fenced blocks marked as shell (`sh`, `bash`, `console`, `powershell`, ...).

Placeholders inside a command are quoted for its shell when a step is filled, and every
command of every step is checked against the AWS CLI (tests/knowledge), so both need to find
exactly the same commands: this module is the one place that decides what is a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from awsmedic.model import Record

POSIX, POWERSHELL = "posix", "powershell"

_FENCE = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n"
    r"(?P<body>.*?)^[ \t]*(?P=fence)[`~]*[ \t]*$",
    re.DOTALL | re.MULTILINE,
)
_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# A command word followed by arguments (`aws sts ...`, `unset AWS_SESSION_TOKEN`, PowerShell
# `Remove-Item ...`, `$Env:AWS_PROFILE = ...`), not a setting (`region = x`) or a file name.
_COMMAND = re.compile(
    r"(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:[a-z][\w.-]*|[A-Z][a-z]+-[A-Z][A-Za-z]+)\s+\S"
    r"|\$[Ee]nv:\w+\s*=\s*\S|\[Environment\]::\w+\("
)
_SHELL_INFO = {
    "sh": POSIX,
    "bash": POSIX,
    "zsh": POSIX,
    "shell": POSIX,
    "console": POSIX,
    "powershell": POWERSHELL,
    "pwsh": POWERSHELL,
    "ps1": POWERSHELL,
}
_POWERSHELL = re.compile(r"^(?:[A-Z][a-z]+-[A-Z][A-Za-z]+\b|\$[Ee]nv:|\[Environment\]::|\$\w+\s*=)")


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Span(Record):
    """A command in a step's Markdown: `text[start:end]` is its source."""

    start: int
    end: int
    code: str
    shell: str  # POSIX or POWERSHELL
    fenced: bool


def shell_of(code: str) -> str:
    """PowerShell for cmdlets and `$Env:` assignments; everything else runs in any shell."""
    return POWERSHELL if _POWERSHELL.match(code.strip()) else POSIX


def is_command(code: str) -> bool:
    """A code span that is a command to run, not a setting, a path or a shape like `export …`."""
    code = " ".join(code.split())
    if not _COMMAND.match(code):
        return False
    if " = " in code and not _POWERSHELL.match(code):
        return False  # a setting as written in a file
    return "…" not in code.split()


def _fenced(markdown: str) -> Iterator[tuple[int, int, str | None]]:
    """(start, end, shell or None) of each fenced block; None for blocks that are not shell."""
    for found in _FENCE.finditer(markdown):
        info = found.group("info").strip().split(" ")[0].lower()
        yield found.start(), found.end(), _SHELL_INFO.get(info)


def spans(markdown: str) -> list[Span]:
    """Every command in `markdown`, in order."""
    found: list[Span] = []
    fences = list(_fenced(markdown))
    for start, _, shell in fences:
        if shell is None:
            continue
        block = _FENCE.match(markdown, start)
        assert block is not None
        body_start = block.start("body")
        offset = body_start
        for line in block.group("body").split("\n"):
            code = line.strip()
            if code and not code.startswith("#"):
                lead = offset + len(line) - len(line.lstrip())
                found.append(Span(lead, lead + len(code), code, shell, True))
            offset += len(line) + 1
    position = 0
    for start, end, _ in [*fences, (len(markdown), len(markdown), None)]:
        for match in _CODE_SPAN.finditer(markdown, position, start):
            code = match.group(2)
            if is_command(code):
                found.append(Span(match.start(2), match.end(2), code, shell_of(code), False))
        position = end
    return sorted(found, key=lambda span: span.start)


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """(start, end) of every fenced block and code span of `markdown`, backticks included:
    where a value is shown as written, not read as Markdown."""
    found: list[tuple[int, int]] = []
    position = 0
    for start, end, _ in [*_fenced(markdown), (len(markdown), len(markdown), None)]:
        found.extend(m.span() for m in _CODE_SPAN.finditer(markdown, position, start))
        if start < end:
            found.append((start, end))
        position = end
    return sorted(found)


def commands(markdown: str) -> list[str]:
    """The commands of `markdown`, whitespace runs made single spaces, once each."""
    return list(dict.fromkeys(" ".join(span.code.split()) for span in spans(markdown)))
