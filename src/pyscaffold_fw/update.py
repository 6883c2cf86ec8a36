"""`pyscaffold-fw update`: bring a generated project up to date with its template.

A three-way merge in the project's own git history. The base is the last untouched
render (history.py); the new render, made with the stored answers and the recorded render
inputs (provenance.py), is committed as its child and merged into the user's branch.
`--check` compares the new render's digest with the recorded one and needs no history;
`--pretend` merges in memory and writes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pyscaffold_fw import envfile
from pyscaffold_fw.answers import check_known_keys
from pyscaffold_fw.catalog import TemplateInfo, find_template, local_template_info
from pyscaffold_fw.errors import (
    InvalidAnswerError,
    KeptAfterInterruptError,
    MissingAnswerError,
    TemplateSourceError,
    UpdateRefusedError,
)
from pyscaffold_fw.generation import (
    LocalSource,
    catalog_id,
    local_copy,
    render_data,
    template_flags,
)
from pyscaffold_fw.provenance import (
    ANSWERS_FILE,
    RecordedProject,
    RenderRecord,
    new_record,
    read_answers_file,
)
from pyscaffold_fw.questions import (
    ANSWERS_BEFORE_KEY,
    TemplateQuestions,
    check_text_answers,
    load_questions,
)
from pyscaffold_fw.trust import refuse_unsafe
from pyscaffold_fw.update_base import (
    History,
    ProjectRepository,
    check_history,
    locate_repository,
    merge_history,
    refuse_unfinished_work,
)

if TYPE_CHECKING:
    from pyscaffold_fw.render import CopierRun, Rendered

MODES = ("update", "check", "pretend", "adopt")


@dataclass(frozen=True)
class UpdateRequest:
    """What the user asked of `update`."""

    project: Path = Path()
    mode: str = "update"  # update, check, pretend or adopt
    data: Mapping[str, Any] = field(default_factory=dict)
    use_defaults: bool = False
    template: str | None = None  # point the project at its template again
    framework: str | None = None  # the template id to adopt the project into
    vcs_ref: str | None = None
    trust: bool = False
    interactive: bool = False  # a terminal may be asked the template's new questions


@dataclass(frozen=True)
class UpdateResult:
    """What an update did, or would do."""

    project_dir: Path
    mode: str
    status: str  # up-to-date, behind, updated, conflicts, would-update, adopted
    template: TemplateInfo
    from_version: str | None
    to_version: str
    files: tuple[tuple[str, str], ...] = ()  # (A/M/D, path) changed in the project
    conflicts: tuple[str, ...] = ()
    diff: str = ""
    warnings: tuple[str, ...] = ()
    environment: tuple[str, ...] = ()  # variables to set, by name
    env_added: tuple[str, ...] = ()  # names whose fresh values went into .env
    changed_answers: Mapping[str, Any] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        """1 when the project is behind or the merge left conflicts, else 0."""
        return 1 if self.status in {"behind", "conflicts"} else 0

    def to_json(self) -> dict[str, Any]:
        """Return the result as the documented JSON object."""
        return {
            "project_dir": str(self.project_dir),
            "mode": self.mode,
            "status": self.status,
            "template": self.template.to_json(),
            "from_version": self.from_version,
            "to_version": self.to_version,
            "files": [{"status": status, "path": path} for status, path in self.files],
            "conflicts": list(self.conflicts),
            "diff": self.diff,
            "warnings": list(self.warnings),
            "environment": list(self.environment),
            "env_added": list(self.env_added),
            "changed_answers": dict(self.changed_answers),
        }


@dataclass
class Landed:
    """Whether the merge (or adoption) is in the repository: what a signal's report says."""

    done: bool = False


def update(request: UpdateRequest) -> UpdateResult:
    """Check, preview or apply the installed template's render to a generated project."""
    project = request.project.absolute()
    landed = Landed()
    try:
        return _update(request, project, landed)
    except KeyboardInterrupt as interrupt:
        if not landed.done:
            raise  # undone: the repository is as it was
        raise KeptAfterInterruptError(
            f"Interrupted. The update of {project} is complete and kept.", interrupt
        ) from None


