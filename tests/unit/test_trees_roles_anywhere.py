"""IAM Roles Anywhere's refusals of CreateSession (through aws_signing_helper, a
credential_process) lead to their own causes, not to a missing IAM permission: the certificate's
chain, the request's signature, the profile and the role's trust. The service's words as the
credential helper's issues quote them."""

from __future__ import annotations

import json

import pytest

from awsmedic.cli import main
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.test_trees_denied_network import walk

UNTRUSTED = "AccessDeniedException: Untrusted Signing Certificate"
THROUGH_CLI = (
    "$ aws s3 ls --profile onprem\n"
    "Error when retrieving credentials from custom-process: 2025/04/11 09:12:44"
    " AccessDeniedException: Untrusted Signing Certificate"
)
SIGNATURE = (
    "operation error RolesAnywhere: CreateSession, https response error StatusCode: 403,"
    " RequestID: 3c0ab1e2-5d4f-4f7e-9b1a-2f3e4d5c6b7a, AccessDeniedException: Invalid signature"
)
NOT_IN_PROFILE = "Exception: Requested Role isn't one of those listed in the Profile."
SESSION_NAME = "AccessDeniedException: Not authorized to set roleSessionName."
OTHER = (
    "operation error RolesAnywhere: CreateSession, https response error StatusCode: 403,"
    " RequestID: 3c0ab1e2-5d4f-4f7e-9b1a-2f3e4d5c6b7a, AccessDeniedException: Access denied"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize(
    ("text", "cause", "confidence"),
    [
        (UNTRUSTED, "roles-anywhere-untrusted-certificate", "confirmed"),
        (THROUGH_CLI, "roles-anywhere-untrusted-certificate", "confirmed"),
        (SIGNATURE, "roles-anywhere-key-mismatch", "likely"),
        (NOT_IN_PROFILE, "roles-anywhere-profile-mismatch", "confirmed"),
        (SESSION_NAME, "roles-anywhere-profile-mismatch", "confirmed"),
        (OTHER, "roles-anywhere-profile-mismatch", "possible"),
    ],
)
def test_each_refusal_reaches_its_cause(
    knowledge: Knowledge, text: str, cause: str, confidence: str
) -> None:
    tree, found, how, candidates = walk(knowledge, text, {})
    assert tree == "access-denied"
    assert (found, how) == (cause, confidence)
    assert "iam-permission-denied" not in candidates[:1]


@pytest.mark.parametrize(
    "text",
    [
        # the same words elsewhere: NuGet's package signing, an unrelated "Invalid signature"
        "error NU3018: The signing certificate is an untrusted signing certificate.",
        "AccessDeniedException: Invalid signature in request header X-Signature",
    ],
)
def test_the_same_words_without_roles_anywhere_do_not_lead_there(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    causes = [candidate["cause"] for candidate in output["candidates"]]
    assert not [cause for cause in causes if cause.startswith("roles-anywhere")]
