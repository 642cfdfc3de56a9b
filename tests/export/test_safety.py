"""Nothing secret gets out, and nothing pasted comes alive: a canary session with fake secrets
planted everywhere a secret could hide, and pastes built to break out of each format."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

from awsmedic.core.transcript import Transcript
from awsmedic.model import Evidence, Fact, Secret, SecretKind
from awsmedic.output.export.jsonread import parse
from awsmedic.output.exporting import render
from awsmedic.safety.redact import SecretBook
from tests.export.documents import knowledge_links, markdown_tokens, read_html
from tests.export.session import (
    PASTE_BOTO3,
    STS_REJECTED,
    chain_evidence,
    golden_session,
    run_awsmedic,
)

FORMATS = ("markdown", "json", "html")

# Shape-free values: only the book (what probes and the start-up scan saw) can catch these.
SECRET = "CanarySecretKx9Zq7Wm"
TOKEN = "CanaryToken-0f3a9-Zz-Qq"
KEY_ID = "AKIAZCANARY000000001"
# Shaped like real ones: the fixed patterns catch these even when nobody saw them.
SHAPED_SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
SHAPED_TOKEN = "IQoJb3JpZ2luX2VjE" + "Ab1Cd2Ef3Gh4" * 30
CANARIES = (SECRET, TOKEN, KEY_ID, SHAPED_SECRET, SHAPED_TOKEN)

CANARY_PASTE = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid.\n"
    f"DEBUG headers X-Amz-Security-Token: {TOKEN} Authorization: AWS4-HMAC-SHA256 "
    f"Credential={KEY_ID}/20260102/us-east-1/sts/aws4_request\n"
    f"export AWS_SECRET_ACCESS_KEY={SHAPED_SECRET} # was {SECRET}\n"
    f"token {SHAPED_TOKEN}\n"
)
BREAKOUT = (
    "<script>alert(1)</script>\n"
    "```\n# Injected heading\n[click me](javascript:alert(2))\n"
    '<img src="https://attacker.example/x.png" onerror="alert(3)">\n'
    "````\n~~~\n</code></pre><script>alert(4)</script>\n"
)
INJECTION = (
    BREAKOUT + "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity "
    "operation: The security token included in the request is invalid.\n"
)
INJECTION_NOCREDS = (
    BREAKOUT + "botocore.exceptions.NoCredentialsError: Unable to locate credentials"
)


def planted_session() -> tuple[Transcript, SecretBook]:
    """The fixed session with the canaries in probe summaries, facts, paths and profile names."""
    book = SecretBook()
    chain = chain_evidence(
        summary=f"environment variables win over profile 'dev-{SECRET}' (key {KEY_ID})",
        facts={
            "profile": Fact(f"dev-{SECRET}", "env", "AWS_PROFILE"),
            "credentials_file": Fact(f"/tmp/{TOKEN}/credentials", "env"),
            "access_key_id": Fact(KEY_ID, "env", f"/home/alice/{SECRET}/.aws/credentials"),
        },
        details=(f"session token {TOKEN}", f"profiles: dev-{SECRET}, other"),
        secrets=(
            Secret(SECRET, SecretKind.SECRET_KEY),
            Secret(TOKEN, SecretKind.SESSION_TOKEN),
            Secret(KEY_ID, SecretKind.ACCESS_KEY_ID),
        ),
    )
    sts = Evidence(
        "sts.identity",
        STS_REJECTED.status,
        STS_REJECTED.summary + f" (secret {SECRET})",
        STS_REJECTED.findings,
        {"region": Fact("eu-west-1", f"[profile dev-{SECRET}]")},
    )
    evidence = {"creds.chain": chain, "sts.identity": sts}
    transcript = golden_session(evidence, (CANARY_PASTE, PASTE_BOTO3), book)
    return transcript, book


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_canary_reaches_any_export(fmt: str) -> None:
    transcript, book = planted_session()
    document = render(transcript.redacted(book), fmt)
    if fmt == "html":
        document = html.unescape(document)
    elif fmt == "json":
        document = json.dumps(json.loads(document), ensure_ascii=False)
    for canary in CANARIES:
        assert canary not in document, f"{canary} leaked into {fmt}"
    # The text that held them is there, masked: they were redacted, not left out.
    assert "dev-<secret-key:redacted>" in document
    assert "<session-token:redacted>" in document
    assert "****************0001" in document


def test_raw_secrets_do_not_survive_in_the_redacted_view() -> None:
    transcript, book = planted_session()
    redacted = transcript.redacted(book)
    for event in redacted.events:
        evidence = getattr(event, "evidence", None)
        if isinstance(evidence, Evidence):
            assert evidence.secrets == ()
    assert all(canary not in repr(redacted.events) for canary in CANARIES)


def injected() -> tuple[Transcript, str]:
    """A session whose paste, profile name and probe output all try to break out."""
    chain = chain_evidence(
        summary="profile '[x](javascript:alert(5))' <b onmouseover=alert(6)>bold</b>",
        facts={"profile": Fact("](javascript:alert(7))`<script>", "env", "AWS_PROFILE")},
        details=("# not a heading", "| not | a | table |"),
    )
    transcript = golden_session(
        {"creds.chain": chain, "sts.identity": STS_REJECTED}, (INJECTION, INJECTION_NOCREDS)
    )
    redacted = transcript.redacted(SecretBook())
    return redacted, INJECTION


def test_a_pasted_script_and_markdown_stay_inert_in_markdown() -> None:
    redacted, paste = injected()
    document = render(redacted, "markdown")
    tokens = markdown_tokens(document)  # as GitHub reads it: raw HTML would be recognised
    assert not [t for t in tokens if t.type.startswith("html")]
    assert "Injected heading" not in [t.content for t in tokens if t.type == "inline"]
    hrefs = {t.attrGet("href") for t in tokens if t.type == "link_open"}
    assert hrefs <= knowledge_links(redacted)
    assert not [t for t in tokens if t.type == "image"]
    fences = [t.content for t in tokens if t.type == "fence" and t.info == "text"]
    assert fences[0] == paste  # the whole paste, verbatim, in one fence
    rendered = "".join(t.content for t in tokens if t.type in ("code_inline", "fence"))
    assert "javascript:alert(5)" in rendered and "javascript:alert(7)" in rendered


def test_a_pasted_script_and_markdown_stay_inert_in_html() -> None:
    redacted, paste = injected()
    document = render(redacted, "html")
    page = read_html(document)
    assert page.problems == []
    tags = {tag for tag, _ in page.tags}
    assert not tags & {"script", "img", "b", "iframe", "object", "embed", "link", "base"}
    assert "<script" not in document.lower()
    for _, attrs in page.tags:
        assert not [name for name in attrs if name.startswith("on")]
        assert "javascript:" not in (attrs.get("href") or "")
    text = "".join(page.text)
    assert paste in text  # shown as text, exactly as pasted
    assert "[x](javascript:alert(5))" in text


def test_a_pasted_script_stays_data_in_json() -> None:
    redacted, paste = injected()
    doc = json.loads(render(redacted, "json"))
    assert doc["events"][0] == {
        "type": "pasted",
        "at": doc["events"][0]["at"],
        "text": paste,
        "truncated": False,
    }
    again, _ = parse(doc)
    assert again.events == redacted.events


@pytest.mark.slow
def test_canaries_planted_in_a_real_setup_reach_no_output(tmp_path: Path) -> None:
    """The real program: secrets in the environment, the files, a file path, a profile name
    and the paste; diagnose exports all three formats, show reads the JSON back."""
    home = tmp_path / "canary-home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(f"[profile dev-{SECRET}]\nregion = eu-west-1\n")
    secret_dir = tmp_path / TOKEN
    secret_dir.mkdir()
    (secret_dir / "credentials").write_text(
        f"[other]\naws_access_key_id = AKIAZOTHER0000000002\n"
        f"aws_secret_access_key = {SHAPED_SECRET}\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(secret_dir / "credentials"),
        "AWS_ACCESS_KEY_ID": KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_SESSION_TOKEN": TOKEN,
        "AWS_PROFILE": f"dev-{SECRET}",
    }
    outputs = []
    for name in ("t.md", "t.json", "t.html"):
        result = run_awsmedic(
            "diagnose", "--offline", "--no-input", "--export", name, CANARY_PASTE,
            env=env, cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr, (tmp_path / name).read_text()]
    shown = run_awsmedic("show", str(tmp_path / "t.json"), env=env)
    assert shown.returncode == 0, shown.stderr
    outputs += [shown.stdout, shown.stderr]
    for output in outputs:
        for canary in CANARIES:
            assert canary not in output
    exported = (tmp_path / "t.md").read_text()
    assert "dev-<secret-key:redacted>" in exported  # the profile name, masked
    assert "<session-token:redacted>/credentials" in exported  # the file path, masked
    assert "Credential=****************0001" in exported  # the paste, masked


@pytest.mark.slow
@pytest.mark.parametrize("name", ["t.md", "t.html"])
def test_a_profile_name_with_line_breaks_stays_inside_its_code_span(
    tmp_path: Path, name: str
) -> None:
    """Issue 17, item 12: an AWS_PROFILE with blank lines ended the step's paragraph, and the
    code span with it, so the rest of the value became live Markdown: an image, a link."""
    home = tmp_path / "profile-home"
    (home / ".aws").mkdir(parents=True)
    profile = "dev\n\n![x](https://attacker.example/x.png)\n\n[help](https://attacker.example/)\n"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_PROFILE": profile,
    }
    result = run_awsmedic(
        "diagnose", "--offline", "--no-input", "--export", name, CANARY_PASTE.splitlines()[0],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = (tmp_path / name).read_text()
    assert "attacker.example" in document  # the value is there, as text
    if name.endswith(".md"):
        tokens = markdown_tokens(document)
        assert not [t for t in tokens if t.type == "image"]
        hrefs = {t.attrGet("href") for t in tokens if t.type == "link_open"}
        assert not [h for h in hrefs if "attacker.example" in str(h)]
    else:
        page = read_html(document)
        assert not [a for _, a in page.tags if "attacker.example" in str(a.get("href"))]
        assert not [tag for tag, _ in page.tags if tag == "img"]


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["--offline", "--no-probes"])
@pytest.mark.parametrize("kind", ["short-term", "long-term", "quoted"])
def test_bedrock_api_keys_reach_no_output(tmp_path: Path, kind: str, mode: str) -> None:
    """An Amazon Bedrock API key in AWS_BEARER_TOKEN_BEDROCK, quoted by the paste, reaches
    neither the terminal nor any export: not the key, not the secret inside a long-term key, not
    the key id or session token inside a short-term one; whether bedrock.api-key read it or no
    probe ran (then the start-up scan and the key's shape catch it)."""
    import base64

    secret = "CanaryBedrockSecret0Kx9Zq7Wm"
    token = "CanaryBedrockToken0f3a9ZzQq"
    key_id = "AKIAZCANARY000000002"
    url = (
        "bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        f"&X-Amz-Credential={key_id}%2F20261204%2Fus-west-2%2Fbedrock%2Faws4_request"
        "&X-Amz-Date=20261204T101010Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host"
        f"&X-Amz-Security-Token={token}&X-Amz-Signature={'ab12' * 16}&Version=1"
    )
    short = "bedrock-api-key-" + base64.b64encode(url.encode()).decode()
    long = "ABSK" + base64.b64encode(f"ci-bedrock-at-123456789012:{secret}".encode()).decode()
    key = {"short-term": short, "long-term": long, "quoted": f'"{long}"'}[kind]
    home = tmp_path / "bedrock-home"
    (home / ".aws").mkdir(parents=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_REGION": "eu-central-1",
        "AWS_BEARER_TOKEN_BEDROCK": key,
    }
    paste = (
        f"$ export AWS_BEARER_TOKEN_BEDROCK={key}\n"
        f"$ curl -H 'Authorization: Bearer {key.strip(chr(34))}' https://bedrock-runtime"
        ".eu-central-1.amazonaws.com/model/m/converse\n"
        '{"Message":"Authentication failed: Please make sure your API Key is valid."}\n'
    )
    outputs = []
    for name in ("t.md", "t.json", "t.html"):
        result = run_awsmedic(
            "diagnose", mode, "--no-input", "--export", name, paste, env=env, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        outputs += [result.stdout, result.stderr, (tmp_path / name).read_text()]
    canaries = (secret, token, key_id, short[16:48], short[-32:], long[4:36], long[-24:])
    if mode == "--offline":
        assert '"bedrock.api-key"' in (tmp_path / "t.json").read_text()  # the key was read
    for output in outputs:
        for canary in canaries:
            assert canary not in output, (kind, canary)
