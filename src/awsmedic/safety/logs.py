"""Logging that cannot leak: every record is scrubbed before any handler formats it.

botocore's DEBUG logs carry full request headers (the session token among them); with
--debug they are shown, scrubbed; otherwise only warnings get through, also scrubbed.
"""

from __future__ import annotations

import logging
import threading

from awsmedic.context import Context
from awsmedic.safety.redact import SecretBook


class ScrubFilter(logging.Filter):
    def __init__(self, book: SecretBook) -> None:
        super().__init__()
        self.book = book

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not break the program
            message = str(record.msg)
        record.msg = self.book.scrub(message)
        record.args = None
        if record.exc_info:
            import traceback

            record.msg += "\n" + self.book.scrub(
                "".join(traceback.format_exception(*record.exc_info))
            )
            record.exc_info = None
            record.exc_text = None
        return True


def _thread_failed(args: threading.ExceptHookArgs) -> None:
    """An uncaught exception in a thread: through the scrubbed log, not a raw traceback."""
    exc_info = (args.exc_type, args.exc_value, args.exc_traceback)
    log = logging.getLogger("awsmedic")
    log.error("a background task failed: %s: %s", args.exc_type.__name__, args.exc_value)
    log.debug("the traceback:", exc_info=exc_info)  # type: ignore[arg-type]


def configure_logging(ctx: Context, book: SecretBook) -> None:
    # Warnings and thread failures too go through the scrubbed handler, never straight out.
    logging.captureWarnings(True)
    threading.excepthook = _thread_failed
    handler = logging.StreamHandler(ctx.stderr)  # behind the terminal filter (cli.main)
    handler.addFilter(ScrubFilter(book))
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if ctx.debug else logging.WARNING)
    # Even with --debug, the wire-level loggers add nothing but headers and bodies.
    for noisy in (
        "urllib3",
        "botocore.parsers",
        "botocore.endpoint",
        "botocore.hooks",
        "botocore.loaders",
    ):
        logging.getLogger(noisy).setLevel(logging.INFO if ctx.debug else logging.WARNING)
    # Probes make botocore fetch credentials that are expected to fail (a refused AssumeRole);
    # it then logs a WARNING with a traceback that only repeats what the probe reports.
    logging.getLogger("botocore.credentials").setLevel(
        logging.DEBUG if ctx.debug else logging.ERROR
    )
