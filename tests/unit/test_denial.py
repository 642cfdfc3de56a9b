"""Reading access-denied messages (awsmedic.aws.denial): real wordings from AWS docs and threads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.aws import denial

MODERN = (
    "An error occurred (AccessDenied) when calling the ListRoles operation: User: "
    "arn:aws:iam::123456789012:user/Matt is not authorized to perform: iam:ListRoles on resource: "
    "arn:aws:iam::123456789012:role/* with an explicit deny in a service control policy: "
    "arn:aws:organizations::987654321098:policy/o-qv5af4abcd/service_control_policy/p-2kgnabcd"
)


def test_an_explicit_deny_with_its_policy_arn() -> None:
    said = denial.parse(MODERN)
    assert said.principal == "arn:aws:iam::123456789012:user/Matt"
    assert said.action == "iam:ListRoles"
    assert said.resource == "arn:aws:iam::123456789012:role/*"
    assert said.explicit and said.policy_kind == "service control policy"
    assert said.kind_code == "scp"
    assert said.policy_arn.endswith("service_control_policy/p-2kgnabcd")


@pytest.mark.parametrize(
    ("reason", "kind", "explicit"),
    [
        ("because no identity-based policy allows the s3:GetObject action", "identity", False),
        ("because no resource-based policy allows the s3:GetObject action", "resource", False),
        ("because no session policy allows the s3:GetObject action", "session", False),
        ("because no permissions boundary allows the s3:GetObject action", "boundary", False),
        ("because no VPC endpoint policy allows the s3:GetObject action", "vpce", False),
        ("with an explicit deny in a resource control policy", "rcp", True),
        ("with an explicit deny in an identity-based policy", "identity", True),
        ("with an explicit deny in a permissions boundary", "boundary", True),
        ("with an explicit deny in a VPC endpoint policy", "vpce", True),
    ],
)
def test_every_policy_type_aws_names(reason: str, kind: str, explicit: bool) -> None:
    text = (
        "User: arn:aws:sts::111122223333:assumed-role/Build/i-0abc is not authorized to perform: "
        f's3:GetObject on resource: "arn:aws:s3:::bucket/key" {reason}'
    )
    said = denial.parse(text)
    assert (said.kind_code, said.explicit) == (kind, explicit)
    assert said.resource == "arn:aws:s3:::bucket/key"


def test_a_message_wrapped_by_a_terminal_and_a_tool() -> None:
    text = (
        "  Serverless Error ---------------------------------------\n \n"
        "     User: arn:aws:iam::975647746974:user/linux_user is not\n"
        "     authorized to perform: cloudformation:CreateStack on\n"
        "     resource: arn:aws:cloudformation:us-west-2:975647746974:stack/mma-info-dev/*\n"
    )
    said = denial.parse(text)
    assert said.principal == "arn:aws:iam::975647746974:user/linux_user"
    assert said.action == "cloudformation:CreateStack"
    assert said.resource.endswith("stack/mma-info-dev/*")


def test_terraform_boxes_and_masked_accounts() -> None:
    text = (
        "│ Error: reading Lambda Function: AccessDeniedException: User:\n"
        "│ arn:aws:iam::*******:user/shahzaib.ali is not authorized to perform: lambda:GetFunction\n"
        "│ on resource: arn:aws:lambda:me-south-1:*******:function:GKQA with an explicit deny in an\n"
        "│ identity-based policy\n"
    )
    said = denial.parse(text)
    assert said.principal == "arn:aws:iam::*******:user/shahzaib.ali"
    assert said.kind_code == "identity" and said.explicit


def test_markdown_bold_is_not_part_of_the_resource() -> None:
    said = denial.parse(
        "**User: arn:aws:sts::350514568196:assumed-role/admin/i-0 is not authorized to perform: "
        "sts:AssumeRole on resource: arn:aws:iam::350514568196:role/admin**"
    )
    assert said.resource == "arn:aws:iam::350514568196:role/admin"
    assert said.is_assume_role


def test_an_encoded_authorization_message_is_kept_whole() -> None:
    encoded = "y9SN8pDcYUETrkaVexi6nw1Erhzr88Kfc_vC5igSEjdSa0kPB7OUUntqdF-am3-B6XAuWj0c"
    said = denial.parse(
        "UnauthorizedOperation: You are not authorized to perform this operation. "
        f"Encoded authorization failure message: {encoded}\n\tstatus code: 403"
    )
    assert said.encoded_message == encoded
    assert said.principal == "" and said.action == ""
    command = denial.decode_command(encoded)
    assert command.startswith("aws sts decode-authorization-message --encoded-message")
    assert encoded in command and "--query DecodedMessage --output text" in command


@pytest.mark.parametrize(
    ("operation", "service", "action"),
    [
        ("ListBuckets", "", "s3:ListAllMyBuckets"),
        ("HeadObject", "S3", "s3:GetObject"),
        ("ListObjectsV2", "s3", "s3:ListBucket"),
        ("Invoke", "Lambda", "lambda:InvokeFunction"),
        ("PutLogEvents", "CloudWatch Logs", "logs:PutLogEvents"),
        ("GetItem", "DynamoDB", "dynamodb:GetItem"),
        ("DescribeInstances", "", "ec2:DescribeInstances"),
        ("SomethingNew", "", ""),
    ],
)
def test_the_action_an_operation_needs(operation: str, service: str, action: str) -> None:
    assert denial.action_for_operation(operation, service) == action


def test_s3_access_denied_names_no_action_but_the_operation_does() -> None:
    said = denial.parse(
        "An error occurred (AccessDenied) when calling the ListBuckets operation: Access Denied",
        operation="ListBuckets",
    )
    assert said.action == "s3:ListAllMyBuckets"
    assert said.action_source == "the operation ListBuckets"
    statement = json.loads(denial.policy_statement(said))["Statement"][0]
    assert statement == {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}


def test_the_statement_to_ask_for_is_least_privilege() -> None:
    said = denial.parse(
        "User: arn:aws:iam::123456789012:user/bob is not authorized to perform: s3:GetObject on "
        "resource: arn:aws:s3:::reports/2024/q1.csv because no identity-based policy allows the "
        "s3:GetObject action"
    )
    document = json.loads(denial.policy_statement(said))
    assert document["Version"] == "2012-10-17"
    assert document["Statement"] == [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::reports/2024/q1.csv",
        }
    ]


def test_a_resource_policy_statement_names_the_principal_as_its_role() -> None:
    said = denial.parse(
        "User: arn:aws:sts::111122223333:assumed-role/Build/session-1 is not authorized to perform:"
        " kms:Decrypt on resource: arn:aws:kms:eu-west-1:444455556666:key/abcd because no "
        "resource-based policy allows the kms:Decrypt action"
    )
    statement = json.loads(denial.policy_statement(said))["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::111122223333:role/Build"}
    assert statement["Resource"] == "arn:aws:kms:eu-west-1:444455556666:key/abcd"


def test_unknown_parts_stay_visible_placeholders() -> None:
    statement = json.loads(denial.policy_statement(denial.parse("Access Denied")))["Statement"][0]
    assert statement == {
        "Effect": "Allow",
        "Action": "<service>:<Action>",
        "Resource": "<resource-arn>",
    }


def test_the_trust_statement_for_a_refused_assume_role() -> None:
    said = denial.parse(
        "User: arn:aws:sts::350514568196:assumed-role/ecsworkshop-admin/i-03a0 is not authorized "
        "to perform: sts:TagSession on resource: arn:aws:iam::350514568196:role/deployer"
    )
    statement = json.loads(denial.trust_statement(said))["Statement"][0]
    assert statement["Principal"] == {"AWS": "arn:aws:iam::350514568196:role/ecsworkshop-admin"}
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    identity = json.loads(denial.policy_statement(said))["Statement"][0]
    assert identity["Resource"] == "arn:aws:iam::350514568196:role/deployer"


def test_no_denial_in_unrelated_text() -> None:
    said = denial.parse("Unable to locate credentials")
    assert said == denial.Denial()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["", "ListBuckets", "AssumeRole"]))
def test_any_text_parses_without_raising(text: str, operation: str) -> None:
    said = denial.parse(MODERN[:40] + text + " is not authorized to perform: " + text, operation)
    json.loads(denial.policy_statement(said))
    json.loads(denial.trust_statement(said))


def test_a_huge_paste_is_read_quickly() -> None:
    import time

    text = ("noise arn:aws:iam::123456789012:user/x " * 20000) + MODERN
    started = time.monotonic()
    said = denial.parse(text)
    assert said.action == "iam:ListRoles"
    assert time.monotonic() - started < 10  # linear; a backtracking regex would take minutes
