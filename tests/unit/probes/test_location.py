"""files.location: which files botocore reads, why there, and whose they are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from awsmedic.model import Status
from awsmedic.probes import location
from tests.unit.probes.helpers import KEY, SECRET, probe


@pytest.fixture(autouse=True)
def _default_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Most cases start from the defaults under HOME, as a user's shell has them."""
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")


def test_default_files_present(home: Path) -> None:
    creds = home / ".aws" / "credentials"
    creds.write_text(f"[default]\naws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n")
    creds.chmod(0o600)
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    evidence = probe("files.location")
    assert evidence.status is Status.OK
    assert "files-elsewhere" not in evidence.findings
    assert evidence.facts["credentials_file"].value == "~/.aws/credentials"
    assert evidence.facts["credentials_file"].source == "default"
    assert "credentials file ~/.aws/credentials (default)" in evidence.summary


def test_no_files_at_all_is_not_a_location_problem(home: Path) -> None:
    evidence = probe("files.location")
    assert {"credentials-file-missing", "config-file-missing", "aws-files-missing"} <= set(
        evidence.findings
    )
    assert "files-elsewhere" not in evidence.findings


def test_an_override_pointing_nowhere(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".aws" / "credentials").write_text("[default]\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$HOME/old/credentials")
    evidence = probe("files.location")
    assert {
        "file-path-override",
        "file-override-missing",
        "file-override-hides-default",
        "files-elsewhere",
    } <= set(evidence.findings)
    assert evidence.summary.startswith(
        "credentials file ~/old/credentials (AWS_SHARED_CREDENTIALS_FILE): does not exist;"
        " ~/.aws/credentials exists but is not read"
    )


def test_an_empty_override(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", "")
    evidence = probe("files.location")
    assert {"file-override-empty", "config-file-missing"} <= set(evidence.findings)
    assert "files-elsewhere" not in evidence.findings
    (home / ".aws" / "config").write_text("[default]\n")
    evidence = probe("files.location")
    assert {"file-override-hides-default", "files-elsewhere"} <= set(evidence.findings)
    assert "~/.aws/config exists but is not read" in evidence.summary


def test_an_override_naming_the_default_path_is_no_override(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / ".aws" / "credentials"))
    findings = probe("files.location").findings
    assert "file-path-override" not in findings and "file-override-missing" not in findings


