"""Every template the tool can use: built-in, the user's templates folder, plugins, paths.

Precedence for one id: the user's templates folder, then plugins, then the built-ins, so a
team can replace a built-in without forking the tool. Listing never imports Copier.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pyscaffold_fw.errors import (
    DestinationError,
    KeptAfterInterruptError,
    TemplateSourceError,
    UnknownFrameworkError,
)
from pyscaffold_fw.questions import CONFIG_NAMES
from pyscaffold_fw.registry import FRAMEWORKS, Framework, templates_root

TEMPLATES_ENV = "PYSCAFFOLD_FW_TEMPLATES"
PLUGIN_GROUP = "pyscaffold_fw.templates"
ORIGINS = ("user", "plugin", "built-in")  # highest precedence first
# Shipped with the tool or installed as a package on purpose: checking such a template may
# run its code. A user folder, a path or a git URL may come from anyone, even under a
# built-in's id.
TRUSTED_ORIGINS = frozenset({"built-in", "plugin"})


@dataclass(frozen=True)
class TemplateInfo:
    """Where a template comes from, and the built-in framework it stands for, if any."""

    id: str
    origin: str  # built-in, user, plugin, path or git
    location: str  # a folder, or a git URL for origin "git"
    description: str
    framework: Framework | None = None
    vcs_ref: str | None = None

    @property
    def trusted_by_default(self) -> bool:
        """Tell whether the template's code may run without --trust (built-in or plugin)."""
        return self.origin in TRUSTED_ORIGINS

    @property
    def path(self) -> Path:
        """Return the template folder (local templates)."""
        return Path(self.location)

    def to_json(self) -> dict[str, str | None]:
        """Return the listing entry as JSON values."""
        return {
            "id": self.id,
            "origin": self.origin,
            "location": self.location,
            "description": self.description,
        }


