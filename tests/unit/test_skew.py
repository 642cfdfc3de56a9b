"""Clock offsets read from real AWS error texts (corpus entries and AWS's documented shapes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from awsmedic.aws import skew


def test_signature_expired_gives_a_clock_behind() -> None:
    said = skew.from_text(
        "An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z "
        "(20220127T015928Z - 15 min.)"
    )
    assert said is not None and said.behind is True
    assert said.seconds == -(60 * 105 + 1)  # 00:14:27 against AWS's 01:59:28
    assert said.tolerance == 900
    assert said.server_time == datetime(2022, 1, 27, 1, 59, 28, tzinfo=UTC)


def test_signature_not_yet_current_across_wrapped_lines() -> None:
    said = skew.from_text(
        " ServerlessError: ServerlessError: Signature not yet\n current: 20161008T200637Z is "
        "still later than 20161008T195903Z\n (20161008T195403Z + 5 min.)"
    )
    assert said is not None and said.behind is False
    assert said.seconds == 12 * 60 + 34
    assert said.tolerance == 300


def test_times_replaced_by_placeholders_keep_direction_and_tolerance() -> None:
    said = skew.from_text(
        "(InvalidSignatureException) when calling the GetAuthorizationToken operation: Signature "
        "expired: <DATE> is now earlier than <DATE>  (<DATE>  - 15 min.)"
    )
    assert said is not None
    assert (said.seconds, said.behind, said.tolerance) == (None, True, 900)


def test_s3_request_time_too_skewed_body() -> None:
    said = skew.from_text(
        "<Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time "
        "and the current time is too large.</Message><RequestTime>20190425T030525Z</RequestTime>"
        "<ServerTime>2019-04-25T03:20:29Z</ServerTime>"
        "<MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds></Error>"
    )
    assert said is not None and said.seconds == -(15 * 60 + 4) and said.tolerance == 900


def test_http_dates_are_understood() -> None:
    said = skew.from_text(
        "<RequestTime>Thu, 25 Apr 2019 06:05:25 GMT</RequestTime>"
        "<ServerTime>2019-04-25T03:05:25Z</ServerTime>"
    )
    assert said is not None and said.seconds == 3 * 3600 and said.behind is False


def test_text_without_times() -> None:
    assert skew.from_text("An error occurred (RequestExpired): Request has expired.") is None


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("Signature expired: x (20220127T015928Z - 15 min.)", 900),
        ("An error occurred (RequestTimeTooSkewed) when calling the PutObject operation", 900),
        ("operation error S3: GetObject, https response error StatusCode: 403", 900),
        ("An error occurred (SignatureDoesNotMatch) when calling the AssumeRole operation", 900),
        ("An error occurred (InvalidSignatureException) when calling the Invoke operation", 300),
        ("", 300),
    ],
)
def test_tolerance_follows_the_service(text: str, seconds: int) -> None:
    assert skew.tolerance_for(text)[0] == seconds


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (-4500, "75 minutes behind"),
        (10800, "3 hours ahead"),
        (-40, "40 seconds behind"),
        (1, "1 second ahead"),
        (0.2, "in sync"),
        (7500, "2 hours 5 minutes ahead"),
        (-(2 * 86400 + 3 * 3600 + 60), "2 days 3 hours behind"),
    ],
)
def test_offsets_in_words(seconds: float, words: str) -> None:
    assert skew.describe(seconds) == words
