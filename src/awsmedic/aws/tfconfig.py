"""The `provider "aws"` blocks of the Terraform files in a directory, literal values only.

Terraform takes no `--profile` on its command line: the AWS provider's `profile`, `region`,
`shared_config_files`, `shared_credentials_files` and `assume_role { role_arn }` are written
in the `.tf` files of the directory it runs in. This module reads them the way Terraform would
see them, without evaluating anything: a quoted string without `${...}` or `%{...}` (or a list
of such strings) is a literal; anything else (`var.profile`, `local.x`, `"${var.env}-admin"`, a
function call, a heredoc) is an expression, reported as such and never guessed at.

Reading is bounded and read-only: only `*.tf` files of the directory itself (no modules, no
recursion), in name order, at most `MAX_FILES` of them, each a regular file of at most
`MAX_BYTES`. A file that does not parse as HCL is named with the reason, never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from awsmedic.aws import bounded

#: Terraform configurations are small; a bigger file is generated or not a configuration.
MAX_BYTES = bounded.MB
#: Files read at most (in name order) from one directory.
MAX_FILES = 50
#: What a provider block's literal values are read for (a nested block's attribute as
#: `block.attribute`). `shared_credentials_file` is the provider's name before v4.0.
SETTINGS = (
    "alias",
    "profile",
    "region",
    "shared_config_files",
    "shared_credentials_files",
    "shared_credentials_file",
    "assume_role.role_arn",
    "access_key",
    "secret_key",
)
#: Settings whose value is a secret: only that they are set is kept, never the value.
SECRET_SETTINGS = frozenset({"access_key", "secret_key"})
#: Attributes kept wherever they are written (a backend's, a data source's), for evidence that
#: names the line a value the error quotes is written on: names only, never a secret.
LITERAL_NAMES = frozenset({"profile", "region"})
#: Terraform's `override.tf` and `*_override.tf` merge into the blocks of the other files
#: (developer.hashicorp.com/terraform/language/files/override) rather than adding blocks.
_OVERRIDE = re.compile(r"^(?:override|.+_override)\.tf$")


#: How evidence names a setting a provider block chose: "the Terraform provider block at
#: main.tf line 4" (probes.tfprovider), read back by `provider_location`.
PROVIDER = "the Terraform provider block at"


def provider_location(source: str) -> str | None:
    """`main.tf line 4` for the source of a setting a provider block chose, else None."""
    prefix = PROVIDER + " "
    return source[len(prefix) :] if source.startswith(prefix) else None


class HclError(ValueError):
    """A file is not HCL that this reader can follow; `line` is where it stopped."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line


@dataclass(frozen=True)
class Value:
    """One attribute of a provider block: its literal value, or the expression that sets it."""

    name: str
    line: int
    literal: str | tuple[str, ...] | None  # None: set by an expression
    expression: str = ""  # the expression's text, shortened, when not a literal


@dataclass(frozen=True)
class ProviderBlock:
    """A `provider "aws"` block: where it is and the settings it writes."""

    file: str  # the file's name (the directory is the one read)
    line: int  # the line of `provider "aws" {`
    end: int  # the line of its closing `}`
    settings: dict[str, Value] = field(default_factory=dict)

    @property
    def alias(self) -> str | None:
        value = self.settings.get("alias")
        return value.literal if value is not None and isinstance(value.literal, str) else None

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}"


@dataclass(frozen=True)
class Literal:
    """An attribute of any block written as one literal string: where it is, and in what."""

    file: str
    line: int
    blocks: tuple[
        str, ...
    ]  # the enclosing blocks' types, outermost first: ("terraform", "backend")
    name: str
    value: str

    @property
    def where(self) -> str:
        return f"{self.file} line {self.line}"


@dataclass(frozen=True)
class Reading:
    """What the `.tf` files of a directory say about the AWS provider."""

    blocks: tuple[ProviderBlock, ...] = ()
    unread: tuple[tuple[str, str], ...] = ()  # (file, why it was not checked)
    files: tuple[str, ...] = ()  # the files read
    literals: tuple[Literal, ...] = ()  # every literal string attribute, in file order

    def literal(self, name: str, value: str) -> tuple[Literal, ...]:
        """Where an attribute `name` is written with exactly `value` (any block)."""
        return tuple(x for x in self.literals if x.name == name and x.value == value)


