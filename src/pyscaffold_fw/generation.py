"""The core call: turn a request (flags, data, destination) into a rendered project."""

from __future__ import annotations

import shlex
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pyscaffold_fw import house_rules, names
from pyscaffold_fw.answers import check_known_keys, refuse_unanswered
from pyscaffold_fw.catalog import (
    TemplateInfo,
    find_template,
    local_template_info,
)
from pyscaffold_fw.errors import (
    InvalidAnswerError,
    KeptAfterInterruptError,
    MissingAnswerError,
    PyscaffoldError,
    RenderError,
    RepositoryError,
)
from pyscaffold_fw.explain import choice_warnings, readme_section
from pyscaffold_fw.placement import Placement
from pyscaffold_fw.provenance import ANSWERS_FILE, YEAR_KEY, RenderRecord, new_record
from pyscaffold_fw.questions import TemplateQuestions, check_text_answers, load_questions
from pyscaffold_fw.recommend import Recommendation, Requirements, recommend
from pyscaffold_fw.recreate import recreate_command
from pyscaffold_fw.trust import refuse_unsafe, refuse_untrusted_install

if TYPE_CHECKING:
    from pyscaffold_fw.poststeps import InstallOutcome
    from pyscaffold_fw.render import CopierRun, Rendered
    from pyscaffold_fw.vcs import RepositoryOutcome

# Passed to the templates beside the answers, never recorded: README's "Why" section and
# the command that creates the project again.
WHY_KEY = "pyscaffold_why"
RECREATE_KEY = "pyscaffold_recreate"


class CancelledError(PyscaffoldError):
    """The user declined the summary and quit; nothing was written."""

    plain = True


class Prompter(Protocol):
    """What generation asks of an interactive user (implemented by wizard.py)."""

    def ask_destination(self) -> Path: ...

    def ask_requirements(self, given: Requirements) -> Requirements: ...

    def choose_framework(self, recommendation: Recommendation) -> str: ...

    def warn(self, message: str) -> None: ...

    def ask_package_name(self) -> str: ...

    def confirm(self, summary: Mapping[str, Any], dest: Path) -> bool: ...

    def choose_change(self, summary: Mapping[str, Any]) -> str | None: ...

    def ask_customise(self) -> bool: ...

    def ask_install(self) -> bool: ...


@dataclass(frozen=True)
class GenerateRequest:
    """Everything the user said: destination, template, answers and how to treat gaps."""

    dest: Path
    framework: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    use_defaults: bool = False
    pretend: bool = False
    requirements: Requirements = field(default_factory=Requirements)
    template: str | None = None  # a path or git URL instead of a framework id
    vcs_ref: str | None = None
    trust: bool = False
    team_answers: Mapping[str, Any] = field(default_factory=dict)  # config-file defaults
    git: bool = False  # make the project a repository with one commit
    install: bool | None = False  # None: ask the prompter
    run_tests: bool = False  # implies install
    stream: bool = False  # show installer and test output live on stderr


@dataclass(frozen=True)
class TemplateChoice:
    """The template to render, the recommendation behind it and notes about the choice."""

    template: TemplateInfo
    recommendation: Recommendation | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GenerateResult:
    """What was (or, when pretending, would be) generated."""

    project_dir: Path
    template: TemplateInfo
    answers: Mapping[str, Any]
    files: tuple[str, ...]
    next_steps: tuple[str, ...]
    pretend: bool
    recommendation: Recommendation | None = None
    warnings: tuple[str, ...] = ()
    recreate: str = ""
    git: RepositoryOutcome | None = None
    install: InstallOutcome | None = None
    # What the template itself says after generation (Copier's `_message_after_copy`).
    message: str = ""

    @property
    def framework(self) -> str | None:
        """Return the built-in framework id the template stands for, if any."""
        return self.template.framework.id if self.template.framework else None

    def to_json(self) -> dict[str, Any]:
        """Return the result as the documented JSON object."""
        return {
            "project_dir": str(self.project_dir),
            "framework": self.framework,
            "template": self.template.to_json(),
            "pretend": self.pretend,
            "answers": dict(self.answers),
            "files": list(self.files),
            "next_steps": list(self.next_steps),
            "warnings": list(self.warnings),
            "recommendation": self.recommendation.to_json() if self.recommendation else None,
            "recreate": self.recreate,
            "git": self.git.to_json() if self.git else None,
            "install": self.install.to_json() if self.install else None,
            "message": self.message,
        }


