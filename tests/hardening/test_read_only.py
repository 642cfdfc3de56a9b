"""Read-only: a diagnosis writes nothing but the transcript asked for, and calls no AWS API that
changes anything.

Files: awsmedic runs in-process under an audit hook (PEP 578) that records every file opened for
writing and every rename, removal, link, chmod or mkdir. Only the export target and its
temporary sibling may appear (Python's own bytecode cache aside). The same hook records every
socket connection and name lookup: with --offline there must be none.

AWS: every call goes through a recording proxy on 127.0.0.1 in front of moto. Allowed are the
read-only operations (Get*, List*, Describe*, Head*) and the calls that vend temporary
credentials exactly as the failing command itself would (AssumeRole and its web-identity and
SAML forms): they change nothing in the account.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.awsfixtures import MotoAws
from tests.hardening.inprocess import run_main
from tests.hardening.servers import Stub, recording_proxy
from tests.iamsimulator import iam_simulator  # noqa: F401 (a fixture)

pytestmark = pytest.mark.moto

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
STALE = "FwoGZXIvYXdzE" + "Zz9Yy8Xx7Ww6" * 30
READ_ONLY = re.compile(r"^(?:Get|List|Describe|Head)[A-Z]")
VENDS_CREDENTIALS = {"AssumeRole", "AssumeRoleWithWebIdentity", "AssumeRoleWithSAML"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
_CHANGES = {
    "os.rename",
    "os.replace",
    "os.remove",
    "os.rmdir",
    "os.mkdir",
    "os.chmod",
    "os.chown",
    "os.link",
    "os.symlink",
    "os.truncate",
    "os.utime",
    "shutil.rmtree",
    "shutil.copyfile",
    "shutil.move",
}


class WriteRecorder:
    """An audit hook lives as long as the process: install one, switch recording on and off.

    It records files opened for writing (and renames, removals, ...) and, separately, every
    socket connection and name lookup: `--offline` must make none."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] | None = None
        self.network: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        sys.addaudithook(self._hook)

    def _hook(self, event: str, args: tuple[object, ...]) -> None:
        if self.events is None:
            return
        if event in ("socket.connect", "socket.getaddrinfo"):
            with self._lock:
                self.network.append((event, repr(args[1] if event == "socket.connect" else args)))
        elif event == "open":
            path, mode, flags = args
            writes = isinstance(mode, str) and any(c in mode for c in "wax+")
            writes = writes or (isinstance(flags, int) and bool(flags & _WRITE_FLAGS))
            if writes and not isinstance(path, int):
                self._add(event, path)
        elif event in _CHANGES:
            self._add(event, args[0])

    def _add(self, event: str, path: object) -> None:
        text = os.fsdecode(path) if isinstance(path, str | bytes | os.PathLike) else str(path)
        if text.endswith(".pyc") or text == os.devnull:  # Python's bytecode cache; /dev/null
            return
        with self._lock:
            assert self.events is not None
            self.events.append((event, text))

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[tuple[str, str]]]:
        events: list[tuple[str, str]] = []
        self.network = []
        self.events = events
        try:
            yield events
        finally:
            self.events = None


RECORDER = WriteRecorder()


def cache_writes(env: dict[str, str]) -> Callable[[tuple[str, str]], bool]:
    """Whether a recorded event is the knowledge cache's (`kb/cache.py`): a file strictly under
    its directory, or the creation of that directory and of the XDG cache directory holding
    it. Nothing else may be written."""
    from awsmedic.kb.cache import cache_dir

    kept = cache_dir(env)
    assert kept is not None

    def allowed(event: tuple[str, str]) -> bool:
        kind, path = event
        if kind == "os.mkdir" and Path(path) in (kept, kept.parent):
            return True
        return Path(path).parent == kept and kind in (
            "open",
            "os.rename",
            "os.replace",
            "os.remove",
        )

    return allowed


def home_files(home: Path, env: dict[str, str]) -> dict[Path, int]:
    """Every file in HOME with its modification time, the knowledge cache's left out."""
    from awsmedic.kb.cache import cache_dir

    kept = cache_dir(env)
    return {p: p.stat().st_mtime_ns for p in home.rglob("*") if p.is_file() and p.parent != kept}


