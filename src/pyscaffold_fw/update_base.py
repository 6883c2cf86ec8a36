"""Where an update starts: the repository holding the project, the project's folder in
it, the render to merge from, and the states an update refuses to start from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw.errors import UpdateRefusedError
from pyscaffold_fw.history import Base, Repository


@dataclass(frozen=True)
class ProjectRepository:
    """The repository holding the project, and where in it the project is."""

    repository: Repository  # run at the repository's root
    prefix: str  # the project's folder in the repository; "" at its root

    def path(self, name: str) -> str:
        """Return a project file's path in the repository."""
        return f"{self.prefix}/{name}" if self.prefix else name


@dataclass(frozen=True)
class History(ProjectRepository):
    """A project's repository with the render an update merges from."""

    base: Base


def check_history(project: Path) -> History | None:
    """The history --check lists changed files from, when there is one (never refused;
    --check has made sure git is installed)."""
    located = locate_repository(project)
    if located is None or located[0].is_shallow():
        return None
    repository, prefix = located
    base = repository.find_base(prefix)
    return History(repository, prefix, base) if base is not None else None


def locate_repository(project: Path) -> tuple[Repository, str] | None:
    """Return the repository holding `project` (run at its root) and the project's folder
    in it, or None outside a repository."""
    top = Repository(project).top_level()
    if top is None:
        return None
    prefix = project.resolve().relative_to(top.resolve()).as_posix()
    return Repository(top), "" if prefix == "." else prefix


def merge_history(project: Path, mode: str) -> History:
    """Find the repository and the base; refuse a state an update must not start from."""
    located = locate_repository(project)
    if located is None:
        raise UpdateRefusedError(
            f"{project} is not a git repository: an update merges into the project's own "
            "history, which starts at its untouched render. Nothing was changed."
        )
    repository, prefix = located
    if repository.is_shallow():
        raise UpdateRefusedError(
            "This clone is shallow: the render an update merges from is cut off. Run "
            "`git fetch --unshallow`, then update again. Nothing was changed."
        )
    if mode == "update":
        refuse_unfinished_work(repository)
    base = repository.find_base(prefix)
    if base is None:
        raise UpdateRefusedError(
            f"{project} has no render commit in its history (made with --no-git or inside "
            "a larger repository, or its history was squashed), so there is no base to "
            "merge from. `pyscaffold-fw update --adopt` adds one, keeping every file as it "
            "is. Nothing was changed."
        )
    return History(repository, prefix, base)


def refuse_unfinished_work(repository: Repository) -> None:
    """Refuse a merge, rebase or cherry-pick under way, or uncommitted changes."""
    operation = repository.operation_in_progress()
    if operation is not None:
        raise UpdateRefusedError(
            f"The repository is in the middle of {operation}; finish or abort it first. "
            "Nothing was changed."
        )
    dirty = repository.changed_tracked_files()
    if dirty:
        raise UpdateRefusedError(
            f"Uncommitted changes to {', '.join(dirty[:5])}"
            f"{' and more' if len(dirty) > 5 else ''}: commit or stash them first. "
            "Nothing was changed."
        )
