"""Our naming rules hold for our own templates, and for no one else's."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pyscaffold_fw import house_rules
from pyscaffold_fw.catalog import TemplateInfo, find_template
from pyscaffold_fw.errors import InvalidNameError


def someone_elses(tmp_path: Path) -> TemplateInfo:
    return TemplateInfo("theirs", "path", str(tmp_path), "")


def test_destination_names_only_our_projects(tmp_path: Path) -> None:
    dest = tmp_path / "shop"
    assert {"project_name": "shop"} == house_rules.given_by_destination(
        find_template("flask"), dest
    )
    assert {} == house_rules.given_by_destination(someone_elses(tmp_path), dest)


@pytest.mark.parametrize(
    ("answers", "typed", "expected"),
    [
        ({"project_name": "Class", "package_name": "class"}, False, "'class' (normalised"),
        ({"project_name": "Shop", "package_name": "flask"}, True, "would shadow the flask"),
        ({"project_name": "my os", "package_name": "os"}, False, "normalised from the project"),
    ],
    ids=["keyword", "framework-typed", "stdlib-derived"],
)
def test_our_templates_refuse_package_names_that_will_not_import(
    answers: dict[str, str], typed: bool, expected: str
) -> None:
    with pytest.raises(InvalidNameError, match=re.escape(expected)) as caught:
        house_rules.check_answers(find_template("flask"), answers, typed=typed)
    assert ("normalised from" in caught.value.message) is not typed


@pytest.mark.parametrize(
    ("framework", "package"),
    [("flask", "blinker"), ("fastapi", "pluggy"), ("fastapi", "annotated_doc")],
)
def test_a_package_named_like_a_dependency_of_the_starter_is_refused(
    framework: str, package: str
) -> None:
    """Found in the install's closure (dependency_imports.json), not only the direct ones."""
    answers = {"project_name": "Shop", "package_name": package}
    with pytest.raises(InvalidNameError, match=f"would shadow the {package} package"):
        house_rules.check_answers(find_template(framework), answers, typed=True)


def test_someone_elses_template_keeps_its_own_package_names(tmp_path: Path) -> None:
    answers = {"project_name": "collective.todos", "package_name": "class"}
    house_rules.check_answers(someone_elses(tmp_path), answers, typed=True)
    assert house_rules.package_problem(someone_elses(tmp_path), answers) is None


def test_the_wizard_hears_why_our_rules_refuse_a_package_name() -> None:
    # The wizard asks again after the package name followed the project's: it says so.
    answers = {"project_name": "Class", "package_name": "class"}
    problem = house_rules.package_problem(find_template("flask"), answers)
    expected = (
        "Package name 'class' (normalised from the project name 'Class') is refused: "
        "it is a Python keyword. Choose another name, or pass -d package_name=NAME."
    )
    assert expected == problem
    assert house_rules.package_problem(find_template("flask"), {"project_name": "x"}) is None


@pytest.mark.parametrize(
    ("framework", "package"),
    [("django", "media"), ("django", "staticfiles"), ("flask", "instance")],
    ids=["django-media-root", "django-static-root", "common-instance"],
)
def test_a_package_named_like_a_folder_the_starter_ignores_is_refused(
    framework: str, package: str
) -> None:
    """The starter's own folders (its MEDIA_ROOT, git-ignored output) and the common ones."""
    answers = {"project_name": "Shop", "package_name": package}
    expected = (
        f"the project's {package}/ folder is git-ignored or written by the starter, so the "
        "package would not be committed"
    )
    with pytest.raises(InvalidNameError, match=re.escape(expected)):
        house_rules.check_answers(find_template(framework), answers, typed=True)


@pytest.mark.parametrize("package", ["pages", "users", "manage"])
def test_a_package_named_like_one_of_djangos_own_modules_is_refused(package: str) -> None:
    """The starter's own apps and manage.py, in no dependency's list."""
    answers = {"project_name": "Shop", "package_name": package}
    with pytest.raises(InvalidNameError, match=f"would shadow the {package} package"):
        house_rules.check_answers(find_template("django"), answers, typed=True)
