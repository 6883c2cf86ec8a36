"""Team defaults from a config file: default answers and a default template.

    # <user config dir>/pyscaffold-fw/config.toml, or the file named by PYSCAFFOLD_FW_CONFIG
    template = "flask"            # a template id, folder or git URL used without --framework
    [answers]                     # defaults for any template that asks these questions
    author_name = "Platform Team"
    license = "Apache-2.0"

Precedence, highest first: flags and -d, --data-file, this file, the template's defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import InputBoundError, InvalidAnswerError

CONFIG_ENV = "PYSCAFFOLD_FW_CONFIG"
KNOWN_KEYS = frozenset({"template", "answers"})


@dataclass(frozen=True)
class TeamConfig:
    """The settings read from the config file (empty when there is none)."""

    path: Path
    exists: bool = False
    template: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Return the effective settings and where each came from."""
        origin = str(self.path) if self.exists else None
        return {
            "config_file": str(self.path),
            "config_file_exists": self.exists,
            "template": {"value": self.template, "from": origin if self.template else None},
            "answers": {key: {"value": v, "from": origin} for key, v in self.answers.items()},
        }


def config_path() -> Path:
    """Return the config file in effect (PYSCAFFOLD_FW_CONFIG or the user config dir)."""
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_path  # noqa: PLC0415

    return user_config_path("pyscaffold-fw") / "config.toml"


def load_config(enabled: bool = True) -> TeamConfig:
    """Read the team config file; `enabled=False` (--no-config) ignores it."""
    path = config_path()
    if not enabled or not path.is_file():
        return TeamConfig(path)
    try:
        text = bounds.read_text(path, InputBoundError)
        raw = bounds.parse_toml(text, f"Config file {path}", InputBoundError)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidAnswerError(f"Config file {path} is not valid TOML: {error}") from None
    unknown = sorted(set(raw) - KNOWN_KEYS)
    answers = raw.get("answers", {})
    if unknown or not isinstance(answers, dict):
        raise InvalidAnswerError(
            f"Config file {path}: unknown settings {', '.join(unknown) or 'answers'}; "
            "it takes `template` and an [answers] table."
        )
    template = raw.get("template")
    return TeamConfig(path, True, str(template) if template else None, answers)
