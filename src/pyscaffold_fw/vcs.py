"""Git, the one module that runs it: clone template sources (newest version tag, or the
ref asked for) and make a generated project a repository with one initial commit."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
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


def copier_source(source: str) -> str:
    """Spell a git source the way Copier reads it (it takes file:// only as git+file://)."""
    return f"git+{source}" if source.startswith("file://") else source


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


# Used for the initial commit only when git has no identity configured.
FALLBACK_IDENTITY = ("pyscaffold-fw", "pyscaffold-fw@localhost")


@dataclass(frozen=True)
class RepositoryOutcome:
    """What happened to git for a new project: committed, skipped or failed, and why."""

    status: str
    detail: str
    branch: str | None = None

    def to_json(self) -> dict[str, str | None]:
        """Return the outcome as JSON values."""
        return {"status": self.status, "detail": self.detail, "branch": self.branch}


def init_repository(project: Path, message: str) -> RepositoryOutcome:
    """Make `project` a repository with one commit; never raise (git is a convenience)."""
    git = shutil.which("git")
    if git is None:
        return RepositoryOutcome("skipped", "git is not installed")
    if _inside_work_tree(git, project.parent):
        return RepositoryOutcome("skipped", "already inside a git repository; not nesting one")
    branch = _config(git, project.parent, "init.defaultBranch") or "main"
    try:
        _git(git, "init", "--quiet", "--initial-branch", branch, cwd=project)
        _git(git, "add", "--all", cwd=project)
        identity = _identity_flags(git, project)
        _git(git, *identity, "commit", "--quiet", "--no-verify", "-m", message, cwd=project)
    except RenderError as error:
        return RepositoryOutcome("failed", error.message, branch)
    detail = "one initial commit" + (
        " (git had no identity: committed as pyscaffold-fw)" if identity else ""
    )
    return RepositoryOutcome("committed", detail, branch)


def _inside_work_tree(git: str, folder: Path) -> bool:
    completed = subprocess.run(  # noqa: S603
        [git, "rev-parse", "--is-inside-work-tree"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    return completed.stdout.strip() == "true"


def _config(git: str, folder: Path, key: str) -> str:
    completed = subprocess.run(  # noqa: S603
        [git, "config", "--get", key], cwd=folder, capture_output=True, text=True, check=False
    )
    return completed.stdout.strip()


def _identity_flags(git: str, project: Path) -> list[str]:
    if _config(git, project, "user.name") and _config(git, project, "user.email"):
        return []
    name, email = FALLBACK_IDENTITY
    return ["-c", f"user.name={name}", "-c", f"user.email={email}"]


def _git(git: str, *args: str, cwd: Path | None = None) -> str:
    completed = subprocess.run(  # noqa: S603  (our own git command line)
        [git, *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=300
    )
    if completed.returncode != 0:
        reason = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
        command = next(arg for arg in args if not arg.startswith("-") and "=" not in arg)
        raise RenderError(f"git {command} failed: {reason}")
    return completed.stdout
