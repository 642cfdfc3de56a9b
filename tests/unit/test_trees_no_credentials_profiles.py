"""no-credentials: the walk names `wrong-profile-selected` when the credentials sit in another
profile than the one used, and instance metadata keeps its place on EC2.

The shipped tree walked with hand-made probe results (creds.chain's own tests cover the finding);
the probes before the new node report nothing wrong, as on a laptop with tidy files.
"""

from __future__ import annotations

import pytest

from awsmedic.core import engine
from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from awsmedic.model import Stalled, Status
from tests.unit.test_trees_denied_network import NOW, Findings, walk


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
        "creds.web-identity": ("web-identity-not-configured",),
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


# -- what the paste says about where it ran, text only (--no-probes) ---------------------------


def ranked(knowledge: Knowledge, text: str) -> list[str]:
    """The candidates `diagnose --no-probes` lists for `text`, best first."""
    recognition = Matcher(knowledge).recognise(text)
    assert recognition.best is not None
    state = engine.new_dialogue(
        knowledge,
        knowledge.trees[recognition.best.tree],
        text,
        recognition.signals,
        recognition.facts,
        NOW,
        probes_enabled=False,
    )
    _, outputs = engine.advance(state, engine.Start(), NOW)
    stalled = [o for o in outputs if isinstance(o, Stalled)]
    assert stalled, "without probes the walk stops before a cause"
    return [c.cause for c in stalled[-1].candidates]


EC2_PROMPTS = [
    "ubuntu@ip-172-31-11-44:~$ aws s3 ls\n" + CLI,
    "[ec2-user@ip-10-0-1-5 ~]$ aws s3 ls\n" + CLI,
    "(venv) [root@ip-10-20-3-4 app]# python deploy.py\n"
    "botocore.exceptions.NoCredentialsError: Unable to locate credentials",
]


@pytest.mark.parametrize("text", EC2_PROMPTS)
def test_an_ec2_prompt_raises_the_instance_profile(knowledge: Knowledge, text: str) -> None:
    plain = ranked(knowledge, text.split("\n", 1)[1])
    on_ec2 = ranked(knowledge, text)
    assert on_ec2.index("instance-profile-missing") < plain.index("instance-profile-missing")
    assert "instance-profile-missing" in on_ec2[:2]


def test_a_node_name_outside_a_prompt_is_no_ec2_sign(knowledge: Knowledge) -> None:
    """EKS node names look the same, and kubectl lists them from anywhere."""
    text = "node ip-192-168-1-2.eu-west-1.compute.internal is Ready\n" + CLI
    assert ranked(knowledge, text) == ranked(knowledge, CLI)


def test_go_v2_imds_timeout_raises_the_off_ec2_causes(knowledge: Knowledge) -> None:
    found = ranked(knowledge, GO_V2)
    assert found[0] == "no-credentials"
    assert "wrong-profile-selected" in found[:3]
    assert "instance-profile-missing" not in found[:5], "no role would have answered 404"


def test_go_v2_imds_timeout_from_an_ec2_prompt_is_instance_metadata(
    knowledge: Knowledge,
) -> None:
    """On EC2, metadata that never answers is a hop limit or a disabled endpoint."""
    found = ranked(knowledge, "[ec2-user@ip-10-0-1-5 ~]$ ./app\n" + GO_V2)
    assert found.index("imds-unreachable") < found.index("wrong-profile-selected")


# -- evidence: this machine is no EC2 instance ---------------------------------------------------

IMDS_TIMEOUT = "Error: TimeoutError from instance metadata service"


def test_off_ec2_the_instance_metadata_family_ranks_missing_credentials_first(
    knowledge: Knowledge,
) -> None:
    """The walk stops at "where does it run?" (no one answers): the probe said this machine
    is no EC2 instance, so the program that ran here had no metadata to ask."""
    tree, cause, _, unprobed = walk(knowledge, IMDS_TIMEOUT, {"imds.role": Status.SKIPPED})
    assert (tree, cause) == ("instance-metadata", None)
    _, _, _, off_ec2 = walk(knowledge, IMDS_TIMEOUT, {"imds.role": ("not-on-ec2",)})
    assert off_ec2[0] == "no-credentials"
    assert off_ec2.index("no-credentials") < unprobed.index("no-credentials")


def test_a_profile_with_sso_settings_but_no_account_and_role_is_misconfigured(
    knowledge: Knowledge,
) -> None:
    """botocore skips such a profile, so the chain finds nothing, whatever other profiles hold:
    the profile's own incomplete SSO settings are the cause, not the choice of profile."""
    findings = laptop(("no-credentials", "other-profiles-have-credentials"))
    findings["config.profile"] = (
        "profile-defined",
        "profile-kind-none",
        "profile-has-no-credentials",
        "profile-sso-incomplete",
    )
    assert walk(knowledge, CLI, findings)[1:3] == ("sso-misconfigured", "confirmed")
