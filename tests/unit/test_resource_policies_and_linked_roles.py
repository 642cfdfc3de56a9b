"""Rules the forty-fifth batch's development texts showed missing: a refusal because no
resource-based policy allows the action (the resource's own policy must allow the caller: a
runtime, key or layer of another account, ij06) ranks that policy beside the missing statement;
a service that could not create its service-linked role on the caller's behalf (ij09) is a
missing permission; requests-aws4auth without a region (ij10) is no region."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import text_only

CROSS_ACCOUNT = (
    "botocore.errorfactory.AccessDeniedException: An error occurred (AccessDeniedException)"
    " when calling the InvokeAgentRuntime operation: User:"
    " arn:aws:sts::111122223333:assumed-role/Admin/user is not authorized to perform:"
    " bedrock-agentcore:InvokeAgentRuntime on resource:"
    " arn:aws:bedrock-agentcore:us-west-2:444455556666:runtime/MyAgent because no"
    " resource-based policy allows the bedrock-agentcore:InvokeAgentRuntime action"
)


def test_no_resource_based_policy_allows(capsys: pytest.CaptureFixture[str]) -> None:
    top = text_only(capsys, CROSS_ACCOUNT)[:3]
    assert "denied-beyond-identity-policy" in top and "iam-permission-denied" in top
    # the caller's own policies lack the Allow: the resource's policy is not named
    ranked = text_only(capsys, CROSS_ACCOUNT.replace("resource-based", "identity-based"))
    assert ranked[0] == "iam-permission-denied"
    assert "denied-beyond-identity-policy" not in ranked[:2]


@pytest.mark.parametrize(
    "text",
    [
        # Bedrock AgentCore's CreateAgentRuntime, through a CDK deployment
        "CREATE_FAILED | AWS::BedrockAgentCore::Runtime | Failed creating service linked role."
        " Please verify that the calling role has sufficient permissions to create a service"
        " linked role.",
        # API Gateway's CreateDomainName, through Terraform
        "Error: creating API Gateway v2 Domain Name (api.example.com): operation error"
        " ApiGatewayV2: CreateDomainName, https response error StatusCode: 400, RequestID:"
        " 5d2f0a1e-8c3b-4f7a-9e6d-2b1c0a9f8e7d, BadRequestException: Caller does not have"
        " permissions to create a Service Linked Role",
    ],
)
def test_a_service_linked_role_the_caller_may_not_create(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert text_only(capsys, text)[0] == "iam-permission-denied"


def test_requests_aws4auth_without_a_region(capsys: pytest.CaptureFixture[str]) -> None:
    text = (
        "INFO:botocore.credentials:Found credentials in shared credentials file:"
        " ~/.aws/credentials\nERROR:opensearch.client:Failed to get AWS credentials: region must"
        " be provided as keyword argument when using refreshable_credentials"
    )
    assert text_only(capsys, text)[0] == "no-region"
