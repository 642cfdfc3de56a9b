"""Every botocore session awsmedic builds goes through `guard`: bounded, read-only, leak-free.

- An oversized shared file is never handed to botocore (seconds of parsing, for every probe).
- Every credential botocore signs with enters the secret book: credential_process output,
  assumed roles and SSO role credentials never pass through a probe's hands otherwise.
- botocore never refreshes a cached SSO token or `aws login` session. A refresh calls AWS to
  mint new tokens and rewrites ~/.aws/sso/cache or ~/.aws/login/cache, and may rotate the
  refresh token the user's next command needs. A diagnosis uses what is cached, as it is.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from awsmedic.context import Context
from awsmedic.model import Secret, SecretKind
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.secretscan import oversized_files, oversized_note

log = logging.getLogger(__name__)
_PATCHED: list[bool] = []
_LOCK = threading.Lock()


class SharedFileTooLarge(Exception):
    """A shared file too big to hand to botocore; the message says which and why."""


class RefreshRefused(Exception):
    """A cached session needs a refresh that a read-only diagnosis will not make."""


def guard(session: Any, ctx: Context, book: SecretBook) -> None:
    check_shared_files(ctx)
    watch_signing(session, book)
    _never_refresh()


def check_shared_files(ctx: Context) -> None:
    """Raise SharedFileTooLarge before botocore would parse an oversized shared file."""
    for path, size in oversized_files(ctx):
        raise SharedFileTooLarge(oversized_note(ctx, path, size))


def watch_signing(session: Any, book: SecretBook) -> None:
    """Put every credential botocore signs with into the book before the request leaves.

    botocore resolves some credentials itself (credential_process output, assumed roles, SSO
    role credentials): no probe ever holds them, yet an error message, a --debug log or an
    endpoint that echoes headers could quote them."""

    def before_sign(request_signer: Any = None, request: Any = None, **_: Any) -> None:
        context = getattr(request, "context", None) or {}
        credentials = context.get("signing", {}).get("request_credentials") or getattr(
            request_signer, "_credentials", None
        )
        if credentials is None:
            return
        frozen = credentials.get_frozen_credentials()
        parts = (
            (frozen.access_key, SecretKind.ACCESS_KEY_ID),
            (frozen.secret_key, SecretKind.SECRET_KEY),
            (frozen.token, SecretKind.SESSION_TOKEN),
        )
        book.add(Secret(value, kind) for value, kind in parts if value)

    session.register("before-sign", before_sign)


def _keep_cached_sso_token(self: Any, token: Any) -> None:
    log.info("awsmedic does not refresh SSO tokens: the cached one is used as it is")


def _refuse_login_refresh(self: Any) -> Any:
    raise RefreshRefused(
        "the cached `aws login` credentials have expired or are about to; awsmedic does not "
        "refresh them (that would rewrite ~/.aws/login/cache): any aws command refreshes them"
    )


def _never_refresh() -> None:
    """Patch botocore once per process; checked by tests/hardening/test_read_only.py."""
    with _LOCK:
        if _PATCHED:
            return
        from botocore import credentials, tokens

        sso = getattr(tokens, "SSOTokenProvider", None)
        if sso is not None and hasattr(sso, "_refresh_access_token"):
            sso._refresh_access_token = _keep_cached_sso_token
        login = getattr(credentials, "LoginCredentialFetcher", None)
        if login is not None and hasattr(login, "refresh_credentials"):
            login.refresh_credentials = _refuse_login_refresh
        _PATCHED.append(True)
