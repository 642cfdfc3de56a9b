"""Two refusals of the fifty-second batch's development texts that no family knew: Glue could
not assume the role it was handed ("Service is unable to assume provided role. Please verify
role's TrustPolicy": the trust policy, a role created a moment before, a wrong ARN; iy28, iy29),
and Service Catalog's "No launch paths found for resource" for a caller not associated with the
product's portfolio (Account Factory for Terraform, ix18 and ix19)."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import diagnosed, leading, step_text, text_only

GLUE = [
    "│ Error: creating Glue Crawler (sales-crawler): InvalidInputException: Service is unable to"
    " assume provided role. Please verify role's TrustPolicy",
    "botocore.errorfactory.InvalidInputException: An error occurred (InvalidInputException) when"
    " calling the CreateCrawler operation: Service is unable to assume role"
    " arn:aws:iam::123456789012:role/glue-crawler. Please verify role's TrustPolicy",
]
PORTFOLIO = [
    '"EXCEPTION": "An error occurred (ResourceNotFoundException) when calling the'
    ' ProvisionProduct operation: No launch paths found for resource: prod-abcdefghijklm"',
    "An error occurred (ResourceNotFoundException) when calling the ProvisionProduct operation:"
    " No launch paths found for resource",
]


@pytest.mark.parametrize("text", GLUE)
def test_glue_could_not_assume_its_role(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert text_only(capsys, text)[0] == "assume-role-denied"
    steps = step_text(diagnosed(capsys, text))
    assert "trust policy" in steps
    assert "retry after a few seconds" in steps  # a role the same template just made


def test_the_role_in_the_message_fills_the_steps(capsys: pytest.CaptureFixture[str]) -> None:
    steps = step_text(diagnosed(capsys, GLUE[1]))
    assert "--role-name glue-crawler" in steps


@pytest.mark.parametrize("text", PORTFOLIO)
def test_no_launch_paths(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert text_only(capsys, text)[0] == "iam-permission-denied"
    output = diagnosed(capsys, text)
    assert leading(output) == "iam-permission-denied"
    steps = step_text(output)
    assert "aws servicecatalog associate-principal-with-portfolio" in steps
    assert "policy simulator" not in steps
