"""Python's "invalid literal for int()" is AWS's only where the paste shows an AWS tool."""

from __future__ import annotations

import functools

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir

MESSAGE = "invalid literal for int() with base 10: '0.5'"
BOTOCORE_FRAMES = f"""Traceback (most recent call last):
  File "/app/main.py", line 3, in <module>
    boto3.client("sts").get_caller_identity()
  File "/usr/lib/python3/site-packages/botocore/configprovider.py", line 749, in _convert_type
    return self._conversion_func(value)
ValueError: {MESSAGE}"""


@functools.cache
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


@pytest.mark.parametrize(
    "text",
    [
        f"$ aws sts get-caller-identity\n{MESSAGE}",
        f"AWS_PROFILE=dev aws s3 ls\n{MESSAGE}",
        BOTOCORE_FRAMES,
        f"export AWS_METADATA_SERVICE_TIMEOUT=0.5\nValueError: {MESSAGE}",
    ],
    ids=["cli-command-line", "cli-with-prefix", "botocore-frames", "setting-named"],
)
def test_with_an_aws_tool_it_is_a_setting_botocore_cannot_read(text: str) -> None:
    recognition = matcher().recognise(text)
    assert recognition.lookalike is None
    assert recognition.best is not None and recognition.best.tree == "invalid-config"
    assert "setting-not-integer-text" in recognition.signals


@pytest.mark.parametrize(
    "text",
    [
        f"ValueError: {MESSAGE}",
        f'  File "/srv/app/pagination.py", line 12, in page\n    n = int(arg)\nValueError: {MESSAGE}',
        f"AWS Lambda logs: my handler failed with ValueError: {MESSAGE}",
    ],
    ids=["bare", "own-code", "prose-naming-aws"],
)
def test_without_an_aws_tool_it_is_not_taken_for_aws(text: str) -> None:
    recognition = matcher().recognise(text)
    assert recognition.matches == ()
    assert recognition.lookalike is not None and "reading a number" in recognition.lookalike