def generate(
    request: GenerateRequest,
    prompter: Prompter | None = None,
    announce: Callable[[GenerateResult], None] | None = None,
) -> GenerateResult:
    """Validate every answer, then render the project; ask `prompter` for what is missing.

    `announce` hears about the written project before the post-steps (git, install) run.
    """
    from pyscaffold_fw.render import check_destination  # noqa: PLC0415  (imports Copier)

    dest = _normalised(request.dest)
    names.check_destination_path(dest)
    names.check_project_name(dest.name, dest.parent)
    check_destination(dest)
    choice = choose_template(request, prompter)
    placement = Placement()
    try:
        with local_copy(choice.template) as source:
            result, install = _render(request, choice, source, dest, prompter, placement)
        if request.pretend:
            return result
        if announce is not None:
            announce(result)
        return _post_steps(result, request, install=install)
    except KeyboardInterrupt as interrupt:
        if not placement.done:
            raise  # nothing was written
        raise KeptAfterInterruptError(
            f"Interrupted. The project in {dest} is complete and kept.", interrupt
        ) from None


def _render(
    request: GenerateRequest,
    choice: TemplateChoice,
    source: LocalSource,
    dest: Path,
    prompter: Prompter | None,
    placement: Placement,
) -> tuple[GenerateResult, bool]:
    """Let Copier settle every answer, confirm, render; return what was (or would be)
    written, and whether to install it."""
    from pyscaffold_fw.render import CopierRun, finish_in_place, staged  # noqa: PLC0415

    template = choice.template
    questions = load_questions(source.folder)
    refuse_unsafe(questions, trust=request.trust, source=template.location)
    may_run_code = request.trust or template.trusted_by_default
    installs = bool(request.install or request.run_tests)
    refuse_untrusted_install(template.location, installs=installs, may_run_code=may_run_code)
    given = _given_answers(request, template, questions, dest)
    typed_package = "package_name" in given
    recorded = request.template if template.origin == "path" else source.recorded_source
    run = CopierRun(source.copier_source, source.vcs_ref, request.trust, recorded)
    shown = questions.without_secrets(given)
    if prompter is not None and not request.use_defaults:
        given, shown = _ask_until_confirmed(run, given, template, prompter, dest)
    install = may_run_code and not request.pretend and _install_wanted(request, prompter)
    flags = template_flags(
        template, source.vcs_ref, trust=request.trust and bool(questions.unsafe_features)
    )
    record = new_record(
        catalog_id(template), template.origin, dest.name, _stated(choice).to_json(), list(shown)
    )
    data = render_data(given, template, record, flags)
    with staged(run, dest, data, pretend=request.pretend, record=record) as project:
        if prompter is None and not request.use_defaults:
            refuse_unanswered(project.rendered.asked, given)
        house_rules.check_answers(template, project.rendered.settled, typed=typed_package)
        if not request.pretend:
            project.place(placement)
    rendered = project.rendered
    tasks = "tasks" in questions.unsafe_features and request.trust
    if (tasks or rendered.mentions_staging) and not request.pretend:
        try:
            finish_in_place(run, dest, {**data, **rendered.settled}, tasks=tasks)
        except PyscaffoldError as error:  # the project is in place: say so
            raise RenderError(
                f"The project in {dest} is written and kept, but finishing it in place "
                f"failed: {error.message}"
            ) from error
    result = GenerateResult(
        project_dir=dest,
        template=template,
        answers=rendered.answers,
        files=rendered.files,
        next_steps=next_steps(
            template, request.dest, rendered.answers, installed=install, files=rendered.files
        ),
        pretend=request.pretend,
        recommendation=choice.recommendation,
        warnings=(*choice.warnings, *_not_updatable(rendered.files)),
        recreate=str(data[RECREATE_KEY]),
        message=rendered.message,
    )
    return result, install


def _normalised(dest: Path) -> Path:
    """Return `dest` absolute, its parent resolved (no `..`, as the file system sees it);
    the last part stays as given, so a link there is still refused, not followed."""
    absolute = dest.absolute()
    return absolute.parent.resolve() / absolute.name


def _install_wanted(request: GenerateRequest, prompter: Prompter | None) -> bool:
    if request.run_tests:
        return True
    if request.install is not None:
        return request.install
    return not request.use_defaults and _ask_install(prompter)  # --defaults asks nothing


