"""What users paste around an error, taken off before matching: terminal escapes, Windows line
endings, CI and log prefixes on every line, JSON and logfmt wrapping; and the shell prompts and
command lines above it, which say which profile, region and tool the failing command used.

Nothing here decides what the error is; it only gives the matcher the message as the tool
wrote it, line by line, and the facts the command line shows.
"""

from __future__ import annotations

import json
import re
import shlex
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from awsmedic.model import Record

#: Pastes longer than this keep their head and tail: the error is nearly always at the end.
#: Every text signal, tool and hint pattern scans what is kept, so this bounds the cost of a
#: paste (a 1 MB log is read in well under a second); 64,000 characters is a long CI log.
MAX_PASTE_CHARS = 64_000
HEAD_CHARS = 16_000
TAIL_CHARS = MAX_PASTE_CHARS - HEAD_CHARS
#: Of the middle of a longer paste, only the lines that may hold an error are kept (`keep`),
#: with a few lines around each, up to this many characters: a CI log of 12,000 build lines
#: with the failing command's one error line between them is still diagnosed.
MIDDLE_CHARS = 16_000
#: Lines kept before and after such a line: the command line above it, a wrapped message.
CONTEXT_BEFORE = 2
CONTEXT_AFTER = 3
#: A longer line is looked at (and kept) in pieces of this length: one 300 KB line of output
#: costs as much as 150 short ones, and a kept piece stays readable.
PIECE_CHARS = 2_000
#: What stands where a part of the paste was left out.
CUT = "\n…\n"
TRUNCATED_NOTE = (
    f"the error text is very long: only its first {HEAD_CHARS:,} and last {TAIL_CHARS:,}"
    " characters were read whole; of the rest, only the lines that look like an error message"
    " (with the lines around them) were read"
)

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# (Not one that follows a region and a colon: that is a Cognito identity or identity pool id,
# `us-east-1:<GUID>`, a value steps use, not noise.)
_UUID = re.compile(
    r"(?<![0-9]:)\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"
)
_TIMESTAMP = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?"
)

