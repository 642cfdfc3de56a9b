"""Values the paste names fill the steps where nothing on this machine knows them."""

from __future__ import annotations

from awsmedic.core.pastefacts import derived, paste_facts
from awsmedic.core.remedy import merge_facts
from awsmedic.model import Evidence, Fact, Status

DENIED = (
    "An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
    "arn:aws:iam::111122223333:user/team/alice is not authorized to perform: sts:AssumeRole on "
    "resource: arn:aws:iam::444455556666:role/ops/deploy"
)


def test_role_user_account_and_bucket() -> None:
    facts = paste_facts(DENIED)
    assert facts["role_arn"].value == "arn:aws:iam::444455556666:role/ops/deploy"
    assert derived(facts)["role_name"].value == "deploy"
    assert facts["iam_user"].value == "alice"
    assert facts["account_id"].value == "111122223333"  # the caller's, not the role's
    assert paste_facts("upload failed: s3://my-reports.2026/x to ...")["bucket"].value == (
        "my-reports.2026"
    )
    assert paste_facts("<BucketName>logs-eu</BucketName>")["bucket"].value == "logs-eu"
    assert (
        paste_facts("assumed-role session arn:aws:sts::111122223333:assumed-role/Admin/bob")[
            "role_name"
        ].value
        == "Admin"
    )


def test_this_machine_wins_and_a_role_arn_names_its_role() -> None:
    probed = Evidence(
        "config.role",
        Status.OK,
        "s",
        facts={"role_arn": Fact("arn:aws:iam::123456789012:role/mine", "config-file")},
    )
    facts = merge_facts({}, [probed], {}, DENIED)
    assert facts["role_arn"].value == "arn:aws:iam::123456789012:role/mine"
    assert facts["role_name"].value == "mine"  # the name of the ARN the steps show
    assert derived({"role_arn": Fact("arn:aws:iam::1:role/a/b")})["role_name"].value == "b"


def test_a_role_s_name_sts_refused_as_its_arn() -> None:
    """STS quotes the value it refused as a role ARN; a role's name there is what IAM can look
    up. A value that is no IAM name (a space, an empty one) names no role."""
    refused = "1 validation error detected: Value '{}' at 'roleArn' failed to satisfy constraint"
    assert paste_facts(refused.format("ci-deployer"))["role_name"].value == "ci-deployer"
    assert "role_name" not in paste_facts(refused.format(""))
    assert "role_name" not in paste_facts(refused.format("ci deployer"))
    # a role ARN elsewhere in the paste names the role in use
    both = refused.format("deploy") + " (role_arn arn:aws:iam::123456789012:role/ops/build)"
    assert derived(paste_facts(both))["role_name"].value == "build"


def test_a_bucket_is_named_by_its_shape_not_by_the_word_before_it() -> None:
    """S3's own prose puts words after "bucket" that are no bucket's name: the steps must not
    ask about a bucket called "you" (PermanentRedirect) or "exists"."""
    for prose in (
        "PermanentRedirect: The bucket you are attempting to access must be addressed using the"
        " specified endpoint.",
        "[ERR] curl.cpp:CheckBucket(3423): Check bucket failed, S3 response: 403",
        "Failed to check if object store bucket exists. Error: Access Denied",
        "Error saving bucket — Error Getting Bucket Region",
        "obj = s3.get_object(Bucket = BUCKET, Key = KEY)",
        "upload to bucket logs.",
    ):
        assert "bucket" not in paste_facts(prose), prose
    for named, bucket in (
        ("tf_backend.s3.bucket=dev tf_backend.s3.path=tfstate", "dev"),
        ("ERROR : S3 bucket my-data-2024 path backups: AccessDenied", "my-data-2024"),
        ("Creating bucket 'reports' failed", "reports"),
        ('{"bucket": "prod.assets", "key": "a"}', "prod.assets"),
    ):
        assert paste_facts(named)["bucket"].value == bucket, named
