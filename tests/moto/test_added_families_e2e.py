"""`awsmedic diagnose` on real set-ups of the families issue 14 added, against moto on 127.0.0.1.

Each case builds the set-up (temp HOME, files, environment, moto with auth enforced), captures
the error the real client prints there (boto3, an HTTP client using a presigned URL, kubectl),
then runs awsmedic as a subprocess in the same set-up and checks the cause, the evidence and
that no secret appears anywhere. Where moto does not answer as AWS does, tests/awsgateway.py
stands in front of it (an expired presigned URL, a SigV4 header that does not parse, an unsigned
request), and tests/iamsimulator.py adds the policy simulator moto lacks. kubectl talks to a
small HTTPS server on 127.0.0.1 that refuses every token with 401, as an EKS cluster does for an
identity it does not map; its exec plugin signs the token with botocore as `aws eks get-token`
does.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
import requests
from botocore.config import Config

from tests.awsfixtures import Keys, MotoAws
from tests.awsgateway import Gateway
from tests.iamsimulator import iam_simulator  # noqa: F401 (a fixture)
from tests.scenarios.harness import (
    Result,
    assert_no_secrets,
    diagnose,
    environment,
    real_error,
)

pytestmark = pytest.mark.moto

KUBECTL = shutil.which("kubectl")
needs_kubectl = pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
S3_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}  # fmt: skip


def profile(home: Path, name: str, keys: Keys, key_id: str | None = None) -> None:
    (home / ".aws" / "credentials").write_text(
        f"[{name}]\naws_access_key_id = {key_id or keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


@pytest.fixture
def front(aws: MotoAws, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateway]:
    gateway = Gateway(aws.url)
    monkeypatch.setenv("AWS_ENDPOINT_URL", gateway.url)
    yield gateway
    gateway.close()


def bucket(aws: MotoAws) -> None:
    s3 = aws._client("s3")
    s3.create_bucket(Bucket="reports")
    s3.put_object(Bucket="reports", Key="2026/q1.csv", Body=b"a,b\n")


# -- presigned URLs --------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["s3v4", "s3"], ids=["sigv4", "sigv2"])
def test_a_presigned_url_used_after_it_expired(
    aws: MotoAws, front: Gateway, home: Path, tmp_path: Path, version: str
) -> None:
    """moto serves no presigned GET while auth is enforced (it fails on the missing
    Authorization header), so only the gateway's answer past the URL's expiry is exercised."""
    keys = aws.create_user("app", S3_ALL)
    bucket(aws)
    profile(home, "default", keys)
    aws.enforce()
    s3 = boto3.client("s3", config=Config(signature_version=version))
    url = s3.generate_presigned_url(
        "get_object", Params={"Bucket": "reports", "Key": "2026/q1.csv"}, ExpiresIn=900
    )
    front.offset = dt.timedelta(hours=2)
    answer = requests.get(url, timeout=30)
    assert answer.status_code == 403 and "Request has expired" in answer.text
    result = diagnose(environment(), f"$ curl '{url}'\n{answer.text}", tmp_path)
    assert (result.cause, result.confidence) == ("presigned-url-expired", "confirmed")
    assert "aws s3 presign" in steps(result)
    assert_no_secrets(result, keys)


def test_a_presigned_put_sent_with_another_content_type(
    aws: MotoAws, front: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("app", S3_ALL)
    bucket(aws)
    profile(home, "default", keys)
    aws.enforce()
    url = boto3.client("s3").generate_presigned_url(
        "put_object",
        Params={"Bucket": "reports", "Key": "photo.png", "ContentType": "image/png"},
        ExpiresIn=900,
    )
    answer = requests.put(url, data=b"\x89PNG", headers={"Content-Type": "text/plain"}, timeout=30)
    assert answer.status_code == 403 and "SignatureDoesNotMatch" in answer.text
    result = diagnose(environment(), f"PUT {url}\n{answer.status_code}\n{answer.text}", tmp_path)
    assert (result.cause, result.confidence) == ("presigned-signature-mismatch", "likely")
    assert_no_secrets(result, keys)


# -- unsigned and half-signed requests -------------------------------------------------------


def test_a_key_id_with_a_trailing_space(
    aws: MotoAws, front: Gateway, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("app")
    aws.enforce()
    env = environment(
        AWS_ACCESS_KEY_ID=keys.access_key_id + " ", AWS_SECRET_ACCESS_KEY=keys.secret_access_key
    )
    error = real_error(env)
    assert "(IncompleteSignature)" in error and "not a valid key=value pair" in error
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("stray-characters", "confirmed")
    assert "AWS_ACCESS_KEY_ID" in result.evidence()
    assert_no_secrets(result, keys)


def test_an_unsigned_request(aws: MotoAws, front: Gateway, tmp_path: Path) -> None:
    aws.enforce()
    call = (
        "boto3.client('sts', config=__import__('botocore.config').config.Config("
        "signature_version=__import__('botocore').UNSIGNED)).get_caller_identity()"
    )
    error = real_error(environment(), call)
    assert "(MissingAuthenticationToken)" in error
    result = diagnose(environment(), error, tmp_path)
    assert (result.cause, result.confidence) == ("missing-authentication-token", "likely")


# -- a bare Access Denied, asked of IAM's policy simulator -----------------------------------


SIMULATE = {"Effect": "Allow", "Action": "iam:SimulatePrincipalPolicy", "Resource": "*"}
COPY = "$ aws s3 cp s3://reports/2026/q1.csv .\n"
GET_OBJECT = "boto3.client('s3').get_object(Bucket='reports', Key='2026/q1.csv')"


def s3_error(call: str) -> str:
    """What boto3 raises for an S3 call here (S3's errors are modeled exception classes)."""
    code = f"import boto3\ntry:\n    {call}\nexcept Exception as e:\n    print(f'{{type(e).__name__}}: {{e}}')\n"
    done = subprocess.run(
        [sys.executable, "-c", code], env=environment(), capture_output=True, text=True, timeout=60
    )
    assert done.stdout.strip(), done.stderr
    return done.stdout.strip()


@pytest.mark.usefixtures("iam_simulator")
def test_a_bare_access_denied_with_and_without_consent(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    listing = {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*"}
    keys = aws.create_user("analyst", {"Version": "2012-10-17", "Statement": [SIMULATE, listing]})
    bucket(aws)
    profile(home, "default", keys)
    aws.enforce()
    error = s3_error(GET_OBJECT)
    assert error.endswith("when calling the GetObject operation: Access Denied")
    asked = diagnose(environment(), COPY + error, tmp_path)
    assert any(q["id"] == "consent:iam.simulate" for q in asked.json["questions"])
    assert next(p for p in asked.json["probes"] if p["id"] == "iam.simulate")["status"] == "skipped"
    assert (asked.cause, asked.confidence) == ("iam-permission-denied", "likely")
    result = diagnose(environment(), COPY + error, tmp_path, "--answer", "consent:iam.simulate=yes")
    assert (result.cause, result.confidence) == ("iam-permission-denied", "confirmed")
    assert "policy simulator: no statement of your policies allows it" in result.evidence()
    assert_no_secrets(result, keys)


@pytest.mark.usefixtures("iam_simulator")
def test_a_deny_statement_found_by_the_simulator(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    deny = {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}
    policy = {"Version": "2012-10-17", "Statement": [SIMULATE, *S3_ALL["Statement"], deny]}  # type: ignore[list-item]
    keys = aws.create_user("analyst", policy)
    bucket(aws)
    profile(home, "default", keys)
    aws.enforce()
    error = s3_error(GET_OBJECT)
    result = diagnose(environment(), COPY + error, tmp_path, "--answer", "consent:iam.simulate=yes")
    assert (result.cause, result.confidence) == ("explicit-deny-guardrail", "confirmed")
    assert "a Deny statement in your own policies refuses it (statement in p" in result.evidence()
    assert_no_secrets(result, keys)


# -- EKS: kubectl, its kubeconfig and its exec plugin -----------------------------------------


EXEC_PLUGIN = """import base64, json, os, sys
import botocore.session

args = sys.argv[1:]
region = args[args.index("--region") + 1]
cluster = args[args.index("--cluster-name") + 1]
session = botocore.session.Session()
sts = session.create_client("sts", region_name=region)
url = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
token = "k8s-aws-v1." + base64.urlsafe_b64encode(url.encode()).decode().rstrip("=")
api = json.loads(os.environ.get("KUBERNETES_EXEC_INFO") or "{}").get("apiVersion")
print(json.dumps({"kind": "ExecCredential", "apiVersion": api or
                  "client.authentication.k8s.io/v1beta1", "spec": {}, "status": {"token": token}}))
"""


class Cluster:
    """An HTTPS server on 127.0.0.1 that refuses every bearer token, as EKS refuses an identity
    it does not map; it keeps the tokens it was sent."""

    def __init__(self, directory: Path) -> None:
        self.tokens: list[str] = []
        cert, key = _certificate(directory)
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                cluster.tokens.append(self.headers.get("Authorization", ""))
                status = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                          "message": "Unauthorized", "reason": "Unauthorized", "code": 401}  # fmt: skip
                body = json.dumps(status).encode()
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signed_by(self) -> set[str]:
        """The access key ids of the presigned URLs in the tokens received."""
        found = set()
        for header in self.tokens:
            encoded = header.removeprefix("Bearer k8s-aws-v1.")
            url = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode()
            found.add(parse_qs(urlsplit(url).query)["X-Amz-Credential"][0].split("/")[0])
        return found


def _certificate(directory: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "apiserver.crt", directory / "apiserver.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def kube_setup(
    home: Path, server: str, api: str = "client.authentication.k8s.io/v1beta1"
) -> dict[str, str]:
    """A kubeconfig as `aws eks update-kubeconfig --profile dev` writes it, and an `aws` on PATH
    whose `eks get-token` signs as the real one does."""
    bin_dir = home / "bin"
    bin_dir.mkdir(exist_ok=True)
    plugin = bin_dir / "aws"
    plugin.write_text(f"#!{sys.executable}\n{EXEC_PLUGIN}")
    plugin.chmod(0o755)
    arn = "arn:aws:eks:eu-west-1:123456789012:cluster/demo"
    (home / ".kube").mkdir(exist_ok=True)
    (home / ".kube" / "config").write_text(
        f"apiVersion: v1\nclusters:\n- cluster:\n    server: {server}\n"
        f"    insecure-skip-tls-verify: true\n  name: {arn}\ncontexts:\n- context:\n"
        f"    cluster: {arn}\n    user: {arn}\n  name: {arn}\ncurrent-context: {arn}\n"
        f"kind: Config\npreferences: {{}}\nusers:\n- name: {arn}\n  user:\n    exec:\n"
        f"      apiVersion: {api}\n      args:\n      - --region\n      - eu-west-1\n"
        "      - eks\n      - get-token\n      - --cluster-name\n      - demo\n      - --output\n"
        "      - json\n      command: aws\n      env:\n      - name: AWS_PROFILE\n"
        "        value: dev\n"
    )
    env = environment()
    env["PATH"] = f"{bin_dir}:{env.get('PATH', '')}"
    return env


def kubectl(env: dict[str, str]) -> str:
    done = subprocess.run(
        [KUBECTL or "kubectl", "get", "pods", "--request-timeout=20s"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode != 0, done.stdout
    return done.stderr.strip()


def steps(result: Result) -> str:
    """The steps' text (strings in transcript schema 1, objects with `text` in schema 2)."""
    return "\n".join(s if isinstance(s, str) else s["text"] for s in result.json["steps"])


@needs_kubectl
def test_kubectl_refused_by_a_cluster_that_does_not_map_the_identity(
    aws: MotoAws, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("dev")
    profile(home, "dev", keys)
    aws.enforce()
    cluster = Cluster(tmp_path)
    env = kube_setup(home, cluster.url)
    error = kubectl(env)
    assert "You must be logged in to the server" in error
    assert cluster.signed_by() == {keys.access_key_id}  # the token was signed as profile dev
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("eks-unauthorized", "likely")
    assert "kubectl's token is signed as arn:aws:iam::123456789012:user/dev" in result.evidence()
    assert "aws sts get-caller-identity --profile dev" in steps(result)
    assert "--cluster-name demo --region eu-west-1" in steps(result)
    assert_no_secrets(result, keys)
    cluster.server.shutdown()


@needs_kubectl
def test_kubectl_with_keys_sts_refuses(aws: MotoAws, home: Path, tmp_path: Path) -> None:
    keys = aws.create_user("dev")
    wrong = keys.access_key_id[:10] + "0" + keys.access_key_id[11:]
    profile(home, "dev", keys, key_id=wrong)
    aws.enforce()
    cluster = Cluster(tmp_path)
    env = kube_setup(home, cluster.url)
    error = kubectl(env)
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("eks-unauthorized", "likely")
    assert "STS refuses the credentials of profile 'dev'" in result.evidence()
    assert_no_secrets(result, keys, Keys(wrong, keys.secret_access_key))
    cluster.server.shutdown()


@needs_kubectl
def test_kubectl_and_a_kubeconfig_written_by_an_old_cli(home: Path, tmp_path: Path) -> None:
    env = kube_setup(home, "https://127.0.0.1:9", api="client.authentication.k8s.io/v1alpha1")
    error = kubectl(env)
    assert 'exec plugin: invalid apiVersion "client.authentication.k8s.io/v1alpha1"' in error
    result = diagnose(env, error, tmp_path)
    assert (result.cause, result.confidence) == ("eks-exec-api-version", "confirmed")
    assert "aws eks update-kubeconfig --name demo --region eu-west-1 --profile dev" in steps(result)
    assert "~/.kube/config" in steps(result)
