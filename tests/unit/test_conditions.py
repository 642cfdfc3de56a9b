"""Conditions on steps: the grammar, three-valued evaluation, and what `kb check` asks of them."""

from __future__ import annotations

import pytest

from awsmedic.kb.conditions import (
    AllOf,
    AnyOf,
    Atom,
    ConditionError,
    Not,
    Truth,
    evaluate,
    excludes,
    parse,
)


def test_precedence_not_then_and_then_or() -> None:
    assert parse("a or not b and c") == AnyOf(
        (Atom("finding", "a"), AllOf((Not(Atom("finding", "b")), Atom("finding", "c"))))
    )
    assert parse("(a or b) and os:linux") == AllOf(
        (AnyOf((Atom("finding", "a"), Atom("finding", "b"))), Atom("os", "linux"))
    )
    assert parse("fact:credential_source=env") == Atom("fact", "credential_source", "env")
    assert parse("code:InvalidClientTokenId") == Atom("code", "InvalidClientTokenId")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a and", "ends too early"),
        ("(a or b", "not closed"),
        ("a b", "unexpected 'b'"),
        ("Env_Keys", "not a finding code"),
        ("shell:bash", "unknown kind 'shell:'"),
        ("os:linux=1", "only fact: and answer:"),
        ("answer:key-rotated", "needs a value"),
        ("and a", "where a finding"),
    ],
)
def test_what_does_not_parse_says_why(text: str, message: str) -> None:
    with pytest.raises(ConditionError, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("yes", True),
        ("no", False),
        ("unknown", None),
        ("not unknown", None),
        ("yes or unknown", True),  # a true side decides an "or"
        ("no and unknown", False),  # a false side decides an "and"
        ("yes and unknown", None),
        ("no or unknown", None),
        ("not (no or no)", True),
    ],
)
def test_kleene_logic(text: str, expected: Truth) -> None:
    known = {"yes": True, "no": False}
    assert evaluate(parse(text), lambda atom: known.get(atom.name)) is expected


def test_excludes_only_what_is_false_whatever_else_holds() -> None:
    v1 = Atom("cli", "v1")
    assert excludes(parse("not cli:v1"), v1)
    assert excludes(parse("cli:v2"), v1)  # one value at a time
    assert excludes(parse("cli:v2 and os:linux"), v1)
    assert not excludes(parse("cli:v2 or os:linux"), v1)
    assert not excludes(parse("os:linux"), v1)
