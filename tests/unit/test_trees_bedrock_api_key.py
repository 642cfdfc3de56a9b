"""The Amazon Bedrock API key family: Bedrock's two answers to a bearer token are recognised
whatever wraps them, other services' "API key" messages are not, and the walk reaches each cause
for its evidence (the shipped tree walked with hand-made probe results; bedrock.api-key has its
own tests)."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Status
from tests.unit.test_trees_denied_network import Findings, walk

# Bedrock's answers as the threads quote them (anomalyco/opencode#47073,
# ai4s-research/open-science#53, farion1231/cc-switch#1679) and as LiteLLM wraps them.
FORMAT = 'API Error: 403 {"Message":"Invalid API Key format: Must start with pre-defined prefix"}'
FORMAT_LITELLM = (
    "litellm.APIConnectionError: BedrockException - "
    '{"Message":"Invalid API Key format: Must start with pre-defined prefix"}'
)
REFUSED = 'Forbidden: {"Message":"Authentication failed: Please make sure your API Key is valid."}'
REFUSED_PYTHON = (
    "botocore.exceptions.ClientError: An error occurred (403) when calling the Converse"
    " operation: Authentication failed: Please make sure your API Key is valid."
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("text", [FORMAT, FORMAT_LITELLM, REFUSED, REFUSED_PYTHON])
def test_bedrocks_answers_are_recognised(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == "bedrock-api-key"


@pytest.mark.parametrize(
    "text",
    [
        # other services and apps that ask for a valid API key
        "Access denied. Please make sure your API key is valid.",
        '{"error":"invalid api key. please make sure your api key is valid and enabled"}',
        "Invalid or unregistered Gemini API key. Please make sure your API key is valid.",
    ],
)
def test_other_api_key_messages_are_not_bedrocks(knowledge: Knowledge, text: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is None or best.tree != "bedrock-api-key"


CASES: list[tuple[str, Findings, dict[str, str], str, str]] = [
    # what was sent is no key: the variable shows it, or the tool sent a value of its own
    (
        FORMAT,
        {"bedrock.api-key": ("bedrock-key-malformed",)},
        {},
        "bedrock-api-key-malformed",
        "confirmed",
    ),
    (
        FORMAT,
        {"bedrock.api-key": ("bedrock-key-long-term",)},
        {"bedrock-key-intent": "api key"},
        "bedrock-api-key-malformed",
        "likely",
    ),
    # the tool meant to sign with the AWS credentials and sent a bearer token of its own
    (
        FORMAT,
        {"bedrock.api-key": ("bedrock-key-unset",)},
        {"bedrock-key-intent": "aws credentials"},
        "tool-too-old-for-config",
        "likely",
    ),
    (
        FORMAT,
        {"bedrock.api-key": ("bedrock-key-unset",)},
        {"bedrock-key-intent": "not sure"},
        "bedrock-api-key-malformed",
        "possible",
    ),
    # a key with the right prefix that no longer works here
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-short-term", "bedrock-key-expired")},
        {},
        "bedrock-api-key-expired",
        "confirmed",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-short-term", "bedrock-key-region-mismatch")},
        {},
        "bedrock-api-key-wrong-region",
        "confirmed",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-short-term", "bedrock-key-from-session")},
        {},
        "bedrock-api-key-expired",
        "possible",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-long-term",)},
        {"bedrock-key-state": "inactive"},
        "bedrock-api-key-revoked",
        "confirmed",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-long-term",)},
        {"bedrock-key-state": "expired"},
        "bedrock-api-key-expired",
        "confirmed",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-unset",)},
        {},
        "bedrock-api-key-expired",
        "possible",
    ),
    (
        REFUSED,
        {"bedrock.api-key": ("bedrock-key-malformed",)},
        {},
        "bedrock-api-key-malformed",
        "confirmed",
    ),
]


@pytest.mark.parametrize(("text", "evidence", "answers", "cause", "confidence"), CASES)
def test_each_cause_is_reached_for_its_evidence(
    knowledge: Knowledge,
    text: str,
    evidence: Findings,
    answers: dict[str, str],
    cause: str,
    confidence: str,
) -> None:
    tree, found, how, _ = walk(knowledge, text, evidence, answers)
    assert tree == "bedrock-api-key"
    assert (found, how) == (cause, confidence)


def test_every_cause_of_the_family_has_a_case(knowledge: Knowledge) -> None:
    tree = knowledge.trees["bedrock-api-key"]
    reachable = {node.cause for node in tree.nodes.values() if hasattr(node, "cause")}
    assert reachable - {"unknown"} <= {case[3] for case in CASES}


def test_a_long_term_key_whose_state_is_unknown_leaves_the_question_open(
    knowledge: Knowledge,
) -> None:
    _, found, how, candidates = walk(
        knowledge, REFUSED, {"bedrock.api-key": ("bedrock-key-long-term",)}
    )
    assert found is None and how == "long-term: a question was left unanswered"
    assert set(candidates[:2]) == {"bedrock-api-key-expired", "bedrock-api-key-revoked"}


def test_with_no_probes_the_prefix_answer_ranks_a_wrong_value_first(knowledge: Knowledge) -> None:
    _, _, _, candidates = walk(knowledge, FORMAT, {"bedrock.api-key": Status.SKIPPED})
    assert candidates[0] == "bedrock-api-key-malformed"