# What a line may start with before the message itself. Each is taken off, repeatedly, so a
# GitHub Actions line `2024-01-01T00:00:00.000Z ##[error]` loses both.
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_LEVEL = r"(?:TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|CRITICAL|SEVERE|PANIC)"
_LINE_PREFIX = "|".join(
    [
        r"##\[[a-z]+\]",  # GitHub Actions
        r"::(?:error|warning|notice|debug)(?:\s[^:\n]*)?::",
        r"\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?\]?"
        r"(?:\s+UTC)?",
        r"\[?\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:[.,]\d+)?\]?",  # Go's log package
        r"\[?\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:\s?[AP]M)?\]?",
        rf"{_MONTH}\s+\d{{1,2}}\s+\d{{2}}:\d{{2}}:\d{{2}}(?:\s+[\w.-]+\s+[\w./-]+(?:\[\d+\])?:)?",
        r"[IWEF]\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.-]+:\d+\]",  # klog
        r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
        rf"\[{_LEVEL}\]|\[(?i:{_LEVEL})\]|{_LEVEL}(?::[\w.]+)*:|{_LEVEL}(?=\s)",
        r"(?i:level|lvl|severity)=\"?\w+\"?",
        r"[│┃╷╵|]",  # Terraform's diagnostic box, tables
        r">+(?=\s)",  # quoted in a comment or an email
        r"#\d+ \d+\.\d+",  # docker buildx
        r"\[Pipeline\]",
        r"[\w.-]+[-_]\d+\s+\|",  # Docker Compose: the container's name, padded, and a bar
        r"\[pod/[\w.-]+/[\w.-]+\]",  # kubectl logs --prefix
        r"remote:",
        r"npm ERR!",
        r"\[\d+/\d+\]",
    ]
)
#: One prefix and the space after it, at the start of a line (compiled once: it is long).
_PREFIX_AT_START = re.compile(r"\s*(?:" + _LINE_PREFIX + r")\s?")
# Key-value log lines (logfmt, Kubernetes): the message is in msg=, error= and the like, and an
# AWS SDK error's code and cause in errorCode= and origError= (Docker's awslogs driver logs the
# Go SDK's awserr so).
_LOGFMT_FIELD = re.compile(
    # A quoted value may be cut short (a paste of the first part of a long line).
    r"\b(?:msg|message|err|error|errorCode|origError|reason|cause|detail)="
    r"(\"(?:[^\"\\]|\\.)*(?:\"|$)|\S+)"
)
_LOGFMT_LINE = re.compile(r"\b(?:level|lvl|ts|time|caller|logger)=\S")
_JSON_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|([\"\\/bfnrt]))")
_ESCAPES = {"b": "", "f": "", "n": "\n", "r": "", "t": "\t", '"': '"', "\\": "\\", "/": "/"}


def bound(text: str, keep: Callable[[list[str]], Iterable[int]] | None = None) -> tuple[str, bool]:
    """A paste cut to its head and tail when very long; the flag says whether it was cut.

    `keep` is given the lines of the middle (long ones in pieces) and names those that may hold
    an error: they are kept too, with the lines around them, between the head and the tail."""
    if len(text) <= MAX_PASTE_CHARS:
        return text, False
    head, middle, tail = text[:HEAD_CHARS], text[HEAD_CHARS:-TAIL_CHARS], text[-TAIL_CHARS:]
    kept = kept_middle(middle, keep) if keep is not None else ""
    return head + CUT + (kept + CUT if kept else "") + tail, True


def pieces(text: str) -> list[str]:
    """The lines of `text`, each longer one cut in pieces of PIECE_CHARS."""
    found: list[str] = []
    for line in text.split("\n"):
        if len(line) <= PIECE_CHARS:
            found.append(line)
        else:
            found.extend(line[at : at + PIECE_CHARS] for at in range(0, len(line), PIECE_CHARS))
    return found


def kept_middle(middle: str, keep: Callable[[list[str]], Iterable[int]]) -> str:
    """The lines of the middle that `keep` names, each with the lines around it, in order;
    groups that are not next to each other are separated by `…`, a group that repeats one
    already kept (a retried command's error) is left out, and the whole stays within
    MIDDLE_CHARS."""
    lines = pieces(middle)
    groups: list[list[int]] = []
    for number in sorted(set(keep(lines))):
        first, last = max(0, number - CONTEXT_BEFORE), min(len(lines) - 1, number + CONTEXT_AFTER)
        if groups and first <= groups[-1][1] + 1:
            groups[-1][1] = max(groups[-1][1], last)
        else:
            groups.append([first, last])
    kept: list[str] = []
    seen: set[str] = set()
    size = 0
    for first, last in groups:
        block = "\n".join(lines[first : last + 1])
        shape = _DIGITS.sub("0", block)
        if shape in seen:
            continue
        if size + len(block) > MIDDLE_CHARS:
            break
        seen.add(shape)
        kept.append(block)
        size += len(block) + len(CUT)
    return CUT.join(kept)


_DIGITS = re.compile(r"\d+")


def prepare(
    text: str, keep: Callable[[list[str]], Iterable[int]] | None = None
) -> tuple[str, bool]:
    """Bound and clean a paste (escapes, line endings, control characters, line breaks a log
    viewer escaped, and what copying from a web page, a chat or an issue tracker's mail adds);
    the flag says whether something was cut (`keep`: as for `bound`)."""
    text, truncated = bound(text, keep)
    return clean(text), truncated


def clean(text: str) -> str:
    """A paste (already bounded) without escapes and control characters, with line endings
    and what copying added undone: as `prepare`, without cutting anything."""
    text = _ANSI.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", unescape_breaks(typeset(text)))


# What copying from a web page, a chat or a word processor puts in place of the characters a
# tool printed: no-break and other Unicode spaces, invisible joiners and soft hyphens, curly
# quotes; and HTML's own escapes, where a page or a ticket's mail shows the text's markup
# (`&lt;Code&gt;`, `&quot;`).
_SPACES = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_QUOTES = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_ENTITY = re.compile(r"&(?:(quot|lt|gt|amp|apos|nbsp)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_NAMED = {"quot": '"', "lt": "<", "gt": ">", "amp": "&", "apos": "'", "nbsp": " "}


def typeset(text: str) -> str:
    """A paste with typographic stand-ins back to what the tool printed."""
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text)).translate(_QUOTES)
    # Only a paste escaped throughout: one that also shows a `<`, `>` or `"` as it is (JSON,
    # XML, a shell command) has its `&quot;` from the tool itself.
    if "&" not in text or any(char in text for char in '<>"'):
        return text

    def one(found: re.Match[str]) -> str:
        if found.group(1):
            return _NAMED[found.group(1)]
        number = int(found.group(2)) if found.group(2) else int(found.group(3), 16)
        char = chr(number) if number <= 0x10FFFF else ""
        # Never a control character: an escape must not become one (`&#27;` is ESC).
        return char if char.isprintable() and char != "\x7f" else found.group(0)

    return _ENTITY.sub(one, text)


