"""A template's questions, read from its copier.yml without importing Copier."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from pyscaffold_fw import bounds
from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.errors import (
    InputBoundError,
    InvalidAnswerError,
    RenderError,
    TemplateSourceError,
)
from pyscaffold_fw.limits import RenderLimitError, capped
from pyscaffold_fw.names import first_control_character

_TRUE = frozenset({"true", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "no", "n", "off", "0"})
CONFIG_NAMES = ("copier.yml", "copier.yaml")
# The control characters a text answer may hold (a multi-line description).
TEXT_CONTROLS = "\t\n\r"
# Copier settings that run code or load code: refused unless the user passes --trust.
UNSAFE_SETTINGS = {
    "_tasks": "tasks",
    "_migrations": "migrations",
    "_jinja_extensions": "Jinja extensions",
}


@dataclass(frozen=True)
class Choice:
    """One allowed answer, with the label shown for it."""

    label: str
    value: Any


@dataclass(frozen=True)
class Question:
    """One Copier question, as far as the wizard and validation need it."""

    name: str
    type: str = "str"
    help: str = ""
    default: Any = None
    choices: tuple[Choice, ...] = ()
    secret: bool = False
    when: Any = True
    validator: str = ""
    required: bool = False  # no default: it must be answered
    multiselect: bool = False

    def cast(self, value: Any) -> Any:
        """Convert a raw answer (often a string from the command line) to this type."""
        return cast_value(self.name, self.type, value)

    def default_for(self, answers: Mapping[str, Any]) -> Any:
        """Return the default, with Jinja in it rendered against the answers so far."""
        default = self.default
        if isinstance(default, str):
            default = render_text(default, answers)
        if default is None:
            return "" if self.type == "str" else None
        return self.cast(default)

    def is_asked(self, answers: Mapping[str, Any]) -> bool:
        """Tell whether Copier would ask this question given the answers so far."""
        when = self.when
        if isinstance(when, str):
            when = render_text(when, answers).strip()
            return when.lower() not in _FALSE | {"", "none"}
        return bool(when)

    def problem(self, value: Any, answers: Mapping[str, Any]) -> str | None:
        """Return why `value` is not a valid answer, or None when it is."""
        allowed = [choice.value for choice in self.choices]
        picked = value if self.multiselect and isinstance(value, list) else [value]
        if self.choices and any(item not in allowed for item in picked):
            return f"{value!r} is not one of: {', '.join(map(str, allowed))}"
        if self.validator:
            message = render_text(self.validator, {**answers, self.name: value}).strip()
            return message or None
        return None


@dataclass(frozen=True)
class TemplateQuestions:
    """The questions of one template, in the order Copier asks them."""

    path: Path
    questions: tuple[Question, ...] = field(default_factory=tuple)
    unsafe_features: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        """Return the answer keys this template accepts."""
        return tuple(question.name for question in self.questions)

    def get(self, name: str) -> Question | None:
        """Return the question called `name`, if the template has one."""
        return next((q for q in self.questions if q.name == name), None)

    def without_secrets(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """Return `answers` less the secret ones: what may be shown, recorded or repeated."""
        secret = {q.name for q in self.questions if q.secret}
        return {key: value for key, value in answers.items() if key not in secret}


def cast_value(name: str, type_name: str, value: Any) -> Any:
    """Convert `value` to a Copier question type, or raise InvalidAnswerError."""
    if type_name == "bool":
        return _cast_bool(name, value)
    if type_name in {"int", "float"}:
        try:
            return int(value) if type_name == "int" else float(value)
        except (TypeError, ValueError):
            raise InvalidAnswerError(
                f"Answer {name}={value!r} is not a valid {type_name}."
            ) from None
    if type_name == "str":
        if isinstance(value, bool | dict | list):
            raise InvalidAnswerError(f"Answer {name} must be text, not {value!r}.")
        text = "" if value is None else str(value)
        _refuse_control_characters(name, text)
        return text
    if type_name in {"yaml", "json"} and isinstance(value, str):
        try:
            return bounds.parse_yaml(value, f"Answer {name}", InputBoundError)  # JSON is YAML
        except yaml.YAMLError:
            raise InvalidAnswerError(f"Answer {name}={value!r} is not valid {type_name}.") from None
    return value


def _refuse_control_characters(name: str, text: str) -> None:
    """Refuse NUL, ESC and the like: text answers end up in files, shells and terminals."""
    bad = first_control_character(text, allowed=TEXT_CONTROLS)
    if bad is not None:
        raise InvalidAnswerError(
            f"Answer {name} holds the control character U+{ord(bad):04X}; only tabs and "
            "line breaks are allowed in text."
        )


def _cast_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidAnswerError(f"Answer {name}={value!r} is not a yes/no value (use true or false).")


@cache
def _environment() -> SandboxedEnvironment:
    # The same sandbox and filters Copier renders with, so defaults agree with its output.
    try:
        import jinja2_ansible_filters  # type: ignore[import-untyped]  # noqa: PLC0415

        extensions: list[Any] = [jinja2_ansible_filters.AnsibleCoreFiltersExtension]
    except ImportError:  # pragma: no cover - Copier always installs it
        extensions = []
    return SandboxedEnvironment(extensions=extensions, undefined=jinja2.StrictUndefined)


def render_text(text: str, context: Mapping[str, Any]) -> str:
    """Render a Jinja expression from copier.yml against the answers given so far."""
    if "{{" not in text and "{%" not in text:
        return text
    try:
        with capped(f"copier.yml expression {text[:80]!r}"):
            return _environment().from_string(text).render(**context)
    except RenderLimitError:
        raise
    except jinja2.TemplateError as error:
        raise RenderError(f"copier.yml expression {text!r} failed: {error}") from error
    except Exception as error:  # the template's expression failed, e.g. `{{ 1 // 0 }}`
        reason = f"{type(error).__name__}: {error}"
        raise RenderError(f"copier.yml expression {text!r} failed: {reason}") from error


def load_questions(template: Path) -> TemplateQuestions:
    """Read the questions of the Copier template at `template`."""
    if not template.is_dir():
        raise TemplateSourceError(f"Template {template} does not exist or is not a folder.")
    config = next((template / n for n in CONFIG_NAMES if (template / n).is_file()), None)
    if config is None:
        raise TemplateSourceError(f"{template} is not a Copier template: it has no copier.yml.")
    raw = read_copier_config(config)
    secrets = set(raw.get("_secret_questions", ()))
    questions = tuple(
        _question(name, spec, secret=name in secrets)
        for name, spec in raw.items()
        if not str(name).startswith("_")
    )
    unsafe = tuple(label for key, label in UNSAFE_SETTINGS.items() if raw.get(key))
    return TemplateQuestions(path=template, questions=questions, unsafe_features=unsafe)


def _question(name: str, spec: Any, *, secret: bool) -> Question:
    """Build a question; `secret` when copier.yml lists it in `_secret_questions`."""
    if not isinstance(spec, dict):
        # Copier's short form `name: default`.
        return Question(name=name, type=_inferred_type(spec), default=spec, secret=secret)
    return Question(
        name=name,
        type=str(spec.get("type", _inferred_type(spec.get("default")))),
        help=str(spec.get("help", "")).strip(),
        default=spec.get("default"),
        choices=_choices(spec.get("choices")),
        secret=secret or bool(spec.get("secret", False)),
        when=spec.get("when", True),
        validator=str(spec.get("validator", "")),
        required="default" not in spec,
        multiselect=bool(spec.get("multiselect", False)),
    )


def _inferred_type(default: Any) -> str:
    for python_type, type_name in ((bool, "bool"), (int, "int"), (float, "float"), (str, "str")):
        if isinstance(default, python_type):
            return type_name
    return "yaml"


def _choices(raw: Any) -> tuple[Choice, ...]:
    if isinstance(raw, dict):
        return tuple(Choice(label=str(label), value=value) for label, value in raw.items())
    if isinstance(raw, list):
        return tuple(
            Choice(label=str(item[0]), value=item[1])
            if isinstance(item, list) and len(item) == 2
            else Choice(label=str(item), value=item)
            for item in raw
        )
    return ()
