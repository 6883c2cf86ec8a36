"""Answers from flags and data files: parse them, check their keys, and refuse a question
left unanswered where nothing may ask it (Copier does the rest)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError, MissingAnswerError
from pyscaffold_fw.questions import TemplateQuestions


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
    unknown = sorted(set(given) - set(template.names))
    if unknown:
        known = ", ".join(name for name in template.names if name not in template.secret_names)
        raise InvalidAnswerError(
            f"Unknown answer {'keys' if len(unknown) > 1 else 'key'} {', '.join(unknown)}; "
            f"this template knows: {known}."
        )


def refuse_unanswered(asked: Sequence[str], given: Mapping[str, Any]) -> None:
    """Without a terminal or --defaults, every question Copier asks needs an answer."""
    missing = [name for name in asked if name not in given]
    if missing:
        raise MissingAnswerError(
            f"No terminal to ask for: {', '.join(missing)}. Pass each as -d KEY=VALUE "
            f"(for example -d {missing[0]}=...), or --defaults to accept the defaults."
        )
