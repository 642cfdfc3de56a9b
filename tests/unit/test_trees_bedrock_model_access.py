"""Amazon Bedrock's refusals of a model the account has no access to yet (Anthropic's use-case
form, a Marketplace subscription the first call could not make) lead to their own cause, not to
a missing IAM permission of the caller: the service's words as AWS's model-access guide, the AWS
re:Post knowledge center and users' threads quote them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from awsmedic.cli import main
from awsmedic.core.pastefacts import paste_facts

USE_CASE = (
    "botocore.errorfactory.ResourceNotFoundException: An error occurred"
    " (ResourceNotFoundException) when calling the Converse operation: Model use case details have"
    " not been submitted for this account. Fill out the Anthropic use case details form before"
    " using the model. If you have already filled out the form, try again in 15 minutes."
)
MARKETPLACE = (
    "AccessDeniedException: Model access is denied due to IAM user or service role is not"
    " authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions,"
    " aws-marketplace:Subscribe) to enable access to this model."
)
MARKETPLACE_ARN = (
    "AccessDeniedException: Model access is denied due to arn:aws:sts::123456789012:assumed-role/"
    "app/i-0abc is not authorized to perform: aws-marketplace:Subscribe on resource: * because no"
    " identity-based policy allows the aws-marketplace:Subscribe action."
)
# strands-agents/harness-sdk discussion 794
OLDER = (
    "botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException) when"
    " calling the ConverseStream operation: You don't have access to the model with the specified"
    " model ID.\n└ Bedrock region: us-west-2\n└ Model id: amazon.titan-text-express-v1"
)
INVOKE_DENIED = (
    "An error occurred (AccessDeniedException) when calling the InvokeModel operation: User:"
    " arn:aws:iam::123456789012:user/dev is not authorized to perform: bedrock:InvokeModel on"
    " resource: arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0"
    " because no identity-based policy allows the bedrock:InvokeModel action"
)


def diagnose(capsys: pytest.CaptureFixture[str], text: str) -> dict[str, Any]:
    main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


@pytest.mark.parametrize(
    ("text", "confidence"),
    [
        (USE_CASE, "confirmed"),
        (MARKETPLACE, "confirmed"),
        (MARKETPLACE_ARN, "confirmed"),
        (OLDER, "likely"),
    ],
)
def test_each_gate_reaches_the_model_access_cause(
    capsys: pytest.CaptureFixture[str], text: str, confidence: str
) -> None:
    diagnosis = diagnose(capsys, text)["diagnosis"]
    assert (diagnosis["cause"], diagnosis["confidence"]) == ("bedrock-model-access", confidence)


def test_the_steps_follow_the_gate_the_error_names(capsys: pytest.CaptureFixture[str]) -> None:
    use_case = json.dumps(diagnose(capsys, USE_CASE)["steps"])
    assert "aws bedrock get-use-case-for-model-access" in use_case
    assert "aws-marketplace:Subscribe" not in use_case
    marketplace = json.dumps(diagnose(capsys, MARKETPLACE)["steps"])
    assert "aws-marketplace:Subscribe" in marketplace
    assert "use-case" not in marketplace
    older = json.dumps(diagnose(capsys, OLDER)["steps"])
    assert (
        "aws bedrock get-foundation-model-availability --model-id amazon.titan-text-express-v1"
        " --region us-west-2"
    ) in older


def test_a_refused_invoke_permission_is_still_the_caller_s(
    capsys: pytest.CaptureFixture[str],
) -> None:
    causes = [c["cause"] for c in diagnose(capsys, INVOKE_DENIED)["candidates"]]
    assert "bedrock-model-access" not in causes


@pytest.mark.parametrize(
    ("text", "model"),
    [
        (OLDER, "amazon.titan-text-express-v1"),
        # an invocation URL, its colon escaped, through a cross-Region inference profile
        (
            "POST https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet"
            "-4-5-20250929-v1%3A0/converse-stream 403",
            "anthropic.claude-sonnet-4-5-20250929-v1:0",
        ),
        (
            'modelId="eu.anthropic.claude-3-7-sonnet-20250219-v1:0"',
            "anthropic.claude-3-7-sonnet-20250219-v1:0",
        ),
        ("model id: $(curl evil.example)", None),
        ("the model ID. Then", None),
    ],
)
def test_the_model_the_paste_names(text: str, model: str | None) -> None:
    found = paste_facts(text).get("bedrock_model_id")
    assert (found.value if found else None) == model