# -- scanning ------------------------------------------------------------------------------------

# Token kinds: "str" (a quoted string: value, literal or not), "ident", "punct", "nl", "other".
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_NUMBER = re.compile(r"[0-9][0-9.eE+-]*")
_HEREDOC = re.compile(r"<<-?([A-Za-z_][A-Za-z0-9_-]*)[ \t]*\r?\n")
_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str  # the value of a literal string, else the source text
    line: int
    literal: bool = True  # for "str": no interpolation or directive in it
    start: int = 0  # where it is in the source text
    end: int = 0


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.tokens: list[_Token] = []

    def scan(self) -> list[_Token]:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == "\n":
                self.tokens.append(_Token("nl", "\n", self.line))
                self.line += 1
                self.pos += 1
            elif char in " \t\r\ufeff":
                self.pos += 1
            elif char == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end
            elif text.startswith("/*", self.pos):
                self._block_comment()
            elif char == '"':
                self.tokens.append(self._string())
            elif heredoc := _HEREDOC.match(text, self.pos):
                self._heredoc(heredoc)
            elif found := _IDENT.match(text, self.pos) or _NUMBER.match(text, self.pos):
                kind = "ident" if char.isalpha() or char == "_" else "other"
                self.tokens.append(
                    _Token(kind, found.group(0), self.line, True, self.pos, found.end())
                )
                self.pos = found.end()
            else:
                self.tokens.append(_Token("punct", char, self.line, True, self.pos, self.pos + 1))
                self.pos += 1
        return self.tokens

    def _block_comment(self) -> None:
        end = self.text.find("*/", self.pos + 2)
        if end < 0:
            raise HclError(self.line, "a /* comment is never closed")
        self.line += self.text.count("\n", self.pos, end)
        self.pos = end + 2

    def _heredoc(self, found: re.Match[str]) -> None:
        start, marker, offset = self.line, found.group(1), self.pos
        self.pos = found.end()
        self.line += 1
        while self.pos < len(self.text):
            end = self.text.find("\n", self.pos)
            end = len(self.text) if end < 0 else end
            closing = self.text[self.pos : end].strip() == marker
            self.pos = end + 1
            if closing:
                self.tokens.append(_Token("str", f"<<{marker}", start, False, offset, offset))
                self.tokens.append(_Token("nl", "\n", self.line))
                self.line += 1
                return
            self.line += 1
        raise HclError(start, f"the heredoc <<{marker} is never closed")

    def _string(self) -> _Token:
        """A quoted template: its value, and whether it is literal (no `${`, no `%{`)."""
        start, offset = self.line, self.pos
        self.pos += 1
        out: list[str] = []
        literal = True
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return _Token("str", "".join(out), start, literal, offset, self.pos)
            if char == "\n":
                break
            if char == "\\":
                out.append(self._escape())
            elif text.startswith(("$${", "%%{"), self.pos):
                out.append(text[self.pos + 1 : self.pos + 3])
                self.pos += 3
            elif text.startswith(("${", "%{"), self.pos):
                literal = False
                self._template()
            else:
                out.append(char)
                self.pos += 1
        raise HclError(start, "a quoted string is never closed on its line")

    def _escape(self) -> str:
        text = self.text
        code = text[self.pos + 1 : self.pos + 2]
        if code in _ESCAPES:
            self.pos += 2
            return _ESCAPES[code]
        size = {"u": 4, "U": 8}.get(code)
        digits = text[self.pos + 2 : self.pos + 2 + size] if size else ""
        if size and re.fullmatch(r"[0-9A-Fa-f]+", digits) and len(digits) == size:
            self.pos += 2 + size
            value = int(digits, 16)
            return chr(value) if value <= 0x10FFFF else "\ufffd"
        raise HclError(self.line, "a quoted string has an escape HCL does not know")

    def _template(self) -> None:
        """Skip a `${...}` or `%{...}` (strings and braces nested in it included)."""
        self.pos += 2
        depth = 1
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == '"':
                self._string()
                continue
            if char == "\n":
                self.line += 1
            elif char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return
            self.pos += 1
        raise HclError(self.line, "an interpolation ${...} is never closed")


# -- parsing -------------------------------------------------------------------------------------

_OPEN = {"{": "}", "[": "]", "(": ")"}


