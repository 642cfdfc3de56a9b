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

from awsmedic.aws import bounded
from awsmedic.model import Record

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
_CHRONY = ("usr/bin/chronyc", "usr/sbin/chronyd", "etc/chrony")


@dataclass(frozen=True, repr=False, eq=False)
class Host(Record):
    """The kind of machine awsmedic runs on, and how to resync its clock there."""

    kind: str  # wsl2, wsl1, docker-desktop, container, vm, linux, macos, windows
    title: str  # "WSL2", "a VMware virtual machine"
    evidence: str  # what gave it away
    command: str  # the one command that resyncs the clock here (plain text, no Markdown)
    note: str  # why the clock drifts here and what else helps


def _read(root: Path, relative: str) -> str | None:
    try:
        return bounded.read_file(root / relative, _MAX_BYTES).text().strip()
    except OSError:
        return None


def _linux_command(root: Path) -> str:
    if any((root / p).exists() for p in _CHRONY):
        return "sudo chronyc makestep"
    return "sudo timedatectl set-ntp true"


def _wsl(environ: Mapping[str, str], osrelease: str) -> Host | None:
    release = osrelease.lower()
    if "microsoft-standard" in release or "wsl2" in release:
        return Host(
            "wsl2",
            "WSL2",
            f"kernel {osrelease}",
            "sudo hwclock -s",
            "WSL2's clock falls behind after Windows sleeps; if resetting it from the hardware"
            " clock does not help, run wsl --shutdown in Windows and open WSL again",
        )
    if "microsoft" in release or environ.get("WSL_DISTRO_NAME"):
        return Host(
            "wsl1",
            "WSL (uses the Windows clock)",
            f"kernel {osrelease}" if osrelease else "WSL_DISTRO_NAME is set",
            "w32tm /resync",
            "WSL 1 has no clock of its own: resync Windows, in an administrator prompt",
        )
    return None


def _container(root: Path, environ: Mapping[str, str], kernel: str) -> Host | None:
    cgroup = (_read(root, "proc/1/cgroup") or "").lower()
    markers = ["/" + m for m in (".dockerenv", "run/.containerenv") if (root / m).exists()]
    marked_by = [c for c in _CONTAINER_CGROUPS if c in cgroup]
    env_hint = [
        var
        for var in ("KUBERNETES_SERVICE_HOST", "ECS_CONTAINER_METADATA_URI_V4")
        if environ.get(var)
    ]
    if not (markers or marked_by or env_hint):
        return None
    evidence = ", ".join(markers + marked_by + env_hint)
    # Docker Desktop runs containers in a VM: linuxkit on macOS, a WSL2 distro on Windows.
    if "linuxkit" in kernel.lower() or "microsoft-standard" in kernel.lower():
        return Host(
            "docker-desktop",
            "a container on Docker Desktop (run the command on the host)",
            f"{evidence}; kernel of the Docker Desktop VM",
            "docker run --rm --privileged alpine hwclock -s",
            "the container uses the Docker Desktop VM's clock, which can stay behind after the"
            " computer sleeps; restarting Docker Desktop also resets it",
        )
    return Host(
        "container",
        "a container (run the command on its host)",
        evidence,
        "sudo timedatectl set-ntp true",
        "a container shares its host's clock and cannot set it: fix the host's clock",
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
        _linux_command(root),
        "a VM's clock stops while it is suspended or restored from a snapshot; also turn on the"
        " hypervisor's time sync (guest tools)",
    )


def detect(environ: Mapping[str, str], platform: str, root: Path | None = None) -> Host:
    """The kind of machine, from `sys.platform`, the environment and the files under `root`."""
    if platform in ("win32", "cygwin"):
        return Host(
            "windows",
            "Windows",
            f"platform {platform}",
            "w32tm /resync",
            "run it in an administrator prompt; if the time service is stopped, first"
            " net start w32time",
        )
    if platform == "darwin":
        return Host(
            "macos",
            "macOS",
            "platform darwin",
            "sudo sntp -sS time.apple.com",
            'also turn on "Set time and date automatically" in System Settings, Date & Time',
        )
    base = ROOT if root is None else root
    osrelease = _read(base, "proc/sys/kernel/osrelease") or ""
    version = _read(base, "proc/version") or ""
    # A container first: Docker Desktop's containers also run on a WSL2 kernel.
    found = (
        _container(base, environ, f"{osrelease} {version}") or _wsl(environ, osrelease) or _vm(base)
    )
    if found is not None:
        return found
    chrony = any((base / p).exists() for p in _CHRONY)
    return Host(
        "linux",
        "Linux",
        f"platform {platform}" + (", chrony installed" if chrony else ""),
        _linux_command(base),
        "chrony steps the clock at once"
        if chrony
        else "this turns on network time sync; timedatectl status then shows"
        ' "System clock synchronized: yes"',
    )
