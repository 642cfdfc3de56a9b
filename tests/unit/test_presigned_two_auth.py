"""S3 refuses a presigned URL that comes with an Authorization header too (InvalidArgument,
"Only one auth mechanism allowed"): an updater that keeps its GitHub token across the redirect
to a release asset, an HTTP interceptor, CloudFront forwarding the viewer's header to an S3
origin (the fiftieth batch's iu31). The fix is to send no Authorization header, not to sign
the URL again."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, text_only

MESSAGE = (
    "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query"
    " string parameter or the Authorization header should be specified"
)
XML = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InvalidArgument</Code>'
    f"<Message>{MESSAGE}</Message><ArgumentName>Authorization</ArgumentName>"
    "<ArgumentValue>Bearer eyJhbGciOi</ArgumentValue><RequestId>5D7E1C0A9B3F2E61</RequestId>"
    "</Error>"
)
XML_LINES = XML.replace("><", ">\n<")  # as an updater's log prints the body


@pytest.mark.parametrize(
    "text",
    [
        XML,
        f"HttpError: 400 Bad Request\n{XML_LINES}",
        f"botocore.exceptions.ClientError: An error occurred (InvalidArgument) when calling the"
        f" GetObject operation: {MESSAGE}",
    ],
)
def test_a_presigned_url_with_an_authorization_header(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert text_only(capsys, text)[0] == "presigned-signature-mismatch"


def test_the_step_says_to_drop_the_header(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(capsys, XML)
    assert leading(output) == "presigned-signature-mismatch"
    first = output["steps"][0]["text"]
    assert "with no `Authorization` header" in first
    # the steps for a URL whose signed headers or method differ do not apply here
    assert not any("X-Amz-SignedHeaders" in step["text"] for step in output["steps"])
    assert "Bearer" not in str(output["steps"])