def unescape(text: str) -> str:
    """JSON string escapes decoded (`\\n`, `\\"`, `\\u0027`); anything else left as it is."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            char = chr(int(match.group(1), 16))
            return char if char.isprintable() or char in "\n\t" else ""
        return _ESCAPES[match.group(2)]

    return _JSON_ESCAPE.sub(one, text)


#: A line that carries a message with its line breaks escaped (a log viewer, a JSON string printed
#: without its quotes, Python's repr of an exception) has a `\n` or `\t` escape and no Windows
#: path, whose `\new` and `\temp` are names, not escapes (escaped JSON doubles a path's
#: backslashes, `C:\\src`, and is not taken for one). JSON and logfmt lines are left as they are:
#: `message_lines` reads their fields.
_ESCAPED_BREAK = re.compile(r"\\[nt]")
_WINDOWS_PATH = re.compile(r"(?:\b[A-Za-z]:|\\\\[\w.$-]+)\\[\w .-]")
_JSON_FIELD_LINE = re.compile(r'\s*"[\w.-]+"\s*:\s*"')


def unescape_breaks(text: str) -> str:
    """A paste whose lines carry escaped line breaks, with the breaks put back."""
    if "\\" not in text:
        return text
    lines = text.split("\n")
    for number, line in enumerate(lines):
        if not _ESCAPED_BREAK.search(line) or _WINDOWS_PATH.search(line):
            continue
        # What a log or CI prefix carries is read as message_lines reads it. A logfmt record
        # shows its keys before its first escaped break (the breaks are inside its values); a
        # whole paste escaped onto one line may hold a logfmt line further on.
        carried = strip_prefixes(line)
        escaped = _ESCAPED_BREAK.search(carried)
        before = carried[: escaped.start()] if escaped else carried
        if (
            not carried.lstrip().startswith(("{", "[", '"'))
            and not _JSON_FIELD_LINE.match(carried)
            and not _LOGFMT_LINE.search(before)
        ):
            lines[number] = _unescape_around_logfmt(line)
    return "\n".join(lines)


#: A logfmt record as a program wrote it, its values in plain quotes (`msg="..."`, escaping
#: only the quotes inside); escaped once more as a whole, its quotes read `msg=\"`.
_RAW_LOGFMT_VALUE = re.compile(r'\b\w+="')
_ESCAPED_LOGFMT_VALUE = re.compile(r'\b\w+=\\"')


def _unescape_around_logfmt(line: str) -> str:
    """A line escaped onto one (`\\n` for its breaks) with the breaks put back; a logfmt record
    it holds further on keeps its own escapes (`\\"default\\"` inside a quoted value), which
    the logfmt reader decodes: decoded here, they would end the value early."""
    pieces = line.split("\\n")
    if len(pieces) == 1 or not any(_raw_logfmt(piece) for piece in pieces):
        return unescape(line)
    return "\n".join(piece if _raw_logfmt(piece) else unescape(piece) for piece in pieces)


def _raw_logfmt(piece: str) -> bool:
    return bool(
        _LOGFMT_LINE.search(piece)
        and _RAW_LOGFMT_VALUE.search(piece)
        and not _ESCAPED_LOGFMT_VALUE.search(piece)
    )


def _json_strings(value: object) -> list[str]:
    """The strings of a JSON value, in document order (no recursion: input is hostile)."""
    found: list[str] = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict):
            stack.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            stack.extend(reversed(item))
    return found


def _unwrap(line: str) -> str:
    """A JSON or logfmt log line as the text it carries; any other line unchanged."""
    stripped = line.strip()
    if stripped.startswith(("{", "[")):
        try:
            # Each string its own paragraph: two fields of a record are not one message.
            return "\n\n".join(_json_strings(json.loads(stripped)))
        except (ValueError, RecursionError):  # cut short, not quite JSON, or nested too deep
            return unescape(line)
    if stripped.startswith('"') or _JSON_FIELD_LINE.match(line):
        return unescape(line)
    if _LOGFMT_LINE.search(line):
        fields = [match.group(1) for match in _LOGFMT_FIELD.finditer(line)]
        if fields:
            return "\n".join(
                unescape(value[1:].removesuffix('"')) if value.startswith('"') else value
                for value in fields
            )
    return line


def strip_prefixes(line: str) -> str:
    """A line without the log, CI and box-drawing prefixes it starts with."""
    for _ in range(8):  # a bound: each pass takes one prefix off
        found = _PREFIX_AT_START.match(line)
        if found is None or found.end() == 0:
            break
        line = line[found.end() :]
    return line


def message_lines(text: str) -> list[str]:
    """The lines of a prepared paste as the tool wrote them: JSON and logfmt lines unwrapped,
    prefixes taken off, request ids and time stamps blanked (they only add noise)."""
    lines: list[str] = []
    for raw in text.split("\n"):
        # A log line's own prefix first (a time stamp before JSON), then those of what it held.
        for line in _unwrap(strip_prefixes(raw)).split("\n"):
            line = strip_prefixes(line)
            line = _UUID.sub("#", line)
            lines.append(_TIMESTAMP.sub("#", line))
    return lines


#: A run of joined message lines stays under this many characters: hint, signal and look-alike
#: patterns read within a line (`[^\n]*`), and a run bounds how far one of them can scan.
JOINED_CHARS = 1_000


def reading(cleaned: str, lines: list[str] | None = None) -> str:
    """What text hints, signals, look-alikes and the fallback read: the paste's message lines
    (`message_lines`: prefixes off, JSON and logfmt unwrapped) with the lines of each paragraph
    joined, as they were before a tool or a terminal wrapped them; then, where it differs,
    the prepared paste itself. A pattern then finds a message whatever prefixes its lines carry
    and wherever they were wrapped, and one that needs the prefixes still finds them."""
    if lines is None:
        lines = message_lines(cleaned)
    runs: list[str] = []
    run = ""
    for line in lines:
        line = line.strip()
        if not line or len(run) + len(line) >= JOINED_CHARS:
            if run:
                runs.append(run)
            run = line
        else:
            run = f"{run} {line}" if run else line
    if run:
        runs.append(run)
    joined = "\n".join(runs)
    # The joined lines first: a pattern anchored at the start (an S3 error body pasted alone)
    # then finds the message, not a prefix.
    return cleaned if joined == cleaned.strip() else f"{joined}\n\n{cleaned}"


# -- command lines ------------------------------------------------------------------------------

_PROMPT = re.compile(
    r"""^\s*(?:
        (?:\([\w.-]+\)[ \t]*)?                                 # a virtualenv or conda name
        (?:[\w.-]+@[\w.-]+(?::[^\s$#%>]*)?[ \t]?[$#%>]\s+     # user@host:~/dir$
          |\[[^\]\n]*\][ \t]?[$#%>]\s+                        # [user@host dir]$
          |PS\s[^>\n]*>\s*                                    # PowerShell
          |[A-Za-z]:\\[^>\n]*>\s*                             # cmd.exe
          |[➜❯→λ»](?:\s+[\w~./-]+)?(?:\s+git:\([^)]*\))?(?:\s+[✗✔])?\s+
          |[~\w./-]*[ \t]?[$%#]\s+
        )
        # (One optional blank before each sign, never `\s*`: two runs of blanks in a row
        # would make a long line of spaces cost quadratic time.)
    )""",
    re.VERBOSE,
)
_ASSIGNMENT = re.compile(
    r"""(?:^|[\s;])(?:export\s+|set\s+|\$env:)?(AWS_PROFILE|AWS_DEFAULT_PROFILE|AWS_REGION|AWS_DEFAULT_REGION)\s*=\s*["']?([^\s"';]+)""",
    re.VERBOSE,
)
#: Commands that run another command: the one after them is the program.
_WRAPPERS = frozenset({"sudo", "time", "exec", "command", "nohup", "npx", "poetry", "pipenv"})
_NAME = re.compile(r"^[\w.@+:/-]+$")
# The program a line starts with, past `VAR=value` assignments and wrappers (cheap to try on
# every line; only lines that pass are split like a shell would).
_FIRST_WORD = re.compile(
    r"\s*(?:[A-Za-z_]\w*=\S*\s+)*(?:(?:sudo|time|env|exec|command|nohup|npx|poetry|pipenv)\s+)*"
    r"(?:\S*[/\\])?([\w.-]+?)(?:\.exe)?(?:\s|$)"
)
#: The AWS CLI's usage text under its argument errors (awscli/clidriver.py USAGE, v1 and v2):
#: "To see help text, you can run:" then `aws help`, `aws <command> help`,
#: `aws <command> <subcommand> help`. Lines of the tool's own output, not commands that ran.
_USAGE_HINT = re.compile(r"^\s*aws(?:\s+<(?:sub)?command>)*\s+help\s*$")
#: Settings a command line gives, as text facts (their names are the steps' placeholders).
_VARIABLES = {
    "AWS_PROFILE": "profile",
    "AWS_DEFAULT_PROFILE": "profile",
    "AWS_REGION": "region",
    "AWS_DEFAULT_REGION": "region",
}
_SETTINGS = ("profile", "region", "endpoint_url")
#: Which variable a setting is read from first, where a command's environment has both: the
#: AWS CLI v2 and most SDKs read AWS_PROFILE and AWS_REGION before the older names.
_READ_FIRST = ("AWS_PROFILE", "AWS_REGION", "AWS_DEFAULT_PROFILE", "AWS_DEFAULT_REGION")
#: Shell words that set a variable for the rest of the session, not for one command.
_EXPORTS = frozenset({"export", "set", "setx"})
#: Commands on one line: `cd infra && AWS_PROFILE=dev terraform plan`.
_SEPARATOR = re.compile(r"\s*(?:&&|\|\||;)\s+")


@dataclass(frozen=True, repr=False, eq=False)
class CommandLine(Record):
    """What the command lines of a paste say: the first tool named, and the profile, region and
    endpoint the failing command ran with (the last command line of a tool awsmedic knows),
    as a shell and the tool would read them."""

    tool: str | None = None
    command: str | None = None
    facts: Mapping[str, str] = field(default_factory=dict)
    #: The option or variable each fact came from (`--profile`, `-p`, `AWS_PROFILE`).
    via: Mapping[str, str] = field(default_factory=dict)


def _words_of(line: str) -> list[str]:
    try:
        return shlex.split(line, posix=True)
    except ValueError:  # an unbalanced quote: split on blanks
        return line.split()


def _program(line: str, commands: Mapping[str, str], *, exact: bool = False) -> bool:
    """Whether a line (without a prompt) starts with a program `commands` knows. `exact`: only
    as the command is typed, for a line no prompt marks as a command: "AWS authentication
    failed: ..." and "Terraform could not ..." are sentences."""
    first = _FIRST_WORD.match(line)
    if first is None:
        return False
    name = first.group(1)
    return (name if exact else name.lower()) in commands


def _variables(assignments: Mapping[str, str]) -> dict[str, str]:
    """The AWS variables among `NAME=VALUE` assignments (any value: one a step cannot use
    still hides an earlier one)."""
    return {name: value for name, value in assignments.items() if name in _VARIABLES}


def _usable(settings: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The settings whose values a step could use (a name, not `$(...)` or `${{ secrets.X }}`)."""
    return {name: found for name, found in settings.items() if _NAME.match(found[0])}


def _resolve(environment: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Setting -> (value, the variable it came from), as the AWS CLI v2 reads them."""
    found: dict[str, tuple[str, str]] = {}
    for name in _READ_FIRST:
        if name in environment:
            found.setdefault(_VARIABLES[name], (environment[name], name))
    return found


@dataclass
class _Shell:
    """What a pasted session did so far: variables it exported, and the command lines it ran
    (each with the settings it ran with)."""

    exported: dict[str, str] = field(default_factory=dict)
    #: The settings of the last command of a known tool, and of the last command of any kind.
    known: dict[str, tuple[str, str]] | None = None
    other: dict[str, tuple[str, str]] | None = None
    program: str | None = None  # the first AWS tool (aws.cmdline) a command ran

    def export(self, words: list[str]) -> None:
        assignments = {}
        for word in words:
            name, equals, value = word.removeprefix("$env:").partition("=")
            if equals:
                assignments[name] = value
        self.exported.update(_variables(assignments))

    def command(self, words: list[str], known: bool, commands: Mapping[str, str]) -> None:
        """One command: `NAME=VALUE` words in front and `env` set its own environment (for it
        alone), and its tool's options win over both, as they do for the AWS CLI."""
        from awsmedic.aws import cmdline

        while words and words[0] in _WRAPPERS:
            words = words[1:]
        if not words:
            return
        if words[0].lower() in _EXPORTS or words[0].startswith("$env:"):
            self.export(words if words[0].startswith("$env:") else words[1:])
            return
        read = cmdline.read(words)
        own = _variables({**read.assignments, **read.env_assignments})
        if not read.argv:  # `AWS_PROFILE=dev` on its own line: set for what follows
            self.exported.update(own)
            return
        environment = {} if read.env_clear else dict(self.exported)
        for name in read.env_unset:
            environment.pop(name, None)
        settings = _resolve({**environment, **own})
        for name in _SETTINGS:
            if name in read.settings:
                settings[name] = (read.settings[name], read.via.get(name, ""))
        if known:
            self.known = settings
        self.other = settings
        if self.program is None and read.tool in commands:
            self.program = read.tool

    def settings(self) -> dict[str, tuple[str, str]]:
        """The failing command's: the last command of a known tool, else the last command,
        else what the session exported."""
        if self.known is not None:
            return _usable(self.known)
        if self.other is not None:
            return _usable(self.other)
        return _usable(_resolve(self.exported))


def command_lines(lines: Iterable[str], commands: Mapping[str, str]) -> CommandLine:
    """The profile, region, endpoint and tool that the pasted command lines show.

    A line counts when it starts with a shell prompt, or with a program `commands` knows
    (`aws`, `terraform`, ... mapped to their tool ids); `export AWS_PROFILE=...` and the like
    count on any line, for the commands after them. `AWS_PROFILE=dev aws ...` sets the profile
    for that command alone. The options read are each tool's own (`--profile` for the AWS CLI,
    `--aws-profile` for the Serverless Framework, ...): a script's `--region` is its own.
    """
    shell = _Shell()
    for line in lines:
        prompt = _PROMPT.match(line)
        rest = line[prompt.end() :] if prompt else line
        known = _program(rest, commands, exact=prompt is None)
        if prompt is None and known and _USAGE_HINT.match(line):
            continue
        if prompt is None and not known:
            if "AWS_" in line:
                shell.exported.update(
                    _variables(dict((name, value) for name, value in _ASSIGNMENT.findall(line)))
                )
            continue
        for part in _SEPARATOR.split(rest[:2_000]):
            words = _words_of(part)
            shell.command(words, _program(part, commands), commands)
    settings = shell.settings()
    program = shell.program
    tool = commands.get(program) if program is not None else None
    return CommandLine(
        tool,
        program if tool is not None else None,
        {name: value for name, (value, _) in settings.items()},
        {name: via for name, (_, via) in settings.items()},
    )
