"""Fast start: the prompt comes up before botocore is imported; the first paste imports it."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from awsmedic.cli import _context, build_parser
    from awsmedic.safety.redact import SecretBook
    from awsmedic.repl.app import Repl, repl_console

    seen = {}
    ctx = _context(build_parser().parse_args(["--offline"]))
    with create_pipe_input() as pipe, create_app_session(input=pipe, output=DummyOutput()):
        repl = Repl(ctx, SecretBook(), repl_console(ctx), input=pipe, output=DummyOutput())
        real_prompt = repl.session.prompt

        def prompt(*args, **kwargs):
            seen.setdefault("at first prompt", sorted(m for m in sys.modules if m.startswith("boto")))
            return real_prompt(*args, **kwargs)

        repl.session.prompt = prompt
        pipe.send_text(sys.argv[1])
        repl.loop()
    seen["at the end"] = sorted(m for m in sys.modules if m.startswith("boto"))
    print(json.dumps(seen))
    """
)


def modules(keys: str) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, keys], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_botocore_waits_for_a_paste() -> None:
    quiet = modules("/help\r/quit\r")
    assert quiet == {"at first prompt": [], "at the end": []}
    paste = "\x1b[200~Unable to locate credentials\x1b[201~\r/quit\r"
    busy = modules(paste)
    assert busy["at first prompt"] == []
    assert "botocore" in busy["at the end"]  # the credential-chain probe needed it
