"""botocore, built once per diagnosis and shared by the probes that need it.

Probes run in parallel threads; botocore sessions are not thread-safe, so everything that
touches the session happens under one lock here, and probes only get thread-safe clients back.
Clients are bounded: short timeouts and a single attempt, so a sick network costs seconds.
"""

from __future__ import annotations

import concurrent.futures as futures
import hashlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from awsmedic.context import Context
from awsmedic.model import Secret
from awsmedic.safety.redact import SecretBook

if TYPE_CHECKING:
    from awsmedic.probes.chainwalk import ChainReport

#: An access key id, its secret and its session token (None for long-term keys).
Creds = tuple[Secret, Secret, Secret | None]


def _refuse_mfa_prompt(prompt: str) -> str:
    raise RuntimeError("awsmedic never asks for an MFA code: this role profile needs one")


def _never_prompt_for_mfa(session: Any) -> None:
    """botocore asks for an MFA code on the terminal (getpass) when a role profile has
    mfa_serial; a probe must fail instead of prompting in the middle of a diagnosis."""
    try:
        provider = session.get_component("credential_provider").get_provider("assume-role")
    except Exception:  # a broken config: the chain walk reports it
        return
    if provider is not None and hasattr(provider, "_prompter"):
        provider._prompter = _refuse_mfa_prompt


def _no_helper() -> bool:
    return False