def _ask_until_confirmed(
    run: CopierRun,
    given: Mapping[str, Any],
    template: TemplateInfo,
    prompter: Prompter,
    dest: Path,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Let Copier ask what is open, show the summary; after a "no", ask again the answer
    the user picks (Copier asks only that one), or quit. Return (settled, shown)."""
    # Our starters' defaults are all valid: take them unless the user wants to go
    # through the questions; the summary shows every answer, and "no" changes one.
    ask = not house_rules.applies(template) or prompter.ask_customise()
    while True:
        asked = _ask_with_copier(run, given, template, prompter, ask=ask)
        ask = True
        settled, shown = dict(asked.settled), dict(asked.answers)
        if prompter.confirm(shown, dest):
            return settled, shown
        change = prompter.choose_change(shown)
        if change is None:
            raise CancelledError("Quit; nothing was written.")
        given = {key: value for key, value in settled.items() if key != change}


def _ask_with_copier(
    run: CopierRun,
    given: Mapping[str, Any],
    template: TemplateInfo,
    prompter: Prompter,
    *,
    ask: bool = True,
) -> Rendered:
    """Let Copier ask what `given` leaves open. For our templates, a package name that
    the template or our rules refuse (one made from DEST, say) is asked for again."""
    from pyscaffold_fw.render import ask_with_copier  # noqa: PLC0415  (imports Copier)

    while True:
        try:
            asked = ask_with_copier(run, given, ask=ask)
            problem = house_rules.package_problem(template, asked.settled)
        except InvalidAnswerError as error:
            if not house_rules.applies(template) or "'package_name'" not in error.message:
                raise
            asked, problem = None, error.message
        if asked is not None and problem is None:
            return asked
        prompter.warn(str(problem).split(" Pass -d ")[0])
        answered = asked.settled if asked is not None else given  # not asked again
        given = {**answered, "package_name": prompter.ask_package_name()}


def _ask_install(prompter: Prompter | None) -> bool:
    return prompter is not None and prompter.ask_install()


def _post_steps(
    result: GenerateResult, request: GenerateRequest, *, install: bool
) -> GenerateResult:
    """Make the written project a repository, then install it: each step keeps the project."""
    from pyscaffold_fw import __version__  # noqa: PLC0415
    from pyscaffold_fw.poststeps import install_project  # noqa: PLC0415
    from pyscaffold_fw.vcs import finish_repository_command, init_repository  # noqa: PLC0415

    if request.git:
        message = f"Create {result.template.id} project with pyscaffold-fw"
        marker = (result.template.id, __version__)
        result = replace(result, git=init_repository(result.project_dir, message, marker))
        if result.git is not None and result.git.status == "failed":
            raise RepositoryError(
                f"The project in {result.project_dir} is complete and kept, but {result.git.detail}"
                f". To finish: {finish_repository_command(result.project_dir, message)}"
            )
    if install:
        version = result.answers.get("python_version")
        outcome = install_project(
            result.project_dir,
            python_version=str(version) if version is not None else None,
            run_tests=request.run_tests,
            stream=request.stream,
            commit_lock=result.git is not None and result.git.status == "committed",
        )
        warning = outcome.lock.warning if outcome.lock is not None else ""
        warnings = (*result.warnings, warning) if warning else result.warnings
        result = replace(result, install=outcome, warnings=warnings)
    return result


def template_flags(template: TemplateInfo, vcs_ref: str | None, *, trust: bool) -> list[str]:
    """Return the flags that name `template` again on a command line."""
    if template.origin in {"path", "git"}:
        flags = ["--template", template.location]
        flags += ["--vcs-ref", vcs_ref] if vcs_ref and vcs_ref != "HEAD" else []
    else:
        flags = ["--framework", template.id]
    return [*flags, "--trust"] if trust else flags


def catalog_id(template: TemplateInfo) -> str | None:
    """Return the id that finds `template` in the catalog again, or None for a path or URL."""
    return None if template.origin in {"path", "git"} else template.id


def _stated(choice: TemplateChoice) -> Requirements:
    recommendation = choice.recommendation
    return recommendation.requirements if recommendation is not None else Requirements()


def choose_template(request: GenerateRequest, prompter: Prompter | None) -> TemplateChoice:
    """Take --template or --framework, else the user's pick, else the recommendation."""
    if request.template is not None:
        return TemplateChoice(local_template_info(request.template, request.vcs_ref))
    requirements = request.requirements
    if request.framework is not None:
        template = find_template(request.framework)
        if requirements.is_empty():
            return TemplateChoice(template)
        recommendation = recommend(requirements)
        return TemplateChoice(template, recommendation, _warnings(recommendation, template))
    if prompter is not None and not request.use_defaults:
        recommendation = recommend(prompter.ask_requirements(requirements))
        template = find_template(prompter.choose_framework(recommendation))
        return TemplateChoice(template, recommendation, _warnings(recommendation, template))
    if request.use_defaults or not requirements.is_empty():
        recommendation = recommend(requirements)
        return TemplateChoice(
            find_template(recommendation.recommended.framework.id), recommendation
        )
    raise MissingAnswerError(
        "Nothing may ask which framework to use (no terminal, --json or CI): pass --framework "
        "(for example --framework flask), requirements such as --kind api, or --defaults."
    )


def _not_updatable(files: tuple[str, ...]) -> tuple[str, ...]:
    """Warn, while the project is new, that nothing records its answers for `update`."""
    if ANSWERS_FILE in files:
        return ()
    return (
        f"The template writes no {ANSWERS_FILE}, so `pyscaffold-fw update` cannot update "
        "this project later. A template records its answers in a file named "
        "`{{ _copier_conf.answers_file }}.jinja` holding `{{ _copier_answers|to_nice_yaml }}`.",
    )


def _warnings(recommendation: Recommendation, template: TemplateInfo) -> tuple[str, ...]:
    ranked = {score.framework.id for score in recommendation.ranking}
    return tuple(choice_warnings(recommendation, template.id)) if template.id in ranked else ()


@dataclass(frozen=True)
class LocalSource:
    """A template on this machine: where to read it, and what Copier is to render."""

    folder: Path
    vcs_ref: str | None = None
    # For a git template, our clone (Copier never runs git in someone else's folder)
    # and the source to record in the answers file instead of the clone's path.
    clone: Path | None = None
    recorded_source: str | None = None

    @property
    def copier_source(self) -> str:
        """Return what Copier renders from."""
        return str(self.clone or self.folder)


@contextmanager
def local_copy(template: TemplateInfo) -> Iterator[LocalSource]:
    """Yield the template as a local folder, cloning a git source (at its ref) first."""
    if template.origin != "git":
        yield LocalSource(template.path)
        return
    from pyscaffold_fw.vcs import checkout  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="pyscaffold-template-") as scratch:
        clone = Path(scratch) / "template"
        ref = checkout(template.location, template.vcs_ref, clone)
        yield LocalSource(clone, ref, clone, template.location)


