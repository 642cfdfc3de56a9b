from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awsmedic.model import Secret, SecretKind, mask_key_id, mask_url_password, url_password
from awsmedic.safety.redact import SecretBook, scrub_patterns

KEY = "AKIARZPUZDIKGB2VALC4"
SECRET = "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eDEy"
TOKEN = "IQoJb3JpZ2luX2VjE" + "Ab1Cd2Ef3Gh4" * 30


def test_key_ids_are_masked_to_their_last_four() -> None:
    assert scrub_patterns(f"key {KEY} here") == "key ****************ALC4 here"
    assert mask_key_id(KEY) == "****************ALC4"


def test_secret_and_token_shapes_are_replaced_even_when_unknown() -> None:
    text = scrub_patterns(f"secret={SECRET[:10]}x {SECRET} and {TOKEN}")
    assert SECRET not in text
    assert TOKEN[:40] not in text
    assert "<secret-key:redacted>" in text
    assert "<session-token:redacted>" in text


def test_assignments_in_pasted_files_are_redacted() -> None:
    text = scrub_patterns("aws_secret_access_key = abc/def+ghi\naws_session_token=short")
    assert "abc/def+ghi" not in text
    assert "short" not in text


def test_known_secrets_are_replaced_in_every_configured_form() -> None:
    book = SecretBook(
        [Secret(f'"{SECRET}"\r', SecretKind.SECRET_KEY), Secret(KEY, SecretKind.ACCESS_KEY_ID)]
    )
    text = book.scrub(f"q='{SECRET}' raw={SECRET}\r and {KEY.lower()} {KEY}")
    assert SECRET not in text
    assert KEY not in text
    assert "****************ALC4" in text


def test_short_placeholder_values_do_not_mangle_text() -> None:
    book = SecretBook([Secret("test", SecretKind.SECRET_KEY)])
    assert book.scrub("this is a test") == "this is a test"


def test_hex_digests_and_uuids_survive() -> None:
    digest = "d033e22ae348aeb5660fc2140aec35850c4da997"
    uuid = "86d1302f-64cb-427a-8824-296ab645b63c"
    assert scrub_patterns(f"{digest} {uuid}") == f"{digest} {uuid}"


def test_scrub_is_idempotent() -> None:
    book = SecretBook([Secret(SECRET, SecretKind.SECRET_KEY)])
    once = book.scrub(f"{KEY} {SECRET} {TOKEN}")
    assert book.scrub(once) == once


def test_secret_repr_never_shows_the_value() -> None:
    secret = Secret(SECRET, SecretKind.SECRET_KEY)
    assert SECRET not in repr(secret)
    assert SECRET not in str(secret)
    assert SECRET not in repr([secret])


# -- a book of many secrets (a credentials file with thousands of profiles) ---------------------

_ALPHABET = "ABab01=/+ \"'\r\n-_.:x"


@settings(max_examples=400, deadline=None)
@given(
    values=st.lists(st.text(_ALPHABET, min_size=1, max_size=24), min_size=1, max_size=40),
    text=st.text(_ALPHABET, max_size=200),
    data=st.data(),
)
def test_the_prefix_scan_replaces_exactly_what_the_regex_does(
    values: list[str], text: str, data: st.DataObject
) -> None:
    """Big books use the prefix scan, small ones the regex: both must agree, form for form."""
    secrets = [Secret(v, data.draw(st.sampled_from(list(SecretKind)))) for v in values]
    book = SecretBook(secrets)
    # Paste some of the secrets into the text, so that there is something to find.
    planted = text + "".join(data.draw(st.sampled_from(values)) + " " for _ in range(3))
    forms = sorted(book._replacements, key=len, reverse=True)
    expected = planted
    if forms:
        by_regex = re.compile("|".join(re.escape(form) for form in forms))
        expected = by_regex.sub(lambda m: book._replacements[m.group(0)], planted)
    assert book._scan(planted) == expected


