"""Command-line interface: parse flags, build one request, call the core, print."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from pyscaffold_fw import __version__
from pyscaffold_fw.errors import EXIT_INTERRUPTED, EXIT_OK, PyscaffoldError
from pyscaffold_fw.registry import FRAMEWORK_IDS

CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def is_interactive(as_json: bool) -> bool:
    """Tell whether we may prompt: a terminal on both ends, not CI, not --json."""
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false"}
    return not as_json and not ci and sys.stdin.isatty() and sys.stdout.isatty()


@click.command("new", context_settings=CONTEXT_SETTINGS)
@click.argument("dest", required=False, type=click.Path(path_type=Path))
@click.option("-f", "--framework", type=click.Choice(FRAMEWORK_IDS), help="Framework starter.")
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
@click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON object on stdout; never prompt."
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.version_option(__version__, "-V", "--version", prog_name="pyscaffold-fw")
def new_command(
    dest: Path | None,
    framework: str | None,
    pairs: tuple[str, ...],
    data_file: Path | None,
    use_defaults: bool,
    pretend: bool,
    as_json: bool,
    quiet: bool,
) -> None:
    """Create a Python web project in DEST (also the default project name)."""
    from pyscaffold_fw.answers import load_data_file, parse_data_pairs  # noqa: PLC0415
    from pyscaffold_fw.generate import GenerateRequest, generate  # noqa: PLC0415
    from pyscaffold_fw.report import print_json, print_result  # noqa: PLC0415

    data = {**(load_data_file(data_file) if data_file else {}), **parse_data_pairs(pairs)}
    prompter = _wizard() if is_interactive(as_json) else None
    if dest is None:
        dest = _missing_destination(prompter)
    request = GenerateRequest(dest, framework, data, use_defaults, pretend)
    result = generate(request, prompter)
    if as_json:
        print_json(result.to_json())
    else:
        print_result(result, quiet=quiet)


def _wizard() -> Any:
    from pyscaffold_fw.wizard import Wizard  # noqa: PLC0415  (imports questionary)

    return Wizard()


def _missing_destination(prompter: Any) -> Path:
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


cli.add_command(new_command)


def run(command: click.Command, argv: Sequence[str] | None = None) -> int:
    """Run a command and turn every outcome into an exit code (the error funnel)."""
    from pyscaffold_fw.report import print_error  # noqa: PLC0415

    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    try:
        result = command.main(args=args, standalone_mode=False)
    except PyscaffoldError as error:
        print_error(error.message, error.exit_code, as_json=as_json)
        return error.exit_code
    except click.exceptions.Abort:  # Click's wrapping of Ctrl-C and EOF at a prompt
        print_error("Interrupted; nothing was written.", EXIT_INTERRUPTED, as_json=as_json)
        return EXIT_INTERRUPTED
    except click.ClickException as error:
        if as_json:
            print_error(error.format_message(), error.exit_code, as_json=True)
        else:
            error.show()
        return error.exit_code
    return result if isinstance(result, int) else EXIT_OK
