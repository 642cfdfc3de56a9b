"""The scrubber against the forms secrets take on their way through logs, JSON and pastes.

Issue 17, items 4, 5 and 12: unknown secrets written as `name=value` under names nobody listed;
known secrets split across lines, JSON-escaped, URL-encoded, wrapped at 76 columns, or cut to
a run of 16 or more of their characters; botocore's `Signature:` debug line. And both ways:
ordinary words, settings, paths and the shipped knowledge stay readable.
"""

from __future__ import annotations

import json
import random
import textwrap
import urllib.parse

import pytest
from hypothesis import given, settings

from awsmedic.kb import knowledge_dirs, load_checked
from awsmedic.kb.model import QuestionNode
from awsmedic.model import Secret, SecretKind
from awsmedic.safety.redact import SecretBook, scrub_patterns
from tests.hardening.secretworld import (
    BASE64,
    RUN,
    disguises,
    leaked,
    ordinary_assignments,
    secret_assignments,
)

SECRET = "Zm9vYmFy/mF6cXV4+XV1eHF1dXhxdXV4cXV1eDEy"
TOKEN = "IQoJb3JpZ2luX2VjE" + "".join(random.Random(17).choices(BASE64, k=800))
KEY = "AKIARZPUZDIKGB2VALC4"


# -- unknown secrets as name=value (item 4) ------------------------------------------------------

REAL = "xK9#mQ2vL8pZ4wR7"


@pytest.mark.parametrize(
    "line",
    [
        f"java -Daws.secretKey={REAL} -jar app.jar",
        f"SECRET_ACCESS_KEY={REAL}",
        f"export AWS_SECRET={REAL}",
        f"spring.cloud.aws.credentials.secret-key={REAL}",
        f"TOKEN={REAL}",
        f"GET https://api.example.com/v1/items?limit=5&token={REAL}&page=2",
        f'{{"clientSecret": "{REAL}", "region": "us-east-1"}}',
        f"  db_password: {REAL}",
        f"X-Auth-Token: {REAL}",
        f"Authorization: Bearer {REAL}",
        f"--api-key={REAL}",
        f"GITHUB_TOKEN='{REAL}'",
    ],
)
def test_unknown_secrets_written_as_name_value_are_masked(line: str) -> None:
    scrubbed = scrub_patterns(line)
    assert REAL not in scrubbed
    assert "<redacted>" in scrubbed


@pytest.mark.parametrize(
    "line",
    [
        "region = us-east-1",
        "source_profile = base",
        "sso_session = my-sso",
        "token=expired",
        "Code=ExpiredToken",
        "error: token_type=Bearer",
        "web_identity_token_file = /var/run/secrets/eks.amazonaws.com/serviceaccount/token",
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=/var/run/secrets/pods.eks.amazonaws.com/token",
        "token_expiration=2024-05-01T10:00:00Z",
        "aws_secret_access_key = <your secret access key>",
        "SecretKey=YOUR_SECRET_KEY",
        "secret_name=prod-database-credentials",
        "key-status=Active",
        "aws_access_key_id = ****************ALC4",
        "sort_key=created_at",
        "Authorization: AWS4-HMAC-SHA256 Credential=****************ALC4/20240501/us-east-1/sts/"
        "aws4_request, SignedHeaders=host;x-amz-date",
        "the token is invalid: ExpiredTokenException",
        "password: ********",
        "TOKEN=${GITHUB_TOKEN}",
        "secret=$(aws secretsmanager get-secret-value --secret-id x)",
    ],
)
def test_ordinary_settings_and_placeholders_are_left_alone(line: str) -> None:
    assert scrub_patterns(line) == line


@settings(max_examples=300, deadline=None)
@given(secret_assignments())
def test_generated_secret_names_with_real_values_are_masked(case: tuple[str, str]) -> None:
    line, value = case
    assert value not in scrub_patterns(line)


@settings(max_examples=300, deadline=None)
@given(ordinary_assignments())
def test_generated_ordinary_assignments_are_left_alone(line: str) -> None:
    assert scrub_patterns(line) == line


def test_the_shipped_knowledge_keeps_every_word() -> None:
    """Steps, explanations and questions go through the scrubber; none may lose a word."""
    knowledge = load_checked(knowledge_dirs({}))
    texts = [
        t for c in knowledge.causes.values() for t in (c.title, c.why, *(s.text for s in c.steps))
    ]
    texts += [
        node.text
        for tree in knowledge.trees.values()
        for node in tree.nodes.values()
        if isinstance(node, QuestionNode)
    ]
    changed = [
        text
        for text in texts
        if scrub_patterns(text.replace("AKIAIOSFODNN7EXAMPLE", ""))
        != text.replace("AKIAIOSFODNN7EXAMPLE", "")
    ]
    assert changed == []


def test_botocore_signature_lines_are_masked() -> None:
    """botocore.auth logs `Signature:` and the hex on the next line (item 12)."""
    signature = "3f1d0e1c9a7b5d3f1e0c2a4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f"
    for line in (f"Signature:\n{signature}", f"Signature: {signature}", f"Signature={signature}"):
        assert signature not in scrub_patterns(line)


