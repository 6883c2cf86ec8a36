"""Answers from -d pairs and data files, checked against a template's questions."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw.answers import load_data_file, parse_data_pairs, resolve_answers
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError, MissingAnswerError
from pyscaffold_fw.questions import Question, TemplateQuestions, load_questions

COPIER_YML = """\
_subdirectory: template
project_name:
  type: str
  help: Project name
  default: demo
package_name:
  type: str
  default: "{{ project_name | trim | lower | regex_replace('[-. ]+', '_') }}"
docker:
  type: bool
  default: false
database:
  type: str
  choices: [sqlite, none]
  default: sqlite
port:
  type: int
  default: 8000
secret_key:
  type: str
  secret: true
  when: false
  default: "{{ 'x' * 8 }}"
"""


@pytest.fixture
def template(tmp_path: Path) -> TemplateQuestions:
    (tmp_path / "copier.yml").write_text(COPIER_YML, encoding="utf-8")
    return load_questions(tmp_path)


def test_parse_data_pairs_keeps_everything_after_the_first_equals() -> None:
    expected = {"description": "a=b", "empty": ""}
    assert expected == parse_data_pairs(["description=a=b", "empty="])


@pytest.mark.parametrize(
    "pair", ["novalue", "=value", " =x"], ids=["no-equals", "no-key", "blank-key"]
)
def test_parse_data_pairs_refuses_malformed_pairs(pair: str) -> None:
    with pytest.raises(InvalidAnswerError, match="KEY=VALUE"):
        parse_data_pairs([pair])


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.yml", "docker: true\nproject_name: x\n", {"docker": True, "project_name": "x"}),
        ("a.yml", '{"docker": false}', {"docker": False}),
        ("a.json", '{"description": "\\ud83d\\ude00"}', {"description": "\U0001f600"}),
        ("a.yml", "", {}),
    ],
    ids=["yaml", "json-in-yaml", "json-escaped-emoji", "empty"],
)
def test_load_data_file(tmp_path: Path, name: str, text: str, expected: dict[str, Any]) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert expected == load_data_file(path)


@pytest.mark.parametrize(
    ("text", "reason"),
    [("docker: [unclosed\n", "not valid YAML"), ("- a\n- b\n", "mapping"), ("{1: 2}", "mapping")],
    ids=["bad-yaml", "list", "int-keys"],
)
def test_load_data_file_refuses_malformed_files(tmp_path: Path, text: str, reason: str) -> None:
    path = tmp_path / "answers.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidAnswerError, match=reason):
        load_data_file(path)


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("answers.yml", "docker: [unclosed\n", "while parsing a flow sequence"),
        ("answers.json", '{"a": }', "Expecting value: line 1 column 7 (char 6)"),
    ],
    ids=["yaml", "json"],
)
def test_a_malformed_data_file_is_named_with_the_parsers_first_line(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidAnswerError) as raised:
        load_data_file(path)
    assert f"--data-file {path} is not valid YAML or JSON: {reason}" == str(raised.value)


def test_load_data_file_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidAnswerError, match="Cannot read"):
        load_data_file(tmp_path / "nope.yml")


@pytest.mark.parametrize(
    ("name", "fixture", "reason"),
    [
        ("bomb.yml", "alias_bomb", "expands to more than 100,000 values"),
        ("deep.yml", "deep_json", "is nested deeper than 64 levels"),
        ("deep.json", "deep_json", "is nested deeper than 64 levels"),
    ],
    ids=["alias-bomb", "deep-yaml", "deep-json"],
)
def test_load_data_file_refuses_hostile_files_naming_them(
    request: pytest.FixtureRequest, tmp_path: Path, name: str, fixture: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(request.getfixturevalue(fixture), encoding="utf-8")
    with pytest.raises(InputBoundError, match=f"--data-file .*{name} {reason}"):
        load_data_file(path)


def test_load_data_file_refuses_a_file_over_one_mib(tmp_path: Path) -> None:
    path = tmp_path / "huge.yml"
    path.write_bytes(b"# padding\n" * 110_000)
    with pytest.raises(InputBoundError, match=r"huge\.yml is larger than 1 MiB"):
        load_data_file(path)


def test_defaults_fill_every_asked_question_and_leave_secrets_to_copier(
    template: TemplateQuestions,
) -> None:
    answers = resolve_answers(
        template, {"project_name": "My Shop"}, checks={}, ask=None, use_defaults=True
    )
    expected = {
        "project_name": "My Shop",
        "package_name": "my_shop",
        "docker": False,
        "database": "sqlite",
        "port": 8000,
    }
    assert expected == answers


def test_given_strings_are_cast_to_the_question_type(template: TemplateQuestions) -> None:
    answers = resolve_answers(
        template, {"docker": "yes", "port": "9000"}, checks={}, ask=None, use_defaults=True
    )
    assert (True, 9000) == (answers["docker"], answers["port"])


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({"docker": "maybe"}, "yes/no"),
        ({"port": "eighty"}, "not a valid int"),
        ({"database": "oracle"}, "not one of: sqlite, none"),
        ({"colour": "red"}, "Unknown answer key colour"),
    ],
    ids=["bool", "int", "choice", "unknown-key"],
)
def test_invalid_answers_are_refused(
    template: TemplateQuestions, given: dict[str, str], reason: str
) -> None:
    with pytest.raises(InvalidAnswerError, match=reason):
        resolve_answers(template, given, checks={}, ask=None, use_defaults=True)


def test_extra_checks_refuse_answers(template: TemplateQuestions) -> None:
    checks = {"package_name": lambda value: "taken" if value == "demo" else None}
    with pytest.raises(InvalidAnswerError, match="package_name='demo': taken"):
        resolve_answers(template, {}, checks=checks, ask=None, use_defaults=True)


def test_missing_answers_without_a_terminal_name_the_flags(template: TemplateQuestions) -> None:
    with pytest.raises(MissingAnswerError) as caught:
        resolve_answers(template, {"project_name": "x"}, checks={}, ask=None, use_defaults=False)
    expected = (
        "No terminal to ask for: package_name, docker, database, port. Pass each as "
        "-d KEY=VALUE (for example -d package_name=...), or --defaults to accept the defaults."
    )
    assert (expected, 2) == (caught.value.message, caught.value.exit_code)


def test_ask_is_called_only_for_unanswered_questions(template: TemplateQuestions) -> None:
    asked: list[str] = []

    def ask(question: Question, context: Mapping[str, Any], check: object) -> Any:
        asked.append(question.name)
        return question.default_for(context)

    resolve_answers(
        template, {"project_name": "x", "docker": "true"}, checks={}, ask=ask, use_defaults=False
    )
    assert ["package_name", "database", "port"] == asked


def refuse_demo(value: object) -> str | None:
    return "taken" if value == "demo" else None


@pytest.mark.parametrize(("derived", "hint"), [({"package_name"}, True), (set(), False)])
def test_a_refused_answer_says_how_to_choose_another_unless_it_was_typed(
    template: TemplateQuestions, derived: set[str], hint: bool
) -> None:
    given = {"project_name": "x", "package_name": "demo"}
    with pytest.raises(InvalidAnswerError) as caught:
        resolve_answers(
            template,
            given,
            checks={"package_name": refuse_demo},
            ask=None,
            use_defaults=True,
            derived=derived,
        )
    assert hint == ("Pass -d package_name=VALUE" in caught.value.message)


def test_a_refused_answer_made_for_the_user_is_asked_for_in_a_terminal(
    template: TemplateQuestions,
) -> None:
    asked: list[str] = []

    def ask(question: Question, context: Mapping[str, Any], check: object) -> Any:
        asked.append(question.name)
        return "shop"

    answers = resolve_answers(
        template,
        {"project_name": "demo", "package_name": "demo"},
        checks={"package_name": refuse_demo},
        ask=ask,
        use_defaults=True,
        derived={"package_name"},
    )
    assert (["package_name"], "shop") == (asked, answers["package_name"])
