"""A program that used credentials the chain did not find: botocore's get_credentials() returns
None and the Ruby SDK's chain nil, so the error is Python's or Ruby's, about an attribute of
nothing. It is the no-credentials family, whatever program printed it."""

from __future__ import annotations

import pytest

from tests.unit.test_lookalikes import matcher


@pytest.mark.parametrize(
    "text",
    [
        'Traceback (most recent call last):\n  File "/usr/local/bin/s3sync", line 41, in <module>\n'
        "    key = session.get_credentials().access_key\n"
        "AttributeError: 'NoneType' object has no attribute 'access_key'",
        "AttributeError: 'NoneType' object has no attribute 'get_frozen_credentials'",
        "/app/lib/uploader.rb:12:in `sign': undefined method `access_key_id' for nil:NilClass"
        " (NoMethodError)",
        # Ruby 3.4 quotes the method with plain quotes, and since 3.3 it says "for nil" alone
        "uploader.rb:12:in 'Uploader#sign': undefined method 'access_key_id' for nil"
        " (NoMethodError)",
    ],
)
def test_credentials_used_as_nothing_are_no_credentials(text: str) -> None:
    best = matcher().recognise(text).best
    assert best is not None and best.tree == "no-credentials", text


def test_another_attribute_of_nothing_is_not_taken_for_credentials() -> None:
    assert (
        matcher().recognise("AttributeError: 'NoneType' object has no attribute 'group'").best
        is None
    )
