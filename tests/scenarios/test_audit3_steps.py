"""Scenarios from a third outside audit: the right cause, and steps that follow the evidence.

Same recipe as test_audit_setups2: a real broken setup (temp HOME, exact bytes, env vars, the
Terraform or kubeconfig files in the directory awsmedic runs in), the error the tool printed
there, then `awsmedic diagnose`; what is checked is where the steps point first. The Terraform
and kubectl texts are those Terraform 1.x with hashicorp/aws 5.100 and kubectl printed for the
same setups in the audit (only a request id or a host differs).
"""

from __future__ import annotations

import pytest

from tests.scenarios.setup import KEYS_TEXT, Setup, cause, commands, evidence, texts
from tests.scenarios.test_audit_setups2 import accepting

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/deploy"


def tf(setup: Setup, text: str) -> None:
    """main.tf in the directory awsmedic runs in (Setup.diagnose runs in HOME's parent)."""
    (setup.home.parent / "main.tf").write_text(text)


def test_terraform_cannot_ask_for_the_mfa_code_of_a_role_profile(setup: Setup) -> None:
    """The Go SDK has no token provider in Terraform: nothing reached STS, so no family of
    refusals, and no step about finding or setting the MFA device (it is set)."""
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.write(
        ".aws/config",
        f"[profile admin]\nrole_arn = {ROLE}\nsource_profile = default\n"
        "mfa_serial = arn:aws:iam::123456789012:mfa/alice\nregion = eu-west-1\n",
    )
    tf(setup, 'provider "aws" {\n  region  = "eu-west-1"\n  profile = "admin"\n}\n')
    result = setup.diagnose(
        "Error: assume role with MFA enabled, but AssumeRoleTokenProvider session option not set."
        '\n\n  with provider["registry.terraform.io/hashicorp/aws"],\n'
        '  on main.tf line 1, in provider "aws":\n   1: provider "aws" {\n'
    )
    assert result["matches"][0]["tree"] == "mfa-code-unavailable"
    assert cause(result) == "mfa-required"
    found = commands(result)
    assert found[0] == "aws-vault exec admin -- terraform plan"
    assert any("assume-role" in c and "--profile default" in c for c in found)
    assert not any("list-mfa-devices" in c or "get-session-token" in c for c in found)
    assert "aws configure set mfa_serial" not in " ".join(found)


@pytest.mark.parametrize(
    ("main_tf", "text", "line", "meant", "init"),
    [
        (
            'provider "aws" {\n  region  = "US-EAST-1"\n}\n',
            'Error: invalid AWS Region: US-EAST-1\n\n  with provider["registry.terraform.io/'
            'hashicorp/aws"],\n  on main.tf line 1, in provider "aws":\n   1: provider "aws" {\n',
            "main.tf line 2",
            "us-east-1",
            False,
        ),
        (
            'terraform {\n  backend "s3" {\n    bucket = "state"\n    key    = "a"\n'
            '    region = "eu-west1"\n  }\n}\n',
            "Error: Invalid region value\n\n  on main.tf line 5, in terraform:\n"
            '   5:     region = "eu-west1"\n\nInvalid AWS Region: eu-west1\n',
            "main.tf line 5",
            "eu-west-1",
            True,
        ),
    ],
    ids=["provider-upper-case", "backend-typo"],
)
def test_a_terraform_region_is_fixed_where_it_is_written(
    setup: Setup, main_tf: str, text: str, line: str, meant: str, init: bool
) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    tf(setup, main_tf)
    result = setup.diagnose(text)
    assert cause(result) == "invalid-region"
    steps = texts(result)
    assert line in steps and f'region = "{meant}"' in steps
    assert ("terraform init -reconfigure" in commands(result)) is init
    assert not any(c.startswith("aws configure") for c in commands(result))


def test_a_terraform_provider_names_a_profile_that_does_not_exist(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}[prod]\n{KEYS_TEXT}")
    tf(setup, 'provider "aws" {\n  region  = "eu-west-1"\n  profile = "staging"\n}\n')
    result = setup.diagnose(
        "Error: failed to get shared config profile, staging\n\n"
        '  with provider["registry.terraform.io/hashicorp/aws"],\n'
        '  on main.tf line 1, in provider "aws":\n   1: provider "aws" {\n'
    )
    assert cause(result) == "profile-not-found"
    assert 'profile = "staging"' in result["steps"][0]["text"]
    assert "main.tf line 3" in result["steps"][0]["text"]
    assert not any("AWS_PROFILE" in c for c in commands(result))


def test_a_kubeconfig_exec_section_names_a_profile_that_does_not_exist(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[eks]\n{KEYS_TEXT}")
    setup.write(
        ".kube/config",
        "apiVersion: v1\nkind: Config\ncurrent-context: prod\n"
        "clusters:\n- cluster: {server: 'https://127.0.0.1:9'}\n  name: prod\n"
        "contexts:\n- context: {cluster: prod, user: prod}\n  name: prod\n"
        "users:\n- name: prod\n  user:\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n"
        '      args: ["--region", "eu-west-1", "eks", "get-token", "--cluster-name", "prod"]\n'
        "      env:\n      - {name: AWS_PROFILE, value: eks-admin}\n",
    )
    result = setup.diagnose(
        "$ kubectl get pods\n\nThe config profile (eks-admin) could not be found\n"
        "E0101 memcache.go:265] couldn't get current server API group list: Get \"https://127.0.0.1:9"
        '/api?timeout=32s": getting credentials: exec: executable aws failed with exit code 255\n'
    )
    assert cause(result) == "profile-not-found"
    assert commands(result)[0] == "aws eks update-kubeconfig --name prod --profile eks"
    assert not any("AWS_PROFILE" in c for c in commands(result))


def test_a_duplicated_section_is_the_first_step(setup: Setup) -> None:
    setup.write(
        ".aws/credentials", f"[default]\n{KEYS_TEXT}\n[dev]\n{KEYS_TEXT}[default]\n{KEYS_TEXT}"
    )
    result = setup.diagnose(setup.boto3_error())
    assert cause(result) == "config-file-syntax"
    assert "section [default] is already defined on line 1" in evidence(result)
    assert commands(result)[0].startswith("grep -n")
    assert not any(
        c.startswith("file ") or c.startswith("aws configure --") for c in commands(result)
    )


def test_a_missing_ca_bundle_is_unset_first_and_no_proxy_is_checked(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_CA_BUNDLE"] = str(setup.home / "certs" / "corp-root.pem")
    with accepting() as port:
        setup.env["AWS_ENDPOINT_URL"] = f"https://127.0.0.1:{port}"
        result = setup.diagnose(setup.boto3_error())
    assert cause(result) == "tls-or-proxy"
    assert commands(result)[0] == "unset AWS_CA_BUNDLE"
    assert not any("_proxy" in c.lower() for c in commands(result))
    assert "fails before any TLS handshake" not in texts(result)


def test_an_sts_endpoint_variable_is_unset_first(setup: Setup) -> None:
    setup.write(".aws/credentials", f"[default]\n{KEYS_TEXT}")
    setup.env["AWS_ENDPOINT_URL_STS"] = setup.env["AWS_ENDPOINT_URL"]
    del setup.env["AWS_ENDPOINT_URL"]
    result = setup.diagnose(setup.boto3_error())
    assert cause(result) == "endpoint-override"
    assert commands(result)[0] == "unset AWS_ENDPOINT_URL_STS"
    assert not any("aws configure get endpoint_url" in c for c in commands(result))
