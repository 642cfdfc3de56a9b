from __future__ import annotations

import pytest

from awsmedic.aws.hygiene import printed_as, unwritten, value_problems, visible, without_escapes


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("AKIAX ", "trailing whitespace"),
        ("AKIAX\r", "carriage return"),
        ('"AKIAX"', "surrounding quotes"),
        ("AKIA\u200bX", "U+200B"),
        ("\ufeffAKIAX", "U+FEFF"),
        ("$AWS_KEY", "unexpanded variable"),
    ],
)
def test_stray_characters_are_described(value: str, fragment: str) -> None:
    assert any(fragment in problem for problem in value_problems(value))


def test_clean_value_has_no_problems() -> None:
    assert value_problems("AKIARZPUZDIKGB2VALC4") == []


def test_file_values_report_inline_comments_but_not_padding() -> None:
    problems = value_problems("AKIARZPUZDIKGB2VALC4 # mine", from_file=True)
    assert any("inline comment" in p for p in problems)
    assert not any("whitespace" in p for p in problems)


def test_descriptions_never_contain_the_value() -> None:
    value = '"SuperSecretValue123"\r'
    assert not any("SuperSecretValue123" in p for p in value_problems(value))


def test_empty_value_is_clean() -> None:
    assert value_problems("") == []


def test_a_control_character_is_named_by_its_code_point() -> None:
    assert value_problems("dev\x1b[31m") == ["a control character U+001B"]
    assert value_problems("a\x08b") == ["a control character U+0008"]


def test_visible_writes_what_a_terminal_would_hide_as_escapes() -> None:
    assert visible("dev") == "dev"
    assert visible("dev\x1b[31m") == "dev\\x1b[31m"
    assert visible("a\u202eb\u200bc\u00a0d") == "a\\u202eb\\u200bc\\xa0d"
    assert visible("café prod") == "café prod"


COLOURED = "\x1b[31meu-west-1\x1b]52;c;dG91\x07\x1b[0m"


def test_what_is_left_of_a_value_once_a_terminal_showed_it() -> None:
    assert without_escapes(COLOURED) == "eu-west-1"
    assert without_escapes("dev\x1b[8m") == "dev"
    assert unwritten(repr(COLOURED)[1:-1]) == COLOURED
    assert unwritten("C:\\\\Users") == "C:\\Users"


@pytest.mark.parametrize(
    ("printed", "value", "same"),
    [
        ("eu-west-1", COLOURED, True),  # the escapes were dropped by the terminal or the paste
        (repr(COLOURED)[1:-1], COLOURED, True),  # written out as a repr writes them
        ("eu-west-1", "eu-west-1", True),
        ("eu-west-2", COLOURED, False),
        ("", "\x1b[0m", False),  # nothing left is no value named
    ],
)
def test_an_error_names_a_value_as_it_printed_it(printed: str, value: str, same: bool) -> None:
    assert printed_as(printed, value) is same
