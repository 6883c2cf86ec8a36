"""Answers from flags and data files: parse them, check them, fill in the rest."""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError, MissingAnswerError
from pyscaffold_fw.questions import Question, TemplateQuestions

# Extra per-answer checks on top of the template's own: return a reason, or None.
Check = Callable[[Any], str | None]
# Asks the user one question given the answers so far; returns the (valid) answer.
Ask = Callable[[Question, Mapping[str, Any], Check | None], Any]


def parse_data_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """Turn `-d KEY=VALUE` arguments into a mapping; a later key wins."""
    data: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InvalidAnswerError(f"--data expects KEY=VALUE, got {pair!r}.")
        data[key.strip()] = value
    return data


def load_data_file(path: Path) -> dict[str, Any]:
    """Read answers from a YAML or JSON file holding one mapping."""
    source = f"--data-file {path}"
    try:
        text = bounds.read_text(path, InputBoundError)
        # JSON through its own parser: YAML does not join escaped surrogate pairs (emoji).
        parse = bounds.parse_json if path.suffix == ".json" else bounds.parse_yaml
        loaded = parse(text, source, InputBoundError)
    except OSError as error:
        raise InvalidAnswerError(f"Cannot read --data-file {path}: {error.strerror}.") from None
    except (yaml.YAMLError, json.JSONDecodeError, UnicodeDecodeError) as error:
        reason = str(error).splitlines()[0]
        raise InvalidAnswerError(f"{source} is not valid YAML or JSON: {reason}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict) or not all(isinstance(k, str) for k in loaded):
        raise InvalidAnswerError(f"{source} must hold a mapping of answer names to values.")
    return loaded


def check_known_keys(template: TemplateQuestions, given: Mapping[str, Any]) -> None:
    """Refuse answers the template does not ask for, naming the keys it knows."""
    unknown = sorted(set(given) - set(template.names()))
    if unknown:
        known = ", ".join(q.name for q in template.questions if not q.secret)
        raise InvalidAnswerError(
            f"Unknown answer {'keys' if len(unknown) > 1 else 'key'} {', '.join(unknown)}; "
            f"this template knows: {known}."
        )


def resolve_answers(
    template: TemplateQuestions,
    given: Mapping[str, Any],
    *,
    checks: Mapping[str, Check],
    ask: Ask | None,
    use_defaults: bool,
    derived: Collection[str] = (),
) -> dict[str, Any]:
    """Return every asked question's answer: given, asked for, or the default.

    Questions Copier would not ask (`when` false, such as the generated secret) are left
    for Copier to fill in. Without `ask` and `use_defaults`, missing answers are an error.
    `derived` names answers in `given` the user did not type (such as the package name
    made from DEST): refusing one says how to choose another.
    """
    check_known_keys(template, given)
    answers: dict[str, Any] = {}
    context: dict[str, Any] = {}
    missing: list[Question] = []
    for question in template.questions:
        if question.name not in given and not question.is_asked(context):
            context[question.name] = question.default_for(context)
            continue
        check = checks.get(question.name)
        if question.name in given:
            value = question.cast(given[question.name])
            made_for_user = question.name in derived
            if (
                made_for_user
                and ask is not None
                and answer_problem(question, value, context, check)
            ):
                value = ask(question, context, check)  # refused: let the user choose
        elif ask is not None and (not use_defaults or question.required):
            value = ask(question, context, check)
        else:
            value = question.default_for(context)
            if not use_defaults or question.required:
                missing.append(question)
                context[question.name] = value  # later defaults may refer to it
                continue
        typed = question.name in given and question.name not in derived
        _raise_if_invalid(question, value, context, check, typed=typed)
        answers[question.name] = context[question.name] = value
    if missing:
        raise MissingAnswerError(_missing_message(missing))
    return answers


def answer_problem(
    question: Question, value: Any, context: Mapping[str, Any], check: Check | None
) -> str | None:
    """Return why `value` cannot answer `question`, or None."""
    problem = question.problem(value, context)
    if problem is None and check is not None:
        problem = check(value)
    return problem


def _raise_if_invalid(
    question: Question,
    value: Any,
    context: Mapping[str, Any],
    check: Check | None,
    *,
    typed: bool,
) -> None:
    problem = answer_problem(question, value, context, check)
    if problem is None:
        return
    message = f"Invalid answer {question.name}={value!r}: {problem}"
    if not typed:  # made from other answers or DEST: say how to choose another
        message += f" Pass -d {question.name}=VALUE to choose another."
    raise InvalidAnswerError(message)


def _missing_message(missing: list[Question]) -> str:
    names = ", ".join(q.name for q in missing)
    example = missing[0].name
    return (
        f"No terminal to ask for: {names}. Pass each as -d KEY=VALUE "
        f"(for example -d {example}=...), or --defaults to accept the defaults."
    )
