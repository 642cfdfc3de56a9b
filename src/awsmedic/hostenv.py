"""What kind of machine this is, so that the clock fix names the command that works on it.

Skewed clocks cluster where the operating system does not own its clock: WSL2 and Docker Desktop
(Linux VMs that can keep a stale clock after the computer sleeps), virtual machines resumed or
restored from a snapshot, and containers, which share their host's clock and cannot set it.
Everything is read from /proc, /sys and marker files, never by running a program.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

#: Tests point this at a fake file tree.
ROOT = Path("/")
_MAX_BYTES = 4096

_VM_VENDORS = (
    ("vmware", "VMware"),
    ("virtualbox", "VirtualBox"),
    ("innotek", "VirtualBox"),
    ("qemu", "QEMU/KVM"),
    ("kvm", "KVM"),
    ("xen", "Xen"),
    ("parallels", "Parallels"),
    ("amazon ec2", "Amazon EC2"),
    ("google", "Google Compute Engine"),
)
_CONTAINER_CGROUPS = ("docker", "kubepods", "containerd", "libpod", "lxc")

_WINDOWS_FIX = (
    "in an administrator prompt run `w32tm /resync` (if the time service is stopped, first"
    " `net start w32time`)"
)
_MACOS_FIX = (
    "run `sudo sntp -sS time.apple.com`, and turn on System Settings → General → Date & Time →"
    ' "Set time and date automatically"'
)


@dataclass(frozen=True)
class Host:
    kind: str  # wsl2, wsl1, docker-desktop, container, vm, linux, macos, windows
    title: str
    evidence: str
    clock_fix: str  # Markdown: commands in code spans


def _read(root: Path, relative: str) -> str | None:
    try:
        with (root / relative).open("rb") as handle:
            return handle.read(_MAX_BYTES).decode("utf-8", errors="replace").strip()
    except OSError:
        return None


def _linux_sync(root: Path) -> str:
    if any((root / p).exists() for p in ("usr/bin/chronyc", "usr/sbin/chronyd", "etc/chrony")):
        return "`sudo chronyc makestep` (chrony steps the clock at once)"
    return (
        "`sudo timedatectl set-ntp true`, then `sudo systemctl restart systemd-timesyncd` to sync"
        ' at once; `timedatectl status` should then say "System clock synchronized: yes"'
    )


def _wsl(environ: Mapping[str, str], osrelease: str) -> Host | None:
    if "microsoft-standard" in osrelease.lower() or "wsl2" in osrelease.lower():
        return Host(
            "wsl2",
            "WSL2",
            f"kernel {osrelease}",
            "inside WSL run `sudo hwclock -s` (WSL2's clock falls behind after Windows sleeps);"
            " if that does not help, run `wsl --shutdown` in Windows and open WSL again",
        )
    if "microsoft" in osrelease.lower() or environ.get("WSL_DISTRO_NAME"):
        return Host(
            "wsl1",
            "WSL",
            f"kernel {osrelease}" if osrelease else "WSL_DISTRO_NAME is set",
            f"WSL uses the Windows clock: in Windows, {_WINDOWS_FIX}",
        )
    return None


def _container(root: Path, environ: Mapping[str, str], kernel: str) -> Host | None:
    cgroup = (_read(root, "proc/1/cgroup") or "").lower()
    markers = [m for m in (".dockerenv", "run/.containerenv") if (root / m).exists()]
    marked_by = [c for c in _CONTAINER_CGROUPS if c in cgroup]
    env_hint = [
        var
        for var in ("KUBERNETES_SERVICE_HOST", "ECS_CONTAINER_METADATA_URI_V4")
        if environ.get(var)
    ]
    if not (markers or marked_by or env_hint):
        return None
    evidence = ", ".join(["/" + m for m in markers] + marked_by + env_hint)
    # Docker Desktop runs containers in a VM: linuxkit on macOS, a WSL2 distro on Windows.
    if "linuxkit" in kernel.lower() or "microsoft-standard" in kernel.lower():
        return Host(
            "docker-desktop",
            "a container on Docker Desktop",
            f"{evidence}; kernel of the Docker Desktop VM",
            "the container uses the Docker Desktop VM's clock, which can stay behind after the"
            " computer sleeps: restart Docker Desktop, or reset the VM's clock from the host with"
            " `docker run --rm --privileged alpine hwclock -s`",
        )
    return Host(
        "container",
        "a container",
        evidence,
        "a container shares its host's clock and cannot set it: fix the clock on the host (on"
        " Linux `sudo timedatectl set-ntp true`), then retry",
    )


def _vm(root: Path) -> Host | None:
    vendor = (_read(root, "sys/class/dmi/id/sys_vendor") or "").lower()
    product = (_read(root, "sys/class/dmi/id/product_name") or "").lower()
    name = next((title for key, title in _VM_VENDORS if key in vendor or key in product), None)
    if name is None and vendor.startswith("microsoft") and "virtual machine" in product:
        name = "Hyper-V"
    if name is None:
        return None
    return Host(
        "vm",
        f"a {name} virtual machine",
        f"DMI vendor '{vendor}', product '{product}'",
        f"a VM's clock stops while it is suspended or restored from a snapshot: resync with"
        f" {_linux_sync(root)}, and turn on the hypervisor's time sync (guest tools)",
    )


def detect(environ: Mapping[str, str], platform: str, root: Path | None = None) -> Host:
    """The kind of machine, from `sys.platform`, the environment and the files under `root`."""
    if platform in ("win32", "cygwin"):
        return Host("windows", "Windows", f"platform {platform}", _WINDOWS_FIX)
    if platform == "darwin":
        return Host("macos", "macOS", "platform darwin", _MACOS_FIX)
    base = ROOT if root is None else root
    osrelease = _read(base, "proc/sys/kernel/osrelease") or ""
    version = _read(base, "proc/version") or ""
    # A container first: Docker Desktop's containers also run on a WSL2 kernel.
    found = (
        _container(base, environ, f"{osrelease} {version}") or _wsl(environ, osrelease) or _vm(base)
    )
    if found is not None:
        return found
    return Host("linux", "Linux", f"platform {platform}", _linux_sync(base))
