"""A slot that stands for a name (a profile, an SSO session, a role, an identity) takes a name:
where the paste does not enclose its value as the phrase does, a value with blanks in it means
the phrase's words were found in the wrong places, and the phrase counts one word less."""

from __future__ import annotations

from functools import cache

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir


@cache
def matcher() -> Matcher:
    return Matcher(load_checked([shipped_dir()]))


def families(text: str) -> tuple[list[str], dict[str, str]]:
    found = matcher().recognise(text)
    trees = [match.tree for match in found.matches] + [tree for tree, _ in found.rivals]
    return trees, {name: fact.value for name, fact in found.facts.items()}


def test_php_instance_profile_404_is_no_missing_profile() -> None:
    """PHP's message has "profile" ... "Not Found" with a sentence between: JavaScript v2's
    `Profile {profile} not found` used to match it at full score, with that sentence as the
    profile's name."""
    text = (
        "Aws\\Exception\\CredentialsException: Error retrieving credentials from the instance"
        " profile metadata server. (Client error: `GET http://169.254.169.254/latest/meta-data/"
        "iam/security-credentials/` resulted in a `404 Not Found` response)"
    )
    trees, facts = families(text)
    # PHP's default chain reports its last provider's failure: the whole chain found nothing
    assert trees[:2] == ["no-credentials", "instance-metadata"]
    assert "profile-not-found" not in trees
    assert "profile" not in facts


def test_go_imds_failure_is_no_cognito_identity() -> None:
    text = (
        "operation error STS: GetCallerIdentity, get identity: get credentials: failed to refresh"
        " cached credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata,"
        " http response error StatusCode: 404, request to EC2 IMDS failed"
    )
    trees, facts = families(text)
    assert trees[0] == "no-credentials"
    assert "cognito-identity-pool" not in trees
    assert "identity_id" not in facts


@pytest.mark.parametrize(
    ("text", "tree", "name", "value"),
    [
        ("Profile dev-admin not found", "profile-not-found", "profile", "dev-admin"),
        # Words that carry no meaning beside the name are not part of it.
        (
            "profile foo is not found in aws-cli credentials file",
            "profile-not-found",
            "profile",
            "foo",
        ),
        # Enclosed as the phrase encloses it, a value may hold anything.
        (
            "The config profile (my dev profile) could not be found",
            "profile-not-found",
            "profile",
            "my dev profile",
        ),
        (
            "Identity 'us-east-1:abc def' not found.",
            "cognito-identity-pool",
            "identity_id",
            "us-east-1:abc def",
        ),
        (
            "source_profile base using profile dev does not exist",
            "invalid-config",
            "source_profile",
            "base",
        ),
        # A region is no name slot: blanks in it are the error the user has.
        (
            "Provided region: us east 1 doesn't match a supported format",
            "invalid-region",
            "region",
            "us east 1",
        ),
    ],
)
def test_a_name_is_still_read(text: str, tree: str, name: str, value: str) -> None:
    trees, facts = families(text)
    assert trees[0] == tree
    assert facts[name] == value


def test_a_sentence_in_a_name_slot_costs_the_phrase_a_word() -> None:
    exact = matcher().recognise("source_profile base using profile dev does not exist")
    stretched = matcher().recognise(
        "source_profile the base account for deploys using profile dev does not exist"
    )
    assert exact.best is not None and stretched.best is not None
    assert stretched.best.score < exact.best.score


def test_of_two_places_of_the_word_before_a_name_the_one_that_gives_a_name_is_taken() -> None:
    """The C++ SDK logs the profile twice; the first "Profile" would make the profile's name a
    whole log line."""
    text = (
        "[INFO] STSProfileCredentialsProvider [1402] Profile deploy has a role ARN. Attempting to"
        " load its source credentials from profile base\n"
        "[ERROR] STSProfileCredentialsProvider [1402] Profile deploy has an invalid source profile"
        " base"
    )
    found = matcher().recognise(text)
    assert found.best is not None and found.best.tree == "invalid-config"
    assert found.best.score == 85  # the whole phrase: no word's worth taken off
    assert found.facts["profile"].value == "deploy"
    assert found.facts["source_profile"].value == "base"


def test_a_very_long_enclosed_value_is_still_enclosed() -> None:
    """Over 1,024 characters a slot's value is cut crudely (brackets and all): whether the paste
    encloses it is read on the paste, so such a profile still matches (found by hypothesis)."""
    value = "a b(c) " * 300
    found = matcher().recognise(f"The config profile ({value}) could not be found")
    assert found.best is not None and found.best.tree == "profile-not-found"
