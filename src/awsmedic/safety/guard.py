"""Every botocore session awsmedic builds goes through `guard`: bounded, read-only, leak-free.

- An oversized shared file is never handed to botocore (seconds of parsing, for every probe),
  and neither is a setting naming a file botocore would read without end or wait on
  (`filesettings`: /dev/zero as the CA bundle, a FIFO as the web identity token file).
- botocore runs a credential_process helper (the selected profile's, a role's source
  profile's) only with the user's consent (`consent:creds.process`, the consent the probe
  `creds.process` asks for): the session's `helper_consent` is asked at the moment botocore
  would start the program, and without a yes `HelperNeedsConsent` is raised instead, which
  `run_probe` turns into "not checked". A session without one never runs a helper.
- What botocore reads on its own is bounded: a credential_process helper is run through
  `aws.bounded.run` (stopped after 5 s or 1 MB of output), an answer's body is read up to
  MAX_RESPONSE_BYTES, and a cached token file (SSO, `aws login`) is read only when it is a
  regular file of a sane size.
- Every credential botocore signs with enters the secret book: credential_process output,
  assumed roles and SSO role credentials never pass through a probe's hands otherwise.
- botocore never refreshes a cached SSO token or `aws login` session. A refresh calls AWS to
  mint new tokens and rewrites ~/.aws/sso/cache or ~/.aws/login/cache, and may rotate the
  refresh token the user's next command needs. A diagnosis uses what is cached, as it is.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from awsmedic.aws import bounded
from awsmedic.context import Context
from awsmedic.model import Secret, SecretKind
from awsmedic.safety.filesettings import refusals
from awsmedic.safety.redact import SecretBook
from awsmedic.safety.secretscan import oversized_files, oversized_note

log = logging.getLogger(__name__)
_PATCHED: list[bool] = []
_LOCK = threading.Lock()


#: An AWS answer is a few KB (an IAM listing of 200 users, some 100 KB).
MAX_RESPONSE_BYTES = 8 * bounded.MB
#: The whole answer's body, however slowly it comes (the network timeout is per read, and an
#: endpoint that trickles a byte at a time restarts it with every byte).
MAX_RESPONSE_SECONDS = 10.0
#: A cached SSO or `aws login` token is a few KB.
MAX_CACHE_BYTES = bounded.SMALL_FILE_BYTES


class SharedFileTooLarge(Exception):
    """A shared file too big to hand to botocore; the message says which and why."""


class FileRefused(Exception):
    """A file setting botocore would read without end or wait on; the message says which."""


class ResponseTooLarge(Exception):
    """An endpoint's answer went on past MAX_RESPONSE_BYTES: reading stopped there."""


class ResponseTooSlow(Exception):
    """An endpoint's answer did not end within MAX_RESPONSE_SECONDS: reading stopped there."""


class RefreshRefused(Exception):
    """A cached session needs a refresh that a read-only diagnosis will not make."""


class HelperNeedsConsent(Exception):
    """botocore was about to run a credential_process helper the user has not agreed to run.

    Not a failure of the credentials, nor of the probe: the check was not made. Probes let it
    through (`probes.sts.classify` raises it again) and `run_probe` reports "not checked"."""

    def __init__(self, profile: str, program: str) -> None:
        super().__init__(
            f"botocore would run the credential_process helper '{program}' of profile"
            f" '{profile}', and you have not agreed to run it"
        )
        self.profile = profile
        self.program = program


#: The session component that says whether a credential_process helper may run now.
HELPER_CONSENT = "awsmedic-helper-consent"
HelperConsent = Callable[[], bool]


def guard(
    session: Any,
    ctx: Context,
    book: SecretBook,
    profile: str | None = None,
    helper_consent: HelperConsent | None = None,
) -> None:
    """Make `session` (for `profile`; None: the one botocore selects) safe to hand to probes.

    `helper_consent` is asked each time botocore would run a credential_process helper (the
    user may say yes later in a walk); None: never."""
    check_files(ctx, profile)
    watch_signing(session, book)
    session.register_component(HELPER_CONSENT, helper_consent or _never)
    _patch_botocore()


def _never() -> bool:
    return False


def check_files(ctx: Context, profile: str | None = None) -> None:
    """Raise before botocore would parse an oversized shared file, or read a file setting that
    is not a regular file of a sane size."""
    for path, size in oversized_files(ctx):
        raise SharedFileTooLarge(oversized_note(ctx, path, size))
    for refusal in refusals(ctx, profile):
        raise FileRefused(refusal)


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


