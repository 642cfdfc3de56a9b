"""Rules the twenty-seventh batch's development texts showed were missing: Node's connect errors
to instance metadata's address (EINVAL too: no route from the container) are about reaching AWS,
and the CloudWatch agent's "ec2metadata is not available" is instance metadata not answering."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import text_only


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize("error", ["EINVAL", "ETIMEDOUT", "EHOSTUNREACH"])
def test_node_could_not_connect_to_instance_metadata(
    capsys: pytest.CaptureFixture[str], error: str
) -> None:
    # kinesis-node in a container (the corpus's gz14)
    text = f"Error: connect {error} 169.254.169.254:80 - Local (0.0.0.0:0)\n    at internalConnect"
    assert text_only(capsys, text)[0] == "imds-unreachable"


def test_a_connect_error_elsewhere_is_not_recognised(knowledge: Knowledge) -> None:
    # no AWS in it: a database or any host
    assert Matcher(knowledge).recognise("Error: connect ECONNREFUSED 127.0.0.1:5432").best is None


def test_the_cloudwatch_agent_found_no_instance_metadata(
    knowledge: Knowledge, capsys: pytest.CaptureFixture[str]
) -> None:
    # on Fargate (the corpus's gz16)
    text = "2019/10/10 14:09:58 E! ec2metadata is not available"
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == "instance-metadata"
    assert text_only(capsys, text)[0] == "imds-unreachable"
