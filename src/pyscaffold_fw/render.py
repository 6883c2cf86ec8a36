"""Render a Copier template into place atomically: the only module that imports Copier."""

from __future__ import annotations

import io
import mmap
import os
import tempfile
import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pyscaffold_fw import bounds
from pyscaffold_fw.copier_errors import copier_errors
from pyscaffold_fw.copier_prompts import prompts_shown_visible
from pyscaffold_fw.errors import (
    DestinationError,
    TemplateBoundError,
    UnsafeTemplateError,
)
from pyscaffold_fw.limits import capped, memory_capped
from pyscaffold_fw.placement import Placement, created_parents, move_into_place, staging_dir
from pyscaffold_fw.provenance import RenderRecord, stamp


@dataclass(frozen=True)
class Rendered:
    """What a rendering produced: files relative to the project, and Copier's answers."""

    files: tuple[str, ...]
    # What Copier records: every answer but secrets and questions whose `when` is false.
    answers: Mapping[str, Any]
    # The template's `_message_after_copy`, rendered as Copier would show it ("" if none).
    message: str = ""
    # Every answer Copier settled on, secrets included: enough to render the same again.
    settled: Mapping[str, Any] = field(default_factory=dict)
    # The questions Copier would have asked (their `when` is true), in its order.
    asked: tuple[str, ...] = ()
    # Whether a file holds the staging folder's path (`_copier_conf.dst_path`, `pwd`...).
    mentions_staging: bool = False
    # What the answers file records about the render, with its digest (see provenance.py).
    record: RenderRecord | None = None


@dataclass(frozen=True)
class Staged:
    """A project rendered into a staging folder, not yet in place."""

    target: Path
    dest: Path
    rendered: Rendered

    def place(self, placement: Placement) -> None:
        """Move the project into its destination in one step."""
        move_into_place(self.target, self.dest, placement)


@dataclass(frozen=True)
class CopierRun:
    """How to run Copier on one template: the same for every pass over it."""

    template: str
    vcs_ref: str | None = None
    trust: bool = False
    # What to record as `_src_path` instead of `template` (our clone of a git source, or
    # the folder as the user spelled it).
    recorded_source: str | None = None

    @property
    def source(self) -> str:
        """Return the template as the user named it, for messages."""
        return self.recorded_source or self.template


def check_destination(dest: Path) -> None:
    """Refuse a destination that exists and is not an empty directory."""
    if dest.is_symlink() or (dest.exists() and not dest.is_dir()):
        raise DestinationError(f"{dest} exists and is not a directory; nothing was written.")
    if dest.is_dir() and any(dest.iterdir()):
        raise DestinationError(
            f"{dest} already exists and is not empty; choose a new directory. Nothing was written."
        )


def render(
    template: Path | str,
    dest: Path,
    data: Mapping[str, Any],
    *,
    pretend: bool,
    vcs_ref: str | None = None,
    trust: bool = False,
    recorded_source: str | None = None,
    placement: Placement | None = None,
) -> Rendered:
    """Render `template` with `data` into `dest`, or only report the files when pretending."""
    run = CopierRun(str(template), vcs_ref, trust, recorded_source)
    with staged(run, dest, data, pretend=pretend) as project:
        if not pretend:
            project.place(placement or Placement())
    return project.rendered


def ask_with_copier(run: CopierRun, data: Mapping[str, Any], *, ask: bool = True) -> Rendered:
    """Let Copier ask, in the terminal, every question `data` does not answer (or, without
    `ask`, take their defaults); write nothing.

    Copier evaluates defaults, `when`, choices and validators as it always does.
    """
    scratch = Path(tempfile.gettempdir()) / f".pyscaffold-ask-{os.getpid()}"
    capped = nullcontext() if run.trust else memory_capped(f"Asking {run.source}'s questions")
    with capped, prompts_shown_visible():
        worker = _copier(run, scratch, data, interactive=ask, pretend=True)
    return Rendered((), _public_answers(worker), "", _settled(worker), _asked(worker))