class _Parser:
    def __init__(self, tokens: list[_Token], file: str, source: str) -> None:
        self.tokens = tokens
        self.source = source
        self.index = 0
        self.file = file
        self.blocks: list[ProviderBlock] = []
        self.literals: list[Literal] = []

    def _peek(self) -> _Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _line(self) -> int:
        token = self._peek()
        return token.line if token else (self.tokens[-1].line if self.tokens else 1)

    def body(
        self, path: tuple[str, ...], settings: dict[str, Value] | None, opened: int = 0
    ) -> int:
        """Items up to a closing `}` (returns its line) or, at the top, the end of the file."""
        while (token := self._peek()) is not None:
            if token.kind == "nl":
                self.index += 1
            elif token.kind == "punct" and token.text == "}":
                if not path:
                    raise HclError(token.line, "a } closes no block")
                self.index += 1
                return token.line
            elif token.kind == "ident":
                self._item(path, settings)
            else:
                raise HclError(token.line, f"unexpected {token.text!r}")
        if path:
            raise HclError(opened, f"the {path[-1]} block opened here is never closed")
        return self._line()

    def _item(self, path: tuple[str, ...], settings: dict[str, Value] | None) -> None:
        name = self.tokens[self.index]
        self.index += 1
        labels: list[_Token] = []
        while (token := self._peek()) is not None and token.kind in ("str", "ident"):
            labels.append(token)
            self.index += 1
        token = self._peek()
        if token is not None and token.kind == "punct" and token.text == "=" and not labels:
            self.index += 1
            value = self._value(name.text, name.line)
            if isinstance(value.literal, str) and name.text in LITERAL_NAMES:
                self.literals.append(Literal(self.file, name.line, path, name.text, value.literal))
            key = ".".join((*path[1:], name.text))
            if settings is not None and key in SETTINGS:
                if key in SECRET_SETTINGS:
                    value = Value(key, value.line, None, "(set)")
                settings[key] = value
            return
        if token is None or token.kind != "punct" or token.text != "{":
            raise HclError(name.line, f"{name.text!r} is neither an attribute nor a block")
        self.index += 1
        is_provider = (
            not path
            and name.text == "provider"
            and len(labels) == 1
            and labels[0].text == "aws"
            and labels[0].literal
        )
        if is_provider:
            own: dict[str, Value] = {}
            end = self.body(("provider",), own, name.line)
            self.blocks.append(ProviderBlock(self.file, name.line, end, own))
        else:
            inner = settings if path and settings is not None else None
            self.body((*path, name.text), inner, name.line)

    def _value(self, name: str, line: int) -> Value:
        """An attribute's expression up to the end of its line (brackets may span lines)."""
        start = self.index
        depth: list[str] = []
        while (token := self._peek()) is not None:
            if token.kind == "nl" and not depth:
                break
            if token.kind == "punct" and token.text == "}" and not depth:
                break  # `{ a = 1 }` on one line
            if token.kind == "punct" and token.text in _OPEN:
                depth.append(_OPEN[token.text])
            elif (
                token.kind == "punct"
                and token.text in ")]}"
                and (not depth or depth.pop() != token.text)
            ):
                raise HclError(token.line, f"a {token.text} closes nothing")
            self.index += 1
        if depth:
            raise HclError(line, f"the value of {name} is never closed")
        return _literal(name, line, self.tokens[start : self.index], self.source)


def _literal(name: str, line: int, tokens: list[_Token], source: str) -> Value:
    meaningful = [t for t in tokens if t.kind != "nl"]
    if len(meaningful) == 1 and meaningful[0].kind == "str" and meaningful[0].literal:
        return Value(name, line, meaningful[0].text)
    if (
        len(meaningful) >= 2
        and meaningful[0].text == "["
        and meaningful[-1].text == "]"
        and all(
            (t.kind == "str" and t.literal) if i % 2 == 0 else t.text == ","
            for i, t in enumerate(meaningful[1:-1])
        )
    ):
        return Value(name, line, tuple(t.text for t in meaningful[1:-1:2]))
    if not meaningful:
        return Value(name, line, None, "(nothing)")
    first, last = meaningful[0], meaningful[-1]
    shown = " ".join(source[first.start : max(last.end, first.start + len(first.text))].split())
    return Value(name, line, None, shown if len(shown) <= 60 else shown[:59] + "…")