def diagnose(env: dict[str, str], export: Path, *extra: str) -> dict[str, object]:
    argv = ["diagnose", "--no-input", "--format", "json", "--export", str(export), *extra, ICTI]
    status, out, err = run_main(argv, env)  # waits for the probes: late calls count too
    assert status == 0, err
    result: dict[str, object] = json.loads(out)
    return result


# -- broken setups ----------------------------------------------------------------------------


def stale_token(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    keys = aws.create_user("stale")
    env.update(
        AWS_ACCESS_KEY_ID=keys.access_key_id,
        AWS_SECRET_ACCESS_KEY=keys.secret_access_key,
        AWS_SESSION_TOKEN=STALE,
    )


def deleted_key(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    keys = aws.create_user("gone")
    aws.delete_key("gone", keys)
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )


def role_profile(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    keys = aws.create_user("source")
    (home / ".aws" / "credentials").write_text(
        f"[source]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    (home / ".aws" / "config").write_text(
        "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/missing\n"
        "source_profile = source\nregion = us-east-1\n"
    )
    env["AWS_PROFILE"] = "dev"


def process_profile(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    keys = aws.create_user("process")
    script = home / "creds.py"
    script.write_text(
        "import json\nprint(json.dumps({'Version': 1, "
        f"'AccessKeyId': {keys.access_key_id!r}, 'SecretAccessKey': 'wrong' * 8}}))\n"
    )
    (home / ".aws" / "config").write_text(
        f"[profile proc]\ncredential_process = {sys.executable} {script}\nregion = us-east-1\n"
    )
    env["AWS_PROFILE"] = "proc"


def sso_profile(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    """An SSO token about to expire, with what botocore needs to refresh it (and save it)."""
    import hashlib

    cache = home / ".aws" / "sso" / "cache"
    cache.mkdir(parents=True)
    (cache / f"{hashlib.sha1(b'corp').hexdigest()}.json").write_text(  # noqa: S324 (botocore's name)
        json.dumps(
            {
                "startUrl": "https://corp.awsapps.com/start",
                "region": "us-east-1",
                "accessToken": "old-access-token-value",
                "expiresAt": "2020-01-01T00:00:00Z",
                "clientId": "client-id-value",
                "clientSecret": "client-secret-value",
                "registrationExpiresAt": "2099-01-01T00:00:00Z",
                "refreshToken": "refresh-token-value",
            }
        )
    )
    (home / ".aws" / "config").write_text(
        "[profile sso]\nsso_session = corp\nsso_account_id = 123456789012\n"
        "sso_role_name = Dev\nregion = us-east-1\n"
        "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n"
    )
    env["AWS_PROFILE"] = "sso"


def no_credentials(aws: MotoAws, home: Path, env: dict[str, str]) -> None:
    pass


SETUPS: dict[str, Callable[[MotoAws, Path, dict[str, str]], None]] = {
    "stale-token": stale_token,
    "deleted-key": deleted_key,
    "role-profile": role_profile,
    "credential-process": process_profile,
    "sso-expiring-token": sso_profile,
    "no-credentials": no_credentials,
}


@pytest.fixture
def proxy(aws: MotoAws) -> Iterator[Stub]:
    with recording_proxy(aws.url) as stub:
        yield stub


@pytest.mark.parametrize("setup", list(SETUPS))
@pytest.mark.parametrize("offline", [False, True], ids=["online", "offline"])
def test_a_diagnosis_writes_only_its_transcript_and_calls_only_read_only_apis(
    setup: str, offline: bool, aws: MotoAws, proxy: Stub, home: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_ENDPOINT_URL"] = proxy.url
    SETUPS[setup](aws, home, env)
    aws.enforce()
    before = home_files(home, env)
    exports = tmp_path / "exports"
    exports.mkdir()
    target = exports / "transcript.json"
    with RECORDER.recording() as writes:
        diagnose(env, target, *(["--offline"] if offline else []))
    assert target.exists()
    cache = cache_writes(env)
    strays = [
        (event, path)
        for event, path in writes
        if not cache((event, path))
        and (
            Path(path).parent != exports
            or not (Path(path) == target or Path(path).name.startswith(".awsmedic-"))
        )
    ]
    assert strays == [], f"files changed besides the transcript: {strays}"
    assert any(cache(event) for event in writes)  # a fresh HOME: the cache was written
    assert home_files(home, env) == before
    operations = proxy.operations
    if offline:  # not one connection, not one name lookup, to AWS or anywhere else
        assert operations == []
        assert RECORDER.network == []
    changes = [op for op in operations if not READ_ONLY.match(op) and op not in VENDS_CREDENTIALS]
    assert changes == [], f"calls that are not read-only: {changes}"


def test_a_cached_aws_login_session_is_never_refreshed(home: Path) -> None:
    """botocore would call signin:CreateOAuth2Token and rewrite ~/.aws/login/cache."""
    from botocore.credentials import LoginCredentialFetcher

    from awsmedic.probes.world import AwsWorld
    from awsmedic.safety.guard import RefreshRefused
    from awsmedic.safety.redact import SecretBook
    from tests.conftest import make_context

    AwsWorld(make_context(), SecretBook()).new_session(None)
    fetcher = LoginCredentialFetcher("s", token_loader=None, client_creator=None)
    with pytest.raises(RefreshRefused, match="does not refresh"):
        fetcher.refresh_credentials()


# -- issue 14: the kubeconfig, Docker's config and the policy simulator ------------------------

#: iam:SimulatePrincipalPolicy changes nothing (it evaluates policies); it runs only with consent.
WITH_CONSENT = {"SimulatePrincipalPolicy"}


@pytest.mark.usefixtures("iam_simulator")
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "error: You must be logged in to the server (Unauthorized)",
            {"AssumeRole", "GetCallerIdentity"},
        ),
        (
            "Error response from daemon: denied: Your authorization token has expired."
            " Reauthenticate and try again.",
            set(),
        ),
        (
            "$ aws s3 cp s3://reports/q1.csv .\nAn error occurred (AccessDenied) when calling the"
            " GetObject operation: Access Denied",
            {"SimulatePrincipalPolicy"},
        ),
    ],
    ids=["eks", "ecr", "access-denied-with-consent"],
)
def test_the_added_families_read_their_files_and_call_only_read_only_apis(
    text: str, expected: set[str], aws: MotoAws, proxy: Stub, home: Path, tmp_path: Path
) -> None:
    keys = aws.create_user("dev", {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["iam:SimulatePrincipalPolicy", "sts:AssumeRole"], "Resource": "*"},
    ]})  # fmt: skip
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    role = aws.assume_role_keys("k8s")  # a role the exec section assumes
    del role
    (home / ".kube").mkdir()
    (home / ".kube" / "config").write_text(
        "current-context: c\ncontexts:\n- name: c\n  context: {cluster: c, user: u}\n"
        "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
        "      command: aws\n      args: [eks, get-token, --cluster-name, c, --role-arn,"
        " 'arn:aws:iam::123456789012:role/k8s']\n"
    )
    (home / ".docker").mkdir()
    (home / ".docker" / "config.json").write_text(
        '{"credHelpers": {"public.ecr.aws": "ecr-login"}}'
    )
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    env["AWS_ENDPOINT_URL"] = proxy.url
    aws.enforce()
    before = home_files(home, env)
    target = tmp_path / "transcript.json"
    argv = ["diagnose", "--no-input", "--format", "json", "--export", str(target)]
    argv += ["--answer", "consent:iam.simulate=yes", text]
    with RECORDER.recording() as writes:
        status, _, err = run_main(argv, env)
    assert status == 0, err
    cache = cache_writes(env)
    assert [
        path for kind, path in writes if Path(path).parent != tmp_path and not cache((kind, path))
    ] == []
    assert home_files(home, env) == before
    assert expected <= set(proxy.operations)  # the probes ran
    allowed = VENDS_CREDENTIALS | WITH_CONSENT
    changes = [op for op in proxy.operations if not READ_ONLY.match(op) and op not in allowed]
    assert changes == [], f"calls that are not read-only: {changes}"
