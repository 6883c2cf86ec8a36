"""The render commits in a project's own git history: the base of every update.

A project's first commit is its untouched render, marked with two trailers:

    Pyscaffold-Template: flask 0.2.0
    Pyscaffold-Render-Tree: <the commit's own tree id>

An update commits the next untouched render as a child of the previous one, with the same
trailers, and merges it into the user's branch. A commit counts as a base only while its
tree is the one its trailer names: a rebase or a squash merge copies the trailer onto a
tree that holds the user's edits, and such a commit must never be taken for the render.

Git runs here in a session of its own and is never cut off halfway (see
`process.run_to_end`): a Ctrl-C reaches us, and we undo whatever git completed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw import process
from pyscaffold_fw.errors import UpdateRefusedError

TEMPLATE_TRAILER = "Pyscaffold-Template"
TREE_TRAILER = "Pyscaffold-Render-Tree"
# For a project in a folder of a larger repository: that folder, where its render sits.
PREFIX_TRAILER = "Pyscaffold-Prefix"
_OPERATIONS = {
    "MERGE_HEAD": "a merge",
    "CHERRY_PICK_HEAD": "a cherry-pick",
    "REVERT_HEAD": "a revert",
    "rebase-merge": "a rebase",
    "rebase-apply": "a rebase or `git am`",
}


def render_message(summary: str, template: str, version: str, tree: str, prefix: str = "") -> str:
    """Return a commit message carrying the render trailers."""
    trailers = [f"{TEMPLATE_TRAILER}: {template} {version}", f"{TREE_TRAILER}: {tree}"]
    if prefix:
        trailers.append(f"{PREFIX_TRAILER}: {prefix}")
    return f"{summary}\n\n" + "\n".join(trailers) + "\n"


@dataclass(frozen=True)
class Base:
    """The last untouched render in the history, and a note when a newer one was skipped."""

    commit: str
    tree: str
    warning: str = ""


@dataclass(frozen=True)
class MergePreview:
    """What merging a render would give, computed without touching anything."""

    tree: str
    conflicts: tuple[str, ...]


class Repository:
    """A project's git repository, seen from the project's root folder."""

    def __init__(self, project: Path) -> None:
        git = shutil.which("git")
        if git is None:
            raise UpdateRefusedError("git is not installed: updates merge with git.")
        self.git_program = git
        self.project = project

    def git(self, *args: str, ok: tuple[int, ...] = (0,), index: Path | None = None) -> str:
        """Run git in the project and return its output; refuse on an unexpected status."""
        completed = self._run(*args, index=index)
        if completed.returncode not in ok:
            from pyscaffold_fw.vcs import git_failure  # noqa: PLC0415

            raise git_failure(args, completed.stderr)
        return completed.stdout

    def status_code(self, *args: str) -> int:
        """Run git and return only its exit status."""
        return self._run(*args).returncode

    def _run(self, *args: str, index: Path | None = None) -> subprocess.CompletedProcess[str]:
        from pyscaffold_fw.vcs import hardened_env  # noqa: PLC0415

        env = hardened_env(os.environ)
        if index is not None:
            env["GIT_INDEX_FILE"] = str(index)
        command = [self.git_program, *args]
        return process.run_to_end(command, cwd=self.project, env=env, timeout=300)

    # -- the state an update starts from --------------------------------------------------

    def top_level(self) -> Path | None:
        """Return the work tree's root, or None outside a repository."""
        if self.status_code("rev-parse", "--is-inside-work-tree") != 0:
            return None
        return Path(self.git("rev-parse", "--show-toplevel").strip())

    def is_shallow(self) -> bool:
        """Tell whether the history was cut off (a depth-limited clone)."""
        return self.git("rev-parse", "--is-shallow-repository").strip() == "true"

    def operation_in_progress(self) -> str | None:
        """Name the merge, rebase, cherry-pick or revert under way, if any."""
        for marker, name in _OPERATIONS.items():
            path = Path(self.git("rev-parse", "--git-path", marker).strip())
            if not path.is_absolute():
                path = self.project / path
            if path.exists():
                return name
        return None

    def changed_tracked_files(self) -> list[str]:
        """Return tracked files with changes not committed (staged or not)."""
        out = self.git("status", "--porcelain=v1", "-z", "--untracked-files=no")
        return [entry[3:] for entry in out.split("\0") if entry]

    def head(self) -> str:
        """Return the commit HEAD points at."""
        return self.git("rev-parse", "--verify", "HEAD^{commit}").strip()

    # -- the base ------------------------------------------------------------------------

    def find_base(self, prefix: str) -> Base | None:
        """Return the newest commit whose tree is the render its trailer names, among the
        renders of the project in `prefix` ("" for the repository's root)."""
        keys = (TREE_TRAILER, PREFIX_TRAILER)
        trailers = "%x1f".join(f"%(trailers:key={key},valueonly,separator=%x20)" for key in keys)
        log = self.git("log", "--topo-order", f"--format=%H%x1f%T%x1f{trailers}%x1e", "HEAD")
        skipped = 0
        for entry in log.split("\x1e"):
            parts = entry.strip("\n").split("\x1f")
            if len(parts) != 4 or not parts[2].strip() or parts[3].strip() != prefix:
                continue
            commit, tree, marked = parts[0], parts[1], parts[2].split()
            if tree in marked:
                warning = (
                    f"{skipped} newer commit(s) carry a render trailer but not the render's "
                    "files (a rebase or squash merge copied it); merging from the render in "
                    f"{commit[:12]}."
                    if skipped
                    else ""
                )
                return Base(commit, tree, warning)
            skipped += 1
        return None

    # -- writing ---------------------------------------------------------------------------

    def commit_folder(self, folder: Path, parent: str | None, message: str, prefix: str) -> str:
        """Commit `folder` (as `git add --all` sees it), placed at `prefix` in an otherwise
        empty tree, as a child of `parent` (None: a root commit); return the commit.

        Only objects are written: HEAD, the index and the work tree stay as they are.
        `{tree}` in `message` becomes the commit's tree id. A render at a prefix merges
        into a larger repository like any other: outside the prefix it changes nothing.
        """
        with tempfile.TemporaryDirectory(prefix="pyscaffold-index-") as scratch:
            index = Path(scratch) / "index"
            self.git("--work-tree", str(folder), "add", "--all", index=index)
            tree = self.git("write-tree", index=index).strip()
            if prefix:
                placed = Path(scratch) / "placed"
                self.git("read-tree", f"--prefix={prefix}/", tree, index=placed)
                tree = self.git("write-tree", index=placed).strip()
        return self.commit_tree(tree, parent, message.replace("{tree}", tree))

    def commit_tree(self, tree: str, parent: str | None, message: str) -> str:
        """Write a commit object for `tree` with one parent (or none); return its id."""
        from pyscaffold_fw.vcs import identity_flags  # noqa: PLC0415

        identity = identity_flags(self.git_program, self.project)
        parents = ["-p", parent] if parent is not None else []
        return self.git(*identity, "commit-tree", tree, *parents, "-m", message).strip()

    def tree_of(self, commit: str) -> str:
        """Return a commit's tree id."""
        return self.git("rev-parse", f"{commit}^{{tree}}").strip()

    def preview_merge(self, commit: str) -> MergePreview:
        """Merge `commit` into HEAD in memory: the resulting tree and the conflicted files."""
        out = self.git(
            "merge-tree", "--write-tree", "--name-only", "--no-messages", "HEAD", commit, ok=(0, 1)
        )
        lines = out.split("\n")
        conflicts = tuple(dict.fromkeys(line for line in lines[1:] if line))
        return MergePreview(lines[0].strip(), conflicts)

    def changed_between(self, old: str, new: str) -> list[tuple[str, str]]:
        """Return (status letter, path) for each file that differs between two trees."""
        out = self.git("diff-tree", "-r", "--no-renames", "--name-status", "-z", old, new)
        fields = [field for field in out.split("\0") if field]
        return list(zip(fields[::2], fields[1::2], strict=True))

    def diff(self, old: str, new: str) -> str:
        """Return the unified diff between two trees."""
        return self.git("diff", "--no-color", "--no-ext-diff", "--no-renames", old, new)

    def merge(self, commit: str, message: str, owned: tuple[str, ...] = ()) -> tuple[str, ...]:
        """Merge `commit` into the branch; return the conflicted files (empty: merged).

        A conflict in an `owned` file (the answers file, which only the tool writes) is
        settled with the render's version.
        """
        from pyscaffold_fw.vcs import identity_flags  # noqa: PLC0415

        identity = identity_flags(self.git_program, self.project)
        completed = self._run(*identity, "merge", "--no-ff", "--no-edit", "-m", message, commit)
        if completed.returncode == 0:
            return ()
        unmerged = self.git("diff", "--name-only", "-z", "--diff-filter=U")
        conflicts = tuple(name for name in unmerged.split("\0") if name)
        if not conflicts:
            reason = " ".join(completed.stderr.split()) or "git merge failed"
            raise UpdateRefusedError(f"git merge refused: {reason}")
        settled = [name for name in conflicts if name in owned]
        if settled:
            self.git("checkout", "--theirs", "--", *settled)
            self.git("add", "--", *settled)
        left = tuple(name for name in conflicts if name not in owned)
        if not left:
            self.git(*identity, "commit", "--quiet", "--no-edit", "--no-verify")
        return left

    def adopt(self, commit: str, message: str, owned: dict[str, bytes]) -> None:
        """Make `commit` (a render) an ancestor of the branch, keeping every file as it is
        (`git merge -s ours`), but for the `owned` files, written with the given content."""
        from pyscaffold_fw.vcs import identity_flags  # noqa: PLC0415

        identity = identity_flags(self.git_program, self.project)
        self.git(
            *identity, "merge", "--quiet", "-s", "ours", "--allow-unrelated-histories",
            "--no-commit", commit,
        )  # fmt: skip
        for name, content in owned.items():
            (self.project / name).write_bytes(content)
            self.git("add", "--", name)
        self.git(*identity, "commit", "--quiet", "--no-verify", "-m", message)

    def restore(self, head: str) -> None:
        """Put HEAD, the index and the work tree back to `head` after a cut-off update."""
        if self.operation_in_progress() == "a merge":
            self.git("merge", "--abort", ok=(0, 128))
        if self.head() != head:
            self.git("reset", "--quiet", "--hard", head)
