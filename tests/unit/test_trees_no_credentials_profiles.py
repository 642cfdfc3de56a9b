"""no-credentials: the walk names `wrong-profile-selected` when the credentials sit in another
profile than the one used, and instance metadata keeps its place on EC2.

The shipped tree walked with hand-made probe results (creds.chain's own tests cover the finding);
the probes before the new node report nothing wrong, as on a laptop with tidy files.
"""

from __future__ import annotations

import pytest

from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Status
from tests.unit.test_trees_denied_network import Findings, walk


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


CLI = 'Unable to locate credentials. You can configure credentials by running "aws configure".'
# Go SDK v2's last word when no provider has credentials: its chain ends at instance metadata
# (aws/aws-sdk-go-v2 config/resolve_credentials.go, credentials/ec2rolecreds/provider.go).
GO_V2 = (
    "operation error S3: ListBuckets, get identity: get credentials: failed to refresh cached"
    " credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, request"
    " canceled, context deadline exceeded"
)


def laptop(chain: tuple[str, ...], imds: tuple[str, ...] | Status = ("not-on-ec2",)) -> Findings:
    return {
        "creds.chain": chain,
        "files.syntax": (),
        "creds.env": (),
        "config.profile": ("profile-default-absent", "profile-has-no-credentials"),
        "files.location": (),
        "imds.role": imds,
    }


ONLY = ("no-credentials", "other-profiles-have-credentials", "credentials-only-in-named-profiles")


def test_nothing_selected_and_keys_in_a_named_profile(knowledge: Knowledge) -> None:
    assert walk(knowledge, CLI, laptop(ONLY))[:3] == (
        "no-credentials",
        "wrong-profile-selected",
        "confirmed",
    )


def test_a_selected_profile_without_credentials_is_likely(knowledge: Knowledge) -> None:
    chain = ("no-credentials", "other-profiles-have-credentials")
    assert walk(knowledge, CLI, laptop(chain))[1:3] == ("wrong-profile-selected", "likely")


def test_offline_the_same_walk_still_gets_there(knowledge: Knowledge) -> None:
    """--offline skips instance metadata; the profiles are read from the files."""
    assert walk(knowledge, CLI, laptop(ONLY, Status.SKIPPED))[1:3] == (
        "wrong-profile-selected",
        "confirmed",
    )


def test_without_other_profiles_it_stays_no_credentials(knowledge: Knowledge) -> None:
    assert walk(knowledge, CLI, laptop(("no-credentials",)))[1:3] == (
        "no-credentials",
        "confirmed",
    )


def test_go_v2_imds_timeout_off_ec2_means_the_profile(knowledge: Knowledge) -> None:
    tree, cause, confidence, _ = walk(knowledge, GO_V2, laptop(ONLY))
    assert (tree, cause, confidence) == ("no-credentials", "wrong-profile-selected", "confirmed")


def test_on_ec2_without_a_role_the_instance_profile_comes_first(knowledge: Knowledge) -> None:
    """Instance metadata answers that no role is attached: that is checked before the files'
    other profiles, as before."""
    assert walk(knowledge, CLI, laptop(ONLY, ("imds-no-role",)))[1:3] == (
        "instance-profile-missing",
        "confirmed",
    )
