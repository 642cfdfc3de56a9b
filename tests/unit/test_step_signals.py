"""A cause's steps may depend on a text signal that no tree branches on: it is looked for in the
paste when the steps are chosen (matching looks only for the signals of the matched trees)."""

from __future__ import annotations

import json

import pytest

from awsmedic.cli import main

JAVA_MODULE = (
    'Exception in thread "main" java.lang.IllegalStateException: To use assumed roles in the'
    " 'dev' profile, the 'sts' service module must be on the class path."
)
OLD_SDK = (
    "To use Sso related properties in the 'dev' profile, the 'sso' service module must be on"
    " the class path."
)


def steps(text: str, capsys: pytest.CaptureFixture[str]) -> str:
    status = main(["diagnose", "--offline", "--no-input", "--format", "json", text])
    output = json.loads(capsys.readouterr().out)
    assert status == 0
    assert output["diagnosis"]["cause"] == "tool-too-old-for-config"
    return "\n".join(step["text"] for step in output["steps"])


@pytest.mark.parametrize("text", [JAVA_MODULE, OLD_SDK])
def test_a_missing_java_module_is_added_not_upgraded(
    text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    found = steps(text, capsys)
    assert "software.amazon.awssdk:sts" in found
    assert "pip install" not in found


def test_without_the_signal_the_upgrade_steps_stay(capsys: pytest.CaptureFixture[str]) -> None:
    # aws2-wrap, on a profile written with an [sso-session] section (tool-too-old.toml)
    found = steps("'sso_start_url' not found in profile dev", capsys)
    assert "software.amazon.awssdk" not in found
    assert "credential_process" in found
