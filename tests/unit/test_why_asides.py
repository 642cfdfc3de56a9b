"""A cause's Why is explanation: an aside in parentheses that names a value nothing here tells
is left out, where a `<region>` would tell the reader nothing (the steps say where to find it)."""

from __future__ import annotations

from awsmedic.core.steps import fill_prose

DENIED = (
    "AWS recognised the credentials (`{principal}`), but no policy allows the action (`{action}`"
    " on `{resource}`), so the request is denied."
)


def test_an_aside_with_every_value_known_is_filled_in() -> None:
    values = {
        "principal": "arn:aws:iam::123456789012:user/dev",
        "action": "s3:GetObject",
        "resource": "arn:aws:s3:::bucket/key",
    }
    assert fill_prose(DENIED, values) == (
        "AWS recognised the credentials (`arn:aws:iam::123456789012:user/dev`), but no policy"
        " allows the action (`s3:GetObject` on `arn:aws:s3:::bucket/key`), so the request is"
        " denied."
    )


def test_an_aside_with_a_value_unknown_is_left_out() -> None:
    said = fill_prose(DENIED, {"action": "s3:GetObject"})
    assert said == (
        "AWS recognised the credentials, but no policy allows the action, so the request is denied."
    )


def test_an_aside_over_a_line_break_is_left_out_whole() -> None:
    text = "15 minutes for S3 (this\ncomputer's clock: `{skew}`). AWS then answers."
    assert fill_prose(text, {}) == "15 minutes for S3. AWS then answers."


def test_a_paragraph_break_ends_an_aside() -> None:
    text = "One (first\n\nsecond `{skew}`) two."
    assert "<skew>" in fill_prose(text, {})


def test_a_quoted_message_keeps_its_parentheses() -> None:
    """Inside a code span the parentheses are the message's own words."""
    text = "botocore stops with `The config profile ({profile}) could not be found`."
    assert fill_prose(text, {}) == (
        "botocore stops with `The config profile (<profile>) could not be found`."
    )


def test_a_value_outside_an_aside_still_shows_as_unknown() -> None:
    assert fill_prose("Requests go to `{endpoint_url}`.", {}) == "Requests go to `<endpoint_url>`."