def _update(request: UpdateRequest, project: Path, landed: Landed) -> UpdateResult:
    from pyscaffold_fw import __version__  # noqa: PLC0415

    if request.mode not in MODES:
        raise InvalidAnswerError(f"Unknown update mode {request.mode!r}.")
    if request.mode == "adopt":
        return _adopt(request, project, landed)
    recorded = read_answers_file(project)
    if request.mode == "check":
        _refuse_check_without_digests(project, recorded)
    # Refusals come before anything is asked or rendered; --check needs no history.
    merging = None if request.mode == "check" else merge_history(project, request.mode)
    history = merging or check_history(project)
    template = _locate(request, recorded)
    _refuse_downgrade(recorded, __version__)
    with _fresh_render(request, template, recorded, project) as (rendered, folder):
        outcome = UpdateResult(
            project_dir=project,
            mode=request.mode,
            status="up-to-date",
            template=template,
            from_version=recorded.record.version if recorded.record else None,
            to_version=__version__,
            warnings=_warnings(history, recorded, template),
            changed_answers=_changed(recorded.answers, rendered.answers),
        )
        if merging is None:
            digest = rendered.record.digest if rendered.record else None
            behind = recorded.record is None or digest != recorded.record.digest
            return _checked(outcome, behind, history, folder, template)
        return _merge(outcome, merging, folder, template, project, landed)


@contextmanager
def _fresh_render(
    request: UpdateRequest, template: TemplateInfo, recorded: RecordedProject, project: Path
) -> Iterator[tuple[Rendered, Path]]:
    """Render the template afresh with the stored answers (and any new ones) and the
    recorded inputs; yield what Copier settled and the folder it is in."""
    with local_copy(template) as source:
        _refuse_older_tag(recorded.commit, source.vcs_ref)
        run, given = _prepare(request, template, source, recorded)
        stated = {key: given[key] for key in given if key not in recorded.answers}
        record = _next_record(recorded, template, project, {**stated, **request.data})
        with tempfile.TemporaryDirectory(prefix="pyscaffold-update-") as scratch:
            rendered, folder = _render(run, template, source, record, given, Path(scratch))
            _refuse_unanswered(request, rendered.asked, given)
            yield rendered, folder


def _locate(request: UpdateRequest, recorded: RecordedProject) -> TemplateInfo:
    """Find the template the project came from: --template, the recorded id, or the
    recorded source."""
    if request.template is not None:
        return local_template_info(request.template, request.vcs_ref)
    if request.framework is not None:
        return find_template(request.framework)
    if recorded.record is not None and recorded.record.template is not None:
        return find_template(recorded.record.template)
    source = recorded.src_path
    if source is None:
        raise TemplateSourceError(
            "No template is recorded for this project: pass --framework ID or --template "
            "SOURCE to name it."
        )
    from pyscaffold_fw.vcs import is_remote  # noqa: PLC0415

    built_in = _built_in_id(source)
    if built_in is not None:
        return find_template(built_in)
    if not is_remote(source) and not Path(source).expanduser().is_dir():
        raise TemplateSourceError(
            f"The project's template {source} no longer exists: pass --template SOURCE to "
            "point the project at its template again."
        )
    return local_template_info(source, request.vcs_ref)


def _built_in_id(source: str) -> str | None:
    """Return the built-in id that a `_src_path` of an older version names: a folder
    `.../pyscaffold_fw/templates/<id>` on whatever machine generated the project."""
    path = Path(source)
    if (path.parent.name, path.parent.parent.name) == ("templates", "pyscaffold_fw"):
        return path.name
    return None


