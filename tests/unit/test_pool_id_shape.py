"""Cognito refusing an identity pool id of the wrong shape (a pool's name where its REGION:GUID
id belongs), as the twenty-ninth batch's development texts showed (the corpus's hd24: the Claude
Code with Bedrock guidance's credential helper given the pool's name)."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from tests.unit.offline_json import text_only

SHAPE = (
    "An error occurred (ValidationException) when calling the GetId operation:\n"
    "1 validation error detected: Value 'claude-code-auth' at 'identityPoolId'\n"
    "failed to satisfy constraint: Member must satisfy regular expression pattern:"
    " [\\w-]+:[0-9a-f-]+"
)


def test_a_pool_name_where_its_id_belongs(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, SHAPE)[0] == "cognito-pool-id-wrong"


def test_another_fields_validation_is_not_cognitos() -> None:
    # awslogs from Git Bash, which rewrote the log group's name (the corpus's gu27)
    text = (
        "An error occurred (InvalidParameterException) when calling the FilterLogEvents"
        " operation: 1 validation error detected: Value 'C:/Program Files/Git/ecs/my-log-group'"
        " at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression"
        " pattern: [\\.\\-_/#A-Za-z0-9]+"
    )
    best = Matcher(load_checked([shipped_dir()])).recognise(text).best
    assert best is None or best.tree != "cognito-identity-pool"