class AwsWorld:
    """botocore for one case. `helper_consent` says, when botocore would run a
    credential_process helper (to sign a request, or for a role's source profile), whether the
    user agreed to (`consent:creds.process`); asked each time, since a walk may get the yes
    late. Without a yes botocore runs no helper, and the probe is "not checked"."""

    def __init__(
        self, ctx: Context, book: SecretBook, helper_consent: Callable[[], bool] = _no_helper
    ) -> None:
        self.ctx = ctx
        self.book = book
        self.helper_consent = helper_consent
        self._lock = threading.RLock()
        self._session: Any = None
        self._chain: ChainReport | None = None
        self._loader: Any = None
        self._clients: dict[tuple[str, str | None, bool], Any] = {}
        self._identities: dict[tuple[str, str | None], futures.Future[Any]] = {}
        self._endpoints: dict[tuple[str, str | None, bool], str] = {}

    def _data_loader(self) -> Any:
        """One botocore data loader for every session of this diagnosis: service models and
        endpoint rules are read (and parsed) once, not once per session."""
        from botocore.loaders import create_loader

        with self._lock:
            if self._loader is None:
                self._loader = create_loader()
            return self._loader

    def client_config(self) -> Any:
        from botocore.config import Config

        timeout = self.ctx.network_timeout
        return Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"total_max_attempts": 1, "mode": "standard"},  # one attempt, no retry
        )

    def new_session(
        self, profile: str | None, *, explicit: bool = True, pinned: bool = True
    ) -> Any:
        """A fresh botocore session, as the failing command would build it. `explicit=False`
        selects `profile` the way AWS_PROFILE does: environment keys still win over it (an
        explicit profile makes botocore drop them: credentials.create_credential_resolver).
        `pinned=False` with `explicit=False`: `default` because no variable the tool reads is
        set, whatever botocore would read from this process's environment."""
        import botocore.session

        from awsmedic.aws.parsecache import share_full_config
        from awsmedic.safety.guard import guard

        session = botocore.session.Session(profile=profile if explicit else None)
        if profile is not None and not explicit:
            from botocore.configprovider import ConstantProvider

            # Not an instance variable (that is what "explicit" means to botocore): the
            # profile's own provider, where AWS_PROFILE would have been read. Unpinned, no
            # variable is read at all (botocore then takes `default` if the files have one).
            store = session.get_component("config_store")
            store.set_config_provider("profile", ConstantProvider(profile if pinned else None))
        session.register_component("data_loader", self._data_loader())
        # Bounded, read-only, every secret scrubbed, no helper run without consent.
        guard(session, self.ctx, self.book, profile, self.helper_consent)
        # The files as botocore parsed them for an earlier session, if they have not changed
        # (`check --all` builds a session per profile): botocore parses each version once.
        share_full_config(session)
        # Bounds the clients botocore creates internally too (AssumeRole, SSO).
        session.set_default_client_config(self.client_config())
        # Never wait on instance metadata unless the environment asked for it: probes for
        # IMDS do their own, bounded requests.
        session.set_config_variable("metadata_service_timeout", 1)
        session.set_config_variable("metadata_service_num_attempts", 1)
        _never_prompt_for_mfa(session)
        return session

    def own_session(self) -> Any:
        """A fresh session for the profile the failing command selected, selected as it did
        (by the tool's own variables: the JavaScript SDK v3 does not read AWS_DEFAULT_PROFILE,
        which botocore would read from this process's environment)."""
        from awsmedic.aws.sharedfiles import BOTOCORE_PROFILE_VARS, profile_selection

        if self.ctx.profile is not None or self.ctx.profile_variables == BOTOCORE_PROFILE_VARS:
            return self.new_session(self.ctx.profile, explicit=self.ctx.profile_explicit)
        profile, source, _ = profile_selection(self.ctx)
        return self.new_session(profile, explicit=False, pinned=source != "default")

    def session(self) -> Any:
        with self._lock:
            if self._session is None:
                self._session = self.own_session()
            return self._session

    def config_variable(self, name: str) -> Any:
        """A config variable of the shared session (region, ca_bundle), read under the lock."""
        with self._lock:
            return self.session().get_config_variable(name)

    def profile_section(self, profile: str) -> dict[str, Any]:
        """A copy of one profile's settings from the shared files, as botocore read them (the
        shared session's, under the lock: a session of its own would cost every probe one)."""
        with self._lock:
            return dict(self.session().full_config.get("profiles", {}).get(profile, {}))

    def profiles(self) -> dict[str, Any]:
        """Every profile of both files, as botocore merges them (a copy of the map of the
        shared session's, under the lock: a session of its own would cost one per asker)."""
        with self._lock:
            return dict(self.session().full_config.get("profiles", {}))

    def chain(self) -> ChainReport:
        """The credential chain, walked once (see chainwalk.walk)."""
        from awsmedic.probes.chainwalk import walk

        with self._lock:
            if self._chain is None:
                self._chain = walk(self.ctx, self.session)
                self.book.add(self._chain.secrets())
            return self._chain

    def caller_identity(
        self, creds: Creds, region: str | None
    ) -> tuple[str, dict[str, Any] | None, Exception | None]:
        """(the STS endpoint, GetCallerIdentity's answer or None, the exception or None) for
        these keys in this region. Asked once per diagnosis: several probes want the same
        answer, and each call costs a client and a round trip."""
        digest = hashlib.sha256("\0".join(c.reveal() if c else "" for c in creds).encode())
        key = (digest.hexdigest(), region)
        with self._lock:
            pending = self._identities.get(key)
            mine = pending is None
            if pending is None:
                pending = self._identities[key] = futures.Future()
        if mine:
            try:
                client = self.client("sts", region, creds)
            except Exception as exc:  # a malformed region, say: every asker gets the same
                pending.set_result(("", None, exc))
            else:
                try:
                    answer = client.get_caller_identity()
                except Exception as exc:
                    pending.set_result((client.meta.endpoint_url, None, exc))
                else:
                    pending.set_result((client.meta.endpoint_url, dict(answer), None))
        return pending.result()  # type: ignore[no-any-return]

    def client(
        self,
        service: str,
        region: str | None,
        creds: Creds | None = None,
        *,
        unsigned: bool = False,
    ) -> Any:
        """A bounded client; explicit `creds` bypass the chain (for the keys the chain found).

        Clients without explicit credentials are shared: several probes ask for the same
        unsigned STS client, and clients are thread-safe once made."""
        from botocore import UNSIGNED

        shared = (service, region, unsigned)
        with self._lock:
            if creds is None and shared in self._clients:
                return self._clients[shared]
            session = self.session()
            config = self.client_config()
            if unsigned:
                config = config.merge(type(config)(signature_version=UNSIGNED))
            kwargs: dict[str, Any] = {"region_name": region, "config": config}
            if not self.ctx.verify_ssl:  # as the failing command did (--no-verify-ssl)
                kwargs["verify"] = False
            if creds is not None:
                key, secret, token = creds
                kwargs.update(
                    aws_access_key_id=key.reveal(),
                    aws_secret_access_key=secret.reveal(),
                    aws_session_token=token.reveal() if token else None,
                )
            try:
                client = session.create_client(service, **kwargs)
            except Exception as exc:
                self._forget_refused_session(exc)
                raise
            if creds is None:
                self._clients[shared] = client
            self._endpoints.setdefault((service, region, True), str(client.meta.endpoint_url))
            return client

    def _forget_refused_session(self, exc: Exception) -> None:
        """After botocore was refused a credential_process helper, the shared session is not
        used again: its role provider remembers the source profile it was resolving and would
        call a later try, with consent, an InfiniteLoopConfigError."""
        from awsmedic.safety.guard import HelperNeedsConsent

        if isinstance(exc, HelperNeedsConsent):
            self._session = None

    def endpoint_url(self, service: str, region: str | None, *, configured: bool = True) -> str:
        """Where botocore sends `service` requests in `region`; with configured=False, where it
        would without endpoint overrides (AWS_ENDPOINT_URL...). From any client made already."""
        from botocore import UNSIGNED
        from botocore.config import Config

        key = (service, region, configured)
        with self._lock:
            if key not in self._endpoints:
                if configured:
                    self.client(service, region, unsigned=True)
                else:
                    plain = Config(signature_version=UNSIGNED, ignore_configured_endpoint_urls=True)
                    config = self.client_config().merge(plain)
                    made = self.session().create_client(
                        service,
                        region_name=region,
                        config=config,
                        verify=None if self.ctx.verify_ssl else False,
                    )
                    self._endpoints[key] = str(made.meta.endpoint_url)
            return self._endpoints[key]
