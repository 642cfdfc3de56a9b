"""Text-only ranking (`--no-probes`) for the credential-source family, on the real corpus.

For every corpus text the matcher sends to one of this family's trees (or whose error code
belongs to it), the labelled cause must be among the first three candidates often enough.
The floor is what the knowledge base reaches today; raise it when it improves.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from awsmedic.context import Context
from awsmedic.core.consult import Consultation
from awsmedic.core.transcript import Meta, Transcript
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.safety.redact import SecretBook
from tests.unit.test_match import CORPUS, FAMILY

TREES = frozenset(
    {
        "no-credentials",
        "partial-credentials",
        "profile-not-found",
        "config-parse-error",
        "no-region",
        "invalid-region",
        "invalid-config",
        "credential-retrieval",
        "sso-session",
        "console-login",
        "web-identity",
        "container-credentials",
        "instance-metadata",
    }
)
#: Share of labelled texts whose cause is in the top 3 (34 of 37 when this was written;
#: the labelled cause is first for 25). 32 of 37 since the priors follow how often each cause
#: lies behind these families in the 450-text development part (issue 12): "Unable to get IAM
#: security credentials from EC2 Instance Metadata Service" means no credentials at all more
#: often than a container (d085, d086 now 4th), and d096's bare message names a rare cause.
FLOOR = 0.86


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def ranked(knowledge: Knowledge, text: str) -> tuple[str | None, list[str]]:
    ctx = Context(environ={}, home=None, probes_enabled=False)
    consultation = Consultation(
        ctx, knowledge, SecretBook(), Transcript(Meta(botocore="", started=datetime.now(UTC)))
    )
    recognition = consultation.recognise(text)
    if recognition.best is None:
        return None, []
    outcome = consultation.run(lambda question: None)
    return recognition.best.tree, [c.cause for c in outcome.candidates]


def in_scope(knowledge: Knowledge, entry: dict[str, str]) -> bool:
    if entry["cause"] == "unknown":
        return False
    tree, _ = ranked(knowledge, entry["text"])
    return tree in TREES or FAMILY.get(entry["error_code"]) in TREES


def test_labelled_causes_rank_in_the_top_three(knowledge: Knowledge) -> None:
    entries = [e for e in CORPUS if in_scope(knowledge, e)]
    misses = []
    for entry in entries:
        _, candidates = ranked(knowledge, entry["text"])
        if entry["cause"] not in candidates[:3]:
            misses.append(f"{entry['id']} {entry['cause']}: {candidates[:3]}")
    share = 1 - len(misses) / len(entries)
    assert len(entries) >= 35, "the family's corpus shrank: the scope is wrong"
    assert share >= FLOOR, "\n".join(misses)


@pytest.mark.parametrize(
    ("text", "tree", "first"),
    [
        (
            "botocore.exceptions.PartialCredentialsError: Partial credentials found in assume-role, "
            "missing: source_profile or credential_source",
            "partial-credentials",
            "source-profile-broken",
        ),
        (
            "botocore.exceptions.ProfileNotFound: The config profile (dev ) could not be found",
            "profile-not-found",
            "stray-characters",
        ),
        (
            "botocore.exceptions.InvalidRegionError: Provided region_name 'eu-west-1 ' doesn't match"
            " a supported format.",
            "invalid-region",
            "stray-characters",
        ),
        (
            "botocore.exceptions.InvalidRegionError: Provided region_name 'us_east_1' doesn't match"
            " a supported format.",
            "invalid-region",
            "invalid-region",
        ),
        (
            'botocore.exceptions.InvalidConfigError: The specified sso-session does not exist: "corp"',
            "invalid-config",
            "sso-misconfigured",
        ),
        (
            "An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: "
            "No access",
            "sso-session",
            "sso-misconfigured",
        ),
        (
            "botocore.exceptions.ConfigNotFound: The specified config file (/x/creds) could not be "
            "found.",
            "config-parse-error",
            "credentials-file-location",
        ),
        (
            "botocore.exceptions.CredentialRetrievalError: Error when retrieving credentials from "
            "container-role: Error retrieving metadata: Received non 200 response 403 from container "
            "metadata",
            "credential-retrieval",
            "container-credentials-failure",
        ),
        (
            "Unable to retrieve token for use in IMDSv2 call and IMDSv1 has been disabled",
            "instance-metadata",
            "imds-unreachable",
        ),
        (
            "Error: Could not assume role with OIDC: No OpenIDConnect provider found in your account "
            "for https://token.actions.githubusercontent.com",
            "web-identity",
            "web-identity-failure",
        ),
        (
            "Your session has expired or credentials have changed. Please reauthenticate using "
            "'aws login'.",
            "console-login",
            "console-login-session-expired",
        ),
    ],
)
def test_signature_messages_rank_their_cause_first(
    knowledge: Knowledge, text: str, tree: str, first: str
) -> None:
    """botocore's own messages (causes.md signatures) lead to their cause without probes."""
    matched, candidates = ranked(knowledge, text)
    assert matched == tree
    assert candidates[0] == first
