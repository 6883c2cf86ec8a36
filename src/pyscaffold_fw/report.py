"""Print results and errors: human text for people, one JSON object for machines."""

from __future__ import annotations

import json
import os
import shlex
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from pyscaffold_fw.errors import EXIT_USAGE
from pyscaffold_fw.explain import one_line

if TYPE_CHECKING:
    from pyscaffold_fw.checks import Outcome
    from pyscaffold_fw.generate import GenerateResult

# Every JSON object we print carries it; bump it when a key changes meaning or goes away.
SCHEMA_VERSION = 1


def color_enabled() -> bool | None:
    """Return False when NO_COLOR is set (https://no-color.org), else let Click decide."""
    return False if os.environ.get("NO_COLOR") else None


def print_json(payload: dict[str, Any]) -> None:
    """Print one JSON object, stamped with the schema version, on stdout."""
    click.echo(
        json.dumps({"schema_version": SCHEMA_VERSION, **payload}, indent=2, ensure_ascii=False)
    )


def print_error(message: str, exit_code: int, *, as_json: bool) -> None:
    """Report a failure: a JSON object on stdout, or one line on stderr."""
    if as_json:
        print_json({"error": message, "exit_code": exit_code})
        return
    label = "Usage error" if exit_code == EXIT_USAGE else "Error"
    click.echo(
        click.style(f"{label}: ", fg="red", bold=True) + message, err=True, color=color_enabled()
    )


def print_result(result: GenerateResult, *, quiet: bool) -> None:
    """Tell a person what was generated and what to type next."""
    if quiet:
        return
    color = color_enabled()
    if result.pretend:
        click.echo(f"Would create {result.project_dir} ({result.template.id}) with:", color=color)
        for path in result.files:
            click.echo(f"  {path}")
        click.echo("Nothing was written (--pretend).")
        return
    for warning in result.warnings:
        click.echo(click.style(warning, fg="yellow"), err=True, color=color)
    if (
        result.recommendation is not None
        and result.recommendation.recommended.framework.id == result.framework
    ):
        winner = result.recommendation.recommended
        click.echo(f"Using {winner.framework.title}, recommended: {one_line(winner)}.", err=True)
    headline = f"Created {result.template.id} project in {result.project_dir}"
    click.echo(click.style(headline, fg="green", bold=True), color=color)
    click.echo(f"{len(result.files)} files written.")
    if result.git is not None:
        click.echo(f"git: {result.git.status}, {result.git.detail}")
    if result.install is not None:
        tests = f"; tests {result.install.tests}" if result.install.tests != "not run" else ""
        detail = f" ({result.install.tests_detail})" if result.install.tests_detail else ""
        click.echo(f"install: .venv made with {result.install.tool}{tests}{detail}")
    if result.message:
        click.echo(result.message)
    click.echo("Next steps:")
    for step in result.next_steps:
        click.echo(f"  {step}")
    click.echo("To create this project again without questions:")
    click.echo(f"  {result.recreate}")


def print_check(template: str, outcomes: Sequence[Outcome], *, passed: bool, as_json: bool) -> None:
    """Print `templates check` outcomes, and how to run the steps that did not run."""
    from pyscaffold_fw.checks import Status  # noqa: PLC0415

    if as_json:
        steps = [outcome.to_json() for outcome in outcomes]
        print_json({"template": template, "passed": passed, "steps": steps})
        return
    for outcome in outcomes:
        label = outcome.status.name.replace("_", " ")
        click.echo(f"{label:<7} {outcome.step}" + (f": {outcome.detail}" if outcome.detail else ""))
    not_run = [outcome.step for outcome in outcomes if outcome.status == Status.NOT_RUN]
    if not_run:
        _print_how_to_trust(template, not_run)


def _print_how_to_trust(template: str, not_run: Sequence[str]) -> None:
    click.echo(
        f"\nNot a full check: {', '.join(not_run)} did not run, because this template is not"
        " built in or from a plugin, and installing it runs its code.\nIf you trust it, add"
        f" --trust to run every step: pyscaffold-fw templates check {shlex.quote(template)}"
        " --trust"
    )
