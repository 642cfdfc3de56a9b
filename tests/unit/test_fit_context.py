"""benchmarks/fit_context.py: context-keyed boosts are shrunk toward the family prior, and keys
name the tool, the SDK under it, and real context signals."""

from __future__ import annotations

import pytest
from benchmarks.fit_context import Row, Rule, boosts, keys_of, language

from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import Knowledge

PRIORS = {"fam": {"a": 60, "b": 30, "c": 10}}


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked(knowledge_dirs({}))


def _rows(causes: str, key: str = "tool:x") -> list[Row]:
    return [Row(f"r{i}", "A", "fam", c, frozenset({key})) for i, c in enumerate(causes)]


def test_labels_as_the_prior_expects_give_no_boost() -> None:
    rows = _rows("aaaaaabbbc")  # 6/3/1 of 10: the family prior exactly
    assert boosts(Rule(("tool",), least=3, shrink=10), rows, PRIORS, {}) == {}


def test_a_key_that_favours_a_cause_raises_it_less_the_more_the_prior_weighs() -> None:
    rows = _rows("cccc")
    weak = boosts(Rule(("tool",), least=3, shrink=5), rows, PRIORS, {})["fam"]["tool:x"]
    strong = boosts(Rule(("tool",), least=3, shrink=50), rows, PRIORS, {})["fam"]["tool:x"]
    # count: 100 * (4 - 4 * 0.1) / (4 + M)
    assert weak["c"] == round(100 * 3.6 / 9) and strong["c"] == round(100 * 3.6 / 54)
    assert weak["a"] < 0 and weak["b"] < 0
    assert boosts(Rule(("tool",), least=5), rows, PRIORS, {}) == {}  # too few texts
    assert boosts(Rule(("ctx",), least=3), rows, PRIORS, {}) == {}  # another kind of key


def test_residual_counts_only_what_the_current_ranking_leaves_unexplained() -> None:
    rows = _rows("cccc")
    explained = {row.id: {"a": 0.0, "b": 0.0, "c": 1.0} for row in rows}
    assert boosts(Rule(("tool",), least=3, method="residual"), rows, PRIORS, explained) == {}


def test_keys_name_the_tool_its_sdk_and_context(knowledge: Knowledge) -> None:
    assert language(knowledge, "terraform") == "go"  # it prints the Go SDK's errors
    assert language(knowledge, "aws-cli") == "python"
    keys = keys_of(knowledge, "cdk", "session ASIAABCDEFGHIJKLMNOP on ECS Fargate")
    assert {"tool:cdk", "sdk:js", "ctx:key-id-temporary", "ctx:container-context"} <= keys
    assert keys_of(knowledge, None, "The security token included in the request is invalid") == (
        frozenset()
    )
