"""Rules the twenty-eighth batch's development texts showed were missing: a credential scope AWS
could not split in five (the key id damaged or not a key id, whichever service answers), a shared
AWS file that is not there when a tool writes it or follows a link to it (a ~/.aws mounted into a
container), and an SDK that refused to build a request without a region whatever store it was
for."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import text_only

# vagrant-aws (the corpus's hb18), EC2 answering AuthFailure
SCOPE = (
    "AuthFailure => Credential must have exactly 5 slash-delimited elements, e.g."
    " keyid/date/region/service/term, got '[\\\"REALLY SECRET DONT TELL...\\r\\\",'"
)
# mikesir87/aws-cli with ~/.aws mounted, its credentials file a link out of the mount (hb23)
MOUNTED = (
    "docker run --rm -tiv $HOME/.aws:/root/.aws mikesir87/aws-cli aws configure\n"
    "[Errno 2] No such file or directory: '/root/.aws/credentials'"
)
# alist's S3 driver on Backblaze B2 with its region left empty (hc06)
B2 = (
    "Backblaze B2 has no region, only the endpoint s3.us-west-004.backblazeb2.com, but with the"
    " region empty the driver fails: `MissingRegion: could not find region configuration`"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_a_scope_aws_could_not_split(capsys: pytest.CaptureFixture[str]) -> None:
    assert set(text_only(capsys, SCOPE)[:2]) == {"key-typo", "stray-characters"}
    sts = (
        "An error occurred (IncompleteSignature) when calling the GetCallerIdentity operation:"
        " Credential must have exactly 5 slash-delimited elements, e.g."
        " keyid/date/region/service/term, got 'AKIAEXAMPLE/x'"
    )
    assert "key-typo" in text_only(capsys, sts)[:3]


def test_a_shared_file_missing_when_written(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, MOUNTED)[0] == "credentials-file-location"
    # a credential_process program that is not there stays that helper's
    helper = "[Errno 2] No such file or directory: '/usr/local/bin/aws-creds-helper'"
    assert text_only(capsys, helper)[0] == "credential-process-failure"


def test_an_sdk_without_a_region_before_another_store(knowledge: Knowledge) -> None:
    best = Matcher(knowledge).recognise(B2).best
    assert best is not None and best.tree == "no-region"
    # what the store itself answered stays the store's
    refused = "backblazeb2.com: InvalidAccessKeyId: The key is not valid"
    assert Matcher(knowledge).recognise(refused).best is None
