"""Project and package names: normalisation and the reasons a name is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyscaffold_fw import names
from pyscaffold_fw.errors import InvalidNameError


@pytest.mark.parametrize(
    ("project_name", "expected"),
    [
        ("my-site", "my_site"),
        ("My Site", "my_site"),
        ("shop.api", "shop_api"),
        ("  Tight  ", "tight"),
        ("a--b  c", "a_b_c"),
        ("-x", "_x"),
    ],
    ids=["hyphen", "space-and-case", "dot", "surrounding-space", "runs", "leading-hyphen"],
)
def test_normalise_package_name(project_name: str, expected: str) -> None:
    assert expected == names.normalise_package_name(project_name)


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("123", "must start with a letter"),
        ("_x", "must start with a letter"),
        ("class", "keyword"),
        ("match", "keyword"),
        ("email", "standard-library"),
        ("flask", "flask package"),
        ("my-site", "must start with a letter"),
        ("café", "must start with a letter"),
    ],
    ids=[
        "digits",
        "underscore",
        "keyword",
        "soft-keyword",
        "stdlib",
        "framework",
        "hyphen",
        "non-ascii",
    ],
)
def test_package_name_problem_names_the_reason(package: str, reason: str) -> None:
    problem = names.package_name_problem(package, reserved=["flask"])
    assert problem is not None
    assert reason in problem


@pytest.mark.parametrize(
    "package", ["my_site", "shop2", "a"], ids=["underscore", "digit", "one-letter"]
)
def test_package_name_problem_accepts_good_names(package: str) -> None:
    assert names.package_name_problem(package, reserved=["flask"]) is None


def test_check_package_name_explains_normalisation() -> None:
    with pytest.raises(
        InvalidNameError, match=r"'class' \(normalised from the project name 'Class'\)"
    ):
        names.check_package_name("class", "Class", reserved=[])


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "empty"), ("   ", "empty"), ("a/b", "directory name"), ("..", "directory name")],
    ids=["empty", "blank", "slash", "dotdot"],
)
def test_check_project_name_refuses(name: str, reason: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidNameError, match=reason):
        names.check_project_name(name, tmp_path)


def test_check_project_name_refuses_names_longer_than_the_file_system_allows(
    tmp_path: Path,
) -> None:
    limit = names.name_max(tmp_path)
    names.check_project_name("a" * limit, tmp_path)
    with pytest.raises(InvalidNameError, match=f"at most {limit}"):
        names.check_project_name("a" * (limit + 1), tmp_path)
