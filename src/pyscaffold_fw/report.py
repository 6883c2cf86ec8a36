"""Print results and errors: human text for people, one JSON object for machines."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from pyscaffold_fw.errors import EXIT_USAGE
from pyscaffold_fw.explain import one_line
from pyscaffold_fw.terminal import color_enabled, echo, visible, visible_json

if TYPE_CHECKING:
    from pyscaffold_fw.checks import Outcome
    from pyscaffold_fw.generation import GenerateResult
    from pyscaffold_fw.update import UpdateResult

# Exit codes above this are 128 + a signal: the user interrupted us.
EXIT_SIGNAL_BASE = 128

# Every JSON object we print carries it; bump it when a key changes meaning or goes away.
SCHEMA_VERSION = 1


def print_json(payload: dict[str, Any]) -> None:
    """Print one JSON object, stamped with the schema version, on stdout."""
    click.echo(visible_json({"schema_version": SCHEMA_VERSION, **payload}))


def print_error(message: str, exit_code: int, *, as_json: bool, plain: bool = False) -> None:
    """Report a failure: a JSON object on stdout, or one line on stderr.

    Messages quote paths, answers and other programs' output: made visible, then coloured.
    """
    if as_json:
        print_json({"error": message, "exit_code": exit_code})
        return
    if plain or exit_code > EXIT_SIGNAL_BASE:  # the user stopped us: a plain line
        click.echo(visible(message, lines=True), err=True)
        return
    label = "Usage error" if exit_code == EXIT_USAGE else "Error"
    click.echo(
        click.style(f"{label}: ", fg="red", bold=True) + visible(message, lines=True),
        err=True,
        color=color_enabled(),
    )


def print_choice(result: GenerateResult) -> None:
    """Say which template is used and why (or what it lacks), before anything runs."""
    for warning in result.warnings:
        echo(warning, err=True, fg="yellow")
    if (
        result.recommendation is not None
        and result.recommendation.recommended.framework.id == result.framework
    ):
        winner = result.recommendation.recommended
        echo(f"Using {winner.framework.title}, recommended: {one_line(winner)}.", err=True)


def print_result(result: GenerateResult, *, quiet: bool, announced: bool = False) -> None:
    """Tell a person what was generated and what to type next.

    Names, paths, file names and the template's message come from the template or the
    answers: each line is made visible; only our colours are sequences.
    """
    if quiet:
        return
    if result.pretend:
        echo(f"Would create {result.project_dir} ({result.template.id}) with:")
        for path in result.files:
            echo(f"  {path}")
        echo("Nothing was written (--pretend).")
        return
    if not announced:
        print_choice(result)
    headline = f"Created {result.template.id} project in {result.project_dir}"
    echo(headline, fg="green", bold=True)
    _print_outcomes(result)
    if result.message:
        echo(result.message, lines=True)
    echo("Next steps:")
    for step in result.next_steps:
        echo(f"  {step}")
    echo("To create this project again without questions:")
    echo(f"  {result.recreate}")


def _print_outcomes(result: GenerateResult) -> None:
    count = len(result.files)
    echo(f"{count} file{'' if count == 1 else 's'} written.")
    if result.git is not None:
        echo(f"git: {result.git.status}, {result.git.detail}")
    if result.install is not None:
        tests = f"; tests {result.install.tests}" if result.install.tests != "not run" else ""
        detail = f" ({result.install.tests_detail})" if result.install.tests_detail else ""
        echo(f"install: .venv made with {result.install.tool}{tests}{detail}")
        lock = result.install.lock
        if lock is not None:
            echo(f"lock: {lock.status}, {lock.detail}")
            if lock.warning:
                echo(lock.warning, err=True, fg="yellow")


def print_check(template: str, outcomes: Sequence[Outcome], *, passed: bool, as_json: bool) -> None:
    """Print `templates check` outcomes, and how to run the steps that did not run."""
    from pyscaffold_fw.checks import Status  # noqa: PLC0415

    if as_json:
        steps = [outcome.to_json() for outcome in outcomes]
        print_json({"template": template, "passed": passed, "steps": steps})
        return
    for outcome in outcomes:
        label = outcome.status.name.replace("_", " ")
        detail = f": {outcome.detail}" if outcome.detail else ""  # quotes the project's output
        echo(f"{label:<7} {outcome.step}{detail}", lines=True)
    not_run = [outcome.step for outcome in outcomes if outcome.status == Status.NOT_RUN]
    if not_run:
        _print_how_to_trust(template, not_run)


def _print_how_to_trust(template: str, not_run: Sequence[str]) -> None:
    echo(
        f"\nNot a full check: {', '.join(not_run)} did not run, because this template is not"
        " built in or from a plugin, and installing it runs its code.\nIf you trust it, add"
        f" --trust to run every step: pyscaffold-fw templates check {shlex.quote(template)}"
        " --trust",
        lines=True,
    )


_UPDATE_HEADLINES = {
    "up-to-date": "{project} is up to date with {template} {version}.",
    "behind": "{project} is behind {template} {version}: `pyscaffold-fw update` brings it up.",
    "would-update": "Updating {project} to {template} {version} would change:",
    "updated": "Updated {project} to {template} {version}.",
    "conflicts": "Updated {project} to {template} {version}, with conflicts to resolve.",
    "adopted": "{project} now follows {template} {version}; `pyscaffold-fw update` keeps it "
    "up to date. Every current difference from the template counts as your edit.",
}


def print_update(result: UpdateResult, *, quiet: bool) -> None:
    """Tell a person what an update did or would do, and how to finish a conflicted one."""
    for warning in result.warnings:
        echo(warning, err=True, fg="yellow")
    headline = _UPDATE_HEADLINES[result.status].format(
        project=result.project_dir, template=result.template.id, version=result.to_version
    )
    if quiet and result.status != "conflicts":
        return
    echo(headline, fg="red" if result.exit_code else "green", bold=True)
    for status, path in result.files:
        echo(f"  {status} {path}")
    if result.diff:
        echo(result.diff, lines=True, nl=False)
    if result.environment:
        echo(
            "Set in your environment (see .env.example): " + ", ".join(result.environment),
            fg="yellow",
        )
    if result.env_added:
        echo("Added to .env with fresh values: " + ", ".join(result.env_added))
    if result.status == "would-update":
        if result.conflicts:
            echo("These would conflict: " + ", ".join(result.conflicts), fg="yellow")
        echo("Nothing was written (--pretend).")
    if result.status == "conflicts":
        echo("Conflicts (markers in the files, `git status` lists them):")
        for path in result.conflicts:
            echo(f"  {path}")
        echo("To finish: edit them, then `git add <file>...` and `git commit --no-edit`.")
        echo("To abort the update: `git merge --abort`.")
