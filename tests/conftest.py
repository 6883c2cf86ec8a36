"""Shared fixtures: every test runs isolated from the user's home, git and Copier settings."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Captured before isolation so virtualenv installs reuse the machine's package cache.
_UV_CACHE = os.environ.get("UV_CACHE_DIR") or str(Path.home() / ".cache" / "uv")
_PIP_CACHE = os.environ.get("PIP_CACHE_DIR") or str(Path.home() / ".cache" / "pip")
_PYENV_ROOT = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Give each test its own home, config dirs and git config; no CI or colour leaks in."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(home / "copier-settings.yml"))
    monkeypatch.setenv("UV_CACHE_DIR", _UV_CACHE)
    monkeypatch.setenv("PIP_CACHE_DIR", _PIP_CACHE)
    monkeypatch.setenv("PYENV_ROOT", _PYENV_ROOT)
    for name in ("CI", "NO_COLOR", "PYSCAFFOLD_FW_CONFIG", "PYSCAFFOLD_FW_TEMPLATES"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty working directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Mount small tmpfs file systems (a real full or read-only disk); skip where not allowed.

    Tests run as root, so only a real mount proves a write fails.
    """
    mounted: list[Path] = []

    def mount(size: str, *options: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        argv = ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs"]
        try:
            completed = subprocess.run([*argv, str(point)], capture_output=True, text=True)
        except FileNotFoundError:
            pytest.skip("no mount command on this machine")
        if completed.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not allowed here: {completed.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in reversed(mounted):
        subprocess.run(["umount", "--lazy", str(point)], check=False)


def used_bytes(folder: Path) -> int:
    """Return the bytes in use on the file system holding `folder`."""
    stats = os.statvfs(folder)
    return (stats.f_blocks - stats.f_bfree) * stats.f_frsize


DEEP = 10_000  # levels of nesting: far past any parser's recursion limit


@pytest.fixture
def alias_bomb() -> str:
    """Return the classic "billion laughs": 9 levels of 9 aliases, 9**9 values expanded."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level, name in enumerate("bcdefghi"):
        alias = f"*{'abcdefghi'[level]}"
        lines.append(f"{name}: &{name} [{', '.join([alias] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def deep_yaml() -> str:
    """Return a YAML (and JSON) list nested DEEP levels."""
    return "[" * DEEP + "]" * DEEP


@pytest.fixture
def deep_json() -> str:
    """Return a JSON mapping whose value is nested DEEP levels."""
    return '{"a": ' + "[" * DEEP + "]" * DEEP + "}"


@pytest.fixture
def deep_toml() -> str:
    """Return a TOML array nested DEEP levels."""
    return "a = " + "[" * DEEP + "]" * DEEP + "\n"