def parse(text: str, file: str = "main.tf") -> list[ProviderBlock]:
    """The `provider "aws"` blocks of one file's text; raises HclError when it is not HCL."""
    return _parse(text, file)[0]


def _parse(text: str, file: str) -> tuple[list[ProviderBlock], list[Literal]]:
    parser = _Parser(_Scanner(text).scan(), file, text)
    parser.body((), None)
    return parser.blocks, parser.literals


# -- a directory ---------------------------------------------------------------------------------


def read_directory(directory: Path) -> Reading:
    """The AWS provider blocks of `directory/*.tf`, bounded; never raises for a bad file."""
    try:
        names = sorted(p.name for p in directory.iterdir() if p.name.endswith(".tf"))
    except OSError:
        return Reading()
    unread = [
        (name, f"not read: only the first {MAX_FILES} files are") for name in names[MAX_FILES:]
    ]
    blocks: list[ProviderBlock] = []
    overrides: list[ProviderBlock] = []
    literals: list[Literal] = []
    for name in names[:MAX_FILES]:
        try:
            read = bounded.read_file(directory / name, MAX_BYTES)
        except OSError as error:
            unread.append((name, f"not read: {error.strerror or error}"))
            continue
        if read.cut:
            unread.append((name, f"not read: over {MAX_BYTES // bounded.MB} MB"))
            continue
        try:
            found, written = _parse(read.data.decode("utf-8"), name)
        except UnicodeDecodeError:
            unread.append((name, "not checked: not UTF-8 text"))
            continue
        except HclError as error:
            unread.append((name, f"not checked: it does not parse as HCL ({error})"))
            continue
        (overrides if _OVERRIDE.match(name) else blocks).extend(found)
        literals.extend(written)
    return Reading(
        tuple(_merged(blocks, overrides)), tuple(unread), tuple(names[:MAX_FILES]), tuple(literals)
    )


def _merged(blocks: list[ProviderBlock], overrides: list[ProviderBlock]) -> list[ProviderBlock]:
    """Override files' settings replace those of the block with the same alias."""
    out = list(blocks)
    for override in overrides:
        for index, block in enumerate(out):
            if block.alias == override.alias:
                out[index] = ProviderBlock(
                    block.file, block.line, block.end, block.settings | override.settings
                )
                break
        else:
            out.append(override)
    return out


# -- which block failed --------------------------------------------------------------------------

# Terraform's diagnostic names the configuration it refers to: `on main.tf line 4, in provider
# "aws":` and `with provider["registry.terraform.io/hashicorp/aws"].west,` for an alias.
_ON = re.compile(r'\bon ([^\s,]+\.tf) line (\d+), in provider "aws"')
_WITH = re.compile(r'\bwith provider\["[^"\]]*/aws"\](?:\.([A-Za-z_][A-Za-z0-9_-]*))?')


@dataclass(frozen=True)
class Choice:
    """The provider block the error is about, or why none is chosen."""

    block: ProviderBlock | None
    candidates: tuple[ProviderBlock, ...] = ()  # when several could be the one
    named: str = ""  # the file and line the error names, when no block read here is there


def named_block(text: str) -> tuple[str, str | None] | None:
    """The provider block a Terraform error names (`main.tf line 4`, `provider["…/aws"]`) and
    the file it names, if it does."""
    on = _ON.search(text)
    if on is not None:
        return f"{on.group(1)} line {on.group(2)}", Path(on.group(1)).name
    with_ = _WITH.search(text)
    return (with_.group(0).removeprefix("with "), None) if with_ is not None else None


def choose(reading: Reading, text: str) -> Choice:
    """The block the error names (file and line, or alias), else the only one there is."""
    on = _ON.search(text)
    if on is not None:
        file, line = Path(on.group(1)).name, int(on.group(2))
        here = on.group(1) == file or on.group(1).startswith("./")
        for block in reading.blocks:
            if here and block.file == file and block.line <= line <= block.end:
                return Choice(block)
        return Choice(None, reading.blocks, f"{on.group(1)} line {line}")
    with_ = _WITH.search(text)
    if with_ is not None:
        alias = with_.group(1)
        same = tuple(b for b in reading.blocks if b.alias == alias)
        if len(same) == 1:
            return Choice(same[0])
    if len(reading.blocks) == 1:
        return Choice(reading.blocks[0])
    return Choice(None, reading.blocks)