# -- known secrets in other forms (item 5) -----------------------------------------------------


@pytest.mark.parametrize("value", [SECRET, TOKEN, KEY], ids=["secret", "token", "key id"])
def test_a_known_secret_split_across_two_lines_at_any_point(value: str) -> None:
    book = SecretBook([Secret(value, SecretKind.OTHER)])
    for cut in range(1, len(value), max(1, len(value) // 60)):
        for joint in ("\n", "\r\n", "\n    ", "\\\n"):
            text = f"saw {value[:cut]}{joint}{value[cut:]} there"
            assert not leaked(value, book.scrub(text)), (cut, joint)


@pytest.mark.parametrize("kind", list(SecretKind))
def test_every_disguise_of_a_known_secret_is_masked(kind: SecretKind) -> None:
    values = {SecretKind.ACCESS_KEY_ID: KEY, SecretKind.SESSION_TOKEN: TOKEN}
    value = values.get(kind, SECRET)
    book = SecretBook([Secret(value, kind)])
    for name, form in disguises(value).items():
        scrubbed = book.scrub(f"before {form} after")
        assert not leaked(value, scrubbed), name
        assert scrubbed.startswith("before ") and scrubbed.endswith(" after"), name


def test_every_run_of_sixteen_characters_is_masked_and_shorter_ones_are_not() -> None:
    book = SecretBook([Secret(TOKEN, SecretKind.SESSION_TOKEN)])
    for start in range(0, len(TOKEN) - RUN, 7):
        run = TOKEN[start : start + RUN + start % 5]
        assert run not in book.scrub(f"x {run} y")
    short = TOKEN[100 : 100 + RUN - 1]
    assert book.scrub(f"x {short} y") == f"x {short} y"


def test_json_escaped_and_url_encoded_tokens_in_context() -> None:
    book = SecretBook([Secret(TOKEN, SecretKind.SESSION_TOKEN)])
    logged = json.dumps({"SessionToken": TOKEN}).replace("/", "\\/")
    url = "https://s3.amazonaws.com/b/k?X-Amz-Security-Token=" + urllib.parse.quote(TOKEN, "")
    wrapped = "\n".join(textwrap.wrap(TOKEN, 76))
    for text in (logged, url, wrapped):
        assert not leaked(TOKEN, book.scrub(text))
    assert book.scrub(url).startswith("https://s3.amazonaws.com/b/k?X-Amz-Security-Token=")


def test_values_that_are_words_never_mangle_the_steps() -> None:
    """An unexpanded `$AWS_SECRET_ACCESS_KEY` is a known value too (a common mistake): its
    runs must not eat the variable's name out of every step."""
    book = SecretBook(
        [
            Secret("$AWS_SECRET_ACCESS_KEY", SecretKind.SECRET_KEY),
            Secret("YOUR_SESSION_TOKEN_GOES_HERE", SecretKind.SESSION_TOKEN),
        ]
    )
    step = "Run `unset AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN` and check YOUR_SESSION_TOKEN"
    assert book.scrub(step) == step
    assert "$AWS_SECRET_ACCESS_KEY" not in book.scrub("the value was $AWS_SECRET_ACCESS_KEY")


def test_runs_cost_little_on_a_big_paste_with_a_big_book() -> None:
    import time

    secrets = [Secret(f"Vx{n:06d}q/Z8" + "kLm3Np" * 5, SecretKind.SECRET_KEY) for n in range(5000)]
    book = SecretBook(secrets)
    text = ("ordinary words of a long log line, 2024-05-01T10:00:00Z INFO ok\n" * 1000)[:64000]
    started = time.perf_counter()
    for _ in range(3):
        book.scrub(text)
    assert time.perf_counter() - started < 5


def test_a_key_id_without_digits_is_found_in_any_form_too() -> None:
    """About one real key id in 30 has no digit after its prefix: still a credential."""
    key = "ASIABWUKPVASTGSCVSJH"
    book = SecretBook([Secret(key, SecretKind.ACCESS_KEY_ID)])
    for name, form in disguises(key).items():
        assert not leaked(key, book.scrub(f"x {form} y")), name


def test_a_run_inside_a_longer_unknown_credential_takes_the_whole_credential() -> None:
    """Found by the property test: a known token of zeros matched the first 24 characters of a
    pasted secret key; the tag then hid the rest from the `name=value` rule, which leaves a
    value starting with `<` alone (a placeholder), and its last 16 characters were shown."""
    book = SecretBook([Secret("IQoJb3JpZ2luX2VjE" + "0" * 200, SecretKind.SESSION_TOKEN)])
    pasted = "000000000000000000000000A00000000000000b"
    scrubbed = book.scrub(f"export AWS_SECRET_ACCESS_KEY={pasted}\nnext line")
    assert not leaked(pasted, scrubbed)
    assert scrubbed.startswith("export AWS_SECRET_ACCESS_KEY=<") and "next line" in scrubbed
