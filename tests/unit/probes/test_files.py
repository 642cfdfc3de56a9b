"""files.syntax: both shared files, every problem with its file, line and profile."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awsmedic.model import Status
from tests.unit.probes.helpers import KEY, SECRET, probe


def credentials(home: Path, data: bytes | str) -> None:
    path = home / ".aws" / "credentials"
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def config(home: Path, data: bytes | str) -> None:
    path = home / ".aws" / "config"
    path.write_bytes(data.encode() if isinstance(data, str) else data)


def test_clean_files(home: Path) -> None:
    credentials(home, f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    config(home, "[default]\nregion = eu-west-1\n[profile dev]\nregion = us-east-1\n")
    evidence = probe("files.syntax")
    assert evidence.status is Status.OK
    assert evidence.findings == ("files-clean",)
    assert "~/.aws/credentials and ~/.aws/config parse cleanly" in evidence.summary


@pytest.mark.parametrize(
    ("data", "finding", "where"),
    [
        (b"\xef\xbb\xbf[default]\nregion = x\n", "file-bom", "~/.aws/credentials line 1"),
        ("[default]\nregion = x\n".encode("utf-16"), "file-utf16", "~/.aws/credentials line 1"),
        (b"[default]\n# caf\xe9\nregion = x\n", "file-not-utf8", "~/.aws/credentials line 2"),
        (b"region = x\n[default]\n", "file-no-section-header", "~/.aws/credentials line 1"),
        (b"[default]\nAKIA\n", "file-bad-line", "~/.aws/credentials line 2"),
        (b"[a]\nx = 1\n[a]\n", "file-duplicate-section", "~/.aws/credentials line 3"),
        (b"[a]\nregion = 1\nregion = 2\n", "file-duplicate-key", "~/.aws/credentials line 3"),
    ],
)
def test_what_botocore_rejects_is_named_with_file_and_line(
    home: Path, data: bytes, finding: str, where: str
) -> None:
    credentials(home, data)
    evidence = probe("files.syntax")
    assert evidence.status is Status.PROBLEM
    assert {finding, "file-parse-error"} <= set(evidence.findings)
    assert evidence.summary.startswith(where)


def test_a_file_that_cannot_be_read(home: Path) -> None:
    (home / ".aws" / "credentials").mkdir()
    evidence = probe("files.syntax")
    assert evidence.findings == ("file-unreadable",)
    assert "botocore silently treats it as empty" in evidence.summary


def test_a_named_pipe_does_not_block(home: Path) -> None:
    import os

    os.mkfifo(home / ".aws" / "credentials")
    evidence = probe("files.syntax")
    assert evidence.findings == ("file-unreadable",)
    assert "not a regular file" in evidence.summary


def test_crlf_line_endings_are_fine(home: Path) -> None:
    credentials(
        home, f"[default]\r\naws_access_key_id = {KEY}\r\naws_secret_access_key = {SECRET}\r\n"
    )
    evidence = probe("files.syntax")
    assert evidence.status is Status.OK
    assert evidence.findings == ("files-clean", "file-crlf")
    assert "~/.aws/credentials has Windows (CRLF) line endings" in evidence.details[0]


def test_default_and_profile_default_both_in_the_config_file(home: Path) -> None:
    """Both parse and both are the profile `default`: botocore keeps the later section whole
    (configloader.build_profile_map), so the earlier one's settings are never read. Noted, not a
    problem: nothing is wrong with either line."""
    (home / ".aws" / "config").write_text(
        "[default]\nregion = eu-west-1\n\n[profile default]\nregion = us-east-1\n"
    )
    evidence = probe("files.syntax")
    assert evidence.status is Status.OK
    assert evidence.findings == ("files-clean", "config-default-twice")
    assert evidence.summary.endswith(
        "; ~/.aws/config line 1 [default] and ~/.aws/config line 4 [profile default] are both"
        " the default profile: botocore reads only the later one's settings"
    )
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    assert "config-default-twice" not in probe("files.syntax").findings


def test_an_indented_secret_is_lost_to_the_line_above(home: Path) -> None:
    credentials(home, f"[dev]\naws_access_key_id = {KEY}\n    aws_secret_access_key = {SECRET}\n")
    evidence = probe("files.syntax", "The config profile (dev) could not be found")
    assert {"file-continuation", "profile-key-continuation", "profile-missing-secret"} <= set(
        evidence.findings
    )
    assert any(
        "~/.aws/credentials line 3 [dev]" in d and "'aws_secret_access_key' is indented" in d
        for d in evidence.details
    )


def test_prefix_in_the_credentials_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    credentials(
        home, f"[profile dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("files.syntax")
    assert {"credentials-file-profile-prefix", "profile-written-with-prefix"} <= set(
        evidence.findings
    )
    assert evidence.summary.startswith("~/.aws/credentials line 1 [profile dev]")
    assert "write [dev] there" in evidence.summary


def test_missing_prefix_in_the_config_file(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    config(home, "[default]\nregion = eu-west-1\n\n[dev]\nregion = eu-west-1\n")
    evidence = probe("files.syntax")
    assert {"config-section-without-prefix", "profile-written-without-prefix"} <= set(
        evidence.findings
    )
    assert "~/.aws/config line 4 [dev]" in evidence.summary
    assert "[profile dev]" in evidence.summary


def test_an_sso_session_without_its_prefix(home: Path) -> None:
    config(home, "[corp]\nsso_start_url = https://x.awsapps.com/start\nsso_region = eu-west-1\n")
    evidence = probe("files.syntax")
    assert "config-section-without-prefix" in evidence.findings
    assert "[sso-session corp]" in evidence.summary


@pytest.mark.parametrize(
    ("header", "finding"),
    [
        ("[profiledev]", "config-section-bad-name"),
        ("[profile a b]", "config-section-bad-name"),
    ],
)
def test_config_headers_botocore_ignores(home: Path, header: str, finding: str) -> None:
    config(home, f"{header}\nregion = eu-west-1\n")
    assert finding in probe("files.syntax").findings


@pytest.mark.parametrize(
    ("line", "meant"),
    [
        ("aws_access_key = AKIA", "aws_access_key_id"),
        ("aws_secret_key = x", "aws_secret_access_key"),
        ("aws_acess_key_id = AKIA", "aws_access_key_id"),
        ("aws-secret-access-key = x", "aws_secret_access_key"),
        ("region_name = eu-west-1", "region"),
    ],
)
def test_misspelt_keys_name_the_key_meant(home: Path, line: str, meant: str) -> None:
    credentials(home, f"[default]\n{line}\n")
    evidence = probe("files.syntax")
    assert {"misspelt-key", "profile-misspelt-key"} <= set(evidence.findings)
    assert f"did you mean '{meant}'" in evidence.summary
    assert "~/.aws/credentials line 2 [default]" in evidence.summary


def test_unknown_but_harmless_keys_are_left_alone(home: Path) -> None:
    config(home, "[default]\noutput = json\ncli_pager =\ns3 =\n  addressing_style = path\n")
    assert probe("files.syntax").findings == ("files-clean",)


def test_export_lines(home: Path) -> None:
    credentials(home, f"[default]\nexport AWS_ACCESS_KEY_ID={KEY}\n")
    evidence = probe("files.syntax")
    assert {"export-line", "profile-export-line"} <= set(evidence.findings)
    assert "`aws_access_key_id = …`" in evidence.summary


@pytest.mark.parametrize(
    ("line", "finding"),
    [("region =", "region-empty"), ('region = "eu-west-1"', "region-stray-characters")],
)
def test_region_values(home: Path, line: str, finding: str) -> None:
    config(home, f"[default]\n{line}\n")
    evidence = probe("files.syntax")
    assert {finding, f"profile-{finding}"} <= set(evidence.findings)
    assert "~/.aws/config line 2 [default]" in evidence.summary


@pytest.mark.parametrize(
    ("header", "finding"),
    [
        ("[ default ]", "section-stray-characters"),
        ("[default\u200b]", "section-stray-characters"),
        ("[Default]", "section-name-case"),
    ],
)
def test_damaged_default_headers(home: Path, header: str, finding: str) -> None:
    credentials(home, f"{header}\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    evidence = probe("files.syntax")
    assert {finding, f"profile-{finding}"} <= set(evidence.findings)


def test_problems_of_other_profiles_do_not_count_as_the_selected_ones(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_PROFILE", "dev")
    credentials(home, f"[dev]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    config(home, "[profile other]\nregion_name = eu-west-1\n")
    evidence = probe("files.syntax")
    assert "misspelt-key" in evidence.findings
    assert "profile-misspelt-key" not in evidence.findings


def test_overridden_paths_are_read(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    other = home / "elsewhere.ini"
    other.write_text("[default]\naws_secret_key = x\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$HOME/elsewhere.ini")
    evidence = probe("files.syntax")
    assert evidence.summary.startswith("~/elsewhere.ini line 2 [default]")
    assert evidence.facts["credentials_file"].source == "AWS_SHARED_CREDENTIALS_FILE"


def test_secrets_are_handed_to_the_scrubber_and_never_shown(home: Path) -> None:
    credentials(
        home, f"[default]\naws_access_key_id = {KEY}\n   aws_secret_access_key = {SECRET}\n"
    )
    evidence = probe("files.syntax")
    text = evidence.summary + "\n".join(evidence.details)
    assert SECRET not in text and KEY not in text
    assert SECRET in {s.reveal() for s in evidence.secrets}


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    creds=st.binary(max_size=400),
    conf=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.sampled_from(
                [
                    b"[default]",
                    b"[profile x]",
                    b"[ x ]",
                    b"region =",
                    b"  y = 1",
                    b"\xef\xbb\xbf",
                    b"\xff\xfe",
                    b"[sso-session",
                    b"aws_secret_key=1",
                    b"\r",
                    b"=",
                    b"[",
                    b"]",
                ]
            ),
            max_size=12,
        ).map(b"\n".join),
    ),
)
def test_fuzz_any_bytes_give_evidence(home: Path, creds: bytes, conf: bytes) -> None:
    """Arbitrary bytes in both files: always evidence, never an exception, never a hang."""
    credentials(home, creds)
    config(home, conf)

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("a file probe hung on these bytes")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, 10)
    try:
        started = time.monotonic()
        evidence = probe("files.syntax", "The config profile (x) could not be found")
        assert time.monotonic() - started < 5
        assert evidence.status in (Status.OK, Status.PROBLEM)
        assert evidence.summary
        for other in (
            "config.profile",
            "config.region",
            "config.role",
            "sso.token",
            "files.location",
        ):
            assert probe(other).status in (Status.OK, Status.PROBLEM)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def edits(evidence: object) -> list[tuple[str, int, str, str]]:
    return [(e.file, e.line, e.before, e.after) for e in evidence.edits]  # type: ignore[attr-defined]


def test_exact_edits_for_what_the_files_alone_make_certain(home: Path) -> None:
    config(
        home,
        b"[default]\nregion = us-east-1\n\n[my-long-profile-name]\nrole_arn = x\n"
        b'[profile sso]\nregion = "eu-west-1" \n[Default]\nexport output = json\n',
    )
    credentials(
        home,
        f"[profile dev]\naws_acess_key_id = {KEY}\n  aws_secret_access_key = {SECRET}\n".encode(),
    )
    evidence = probe("files.syntax")
    found = edits(evidence)
    assert ("~/.aws/config", 4, "[my-long-profile-name]", "[profile my-long-profile-name]") in found
    assert ("~/.aws/config", 7, 'region = "eu-west-1" ', "region = eu-west-1") in found
    assert ("~/.aws/config", 8, "[Default]", "[default]") in found
    assert ("~/.aws/config", 9, "export output = json", "output = json") in found
    assert ("~/.aws/credentials", 1, "[profile dev]", "[dev]") in found
    masked = "****************" + KEY[-4:]
    assert (
        "~/.aws/credentials",
        2,
        f"aws_acess_key_id = {masked}",
        f"aws_access_key_id = {masked}",
    ) in found
    assert (
        "~/.aws/credentials",
        3,
        "  aws_secret_access_key = <secret-key:redacted>",
        "aws_secret_access_key = <secret-key:redacted>",
    ) in found
    assert SECRET not in repr(evidence.edits)
    continuation = next(e for e in evidence.edits if e.line == 3)
    assert (continuation.head_before, continuation.head_after) == (
        "  aws_secret_access_key",
        "aws_secret_access_key",
    )


def test_no_edit_where_the_bytes_are_not_known_exactly(home: Path) -> None:
    config(home, "[dev]\nregion = us-east-1\n".encode("utf-16"))
    assert probe("files.syntax").edits == ()
    config(home, b"\xef\xbb\xbf[dev]\nregion = us-east-1\n")
    assert all(e.line != 1 for e in probe("files.syntax").edits)
