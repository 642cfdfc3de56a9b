"""What the sixty-fifth to sixty-seventh batches' development halves showed: Go v1's
shared-credentials provider used on its own, which reads only the credentials file; Google's
client libraries refusing a call in their own class names; ArvanCloud's store by its host."""

from __future__ import annotations

import pytest

from tests.unit.offline_json import text_only
from tests.unit.test_lookalikes import lookalike, matcher

# aws/aws-sdk-go aws/credentials/shared_credentials_provider.go loadProfile, as a tool that uses
# the provider alone wraps it
SHARED_CREDS = (
    "Failed to get the data key required to decrypt the file.\n"
    "  arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab: FAILED\n"
    "    - | Error decrypting key: SharedCredsLoad: failed to get profile"
)


def test_go_s_shared_credentials_provider_missing_the_profile_is_a_profile_not_found(
    capsys: pytest.CaptureFixture[str],
) -> None:
    recognition = matcher().recognise(SHARED_CREDS)
    assert recognition.best is not None and recognition.best.tree == "profile-not-found"
    ranked = text_only(capsys, SHARED_CREDS)
    assert ranked[0] == "profile-not-found"
    # the provider never reads the config file, where role, SSO and process profiles live
    assert "tool-too-old-for-config" in ranked[:3]


def test_the_same_words_in_a_session_s_empty_chain_stay_with_the_chain() -> None:
    """A session's chain says "failed to load profile, x." among the other providers' errors
    (aws/session/credentials.go): the empty chain is what failed."""
    text = (
        "NoCredentialProviders: no valid providers in chain\n"
        "caused by: EnvAccessKeyNotFound: failed to find credentials in the environment.\n"
        "SharedCredsLoad: failed to load profile, dev.\n"
        "EC2RoleRequestError: no EC2 instance role found"
    )
    best = matcher().recognise(text).best
    assert best is not None and best.tree == "no-credentials"


@pytest.mark.parametrize(
    "text",
    [
        # google-cloud-java's subscriber (gax)
        "SEVERE: terminated streaming with exception\n"
        "com.google.api.gax.rpc.PermissionDeniedException: io.grpc.StatusRuntimeException:"
        " PERMISSION_DENIED: User not authorized to perform this action.\n"
        "\tat com.google.cloud.pubsub.v1.StreamingSubscriberConnection$1.onFailure"
        "(StreamingSubscriberConnection.java:237)",
        # the google-cloud Ruby gems
        "[error]: #0 unexpected error error_class=Google::Cloud::PermissionDeniedError"
        ' error="7:User not authorized to perform this action."',
        # Spring Cloud GCP (under com.google.cloud.spring), whose class name reads like AWS's
        "com.google.cloud.spring.core.DefaultCredentialsProvider: The credentials could not be"
        " loaded",
        # Python's google.cloud packages
        "google.cloud.exceptions.Forbidden: 403 GET https://www.googleapis.com/bigquery/v2/"
        "projects/p/datasets: Access Denied: Project p: User does not have bigquery.datasets.get"
        " permission in project p.",
    ],
)
def test_google_s_client_libraries_are_google_cloud(text: str) -> None:
    assert "Google Cloud" in (lookalike(text) or "")


def test_jib_is_google_s_but_the_registry_it_logs_in_to_may_be_amazon_ecr() -> None:
    text = (
        "Execution failed for task ':jib'.\n"
        "> com.google.cloud.tools.jib.plugins.common.BuildStepsExecutionException: The system"
        " does not have docker-credential-ecr-login CLI"
    )
    assert lookalike(text) is None


def test_an_arvancloud_store_is_s3_compatible() -> None:
    text = (
        "upload failed: ./site/index.html to s3://media/index.html An error occurred"
        " (SignatureDoesNotMatch) when calling the PutObject operation: The request signature we"
        " calculated does not match the signature you provided. Check your key and signing"
        " method.\n(endpoint https://s3.ir-thr-at1.arvanstorage.ir)"
    )
    assert "S3-compatible" in (lookalike(text) or "")
