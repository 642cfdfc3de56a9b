"""Causes a message names itself rank among the first (text only, as `--no-probes` ranks)."""

from __future__ import annotations

import pytest
from benchmarks.bench_recognition import ranked


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        # Java v1's ProfileCredentialsProvider names both reasons: the place, the format
        (
            'Exception in thread "main" com.amazonaws.AmazonClientException: Cannot load the'
            " credentials from the credential profiles file. Please make sure that your"
            " credentials file is at the correct location (~/.aws/credentials), and is in valid"
            " format.",
            {"credentials-file-location", "config-file-syntax"},
        ),
        # IMDS answered 503: it is there but failing, not an instance without a role
        (
            "operation error S3: ListBuckets, get identity: get credentials: failed to refresh"
            " cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata,"
            " http response error StatusCode: 503, request to EC2 IMDS failed",
            {"imds-unreachable"},
        ),
    ],
)
def test_the_causes_a_message_names_rank_in_the_top_three(text: str, wanted: set[str]) -> None:
    causes = ranked([text])[0]
    assert causes is not None and wanted <= set(causes[:3]), causes


def test_an_imds_failure_ranks_unreachable_over_a_missing_role_and_a_404_the_reverse() -> None:
    # Go v2 says "no EC2 IMDS role found" whatever went wrong with the role list's request
    text = (
        "get credentials: failed to refresh cached credentials, no EC2 IMDS role found,"
        " operation error ec2imds: GetMetadata, http response error StatusCode: {status},"
        " request to EC2 IMDS failed"
    )
    failing, missing = ranked([text.format(status=503), text.format(status=404)])
    assert failing is not None and missing is not None
    assert failing.index("imds-unreachable") < failing.index("instance-profile-missing")
    assert missing.index("instance-profile-missing") < missing.index("imds-unreachable")
