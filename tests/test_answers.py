"""Answers from -d pairs and data files, checked against a template's questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw.answers import check_known_keys, load_data_file, parse_data_pairs
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError
from pyscaffold_fw.questions import TemplateQuestions


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


QUESTIONS = TemplateQuestions(Path("t"), ("name", "token", "port"), frozenset({"token"}))


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"name": "x", "colour": "red"}, "Unknown answer key colour; "),
        ({"size": 1, "colour": "red"}, "Unknown answer keys colour, size; "),
    ],
    ids=["one", "two"],
)
def test_unknown_answer_keys_are_refused_naming_the_known_ones_but_secrets(
    given: dict[str, Any], expected: str
) -> None:
    with pytest.raises(InvalidAnswerError) as raised:
        check_known_keys(QUESTIONS, given)
    assert f"{expected}this template knows: name, port." == raised.value.message
