"""Reading what a copier.yml declares: question names, secrets, settings that run code."""

from __future__ import annotations

from pathlib import Path

import pytest

from pyscaffold_fw import names
from pyscaffold_fw.copier_yaml import read_copier_config
from pyscaffold_fw.questions import load_questions
from pyscaffold_fw.registry import AVAILABLE_IDS, template_path
from pyscaffold_fw.render import render

SHARED_ANSWERS = (
    "project_name",
    "package_name",
    "description",
    "author_name",
    "author_email",
    "license",
    "python_version",
    "database",
    "docker",
    "ci",
)


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
def test_every_template_asks_the_shared_questions_with_help(framework: str) -> None:
    config = read_copier_config(template_path(framework) / "copier.yml")
    template = load_questions(template_path(framework))
    assert set(SHARED_ANSWERS) <= set(template.names)
    for name in template.names:
        if name not in template.secret_names:
            assert config[name].get("help"), f"{name} has no help text"


@pytest.mark.parametrize("framework", AVAILABLE_IDS)
@pytest.mark.parametrize("project_name", ["my-site", "My Site", "shop.api", " Tight "])
def test_package_default_agrees_with_the_cli_normalisation(
    framework: str, project_name: str, tmp_path: Path
) -> None:
    """The recreate line leaves out a package name that follows from the project name."""
    rendered = render(
        template_path(framework), tmp_path / "p", {"project_name": project_name}, pretend=True
    )
    assert names.normalise_package_name(project_name) == rendered.answers["package_name"]


@pytest.mark.parametrize(
    ("settings", "unsafe"),
    [
        ("_tasks: [echo hi]\n", ("tasks",)),
        ("_jinja_extensions: [x.Y]\n", ("Jinja extensions",)),
        ("_migrations: [{command: echo hi}]\n", ()),
    ],
    ids=["tasks", "extensions", "migrations-run-only-on-update"],
)
def test_settings_that_run_code_when_copying_are_named(
    tmp_path: Path, settings: str, unsafe: tuple[str, ...]
) -> None:
    (tmp_path / "copier.yml").write_text(settings + "name: x\n", encoding="utf-8")
    assert unsafe == load_questions(tmp_path).unsafe_features
