"""copier.yml read as Copier reads it: several documents, `!include`, `_secret_questions`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.errors import RenderError, UnsafeTemplateError
from pyscaffold_fw.generate import GenerateRequest, generate
from pyscaffold_fw.questions import load_questions

MAIN = """\
_subdirectory: template
_secret_questions: [token]
project_name:
  type: str
  default: demo
--- !include shared/*.yml
---
colour:
  type: str
  default: blue
"""
SHARED = {
    "shared/a.yml": "colour:\n  type: str\n  default: red\ntoken:\n  type: str\n  default: t0k\n",
    "shared/b.yml": "_skip_if_exists: [notes.txt]\nsize:\n  type: int\n  default: 3\n",
}
FILES = {
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
    "notes.txt.jinja": "{{ project_name }} {{ colour }} {{ size }} {{ token }}\n",
}


def make_template(root: Path, main: str = MAIN) -> Path:
    template = root / "template-src"
    for name, text in {"copier.yml": main, **SHARED}.items():
        (template / name).parent.mkdir(parents=True, exist_ok=True)
        (template / name).write_text(text, encoding="utf-8")
    for name, text in FILES.items():
        (template / "template" / name).parent.mkdir(parents=True, exist_ok=True)
        (template / "template" / name).write_text(text, encoding="utf-8")
    return template


def test_documents_merge_in_order_and_includes_insert_their_files(tmp_path: Path) -> None:
    config = read_copier_config(make_template(tmp_path) / "copier.yml")
    assert ["_subdirectory", "_secret_questions", "project_name", "colour", "token", "size"] == [
        key for key in config if key != "_skip_if_exists"
    ]
    assert "blue" == config["colour"]["default"]  # the later document wins
    assert ["notes.txt"] == config["_skip_if_exists"]


def test_secret_questions_listed_apart_are_secret(tmp_path: Path) -> None:
    questions = {q.name: q for q in load_questions(make_template(tmp_path)).questions}
    assert (True, False) == (questions["token"].secret, questions["colour"].secret)


def test_a_template_with_includes_generates_and_keeps_the_secret_to_itself(
    tmp_path: Path,
) -> None:
    request = GenerateRequest(
        tmp_path / "shop", template=str(make_template(tmp_path)), use_defaults=True
    )
    result = generate(request)
    project = result.project_dir
    assert "shop blue 3 t0k\n" == (project / "notes.txt").read_text(encoding="utf-8")
    assert "token" not in result.answers
    assert "token" not in result.recreate
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {"project_name": "shop", "colour": "blue", "size": 3} == {
        key: value for key, value in answers.items() if not key.startswith("_")
    }


@pytest.mark.parametrize(
    ("pattern", "error"),
    [("../*.yml", UnsafeTemplateError), ("/etc/*.yml", RenderError)],
    ids=["outside", "absolute"],
)
def test_an_include_outside_the_template_is_refused(
    tmp_path: Path, pattern: str, error: type[Exception]
) -> None:
    (tmp_path / "outside.yml").write_text("stolen: 1\n", encoding="utf-8")
    template = make_template(tmp_path, f"_subdirectory: template\n--- !include {pattern}\n")
    with pytest.raises(error, match="!include"):
        load_questions(template)


def test_invalid_yaml_in_an_included_file_names_that_file(tmp_path: Path) -> None:
    template = make_template(tmp_path)
    (template / "shared" / "c.yml").write_text("size: [unclosed\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"c\.yml is not valid YAML"):
        load_questions(template)
