"""The core call: turn a request (flags, data, destination) into a rendered project."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pyscaffold_fw import names
from pyscaffold_fw.answers import Check, resolve_answers
from pyscaffold_fw.errors import MissingAnswerError, PyscaffoldError
from pyscaffold_fw.explain import choice_warnings, readme_section
from pyscaffold_fw.questions import Question, load_questions
from pyscaffold_fw.recommend import Recommendation, Requirements, recommend
from pyscaffold_fw.registry import COMMON_IMPORTS, Framework, get_framework, template_path

# Passed to the templates beside the answers, never recorded: README's "Why" section.
WHY_KEY = "pyscaffold_why"


class CancelledError(PyscaffoldError):
    """The user declined the summary; nothing was written."""


class Prompter(Protocol):
    """What generation asks of an interactive user (implemented by wizard.py)."""

    def ask_requirements(self, given: Requirements) -> Requirements: ...

    def choose_framework(self, recommendation: Recommendation) -> str: ...

    def ask(self, question: Question, context: Mapping[str, Any], check: Check | None) -> Any: ...

    def confirm(self, summary: Mapping[str, Any], dest: Path) -> bool: ...


@dataclass(frozen=True)
class GenerateRequest:
    """Everything the user said: destination, framework, answers and how to treat gaps."""

    dest: Path
    framework: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    use_defaults: bool = False
    pretend: bool = False
    requirements: Requirements = field(default_factory=Requirements)


@dataclass(frozen=True)
class FrameworkChoice:
    """The framework to render, the recommendation behind it and notes about the choice."""

    framework: Framework
    recommendation: Recommendation | None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GenerateResult:
    """What was (or, when pretending, would be) generated."""

    project_dir: Path
    framework: str
    answers: Mapping[str, Any]
    files: tuple[str, ...]
    next_steps: tuple[str, ...]
    pretend: bool
    recommendation: Recommendation | None = None
    warnings: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the result as the documented JSON object."""
        return {
            "project_dir": str(self.project_dir),
            "framework": self.framework,
            "pretend": self.pretend,
            "answers": dict(self.answers),
            "files": list(self.files),
            "next_steps": list(self.next_steps),
            "warnings": list(self.warnings),
            "recommendation": self.recommendation.to_json() if self.recommendation else None,
        }


def generate(request: GenerateRequest, prompter: Prompter | None = None) -> GenerateResult:
    """Validate every answer, then render the project; ask `prompter` for what is missing."""
    from pyscaffold_fw.render import check_destination, render  # noqa: PLC0415  (imports Copier)

    dest = request.dest.absolute()
    names.check_project_name(dest.name, dest.parent)
    check_destination(dest)
    choice = choose_framework(request, prompter)
    framework = choice.framework
    answers = _answers(request, framework, dest, prompter)
    if prompter is not None and not prompter.confirm(answers, dest):
        raise CancelledError("Cancelled; nothing was written.")
    data = dict(answers)
    if choice.recommendation is not None and not choice.recommendation.requirements.is_empty():
        data[WHY_KEY] = readme_section(choice.recommendation, framework.id)
    rendered = render(template_path(framework.id), dest, data, pretend=request.pretend)
    recorded = {**answers, **rendered.answers}
    return GenerateResult(
        project_dir=dest,
        framework=framework.id,
        answers=recorded,
        files=rendered.files,
        next_steps=next_steps(framework, request.dest, recorded),
        pretend=request.pretend,
        recommendation=choice.recommendation,
        warnings=choice.warnings,
    )


def choose_framework(request: GenerateRequest, prompter: Prompter | None) -> FrameworkChoice:
    """Take --framework, else the user's pick in the wizard, else the recommendation."""
    requirements = request.requirements
    if request.framework is not None:
        framework = get_framework(request.framework)
        if requirements.is_empty():
            return FrameworkChoice(framework, None)
        recommendation = recommend(requirements)
        return FrameworkChoice(
            framework, recommendation, tuple(choice_warnings(recommendation, framework.id))
        )
    if prompter is not None and not request.use_defaults:
        recommendation = recommend(prompter.ask_requirements(requirements))
        chosen = prompter.choose_framework(recommendation)
        warnings = tuple(choice_warnings(recommendation, chosen))
        return FrameworkChoice(get_framework(chosen), recommendation, warnings)
    if request.use_defaults or not requirements.is_empty():
        recommendation = recommend(requirements)
        return FrameworkChoice(
            get_framework(recommendation.recommended.framework.id), recommendation
        )
    raise MissingAnswerError(
        "No terminal to ask which framework to use: pass --framework "
        "(for example --framework flask), requirements such as --kind api, or --defaults."
    )


def _answers(
    request: GenerateRequest, framework: Framework, dest: Path, prompter: Prompter | None
) -> dict[str, Any]:
    template = load_questions(template_path(framework.id))
    given = {"project_name": dest.name, **request.data}
    project_name = str(given["project_name"])
    names.check_project_name(project_name, dest.parent)
    reserved = (*framework.imports, *COMMON_IMPORTS)
    if template.get("package_name") is not None and "package_name" not in given:
        given["package_name"] = names.normalise_package_name(project_name)
        names.check_package_name(given["package_name"], project_name, reserved)
    checks: dict[str, Check] = {
        "package_name": lambda value: names.package_name_problem(str(value), reserved),
    }
    return resolve_answers(
        template,
        given,
        checks=checks,
        ask=prompter.ask if prompter else None,
        use_defaults=request.use_defaults,
    )


def next_steps(framework: Framework, dest: Path, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the commands that take a new project from files to a running server."""
    run = framework.dev_server.format(**{k: v for k, v in answers.items() if isinstance(k, str)})
    return (
        f"cd {shlex.quote(str(dest))}",
        "python -m venv .venv && . .venv/bin/activate",
        "pip install -e '.[dev]'",
        "pytest",
        run,
    )