@contextmanager
def staged(
    run: CopierRun,
    dest: Path,
    data: Mapping[str, Any],
    *,
    pretend: bool,
    record: RenderRecord | None = None,
) -> Iterator[Staged]:
    """Render without asking into a staging folder beside `dest`; yield it to check and place.

    The project is rendered as `<staging>/<dest name>`, so nothing derived from the name
    changes. On any failure or signal before it is placed, nothing is left behind. Tasks
    do not run here: see `run_tasks`.
    """
    check_destination(dest)
    parent = Path(tempfile.gettempdir()) if pretend else dest.parent
    with created_parents(parent), staging_dir(parent) as staging:
        target = staging / dest.name
        with nullcontext() if run.trust else capped(f"Rendering the template {run.source}"):
            worker = _copier(run, target, data, interactive=False, skip_tasks=True)
        target.mkdir(exist_ok=True)  # a template with no files renders an empty project
        _refuse_links_leaving(target)
        _refuse_git_metadata(target)
        record = _record_in_answers_file(run, target, Path(worker.answers_relpath), record)
        message = _message_after_copy(worker, dest)
        answers, settled, asked = _public_answers(worker), _settled(worker), _asked(worker)
        files = _list_files(target)
        mentioned = _mentions(target, files, str(staging))
        rendered = Rendered(files, answers, message, settled, asked, mentioned, record)
        yield Staged(target, dest, rendered)


def finish_in_place(run: CopierRun, dest: Path, settled: Mapping[str, Any], *, tasks: bool) -> None:
    """Render the same answers again over the project in its final place, as plain Copier
    renders it there: `_copier_conf.dst_path` is the final path, and tasks (when `tasks`)
    run in it. The files are the same but for that path. Their output goes to stderr.
    """
    with _stdout_to_stderr():
        _copier(run, dest, settled, interactive=False, overwrite=True, skip_tasks=not tasks)


def _mentions(root: Path, files: tuple[str, ...], text: str) -> bool:
    """Tell whether any of `files` under `root` holds `text` (read a file at a time)."""
    needle = text.encode()
    return any(_holds(root / name, needle) for name in files)