def user_templates_dir() -> Path:
    """Return the user's templates folder (PYSCAFFOLD_FW_TEMPLATES or the config dir)."""
    configured = os.environ.get(TEMPLATES_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_path  # noqa: PLC0415  (only when looking)

    return user_config_path("pyscaffold-fw") / "templates"


# How much of a copier.yml `templates list` reads to find the description comment.
DESCRIPTION_BYTES = 4096


def describe(template: Path) -> str:
    """Return the template's description: the first comment line of its copier.yml."""
    for name in CONFIG_NAMES:
        config = template / name
        if config.is_file():
            with config.open(encoding="utf-8", errors="replace") as file:
                head = file.read(DESCRIPTION_BYTES)  # the first comment, not a whole file
                for line in head.splitlines():
                    if line.startswith("#"):
                        text = line.lstrip("#").strip().removeprefix("Copier template:").strip()
                        return text[:1].upper() + text[1:]
                    if line.strip():
                        break
    return ""


def is_template(folder: Path) -> bool:
    """Tell whether a folder holds a Copier template."""
    return any((folder / name).is_file() for name in CONFIG_NAMES)


def list_templates() -> list[TemplateInfo]:
    """Return every usable template, one per id, the winning origin for each."""
    found: dict[str, TemplateInfo] = {}
    for info in (*_user_templates(), *_plugin_templates(), *_builtin_templates()):
        found.setdefault(info.id, info)
    return sorted(found.values(), key=lambda info: info.id)


def find_template(template_id: str) -> TemplateInfo:
    """Return the template `--framework ID` uses, or explain why there is none."""
    templates = list_templates()  # one scan of the folders and plugins
    for info in templates:
        if info.id == template_id:
            return info
    known = {f.id: f for f in FRAMEWORKS}
    usable = ", ".join(info.id for info in templates)
    if template_id in known:
        raise UnknownFrameworkError(
            f"The {known[template_id].title} starter is not available yet; available now: {usable}."
        )
    raise UnknownFrameworkError(f"Unknown framework {template_id!r}; choose one of: {usable}.")


def _builtin_templates() -> Iterator[TemplateInfo]:
    root = templates_root()
    for framework in FRAMEWORKS:
        if framework.available:
            path = root / framework.id
            yield TemplateInfo(framework.id, "built-in", str(path), describe(path), framework)


def _user_templates() -> Iterator[TemplateInfo]:
    folder = user_templates_dir()
    if not folder.is_dir():
        return
    for path in sorted(folder.iterdir()):
        if path.is_dir() and is_template(path):
            yield TemplateInfo(path.name, "user", str(path), describe(path), _framework(path.name))


def _plugin_templates() -> Iterator[TemplateInfo]:
    """Templates from installed packages: `<id> = "package:folder"` in the entry-point group."""
    from importlib.metadata import entry_points  # noqa: PLC0415  (slow; only when listing)
    from importlib.resources import files  # noqa: PLC0415

    for entry in entry_points(group=PLUGIN_GROUP):
        try:
            path = Path(str(files(entry.module))) / (entry.attr or "")
        except (ModuleNotFoundError, TypeError):
            continue  # a broken plugin must not break the tool
        if is_template(path):
            yield TemplateInfo(
                entry.name, "plugin", str(path), describe(path), _framework(entry.name)
            )


def _framework(template_id: str) -> Framework | None:
    return next((f for f in FRAMEWORKS if f.id == template_id), None)


def local_template_info(source: str, vcs_ref: str | None = None) -> TemplateInfo:
    """Describe a `--template` source: a folder, a local git repository or a git URL."""
    from pyscaffold_fw import vcs  # noqa: PLC0415

    if vcs.is_remote(source):
        name = source.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git") or source
        return TemplateInfo(name, "git", source, f"git template {source}", None, vcs_ref)
    path = Path(source).expanduser().absolute()
    if not path.is_dir():
        raise TemplateSourceError(f"Template {source} does not exist or is not a folder.")
    if vcs.is_local_repository(path):
        return TemplateInfo(path.name, "git", str(path), describe(path), None, vcs_ref)
    if not is_template(path):
        raise TemplateSourceError(f"{source} is not a Copier template: it has no copier.yml.")
    return TemplateInfo(path.name, "path", str(path), describe(path))


def symlinks_leaving(folder: Path) -> list[Path]:
    """Return the symbolic links under `folder` that point outside it."""
    root = folder.resolve()
    return [
        link
        for link in sorted(folder.rglob("*"))
        if link.is_symlink() and not link.resolve().is_relative_to(root)
    ]


def export_template(template: TemplateInfo, dest: Path) -> list[str]:
    """Copy a template out as a standalone Copier template; return the files copied.

    Copied beside `dest` and moved into place in one step: a full disk or a signal
    leaves no partial export.
    """
    from pyscaffold_fw.placement import (  # noqa: PLC0415
        Placement,
        created_parents,
        move_into_place,
        staging_dir,
    )
    from pyscaffold_fw.render import check_destination  # noqa: PLC0415

    dest = dest.absolute()
    check_destination(dest)
    placement = Placement()
    try:
        with created_parents(dest.parent), staging_dir(dest.parent) as staging:
            files = _copy_template(template.path, staging / dest.name)
            move_into_place(staging / dest.name, dest, placement)
    except KeyboardInterrupt as interrupt:
        if not placement.done:
            raise
        raise KeptAfterInterruptError(
            f"Interrupted. The template was exported to {dest}, complete.", interrupt
        ) from None
    return files


def _copy_template(source: Path, target: Path) -> list[str]:
    import shutil  # noqa: PLC0415

    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    try:
        shutil.copytree(source, target, symlinks=True, ignore=ignore)
    except shutil.Error as error:  # copytree gathers one (source, target, reason) per file
        reason = error.args[0][0][2] if error.args and error.args[0] else str(error)
        raise DestinationError(f"Exporting failed: {reason}. Nothing was written.") from None
    except OSError as error:
        raise DestinationError(
            f"Exporting failed: {error.strerror or error}. Nothing was written."
        ) from None
    return sorted(str(p.relative_to(target)) for p in target.rglob("*") if p.is_file())
