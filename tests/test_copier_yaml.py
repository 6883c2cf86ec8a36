"""copier.yml read as Copier reads it: several documents, `!include`, `_secret_questions`."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from pyscaffold_fw import bounds
from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.errors import RenderError, TemplateBoundError, UnsafeTemplateError
from pyscaffold_fw.generation import GenerateRequest, generate
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
    assert frozenset({"token"}) == load_questions(make_template(tmp_path)).secret_names


def test_a_template_with_includes_generates_and_keeps_the_secret_to_itself(
    tmp_path: Path,
) -> None:
    request = GenerateRequest(
        tmp_path / "shop", template=str(make_template(tmp_path)), use_defaults=True
    )
    result = generate(request)
    project = result.project_dir
    assert "demo blue 3 t0k\n" == (project / "notes.txt").read_text(encoding="utf-8")
    assert "token" not in result.answers
    assert "token" not in result.recreate
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {"project_name": "demo", "colour": "blue", "size": 3} == {
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


def test_an_alias_bomb_in_copier_yml_is_refused_naming_it(tmp_path: Path, alias_bomb: str) -> None:
    template = make_template(tmp_path, "_subdirectory: template\n" + alias_bomb)
    with pytest.raises(TemplateBoundError, match=r"copier\.yml expands to more than 100,000"):
        load_questions(template)


def test_an_alias_bomb_in_an_included_file_is_refused_naming_it(
    tmp_path: Path, alias_bomb: str
) -> None:
    template = make_template(tmp_path)
    (template / "shared" / "c.yml").write_text(alias_bomb, encoding="utf-8")
    with pytest.raises(TemplateBoundError, match=r"c\.yml expands to more than 100,000"):
        load_questions(template)


def test_deep_nesting_in_copier_yml_is_refused(tmp_path: Path, deep_yaml: str) -> None:
    template = make_template(tmp_path, f"_subdirectory: template\nx: {deep_yaml}\n")
    with pytest.raises(TemplateBoundError, match=r"copier\.yml is nested deeper than 64"):
        load_questions(template)


def test_includes_nest_at_most_eight_deep(tmp_path: Path) -> None:
    template = make_template(tmp_path, "_subdirectory: template\n--- !include loop.yml\n")
    (template / "loop.yml").write_text("--- !include loop.yml\n", encoding="utf-8")
    with pytest.raises(TemplateBoundError, match="nests includes deeper than 8 levels"):
        load_questions(template)


def test_copier_yml_and_its_includes_share_one_mib(tmp_path: Path) -> None:
    # The padding after `...` is read (and counted) but never parsed: the test stays fast.
    padding = "#" * (bounds.MAX_BYTES // 2)
    main = f"_subdirectory: template\n--- !include big.yml\n...\n{padding}\n"
    template = make_template(tmp_path, main)
    (template / "big.yml").write_text(f"...\n{padding}\n", encoding="utf-8")
    with pytest.raises(TemplateBoundError, match=r"big\.yml is larger than 1 MiB together"):
        load_questions(template)


def test_an_include_matching_a_folder_is_refused_clearly(tmp_path: Path) -> None:
    template = make_template(tmp_path, "_subdirectory: template\n--- !include shared\n")
    with pytest.raises(RenderError, match="!include shared matches shared, which is not a file"):
        load_questions(template)
