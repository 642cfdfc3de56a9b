"""An endpoint URL with a password in it (`https://user:password@host/`) never shows it.

From each place one comes from: AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>, `endpoint_url`
in ~/.aws/config, a form without a scheme that botocore refuses (its message quotes it), a
`--endpoint-url` on the pasted command, and the URL in the pasted error. `diagnose` runs as
users run it (cli.main, in this process), in JSON, Markdown and text, exporting each format:
the password is in none of stdout, stderr or the exports, and the host still is. Every
endpoint is on 127.0.0.1 (a closed port), and any other name lookup is refused and recorded.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.hardening.inprocess import run_main
from tests.hardening.secretworld import leaked
from tests.nethelpers import closed_port

PASSWORD = "s3cr3tP4ss"
KEY = "AKIAZQ3DRSTUVWXY2345"
SECRET = "wJalrXUtnFEMI/K7MDENGbPxRfiCYzEXAMPLEKEx"
ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
NO_URL = "botocore.exceptions.EndpointConnectionError: Could not connect to the endpoint URL"
#: stdout's format, and the export written beside it.
RUNS = (("json", "markdown"), ("markdown", "json"), ("text", "html"))
SUFFIXES = {"markdown": ".md", "json": ".json", "html": ".html"}


def _unreachable(url: str) -> str:
    """botocore's message, which quotes the endpoint URL as it was given (password and all)."""
    return f'{NO_URL}: "{url}/"'


@dataclass(frozen=True)
class Case:
    paste: str
    host: str  # what must still show: the endpoint's host and port
    env: dict[str, str] = field(default_factory=dict)
    config: str = ""


def _cases(port: int) -> dict[str, Case]:
    url = f"http://user:{PASSWORD}@127.0.0.1:{port}"
    host = f"127.0.0.1:{port}"
    return {
        "AWS_ENDPOINT_URL": Case(_unreachable(url), host, {"AWS_ENDPOINT_URL": url}),
        "AWS_ENDPOINT_URL, an STS error": Case(ICTI, host, {"AWS_ENDPOINT_URL": url}),
        "AWS_ENDPOINT_URL_STS without a scheme": Case(
            ICTI, "127.0.0.1:9000", {"AWS_ENDPOINT_URL_STS": f"user:{PASSWORD}@127.0.0.1:9000"}
        ),
        "endpoint_url in the config": Case(
            _unreachable(url), host, config=f"endpoint_url = {url}\n"
        ),
        "endpoint_url in the config, an STS error": Case(
            ICTI, host, config=f"endpoint_url = {url}\n"
        ),
        "endpoint_url without a scheme": Case(
            NO_URL, "127.0.0.1:9000", config=f"endpoint_url = user:{PASSWORD}@127.0.0.1:9000\n"
        ),
        "--endpoint-url in the paste": Case(
            f"$ aws sts get-caller-identity --endpoint-url {url}\n\n{_unreachable(url)}", host
        ),
        # The cause's text says where requests go: the pasted option, as written.
        "--endpoint-url without a scheme in the paste": Case(
            f"$ aws sts get-caller-identity --endpoint-url user:{PASSWORD}@127.0.0.1:9000\n\n"
            f"ValueError: Invalid endpoint: user:{PASSWORD}@127.0.0.1:9000",
            "127.0.0.1:9000",
        ),
        "a URL in the pasted error": Case(_unreachable(url), host),
    }


CASES = sorted(_cases(1))


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No network beyond 127.0.0.1: any other name lookup fails, and is recorded (net.connect
    tries botocore's own endpoint when the configured one is refused)."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def local_only(host: object, *args: object, **kwargs: object) -> object:
        if host not in ("127.0.0.1", "localhost", b"127.0.0.1"):
            asked.append(str(host))
            raise socket.gaierror(socket.EAI_NONAME, "no network beyond 127.0.0.1 in this test")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket, "getaddrinfo", local_only)
    return asked


def _planted(home: Path, case: Case) -> dict[str, str]:
    """The environment of one run: keys in ~/.aws/credentials, the case's settings."""
    (home / ".aws" / "credentials").write_text(
        f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = us-east-1\n" + case.config)
    return {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        **case.env,
    }


@pytest.mark.parametrize("name", CASES)
def test_an_endpoint_password_is_in_no_output_and_no_export(
    name: str, home: Path, tmp_path: Path, lookups: list[str]
) -> None:
    case = _cases(closed_port())[name]
    env = _planted(home, case)
    seen: dict[str, str] = {}
    for fmt, kind in RUNS:
        target = tmp_path / f"export{SUFFIXES[kind]}"
        argv = ["diagnose", "--no-input", "--format", fmt, "--export", str(target), case.paste]
        status, out, err = run_main(argv, env)
        assert status == 0, err
        seen |= {f"{fmt} stdout": out, f"{fmt} stderr": err, f"{kind} export": target.read_text()}
    leaks = [where for where, text in seen.items() if leaked(PASSWORD, text)]
    assert leaks == [], f"the password is in: {leaks}"
    assert case.host in seen["json stdout"]  # the endpoint is still named: only the password goes
    assert all(case.host in seen[f"{kind} export"] for kind in SUFFIXES)
    assert not any(PASSWORD in host for host in lookups)  # nor sent as a name to look up


def test_the_route_names_the_endpoint_with_its_password_masked(
    home: Path, lookups: list[str]
) -> None:
    """net.route's facts and details, in the JSON on stdout: `user:****@host`, as a proxy's."""
    import json

    port = closed_port()
    case = _cases(port)["AWS_ENDPOINT_URL"]
    argv = ["diagnose", "--no-input", "--format", "json", case.paste]
    status, out, err = run_main(argv, _planted(home, case))
    assert status == 0, err
    route = next(p for p in json.loads(out)["probes"] if p["id"] == "net.route")
    assert f"endpoint override http://user:****@127.0.0.1:{port}" in route["summary"]
    assert PASSWORD not in out
    assert lookups == []
