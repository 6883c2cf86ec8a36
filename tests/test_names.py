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


NOT_A_PACKAGE_NAME = "it must be a-z, 0-9 and _, start with a letter, not end in _"


@pytest.mark.parametrize(
    ("package", "reason"),
    [
        ("123", NOT_A_PACKAGE_NAME),
        ("_x", NOT_A_PACKAGE_NAME),
        ("site_", NOT_A_PACKAGE_NAME),  # its distribution name site- is not one
        ("class", "it is a Python keyword"),
        ("match", "it is a Python keyword"),
        ("email", "it would shadow the standard-library module of the same name"),
        ("test", "it would shadow the standard library's test package"),
        (
            "a" * 41,
            "it is 41 characters long, over the starters' limit of 40",
        ),
        ("flask", "it would shadow the flask package the project imports"),
        (
            "staticfiles",
            "the project's staticfiles/ folder is git-ignored or written by the "
            "starter, so the package would not be committed",
        ),
        ("my-site", NOT_A_PACKAGE_NAME),
        ("café", NOT_A_PACKAGE_NAME),
    ],
    ids=[
        "digits",
        "underscore",
        "trailing-underscore",
        "keyword",
        "soft-keyword",
        "stdlib",
        "stdlib-test-package",
        "too-long",
        "framework",
        "root-folder",
        "hyphen",
        "non-ascii",
    ],
)
def test_package_name_problem_names_the_reason(package: str, reason: str) -> None:
    assert reason == names.package_name_problem(
        package, reserved=["flask"], folders=["staticfiles"]
    )


@pytest.mark.parametrize(
    "package",
    ["my_site", "shop2", "a", "a" * 40],
    ids=["underscore", "digit", "one-letter", "at-the-length-limit"],
)
def test_package_name_problem_accepts_good_names(package: str) -> None:
    assert names.package_name_problem(package, reserved=["flask"]) is None


@pytest.mark.parametrize(
    ("package", "project_name", "derived"),
    [
        ("class", "Class", " (normalised from the project name 'Class')"),
        ("class", "class", ""),
        ("class", None, ""),
    ],
    ids=["normalised", "same-as-project-name", "given-directly"],
)
def test_check_package_name_says_how_the_name_was_derived(
    package: str, project_name: str | None, derived: str
) -> None:
    with pytest.raises(InvalidNameError) as raised:
        names.check_package_name(package, project_name, reserved=[])
    expected = (
        f"Package name 'class'{derived} is refused: it is a Python keyword. "
        "Choose another name, or pass -d package_name=NAME."
    )
    assert expected == str(raised.value)


EMPTY = "The project name is empty; give a name such as my-site."


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("", EMPTY),
        ("   ", EMPTY),
        ("a/b", "The project name 'a/b' cannot be a directory name."),
        ("..", "The project name '..' cannot be a directory name."),
        (".", "The project name '.' cannot be a directory name."),
        ("a\0b", "The project name 'a\\x00b' cannot be a directory name."),
    ],
    ids=["empty", "blank", "slash", "dotdot", "dot", "nul"],
)
def test_check_project_name_refuses(name: str, expected: str, tmp_path: Path) -> None:
    with pytest.raises(InvalidNameError) as raised:
        names.check_project_name(name, tmp_path)
    assert expected == str(raised.value)


def test_check_project_name_refuses_names_longer_than_the_file_system_allows(
    tmp_path: Path,
) -> None:
    limit = names.name_max(tmp_path)
    names.check_project_name("a" * limit, tmp_path)
    with pytest.raises(InvalidNameError, match=f"at most {limit}"):
        names.check_project_name("a" * (limit + 1), tmp_path)


def test_the_name_limit_is_the_file_systems_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """eCryptfs, for one, allows 143 bytes: the limit comes from pathconf, not a constant."""

    def pathconf(path: object, name: str) -> int:
        if name != "PC_NAME_MAX":
            raise ValueError(name)
        return 143

    monkeypatch.setattr(names.os, "pathconf", pathconf)
    assert 143 == names.name_max(tmp_path / "not" / "yet")


def test_a_destination_with_a_control_character_is_refused_naming_it(tmp_path: Path) -> None:
    dest = tmp_path / "a\nb"
    with pytest.raises(InvalidNameError) as raised:
        names.check_destination_path(dest)
    expected = (
        f"The destination {tmp_path}/a\\nb holds the control character U+000A; "
        "choose a name without it."
    )
    assert expected == str(raised.value)


def test_a_destination_without_control_characters_passes(tmp_path: Path) -> None:
    names.check_destination_path(tmp_path / "my site é")  # raises when refused


@pytest.mark.parametrize(
    ("text", "allowed", "expected"),
    [
        ("plain é 😀", "", None),
        ("a\x1bb", "", "\x1b"),
        ("a\tb\x1b", "\t", "\x1b"),
        ("a\tb", "\t", None),
        ("a\x7fb", "", "\x7f"),
    ],
    ids=["none", "escape", "allowed-tab-skipped", "only-allowed", "delete"],
)
def test_first_control_character(text: str, allowed: str, expected: str | None) -> None:
    assert expected == names.first_control_character(text, allowed)
