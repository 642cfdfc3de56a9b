"""The YAML that kubeconfig files are written in, read without a YAML library.

kubectl (Go's yaml), `aws eks update-kubeconfig` (PyYAML) and eksctl write block mappings and
sequences of plain or quoted scalars, with `{}`/`[]` and the odd hand-written flow sequence
(`args: ["--region", "us-east-1"]`). That subset is read here; anything else (anchors, tags,
several documents) raises `YamlError`, and the caller says it could not read the file. PyYAML is
not a dependency of awsmedic, and a kubeconfig is only read to find its `exec` section.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_KEY = re.compile(
    r"""^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{\[\]},&*!|>%@`-][^#]*?|-[^\s#][^#]*?))\s*:(?:\s+|$)(.*)$"""
)
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "/": "/", "0": "\0", "r": "\r"}


class YamlError(ValueError):
    """The text is not in the YAML subset kubeconfig files use."""


@dataclass(frozen=True)
class _Line:
    number: int
    indent: int
    text: str


def _strip_comment(text: str) -> str:
    """`text` without a trailing comment (a `#` after whitespace, outside quotes)."""
    quote = ""
    for index, char in enumerate(text):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"" and (index == 0 or text[index - 1] in " \t:[{,-"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return text[:index].rstrip()
    return text.rstrip()


def _lines(text: str) -> list[_Line]:
    found: list[_Line] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise YamlError(f"line {number}: a tab in the indentation")
        content = _strip_comment(raw)
        stripped = content.strip()
        if not stripped or (stripped == "---" and not found):
            continue
        if stripped in ("---", "...") or stripped.startswith(("%", "&", "*", "!")):
            raise YamlError(f"line {number}: not in the kubeconfig subset of YAML")
        found.append(_Line(number, len(content) - len(content.lstrip()), stripped))
    return found


def scalar(text: str) -> Any:
    """A plain or quoted scalar, or a flow collection."""
    text = text.strip()
    if not text:
        return None
    if text[0] in "[{":
        value, rest = _flow(text, 0)
        if text[rest:].strip():
            raise YamlError(f"unexpected text after a flow collection: {text[rest:]!r}")
        return value
    if text[0] == '"':
        return _double(text)
    if text[0] == "'":
        if len(text) < 2 or not text.endswith("'"):
            raise YamlError(f"unterminated quoted string: {text!r}")
        return text[1:-1].replace("''", "'")
    if text[0] in "&*!|>":
        raise YamlError(f"not in the kubeconfig subset of YAML: {text!r}")
    if text in ("~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    return text


def _double(text: str) -> str:
    backslashes = len(text[:-1]) - len(text[:-1].rstrip("\\"))
    if len(text) < 2 or not text.endswith('"') or backslashes % 2:
        raise YamlError(f"unterminated quoted string: {text!r}")
    body, out, index = text[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char == "\\" and index + 1 < len(body):
            code = body[index + 1]
            if code == "u" and index + 5 < len(body):
                out.append(chr(int(body[index + 2 : index + 6], 16)))
                index += 6
                continue
            out.append(_ESCAPES.get(code, code))
            index += 2
            continue
        out.append(char)
        index += 1
    return "".join(out)


def _flow(text: str, index: int) -> tuple[Any, int]:
    """A flow sequence or mapping starting at text[index]; returns (value, index after it)."""
    opening = text[index]
    closing = "]" if opening == "[" else "}"
    items: list[Any] = []
    mapping: dict[str, Any] = {}
    index += 1
    while True:
        while index < len(text) and text[index] in " ,":
            index += 1
        if index >= len(text):
            raise YamlError(f"unterminated flow collection: {text!r}")
        if text[index] == closing:
            return (items if opening == "[" else mapping), index + 1
        value, index = _flow_item(text, index, closing)
        if opening == "[":
            items.append(value)
            continue
        if not isinstance(value, str) or index >= len(text) or text[index] != ":":
            raise YamlError(f"a flow mapping needs key: value pairs: {text!r}")
        item, index = _flow_item(text, index + 1, closing)
        mapping[value] = item


def _flow_item(text: str, index: int, closing: str) -> tuple[Any, int]:
    while index < len(text) and text[index] == " ":
        index += 1
    if index < len(text) and text[index] in "[{":
        return _flow(text, index)
    if index < len(text) and text[index] in "'\"":
        quote, end = text[index], index + 1
        while end < len(text):
            if text[end] == quote and (quote == "'" or text[end - 1] != "\\"):
                if quote == "'" and end + 1 < len(text) and text[end + 1] == "'":
                    end += 2
                    continue
                break
            end += 1
        return scalar(text[index : end + 1]), end + 1
    # A plain scalar ends at a comma, a closing bracket, or a colon that is an indicator
    # (followed by a space, a comma or a bracket): `https://host` keeps its colon.
    end = index
    while end < len(text) and text[end] not in ",]}":
        if text[end] == ":" and (end + 1 == len(text) or text[end + 1] in " ,]}"):
            break
        end += 1
    return scalar(text[index:end]), end


class _Parser:
    def __init__(self, lines: list[_Line]) -> None:
        self.lines = lines
        self.at = 0

    def block(self, indent: int) -> Any:
        """The block whose lines start at `indent` (a mapping or a sequence)."""
        if self.at >= len(self.lines):
            return None
        if self.lines[self.at].text.startswith("- ") or self.lines[self.at].text == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def sequence(self, indent: int) -> list[Any]:
        items: list[Any] = []
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if line.indent != indent or not (line.text.startswith("- ") or line.text == "-"):
                if line.indent > indent:
                    raise YamlError(f"line {line.number}: unexpected indentation")
                break
            rest = line.text[1:].lstrip()
            offset = indent + len(line.text) - len(rest)
            if not rest:
                self.at += 1
                items.append(self.nested(indent, line))
            elif rest.startswith("- "):
                self.lines[self.at] = _Line(line.number, offset, rest)
                items.append(self.sequence(offset))
            elif _KEY.match(rest):
                self.lines[self.at] = _Line(line.number, offset, rest)
                items.append(self.mapping(offset))
            else:
                self.at += 1
                items.append(scalar(rest))
        return items

    def mapping(self, indent: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        while self.at < len(self.lines):
            line = self.lines[self.at]
            if line.indent < indent:
                break
            if line.indent > indent:
                raise YamlError(f"line {line.number}: unexpected indentation")
            if line.text.startswith("- ") or line.text == "-":
                break  # a sequence at the parent's indent ends this mapping
            found = _KEY.match(line.text)
            if not found:
                raise YamlError(f"line {line.number}: expected 'key: value'")
            key = _key(found)
            value = found.group(4).strip()
            self.at += 1
            if value in ("|", "|-", "|+", ">", ">-", ">+"):
                result[key] = self.literal(indent, value)
            elif value:
                result[key] = scalar(value)
            else:
                result[key] = self.nested(indent, line, allow_same=True)
        return result

    def nested(self, indent: int, parent: _Line, *, allow_same: bool = False) -> Any:
        """The value of `parent` on the following lines (None when there is none)."""
        if self.at >= len(self.lines):
            return None
        following = self.lines[self.at]
        if following.indent > indent:
            return self.block(following.indent)
        # `key:` followed by `- item` at the key's own indent is a sequence (Go's yaml does it).
        if allow_same and following.indent == indent and following.text.startswith("- "):
            return self.sequence(indent)
        return None

    def literal(self, indent: int, style: str) -> str:
        parts: list[str] = []
        while self.at < len(self.lines) and self.lines[self.at].indent > indent:
            parts.append(self.lines[self.at].text)
            self.at += 1
        joined = ("\n" if style.startswith("|") else " ").join(parts)
        return joined if style.endswith("-") else joined + "\n"


def _key(found: re.Match[str]) -> str:
    if found.group(1) is not None:
        return _double(f'"{found.group(1)}"')
    if found.group(2) is not None:
        return found.group(2).replace("''", "'")
    return found.group(3).strip()


def load(text: str) -> Any:
    """Parse a kubeconfig: JSON (which kubectl also reads), or the YAML subset above."""
    if text.lstrip().startswith("{"):
        try:
            return json.loads(text)
        except ValueError:
            pass  # a flow mapping in YAML syntax
    lines = _lines(text)
    if not lines:
        return None
    if len(lines) == 1 and lines[0].text[0] in "[{":
        return scalar(lines[0].text)
    parser = _Parser(lines)
    value = parser.block(lines[0].indent)
    if parser.at < len(lines):
        raise YamlError(f"line {lines[parser.at].number}: unexpected text")
    return value
