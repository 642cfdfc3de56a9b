"""What the words around a failed connection or a refusal tell (the sixty-second to sixty-fourth
batches' development halves showed each): a FIPS or dual-stack host that does not resolve, a
Go program with no CA roots, an ECR registry's refusal, EC2's AuthFailure from a clock far off,
an opt-in region named in the paste, and Azure Storage's refusal in Hadoop's words."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import text_only
from tests.unit.test_lookalikes import lookalike, matcher

VARIANT = "endpoint-variant-unavailable"


@pytest.mark.parametrize(
    "text",
    [
        # botocore's message with FIPS turned on for a service and region that have no FIPS host
        "AWS_USE_FIPS_ENDPOINT=true aws autoscaling describe-auto-scaling-groups\n\nCould not"
        ' connect to the endpoint URL: "https://autoscaling-fips.ap-southeast-2.amazonaws.com/"',
        # Go's resolver on IAM Identity Center's FIPS portal host
        'RequestError: send request failed\ncaused by: Get "https://portal.sso-fips.us-gov-east-1'
        '.amazonaws.com/federation/credentials": dial tcp: lookup portal.sso-fips.us-gov-east-1'
        ".amazonaws.com: no such host",
        # Node.js on a dual-stack host that does not exist
        "Error: getaddrinfo ENOTFOUND kinesis.ap-south-2.api.aws",
    ],
)
def test_a_fips_or_dual_stack_host_that_does_not_answer_is_a_variant_that_does_not_exist(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert matcher().recognise(text).best.tree == "connection-failed"  # type: ignore[union-attr]
    assert VARIANT in text_only(capsys, text)[:2]


def test_a_plain_host_that_does_not_resolve_is_not_taken_for_a_variant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    ranked = text_only(capsys, "Error: getaddrinfo ENOTFOUND sts.ap-southeast-9.amazonaws.com")
    assert ranked[0] != VARIANT
    assert "invalid-region" in ranked[:2]


def test_node_s_words_for_a_host_that_does_not_resolve_count_for_aws_hosts_only() -> None:
    assert matcher().recognise("Error: getaddrinfo ENOTFOUND registry.npmjs.org").best is None


def test_a_go_program_without_ca_roots_is_a_tls_problem(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        'level=error msg="listing buckets" err="RequestError: send request failed\\ncaused by:'
        ' Get \\"https://s3.eu-west-1.amazonaws.com/\\": x509: failed to load system roots and'
        ' no roots provided"'
    )
    assert text_only(capsys, text)[0] == "tls-or-proxy"


@pytest.mark.parametrize(
    "text",
    [
        "Error: unexpected status from HEAD request to https://public.ecr.aws/v2/karpenter/"
        "karpenter/manifests/1.1.0: 403 Forbidden",
        'failed to resolve reference "123456789012.dkr.ecr.eu-west-1.amazonaws.com/app:v3":'
        " pulling from host 123456789012.dkr.ecr.eu-west-1.amazonaws.com failed with status"
        " code [manifests v3]: 401 Unauthorized",
    ],
)
def test_a_registry_s_refusal_of_an_ecr_host_is_its_login(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert text_only(capsys, text)[0] == "ecr-auth-token"


@pytest.mark.parametrize(
    "text",
    [
        "aws_instance.web: Error launching source instance: AuthFailure: AWS was not able to"
        " validate the provided access credentials\n\tstatus code: 401, request id: 0f9c3a7e",
        "botocore.exceptions.ClientError: An error occurred (AuthFailure) when calling the"
        " DescribeInstances operation: AWS was not able to validate the provided access"
        " credentials",
    ],
)
def test_ec2_s_authfailure_keeps_a_clock_far_off_in_view(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert "clock-skew" in text_only(capsys, text)[:3]


def test_the_security_token_refused_elsewhere_does_not_raise_the_clock(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation:"
        " The security token included in the request is invalid."
    )
    assert "clock-skew" not in text_only(capsys, text)[:5]


def test_an_opt_in_region_named_in_the_paste_raises_the_global_token(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = (
        "Querying CloudWatch in opt-in regions fails when the data source assumes a role:"
        " InvalidClientTokenId: The security token included in the request is invalid"
    )
    assert "sts-global-token-opt-in-region" in text_only(capsys, text)[:2]


@pytest.mark.parametrize(
    "text",
    [
        'java.lang.RuntimeException: Operation failed: "This request is not authorized to perform'
        ' this operation using this permission.", 403, HEAD, https://lake.dfs.core.windows.net/'
        "raw/events?upn=false&timeout=90",
        'Operation failed: "This request is not authorized to perform this operation.", 403, HEAD',
    ],
)
def test_azure_storage_s_refusal_in_hadoop_s_words_is_a_look_alike(text: str) -> None:
    named = lookalike(text)
    assert named is not None and "Azure" in named