class BoundedHelper:
    """What botocore's ProcessProvider runs a credential_process with instead of Popen: the
    same program, no shell, through `aws.bounded.run` (stdin closed, its own session, stopped
    after HELPER_TIMEOUT_SECONDS or SMALL_FILE_BYTES of output). Why it was stopped becomes
    its stderr, which botocore puts in its error."""

    def __init__(self, argv: list[str], **_: Any) -> None:
        self._argv = argv
        self.returncode: int | None = None

    def communicate(self) -> tuple[bytes, bytes]:
        import os

        ran = bounded.run(self._argv, os.environ, timeout=bounded.HELPER_TIMEOUT_SECONDS)
        self.returncode = ran.status if ran.status is not None else 1
        if ran.out.cut or ran.err.cut:
            self.returncode = 1
            which = "stdout" if ran.out.cut else "stderr"
            limit = bounded.SMALL_FILE_BYTES >> 20
            return b"", f"awsmedic stopped it: it printed more than {limit} MB on {which}".encode()
        if ran.status is None:
            wait = bounded.HELPER_TIMEOUT_SECONDS
            return b"", f"awsmedic stopped it: it did not finish within {wait:g} s".encode()
        return ran.out.data, ran.err.data


def _process_provider_init(original: Any) -> Any:
    def init(self: Any, profile_name: Any, load_config: Any, popen: Any = BoundedHelper) -> None:
        original(self, profile_name, load_config, popen)

    return init


def _consented(session: Any) -> bool:
    """Whether the session's owner agreed to run a helper now; a session awsmedic did not
    guard (no component) never runs one."""
    try:
        consent = session.get_component(HELPER_CONSENT)
    except Exception:
        return False
    return bool(consent())


def _gated_process_provider(original: Any) -> Any:
    """Every ProcessProvider botocore makes comes from ProfileProviderBuilder, for the selected
    profile's chain and for a role's source profile alike: its program is started only when
    the builder's session says the user agreed, checked when botocore would start it (not
    when the chain is built, which costs nothing and runs nothing)."""

    def create(self: Any, profile_name: str) -> Any:
        provider = original(self, profile_name)
        session = self._session

        def start(argv: list[str], **kwargs: Any) -> BoundedHelper:
            if not _consented(session):
                raise HelperNeedsConsent(profile_name, argv[0] if argv else "")
            return BoundedHelper(argv, **kwargs)

        provider._popen = start
        return provider

    return create


def _bounded_content(self: Any) -> bytes:
    """AWSResponse.content, read up to MAX_RESPONSE_BYTES and for up to MAX_RESPONSE_SECONDS
    (botocore reads the whole body, however long it takes)."""
    if self._content is None:
        read = bounded.read_stream(self.raw, MAX_RESPONSE_BYTES, MAX_RESPONSE_SECONDS)
        if read.late:
            self.raw.close()
            raise ResponseTooSlow(
                f"the answer from {self.url} did not end within {MAX_RESPONSE_SECONDS:g} s; "
                "awsmedic stopped reading it (an AWS answer takes well under a second)"
            )
        if read.cut:
            self.raw.close()
            raise ResponseTooLarge(
                f"the answer from {self.url} went on past {MAX_RESPONSE_BYTES >> 20} MB; "
                "awsmedic stopped reading it (an AWS answer is a few KB)"
            )
        self._content = read.data
    return self._content  # type: ignore[no-any-return]


def _bounded_cache_item(original: Any) -> Any:
    def getitem(self: Any, cache_key: str) -> Any:
        path = self._convert_cache_key(cache_key)
        problem = bounded.file_problem(path, MAX_CACHE_BYTES)
        if problem is not None:
            log.warning("the cached token %s %s: not read", path, problem)
            raise KeyError(cache_key)  # botocore's own answer for a cache file it cannot read
        return original(self, cache_key)

    return getitem


def _patch_botocore() -> None:
    """Patch botocore once per process: no refresh (checked by tests/hardening/test_read_only),
    and bounded reads of what it reads on its own (tests/hardening/test_hostile_files)."""
    with _LOCK:
        if _PATCHED:
            return
        from botocore import awsrequest, credentials, tokens, utils

        sso = getattr(tokens, "SSOTokenProvider", None)
        if sso is not None and hasattr(sso, "_refresh_access_token"):
            sso._refresh_access_token = _keep_cached_sso_token
        login = getattr(credentials, "LoginCredentialFetcher", None)
        if login is not None and hasattr(login, "refresh_credentials"):
            login.refresh_credentials = _refuse_login_refresh
        process = credentials.ProcessProvider
        process.__init__ = _process_provider_init(process.__init__)
        builder = credentials.ProfileProviderBuilder
        builder._create_process_provider = _gated_process_provider(builder._create_process_provider)
        awsrequest.AWSResponse.content = property(_bounded_content)
        cache = utils.JSONFileCache
        cache.__getitem__ = _bounded_cache_item(cache.__getitem__)
        _PATCHED.append(True)
