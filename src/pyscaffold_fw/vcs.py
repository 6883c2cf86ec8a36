"""Templates from git: clone a source, pick its newest version tag (or the ref asked for)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from pyscaffold_fw.errors import RenderError

_SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}
_URL = re.compile(r"^(git\+|git@|https?://|ssh://|file://)")


def is_remote(source: str) -> bool:
    """Tell whether a template source is a git URL rather than a local path."""
    return bool(_URL.match(source)) or source.startswith(tuple(_SHORTCUTS))


def is_local_repository(path: Path) -> bool:
    """Tell whether a local template folder is the root of a git repository."""
    return (path / ".git").exists()


def clone_url(source: str) -> str:
    """Expand Copier's gh:/gl: shortcuts and strip a git+ prefix."""
    for prefix, base in _SHORTCUTS.items():
        if source.startswith(prefix):
            return base + source.removeprefix(prefix).removesuffix(".git") + ".git"
    return source.removeprefix("git+")


def checkout(source: str, vcs_ref: str | None, into: Path) -> str:
    """Clone `source` into `into` at `vcs_ref`, else its newest version tag, else HEAD.

    Returns the ref checked out, so Copier can be asked to render the same one.
    """
    git = shutil.which("git")
    if git is None:
        raise RenderError("git is not installed: it is needed for templates from git.")
    _git(git, "clone", "--quiet", clone_url(source), str(into))
    ref = vcs_ref or newest_version_tag(git, into) or "HEAD"
    _git(git, "-c", "advice.detachedHead=false", "checkout", "--quiet", ref, cwd=into)
    return ref


def newest_version_tag(git: str, repository: Path) -> str | None:
    """Return the tag with the highest PEP 440 version, as Copier picks it."""
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415  (Copier's dependency)

    tags = _git(git, "tag", "--list", cwd=repository).split()
    versions = []
    for tag in tags:
        try:
            versions.append((Version(tag), tag))
        except InvalidVersion:
            continue
    return max(versions)[1] if versions else None


def _git(git: str, *args: str, cwd: Path | None = None) -> str:
    completed = subprocess.run(  # noqa: S603  (our own git command line)
        [git, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    if completed.returncode != 0:
        reason = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
        raise RenderError(f"git {args[0]} failed: {reason}")
    return completed.stdout
