"""What a template's copier.yml declares, read without importing Copier: its question
names, which are secret, and which settings run code.

Nothing here evaluates a question: defaults, `when`, choices, validators and types are
Copier's to decide (render.py runs it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.errors import InvalidAnswerError, TemplateSourceError
from pyscaffold_fw.names import first_control_character

CONFIG_NAMES = ("copier.yml", "copier.yaml")
# The control characters a text answer may hold (a multi-line description).
TEXT_CONTROLS = "\t\n\r"
# Copier settings that run or load code when copying: refused unless the user passes
# --trust. (`_migrations` run only on `copier update`.)
UNSAFE_SETTINGS = {"_tasks": "tasks", "_jinja_extensions": "Jinja extensions"}
# Ours, ignored by Copier: {version: {question: answer}}, what `update` answers for a
# project rendered by a pyscaffold-fw older than `version` that lacks the question.
ANSWERS_BEFORE_KEY = "_pyscaffold_fw_answers_before"


@dataclass(frozen=True)
class TemplateQuestions:
    """The questions one template declares, in the order Copier asks them."""

    path: Path
    names: tuple[str, ...] = ()
    secret_names: frozenset[str] = frozenset()
    unsafe_features: tuple[str, ...] = ()
    answers_before: tuple[tuple[str, Mapping[str, Any]], ...] = ()

    def without_secrets(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Return `answers` less the secret ones: what may be shown, recorded or repeated."""
        return {key: value for key, value in answers.items() if key not in self.secret_names}


def load_questions(template: Path) -> TemplateQuestions:
    """Read what the Copier template at `template` declares."""
    if not template.is_dir():
        raise TemplateSourceError(f"Template {template} does not exist or is not a folder.")
    config = next((template / n for n in CONFIG_NAMES if (template / n).is_file()), None)
    if config is None:
        raise TemplateSourceError(f"{template} is not a Copier template: it has no copier.yml.")
    raw = read_copier_config(config)
    names = tuple(str(name) for name in raw if not str(name).startswith("_"))
    secrets = {str(name) for name in raw.get("_secret_questions", ())}
    secrets |= {name for name in names if isinstance(raw[name], dict) and raw[name].get("secret")}
    unsafe = tuple(label for key, label in UNSAFE_SETTINGS.items() if raw.get(key))
    before = _answers_before(raw.get(ANSWERS_BEFORE_KEY) or {}, names, config)
    return TemplateQuestions(template, names, frozenset(secrets), unsafe, before)


def _answers_before(
    declared: object, names: tuple[str, ...], config: Path
) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    """Read the answers older projects keep: versions mapped to answers of known questions."""
    problem = f"{config}: {ANSWERS_BEFORE_KEY} must map versions to answers of its questions"
    if not isinstance(declared, dict):
        raise TemplateSourceError(f"{problem}.")
    found = []
    for version, answers in declared.items():
        if not isinstance(answers, dict) or not set(map(str, answers)) <= set(names):
            raise TemplateSourceError(f"{problem} (see {version}).")
        found.append((str(version), dict(answers)))
    return tuple(found)


def check_text_answers(given: Mapping[str, Any]) -> None:
    """Refuse NUL, ESC and the like in text answers: they end up in files, shells and
    terminals. Tabs and line breaks stay allowed."""
    for name, value in given.items():
        if not isinstance(value, str):
            continue
        bad = first_control_character(value, allowed=TEXT_CONTROLS)
        if bad is not None:
            raise InvalidAnswerError(
                f"Answer {name} holds the control character U+{ord(bad):04X}; only tabs and "
                "line breaks are allowed in text."
            )
