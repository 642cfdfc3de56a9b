"""The command-line contract: options, exit statuses, and clear messages for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from awsmedic.kb import load_checked, shipped_dir

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)


def run(
    *args: str,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "awsmedic", *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=60,
        env=env or dict(os.environ),
        cwd=cwd,
        **({} if stdin is not None else {"stdin": subprocess.DEVNULL}),
    )
    assert "Traceback" not in result.stderr
    return result


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_version_and_help() -> None:
    assert run("--version").stdout.startswith("awsmedic ")
    for args in ([], ["diagnose"], ["kb"], ["kb", "check"], ["kb", "list"]):
        result = run(*args, "--help")
        assert result.returncode == 0 and "usage:" in result.stdout


def test_no_probes_ranks_from_text_alone(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
    )
    result = run("diagnose", "--no-probes", "--format", "json", ICTI)
    data = as_json(result)
    assert result.returncode == 0
    assert data["probes"] == [] and data["diagnosis"] is None
    # A bare message: only its operation is in the text (GetCallerIdentity, which every session
    # may call, lowers the session's API limits), so the first candidate is the family's first
    # by prior.
    priors = load_checked([shipped_dir()]).trees["invalid-client-token-id"].priors
    assert data["candidates"][0]["cause"] == max(priors, key=lambda cause: priors[cause])
    # Scores are rounded percentages: each is off by half a point at most.
    candidates = data["candidates"]
    assert abs(sum(c["score"] for c in candidates) - 100) <= len(candidates) / 2
    assert data["schema_version"] == 2
    for key in ("matches", "candidates", "questions", "probes", "steps", "offline"):
        assert isinstance(data[key], list)


def test_offline_runs_local_probes_and_skips_network_ones(home: Path) -> None:
    (home / ".aws" / "credentials").write_text(
        "[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n"
    )
    data = as_json(run("diagnose", "--offline", "--format", "json", ICTI))
    assert data["diagnosis"]["cause"] == "placeholder-credentials"
    assert {p["id"] for p in data["probes"]} >= {"creds.chain", "creds.keys"}


def test_unrecognised_text_exits_1_with_empty_lists() -> None:
    result = run("diagnose", "--format", "json", "my cat walked on the keyboard")
    assert result.returncode == 1
    data = as_json(result)
    assert data["matches"] == [] and data["diagnosis"] is None and data["candidates"] == []
    text = run("diagnose", "my cat walked on the keyboard")
    assert text.returncode == 1 and "does not look like an AWS" in text.stdout


def test_a_look_alike_exits_1_with_one_line_saying_what_it_is() -> None:
    minio = (
        "mc: <ERROR> Unable to list folder. The Access Key Id you provided does not exist in "
        "our records."
    )
    text = run("diagnose", "--no-probes", minio)
    assert text.returncode == 1
    assert text.stdout.strip().splitlines() == [
        "That looks like an error from MinIO, an S3-compatible store, not from AWS."
    ]
    result = run("diagnose", "--no-probes", "--format", "json", minio)
    data = as_json(result)
    assert result.returncode == 1 and data["matches"] == [] and data["candidates"] == []
    assert "MinIO" in data["lookalike"]


def test_an_aws_authentication_text_no_family_knows_is_checked_not_turned_away(
    home: Path,
) -> None:
    text = "AWS says: unable to find the credentials you configured for the s3 upload"
    result = run("diagnose", "--no-probes", "--format", "json", text)
    data = as_json(result)
    assert result.returncode == 0
    assert data["matches"][0]["tree"] == "aws-auth-check" and data["lookalike"] is None
    assert [m["tree"] for m in data["closest"]][:1] == ["no-credentials"]
    assert data["candidates"], "a general check still ranks causes"
    shown = run("diagnose", "--no-probes", text).stdout
    assert "No known error matches, but this is about AWS authentication." in shown
    assert "closest known errors:" in shown


def test_error_text_from_stdin_and_from_a_file(tmp_path: Path) -> None:
    assert as_json(run("diagnose", "--offline", "--format", "json", stdin=ICTI.encode()))["matches"]
    path = tmp_path / "error.txt"
    path.write_text(ICTI)
    assert as_json(run("diagnose", "--offline", "--format", "json", "--error-file", str(path)))[
        "matches"
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["diagnose", "--error-file", "/no/such/file"], None, "No such file"),
        (["diagnose", "--error-file", "/"], None, "directory"),
        (["diagnose"], b"\x00\x01\x02binary\x00", "NUL"),
        (["diagnose", "--answer", "nonsense", "x"], None, "QID=VALUE"),
        (["diagnose", "--format", "yaml", "x"], None, "invalid choice"),
        (["diagnose", "--export", "out.txt", "x"], None, ".md, .json or .html"),
        (["diagnose", "a", "--error-file", "b"], None, "not both"),
        (["no-such-command"], None, "invalid choice"),
    ],
)
def test_bad_usage_and_unreadable_input_exit_2_with_a_message(
    args: list[str], stdin: bytes | None, message: str
) -> None:
    result = run(*args, stdin=stdin)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stderr.startswith("awsmedic: ")


# -- issue 17, item 11: bad input is never silent ------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("no-such-question=yes", "no-such-question"),
        ("meant-file-keys=perhaps", "perhaps"),
        ("consent:creds.chain=yes", "consent:creds.chain"),  # a probe that needs no consent
        ("consent:creds.process=maybe", "maybe"),
    ],
)
def test_an_answer_to_no_question_or_not_a_choice_is_a_usage_error(
    answer: str, message: str
) -> None:
    result = run("diagnose", "--offline", "--no-input", "--answer", answer, ICTI)
    assert result.returncode == 2, result.stdout
    assert message in result.stderr and result.stderr.startswith("awsmedic: ")
    assert result.stdout == ""


def test_a_valid_answer_is_taken_whatever_its_case(home: Path) -> None:
    result = run(
        "diagnose", "--offline", "--no-input", "--format", "json",
        "--answer", "consent:creds.process=YES", "--answer", "meant-file-keys=No", ICTI,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_an_empty_export_path_is_a_usage_error() -> None:
    result = run("diagnose", "--offline", "--export", "", ICTI)
    assert result.returncode == 2
    assert "--export" in result.stderr and result.stderr.startswith("awsmedic: ")


@pytest.mark.parametrize("text", ["", "   \n\t  \n", "\x1b[2J\x1b[0m\r\n"])
def test_an_empty_paste_has_nothing_to_diagnose(text: str) -> None:
    for args, stdin in ((["diagnose", text], None), (["diagnose"], text.encode())):
        result = run(*args, stdin=stdin)
        assert result.returncode == 2, result.stdout
        assert "nothing to diagnose" in result.stderr
        assert "does not look like" not in result.stdout + result.stderr


def test_export_then_a_closed_stdout_is_quiet(tmp_path: Path) -> None:
    """`awsmedic diagnose --export F ... | head -1`: F is written, nothing is said about the
    pipe head closed (the shell's own exit status of the pipeline is head's)."""
    target = tmp_path / "case.md"
    command = [sys.executable, "-m", "awsmedic", "diagnose", "--offline", "--no-input"]
    with subprocess.Popen(
        [*command, "--export", str(target), ICTI],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()  # what head -1 does after its line
        stderr = process.stderr.read().decode()
        status = process.wait(60)
    assert target.exists() and target.read_text().startswith("# awsmedic transcript")
    assert stderr == "", stderr
    assert status == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full on this system")
def test_a_full_disk_gets_a_clear_message() -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "awsmedic", "diagnose", "--offline", "--no-input", ICTI],
            stdout=full,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert result.stderr.startswith("awsmedic: cannot write the output: No space left on device")
    assert "Exception ignored" not in result.stderr and "Traceback" not in result.stderr


def test_export_never_overwrites_without_force(tmp_path: Path) -> None:
    target = tmp_path / "case.md"
    target.write_text("keep me")
    result = run("diagnose", "--offline", "--export", str(target), ICTI)
    assert result.returncode == 2 and "exists" in result.stderr
    assert target.read_text() == "keep me"
    assert run("diagnose", "--offline", "--export", str(target), "--force", ICTI).returncode == 0
    assert target.read_text().startswith("# awsmedic transcript")


def test_kb_check_and_list(tmp_path: Path) -> None:
    assert run("kb", "check").returncode == 0
    listing = as_json(run("kb", "list", "--format", "json"))
    assert {"creds.chain", "creds.env", "creds.keys", "sts.identity"} <= {
        p["id"] for p in listing["probes"]
    }
    assert "invalid-client-token-id" in {t["id"] for t in listing["trees"]}
    broken = tmp_path / "org"
    (broken / "trees").mkdir(parents=True)
    (broken / "trees" / "mine.toml").write_text('id = "mine"\ntitle = [\n')
    result = run("kb", "check", str(broken))
    assert result.returncode == 1
    assert "mine.toml:2" in result.stdout


def test_a_broken_org_knowledge_dir_is_named_when_diagnosing(tmp_path: Path) -> None:
    (tmp_path / "trees").mkdir()
    (tmp_path / "trees" / "x.toml").write_text("not toml at all [")
    env = {**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(tmp_path)}
    result = run("diagnose", ICTI, env=env)
    assert result.returncode == 2
    assert "x.toml" in result.stderr and "TOML syntax error" in result.stderr


def test_org_knowledge_adds_a_tree_without_code(tmp_path: Path) -> None:
    (tmp_path / "trees").mkdir()
    (tmp_path / "causes").mkdir()
    (tmp_path / "causes" / "corp-vpn-down.md").write_text(
        '+++\nid = "corp-vpn-down"\ntitle = "The corporate VPN is down"\nrefs = []\n+++\n\n'
        "## Why\n\nThe proxy needs the VPN.\n\n## Steps\n\n1. Connect the VPN.\n"
    )
    (tmp_path / "trees" / "corp-proxy.toml").write_text(
        'id = "corp-proxy"\ntitle = "Corporate proxy refused"\ncodes = ["CorpProxyDenied"]\nstart = "c"\n'
        '[nodes.c]\nkind = "cause"\ncause = "corp-vpn-down"\nconfidence = "likely"\n'
    )
    env = {**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(tmp_path)}
    data = as_json(run("diagnose", "--format", "json", "error CorpProxyDenied: go away", env=env))
    assert data["diagnosis"]["cause"] == "corp-vpn-down"
    assert data["steps"] == [{"text": "Connect the VPN.", "commands": [], "edit": None}]


def test_markdown_output(home: Path) -> None:
    result = run("diagnose", "--offline", "--format", "markdown", ICTI)
    assert result.stdout.startswith("# awsmedic diagnosis")


def test_piped_default_command_falls_back_to_diagnose() -> None:
    result = run(stdin=ICTI.encode())
    assert result.returncode == 0
    assert "Recognised" in result.stdout


def test_a_broken_cause_body_is_named_when_it_is_needed(tmp_path: Path) -> None:
    """Cause bodies are parsed when shown: a broken one still gives its file and line."""
    (tmp_path / "trees").mkdir()
    (tmp_path / "causes").mkdir()
    (tmp_path / "causes" / "corp-thing.md").write_text(
        '+++\nid = "corp-thing"\ntitle = "A thing"\nrefs = []\n+++\n\n'
        "## Why\n\nBecause.\n\n## Steps\n\nNo list here.\n"
    )
    (tmp_path / "trees" / "corp.toml").write_text(
        'id = "corp"\ntitle = "Corp"\ncodes = ["CorpThing"]\nstart = "c"\n'
        '[nodes.c]\nkind = "cause"\ncause = "corp-thing"\nconfidence = "likely"\n'
    )
    env = {**os.environ, "AWSMEDIC_KNOWLEDGE_PATH": str(tmp_path)}
    result = run("diagnose", "--format", "json", "CorpThing: oops", env=env)
    assert result.returncode == 2
    assert "corp-thing.md:" in result.stderr and "ordered list" in result.stderr
    assert run("kb", "check", str(tmp_path)).returncode == 1


def test_piped_text_output_is_not_cut_at_80_columns() -> None:
    result = run("diagnose", "--offline", ICTI)
    recognised = next(line for line in result.stdout.splitlines() if line.startswith("Recognised"))
    assert len(recognised.rstrip()) > 80
    assert "\x1b[" not in result.stdout


def test_main_called_with_arguments_leaves_the_garbage_collector_on() -> None:
    """Only the program's own process turns the collector off (it ends with its command): a
    caller of main(argv), a test or an embedding program, goes on after it."""
    import gc

    from awsmedic.cli import main

    assert gc.isenabled()
    text = "Unable to locate credentials. You can configure credentials by running aws configure."
    assert main(["diagnose", "--offline", "--no-input", "--format", "json", text]) == 0
    assert gc.isenabled()
