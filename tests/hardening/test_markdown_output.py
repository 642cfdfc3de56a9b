"""Markdown that awsmedic prints or appends is inert wherever a value came from (audit F3).

`--format markdown` goes to a ticket or a pull request, `--format github` appends the same
Markdown to the job summary, which GitHub renders. A profile name with carriage returns and
Markdown in it must stay text there: no link, no image, no raw HTML. A carriage return was the
way out: the terminal filter turns it into a line break after the Markdown was built (ending the
code span the value sat in), and the summary file kept it raw (a line break to CommonMark).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.export.documents import markdown_tokens
from tests.hardening.inprocess import run_main

ICTI = (
    "An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: "
    "The security token included in the request is invalid."
)
PROFILES = {
    "carriage returns": "dev\r\r![pwn](https://evil.example/x.png) [click](https://evil.example/) \r\r",
    "line feeds": "dev\n\n![pwn](https://evil.example/x.png)\n[click](https://evil.example/)\n",
    "backticks": "dev``\r`![pwn](https://evil.example/x.png)` [click](https://evil.example/)",
    "html": "dev\r<img src=https://evil.example/x.png>\r<a href=https://evil.example/>x</a>",
}


def assert_inert(document: str) -> None:
    tokens = markdown_tokens(document)
    assert not [t for t in tokens if t.type.startswith("html")], document
    assert not [t for t in tokens if t.type == "image"], document
    hrefs = [t.attrGet("href") for t in tokens if t.type == "link_open"]
    assert not [h for h in hrefs if "evil.example" in str(h)], document
    assert "\r" not in document
    texts = [t.content for t in tokens if t.type == "text"]
    assert not [t for t in texts if "evil.example" in t], document  # only in code spans
    assert any("evil.example" in t.content for t in tokens if t.type == "code_inline")


def _env(home: Path, profile: str) -> dict[str, str]:
    return {
        "HOME": str(home),
        "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PROFILE": profile,
    }


@pytest.mark.parametrize("profile", PROFILES.values(), ids=PROFILES.keys())
def test_markdown_output_keeps_a_hostile_profile_inert(profile: str, home: Path) -> None:
    status, out, err = run_main(
        ["diagnose", "--offline", "--no-input", "--format", "markdown", ICTI], _env(home, profile)
    )
    assert status == 0, err
    assert "### Evidence" in out
    assert_inert(out)


@pytest.mark.parametrize("profile", PROFILES.values(), ids=PROFILES.keys())
def test_the_job_summary_keeps_a_hostile_profile_inert(profile: str, home: Path) -> None:
    summary = home / "summary.md"
    env = {**_env(home, profile), "GITHUB_STEP_SUMMARY": str(summary)}
    status, _, err = run_main(
        ["diagnose", "--offline", "--no-input", "--format", "github", ICTI], env
    )
    assert status == 0, err
    document = summary.read_text(encoding="utf-8")
    assert "### Evidence" in document
    assert_inert(document)