def test_thousands_of_known_secrets_are_scrubbed_quickly() -> None:
    import time

    secrets = [Secret(f"odd-secret-value-{n:06d}", SecretKind.SECRET_KEY) for n in range(50_000)]
    started = time.perf_counter()
    book = SecretBook(secrets)
    text = "start odd-secret-value-012345 middle odd-secret-value-049999 end " * 200
    scrubbed = book.scrub(text)
    assert "odd-secret-value" not in scrubbed
    assert scrubbed.count("<secret-key:redacted>") == 400
    # A regex of 50,000 alternatives takes minutes to build and scan; the index, well under one.
    assert time.perf_counter() - started < 10


# -- passwords in URLs (an endpoint URL or a proxy with `user:password@`) --------------------

URL_PASSWORD = "s3cr3tP4ss"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (f"https://user:{URL_PASSWORD}@host:9000/", "https://user:****@host:9000/"),
        (f"http://user:{URL_PASSWORD}@127.0.0.1:4566", "http://user:****@127.0.0.1:4566"),
        # Without a scheme, as botocore refuses it (and as a proxy variable may hold it).
        (f"user:{URL_PASSWORD}@host:9000", "user:****@host:9000"),
        # An `@` in the password: the host is what follows the last one, as urllib reads it.
        ("https://ci:p@ss-w0rd@host/x@y", "https://ci:****@host/x@y"),
        ("https://:tok3n-only@host", "https://:****@host"),
        (f"https://user:{URL_PASSWORD}@[::1]:9000/", "https://user:****@[::1]:9000/"),
        # Nothing to hide.
        ("https://sts.us-east-1.amazonaws.com", "https://sts.us-east-1.amazonaws.com"),
        ("http://[::1]:4566/", "http://[::1]:4566/"),
        ("localhost:4566", "localhost:4566"),
        ("https://host:443/path@x", "https://host:443/path@x"),
        ("https://user@host/", "https://user@host/"),
        ("https://user:@host/", "https://user:@host/"),
    ],
)
def test_a_url_is_shown_with_its_password_masked(url: str, shown: str) -> None:
    assert mask_url_password(url) == shown
    assert url_password(url) in url and ":****@" not in url_password(url)


def test_the_password_of_a_url() -> None:
    assert url_password(f"https://user:{URL_PASSWORD}@host:9000/") == URL_PASSWORD
    assert url_password(f"user:{URL_PASSWORD}@host:9000") == URL_PASSWORD
    assert url_password("https://ci:p@ss-w0rd@host/x@y") == "p@ss-w0rd"
    assert url_password("https://user@host/") == ""
    assert url_password("localhost:4566") == ""


@pytest.mark.parametrize(
    "text",
    [
        f'Could not connect to the endpoint URL: "https://user:{URL_PASSWORD}@host:9000/"',
        f"ProxyConnectionError: Failed to connect to proxy URL: http://me:{URL_PASSWORD}@proxy:3128",
        f"$ aws s3 ls --endpoint-url=http://user:{URL_PASSWORD}@127.0.0.1:4566\n",
        f"<code>http://user:{URL_PASSWORD}@minio.local</code>",
        # botocore refuses an endpoint without a scheme, and quotes it as given.
        f"ValueError: Invalid endpoint: user:{URL_PASSWORD}@127.0.0.1:9000",
    ],
)
def test_a_url_password_nobody_saw_is_masked_wherever_a_url_has_one(text: str) -> None:
    """The fixed layer: botocore's messages and the paste quote endpoint URLs as written."""
    for scrubbed in (scrub_patterns(text), SecretBook().scrub(text)):
        assert URL_PASSWORD not in scrubbed
        assert ":****@" in scrubbed
    assert scrub_patterns(scrub_patterns(text)) == scrub_patterns(text)


def test_a_short_password_of_a_refused_endpoint_is_masked_too() -> None:
    """Too short for the book (MIN_SCRUB_LENGTH), and no scheme: botocore's wording says it."""
    assert (
        scrub_patterns("ValueError: Invalid endpoint: ci:pw1@127.0.0.1:9000")
        == "ValueError: Invalid endpoint: ci:****@127.0.0.1:9000"
    )
    assert scrub_patterns("Invalid endpoint: localhost:4566") == "Invalid endpoint: localhost:4566"


