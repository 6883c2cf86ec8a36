"""The interactive wizard: the only module that prompts (through questionary)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import questionary

from pyscaffold_fw import names
from pyscaffold_fw.catalog import list_templates
from pyscaffold_fw.dependency_imports import all_dependency_imports
from pyscaffold_fw.errors import DestinationError, PyscaffoldError
from pyscaffold_fw.explain import one_line
from pyscaffold_fw.guidance import (
    CONCURRENCIES,
    EXPERIENCES,
    KIND_HELP,
    KINDS,
    NEED_HELP,
    NEEDS,
    PRIORITIES,
    PRIORITY_HELP,
    SCALES,
)
from pyscaffold_fw.recommend import Recommendation, Requirements
from pyscaffold_fw.recreate import flag_value
from pyscaffold_fw.registry import COMMON_IMPORTS, FRAMEWORKS
from pyscaffold_fw.render import check_destination
from pyscaffold_fw.terminal import echo, visible

DEFAULT_PROJECT_NAME = "my-site"


class Wizard:
    """Ask, in a terminal, what flags did not answer; Ctrl-C raises KeyboardInterrupt."""

    def ask_destination(self) -> Path:
        """Ask for the project name, which is also the directory to create."""
        # A suggestion, not editable text: what is typed replaces it; Enter takes it.
        answer = _asked(
            questionary.text(
                "Project name (also the directory to create):",
                validate=lambda text: _project_name_problem(text.strip() or DEFAULT_PROJECT_NAME),
                placeholder=[("fg:ansibrightblack", DEFAULT_PROJECT_NAME)],  # grey
            )
        )
        return Path(str(answer).strip() or DEFAULT_PROJECT_NAME)

    def ask_requirements(self, given: Requirements) -> Requirements:
        """Ask what is being built; the detailed requirements only when the user wants to
        say more (each one the flags did not state)."""
        kind = given.kind or _select("What are you building?", KINDS, KIND_HELP)
        detailed = replace(given, kind=None)
        if not detailed.is_empty() or not _asked(
            questionary.confirm(
                "Say more about your needs (features, scale, connections, experience, priorities)?",
                default=False,
            )
        ):
            return replace(given, kind=kind)
        return Requirements(
            kind=kind,
            needs=given.needs
            or _checkbox("Which features do you need built in?", NEEDS, NEED_HELP),
            scale=given.scale or _select("How large will it grow?", SCALES, SCALE_HELP),
            concurrency=given.concurrency
            or _select("Concurrent connections?", CONCURRENCIES, CONCURRENCY_HELP),
            experience=given.experience
            or _select("Your experience with Python web work?", EXPERIENCES),
            priorities=given.priorities
            or _checkbox("What matters most?", PRIORITIES, PRIORITY_HELP),
        )

    def choose_framework(self, recommendation: Recommendation) -> str:
        """Ask which starter to render, the recommendation preselected with its reason."""
        winner = recommendation.recommended.framework.id
        templates = {t.id: t for t in list_templates()}
        choices = [
            questionary.Choice(
                title=_framework_title(
                    score.framework.title,
                    one_line(score),
                    score.framework.id == winner,
                    recommendation.missing_needs(score.framework.id),
                ),
                value=score.framework.id,
                disabled=None if score.framework.id in templates else "not available yet",
            )
            for score in recommendation.ranking
        ]
        ranked = {score.framework.id for score in recommendation.ranking}
        choices += [  # the team's own templates (user folder, plugins)
            questionary.Choice(title=visible(f"{t.id} ({t.origin}): {t.description}"), value=t.id)
            for t in templates.values()
            if t.id not in ranked
        ]
        default = winner if winner in templates else next(iter(sorted(templates)))
        return str(_asked(questionary.select("Framework:", choices=choices, default=default)))

    def ask_package_name(self) -> str:
        """Ask for the package (import) name, checked by our rules as it is typed."""
        answer = _asked(
            questionary.text("Python package name (import name):", validate=_package_problem)
        )
        return str(answer).strip()

    def warn(self, message: str) -> None:
        """Say why an answer is refused before it is asked again."""
        echo(message, err=True, fg="yellow", lines=True)

    def confirm(self, summary: Mapping[str, Any], dest: Path) -> bool:
        """Show every answer and ask whether to write the project."""
        echo(f"\nAbout to create {dest}{' with:' if summary else '.'}", err=True, lines=True)
        width = max((len(key) for key in summary), default=0)
        for key, value in summary.items():
            shown = flag_value(value) if value != "" else "(empty)"  # as -d would take it
            echo(f"  {key.ljust(width)}  {shown}", err=True)
        return bool(_asked(questionary.confirm("Create the project?", default=True)))

    def choose_change(self, summary: Mapping[str, Any]) -> str | None:
        """After a "no": the answer to change, or None to quit without writing."""
        choices = [questionary.Choice(title=f"Change {key}", value=key) for key in summary]
        choices.append(questionary.Choice(title="Quit (nothing is written)", value=""))
        answer = _asked(questionary.select("What now?", choices=choices))
        return str(answer) or None

    def ask_customise(self) -> bool:
        """Ask whether to go through the starter's questions, or take its defaults (the
        summary shows them all, and any one can be changed there)."""
        question = "Customise the starter (license, Python version, database, Docker, CI...)?"
        return bool(_asked(questionary.confirm(question, default=False)))

    def ask_install(self) -> bool:
        """Ask whether to create .venv and install the project right away."""
        question = "Install it into .venv now (uv, or pip)?"
        return bool(_asked(questionary.confirm(question, default=True)))


SCALE_HELP = {
    "small": "small: a few pages or endpoints",
    "medium": "medium",
    "large": "large: many features, teams or users",
    "growing": "growing: starts small, must grow large",
}
CONCURRENCY_HELP = {
    "low": "low: ordinary request/response traffic",
    "high": "high: thousands of concurrent connections",
}
NO_PREFERENCE = "(no preference)"


def _asked(question: questionary.Question) -> Any:
    """Ask `question`; Ctrl-C, and SIGINT sent from outside, raise KeyboardInterrupt.

    prompt_toolkit would turn an outside SIGINT into a key press that questionary's prompts
    ignore, so `kill -INT` would not stop the wizard; our own handler gets it instead.
    """
    if question.should_skip_question:
        return question.default
    return question.application.run(handle_sigint=False)


def _select(
    message: str, values: tuple[str, ...], labels: Mapping[str, str] | None = None
) -> str | None:
    choices = [questionary.Choice(title=NO_PREFERENCE, value="")]
    choices += [questionary.Choice(title=(labels or {}).get(v, v), value=v) for v in values]
    answer = _asked(questionary.select(message, choices=choices))
    return str(answer) or None


def _checkbox(message: str, values: tuple[str, ...], labels: Mapping[str, str]) -> frozenset[str]:
    choices = [questionary.Choice(title=labels.get(v, v), value=v) for v in values]
    answer = _asked(questionary.checkbox(message, choices=choices))
    return frozenset(str(value) for value in answer)


def _framework_title(title: str, reason: str, recommended: bool, missing: tuple[str, ...]) -> str:
    """The choice's label: its strongest reason, and the stated needs it lacks."""
    label = f"{title} (recommended: {reason})" if recommended else f"{title}: {reason}"
    return f"{label}; no built-in {', '.join(missing)}" if missing else label


# Names no package may take while the framework may still change: any framework's imports.
ANY_FRAMEWORK_IMPORTS = frozenset(
    {n for f in FRAMEWORKS for n in f.imports} | set(COMMON_IMPORTS) | all_dependency_imports()
)


def _package_problem(text: str) -> bool | str:
    problem = names.package_name_problem(text.strip(), ANY_FRAMEWORK_IMPORTS)
    return True if problem is None else visible(problem)


def _project_name_problem(text: str) -> bool | str:
    """Check the name and the package name made from it, in one line a prompt can show."""
    try:
        names.check_project_name(text, Path.cwd())
    except PyscaffoldError as error:
        return visible(error.message)
    try:
        check_destination(Path(text.strip()).absolute())
    except DestinationError:  # its message names the whole path: too long for this line
        return "That name is taken here (not an empty folder); choose another name."
    package = names.normalise_package_name(text)
    problem = names.package_name_problem(package, ANY_FRAMEWORK_IMPORTS)
    return True if problem is None else visible(f"As a package name: {problem}")
