"""Put a finished folder in place whole: staged beside its destination, moved in one step,
one winner when two runs race for the same destination, and no signal half-way."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw.errors import DestinationError, RenderError
from pyscaffold_fw.process import signals_held  # held while a move is under way


@contextmanager
def staging_dir(parent: Path) -> Iterator[Path]:
    """Yield a fresh hidden folder in `parent`; remove it and whatever is left in it after."""
    try:
        staging = Path(tempfile.mkdtemp(prefix=".pyscaffold-", dir=parent))
    except OSError as error:
        raise DestinationError(
            f"Cannot write in {parent}: {error.strerror}. Nothing was written."
        ) from None
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def created_parents(parent: Path) -> Iterator[None]:
    """Create missing parent folders, and remove them again if the block fails."""
    missing = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DestinationError(f"Cannot create {parent}: {error.strerror}.") from None
    try:
        yield
    except BaseException:
        for folder in missing:  # deepest first, and only while still empty
            with suppress(OSError):
                folder.rmdir()
        raise


@dataclass
class Placement:
    """Whether the folder reached its destination: what a signal's report must say."""

    done: bool = False


def move_into_place(source: Path, dest: Path, placement: Placement) -> None:
    """Move the folder `source` to `dest`, which is absent or an empty directory.

    When another run filled `dest` meanwhile, refuse without touching its files. Signals
    are held until `placement` says where the folder is.
    """
    with signals_held():
        _move(source, dest)
        placement.done = True


def _move(source: Path, dest: Path) -> None:
    try:
        if dest.is_dir() and not dest.is_symlink():
            _move_entries_into_empty(source, dest)
        else:
            os.rename(source, dest)  # refuses a non-empty directory: the other run won
    except OSError as error:
        if error.errno in (errno.EEXIST, errno.ENOTEMPTY):
            raise _taken(dest) from None
        raise RenderError(f"Moving into {dest} failed: {error.strerror}.") from None


def _move_entries_into_empty(source: Path, dest: Path) -> None:
    """Move each entry of `source` into `dest` under a lock on `dest`; undo all on failure.

    `dest` may be the user's working directory, so it is filled, never replaced.
    """
    import fcntl  # noqa: PLC0415  (POSIX only; needed only for an existing directory)

    folder = os.open(dest, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _taken(dest) from None
        if any(dest.iterdir()):
            raise _taken(dest)
        moved: list[Path] = []
        try:
            for entry in sorted(source.iterdir()):
                os.rename(entry, dest / entry.name)
                moved.append(dest / entry.name)
        except BaseException:
            for path in moved:
                os.rename(path, source / path.name)
            raise
    finally:
        os.close(folder)  # releases the lock


def _taken(dest: Path) -> DestinationError:
    return DestinationError(
        f"{dest} was filled by another run while this one worked; "
        "its files are untouched and this run wrote nothing."
    )
