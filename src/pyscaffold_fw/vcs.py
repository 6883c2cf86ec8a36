"""Git, the one module that runs it: clone template sources (newest version tag, or the
ref asked for) and make a generated project a repository with one initial commit (the
untouched render), and later commits of its own files (its `uv.lock`).

A template repository is someone else's: its own `.git/config` may name programs
(`core.fsmonitor`, hooks, filters) that git runs inside it. So git never runs in a
template's own folder: it is cloned (its configuration is read only by `upload-pack`,
which runs none of those), and Copier renders from our clone.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw import process
from pyscaffold_fw.errors import InvalidAnswerError, RenderError

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


# Settings forced on every git we (or Copier, through render.py) run: nothing a
# repository's own configuration names may run, and git never waits for a password.
HARDENED_CONFIG = {
    "core.fsmonitor": "false",
    "core.hooksPath": os.devnull,
    "protocol.ext.allow": "never",
    "submodule.recurse": "false",
}


# What points git at another repository, index or object store (`git rev-parse
# --local-env-vars` less the configuration): set for a git hook, `git rebase --exec` or
# `git submodule foreach`, they would turn every git we run onto that repository.
REPOSITORY_VARIABLES = frozenset(
    {
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_DIR",
        "GIT_GRAFT_FILE",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_INTERNAL_SUPER_PREFIX",
        "GIT_NAMESPACE",
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_OBJECT_DIRECTORY",
        "GIT_PREFIX",
        "GIT_REPLACE_REF_BASE",
        "GIT_SHALLOW_FILE",
        "GIT_WORK_TREE",
    }
)


def hardened_env(base: Mapping[str, str]) -> dict[str, str]:
    """Return `base` without REPOSITORY_VARIABLES, with HARDENED_CONFIG added to git's
    command-line configuration."""
    env = {key: value for key, value in base.items() if key not in REPOSITORY_VARIABLES}
    count = int(env.get("GIT_CONFIG_COUNT", "0") or "0")
    for index, (key, value) in enumerate(HARDENED_CONFIG.items(), start=count):
        env[f"GIT_CONFIG_KEY_{index}"] = key
        env[f"GIT_CONFIG_VALUE_{index}"] = value
    env["GIT_CONFIG_COUNT"] = str(count + len(HARDENED_CONFIG))
    env["GIT_TERMINAL_PROMPT"] = "0"
    return env


def check_ref(vcs_ref: str) -> None:
    """Refuse a git ref that git would read as an option or that holds control characters."""
    if not vcs_ref or vcs_ref.startswith("-") or not vcs_ref.isprintable() or " " in vcs_ref:
        raise InvalidAnswerError(
            f"--vcs-ref {vcs_ref!r} is not a git tag, branch or commit: it must not be empty, "
            "start with '-' or hold spaces or control characters."
        )


def checkout(source: str, vcs_ref: str | None, into: Path) -> str:
    """Clone `source` into `into` at `vcs_ref`, else its newest version tag, else HEAD.

    A local repository is cloned as a remote one is (`--no-local`), from its commits:
    its files and configuration are never used in place. Returns the ref checked out.
    """
    git = shutil.which("git")
    if git is None:
        raise RenderError("git is not installed: it is needed for templates from git.")
    if vcs_ref is not None:
        check_ref(vcs_ref)
    url = clone_url(source)
    local = [] if is_remote(source) else ["--no-local"]
    _git(git, "clone", "--quiet", *local, "--", url, str(into))
    ref = vcs_ref or newest_version_tag(git, into) or "HEAD"
    _git(git, "-c", "advice.detachedHead=false", "checkout", "--quiet", ref, "--", cwd=into)
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


def tree_id(folder: Path) -> str:
    """Return the git tree id of `folder` as its own `.gitignore` files select it.

    The same on every machine: no git configuration (user, system or environment), ignore
    or attributes file is read (a `* text` in ~/.config/git/attributes changes blobs).
    """
    git = shutil.which("git")
    if git is None:
        raise RenderError("git is not installed: it is needed to record the render's digest.")
    unread = {"GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "GIT_ATTR_NOSYSTEM": "1"}
    base = {k: v for k, v in os.environ.items() if not k.startswith("GIT_CONFIG")}
    env = {**hardened_env(base), **unread}
    pinned = [git]
    for setting in ("core.excludesFile", "core.attributesFile"):  # read even when unset
        pinned += ["-c", f"{setting}={os.devnull}"]
    with tempfile.TemporaryDirectory(prefix="pyscaffold-digest-") as scratch:
        steps = {
            "init": ["--git-dir", scratch, "init", "--quiet", "--bare"],
            "add": ["--git-dir", scratch, "--work-tree", str(folder), "add", "--all"],
            "write-tree": ["--git-dir", scratch, "write-tree"],
        }
        for name, args in steps.items():
            completed = process.run([*pinned, *args], cwd=folder, env=env, timeout=120)
            if completed.returncode != 0:
                reason = (completed.stderr.strip().splitlines() or ["git failed"])[-1]
                raise RenderError(f"git {name} failed while hashing the render: {reason}")
        return completed.stdout.strip()


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


def init_repository(
    project: Path, message: str, render: tuple[str, str] | None = None
) -> RepositoryOutcome:
    """Make `project` a repository with one commit, or leave it without `.git` at all.

    With `render` (template, version), the commit is marked as the untouched render that
    updates merge from (history.py). A failure is reported in the outcome, not raised; a
    signal removes the half-made `.git` and goes on.
    """
    git = shutil.which("git")
    if git is None:
        return RepositoryOutcome("skipped", "git is not installed")
    if _inside_work_tree(git, project.parent):
        return RepositoryOutcome("skipped", "already inside a git repository; not nesting one")
    branch = _config(git, project.parent, "init.defaultBranch") or "main"
    try:
        _git(git, "init", "--quiet", "--initial-branch", branch, cwd=project)
        _git(git, "add", "--all", cwd=project)
        if render is not None:
            from pyscaffold_fw.history import render_message  # noqa: PLC0415

            tree = _git(git, "write-tree", cwd=project).strip()
            message = render_message(message, *render, tree)
        identity = identity_flags(git, project)
        _git(git, *identity, "commit", "--quiet", "--no-verify", "-m", message, cwd=project)
    except RenderError as error:
        shutil.rmtree(project / ".git", ignore_errors=True)
        return RepositoryOutcome("failed", error.message, branch)
    except BaseException:
        shutil.rmtree(project / ".git", ignore_errors=True)
        raise
    detail = "one initial commit" + (
        " (git had no identity: committed as pyscaffold-fw)" if identity else ""
    )
    return RepositoryOutcome("committed", detail, branch)


def commit_file(project: Path, name: str, message: str) -> bool:
    """Commit the project's file `name`, and nothing else, in a commit of its own.

    Never the render commit: the untouched render stays the first commit, the base of
    every update. Returns False when git already has the file as it is (nothing to commit).
    Git is never cut off halfway; on a failure or a signal the file is left unstaged unless
    its commit was made, so the repository is as before or has the one new commit.
    """
    git = shutil.which("git")
    if git is None:
        raise RenderError("git is not installed")
    try:
        _git(git, "add", "--", name, cwd=project, to_end=True)
        unchanged = _run(git, "diff", "--cached", "--quiet", "--", name, cwd=project, to_end=True)
        if unchanged.returncode == 0:
            return False
        identity = identity_flags(git, project)
        _git(git, *identity, "commit", "--quiet", "--no-verify", "-m", message, "--", name,
             cwd=project, to_end=True)  # fmt: skip
    except BaseException:
        _run(git, "reset", "--quiet", "--", name, cwd=project, to_end=True)
        raise
    return True


def tracks(project: Path, name: str) -> bool:
    """Tell whether the project's repository has `name` in its last commit."""
    git = shutil.which("git")
    if git is None:
        return False
    return _run(git, "cat-file", "-e", f"HEAD:{name}", cwd=project).returncode == 0  # reads


