"""The interactive wizard: the only module that prompts (through questionary)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click
import questionary

from pyscaffold_fw import names
from pyscaffold_fw.answers import Check, answer_problem
from pyscaffold_fw.errors import InputError, PyscaffoldError
from pyscaffold_fw.questions import Question
from pyscaffold_fw.registry import COMMON_IMPORTS, DEFAULT_FRAMEWORK, FRAMEWORKS
from pyscaffold_fw.render import check_destination

DEFAULT_PROJECT_NAME = "my-site"


class Wizard:
    """Ask, in a terminal, what flags did not answer; Ctrl-C raises KeyboardInterrupt."""

    def ask_destination(self) -> Path:
        """Ask for the project name, which is also the directory to create."""
        answer = questionary.text(
            "Project name (also the directory to create):",
            default=DEFAULT_PROJECT_NAME,
            validate=_project_name_problem,
        ).unsafe_ask()
        return Path(str(answer).strip())

    def choose_framework(self) -> str:
        """Ask which framework's starter to render."""
        choices = [
            questionary.Choice(
                title=f.title, value=f.id, disabled=None if f.available else "not available yet"
            )
            for f in FRAMEWORKS
        ]
        return str(
            questionary.select(
                "Framework:", choices=choices, default=DEFAULT_FRAMEWORK
            ).unsafe_ask()
        )

    def ask(self, question: Question, context: Mapping[str, Any], check: Check | None) -> Any:
        """Ask one template question, validating as the user types."""
        message = f"{question.help or question.name}:"
        default = question.default_for(context)
        if question.choices:
            choices = [questionary.Choice(title=c.label, value=c.value) for c in question.choices]
            return questionary.select(message, choices=choices, default=default).unsafe_ask()
        if question.type == "bool":
            return questionary.confirm(message, default=bool(default)).unsafe_ask()

        def validate(text: str) -> bool | str:
            try:
                value = question.cast(text)
            except InputError as error:
                return error.message
            problem = answer_problem(question, value, context, check)
            return True if problem is None else problem

        text = questionary.text(message, default=str(default), validate=validate).unsafe_ask()
        return question.cast(text)

    def confirm(self, summary: Mapping[str, Any], dest: Path) -> bool:
        """Show every answer and ask whether to write the project."""
        click.echo(f"\nAbout to create {dest} with:", err=True)
        width = max(len(key) for key in summary)
        for key, value in summary.items():
            click.echo(f"  {key.ljust(width)}  {value!r}", err=True)
        return bool(questionary.confirm("Create the project?", default=True).unsafe_ask())


def _project_name_problem(text: str) -> bool | str:
    # The framework is not chosen yet: refuse names that would shadow any framework's imports.
    reserved = {name for f in FRAMEWORKS for name in f.imports} | set(COMMON_IMPORTS)
    try:
        names.check_project_name(text, Path.cwd())
        names.check_package_name(names.normalise_package_name(text), text, reserved)
        check_destination(Path(text.strip()).absolute())
    except PyscaffoldError as error:
        return error.message
    return True
