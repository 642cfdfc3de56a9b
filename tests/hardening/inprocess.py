"""Run awsmedic's command line in this process, as if it were a fresh one.

In-process runs make property tests affordable and let an audit hook watch every file opened.
A fresh process differs in three ways, undone here: its environment, botocore's SSO cache
directory (botocore fixes it from HOME when imported) and the root logger cli.main configures.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

from awsmedic import cli


@contextlib.contextmanager
def process_world(env: dict[str, str]) -> Iterator[None]:
    import botocore.credentials
    import botocore.tokens

    cache = str(Path(env["HOME"]) / ".aws" / "sso" / "cache")
    with (
        mock.patch.dict(os.environ, env, clear=True),
        mock.patch.object(botocore.credentials.SSOProvider, "_SSO_TOKEN_CACHE_DIR", cache),
        mock.patch.object(botocore.tokens.SSOTokenProvider, "_SSO_TOKEN_CACHE_DIR", cache),
    ):
        yield


def wait_for_probes() -> None:
    """Probe threads outlive cli.main on purpose (daemon threads); let them finish."""
    for thread in threading.enumerate():
        if thread.name == "probe":
            thread.join(timeout=30)


def run_main(argv: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """cli.main(argv) in `env`; (status, stdout, stderr), late probe logs included."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out, err = io.StringIO(), io.StringIO()
    try:
        with process_world(env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = cli.main(argv)
            wait_for_probes()
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return status, out.getvalue(), err.getvalue()