def commit_file_command(project: Path, name: str, message: str) -> str:
    """Return the shell line that commits the project's file `name` by hand."""
    return (
        f"cd {shlex.quote(str(project))} && git add {shlex.quote(name)} && "
        f"git commit -m {shlex.quote(message)}"
    )


def finish_repository_command(project: Path, message: str) -> str:
    """Return the shell line that makes the project a repository by hand."""
    return (
        f"cd {shlex.quote(str(project))} && git init && git add --all && "
        f"git commit -m {shlex.quote(message)}"
    )


def user_identity() -> dict[str, str]:
    """Return git's configured `user.name` and `user.email` (each only when set)."""
    git = shutil.which("git")
    if git is None:
        return {}
    found = {key: _config(git, Path.cwd(), f"user.{key}") for key in ("name", "email")}
    return {key: value for key, value in found.items() if value}


def _inside_work_tree(git: str, folder: Path) -> bool:
    return _run(git, "rev-parse", "--is-inside-work-tree", cwd=folder).stdout.strip() == "true"


def _config(git: str, folder: Path, key: str) -> str:
    return _run(git, "config", "--get", key, cwd=folder).stdout.strip()


def identity_flags(git: str, project: Path) -> list[str]:
    """Return `-c user.*` flags for git when it has no identity configured, else none."""
    if _config(git, project, "user.name") and _config(git, project, "user.email"):
        return []
    name, email = FALLBACK_IDENTITY
    return ["-c", f"user.name={name}", "-c", f"user.email={email}"]


def _git(git: str, *args: str, cwd: Path | None = None, to_end: bool = False) -> str:
    completed = _run(git, *args, cwd=cwd, to_end=to_end)
    if completed.returncode != 0:
        raise git_failure(args, completed.stderr)
    return completed.stdout


def git_failure(args: Sequence[str], stderr: str) -> RenderError:
    """Return the error for a failed git command: its subcommand (after any `-c` flags)
    and git's last line, which says what to do."""
    reason = (stderr.strip().splitlines() or ["git failed"])[-1]
    command = next(arg for arg in args if not arg.startswith("-") and "=" not in arg)
    return RenderError(f"git {command} failed: {reason}")


def _run(
    git: str, *args: str, cwd: Path | None, to_end: bool = False
) -> subprocess.CompletedProcess[str]:
    """Run git; `to_end`: a signal waits until it is done (it writes the index or refs)."""
    run = process.run_to_end if to_end else process.run
    return run([git, *args], cwd=cwd, env=hardened_env(os.environ), timeout=300)
