"""The world awsmedic runs in, injected as one object (the httpie `Environment` idea).

Probes read the environment, the home directory and the clock through `Context`, never through
`os.environ` or `Path.home()` directly, so tests can build any world they like. botocore itself
reads the process environment, which is why `Context.from_process` snapshots exactly that.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

#: Per network call: awsmedic diagnoses, it does not wait on a sick network.
NETWORK_TIMEOUT_SECONDS = 3.0
#: For a whole diagnosis, every probe included.
DIAGNOSIS_BUDGET_SECONDS = 12.0


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    """What a case may read of the world: environment, home, clock, streams, and the options
    of the command line (offline, profile, region, timeouts, budget)."""

    environ: Mapping[str, str]
    home: Path | None
    clock: Callable[[], datetime] = utc_now
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    offline: bool = False
    probes_enabled: bool = True
    profile: str | None = None  # as if `--profile` had been given to the failing command
    region: str | None = None  # likewise `--region`
    #: What set `profile`: awsmedic's own --profile, or the failing command's line (as evidence
    #: says it: "--profile in the pasted command line").
    profile_source: str = "--profile"
    #: False where `profile` was set the way AWS_PROFILE sets it (`AWS_PROFILE=dev aws ...`):
    #: environment keys still win over it. True for an option: botocore then ignores them.
    profile_explicit: bool = True
    region_source: str = "--region"  # likewise, what set `region`
    #: The variables the failing tool selects a profile with, the one it reads first first:
    #: botocore's order unless the paste was recognised as printed by a tool that reads others
    #: (sharedfiles.profile_variables).
    profile_variables: tuple[str, ...] = ("AWS_DEFAULT_PROFILE", "AWS_PROFILE")
    #: Sentences about the failing command's own settings that the evidence should say: what
    #: a Terraform provider block chose, or why it was not taken (probes.tfprovider).
    setting_notes: tuple[str, ...] = ()
    #: The working directory (a Terraform provider's settings are in its `.tf` files); None
    #: when it is not known (tests that build a Context by hand).
    cwd: Path | None = None
    knowledge_dirs: tuple[Path, ...] = ()
    network_timeout: float = NETWORK_TIMEOUT_SECONDS
    budget: float = DIAGNOSIS_BUDGET_SECONDS
    debug: bool = False
    # A person is at the keyboard (the REPL): a refused check says "/back" lets it run.
    interactive: bool = False
    #: False when the failing command skipped TLS verification (the AWS CLI's --no-verify-ssl).
    verify_ssl: bool = True
    #: `sys.platform` of this machine: which shell the steps are for, which host the clock is on.
    platform: str = sys.platform

    @classmethod
    def from_process(cls, **overrides: object) -> Context:
        environ = dict(os.environ)
        home_text = environ.get("HOME") or (
            environ.get("USERPROFILE") if sys.platform == "win32" else None
        )
        home = Path(home_text) if home_text else None
        try:
            cwd: Path | None = Path.cwd()
        except OSError:  # the directory was removed under us
            cwd = None
        overrides.setdefault("cwd", cwd)
        return cls(environ=environ, home=home, **overrides)  # type: ignore[arg-type]

    def now(self) -> datetime:
        return self.clock()

    def env(self, name: str) -> str | None:
        return self.environ.get(name)

    @property
    def no_color(self) -> bool:
        # https://no-color.org: present and not empty disables colour.
        return bool(self.environ.get("NO_COLOR")) or self.environ.get("TERM") == "dumb"

    @property
    def in_ci(self) -> bool:
        """A CI job: nobody at the keyboard. GitHub Actions, GitLab CI and most others set CI."""
        return (self.environ.get("CI") or "").strip().lower() not in ("", "0", "false", "no")

    def tilde(self, path: str | Path) -> str:
        """Show a path with the home directory as `~`, as users write it."""
        text = str(path)
        if self.home is not None:
            home = str(self.home).rstrip("/")
            if home and (text == home or text.startswith(home + "/")):
                return "~" + text[len(home) :]
        return text