def test_a_known_url_password_is_masked_like_the_proxy_in_a_url_and_alone() -> None:
    book = SecretBook([Secret(URL_PASSWORD, SecretKind.OTHER)])
    text = f"endpoint https://user:{URL_PASSWORD}@host:9000/; later {URL_PASSWORD} again"
    assert (
        book.scrub(text) == "endpoint https://user:****@host:9000/; later <secret:redacted> again"
    )


@pytest.mark.parametrize(
    "text",
    [
        "https://sts.us-east-1.amazonaws.com/ and alice@example.com",
        "https://host:8443 then mail bob@example.com",
        "https://host:443/path@x?y=z@w#frag@x",
        "http://[::1]:4566/ and http://localhost:4566",
        "user:name@host",  # no scheme: only a known password is masked in free text
    ],
)
def test_text_that_only_looks_like_a_url_password_is_left_alone(text: str) -> None:
    assert scrub_patterns(text) == text


def test_endpoint_and_proxy_passwords_are_known_before_any_probe_runs(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up scan: botocore's own messages quote the endpoint URL (any probe's), and a
    refused one without a scheme is quoted without one."""
    from awsmedic.safety.secretscan import known_secrets
    from tests.conftest import make_context

    monkeypatch.setenv("AWS_ENDPOINT_URL", "https://env:env-Passw0rd-1@host:9000")
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", "s3user:env-Passw0rd-2@host:9001")
    monkeypatch.setenv("https_proxy", "http://me:proxy-Passw0rd-3@proxy:3128")
    (home / ".aws" / "config").write_text(
        "[default]\nregion = us-east-1\nendpoint_url = http://cfg:cfg-Passw0rd-4@127.0.0.1:9\n"
        "services = local\n\n[services local]\nsts =\n"
        "  endpoint_url = cfg:cfg-Passw0rd-5@127.0.0.1:9000\n"
    )
    known = {secret.reveal() for secret in known_secrets(make_context())}
    assert {f"env-Passw0rd-{n}" for n in (1, 2)} <= known
    assert "proxy-Passw0rd-3" in known
    assert {f"cfg-Passw0rd-{n}" for n in (4, 5)} <= known
    assert not any("@" in value or value.startswith("http") for value in known)


# Amazon Bedrock API keys, built the way AWS builds them (aws-bedrock-token-generator, the IAM
# user guide) around AWS's documented example key id and secret, so no real key is in the tests.
_EXAMPLE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
LONG_TERM_KEY = (
    "ABSK"
    + base64.b64encode(f"BedrockAPIKey-ab1c-at-123456789012:{_EXAMPLE_SECRET}".encode()).decode()
)
SHORT_TERM_KEY = (
    "bedrock-api-key-"
    + base64.b64encode(
        b"bedrock.amazonaws.com/?Action=CallWithBearerToken&X-Amz-Algorithm=AWS4-HMAC-SHA256"
        b"&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261204%2Fus-west-2%2Fbedrock%2Faws4_request"
        b"&X-Amz-Date=20261204T101010Z&X-Amz-Expires=43200&X-Amz-SignedHeaders=host"
        b"&X-Amz-Signature=" + b"ab12" * 16 + b"&Version=1"
    ).decode()
)


# A long-term key of an IAM user named by its owner rather than by the console.
NAMED_USER_KEY = (
    "ABSK" + base64.b64encode(f"ci-bedrock-at-123456789012:{_EXAMPLE_SECRET}".encode()).decode()
)


@pytest.mark.parametrize("key", [LONG_TERM_KEY, NAMED_USER_KEY, SHORT_TERM_KEY])
@pytest.mark.parametrize(
    "shape",
    [
        "export AWS_BEARER_TOKEN_BEDROCK={key}",
        "$env:AWS_BEARER_TOKEN_BEDROCK = '{key}'",
        "BEDROCK_KEY={key}",  # a name that says nothing: the key's own shape gives it away
        'curl -H "Authorization: Bearer {key}" https://bedrock-runtime.us-east-1.amazonaws.com/',
        '{{"api_key": "{key}"}}',
        "the key {key} stopped working",
    ],
)
def test_bedrock_api_keys_are_masked_wherever_they_stand(key: str, shape: str) -> None:
    text = scrub_patterns(shape.format(key=key))
    assert key[:24] not in text
    assert key[-24:] not in text


@pytest.mark.parametrize("user", ["BedrockAPIKey-ab1c", "ci-bedrock"])
def test_a_decoded_long_term_bedrock_key_keeps_its_name_and_loses_its_secret(user: str) -> None:
    text = scrub_patterns(f"value {user}-at-123456789012:{_EXAMPLE_SECRET}")
    assert _EXAMPLE_SECRET[:12] not in text
    assert f"{user}-at-123456789012:" in text


@pytest.mark.parametrize(
    "text", ["ABSKING is not a key", "see bedrock-api-key-rotation", "AWS_BEARER_TOKEN_BEDROCK"]
)
def test_words_near_bedrock_keys_survive(text: str) -> None:
    assert scrub_patterns(text) == text


def test_bearer_tokens_in_the_environment_are_known_before_any_probe_runs(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """botocore reads AWS_BEARER_TOKEN_<SERVICE>; a probe's message or a paste may quote it in
    any form, so the scrubber knows the value itself."""
    from awsmedic.safety.secretscan import known_secrets
    from tests.conftest import make_context

    monkeypatch.setenv("AWS_BEARER_TOKEN_BEDROCK", "not-shaped-like-a-key-Zq81")
    book = SecretBook(known_secrets(make_context()))
    assert "not-shaped-like-a-key-Zq81" not in book.scrub("sent not-shaped-like-a-key-Zq81 as is")


@pytest.mark.parametrize("width", [64, 76])
def test_an_unknown_token_wrapped_over_lines_is_replaced_whole(width: int) -> None:
    """base64 tools wrap under the token shape's 80 characters; no line is a token alone."""
    token = base64.b64encode(bytes(range(256)) * 3).decode()
    lines = [token[i : i + width] for i in range(0, len(token), width)]
    text = scrub_patterns("AWS_SESSION_TOKEN:\n" + "\n".join(lines) + "\nnext: done")
    assert not any(line[:20] in text for line in lines)
    assert "<session-token:redacted>" in text and "next: done" in text
    # Two words that end one line and start the next are no token.
    prose = "it ends with AbcdefghijKLMNOPqrst\nUvwxyzABCDEFGHIJabcd starts here"
    assert scrub_patterns(prose) == prose


