"""Recognising WSL, Docker Desktop, containers and VMs from fake /proc and /sys trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from awsmedic.aws import hostenv


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


WSL2 = {"proc/sys/kernel/osrelease": "5.15.153.1-microsoft-standard-WSL2\n"}


@pytest.mark.parametrize(
    ("files", "environ", "kind", "command"),
    [
        (WSL2, {}, "wsl2", "sudo hwclock -s"),
        ({"proc/sys/kernel/osrelease": "4.4.0-19041-Microsoft"}, {}, "wsl1", "w32tm /resync"),
        (
            {
                ".dockerenv": "",
                "proc/version": "Linux version 6.6.12-linuxkit (root@buildkitsandbox)",
            },
            {},
            "docker-desktop",
            "docker run --rm --privileged alpine hwclock -s",
        ),
        (
            {**WSL2, ".dockerenv": ""},
            {},
            "docker-desktop",
            "docker run --rm --privileged alpine hwclock -s",
        ),
        (
            {"proc/1/cgroup": "12:cpu:/kubepods/burstable/pod1"},
            {},
            "container",
            "sudo timedatectl set-ntp true",
        ),
        ({}, {"KUBERNETES_SERVICE_HOST": "10.0.0.1"}, "container", "sudo timedatectl set-ntp true"),
        (
            {"sys/class/dmi/id/sys_vendor": "VMware, Inc."},
            {},
            "vm",
            "sudo timedatectl set-ntp true",
        ),
        (
            {
                "sys/class/dmi/id/sys_vendor": "Microsoft Corporation",
                "sys/class/dmi/id/product_name": "Virtual Machine",
                "usr/bin/chronyc": "",
            },
            {},
            "vm",
            "sudo chronyc makestep",
        ),
        (
            {
                "sys/class/dmi/id/sys_vendor": "Microsoft Corporation",
                "sys/class/dmi/id/product_name": "Surface Laptop 4",
            },
            {},
            "linux",
            "sudo timedatectl set-ntp true",
        ),
        (
            {"etc/chrony/chrony.conf": "pool 2.debian.pool.ntp.org"},
            {},
            "linux",
            "sudo chronyc makestep",
        ),
    ],
)
def test_linux_kinds(
    tmp_path: Path, files: dict[str, str], environ: dict[str, str], kind: str, command: str
) -> None:
    host = hostenv.detect(environ, "linux", tree(tmp_path, files))
    assert (host.kind, host.command) == (kind, command)
    assert host.title and host.evidence and host.note


def test_other_systems(tmp_path: Path) -> None:
    assert hostenv.detect({}, "darwin", tmp_path).command == "sudo sntp -sS time.apple.com"
    assert hostenv.detect({}, "win32", tmp_path).command == "w32tm /resync"


def test_unreadable_files_mean_plain_linux(tmp_path: Path) -> None:
    (tmp_path / "proc").mkdir()
    (tmp_path / "proc" / "version").mkdir()  # a directory where a file should be
    assert hostenv.detect({}, "linux", tmp_path).kind == "linux"