def _refuse_check_without_digests(project: Path, recorded: RecordedProject) -> None:
    """Refuse a --check that cannot compare digests (git tree ids): without git, or with a
    record written where git was not installed."""
    if shutil.which("git") is None:
        raise UpdateRefusedError(
            "git is not installed: --check compares the render's git tree id with the recorded one."
        )
    if recorded.record is not None and recorded.record.digest is None:
        raise UpdateRefusedError(
            f"{project} was generated where git was not installed: its answers file records "
            "no digest of the render, so --check cannot tell whether it is behind. Once the "
            "project is committed, `pyscaffold-fw update --adopt` records one (the template "
            "as it is now becomes the project's base)."
        )


def _refuse_downgrade(recorded: RecordedProject, installed: str) -> None:
    """Refuse a tool older than the one that rendered the project (its templates are)."""
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415

    if recorded.record is None or recorded.record.template is None:
        return
    try:
        older = Version(installed) < Version(recorded.record.version)
    except InvalidVersion:
        return
    if older:
        raise UpdateRefusedError(
            f"The project was rendered by pyscaffold-fw {recorded.record.version}, newer than "
            f"this one ({installed}): updating would take its templates back. Upgrade "
            "pyscaffold-fw first. Nothing was changed."
        )


def _refuse_older_tag(recorded: str | None, checked_out: str | None) -> None:
    """Refuse a git template's version tag older than the one the project was made from."""
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415

    if recorded is None or checked_out is None:
        return
    try:
        older = Version(checked_out) < Version(recorded)
    except InvalidVersion:
        return  # a branch or commit: no order to compare
    if older:
        raise UpdateRefusedError(
            f"The project is at the template's {recorded}; {checked_out} is older. Nothing "
            "was changed."
        )


def _next_record(
    recorded: RecordedProject, template: TemplateInfo, project: Path, data: Mapping[str, Any]
) -> RenderRecord:
    """Keep what the last render depended on; the version is this tool's."""
    fresh = new_record(catalog_id(template), template.origin, project.name, {}, [])
    old = recorded.record
    if old is None:
        return replace(fresh, given=tuple(data))
    given = tuple(dict.fromkeys([*old.given, *data]))
    return replace(
        fresh, year=old.year, folder=old.folder, requirements=old.requirements, given=given
    )


def _prepare(
    request: UpdateRequest, template: TemplateInfo, source: LocalSource, recorded: RecordedProject
) -> tuple[CopierRun, dict[str, Any]]:
    """Check the template and the answers; return how to run Copier and what to give it."""
    from pyscaffold_fw.render import CopierRun  # noqa: PLC0415

    questions = load_questions(source.folder)
    refuse_unsafe(questions, trust=request.trust, source=template.location)
    check_known_keys(questions, request.data)
    check_text_answers(request.data)
    old_package = recorded.answers.get("package_name")
    new_package = request.data.get("package_name", old_package)
    if old_package is not None and new_package != old_package:
        raise InvalidAnswerError(
            f"package_name cannot change in an update ({old_package} to {new_package}): "
            "every import in the project names it. Rename the package by hand instead."
        )
    known = set(questions.names)
    stored = {k: v for k, v in recorded.answers.items() if k in known}
    given = _answers_from_before(questions, recorded) | stored | dict(request.data)
    recorded_source = request.template if template.origin == "path" else source.recorded_source
    run = CopierRun(source.copier_source, source.vcs_ref, request.trust, recorded_source)
    if request.interactive and not request.use_defaults:
        from pyscaffold_fw.render import ask_with_copier  # noqa: PLC0415

        given = dict(ask_with_copier(run, given).settled)
    return run, given