def test_json_escaped_and_jwt_shaped_secrets_are_replaced() -> None:
    escaped = SECRET[:12] + "\\/" + SECRET[13:]
    assert scrub_patterns(f'{{"k": "{escaped}"}}') == '{"k": "<secret-key:redacted>"}'
    jwt = (
        "eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ"
        ".eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6ZGVmYXVsdDpteS1zYSJ9"
        ".c2lnbmF0dXJlLXBhcnQtd2l0aC11bmRlcnNjb3Jlc18tLQ"
    )
    assert scrub_patterns(f"token: {jwt}\n") == "token: <token:redacted>\n"


@pytest.mark.parametrize(
    ("before", "after"), [("x1", ""), ("keyid", ""), ("\\u0022", "\\u0022"), ("", "abc")]
)
def test_key_ids_glued_to_other_text_are_masked(before: str, after: str) -> None:
    assert scrub_patterns(f"{before}{KEY}{after}") == f"{before}****************ALC4{after}"


def test_a_secret_split_by_an_escape_sequence_is_masked_before_the_filter_joins_it() -> None:
    """The terminal filter removes escape sequences after the scrub: a colour code inside a key
    id or secret (a log kept with its colours) must not hide it from the scrub."""
    from awsmedic.safety.safetext import printable

    text = f"key {KEY[:6]}\x1b[0m{KEY[6:]} secret {SECRET[:20]}\x1b[1;31m{SECRET[20:]}"
    for shown in (printable(scrub_patterns(text)), printable(SecretBook().scrub(text))):
        assert KEY not in shown and SECRET not in shown
        assert "****************ALC4" in shown and "<secret-key:redacted>" in shown
