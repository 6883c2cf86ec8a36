"""The one command line that creates a project again, every answer given as a flag."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pyscaffold_fw import names
from pyscaffold_fw.recommend import Requirements

_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def shell_quote(value: str) -> str:
    """Quote for a POSIX shell; text with control characters gets bash's $'...' form."""
    if value.isprintable():
        return shlex.quote(value)
    return (
        "$'"
        + "".join(_ESCAPES.get(c, c if c.isprintable() else f"\\u{ord(c):04x}") for c in value)
        + "'"
    )


def flag_value(value: Any) -> str:
    """Render an answer the way -d KEY=VALUE reads it back."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, default_flow_style=True).strip()
    return str(value)


def recreate_command(
    dest: Path,
    template_flags: list[str],
    answers: Mapping[str, Any],
    requirements: Requirements,
) -> str:
    """Return `new-project DEST ... --defaults` reproducing these answers, on one line."""
    words = ["new-project", shell_quote(dest.name), *map(shell_quote, template_flags)]
    words += [shell_quote(flag) for flag in requirement_flags(requirements)]
    for key, value in answers.items():
        if _implied(key, value, dest, answers):
            continue
        words += ["-d", shell_quote(f"{key}={flag_value(value)}")]
    return " ".join([*words, "--defaults"])


def requirement_flags(requirements: Requirements) -> list[str]:
    """Return the flags that state these requirements again."""
    flags: list[str] = []
    for name in ("kind", "scale", "concurrency", "experience"):
        value = getattr(requirements, name)
        if value:
            flags += [f"--{name}", value]  # spelled as --framework is: `--kind api`
    for need in sorted(requirements.needs):
        flags += ["--need", need]
    for priority in sorted(requirements.priorities):
        flags += ["--priority", priority]
    return flags


def _implied(key: str, value: Any, dest: Path, answers: Mapping[str, Any]) -> bool:
    """Leave out what DEST already implies: the project name and its package name."""
    if key == "project_name":
        return bool(value == dest.name)
    if key == "package_name":
        return bool(value == names.normalise_package_name(str(answers.get("project_name", ""))))
    return False