def test_an_override_to_a_missing_file_with_nothing_at_the_default(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials")
    findings = probe("files.location").findings
    assert "file-override-missing" in findings and "files-elsewhere" not in findings


def test_the_legacy_variable(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CREDENTIAL_FILE", str(home / "creds.txt"))
    evidence = probe("files.location")
    assert {"legacy-credential-file-var", "legacy-credential-file-missing"} <= set(
        evidence.findings
    )
    assert "could not be found" in evidence.summary
    (home / "creds.txt").write_text("AWSAccessKeyId=x\n")
    assert "legacy-credential-file-missing" not in probe("files.location").findings


def test_a_directory_where_the_file_should_be(home: Path) -> None:
    (home / ".aws" / "credentials").mkdir()
    evidence = probe("files.location")
    assert {"file-unreadable", "files-elsewhere"} <= set(evidence.findings)
    assert "it is an empty directory: botocore skips it" in evidence.summary


def test_a_directory_is_described_by_what_it_holds(home: Path) -> None:
    """What a step needs to move the real file back: the free name to move the directory to,
    and where the file inside ends up (audit 4 s13)."""
    creds = home / ".aws" / "credentials"
    (creds / "credentials").parent.mkdir()
    (creds / "credentials").write_text("[default]\n")
    (home / ".aws" / "credentials.d").mkdir()  # taken: the next free name is used
    evidence = probe("files.location")
    assert {"file-broken-here", "file-is-directory", "file-directory-holds-file"} <= set(
        evidence.findings
    )
    assert evidence.facts["unreadable_file"].value == "~/.aws/credentials"
    assert evidence.facts["unreadable_file_aside"].value == "~/.aws/credentials.d1"
    assert evidence.facts["unreadable_inner_file"].value == "~/.aws/credentials.d1/credentials"
    (creds / "credentials").unlink()
    evidence = probe("files.location")
    assert "file-directory-empty" in evidence.findings
    assert "file-directory-holds-file" not in evidence.findings
    for name in ("a", "b"):
        (creds / name).write_text("")
    evidence = probe("files.location")
    assert not {"file-directory-empty", "file-directory-holds-file"} & set(evidence.findings)
    assert "it is a directory (holding a, b)" in evidence.summary


def test_a_file_another_user_owns_and_this_one_cannot_read(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sudo aws configure` left ~/.aws/credentials owned by root, mode 600 (audit 4 s14): the
    owner is named, so that the step can give the file back."""
    from awsmedic.aws import bounded

    creds = home / ".aws" / "credentials"
    creds.write_text("[default]\n")
    creds.chmod(0o600)
    real_read = bounded.read_file

    def denied(path: Path | str, limit: int) -> bounded.Read:
        if Path(path) == creds:
            raise PermissionError(13, "Permission denied")
        return real_read(path, limit)

    monkeypatch.setattr(bounded, "read_file", denied)
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != creds)
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(creds).st_uid + 1)
    monkeypatch.setattr(location, "_user_name", lambda uid: "root")
    evidence = probe("files.location")
    assert {
        "file-unreadable",
        "file-broken-here",
        "file-permission-denied",
        "file-owned-by-other-user",
        "files-elsewhere",
    } <= set(evidence.findings)
    assert evidence.facts["file_owner"].value == "root"
    assert "this user cannot read it (permission denied, mode -rw-------, owned by root" in (
        evidence.summary
    )


def test_symbolic_links_to_nothing_and_in_a_loop(home: Path) -> None:
    """botocore's os.path.isfile is false for both: a link to a missing file (a dotfiles
    repository not checked out) and a loop of links (audit 4 s15)."""
    config = home / ".aws" / "config"
    config.symlink_to(home / "dotfiles" / "aws" / "config")
    evidence = probe("files.location")
    assert {"config-file-missing", "file-broken-here", "file-link-dangling"} <= set(
        evidence.findings
    )
    assert "files-elsewhere" in evidence.findings
    assert evidence.facts["link_target"].value == "~/dotfiles/aws/config"
    assert evidence.facts["unreadable_file"].value == "~/.aws/config"
    config.unlink()
    config.symlink_to("config.bak")
    (home / ".aws" / "config.bak").symlink_to("config")
    evidence = probe("files.location")
    assert {"file-link-loop", "file-broken-here"} <= set(evidence.findings)
    assert "~/.aws/config -> ~/.aws/config.bak -> ~/.aws/config is a loop" in evidence.summary


def test_credentials_readable_by_others(home: Path) -> None:
    creds = home / ".aws" / "credentials"
    creds.write_text("[default]\n")
    creds.chmod(0o644)
    evidence = probe("files.location")
    assert "file-readable-by-others" in evidence.findings
    assert evidence.status is Status.PROBLEM
    creds.chmod(0o600)
    assert "file-readable-by-others" not in probe("files.location").findings


def test_sudo_hides_the_invoking_users_files(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = tmp_path / "alice"
    (alice / ".aws").mkdir(parents=True)
    (alice / ".aws" / "credentials").write_text("[default]\n")
    monkeypatch.setenv("SUDO_USER", "alice")
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(location, "_named_home", lambda user: alice if user == "alice" else None)
    evidence = probe("files.location")
    assert {"running-under-sudo", "sudo-user-has-aws-files", "files-elsewhere"} <= set(
        evidence.findings
    )
    assert f"alice's own files are in {alice}/.aws" in evidence.summary


def test_container_and_ci_hints(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(location, "CONTAINER_MARKERS", ())
    assert "in-container" not in probe("files.location").findings
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert {"in-container", "in-ci"} <= set(probe("files.location").findings)


def test_without_home_the_password_database_decides(home: Path) -> None:
    """botocore expands `~` with os.path.expanduser, which falls back to the passwd entry."""
    import pwd

    from awsmedic.context import Context
    from awsmedic.probes import ProbeInput, registry, run_probe
    from awsmedic.probes.world import AwsWorld
    from awsmedic.safety.redact import SecretBook

    ctx = Context(environ={}, home=None)
    evidence = run_probe(registry()["files.location"], ProbeInput(ctx, AwsWorld(ctx, SecretBook())))
    assert "home-unset" in evidence.findings
    expected = Path(pwd.getpwuid(os.getuid()).pw_dir) / ".aws" / "credentials"
    assert evidence.facts["credentials_file"].value == str(expected)


KEYS = f"aws_access_key_id = {KEY}\naws_secret_access_key = {SECRET}\n"


def test_an_override_that_hides_the_profile_at_the_default_place(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (home / ".aws" / "credentials").write_text(f"[default]\n{KEYS}")
    (home / ".aws" / "config").write_text("[default]\nregion = eu-west-1\n")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / ".aws" / "config"))
    evidence = probe("files.location")
    assert {"file-override-hides-default", "files-elsewhere"} <= set(evidence.findings)
    assert "~/.aws/credentials line 1 [default] defines profile 'default' but is not read" in (
        evidence.summary
    )


@pytest.mark.parametrize(
    "chosen",
    [f"[default]\n{KEYS}", f"[other]\n{KEYS}"],
    ids=["defines-the-profile", "default-has-no-keys-here-either"],
)
def test_an_override_that_hides_nothing_needed(
    home: Path, monkeypatch: pytest.MonkeyPatch, chosen: str
) -> None:
    """A file chosen on purpose that defines the profile, or a default file without it."""
    (home / ".aws" / "credentials").write_text(f"[other]\n{KEYS}")
    (home / "work").mkdir()
    (home / "work" / "credentials").write_text(chosen)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(home / "work" / "credentials"))
    evidence = probe("files.location")
    assert "file-override-hides-default" not in evidence.findings


def test_a_relative_override_is_looked_for_in_the_working_directory(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", ".aws/credentials")
    evidence = probe("files.location")
    assert {"file-override-missing", "file-override-relative"} <= set(evidence.findings)
    assert "the path is relative" in evidence.summary
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "nowhere"))
    assert "file-override-relative" not in probe("files.location").findings


def test_the_javascript_sdk_reads_a_file_variable_as_written(
    home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Audit 4 s20a: the JavaScript SDK v3 replaces only a leading `~/` in
    AWS_SHARED_CREDENTIALS_FILE (@smithy loadSharedConfigFiles.js); `$HOME`, `${HOME}` and
    `~user` stay as written, where botocore expands them."""
    from awsmedic.aws.sharedfiles import literal_paths
    from tests.conftest import make_context
    from tests.unit.probes.helpers import probe_on_paste

    (home / ".aws" / "work").write_text("[default]\naws_access_key_id = AKIAEXAMPLE\n")
    paste = "CredentialsProviderError: Could not load credentials from any providers"
    for value in ("$HOME/.aws/work", "${HOME}/.aws/work"):
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", value)
        evidence = probe_on_paste("files.location", paste, cwd=tmp_path)
        assert "file-override-unexpanded" in evidence.findings
        assert "files-elsewhere" in evidence.findings
        assert evidence.facts["file_variable"].value == "AWS_SHARED_CREDENTIALS_FILE"
        assert evidence.facts["file_path"].value == str(home / ".aws" / "work")
        assert "the JavaScript SDK v3 replaces only a leading ~/" in evidence.summary
        # botocore (an unrecognised paste, or boto3's) expands it: nothing to say.
        assert "file-override-unexpanded" not in probe_on_paste("files.location", "").findings
    for value in ("~/.aws/work", str(home / ".aws" / "work"), ""):
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", value)
        assert literal_paths(make_context(cwd=tmp_path), "js-sdk-v3") == ()
    # A file of that literal name in the directory it runs in is what the SDK reads.
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "$HOME/.aws/work")
    (tmp_path / "$HOME" / ".aws").mkdir(parents=True)
    (tmp_path / "$HOME" / ".aws" / "work").write_text("")
    assert literal_paths(make_context(cwd=tmp_path), "js-sdk-v3") == ()
