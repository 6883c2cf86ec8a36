"""Project and package names: normalise them and explain why one is refused."""

from __future__ import annotations

import keyword
import os
import re
import sys
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pyscaffold_fw.errors import InvalidNameError

# Keep in step with the package_name default in the templates' copier.yml.
_SEPARATORS = re.compile(r"[-. ]+")
# Ending in a letter or digit: the distribution name (_ becomes -) must, by PEP 508.
_PACKAGE_NAME = re.compile(r"[a-z](?:[a-z0-9_]*[a-z0-9])?")
# POSIX NAME_MAX on the file systems we meet; os.pathconf refines it where it can.
_DEFAULT_NAME_MAX = 255

# The built-in templates' own limit (their copier.yml validators say the same).
PACKAGE_NAME_MAX = 40


def normalise_package_name(project_name: str) -> str:
    """Turn a project name into the package name it implies: `My Site` -> `my_site`."""
    return _SEPARATORS.sub("_", project_name.strip().lower())


def name_max(directory: Path) -> int:
    """Return the longest file name, in bytes, the file system under `directory` takes."""
    for candidate in (directory, *directory.parents):
        if candidate.exists():
            try:
                return os.pathconf(candidate, "PC_NAME_MAX")
            except (OSError, ValueError, AttributeError):
                return _DEFAULT_NAME_MAX
    return _DEFAULT_NAME_MAX


def check_destination_path(dest: Path) -> None:
    """Refuse a destination whose path holds a control character (a newline, ESC...).

    Such a path breaks the virtualenv's script headers and shell lines we print.
    """
    text = str(dest)
    bad = first_control_character(text)
    if bad is not None:
        raise InvalidNameError(
            f"The destination {text.encode('unicode_escape').decode()} holds the control "
            f"character U+{ord(bad):04X}; choose a name without it."
        )


def first_control_character(text: str, allowed: str = "") -> str | None:
    """Return the first control character (Unicode category Cc) of `text` not in `allowed`."""
    return next((c for c in text if unicodedata.category(c) == "Cc" and c not in allowed), None)


def check_project_name(name: str, parent: Path) -> None:
    """Raise InvalidNameError unless `name` can name a project directory under `parent`."""
    if not name.strip():
        raise InvalidNameError("The project name is empty; give a name such as my-site.")
    if "/" in name or "\0" in name or name in {".", ".."}:
        raise InvalidNameError(f"The project name {name!r} cannot be a directory name.")
    limit = name_max(parent)
    if len(name.encode()) > limit:
        raise InvalidNameError(
            f"The project name is {len(name.encode())} bytes long; "
            f"this file system allows at most {limit}."
        )


def package_name_problem(
    package: str, reserved: Iterable[str], folders: Iterable[str] = ()
) -> str | None:
    """Return why `package` cannot be the project's import name, or None if it can."""
    if not _PACKAGE_NAME.fullmatch(package):
        return "it must be a-z, 0-9 and _, start with a letter, not end in _"
    if len(package) > PACKAGE_NAME_MAX:
        return (
            f"it is {len(package)} characters long, over the starters' limit of {PACKAGE_NAME_MAX}"
        )
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        return "it is a Python keyword"
    if package in sys.stdlib_module_names:
        return "it would shadow the standard-library module of the same name"
    if package == "test":  # left out of sys.stdlib_module_names, yet importable
        return "it would shadow the standard library's test package"
    if package in set(reserved):
        return f"it would shadow the {package} package the project imports"
    if package in set(folders):
        return (
            f"the project's {package}/ folder is git-ignored or written by the starter, "
            "so the package would not be committed"
        )
    return None


def check_package_name(
    package: str,
    project_name: str | None,
    reserved: Iterable[str],
    folders: Iterable[str] = (),
) -> None:
    """Raise InvalidNameError, saying how the name was derived, unless `package` is usable."""
    problem = package_name_problem(package, reserved, folders)
    if problem is None:
        return
    derived = ""
    if project_name is not None and project_name != package:
        derived = f" (normalised from the project name {project_name!r})"
    raise InvalidNameError(
        f"Package name {package!r}{derived} is refused: {problem}. "
        "Choose another name, or pass -d package_name=NAME."
    )
