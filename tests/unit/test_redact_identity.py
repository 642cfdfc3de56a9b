"""Identity masking (--redact-identity) and the scrubber's false positives on knowledge text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.model import Secret, SecretKind
from awsmedic.safety.redact import IdentityMask, SecretBook, arn_names, scrub_patterns

ALICE = IdentityMask.from_environment("/home/alice", {"USER": "alice"})


def test_account_ids_and_arns_are_masked_keeping_what_kind_of_identity_it_is() -> None:
    text = (
        "User: arn:aws:iam::123456789012:user/division/bob is not authorized; "
        "assumed arn:aws:sts::210987654321:assumed-role/DeployRole/bob@example.com; "
        "root arn:aws:iam::123456789012:root; bucket arn:aws:s3:::team-reports/2024/x.csv; "
        "account 123456789012."
    )
    masked = ALICE.mask(text)
    for leak in ("123456789012", "210987654321", "bob", "DeployRole", "team-reports", "division"):
        assert leak not in masked
    assert "arn:aws:iam::<account-id>:user/<name>" in masked
    assert "arn:aws:sts::<account-id>:assumed-role/<name>" in masked
    assert "arn:aws:iam::<account-id>:root" in masked
    assert "arn:aws:s3:::<name>" in masked
    assert "account <account-id>." in masked


def test_names_learnt_from_iam_arns_are_masked_everywhere_but_bucket_words_are_not() -> None:
    text = "arn:aws:sts::123456789012:assumed-role/DeployRole/ci-session arn:aws:s3:::key"
    assert arn_names(text) == {"DeployRole", "ci-session"}
    mask = ALICE.learning([text])
    assert mask.mask("role DeployRole, session ci-session, the access key") == (
        "role <name>, session <name>, the access key"
    )


def test_home_paths_user_names_emails_and_sso_portals_are_masked() -> None:
    text = (
        "/home/alice/.aws/config, /home/alice2/x, /Users/carol/.aws, C:\\Users\\dave\\.aws, "
        "alice@laptop, mail alice.smith@example.org, https://my-org.awsapps.com/start"
    )
    masked = ALICE.mask(text)
    assert masked.startswith("~/.aws/config, /home/<user>/x, /Users/<user>/.aws, ")
    assert "C:\\Users\\<user>\\.aws" in masked
    assert "<user>@laptop" in masked and "<email>" in masked
    assert "https://<sso-portal>.awsapps.com/start" in masked
    for leak in ("alice", "carol", "dave", "my-org"):
        assert leak not in masked


def test_generic_local_users_are_not_masked_as_words() -> None:
    runner = IdentityMask.from_environment("/home/runner", {"USER": "runner"})
    assert runner.mask("the runner ran /home/runner/work") == "the runner ran ~/work"


def test_the_book_applies_the_identity_mask_after_secrets() -> None:
    book = SecretBook([Secret("Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy", SecretKind.SECRET_KEY)])
    book.identity = ALICE
    assert book.scrub("Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy in /home/alice 123456789012") == (
        "<secret-key:redacted> in ~ <account-id>"
    )


TEXT = st.text(
    alphabet=st.sampled_from("arn:aws:iams3t/-_.@0123456789 <>~homeUsersalice\\ABCZ"), max_size=80
)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_identity_masking_is_idempotent(text: str) -> None:
    mask = ALICE.learning([text])
    once = mask.mask(text)
    assert mask.mask(once) == once


def test_reference_urls_and_documented_placeholders_survive_scrubbing() -> None:
    """Knowledge text goes through the scrubber with everything else; it must come out intact."""
    url = "https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html"
    assert scrub_patterns(url) == url
    line = "`aws_secret_access_key = …` and aws_session_token = <session-token>"
    assert scrub_patterns(line) == line
    assert (
        scrub_patterns("aws_secret_access_key=abc/def+ghi`") == "aws_secret_access_key=<redacted>`"
    )


def test_the_shipped_knowledge_is_left_alone_by_the_scrubber() -> None:
    """Except the documented example key id, which is masked like any key id."""
    knowledge = load_checked(knowledge_dirs({}))
    changed = [
        (cause.id, text)
        for cause in knowledge.causes.values()
        for text in (*cause.refs, cause.why, *(step.text for step in cause.steps))
        if scrub_patterns(text.replace("AKIAIOSFODNN7EXAMPLE", ""))
        != text.replace("AKIAIOSFODNN7EXAMPLE", "")
    ]
    assert changed == []


# -- issue 17, item 9 --------------------------------------------------------------------------


def test_account_ids_written_the_consoles_way_and_inside_names_are_masked() -> None:
    text = (
        "Account ID 1234-5678-9012; bucket my-bucket-123456789012-logs; "
        "role cdk-hnb659fds-deploy-role-123456789012-us-east-1; id 123456789012."
    )
    masked = ALICE.mask(text)
    assert "1234-5678-9012" not in masked and "123456789012" not in masked
    assert "my-bucket-<account-id>-logs" in masked
    assert "cdk-hnb659fds-deploy-role-<account-id>-us-east-1" in masked
    assert "Account ID <account-id>;" in masked
    # Longer digit runs are not account ids (a timestamp, a phone number).
    assert ALICE.mask("at 1714557600123, call 1234-5678-90123") == (
        "at 1714557600123, call 1234-5678-90123"
    )


def test_user_names_are_masked_whole() -> None:
    """`alice.smith` became `<user>.smith`: a name is masked with the whole name it is part of."""
    text = "alice.smith, alice_smith@laptop, dev-alice, alice-smith.admin and alice."
    masked = ALICE.mask(text)
    assert "smith" not in masked and "alice" not in masked and "admin" not in masked
    assert masked == "<user>, <user>@laptop, <user>, <user> and <user>."
    learnt = ALICE.learning(["arn:aws:iam::123456789012:user/bob.jones"])
    assert learnt.mask("bob.jones and bob.jones-ci") == "<name> and <name>"
    # A name is a whole part, not any substring: malice, alicen and bobby stay.
    assert learnt.mask("malice alicen bobby") == "malice alicen bobby"


def test_account_ids_as_people_write_them_and_session_names_in_queries() -> None:
    mask = IdentityMask()
    for written in ("1234 5678 9012", "123-456-789-012", "1234-5678-9012", "123456789012"):
        assert mask.mask(f"account {written} here") == "account <account-id> here"
    assert mask.mask("123456789012 2 roles") == "<account-id> 2 roles"
    query = "Action=AssumeRole&RoleSessionName=carol-laptop&Version=2011-06-15"
    assert "carol" not in mask.mask(query)
