"""Our own rules for our own templates: DEST names the project, and the package name must
import. Another template's questions are that template's, decided by Copier alone."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pyscaffold_fw import names
from pyscaffold_fw.catalog import TemplateInfo
from pyscaffold_fw.dependency_imports import dependency_imports
from pyscaffold_fw.errors import InvalidNameError
from pyscaffold_fw.registry import COMMON_FOLDERS, COMMON_IMPORTS


def applies(template: TemplateInfo) -> bool:
    """Tell whether the template is one of ours (built in)."""
    return template.origin == "built-in"


def given_by_destination(template: TemplateInfo, dest: Path) -> dict[str, str]:
    """Return the answers DEST gives one of our templates: its folder name is the project's."""
    return {"project_name": dest.name} if applies(template) else {}


def given_by_git(template: TemplateInfo) -> dict[str, str]:
    """Return the author answers git's own identity gives our templates, as `uv init`
    takes them (a "Your Name" default would end up in the LICENSE)."""
    if not applies(template):
        return {}
    from pyscaffold_fw.vcs import user_identity  # noqa: PLC0415

    identity = user_identity()
    answers = {"author_name": identity.get("name", ""), "author_email": identity.get("email", "")}
    return {key: value for key, value in answers.items() if value and value.isprintable()}


def package_problem(template: TemplateInfo, answers: Mapping[str, Any]) -> str | None:
    """Return why the package name Copier settled on cannot be used, or None."""
    if not applies(template) or "package_name" not in answers:
        return None
    try:
        check_answers(template, answers, typed=False)
    except InvalidNameError as error:
        return error.message
    return None


def check_answers(template: TemplateInfo, answers: Mapping[str, Any], *, typed: bool) -> None:
    """Raise InvalidNameError when one of our templates got a package name that won't import.

    `typed`: the user gave the package name, rather than letting it follow the project's.
    """
    if not applies(template) or "package_name" not in answers:
        return
    framework = template.framework
    reserved = (
        *(framework.imports if framework else ()),
        *dependency_imports(template.id),
        *COMMON_IMPORTS,
    )
    project_name = None if typed else answers.get("project_name")
    names.check_package_name(
        str(answers["package_name"]),
        None if project_name is None else str(project_name),
        reserved,
        (*(framework.folders if framework else ()), *COMMON_FOLDERS),
    )
