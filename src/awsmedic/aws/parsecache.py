"""Parses of the shared files, kept for as long as the files' bytes stay the same.

`check --all` checks every profile, and each profile's probes read the shared files again
(awsmedic's line-level reading, botocore's own parse in a session of its own): N profiles times
the work of parsing files N profiles long, so time grew with the square of the profile count
(400 profiles: 80 s). A parse depends only on the bytes of the file, so it is kept under a key
made of the path and a digest of those bytes, read anew each time: a file that changed, even
within the same second and at the same size, is parsed again. What is kept is shared, never
changed by whoever gets it (botocore's readers only read; a session gets its own copy of what
botocore writes to, see `share_full_config`).

botocore still does all of its parsing and resolution: this only avoids doing the same parse of
the same bytes twice.
"""

from __future__ import annotations

import copy
import hashlib
import os
import stat
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from awsmedic.aws import bounded

T = TypeVar("T")

#: Parses kept per cache: a few files, in a few versions (a REPL session may see them change).
KEEP = 8
#: Larger files are not kept (botocore is never handed a shared file over 1 MB: `guard`).
MAX_BYTES = bounded.MB


class ContentCache(Generic[T]):
    """A small thread-safe map from a key to a parse; the least recently used goes first."""

    def __init__(self, keep: int = KEEP) -> None:
        self._keep = keep
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, T] = OrderedDict()

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: T) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._keep:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()


def fingerprint(path: str | None) -> Hashable | None:
    """What a parse of `path` depends on: the path and its bytes (a digest of them), or that
    there is no file there; None when it cannot be told (unreadable, not a regular file, too
    big): then nothing is kept."""
    if path is None:
        return None
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return (path, "absent")
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
        return None
    try:
        read = bounded.read_file(path, MAX_BYTES)
    except OSError:
        return None
    if read.cut:
        return None
    return (path, info.st_size, info.st_mtime_ns, digest(read.data))


def memoised(cache: ContentCache[T], key: Hashable | None, make: Callable[[], T]) -> T:
    """`make()`, or what it gave for the same `key` before (None: not kept)."""
    if key is None:
        return make()
    found = cache.get(key)
    if found is None:
        found = make()
        cache.put(key, found)
    return found


def memoised_for(
    cache: ContentCache[tuple[object, T]], of: object, extra: Hashable, make: Callable[[], T]
) -> T:
    """`make()`, or what it gave before for the very same object `of` (a reading that
    `inifile.scan` or `sharedfiles.load` kept) and `extra`. By identity: records compare by
    value, and hashing a whole file's reading would cost about as much as making it again."""
    key = (id(of), extra)
    found = cache.get(key)
    if found is not None and found[0] is of:  # it holds `of`: no other object has its id
        return found[1]
    made = make()
    cache.put(key, (of, made))
    return made


# --------------------------------------------------------------------------------------------
# botocore's parses


_BOTOCORE: ContentCache[Any] = ContentCache()
_SESSIONS: ContentCache[dict[str, Any]] = ContentCache()
_PATCHED: list[bool] = []
_PATCH_LOCK = threading.Lock()


def _expanded(path: Any) -> str | None:
    """The path botocore opens (configloader.raw_config_parse expands it the same way)."""
    if path is None:
        return None
    return os.path.expanduser(os.path.expandvars(str(path)))


def _botocore_parse(name: str, parse: Callable[[Any], Any], path: Any) -> Any:
    """botocore's `parse(path)`, kept while the file is unchanged. Its errors are not kept:
    botocore raises them again, as it would have."""
    expanded = _expanded(path)
    before = fingerprint(expanded)
    if before is None:
        return parse(path)
    key = (name, before)
    found = _BOTOCORE.get(key)
    if found is None:
        found = parse(path)
        if fingerprint(expanded) == before:  # not rewritten while botocore read it
            _BOTOCORE.put(key, found)
    return found


def load_config(path: Any) -> Any:
    """botocore.configloader.load_config, kept (for readers only: ConfigProvider)."""
    from botocore import configloader

    return _botocore_parse("load_config", configloader.load_config, path)


def raw_config_parse(path: Any) -> Any:
    """botocore.configloader.raw_config_parse, kept (for readers only)."""
    from botocore import configloader

    return _botocore_parse("raw_config_parse", configloader.raw_config_parse, path)


def _own_copy(config: dict[str, Any], profile: str) -> dict[str, Any]:
    """A session's view of a shared full_config: the containers it may write to are its own.

    botocore writes to a session's config in one place: SectionConfigProvider adds the values
    of the environment to the selected profile's `s3` and `proxies_config` sections. So that
    profile (and `default`, selected when none is) is a deep copy; the rest is shared."""
    profiles = dict(config.get("profiles", {}))
    for name in {profile, "default"}:
        if name in profiles:
            profiles[name] = copy.deepcopy(profiles[name])
    return {**config, "profiles": profiles}


def share_full_config(session: Any) -> None:
    """Give `session` the full_config another session computed from the same files, or
    compute it now (botocore's own Session.full_config) and keep a copy for the next ones.

    Also makes every ConfigProvider and SharedCredentialProvider botocore builds (for the
    profile and for each source profile of a role) parse the files through `load_config` and
    `raw_config_parse` here. A file botocore cannot parse is left to botocore: it raises its
    error where it reads the file, as without this."""
    _patch_botocore()
    config_file = _expanded(session.get_config_variable("config_file"))
    credentials_file = _expanded(session.get_config_variable("credentials_file"))
    profile = session.get_config_variable("profile") or "default"
    key = (fingerprint(config_file), fingerprint(credentials_file))
    if None in key:
        return
    found = _SESSIONS.get(key)
    if found is not None:
        session._config = _own_copy(found, profile)
        return
    try:
        config = session.full_config
    except Exception:
        # Unread again, so that botocore's first reader meets the error, as without this (a
        # credentials file that does not parse leaves half a config behind otherwise).
        session._config = None
        return
    if (fingerprint(config_file), fingerprint(credentials_file)) == key:
        kept = copy.deepcopy(config)
        _SESSIONS.put(key, kept)


def _with_parser(create: Any, attribute: str, parser: Callable[[Any], Any]) -> Any:
    def create_provider(self: Any, profile_name: str) -> Any:
        provider = create(self, profile_name)
        if hasattr(provider, attribute):
            setattr(provider, attribute, parser)
        return provider

    return create_provider


def _patch_botocore() -> None:
    """ProfileProviderBuilder makes the providers that read the files for a profile and for a
    role's source profiles; theirs parse through the kept parses. Once per process."""
    with _PATCH_LOCK:
        if _PATCHED:
            return
        from botocore.credentials import ProfileProviderBuilder as builder

        builder._create_config_provider = _with_parser(
            builder._create_config_provider, "_config_parser", load_config
        )
        builder._create_shared_credential_provider = _with_parser(
            builder._create_shared_credential_provider, "_ini_parser", raw_config_parse
        )
        _PATCHED.append(True)


def clear() -> None:
    """Forget every kept parse (tests)."""
    _BOTOCORE.clear()
    _SESSIONS.clear()
