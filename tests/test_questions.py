"""Reading copier.yml: question types, defaults rendered like Copier does, and casting."""

from __future__ import annotations

import pytest

from pyscaffold_fw import names
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError
from pyscaffold_fw.questions import Question, cast_value, load_questions
from pyscaffold_fw.registry import AVAILABLE_IDS, template_path

SHARED_ANSWERS = (
    "project_name",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "license",
    "python_version",
    "database",
    "docker",
    "ci",
)


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_every_template_asks_the_shared_questions_with_help_and_valid_defaults(
    framework: str,
) -> None:
    template = load_questions(template_path(framework))
    assert set(SHARED_ANSWERS) <= set(template.names())
    context: dict[str, object] = {}
    for question in template.questions:
        value = question.default_for(context)
        if not question.secret:
            assert question.help, f"{question.name} has no help text"
            assert question.problem(value, context) is None, question.name
        context[question.name] = value


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
@pytest.mark.parametrize("project_name", ["my-site", "My Site", "shop.api", " Tight "])
def test_package_default_agrees_with_the_cli_normalisation(
    framework: str, project_name: str
) -> None:
    question = load_questions(template_path(framework)).get("package_name")
    assert question is not None
    expected = names.normalise_package_name(project_name)
    assert expected == question.default_for({"project_name": project_name})


@pytest.mark.parametrize(
    ("type_name", "raw", "expected"),
    [
        ("bool", "Yes", True),
        ("bool", "off", False),
        ("bool", False, False),
        ("int", "42", 42),
        ("float", "1.5", 1.5),
        ("str", 3, "3"),
        ("yaml", "[1, 2]", [1, 2]),
        ("json", '{"a": 1}', {"a": 1}),
    ],
    ids=["bool-yes", "bool-off", "bool-native", "int", "float", "str", "yaml", "json"],
)
def test_cast_value(type_name: str, raw: object, expected: object) -> None:
    assert expected == cast_value("x", type_name, raw)


@pytest.mark.parametrize(
    ("type_name", "raw"),
    [("bool", "perhaps"), ("int", "1.5"), ("str", True), ("yaml", "[")],
    ids=["bool", "int", "str-from-bool", "yaml"],
)
def test_cast_value_refuses(type_name: str, raw: object) -> None:
    with pytest.raises(InvalidAnswerError):
        cast_value("x", type_name, raw)


def test_when_expressions_are_rendered_against_answers() -> None:
    question = Question(name="db_url", when="{{ database != 'none' }}")
    assert question.is_asked({"database": "sqlite"})
    assert not question.is_asked({"database": "none"})


@pytest.mark.parametrize(
    ("fixture", "reason"),
    [("alias_bomb", "expands to more than 100,000"), ("deep_json", "is nested deeper than 64")],
)
def test_a_yaml_answer_is_bounded(
    request: pytest.FixtureRequest, fixture: str, reason: str
) -> None:
    with pytest.raises(InputBoundError, match=f"Answer extra {reason}"):
        cast_value("extra", "json", request.getfixturevalue(fixture))
