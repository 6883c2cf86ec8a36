"""The environment files of a project: `.env.example` (tracked) and `.env` (git-ignored,
holding secrets). An update never overwrites `.env`: it names what to set, and adds only
the variables `.env` lacks, with the fresh values of the new render."""

from __future__ import annotations

from pathlib import Path

EXAMPLE = ".env.example"
LOCAL = ".env"


def read(path: Path) -> dict[str, str]:
    """Return the NAME=value assignments of a dotenv file (none when it is missing)."""
    if not path.is_file():
        return {}
    values: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        name, sep, value = line.strip().removeprefix("export ").partition("=")
        if sep and name and not name.startswith("#"):
            values[name.strip()] = value.strip()
    return values


def new_names(project: Path, render: Path) -> tuple[str, ...]:
    """Return the variables the new render's `.env.example` adds or changes."""
    before = read(project / EXAMPLE)
    after = read(render / EXAMPLE)
    return tuple(name for name, value in after.items() if before.get(name) != value)


def add_missing(project: Path, render: Path) -> tuple[str, ...]:
    """Append to the project's `.env` (only if it exists) each variable of the new render's
    `.env` it lacks; return their names. Values are never shown."""
    local = project / LOCAL
    if not local.is_file():
        return ()
    present = read(local)
    fresh = read(render / LOCAL)
    missing = [name for name in fresh if name not in present]
    if missing:
        # Bytes: the user's lines stay as written, whatever their encoding.
        kept = local.read_bytes()
        lines = "".join(f"{name}={fresh[name]}\n" for name in missing).encode("utf-8")
        separator = b"" if not kept or kept.endswith(b"\n") else b"\n"
        local.write_bytes(kept + separator + lines)
    return tuple(missing)


def saved(project: Path) -> bytes | None:
    """Return the project's `.env` as it is, to restore after a cut-off update."""
    local = project / LOCAL
    return local.read_bytes() if local.is_file() else None


def restore(project: Path, content: bytes | None) -> None:
    """Put back the `.env` that `saved` returned."""
    if content is not None:
        (project / LOCAL).write_bytes(content)
