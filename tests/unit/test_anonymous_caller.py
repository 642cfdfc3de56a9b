"""AWS names the caller of an unsigned request "anonymous" (API Gateway, OpenSearch Service,
Cognito): no identity was refused, so "no policy allows the action" is not the cause; the
program found no credentials, or is a client that never signs (the thirty-fifth batch's
hq15, hq16), and the steps say how to sign."""

from __future__ import annotations

import pytest

from awsmedic.core.situation import Situation
from awsmedic.core.steps import build
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Fact
from tests.unit.offline_json import text_only

# a Lambda calling an OpenSearch domain with axios (hq16)
AXIOS = (
    "Message error: 'User: anonymous is not authorized to perform: es:ESHttpPost'\n"
    "So I'm calling Elastic over HTTP from inside a lambda using Axios."
)
# the same refusal of a signed request names the identity
SIGNED = (
    "User: arn:aws:sts::123456789012:assumed-role/search-writer/app is not authorized to"
    " perform: es:ESHttpPost on resource: arn:aws:es:eu-west-1:123456789012:domain/logs"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_an_anonymous_caller_was_not_signed(capsys: pytest.CaptureFixture[str]) -> None:
    ranked = text_only(capsys, AXIOS)
    assert set(ranked[:2]) == {"missing-authentication-token", "no-credentials"}
    # the resource's own policy (an IP-based domain policy) stays among the candidates
    assert "denied-beyond-identity-policy" in ranked[:5]
    assert text_only(capsys, SIGNED)[0] == "iam-permission-denied"


def _steps(knowledge: Knowledge, cause: str, signals: frozenset[str]) -> str:
    situation = Situation(
        facts={"os": Fact("linux"), "host_kind": Fact("linux")},
        present=signals,
        decided=signals,
        signals=frozenset(knowledge.signals),
    )
    steps = build(knowledge.causes[cause], situation, {"profile": "default"})
    return "\n".join(step.text for step in steps)


def test_the_steps_say_how_to_sign(knowledge: Knowledge) -> None:
    anonymous = frozenset({"anonymous-caller"})
    unsigned = _steps(knowledge, "missing-authentication-token", anonymous)
    assert "AWSV4SignerAuth" in unsigned and "IP-based access policy" in unsigned
    assert "create-deployment" not in unsigned
    # API Gateway's own "Missing Authentication Token" keeps its stage and path steps
    gateway = _steps(knowledge, "missing-authentication-token", frozenset())
    assert "create-deployment" in gateway and "AWSV4SignerAuth" not in gateway
    assert "AWSV4SignerAuth" in _steps(knowledge, "no-credentials", anonymous)
    assert "AWSV4SignerAuth" not in _steps(knowledge, "no-credentials", frozenset())