def render_data(
    answers: Mapping[str, Any], template: TemplateInfo, record: RenderRecord, flags: list[str]
) -> dict[str, Any]:
    """Return Copier's data: the answers, and what our templates show that nobody is asked
    (the README's "Why" and recreate line, the LICENSE year), all made from `record`, so
    that the same record renders the same project again."""
    requirements = Requirements.from_json(record.requirements)
    shown = {key: answers[key] for key in record.given if key in answers}
    recreate = recreate_command(Path(record.folder), flags, shown, requirements)
    data = {**answers, RECREATE_KEY: recreate, YEAR_KEY: record.year}
    if template.framework is not None and not requirements.is_empty():
        data[WHY_KEY] = readme_section(recommend(requirements), template.id)
    return data


def _given_answers(
    request: GenerateRequest, template: TemplateInfo, questions: TemplateQuestions, dest: Path
) -> dict[str, Any]:
    """Return the answers the user gave: team config, then the data file and `-d` flags.

    For our own templates DEST also names the project. Copier settles everything else.
    """
    known = set(questions.names)
    team = {key: value for key, value in request.team_answers.items() if key in known}
    given = {
        **house_rules.given_by_destination(template, dest),
        **house_rules.given_by_git(template),
        **team,
        **request.data,
    }
    check_known_keys(questions, given)
    check_text_answers(given)
    if house_rules.applies(template) and "project_name" in given:
        names.check_project_name(str(given["project_name"]), dest.parent)
    return given


def next_steps(
    template: TemplateInfo,
    dest: Path,
    answers: Mapping[str, Any],
    *,
    installed: bool = False,
    files: Sequence[str] = (),
) -> tuple[str, ...]:
    """Return the commands that take a new project from files to a running server."""
    steps = [f"cd {shlex.quote(str(dest))}"]
    if installed:
        steps.append(". .venv/bin/activate")
    elif "pyproject.toml" in files or template.framework is not None:
        python = _python_command(answers.get("python_version"))
        steps += [f"{python} -m venv .venv && . .venv/bin/activate", "pip install -e '.[dev]'"]
    if answers.get("database") == "postgresql":
        # DATABASE_URL in .env names a local database of the package's name.
        package = shlex.quote(str(answers.get("package_name", "")))
        steps.append(f"createdb {package}  # on your running PostgreSQL")
    if template.framework is not None or "pyproject.toml" in files:
        steps.append("pytest")
    if template.framework is not None and template.framework.dev_server:
        steps.append(template.framework.dev_server.format_map(_Answers(answers)))
    elif "Procfile" in files:
        steps.append("grep '^web:' Procfile  # the command that serves it (set PORT)")
    elif "README.md" in files:
        steps.append("less README.md  # how to run it")
    return tuple(steps)


def _python_command(version: object) -> str:
    """`python`, or `python3.12` when the project needs a newer Python than this one."""
    from pyscaffold_fw.verify import needs_other_python  # noqa: PLC0415

    wanted = str(version) if version is not None else None
    return f"python{wanted}" if needs_other_python(wanted) else "python"


class _Answers(dict[str, Any]):
    """Format values for a command line; a missing key stays visible."""

    def __init__(self, answers: Mapping[str, Any]) -> None:
        super().__init__(answers)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
