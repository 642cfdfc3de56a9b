"""IAM Roles Anywhere's refusals of CreateSession (through aws_signing_helper, a
credential_process) lead to their own causes, not to a missing IAM permission: the certificate's
chain, the request's signature, the profile and the role's trust. The service's words as the
credential helper's issues quote them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from awsmedic.cli import main
from awsmedic.kb import load_checked, shipped_dir
from awsmedic.kb.model import Knowledge
from tests.unit.test_trees_denied_network import walk

UNTRUSTED = "AccessDeniedException: Untrusted Signing Certificate"
THROUGH_CLI = (
    "$ aws s3 ls --profile onprem\n"
    "Error when retrieving credentials from custom-process: 2025/04/11 09:12:44"
    " AccessDeniedException: Untrusted Signing Certificate"
)
SIGNATURE = (
    "operation error RolesAnywhere: CreateSession, https response error StatusCode: 403,"
    " RequestID: 3c0ab1e2-5d4f-4f7e-9b1a-2f3e4d5c6b7a, AccessDeniedException: Invalid signature"
)
NOT_IN_PROFILE = "Exception: Requested Role isn't one of those listed in the Profile."
SESSION_NAME = "AccessDeniedException: Not authorized to set roleSessionName."
OTHER = (
    "operation error RolesAnywhere: CreateSession, https response error StatusCode: 403,"
    " RequestID: 3c0ab1e2-5d4f-4f7e-9b1a-2f3e4d5c6b7a, AccessDeniedException: Access denied"
)


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_checked([shipped_dir()])


@pytest.mark.parametrize(
    ("text", "cause", "confidence"),
    [
        (UNTRUSTED, "roles-anywhere-untrusted-certificate", "confirmed"),
        (THROUGH_CLI, "roles-anywhere-untrusted-certificate", "confirmed"),
        (SIGNATURE, "roles-anywhere-key-mismatch", "likely"),
        (NOT_IN_PROFILE, "roles-anywhere-profile-mismatch", "confirmed"),
        (SESSION_NAME, "roles-anywhere-profile-mismatch", "confirmed"),
        (OTHER, "roles-anywhere-profile-mismatch", "possible"),
    ],
)
def test_each_refusal_reaches_its_cause(
    knowledge: Knowledge, text: str, cause: str, confidence: str
) -> None:
    tree, found, how, candidates = walk(
        knowledge, text, {"creds.process-program": ("not-process-profile",)}
    )
    assert tree == "access-denied"
    assert (found, how) == (cause, confidence)
    assert "iam-permission-denied" not in candidates[:1]


@pytest.mark.parametrize(
    "text",
    [
        # the same words elsewhere: NuGet's package signing, an unrelated "Invalid signature"
        "error NU3018: The signing certificate is an untrusted signing certificate.",
        "AccessDeniedException: Invalid signature in request header X-Signature",
    ],
)
def test_the_same_words_without_roles_anywhere_do_not_lead_there(
    capsys: pytest.CaptureFixture[str], text: str
) -> None:
    main(["diagnose", "--no-probes", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    causes = [candidate["cause"] for candidate in output["candidates"]]
    assert not [cause for cause in causes if cause.startswith("roles-anywhere")]


def test_the_steps_name_the_helpers_own_files_and_ids(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    """The profile's credential_process gives the certificate, the key, the trust anchor and the
    profile the steps are about; nothing is run."""
    (home / ".aws" / "config").write_text(
        "[default]\nregion = eu-west-1\ncredential_process = aws_signing_helper"
        " credential-process --certificate /etc/pki/host.pem --private-key=/etc/pki/host.key"
        " --trust-anchor-arn arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/1b2c3d4e-aaaa-bbbb-cccc-444455556666"
        " --profile-arn arn:aws:rolesanywhere:eu-west-1:123456789012:profile/9f8e7d6c-aaaa-bbbb-cccc-444455556666"
        " --role-arn arn:aws:iam::123456789012:role/onprem-backup\n"
    )
    for text, shown in (
        (
            UNTRUSTED,
            [
                "openssl x509 -in /etc/pki/host.pem",
                "--trust-anchor-id 1b2c3d4e-aaaa-bbbb-cccc-444455556666",
            ],
        ),
        (SIGNATURE, ["openssl pkey -in /etc/pki/host.key -pubout"]),
        (
            NOT_IN_PROFILE,
            ["--profile-id 9f8e7d6c-aaaa-bbbb-cccc-444455556666", "--role-name onprem-backup"],
        ),
    ):
        main(["diagnose", "--offline", "--no-input", "--format", "json", text])
        output = capsys.readouterr().out
        for command in shown:
            assert command in output, (text, command)


@pytest.mark.parametrize(
    ("argv", "facts"),
    [
        (["aws-vault", "exec", "dev", "--json"], {}),
        (
            ["/opt/bin/aws_signing_helper", "credential-process", "--certificate", "pkcs11:id=%01"],
            {},
        ),
        (
            ["C:\\tools\\aws_signing_helper.exe", "credential-process", "--private-key", "k.pem"],
            {"private_key_file": "k.pem"},
        ),
        (["aws_signing_helper", "credential-process", "--private-key"], {}),
        (
            ["aws_signing_helper", "credential-process", "--role-arn=arn:aws:iam::1:role/r"],
            {"role_name": "r"},
        ),
        (
            ["aws_signing_helper", "credential-process", "--profile-arn", "not-an-arn"],
            {},
        ),
    ],
)
def test_what_is_read_from_a_helpers_command_line(argv: list[str], facts: dict[str, str]) -> None:
    from awsmedic.probes.processpath import roles_anywhere_facts

    found = roles_anywhere_facts(argv, "~/.aws/config line 3")
    assert {name: fact.value for name, fact in found.items()} == facts


def test_a_pasted_helper_command_names_the_files_and_ids(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    """No credential_process here (the paste comes from another machine): the helper's command
    line in the paste, continued over lines as shells allow, gives the steps their values."""
    paste = (
        "$ ./aws_signing_helper credential-process \\\n"
        "    --certificate /etc/pki/host.pem \\\n"
        "    --private-key=/etc/pki/host.key \\\n"
        "    --trust-anchor-arn arn:aws:rolesanywhere:eu-west-1:123456789012:trust-anchor/"
        "1b2c3d4e-1111-2222-3333-444455556666 \\\n"
        "    --profile-arn arn:aws:rolesanywhere:eu-west-1:123456789012:profile/"
        "9f8e7d6c-1111-2222-3333-444455556666 --role-arn arn:aws:iam::123456789012:role/r\n"
        f"{UNTRUSTED}\n"
    )
    main(["diagnose", "--offline", "--no-input", "--format", "json", paste])
    output = capsys.readouterr().out
    assert "openssl x509 -in /etc/pki/host.pem" in output
    assert "--trust-anchor-id 1b2c3d4e-1111-2222-3333-444455556666" in output


def test_a_hostile_path_in_a_pasted_helper_command_stays_out_of_the_commands(
    capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    paste = f"$ aws_signing_helper credential-process --certificate x`reboot`.pem\n{UNTRUSTED}\n"
    main(["diagnose", "--offline", "--no-input", "--format", "json", paste])
    output = json.loads(capsys.readouterr().out)
    commands = [c for step in output["steps"] for c in step["commands"]]
    assert not [c for c in commands if "reboot" in c]
    assert any("<certificate_file>" in c for c in commands)