def _answers_from_before(questions: TemplateQuestions, recorded: RecordedProject) -> dict[str, Any]:
    """Answer the questions a template added after the project was rendered as the project
    was made (`_pyscaffold_fw_answers_before`), so an update keeps what cannot change in a
    live project (a user model, a migrations tool)."""
    from packaging.version import InvalidVersion, Version  # noqa: PLC0415

    try:
        entries = [(Version(version), answers) for version, answers in questions.answers_before]
    except InvalidVersion as invalid:
        raise TemplateSourceError(f"{questions.path}: {ANSWERS_BEFORE_KEY}: {invalid}.") from None
    try:
        rendered_by = Version(recorded.record.version) if recorded.record else None
    except InvalidVersion:
        rendered_by = None  # an edited record: take the project as made before all of them
    entries.sort(key=lambda entry: entry[0])
    kept: dict[str, Any] = {}
    # The oldest introduction the project predates says how it was made.
    for introduced, answers in entries:
        if rendered_by is None or rendered_by < introduced:
            for name, answer in answers.items():
                kept.setdefault(name, answer)
    return {name: answer for name, answer in kept.items() if name not in recorded.answers}


def _render(
    run: CopierRun,
    template: TemplateInfo,
    source: LocalSource,
    record: RenderRecord,
    given: Mapping[str, Any],
    scratch: Path,
) -> tuple[Rendered, Path]:
    """Render the project afresh into `scratch`, as it was first rendered; return it."""
    from pyscaffold_fw.render import staged  # noqa: PLC0415

    flags = template_flags(template, source.vcs_ref, trust=run.trust)
    data = render_data(given, template, record, flags)
    dest = scratch / record.folder
    with staged(run, dest, data, pretend=False, record=record) as project:
        rendered = project.rendered
        folder = scratch / "render"
        project.target.rename(folder)
    return rendered, folder


def _refuse_unanswered(
    request: UpdateRequest, asked: Sequence[str], given: Mapping[str, Any]
) -> None:
    """A question the template added since needs an answer: from -d, a terminal or defaults."""
    if request.interactive or request.use_defaults or request.mode == "check":
        return
    missing = [name for name in asked if name not in given]
    if missing:
        raise MissingAnswerError(
            f"The template asks something new: {', '.join(missing)}. Pass each as -d "
            f"KEY=VALUE (for example -d {missing[0]}=...), or --defaults to take its default."
        )


def _warnings(
    history: History | None, recorded: RecordedProject, template: TemplateInfo
) -> tuple[str, ...]:
    warnings = [history.base.warning] if history is not None and history.base.warning else []
    record = recorded.record
    if record is not None and record.template is not None and record.origin != template.origin:
        warnings.append(
            f"The project came from the {record.origin} template {record.template!r}; this "
            f"machine's {template.id!r} is the {template.origin} one, at {template.location}."
        )
    return tuple(warnings)


def _changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in new.items() if old.get(key) != value}


def _checked(
    outcome: UpdateResult,
    behind: bool,
    history: History | None,
    folder: Path,
    template: TemplateInfo,
) -> UpdateResult:
    """Say whether the project is behind, and which files the template changed since
    its last render (when the history holds that render)."""
    if not behind:
        return outcome
    files: tuple[tuple[str, str], ...] = ()
    if history is not None:
        render = _commit_render(history, folder, template, outcome.to_version)
        files = tuple(history.repository.changed_between(history.base.tree, render))
    return replace(outcome, status="behind", files=files)


def _commit_render(
    history: ProjectRepository, folder: Path, template: TemplateInfo, version: str
) -> str:
    """Commit the new render as a child of the base (a root commit when adopting), at the
    project's folder in the repository (objects only); return the commit."""
    from pyscaffold_fw.history import render_message  # noqa: PLC0415

    label = catalog_id(template) or template.location
    summary = f"Render {label} {version} (pyscaffold-fw update)"
    message = render_message(summary, label, version, "{tree}", history.prefix)
    parent = history.base.commit if isinstance(history, History) else None
    return history.repository.commit_folder(folder, parent, message, history.prefix)


