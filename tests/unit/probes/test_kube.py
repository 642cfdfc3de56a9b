"""kube.config and kube.identity: the kubeconfig's exec section, and who it signs as."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.model import Status
from tests.awsfixtures import MotoAws
from tests.unit.probes.helpers import probe

CLUSTER = "arn:aws:eks:eu-west-1:123456789012:cluster/demo"


def kubeconfig(
    api: str = "client.authentication.k8s.io/v1beta1",
    command: str = "aws",
    args: str = "[--region, eu-west-1, eks, get-token, --cluster-name, demo, --output, json]",
    env: str = "",
    user: str = "",
) -> str:
    exec_section = (
        f"    exec:\n      apiVersion: {api}\n      command: {command}\n      args: {args}\n" + env
    )
    return (
        "apiVersion: v1\nkind: Config\n"
        f"clusters:\n- cluster:\n    server: https://X.gr7.eu-west-1.eks.amazonaws.com\n  name: {CLUSTER}\n"
        f"contexts:\n- context:\n    cluster: {CLUSTER}\n    user: {CLUSTER}\n  name: {CLUSTER}\n"
        f"current-context: {CLUSTER}\n"
        f"users:\n- name: {CLUSTER}\n  user:\n" + (user or exec_section)
    )


def write(home: Path, text: str, name: str = "config") -> Path:
    path = home / ".kube" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def test_what_aws_eks_update_kubeconfig_writes(home: Path) -> None:
    env = "      env:\n      - name: AWS_PROFILE\n        value: dev\n"
    write(home, kubeconfig(env=env))
    (home / ".aws" / "config").write_text("[profile dev]\nregion = eu-west-1\n")
    evidence = probe("kube.config")
    assert evidence.findings == ("kubeconfig-exec-aws", "exec-api-current", "exec-profile-set")
    assert evidence.facts["profile"].value == "dev"
    assert evidence.facts["profile"].source == "AWS_PROFILE in the exec env"
    assert evidence.facts["cluster"].value == "demo"
    assert evidence.facts["region"].value == "eu-west-1"
    assert evidence.facts["kubeconfig"].value == "~/.kube/config"


def test_v1alpha1_written_by_an_old_cli(home: Path) -> None:
    write(home, kubeconfig(api="client.authentication.k8s.io/v1alpha1"))
    evidence = probe("kube.config")
    assert "exec-api-v1alpha1" in evidence.findings
    assert evidence.status is Status.PROBLEM
    assert any("removed from kubectl in Kubernetes 1.24" in line for line in evidence.details)


def test_the_authenticator_with_a_role_and_the_shells_profile(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = "arn:aws:iam::123456789012:role/k8s-admin"
    write(
        home,
        kubeconfig(
            command="/usr/local/bin/aws-iam-authenticator", args=f"[token, -i, demo, -r, {role}]"
        ),
    )
    monkeypatch.setenv("AWS_PROFILE", "ops")
    evidence = probe("kube.config")
    assert {
        "kubeconfig-exec-aws",
        "exec-profile-inherited",
        "exec-role-set",
        "exec-profile-unknown",
    } <= set(evidence.findings)
    assert evidence.facts["role_arn"].value == role
    assert evidence.facts["profile"].value == "ops"
    assert evidence.facts["cluster"].value == "demo"


def test_profile_argument_wins_over_env(home: Path) -> None:
    env = "      env:\n      - name: AWS_PROFILE\n        value: dev\n"
    args = "[eks, get-token, --cluster-name, demo, --profile=admin]"
    write(home, kubeconfig(args=args, env=env))
    assert probe("kube.config").facts["profile"].value == "admin"


def test_kubeconfig_files_merge_first_wins(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = write(home, f"current-context: {CLUSTER}\n", "first")
    second = write(home, kubeconfig(api="client.authentication.k8s.io/v1alpha1"), "second")
    monkeypatch.setenv("KUBECONFIG", f"{first}:{home / 'missing'}:{second}")
    evidence = probe("kube.config")
    assert "exec-api-v1alpha1" in evidence.findings
    assert evidence.facts["kubeconfig"].source == "KUBECONFIG"
    assert any("missing does not exist" in line for line in evidence.details)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        (None, "kubeconfig-missing"),
        ("a: [unclosed\n", "kubeconfig-unreadable"),
        ("apiVersion: v1\ncurrent-context: nowhere\n", "kubeconfig-no-context"),
        (kubeconfig(user="    token: abcdefghijklmnop\n"), "kubeconfig-exec-not-aws"),
        (kubeconfig(command="kubelogin", args="[get-token]"), "kubeconfig-exec-not-aws"),
    ],
    ids=["missing", "unparsable", "no-context", "static-token", "other-plugin"],
)
def test_kubeconfigs_that_do_not_use_aws(home: Path, text: str | None, finding: str) -> None:
    if text is not None:
        write(home, text)
    evidence = probe("kube.config")
    assert evidence.findings == (finding,)
    assert "abcdefghijklmnop" not in evidence.summary + "".join(evidence.details)


def test_a_huge_kubeconfig_is_not_read(home: Path) -> None:
    write(home, "a: " + "x" * 1_100_000 + "\n")
    evidence = probe("kube.config")
    assert evidence.findings == ("kubeconfig-unreadable",)
    assert "not read" in evidence.summary


@pytest.mark.moto
def test_identity_of_the_exec_profile(aws: MotoAws, home: Path) -> None:
    keys = aws.create_user("k8s-dev")
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    write(home, kubeconfig(env="      env:\n      - name: AWS_PROFILE\n        value: dev\n"))
    aws.enforce()
    evidence = probe("kube.identity")
    assert evidence.findings == ("kube-identity-ok",)
    assert evidence.facts["arn"].value == "arn:aws:iam::123456789012:user/k8s-dev"
    typo = keys.access_key_id[:10] + "0" + keys.access_key_id[11:]
    (home / ".aws" / "credentials").write_text(
        f"[dev]\naws_access_key_id = {typo}\naws_secret_access_key = {keys.secret_access_key}\n"
    )
    rejected = probe("kube.identity")
    assert rejected.findings == ("kube-identity-rejected",)
    assert keys.secret_access_key not in rejected.summary


@pytest.mark.moto
def test_identity_through_the_exec_role(aws: MotoAws, home: Path) -> None:
    assume = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
    }
    keys = aws.create_user("k8s-dev", assume)
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    role = aws.assume_role_keys("k8s-admin")  # creates the role moto lets anyone assume
    del role
    arn = "arn:aws:iam::123456789012:role/k8s-admin"
    write(home, kubeconfig(args=f"[eks, get-token, --cluster-name, demo, --role-arn, {arn}]"))
    aws.enforce()
    evidence = probe("kube.identity")
    assert evidence.findings == ("kube-identity-ok",), evidence.summary
    assert evidence.facts["arn"].value.startswith(
        "arn:aws:sts::123456789012:assumed-role/k8s-admin/EKSGetTokenAuth"
    )
    assert "the cluster maps the role" in evidence.details[0]
    shown = evidence.summary + "".join(evidence.details)
    assert all(secret.reveal() not in shown for secret in evidence.secrets)
    assert len(evidence.secrets) == 3


def test_identity_is_skipped_without_aws(home: Path) -> None:
    write(home, kubeconfig(user="    token: abcdefghijklmnop\n"))
    assert probe("kube.identity").findings == ("kube-identity-not-aws",)


def test_yaml_that_hand_edited_kubeconfigs_use(home: Path) -> None:
    """Anchors, quoted keys, block scalars and comments (kubeconfigs merged or edited by hand,
    Terraform's templates): read as kubectl reads them."""
    write(
        home,
        "# managed by hand\n"
        "apiVersion: v1\nkind: Config\n"
        'aws-env: &aws-env\n  - {name: AWS_PROFILE, value: "prod"}\n'
        "clusters:\n- cluster:\n    server: https://X.gr7.eu-west-1.eks.amazonaws.com\n"
        "    certificate-authority-data: >-\n      LS0tLS1CRUdJTi\n  name: demo\n"
        "contexts:\n- context: {cluster: demo, user: me}\n  name: demo\n"
        "'current-context': demo\n"
        "users:\n- name: me\n  user:\n    exec:\n"
        "      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n"
        "      args: [eks, get-token, --cluster-name, demo]\n"
        "      env: *aws-env\n",
    )
    evidence = probe("kube.config")
    assert "kubeconfig-exec-aws" in evidence.findings
    assert evidence.facts["profile"].value == "prod"


def test_a_kubeconfig_that_is_not_yaml_is_said_so(home: Path) -> None:
    write(home, "users: [unclosed\n  - name: x\n")
    evidence = probe("kube.config")
    assert evidence.status is not Status.OK
    assert "cannot be parsed" in evidence.summary + " ".join(evidence.details)
