from __future__ import annotations

import pytest

from awsmedic.aws import keyids


@pytest.mark.parametrize(
    ("key", "account"),
    [("ASIAY34FZKBOKMUTVV7A", "609629065308"), ("AKIARZPUZDIKGB2VALC4", "123456789012")],
)
def test_account_is_decoded_from_new_generation_keys(key: str, account: str) -> None:
    assert keyids.decode_account(key) == account


def test_old_generation_keys_carry_no_account() -> None:
    assert keyids.decode_account("AKIAIOSFODNN7EXAMPLE") is None


@pytest.mark.parametrize(
    "value",
    [
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "test",
        "${AWS_ACCESS_KEY_ID}",
        "{{ secrets.KEY }}",
        "<your-key>",
        "xxxxxxxx",
        "YOUR_ACCESS_KEY_ID",
    ],
)
def test_placeholders_are_recognised(value: str) -> None:
    assert keyids.is_placeholder(value)


def test_real_looking_keys_are_not_placeholders() -> None:
    assert not keyids.is_placeholder("AKIARZPUZDIKGB2VALC4")


@pytest.mark.parametrize(
    ("key", "fragment"),
    [
        ("AKIARZPUZDIKGB2VALC", "19 characters"),
        ("AKIARZPUZDIKGB2VAL01", "'0', '1'"),
        ("AIDARZPUZDIKGB2VALC4", "IAM user id"),
        ("akiarzpuzdikgb2valc4", "does not start with AKIA"),
    ],
)
def test_malformed_key_ids_say_why(key: str, fragment: str) -> None:
    assert any(fragment in problem for problem in keyids.key_id_problems(key))


def test_well_formed_key_has_no_problems() -> None:
    assert keyids.key_id_problems("ASIAY34FZKBOKMUTVV7A") == []


def test_token_and_secret_shape() -> None:
    assert keyids.token_problems("abc")
    assert not keyids.token_problems("A" * 300)
    assert keyids.secret_problems("short")
    assert not keyids.secret_problems("a" * 20 + "B/+9" * 5)
