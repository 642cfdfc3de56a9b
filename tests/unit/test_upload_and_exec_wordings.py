"""Wordings the twenty-third batch's development texts showed awsmedic did not know, each a
general rule: S3's answers to a browser upload whose form breaks its POST policy, S3's
TemporaryRedirect, a "wrong region" that is a label of an endpoint's host name, and Node's
`spawn aws ENOENT` from desktop Kubernetes clients."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import diagnosed, leading, step_text

# Cloudreve's direct upload to S3 (cloudreve/cloudreve, the corpus's gr13)
EXTRA_FIELD = (
    "<Error>\n    <Code>AccessDenied</Code>\n    <Message>Invalid according to Policy: Extra"
    " input fields: name</Message>\n    <RequestId>WPTSRFXZFB2XSE04</RequestId>\n</Error>"
)
# S3's message for a POST policy past its expiration (the same family of messages)
POLICY_EXPIRED = (
    "<Error><Code>AccessDenied</Code><Message>Invalid according to Policy: Policy expired."
    "</Message></Error>"
)
# The AWS SDK for Android through a VPC interface endpoint (the corpus's gs01)
VPCE = (
    "com.amazonaws.services.s3.model.AmazonS3Exception: The authorization header is malformed;"
    " the region 'vpce' is wrong; expecting 'eu-central-1' (Service: null; Status Code: 400;"
    " Error Code: AuthorizationHeaderMalformed; Request ID: DN552CRZ4)"
)
# Joplin's synchroniser on the JavaScript SDK v3 (laurent22/joplin, the corpus's gs07)
TEMPORARY = (
    "Synchronizer: TemporaryRedirect: Please re-send this request to the specified temporary"
    " endpoint. Continue to use the original request endpoint for future requests."
)
# Podman Desktop (the corpus's gs29)
SPAWN = 'The context is detected correctly. However, the ui displays "UNREACHABLE".\nHover shows `Error: spawn aws ENOENT`.'


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_a_form_field_the_post_policy_lacks(capsys: pytest.CaptureFixture[str]) -> None:
    output = diagnosed(capsys, EXTRA_FIELD)
    assert leading(output) == "presigned-signature-mismatch"
    steps = step_text(output)
    assert "generate_presigned_post" in steps and "X-Amz-SignedHeaders" not in steps


def test_an_expired_post_policy(capsys: pytest.CaptureFixture[str]) -> None:
    assert leading(diagnosed(capsys, POLICY_EXPIRED)) == "presigned-url-expired"


def test_a_host_label_for_a_region_is_an_endpoint(capsys: pytest.CaptureFixture[str]) -> None:
    candidates = [c["cause"] for c in diagnosed(capsys, VPCE)["candidates"]]
    assert candidates[0] == "endpoint-override"
    # a region name that is merely malformed stays invalid-region's
    typo = VPCE.replace("'vpce'", "'EU-central-1'")
    assert [c["cause"] for c in diagnosed(capsys, typo)["candidates"]][0] == "invalid-region"


@pytest.mark.parametrize(
    ("text", "tree"),
    [(TEMPORARY, "s3-wrong-region"), (SPAWN, "eks-exec-api-version")],
)
def test_the_family_is_recognised(knowledge: Knowledge, text: str, tree: str) -> None:
    best = Matcher(knowledge).recognise(text).best
    assert best is not None and best.tree == tree


def test_spawn_enoent_of_another_program_is_not_eks(knowledge: Knowledge) -> None:
    best = Matcher(knowledge).recognise("Error: spawn kubelogin ENOENT").best
    assert best is None or best.tree != "eks-exec-api-version"


def test_spawn_enoent_is_the_missing_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert leading(diagnosed(capsys, SPAWN)) == "eks-exec-command-not-found"
