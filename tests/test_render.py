"""Rendering is all or nothing: a failing template leaves no trace beside the destination."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyscaffold_fw.copier_errors import _describe
from pyscaffold_fw.errors import (
    DestinationError,
    InvalidAnswerError,
    RenderError,
)
from pyscaffold_fw.render import check_destination, render


def make_template(root: Path, files: dict[str, str], copier_yml: str = "") -> Path:
    template = root / "template-src"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\n" + copier_yml, encoding="utf-8")
    for name, text in files.items():
        path = template / "template" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return template


def test_render_lists_files_and_recorded_answers(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {
            "README.md.jinja": "# {{ name }}\n",
            "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
        },
        "name:\n  type: str\n  default: demo\n",
    )
    rendered = render(template, tmp_path / "out", {"name": "shop"}, pretend=False)
    assert (".copier-answers.yml", "README.md") == rendered.files
    assert {"name": "shop"} == dict(rendered.answers)
    assert "# shop\n" == (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_a_template_error_leaves_nothing_behind(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {"a.txt": "fine", "b.txt.jinja": "{% if %}"},
    )
    before = sorted(tmp_path.iterdir())
    with pytest.raises(RenderError, match="Copier could not render"):
        render(template, tmp_path / "deep" / "out", {}, pretend=False)
    assert before == sorted(tmp_path.iterdir())


GOOD_FILES = {f"good{index:02}.txt.jinja": "{{ 6 * 7 }}" for index in range(30)}


@pytest.mark.parametrize(
    "broken", ["zz-last.txt.jinja", "00-first.txt.jinja"], ids=["broken-last", "broken-first"]
)
def test_thirty_good_files_and_one_failing_leave_nothing_half_made(
    tmp_path: Path, broken: str
) -> None:
    """Whatever order Copier writes in, a failure leaves no destination and no staging."""
    template = make_template(tmp_path / "src", {**GOOD_FILES, broken: "{{ 1 // 0 }}"})
    dest = tmp_path / "work" / "out"
    dest.parent.mkdir()
    with pytest.raises(RenderError, match="ZeroDivisionError"):
        render(template, dest, {}, pretend=False)
    assert [] == list(dest.parent.iterdir())


def test_a_failing_validator_is_an_input_error(tmp_path: Path) -> None:
    template = make_template(
        tmp_path,
        {"a.txt": "x"},
        'port:\n  type: int\n  default: 1\n  validator: "{% if port < 1024 %}too low{% endif %}"\n',
    )
    with pytest.raises(InvalidAnswerError, match="too low"):
        render(template, tmp_path / "out", {"port": 80}, pretend=False)
    assert not (tmp_path / "out").exists()


def test_pretend_renders_outside_the_destination_folder(tmp_path: Path) -> None:
    template = make_template(tmp_path, {"a.txt": "x"})
    rendered = render(template, tmp_path / "out", {}, pretend=True)
    assert ("a.txt",) == rendered.files
    assert not (tmp_path / "out").exists()


NOT_A_DIRECTORY = "exists and is not a directory; nothing was written."
NOT_EMPTY = "already exists and is not empty; choose a new directory. Nothing was written."


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("file", NOT_A_DIRECTORY),
        ("non-empty-dir", NOT_EMPTY),
        ("symlink-to-non-empty-dir", NOT_A_DIRECTORY),
        ("symlink-to-empty-dir", NOT_A_DIRECTORY),
        ("dangling-symlink", NOT_A_DIRECTORY),
    ],
    ids=["file", "non-empty-dir", "symlink-to-non-empty-dir", "symlink-to-empty-dir", "dangling"],
)
def test_check_destination_refuses_what_is_in_the_way(
    tmp_path: Path, kind: str, expected: str
) -> None:
    dest = tmp_path / "dest"
    if kind == "file":
        dest.write_text("mine", encoding="utf-8")
    elif kind == "non-empty-dir":
        dest.mkdir()
        (dest / "mine.txt").write_text("mine", encoding="utf-8")
    elif kind == "symlink-to-non-empty-dir":
        dest.symlink_to(tmp_path)
    elif kind == "symlink-to-empty-dir":
        (tmp_path / "empty").mkdir()
        dest.symlink_to(tmp_path / "empty")
    else:
        dest.symlink_to(tmp_path / "nowhere")
    with pytest.raises(DestinationError) as raised:
        check_destination(dest)
    assert f"{dest} {expected}" == str(raised.value)


@pytest.mark.parametrize("exists", [False, True], ids=["absent", "empty-dir"])
def test_check_destination_accepts_an_absent_or_empty_folder(tmp_path: Path, exists: bool) -> None:
    dest = tmp_path / "dest"
    if exists:
        dest.mkdir()
    check_destination(dest)  # raises when refused
    assert exists == dest.is_dir()


def test_a_template_without_files_makes_an_empty_project(tmp_path: Path) -> None:
    template = make_template(tmp_path, {}, "name:\n  type: str\n  default: demo\n")
    rendered = render(template, tmp_path / "out", {}, pretend=False)
    assert ((), []) == (rendered.files, list((tmp_path / "out").iterdir()))


def _inner() -> None:
    raise LookupError  # no message, like a failed assert in template code


def _middle() -> None:
    _inner()


def test_a_template_error_is_named_and_one_without_a_message_gets_its_line() -> None:
    try:
        _middle()
    except LookupError as error:
        without_message = _describe(error)
    assert (
        "ZeroDivisionError: division by zero",
        "LookupError at `raise LookupError  # no message, like a failed assert in template code`",
        "LookupError",
    ) == (
        _describe(ZeroDivisionError("division by zero")),
        without_message,
        _describe(LookupError()),
    )


def test_copier_messages_without_a_question_or_module_name_get_no_made_up_name() -> None:
    from pyscaffold_fw.copier_errors import _choose_another, _missing_extension

    assert "" == _choose_another(ValueError("the template says no"))
    message = _missing_extension("tpl", RuntimeError("cannot load it"))
    assert "uv tool install pyscaffold-fw --with PACKAGE" in message
