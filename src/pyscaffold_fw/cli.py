"""Command-line interface: parse flags, build one request, call the core, print."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pyscaffold_fw import __version__, names
from pyscaffold_fw.errors import (
    EXIT_FAILURE,
    EXIT_OK,
    KeptAfterInterruptError,
    PyscaffoldError,
    interrupted_exit_code,
)
from pyscaffold_fw.guidance import CONCURRENCIES, EXPERIENCES, KINDS, NEEDS, PRIORITIES, SCALES
from pyscaffold_fw.recommend import Requirements
from pyscaffold_fw.registry import FRAMEWORK_IDS
from pyscaffold_fw.terminal import is_interactive

if TYPE_CHECKING:
    from pyscaffold_fw.config import TeamConfig
    from pyscaffold_fw.generation import GenerateRequest, Prompter

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


JSON_HELP = "Print one JSON object on stdout (errors too); never prompt."

REQUIREMENT_OPTIONS = (
    click.option(
        "--kind",
        type=click.Choice(KINDS),
        help="What you build: webapp, api, realtime (chat, live feeds), small.",
    ),
    click.option(
        "--need",
        "needs",
        multiple=True,
        type=click.Choice(NEEDS),
        help="A feature you want built in (repeatable).",
    ),
    click.option(
        "--scale",
        type=click.Choice(SCALES),
        help="Expected size; growing = starts small, must grow large.",
    ),
    click.option(
        "--concurrency",
        type=click.Choice(CONCURRENCIES),
        help="high = thousands of concurrent connections.",
    ),
    click.option(
        "--experience",
        type=click.Choice(EXPERIENCES),
        help="Your experience with Python web work (beginners get the gentler start).",
    ),
    click.option(
        "--priority",
        "priorities",
        multiple=True,
        type=click.Choice(PRIORITIES),
        help="What matters most (repeatable).",
    ),
)


def complete_template_ids(
    _ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[str]:
    """Shell completion: the template ids this machine has (built-in, plugins, the team's)."""
    from pyscaffold_fw.catalog import list_templates  # noqa: PLC0415

    return [info.id for info in list_templates() if info.id.startswith(incomplete)]


def _destination(value: str | None) -> Path | None:
    """Convert DEST to a path, refusing control characters before any file system call."""
    if value is None:
        return None
    dest = Path(value)
    names.check_destination_path(dest)
    return dest


def requirement_options(command: Any) -> Any:
    """Add the requirement flags shared by `new` and `recommend`."""
    for option in reversed(REQUIREMENT_OPTIONS):
        command = option(command)
    return command


def requirements_from(options: dict[str, Any]) -> Requirements:
    """Build the requirements from the parsed flags."""
    return Requirements(
        kind=options.pop("kind"),
        needs=frozenset(options.pop("needs")),
        scale=options.pop("scale"),
        concurrency=options.pop("concurrency"),
        experience=options.pop("experience"),
        priorities=frozenset(options.pop("priorities")),
    )


@click.command("new", context_settings=CONTEXT_SETTINGS)
@click.argument("dest", required=False, callback=lambda _c, _p, v: _destination(v))
@click.option(
    "-f",
    "--framework",
    metavar="ID",
    shell_complete=complete_template_ids,
    help=f"Starter to render: {', '.join(FRAMEWORK_IDS)}, or a template id of yours "
    "(see `pyscaffold-fw templates list`).",
)
@click.option(
    "--template",
    "template_source",
    metavar="SOURCE",
    help="Any Copier template instead: a folder, a local git repository or a git URL.",
)
@click.option(
    "--vcs-ref", metavar="REF", help="Git tag or branch of --template (default: newest tag)."
)
@click.option(
    "--trust",
    is_flag=True,
    help="Allow a template's tasks, migrations and Jinja extensions (they run code).",
)
@click.option("--no-config", is_flag=True, help="Ignore the team config file.")
@click.option(
    "--git/--no-git",
    default=True,
    help="Make the project a git repository with one commit (default; without git "
    "installed, skipped with a note).",
)
@click.option(
    "--install/--no-install",
    default=None,
    help="Create .venv and install the project (default: ask in a terminal, else no).",
)
@click.option("--run-tests", is_flag=True, help="Install, then run the project's tests once.")
@click.option(
    "-d",
    "--data",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Answer a template question (repeatable).",
)
@click.option(
    "--data-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML or JSON file of answers; -d wins over it.",
)
@click.option(
    "--defaults",
    "use_defaults",
    is_flag=True,
    help="Accept the default for every answer not given.",
)
@click.option("--pretend", is_flag=True, help="Show what would be written; write nothing.")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@requirement_options
@click.version_option(__version__, "-V", "--version", prog_name="pyscaffold-fw")
def new_command(
    dest: Path | None,
    pairs: tuple[str, ...],
    data_file: Path | None,
    as_json: bool,
    quiet: bool,
    no_config: bool,
    **options: Any,
) -> None:
    """Create a Python web project in DEST (also the default project name).

    Without --framework, the framework the guidance recommends for the requirement
    flags (--kind, --need, ...) is used; `pyscaffold-fw recommend` explains the choice.
    """
    from pyscaffold_fw.answers import load_data_file, parse_data_pairs  # noqa: PLC0415
    from pyscaffold_fw.config import load_config  # noqa: PLC0415
    from pyscaffold_fw.generation import generate  # noqa: PLC0415
    from pyscaffold_fw.report import print_choice, print_json, print_result  # noqa: PLC0415

    config = load_config(enabled=not no_config)
    data = {**(load_data_file(data_file) if data_file else {}), **parse_data_pairs(pairs)}
    prompter = _wizard() if is_interactive(as_json) else None
    if dest is None:
        dest = _missing_destination(prompter)
    request = _request(
        dest, data, config, options, interactive=prompter is not None, stream=not (as_json or quiet)
    )
    announce = None if as_json or quiet else print_choice  # before install output
    result = generate(request, prompter, announce)
    if as_json:
        print_json(result.to_json())
    else:
        print_result(result, quiet=quiet, announced=announce is not None)


def _request(
    dest: Path,
    data: dict[str, Any],
    config: TeamConfig,
    options: dict[str, Any],
    *,
    interactive: bool,
    stream: bool,
) -> GenerateRequest:
    """Build the request; the config file's template applies when no flag names one."""
    from pyscaffold_fw.generation import GenerateRequest  # noqa: PLC0415

    framework, source = options.pop("framework"), options.pop("template_source")
    if framework is None and source is None and config.template:
        from pyscaffold_fw.catalog import list_templates  # noqa: PLC0415

        ids = {info.id for info in list_templates()}
        framework, source = (
            (config.template, None) if config.template in ids else (None, config.template)
        )
    install = options.pop("install")
    return GenerateRequest(
        dest,
        framework=framework,
        git=options.pop("git"),
        install=install if install is not None or interactive else False,
        run_tests=options.pop("run_tests"),
        stream=stream,
        data=data,
        use_defaults=options.pop("use_defaults"),
        pretend=options.pop("pretend"),
        template=source,
        vcs_ref=options.pop("vcs_ref"),
        trust=options.pop("trust"),
        team_answers=config.answers,
        requirements=requirements_from(options),
    )


def _wizard() -> Prompter:
    from pyscaffold_fw.wizard import Wizard  # noqa: PLC0415  (imports questionary)

    return Wizard()


def _missing_destination(prompter: Prompter | None) -> Path:
    from pyscaffold_fw.errors import MissingAnswerError  # noqa: PLC0415

    if prompter is None:
        raise MissingAnswerError(
            "No terminal to ask for the project: pass the directory to create as DEST, "
            "for example: new-project my-site --defaults"
        )
    return Path(prompter.ask_destination())


@click.group(context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="pyscaffold-fw")
def cli() -> None:
    """pyscaffold-fw: start a Python web project that works on the first try."""


@click.command("recommend", context_settings=CONTEXT_SETTINGS)
@requirement_options
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def recommend_command(as_json: bool, **requirement_flags: Any) -> None:
    """Recommend a framework for your requirements, with the guidance behind it."""
    from pyscaffold_fw.explain import recommendation_lines  # noqa: PLC0415
    from pyscaffold_fw.recommend import recommend  # noqa: PLC0415
    from pyscaffold_fw.report import print_json  # noqa: PLC0415

    requirements = requirements_from(requirement_flags)
    if requirements.is_empty() and is_interactive(as_json):
        requirements = _wizard().ask_requirements(requirements)
    recommendation = recommend(requirements)
    if as_json:
        print_json(recommendation.to_json())
        return
    for line in recommendation_lines(recommendation):
        click.echo(line)


@click.group("templates", context_settings=CONTEXT_SETTINGS)
def templates_group() -> None:
    """List, export and check the templates new-project can use."""


@templates_group.command("list")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def templates_list(as_json: bool) -> None:
    """List every template: built-in, your templates folder, plugins."""
    from pyscaffold_fw.catalog import list_templates, user_templates_dir  # noqa: PLC0415
    from pyscaffold_fw.report import print_json  # noqa: PLC0415
    from pyscaffold_fw.terminal import echo, visible  # noqa: PLC0415

    templates = list_templates()
    if as_json:
        print_json(
            {
                "templates": [t.to_json() for t in templates],
                "user_templates_dir": str(user_templates_dir()),
            }
        )
        return
    # Ids are folder names and descriptions comment lines: anyone's text, made visible.
    width = max(len(visible(t.id)) for t in templates)
    for template in templates:
        template_id = visible(template.id).ljust(width)
        echo(f"{template_id}  {template.origin:<8}  {template.description}")
    echo(f"\nYour templates folder: {user_templates_dir()}", err=True, lines=True)


@templates_group.command("export")
@click.argument(
    "template_id",
    metavar="ID",
    shell_complete=complete_template_ids,
)
@click.argument("dest", callback=lambda _c, _p, v: _destination(v))
def templates_export(template_id: str, dest: Path) -> None:
    """Copy template ID out to DEST as a standalone Copier template to edit."""
    from pyscaffold_fw.catalog import export_template, find_template  # noqa: PLC0415
    from pyscaffold_fw.terminal import echo  # noqa: PLC0415

    files = export_template(find_template(template_id), dest)
    echo(f"Exported {template_id} to {dest} ({len(files)} files). Use it with:")
    echo(f"  new-project my-app --template {dest}")
    echo(f"or put it in your templates folder as {template_id}/ to replace the built-in.")


@templates_group.command("check")
@click.argument(
    "template",
    metavar="ID_OR_SOURCE",
    shell_complete=complete_template_ids,
)
@click.option(
    "-d",
    "--data",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Answer a template question (repeatable).",
)
@click.option(
    "--trust",
    is_flag=True,
    help="Trust the template: allow its tasks and extensions, and install and run the project "
    "(built-in and plugin templates are trusted already).",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
def templates_check(template: str, pairs: tuple[str, ...], trust: bool, as_json: bool) -> int:
    """Render a template with its defaults and prove the project works (install, tests,
    ruff, Procfile server); exit 1 naming the step that failed or did not run."""
    import tempfile  # noqa: PLC0415

    from pyscaffold_fw.answers import parse_data_pairs  # noqa: PLC0415
    from pyscaffold_fw.checks import check_template  # noqa: PLC0415
    from pyscaffold_fw.report import print_check  # noqa: PLC0415

    with tempfile.TemporaryDirectory(prefix="pyscaffold-check-") as workdir:
        outcomes = check_template(template, parse_data_pairs(pairs), Path(workdir), trust=trust)
    passed = all(outcome.ok for outcome in outcomes)  # a step that did not run is no pass
    print_check(template, outcomes, passed=passed, as_json=as_json)
    return EXIT_OK if passed else EXIT_FAILURE


@click.command("update", context_settings=CONTEXT_SETTINGS)
@click.argument(
    "project_dir", required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
)
@click.option(
    "--check",
    "mode",
    flag_value="check",
    help="Exit 0 when the project renders as its template renders now, 1 when it is behind.",
)
@click.option(
    "--pretend",
    "mode",
    flag_value="pretend",
    help="Show the files that would change and their diff; write nothing.",
)
@click.option(
    "--adopt",
    "mode",
    flag_value="adopt",
    help="Bring a project with no render commit (--no-git, squashed, not ours) into the "
    "update cycle, keeping every file as it is.",
)
@click.option(
    "-f",
    "--framework",
    metavar="ID",
    shell_complete=complete_template_ids,
    help="With --adopt: the template id the project follows from now on.",
)
@click.option(
    "-d",
    "--data",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change an answer, e.g. -d docker=true to add a feature (repeatable).",
)
@click.option(
    "--data-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="YAML or JSON file of answers to change; -d wins over it.",
)
@click.option(
    "--defaults",
    "use_defaults",
    is_flag=True,
    help="Take the default for every question the template added since.",
)
@click.option(
    "--template",
    "template_source",
    metavar="SOURCE",
    help="Point the project at its template again: a folder or a git URL.",
)
@click.option(
    "--vcs-ref", metavar="REF", help="Git tag or branch to update to (default: newest tag)."
)
@click.option(
    "--trust",
    is_flag=True,
    help="Allow a template's tasks, migrations and Jinja extensions (they run code).",
)
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors and conflicts.")
def update_command(
    project_dir: Path,
    mode: str | None,
    framework: str | None,
    pairs: tuple[str, ...],
    data_file: Path | None,
    use_defaults: bool,
    template_source: str | None,
    vcs_ref: str | None,
    trust: bool,
    as_json: bool,
    quiet: bool,
) -> int:
    """Merge the installed template's newer render into the project in PROJECT_DIR
    (default: here), keeping your edits; conflicts are left as `git merge` leaves them."""
    from pyscaffold_fw.answers import load_data_file, parse_data_pairs  # noqa: PLC0415
    from pyscaffold_fw.report import print_json, print_update  # noqa: PLC0415
    from pyscaffold_fw.update import UpdateRequest, update  # noqa: PLC0415

    names.check_destination_path(project_dir)
    data = {**(load_data_file(data_file) if data_file else {}), **parse_data_pairs(pairs)}
    request = UpdateRequest(
        project_dir,
        mode=mode or "update",
        data=data,
        use_defaults=use_defaults,
        template=template_source,
        framework=framework,
        vcs_ref=vcs_ref,
        trust=trust,
        interactive=is_interactive(as_json),
    )
    result = update(request)
    try:
        if as_json:
            print_json(result.to_json())
        else:
            print_update(result, quiet=quiet)
    except KeyboardInterrupt as interrupt:
        if result.status not in {"updated", "conflicts", "adopted"}:
            raise  # nothing was written
        raise KeptAfterInterruptError(
            f"Interrupted. The update of {result.project_dir} is complete and kept.", interrupt
        ) from None
    return result.exit_code


@click.group("config", context_settings=CONTEXT_SETTINGS)
def config_group() -> None:
    """Show the team defaults new-project applies."""


@config_group.command("show")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@click.option("--no-config", is_flag=True, help="Show what applies when the file is ignored.")
def config_show(as_json: bool, no_config: bool) -> None:
    """Print the effective settings and where each came from."""
    from pyscaffold_fw.catalog import user_templates_dir  # noqa: PLC0415
    from pyscaffold_fw.config import load_config  # noqa: PLC0415
    from pyscaffold_fw.report import print_json  # noqa: PLC0415
    from pyscaffold_fw.terminal import echo  # noqa: PLC0415

    config = load_config(enabled=not no_config)
    payload = {**config.to_json(), "user_templates_dir": str(user_templates_dir())}
    if as_json:
        print_json(payload)
        return
    state = "" if config.exists else " (not found: nothing applied)"
    echo(f"config file: {config.path}{state}")
    echo(f"templates folder: {payload['user_templates_dir']}")
    echo(f"template: {config.template or '(not set: recommendation or --framework)'}")
    for key, value in config.answers.items():
        echo(f"answer {key} = {value!r}  (from {config.path})")


cli.add_command(new_command)
cli.add_command(recommend_command)
cli.add_command(update_command)
cli.add_command(templates_group)
cli.add_command(config_group)


def run(command: click.Command, argv: Sequence[str] | None = None) -> int:
    """Run a command and turn every outcome into an exit code (the error funnel)."""
    from pyscaffold_fw.report import print_error  # noqa: PLC0415

    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    try:
        result = command.main(args=args, standalone_mode=False)
    except PyscaffoldError as error:
        if isinstance(error, KeptAfterInterruptError) and not as_json:
            # A line of its own, as Click gives the interruptions it sees: after the
            # terminal's ^C, or an installer's progress bar cut off mid-line.
            click.echo(err=True)
        print_error(error.message, error.exit_code, as_json=as_json, plain=error.plain)
        return error.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt) as error:
        # Click wraps Ctrl-C (and SIGTERM, SIGHUP: see _entry.py) and EOF at a prompt.
        code = interrupted_exit_code(error.__cause__ or error)
        print_error("Interrupted; nothing was written.", code, as_json=as_json)
        return code
    except click.ClickException as error:
        if as_json:
            print_error(error.format_message(), error.exit_code, as_json=True)
        else:
            _show_click_error(error)
        return error.exit_code
    return result if isinstance(result, int) else EXIT_OK


def _show_click_error(error: click.ClickException) -> None:
    """Show Click's usage error, which may quote the bad option or value, made visible."""
    import io  # noqa: PLC0415

    from pyscaffold_fw.terminal import echo  # noqa: PLC0415

    shown = io.StringIO()
    error.show(file=shown)
    echo(shown.getvalue(), err=True, lines=True, nl=False)
