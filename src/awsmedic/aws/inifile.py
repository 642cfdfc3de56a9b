"""A line-level reading of ~/.aws/credentials and ~/.aws/config, with line numbers.

botocore parses these files with `configparser.RawConfigParser` and, on failure, says only
"Unable to parse config file". To tell the user *which line* is wrong we re-read the file the
same way configparser would (section headers, `key = value` / `key: value`, full-line comments,
indented continuation lines, strict duplicates), but keep every line number and never stop at
the first problem. Values are returned as configparser would give them (surrounding whitespace
stripped, quotes and inline comments kept), so value checks see what botocore sends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from awsmedic.aws import bounded
from awsmedic.aws.parsecache import ContentCache, digest, memoised
from awsmedic.model import Record

#: Larger files are read only this far (a credentials file is a few hundred bytes).
MAX_BYTES = 10 * 1024 * 1024

# configparser's SECTCRE and OPTCRE, applied with .match() to the stripped line as it does.
_SECTION = re.compile(r"\[(?P<name>.+)\]")
_NEWLINE = re.compile(r"\r\n|\r|\n")


#: Issues that make configparser (and so botocore) reject the whole file.
FATAL = frozenset(
    {
        "bom",
        "utf16",
        "not-utf8",
        "no-section-header",
        "bad-line",
        "duplicate-section",
        "duplicate-key",
    }
)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Entry(Record):
    """One `key = value` line of a section."""

    key: str  # as written; configparser lower-cases keys, use `.name` to compare
    value: str
    line: int
    continued: bool = False  # an indented line was merged into this value

    @property
    def name(self) -> str:
        return self.key.strip().lower()


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Section(Record):
    """One `[name]` section of a shared file, with its entries in file order."""

    name: str  # between the brackets, verbatim (botocore does not strip it)
    line: int
    entries: tuple[Entry, ...] = ()

    def get(self, key: str) -> Entry | None:
        """The first entry named `key` (configparser's strict mode rejects a second one)."""
        return next((entry for entry in self.entries if entry.name == key), None)


@dataclass(frozen=True, slots=True, repr=False, eq=False)
class Issue(Record):
    """A problem of a shared file (an encoding, a bad or duplicate line), with its line."""

    line: int
    code: str  # bom, utf16, not-utf8, no-section-header, bad-line, duplicate-section,
    # duplicate-key, continuation, truncated
    message: str
    owner: int = 0  # continuation: the line of the key the indented line is merged into


@dataclass(frozen=True, repr=False, eq=False)
class IniFile(Record):
    """A shared file read line by line: its sections, and what is wrong in it."""

    path: Path
    exists: bool
    sections: tuple[Section, ...] = ()
    issues: tuple[Issue, ...] = ()
    crlf: bool = False
    error: str = ""  # why the file could not be read at all (a directory, permissions, ...)
    size: int = 0
    #: Every line as written, without its line ending (an edit names its exact text).
    lines: tuple[str, ...] = ()

    def text_of(self, line: int) -> str | None:
        """Line `line` (1-based) exactly as written, or None."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else None

    def section(self, name: str) -> Section | None:
        return next((s for s in self.sections if s.name == name), None)

    @property
    def parses(self) -> bool:
        """Whether configparser (and so botocore) would accept the file."""
        return self.exists and not self.error and not any(i.code in FATAL for i in self.issues)


def separator_at(line: str) -> int:
    """Where a `key = value` line's separator stands: its first `=` or `:`, as configparser
    reads it; -1 for none. (A string search, not a pattern: a lazy key before blanks costs
    time quadratic in a line's blanks, hours for a 1 MB line of a broken file.)"""
    found = [at for at in (line.find("="), line.find(":")) if at >= 0]
    return min(found) if found else -1


def _decode(data: bytes) -> tuple[str, list[Issue]]:
    issues: list[Issue] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        issues.append(
            Issue(
                1,
                "utf16",
                "the file is UTF-16 (PowerShell 5 `>` or Out-File writes it); botocore needs UTF-8",
            )
        )
        return data.decode("utf-16", errors="replace").lstrip("\ufeff"), issues
    if data.startswith(b"\xef\xbb\xbf"):
        issues.append(
            Issue(
                1,
                "bom",
                "the file starts with a UTF-8 byte-order mark (BOM)",
            )
        )
    try:
        return data.decode("utf-8"), issues
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(Issue(line, "not-utf8", f"byte 0x{data[exc.start]:02x} is not UTF-8"))
        return data.decode("utf-8", errors="replace"), issues


def _scan_lines(text: str, issues: list[Issue]) -> list[Section]:
    """Mirror RawConfigParser._read (strict, default prefixes), keeping line numbers."""
    sections: list[Section] = []
    entries: list[Entry] = []
    parts: list[list[str]] = []  # the value lines of each entry, joined at the end
    current: tuple[str, int] | None = None
    seen_sections: dict[str, int] = {}
    indent_level = 0
    option = False  # an option was read since the last header (continuations attach to it)

    def close() -> None:
        if current is not None:
            done = tuple(
                # Blank lines after a value are parts too (configparser keeps them if an
                # indented line follows): only a non-blank one was merged.
                Entry(e.key, "\n".join(p).rstrip(), e.line, continued=any(p[1:]))
                for e, p in zip(entries, parts, strict=True)
            )
            sections.append(Section(current[0], current[1], done))

    # Python reads the file with universal newlines: \r\n, \r and \n all end a line.
    for number, line in enumerate(_NEWLINE.split(text), 1):
        stripped = line.strip()
        if stripped.startswith(("#", ";")):
            continue
        if not stripped:
            if option and parts:
                parts[-1].append("")
            continue
        indent = len(line) - len(line.lstrip())
        if current is not None and option and indent > indent_level:
            parts[-1].append(stripped)
            issues.append(
                Issue(
                    number,
                    "continuation",
                    f"this indented line is read as part of '{entries[-1].key}' on line"
                    f" {entries[-1].line}, not as a key of its own",
                    owner=entries[-1].line,
                )
            )
            continue
        indent_level = indent
        header = _SECTION.match(stripped)
        if header:
            close()
            name = header.group("name")
            if name in seen_sections:
                issues.append(
                    Issue(
                        number,
                        "duplicate-section",
                        f"section [{name}] is already defined on line {seen_sections[name]}",
                    )
                )
            seen_sections.setdefault(name, number)
            current, entries, parts, option = (name, number), [], [], False
            continue
        if current is None:
            issues.append(
                Issue(number, "no-section-header", "a line before the first [section] header")
            )
            return sections  # configparser gives up here
        at = separator_at(stripped)
        key = stripped[:at].rstrip() if at >= 0 else ""
        if not key:
            issues.append(Issue(number, "bad-line", "not a `key = value` line"))
            continue
        duplicate = next((e for e in entries if e.name == key.lower()), None)
        if duplicate is not None:
            issues.append(
                Issue(
                    number,
                    "duplicate-key",
                    f"'{key}' is already set on line {duplicate.line} in [{current[0]}]",
                )
            )
            return sections  # configparser raises DuplicateOptionError here
        entries.append(Entry(key, "", number))
        parts.append([stripped[at + 1 :].strip()])
        option = True
    close()
    return sections


#: Readings of unchanged files: `check --all` reads the same files for every profile.
_READ: ContentCache[IniFile] = ContentCache()


def scan(path: Path) -> IniFile:
    """Read `path` like botocore's configparser would, keeping line numbers and every problem.

    The file is read each time; the same bytes at the same path give the same (shared, frozen)
    reading without being parsed again."""
    try:
        # A FIFO or device would block or never end; botocore skips what is not a regular file.
        read = bounded.read_file(path, MAX_BYTES)
    except FileNotFoundError:
        return memoised(_READ, (str(path), "absent"), lambda: IniFile(path, exists=False))
    except OSError as exc:
        return IniFile(path, exists=True, error=exc.strerror or str(exc))
    key = (str(path), read.cut, digest(read.data))
    return memoised(_READ, key, lambda: _parse(path, read))


def _parse(path: Path, read: bounded.Read) -> IniFile:
    data = read.data
    text, issues = _decode(data)
    if read.cut:
        issues.append(
            Issue(
                text.count("\n") + 1,
                "truncated",
                f"only the first {MAX_BYTES // (1024 * 1024)} MB were read",
            )
        )
    if issues and issues[0].code == "bom":
        text = text.lstrip("\ufeff")
        # botocore does not strip the mark: the first header is unrecognised and parsing fails.
        issues.append(
            Issue(1, "no-section-header", "the byte-order mark hides the first [section] header")
        )
    sections = _scan_lines(text, issues)
    issues.sort(key=lambda issue: issue.line)
    return IniFile(
        path,
        True,
        tuple(sections),
        tuple(issues),
        crlf="\r\n" in text,
        size=len(data),
        lines=tuple(_NEWLINE.split(text)),
    )
