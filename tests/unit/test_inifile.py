"""The line-level reader agrees with configparser (botocore's parser) and says where it breaks."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsmedic.aws.inifile import scan


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "credentials"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "code", "line"),
    [
        (b"\xef\xbb\xbf[default]\nregion = x\n", "bom", 1),
        ("[default]\nregion = x\n".encode("utf-16"), "utf16", 1),
        (b"[default]\n# caf\xe9\nregion = x\n", "not-utf8", 2),
        (b"region = x\n[default]\n", "no-section-header", 1),
        (b"[default]\njust words\n", "bad-line", 2),
        (b"[a]\nx = 1\n[a]\ny = 2\n", "duplicate-section", 3),
        (b"[a]\nx = 1\nX = 2\n", "duplicate-key", 3),
        (b"[a]\naws_access_key_id = A\n  aws_secret_access_key = B\n", "continuation", 3),
    ],
)
def test_problems_are_found_with_their_line(
    tmp_path: Path, data: bytes, code: str, line: int
) -> None:
    result = scan(write(tmp_path, data))
    assert (line, code) in [(issue.line, issue.code) for issue in result.issues]


def test_values_are_what_configparser_returns(tmp_path: Path) -> None:
    result = scan(
        write(tmp_path, b'[dev]\r\naws_access_key_id = "AKIA" # mine\r\nregion:eu-west-1  \r\n')
    )
    section = result.section("dev")
    assert section is not None and result.crlf and result.parses
    assert section.get("aws_access_key_id").value == '"AKIA" # mine'  # type: ignore[union-attr]
    assert section.get("region").line == 3  # type: ignore[union-attr]


def test_only_an_indented_line_makes_a_value_continued(tmp_path: Path) -> None:
    result = scan(write(tmp_path, b"[a]\nregion = x\n\n\nname = y\n  more\n\n"))
    section = result.section("a")
    assert section is not None
    assert not section.get("region").continued  # type: ignore[union-attr]
    assert section.get("name").continued  # type: ignore[union-attr]


def test_unreadable_paths(tmp_path: Path) -> None:
    assert not scan(tmp_path / "missing").exists
    assert scan(tmp_path).error == "it is a directory"


LINES = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "[default]",
                "[profile dev]",
                "[dev]",
                " [x]",
                "[a]]",
                "[]",
                "# c",
                "; c",
                "",
                "   ",
                "  indented = 1",
                "\tcont",
                "key",
                "=v",
                ":v",
            ]
        ),
        st.builds(
            lambda k, sep, v: f"{k}{sep}{v}",
            st.sampled_from(["region", "aws_access_key_id", "Region", " x "]),
            st.sampled_from([" = ", "=", ": ", ":"]),
            st.text(alphabet="ab #;=:\"'\r", max_size=6),
        ),
    ),
    max_size=12,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=LINES)
def test_agrees_with_configparser_on_what_parses(tmp_path: Path, lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    path = write(tmp_path, text.encode())
    parser = configparser.RawConfigParser()
    try:
        parser.read([str(path)])  # as botocore does: a file, so universal newlines apply
        accepted = True
    except configparser.Error:
        accepted = False
    result = scan(path)
    assert result.parses == accepted, (text, result.issues)
    if accepted:
        for section in result.sections:
            for entry in section.entries:
                assert parser.get(section.name, entry.name) == entry.value
