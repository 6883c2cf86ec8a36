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
        text = local.read_text(encoding="utf-8")
        lines = [f"{name}={fresh[name]}" for name in missing]
        separator = "" if not text or text.endswith("\n") else "\n"
        local.write_text(text + separator + "\n".join(lines) + "\n", encoding="utf-8")
    return tuple(missing)


def saved(project: Path) -> str | None:
    """Return the project's `.env` text, to restore after a cut-off update."""
    local = project / LOCAL
    return local.read_text(encoding="utf-8") if local.is_file() else None


def restore(project: Path, text: str | None) -> None:
    """Put back the `.env` text `saved` returned."""
    if text is not None:
        (project / LOCAL).write_text(text, encoding="utf-8")
