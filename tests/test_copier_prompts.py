"""Copier's prompts reach the terminal visible: question text, choices, defaults, validator
messages; and Enter still answers the default itself, not its visible form."""

from __future__ import annotations

from typing import Any

from questionary import Choice

from pyscaffold_fw.copier_prompts import _visible_question


def test_a_questions_text_is_shown_visible_with_its_lines() -> None:
    question = {"type": "input", "name": "title", "message": "Title \x1b]0;pwn\x07\nnext\tline"}
    expected = {"type": "input", "name": "title", "message": "Title \\x1b]0;pwn\\x07\nnext\tline"}
    assert expected == _visible_question(question)


def described(choice: Any) -> Any:
    """Return what a choice shows and answers (questionary's Choice has no equality)."""
    if isinstance(choice, Choice):
        return (choice.title, choice.value, choice.checked, choice.disabled)
    return choice


def test_choices_are_relabelled_visible_and_a_default_choice_follows_its_label() -> None:
    hostile = Choice("red \x1b[2J", "r", checked=True, disabled="not today")
    question = {"type": "select", "name": "c", "message": "C", "choices": [hostile, "green"]}
    shown = _visible_question({**question, "default": hostile})
    expected = [("red \\x1b[2J", "r", True, "not today"), "green"]
    assert expected == [described(choice) for choice in shown["choices"]]
    assert shown["choices"][0] is shown["default"]
    # A default that is a plain value, not one of the Choice objects, stays as it is.
    assert "green" == _visible_question({**question, "default": "green"})["default"]


def refuse_bad(text: str) -> bool | str:
    return True if text == "ok" else f"not {text} \x1b[2J"


def test_a_validator_message_is_shown_visible() -> None:
    shown = _visible_question(
        {"type": "input", "name": "n", "message": "N", "validate": refuse_bad}
    )
    assert (True, "not bad \\x1b[2J") == (shown["validate"]("ok"), shown["validate"]("bad"))


def test_a_validator_message_loses_copiers_prefix_naming_the_question_on_screen() -> None:
    """The prompt shows the reason on one line: only the reason, for the question asked."""

    def copier_validate(text: str) -> bool | str:
        return "Validation error for question 'n': too short; use 3 letters or more"

    question = {"type": "input", "name": "n", "message": "N", "validate": copier_validate}
    assert "too short; use 3 letters or more" == _visible_question(question)["validate"]("x")
    other = {**question, "name": "m"}  # another question's prefix is not this one's
    assert copier_validate("x") == _visible_question(other)["validate"]("x")


def test_enter_keeps_a_default_holding_control_characters_not_its_visible_form() -> None:
    question = {
        "type": "input",
        "name": "n",
        "message": "Name",
        "default": "a\x1b[2Jb",
        "filter": str.upper,
        "validate": lambda text: True if text == "a\x1b[2Jb" else "changed",
    }
    shown = _visible_question(question)
    assert ("Name (Enter keeps a\\x1b[2Jb)", "") == (shown["message"], shown["default"])
    # Empty (Enter) means the default itself; anything typed is used as typed.
    assert ("A\x1b[2JB", "TYPED") == (shown["filter"](""), shown["filter"]("typed"))
    assert (True, "changed") == (shown["validate"](""), shown["validate"]("typed"))


def test_a_plain_default_is_offered_as_it_is() -> None:
    question = {"type": "input", "name": "n", "message": "Name", "default": "demo"}
    assert question == _visible_question(question)
