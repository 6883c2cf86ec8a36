"""Rendering is all or nothing: a failing template leaves no trace beside the destination."""

from __future__ import annotations

from pathlib import Path

import pytest

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


@pytest.mark.parametrize("kind", ["file", "non-empty-dir", "symlink"])
def test_check_destination_refuses_what_is_in_the_way(tmp_path: Path, kind: str) -> None:
    dest = tmp_path / "dest"
    if kind == "file":
        dest.write_text("mine", encoding="utf-8")
    elif kind == "non-empty-dir":
        dest.mkdir()
        (dest / "mine.txt").write_text("mine", encoding="utf-8")
    else:
        dest.symlink_to(tmp_path)
    with pytest.raises(DestinationError):
        check_destination(dest)


def test_a_template_without_files_makes_an_empty_project(tmp_path: Path) -> None:
    template = make_template(tmp_path, {}, "name:\n  type: str\n  default: demo\n")
    rendered = render(template, tmp_path / "out", {}, pretend=False)
    assert ((), []) == (rendered.files, list((tmp_path / "out").iterdir()))