def _merge(
    outcome: UpdateResult,
    history: History,
    folder: Path,
    template: TemplateInfo,
    project: Path,
    landed: Landed,
) -> UpdateResult:
    """Merge the new render into the branch (or, pretending, in memory only)."""
    repository = history.repository
    render = _commit_render(history, folder, template, outcome.to_version)
    if repository.tree_of(render) == history.base.tree:
        return outcome  # the template renders exactly what it rendered last time
    head = repository.head()
    preview = repository.preview_merge(render)
    head_tree = repository.tree_of(head)
    files = tuple(repository.changed_between(head_tree, preview.tree))
    environment = envfile.new_names(project, folder)
    if outcome.mode == "pretend":
        diff = repository.diff(head_tree, preview.tree)
        status = "would-update" if files or preview.conflicts else "up-to-date"
        conflicts = tuple(name for name in preview.conflicts if name != history.path(ANSWERS_FILE))
        return replace(
            outcome,
            status=status,
            files=files,
            conflicts=conflicts,
            diff=diff,
            environment=environment,
        )
    _refuse_overwriting(repository.project, files)
    label = catalog_id(template) or template.location
    message = f"Update from {label} {outcome.to_version} (pyscaffold-fw update)"
    env_before = envfile.saved(project)
    try:
        conflicts = repository.merge(render, message, owned=(history.path(ANSWERS_FILE),))
        added = envfile.add_missing(project, folder)
        landed.done = True
    except BaseException:  # a failure or a signal: as if the update never started
        repository.restore(head)
        envfile.restore(project, env_before)
        raise
    status = "conflicts" if conflicts else "updated"
    return replace(
        outcome,
        status=status,
        files=files,
        conflicts=conflicts,
        environment=environment,
        env_added=added,
    )


def _refuse_overwriting(top: Path, files: Sequence[tuple[str, str]]) -> None:
    """Untracked or ignored files block an update only where it would write a new file."""
    blocking = [path for status, path in files if status == "A" and (top / path).exists()]
    if blocking:
        raise UpdateRefusedError(
            f"The update adds {', '.join(blocking)}, which already exist(s) untracked here; "
            "move it away or commit it, then update again. Nothing was changed."
        )


def _adopt(request: UpdateRequest, project: Path, landed: Landed) -> UpdateResult:
    """Bring a project without a render commit into the update cycle: commit the render
    as a root commit and merge it keeping every file of the project as it is (`-s ours`),
    so every difference from the template counts as the user's edit. The answers file
    is the render's (the tool's own file)."""
    from pyscaffold_fw import __version__  # noqa: PLC0415

    try:
        recorded = read_answers_file(project)
    except TemplateSourceError:  # no answers file: the flags name the template and answers
        recorded = RecordedProject({}, None, None, None)
    located = locate_repository(project)
    if located is None:
        raise UpdateRefusedError(
            f"{project} is not a git repository: commit the project first (git init && "
            "git add --all && git commit). Nothing was changed."
        )
    repository, prefix = located
    refuse_unfinished_work(repository)
    if repository.find_base(prefix) is not None:
        raise UpdateRefusedError(
            f"{project} already has a render commit: run `pyscaffold-fw update`. "
            "Nothing was changed."
        )
    adoption = ProjectRepository(repository, prefix)
    template = _locate(request, recorded)
    label = catalog_id(template) or template.location
    with _fresh_render(request, template, recorded, project) as (rendered, folder):
        answers = folder / ANSWERS_FILE
        if not answers.is_file():
            raise UpdateRefusedError(
                f"The template {label} writes no {ANSWERS_FILE}: nothing would record the "
                "project's answers, so it could never be updated. Nothing was changed."
            )
        head = repository.head()
        render = _commit_render(adoption, folder, template, __version__)
        owned = {adoption.path(ANSWERS_FILE): answers.read_bytes()}
        message = f"Adopt {label} {__version__} as this project's template (pyscaffold-fw)"
        try:
            repository.adopt(render, message, owned)
            landed.done = True
        except BaseException:
            repository.restore(head)
            raise
    return UpdateResult(
        project_dir=project,
        mode="adopt",
        status="adopted",
        template=template,
        from_version=None,
        to_version=__version__,
        changed_answers=_changed(recorded.answers, rendered.answers),
    )
