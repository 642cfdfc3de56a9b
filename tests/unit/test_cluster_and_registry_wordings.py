"""Rules the thirtieth and thirty-first batches' development texts showed were missing: an
S3-compatible store's own words for a key id it does not know, the EKS console's banner for a
principal the cluster does not map, the SAM CLI's and the Serverless Framework's own refusals
that are not AWS's, the JavaScript SDK's container provider refusing EKS Pod Identity's address,
and instance metadata that a pod cannot reach."""

from __future__ import annotations

import pytest

from awsmedic.core.match import Matcher
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.offline_json import text_only

# s3cmd against a SeaweedFS gateway (the corpus's hg24); MinIO's wording (minio-go)
SEAWEED = (
    's3cmd --access_key=""  --secret_key="" --recursive ls s3://public-bucket/\n'
    "ERROR: S3 error: 403 (InvalidAccessKeyId): The access key ID you provided does not exist"
    " in our records."
)
MINIO = (
    "failed to create bucket: api error InvalidAccessKeyId: The Access Key Id you provided does"
    " not exist in our records."
)
# S3's own answer, as boto3 prints it
S3 = (
    "An error occurred (InvalidAccessKeyId) when calling the ListBuckets operation: The AWS"
    " Access Key Id you provided does not exist in our records."
)
# the EKS console (hf29, hf30)
CONSOLE_NOW = (
    "Your current IAM principal doesn't have access to Kubernetes objects on this cluster."
)
CONSOLE_BEFORE = (
    "Your current user or role does not have access to Kubernetes objects on this EKS cluster\n"
    "This may be due to the current user or role not having Kubernetes RBAC permissions to"
    " describe cluster resources or not having an entry in the cluster's auth config map."
)
# sam local without Docker (hh17), and with a Docker Engine too new for its API version (hh18)
SAM = (
    "2019-01-09 14:14:55 Found credentials in shared credentials file: ~/.aws/credentials\n"
    "Error: Running AWS SAM projects locally requires Docker. Have you got it installed?"
)
SAM_RUNTIME = (
    "Error: Running AWS SAM projects locally requires a container runtime. Do you have Docker"
    " or Finch installed and running?"
)
# Serverless Framework v4 refusing its own access key (serverless/serverless#13092)
SERVERLESS = (
    "✖ Error: Unauthorized\n"
    "    at Authentication.getClientDataFromAccessKey (file:///Users/me/.serverless/releases/"
    "4.17.0/package/dist/sf-core.js:830:18549)\n"
    "    at async Authentication.getAuthenticatedData (file:///Users/me/.serverless/releases/"
    "4.17.0/package/dist/sf-core.js:830:3689)"
)
# aws-actions/amazon-ecr-login in a runner pod with Pod Identity (hf10)
POD_IDENTITY = (
    "Run aws-actions/amazon-ecr-login@v2\n"
    "  with:\n"
    "    registry-type: private\n"
    "Error: 169.254.170.23 is not a valid container metadata service hostname"
)
# external-dns in a pod on a node that requires IMDSv2 with a hop limit of 1 (hf06)
POD_IMDS = (
    'time="2025-02-28T14:21:12Z" level=info msg="Using inCluster-config based on'
    ' serviceaccount-token"\n'
    'time="2025-02-28T14:21:18Z" level=error msg="failed to list hosted zones: operation error'
    " Route 53: ListHostedZones, get identity: get credentials: failed to refresh cached"
    " credentials, no EC2 IMDS role found, operation error ec2imds: GetMetadata, canceled,"
    ' context deadline exceeded"'
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


def test_a_stores_own_words_for_an_unknown_key(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    for text in (SEAWEED, MINIO):
        recognition = matcher.recognise(text)
        assert recognition.lookalike is not None and "S3-compatible" in recognition.lookalike
    # S3's words, and a store's words next to AWS's host (the keys reached AWS), stay with AWS
    assert matcher.recognise(S3).lookalike is None
    reached = MINIO + "\nPUT https://my-bucket.s3.us-east-1.amazonaws.com/"
    assert matcher.recognise(reached).lookalike is None


@pytest.mark.parametrize("text", [CONSOLE_NOW, CONSOLE_BEFORE])
def test_the_eks_consoles_banner(capsys: pytest.CaptureFixture[str], text: str) -> None:
    assert text_only(capsys, text)[0] == "eks-unauthorized"


@pytest.mark.parametrize(
    ("text", "named"),
    [(SAM, "SAM CLI"), (SAM_RUNTIME, "SAM CLI"), (SERVERLESS, "Serverless Framework")],
)
def test_tools_own_refusals_are_not_aws(knowledge: Knowledge, text: str, named: str) -> None:
    recognition = Matcher(knowledge).recognise(text)
    assert recognition.lookalike is not None and named in recognition.lookalike


def test_sam_finding_credentials_is_still_aws_when_aws_refuses(knowledge: Knowledge) -> None:
    refused = (
        "2019-01-09 14:14:55 Found credentials in shared credentials file: ~/.aws/credentials\n"
        "Error: Failed to create changeset for the stack: x, An error occurred"
        " (InvalidClientTokenId) when calling the CreateChangeSet operation: The security token"
        " included in the request is invalid."
    )
    assert Matcher(knowledge).recognise(refused).lookalike is None


def test_pod_identitys_address_refused(capsys: pytest.CaptureFixture[str]) -> None:
    # an SDK from before Pod Identity, or a later one whose first provider failed: both named
    assert set(text_only(capsys, POD_IDENTITY)[:2]) == {
        "tool-too-old-for-config",
        "container-credentials-failure",
    }


def test_instance_metadata_out_of_a_pods_reach(capsys: pytest.CaptureFixture[str]) -> None:
    assert text_only(capsys, POD_IMDS)[0] == "imds-unreachable"
    # the same timeout on a laptop is the chain with nothing in it
    laptop = POD_IMDS.replace("Using inCluster-config based on serviceaccount-token", "starting")
    assert text_only(capsys, laptop)[0] != "imds-unreachable"


# ssh after `aws ec2-instance-connect send-ssh-public-key` succeeded (hl11)
SSH_REFUSED = (
    "aws ec2-instance-connect send-ssh-public-key --instance-id i-0123456789abcdef0"
    " --ssh-public-key file://~/.ssh/id_rsa.pub --instance-os-user ubuntu\n"
    '{\n    "RequestId": "10f3a1c2-0000-4000-8000-000000000000",\n    "Success": true\n}\n'
    "ssh ubuntu@52.205.152.237 -i ~/.ssh/id_rsa\n"
    "ubuntu@52.205.152.237: Permission denied (publickey)."
)
# ssm-helpers run from GitHub's registry with ~/.aws mounted (hb03)
IMAGE_FROM_GITHUB = (
    "docker run -it --rm -v $HOME/.aws:/root/.aws -e AWS_PROFILE=personal \\\n"
    "    docker.pkg.github.com/disneystreaming/ssm-helpers/ssm-session\n"
    "ERROR NoCredentialProviders: no valid providers in chain. Deprecated.\n"
    "\tFor verbose messaging see aws.Config.CredentialsChainVerboseErrors"
)


def test_an_ssh_servers_refusal_is_not_aws(knowledge: Knowledge) -> None:
    matcher = Matcher(knowledge)
    recognition = matcher.recognise(SSH_REFUSED)
    assert recognition.lookalike is not None and "SSH server" in recognition.lookalike
    # CodeCommit over SSH checks the IAM user's SSH key: AWS's
    codecommit = (
        "git clone ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/app\n"
        "Permission denied (publickey)."
    )
    assert matcher.recognise(codecommit).lookalike is None


def test_an_aws_error_from_an_image_of_another_registry(
    capsys: pytest.CaptureFixture[str], knowledge: Knowledge
) -> None:
    assert text_only(capsys, IMAGE_FROM_GITHUB)[0] == "no-credentials"
    # the registry's own refusal stays that registry's
    refused = (
        "Error response from daemon: Head https://docker.pkg.github.com/v2/o/r/i/manifests/1:"
        " unauthorized: Your request could not be authenticated by the GitHub Packages service."
    )
    assert Matcher(knowledge).recognise(refused).lookalike is not None