def _holds(path: Path, needle: bytes) -> bool:
    if path.is_symlink() or path.stat().st_size == 0:
        return False
    with path.open("rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(needle) != -1


@contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """Send what child processes write to stdout to stderr: --json keeps stdout to itself."""
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _public_answers(worker: Any) -> dict[str, Any]:
    """Return the answers Copier records: no secrets, no `when: false`, no `_` keys."""
    hidden = set(worker.answers.hidden) | set(worker.template.secret_questions)
    return {
        key: value
        for key, value in worker.answers.user.items()
        if key not in hidden and not key.startswith("_")
    }


def _settled(worker: Any) -> dict[str, Any]:
    return dict(worker.answers.user)


def _asked(worker: Any) -> tuple[str, ...]:
    hidden = set(worker.answers.hidden)
    return tuple(key for key in worker.answers.user if key not in hidden)


def _copier(
    run: CopierRun,
    target: Path,
    data: Mapping[str, Any],
    *,
    interactive: bool,
    pretend: bool = False,
    skip_tasks: bool = False,
    overwrite: bool = False,
) -> Any:
    """Run Copier once; turn what can go wrong into our errors. Return its worker."""
    from copier import Settings, run_copy  # noqa: PLC0415  (heavy: import only to render)
    from copier.errors import CopierWarning  # noqa: PLC0415

    shown = nullcontext() if interactive else _copier_output_shown()
    with (
        copier_errors(run.source),
        warnings.catch_warnings(),
        _git_confined(run.template),
        shown,
    ):
        # e.g. "dirty local template" when rendering from a source checkout.
        warnings.simplefilter("ignore", CopierWarning)
        return run_copy(
            run.template,
            target,
            data=dict(data),
            vcs_ref=run.vcs_ref,
            # An empty Settings: a user's Copier settings file must not change answers.
            settings=Settings(),
            defaults=not interactive,
            quiet=True,
            unsafe=run.trust,
            pretend=pretend,
            skip_tasks=skip_tasks,
            overwrite=overwrite,
            cleanup_on_error=False,
        )


def _message_after_copy(worker: Any, dest: Path) -> str:
    """Render `_message_after_copy` as Copier would, but for the final place, not staging."""
    message = worker.template.message_after_copy
    if not message:
        return ""
    # Copier prints it unless quiet. Rendered with its private `_render_string` (the same
    # from 9.12 to 9.19: answers, _copier_conf, _folder_name).
    worker.dst_path = dest
    return str(worker._render_string(message)).strip()


@contextmanager
def _copier_output_shown() -> Iterator[None]:
    """Hold what Copier prints, then show it on stderr with its control characters visible.

    Quiet, Copier still prints warnings, which may quote the template's text; on stderr,
    so that --json keeps stdout to its one object.
    """
    import click  # noqa: PLC0415

    from pyscaffold_fw.terminal import color_enabled, visible_keeping_colour  # noqa: PLC0415

    held = io.StringIO()
    try:
        with redirect_stdout(held), redirect_stderr(held):
            yield
    finally:
        if held.getvalue():
            shown = visible_keeping_colour(held.getvalue())
            click.echo(shown, err=True, nl=False, color=color_enabled())


@contextmanager
def _git_confined(template: str) -> Iterator[None]:
    """Run Copier's git with our hardened settings, never looking above the template folder.

    Without the ceiling, git run in a plain template folder would find (and obey the
    configuration of) a repository that happens to enclose it.
    """
    from plumbum import local  # noqa: PLC0415  (Copier runs git through plumbum's `local`)

    from pyscaffold_fw.vcs import hardened_env  # noqa: PLC0415

    ceiling = str(Path(template).absolute().parent)
    with local.env():  # restored on leaving; Copier's git gets plumbum's copy of os.environ
        current = local.env.getdict()
        hardened = hardened_env(current)
        for name in current.keys() - hardened.keys():
            local.env.pop(name)
        local.env.update(hardened, GIT_CEILING_DIRECTORIES=ceiling)
        yield


def _refuse_links_leaving(target: Path) -> None:
    from pyscaffold_fw.catalog import symlinks_leaving  # noqa: PLC0415

    outside = symlinks_leaving(target)
    if outside:
        link = outside[0].relative_to(target)
        raise UnsafeTemplateError(
            f"The template made a link pointing outside the project ({link}); refused. "
            "Nothing was written."
        )


def _refuse_git_metadata(target: Path) -> None:
    """Refuse a rendered `.git`: its config (filters, fsmonitor) would run on `git add`."""
    for path in target.rglob("*"):
        if path.name.casefold() == ".git":
            raise UnsafeTemplateError(
                f"The template wrote git metadata ({path.relative_to(target)}), whose "
                "configuration could run commands when git is used in the project; refused. "
                "Nothing was written."
            )


def _record_in_answers_file(
    run: CopierRun, target: Path, answers_relpath: Path, record: RenderRecord | None
) -> RenderRecord | None:
    """Write the recorded source and `record` into the answers file the template wrote."""
    answers_file = target / answers_relpath
    try:
        if run.recorded_source is not None:
            _record_source(answers_file, run.template, run.recorded_source)
        if record is not None:
            keep = run.recorded_source is not None
            record = stamp(target, answers_file, record, keep_src_path=keep)
    except TemplateBoundError as error:  # named as the project will hold it, not as staged
        message = error.message.replace(str(answers_file), str(answers_relpath), 1)
        raise TemplateBoundError(
            f"The template's answers file {message} Nothing was written."
        ) from None
    return record


def _record_source(answers_file: Path, rendered_from: str, source: str) -> None:
    """Record `source` as `_src_path` where Copier recorded the folder it rendered from."""
    if not answers_file.is_file():
        return
    text = bounds.read_text(answers_file, TemplateBoundError)
    line = yaml.safe_dump({"_src_path": source}, allow_unicode=True, width=1_000_000).strip()
    recorded = "\n".join(
        line if old.startswith("_src_path:") and rendered_from in old else old
        for old in text.split("\n")
    )
    answers_file.write_text(recorded, encoding="utf-8")


def _list_files(root: Path) -> tuple[str, ...]:
    return tuple(
        sorted(str(path.relative_to(root)) for path in root.rglob("*") if not path.is_dir())
    )
