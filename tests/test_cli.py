"""The CLI through its error funnel: exit codes, JSON, and nothing written on bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest

import pyscaffold_fw
from pyscaffold_fw import __version__
from pyscaffold_fw.cli import cli, new_command, run


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(new_command, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def invoke_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = invoke(capsys, *args, "--json")
    return code, json.loads(out)


@pytest.mark.parametrize("command", [cli, new_command], ids=["pyscaffold-fw", "new-project"])
def test_version(capsys: pytest.CaptureFixture[str], command: Any) -> None:
    assert 0 == run(command, ["--version"])
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    "code",
    [
        "from pyscaffold_fw.cli import run, new_command; run(new_command, ['--help'])",
        "from pyscaffold_fw.cli import run, cli; run(cli, ['--version'])",
    ],
    ids=["help", "version"],
)
def test_help_and_version_do_not_import_heavy_modules(code: str) -> None:
    heavy = "{'copier', 'questionary', 'prompt_toolkit'}"
    probe = (
        f"import sys; {code}; print(sorted(m for m in sys.modules if m.split('.')[0] in {heavy}))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "[]" == completed.stdout.strip().splitlines()[-1]


def test_python_m_runs_the_group() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "pyscaffold_fw", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == completed.returncode
    assert "new" in completed.stdout


def test_defaults_generate_a_project_and_print_next_steps(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "my-site", "--framework", "flask", "--defaults")
    assert 0 == code
    project = workdir / "my-site"
    assert (project / "pyproject.toml").is_file()
    assert "cd my-site" in out
    assert "pytest" in out
    assert "flask --app my_site run --debug" in out


def test_json_output_is_one_object_with_the_documented_keys(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "shop", "--defaults", "--json")
    payload = json.loads(out)
    assert 0 == code
    assert {"schema_version", "project_dir", "framework", "answers", "files", "next_steps"} <= set(
        payload
    )
    assert "flask" == payload["framework"]
    assert str(workdir / "shop") == payload["project_dir"]
    assert "pyproject.toml" in payload["files"]
    assert all((workdir / "shop" / name).is_file() for name in payload["files"])
    assert "shop" == payload["answers"]["package_name"]
    env = (workdir / "shop" / ".env").read_text(encoding="utf-8")
    secret = next(
        line.split("=", 1)[1] for line in env.splitlines() if line.startswith("SECRET_KEY=")
    )
    assert (True, False) == (len(secret) >= 50, secret in out)


def test_a_secret_given_with_d_goes_to_env_and_never_into_json_or_answers(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = "given-secret-" + "x" * 50
    code, out, _ = invoke(capsys, "shop", "--defaults", "-d", f"secret_key={secret}", "--json")
    env = (workdir / "shop" / ".env").read_text(encoding="utf-8")
    answers = (workdir / "shop" / ".copier-answers.yml").read_text(encoding="utf-8")
    assert (0, True, False, False) == (
        code,
        f"SECRET_KEY={secret}" in env.splitlines(),
        secret in out,
        secret in answers,
    )


def test_secret_goes_only_to_the_ignored_env_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    invoke(capsys, "one", "--defaults", "-q")
    invoke(capsys, "two", "--defaults", "-q")
    secrets = []
    for name in ("one", "two"):
        env = (workdir / name / ".env").read_text(encoding="utf-8")
        secret = next(
            line.split("=", 1)[1] for line in env.splitlines() if line.startswith("SECRET_KEY=")
        )
        assert len(secret) >= 50
        assert ".env" in (workdir / name / ".gitignore").read_text(encoding="utf-8").splitlines()
        tracked = [p for p in (workdir / name).rglob("*") if p.is_file() and p.name != ".env"]
        assert not [p for p in tracked if secret in p.read_text(encoding="utf-8", errors="replace")]
        secrets.append(secret)
    assert secrets[0] != secrets[1]


def test_pretend_shows_the_destination_without_dot_dot(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "cmds").mkdir()
    code, payload = invoke_json(capsys, "cmds/../outside-x", "--defaults", "--pretend")
    assert (0, str(workdir.resolve() / "outside-x")) == (code, payload["project_dir"])


def test_pretend_writes_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = invoke_json(capsys, "ghost", "--defaults", "--pretend")
    assert 0 == code
    assert payload["pretend"] is True
    assert "pyproject.toml" in payload["files"]
    assert [] == list(workdir.iterdir())


def test_quiet_prints_nothing(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (0, "", "") == invoke(capsys, "hush", "--defaults", "-q")


@pytest.mark.parametrize(
    ("dest", "reason"),
    [
        ("123", "must start with a letter"),
        ("class", "keyword"),
        ("-x", "package name must start with a letter"),
        ("shop-", "and not end in _"),
        ("flask", "shadow the flask package"),
        ("os", "standard-library"),
        ("x" * 300, "at most"),
    ],
    ids=[
        "digits",
        "keyword",
        "leading-hyphen",
        "trailing-hyphen",
        "framework",
        "stdlib",
        "too-long",
    ],
)
def test_bad_names_exit_2_and_create_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], dest: str, reason: str
) -> None:
    code, out, err = invoke(capsys, "--defaults", "--", dest)
    assert 2 == code
    assert reason in err
    assert "" == out
    assert [] == list(workdir.iterdir())


def test_empty_project_name_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = invoke(capsys, "shop", "--defaults", "-d", "project_name=")
    assert 2 == code
    assert "empty" in err
    assert [] == list(workdir.iterdir())


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--framework", "rails"], "Unknown framework 'rails'"),
        (["-d", "colour=red"], "Unknown answer key colour"),
        (["-d", "python_version=2.7"], "'2.7' is not in"),
        (["-d", "database=oracle"], "Pass -d database=VALUE to choose another."),
        (["-d", "author_email=not-an-email"], "looks like name@example.com"),
        (["-d", "novalue"], "KEY=VALUE"),
        (["--data-file", "missing.yml"], "Cannot read"),
    ],
    ids=[
        "unknown-framework",
        "unknown-key",
        "bad-version",
        "bad-choice",
        "bad-email",
        "malformed-pair",
        "missing-data-file",
    ],
)
def test_bad_input_exits_2_and_creates_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], reason: str
) -> None:
    code, _, err = invoke(capsys, "shop", "--defaults", *args)
    assert 2 == code
    assert reason in err
    assert [] == list(workdir.iterdir())


def test_malformed_data_file_exits_2(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data_file = workdir / "answers.yml"
    data_file.write_text("docker: [oops\n", encoding="utf-8")
    code, _, err = invoke(capsys, "shop", "--defaults", "--data-file", str(data_file))
    assert 2 == code
    assert "not valid YAML or JSON" in err
    assert ["answers.yml"] == [p.name for p in workdir.iterdir()]


def test_data_flags_win_over_the_data_file(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_file = workdir / "answers.json"
    data_file.write_text('{"docker": true, "author_name": "File"}', encoding="utf-8")
    code, payload = invoke_json(
        capsys, "shop", "--defaults", "--data-file", str(data_file), "-d", "author_name=Flag"
    )
    assert 0 == code
    assert (True, "Flag") == (payload["answers"]["docker"], payload["answers"]["author_name"])


def test_without_a_terminal_missing_answers_exit_2_and_name_the_flag(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = invoke(capsys, "shop", "--framework", "flask", "-d", "license=MIT")
    assert 2 == code
    assert err == (  # every open question but the given one (DEST names the project)
        "Usage error: No terminal to ask for: package_name, description, author_name, "
        "author_email, python_version, database, migrations, docker, ci. Pass each as -d "
        "KEY=VALUE (for example -d package_name=...), or --defaults to accept the defaults.\n"
    )
    assert [] == list(workdir.iterdir())


@pytest.mark.parametrize(
    ("args", "flag"),
    [(["--defaults"], "DEST"), (["shop"], "--framework")],
    ids=["no-destination", "no-framework"],
)
def test_without_a_terminal_missing_choices_name_the_flag(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], flag: str
) -> None:
    code, _, err = invoke(capsys, *args)
    assert 2 == code
    assert flag in err


def test_existing_non_empty_destination_is_refused_and_untouched(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = workdir / "shop" / "notes.txt"
    mine.parent.mkdir()
    mine.write_text("keep me", encoding="utf-8")
    code, _, err = invoke(capsys, "shop", "--defaults")
    assert 1 == code
    assert "not empty" in err
    assert ["notes.txt"] == [p.name for p in mine.parent.iterdir()]
    assert "keep me" == mine.read_text(encoding="utf-8")


def test_existing_empty_destination_is_filled(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "shop").mkdir()
    assert 0 == invoke(capsys, "shop", "--defaults", "-q")[0]
    assert (workdir / "shop" / "pyproject.toml").is_file()
    assert [] == [p for p in workdir.iterdir() if p.name.startswith(".pyscaffold-")]


def test_missing_parent_folders_are_created(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == invoke(capsys, "apps/web/shop", "--defaults", "-q")[0]
    assert (workdir / "apps" / "web" / "shop" / "pyproject.toml").is_file()


def test_json_errors_are_json_on_stdout(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "123", "--defaults", "--json")
    assert 2 == code
    payload = json.loads(out)
    assert 2 == payload["exit_code"]
    assert "must start with a letter" in payload["error"]
    assert "" == err


def test_json_usage_errors_are_json_too(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "shop", "--framework", "rails", "--json")
    assert 2 == code
    assert 2 == json.loads(out)["exit_code"]


HOSTILE = 'He said "hi" \\ {{ 7*7 }} {% raw %} é 😀\nsecond line'


def test_free_text_is_data_never_template_code(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(
        capsys,
        "shop",
        "--defaults",
        "-d",
        f"description={HOSTILE}",
        "-d",
        "author_name=O'Brien \\ {{x}}",
    )
    assert 0 == code
    project = workdir / "shop"
    assert HOSTILE == payload["answers"]["description"]
    metadata = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "{{ 7*7 }}" in metadata["description"]
    assert "49" not in metadata["description"]
    assert "O'Brien \\ {{x}}" == metadata["authors"][0]["name"]


def test_a_users_copier_settings_do_not_change_answers(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = workdir / "copier-settings.yml"
    settings.write_text(
        "defaults:\n  license: Proprietary\n  author_name: Someone Else\n", encoding="utf-8"
    )
    monkeypatch.setenv("COPIER_SETTINGS_PATH", str(settings))
    code, payload = invoke_json(capsys, "shop", "--defaults")
    assert 0 == code
    assert ("MIT", "Your Name") == (
        payload["answers"]["license"],
        payload["answers"]["author_name"],
    )


def test_ctrl_c_while_rendering_exits_130_and_leaves_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier

    def interrupted_copy(src_path: str, dst_path: Path, **_: Any) -> None:
        Path(dst_path).mkdir(parents=True)
        (Path(dst_path) / "half-written.txt").write_text("x", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted_copy)
    code, _, err = invoke(capsys, "nested/shop", "--defaults")
    assert 130 == code
    assert "Interrupted" in err
    assert "Traceback" not in err
    assert [] == list(workdir.iterdir())


def test_without_framework_the_recommendation_is_generated_and_explained(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(
        capsys, "tool", "--kind", "small", "--experience", "beginner", "--defaults"
    )
    assert 0 == code
    assert "Using Flask, recommended: perfect for smaller projects." in err
    assert "Created flask project" in out
    assert "## Why Flask" in (workdir / "tool" / "README.md").read_text(encoding="utf-8")


def test_json_carries_the_recommendation(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, payload = invoke_json(capsys, "tool", "--kind", "small", "--defaults")
    assert 0 == code
    assert "flask" == payload["recommendation"]["recommended"]
    assert [] == payload["warnings"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (("--kind", "webapp", "--scale", "large", "--need", "admin", "--need", "orm"), "django"),
        (("--kind", "api", "--need", "async", "--priority", "performance"), "fastapi"),
        (("--kind", "realtime", "--concurrency", "high", "--need", "websockets"), "tornado"),
        (("--scale", "growing", "--priority", "flexibility"), "pyramid"),
        (("--kind", "small", "--experience", "beginner"), "flask"),
    ],
    ids=["large-admin-webapp", "fast-async-api", "realtime-websockets", "grow-flexibly", "small"],
)
def test_without_framework_the_requirements_winner_is_the_template_generated(
    workdir: Path, capsys: pytest.CaptureFixture[str], flags: tuple[str, ...], expected: str
) -> None:
    code, payload = invoke_json(capsys, "shop", *flags, "--defaults")
    generated = (workdir / "shop" / ".copier-answers.yml").read_text(encoding="utf-8")
    assert (0, expected, expected, expected) == (
        code,
        payload["recommendation"]["recommended"],
        payload["framework"],
        payload["template"]["id"],
    )
    assert f"  template: {expected}\n" in generated


def test_an_explicit_framework_wins_and_a_contradicted_need_is_noted(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = invoke(capsys, "shop", "--framework", "flask", "--need", "admin", "--defaults")
    assert 0 == code
    assert "Note: Flask has no built-in admin" in err
    assert "recommends Django (--framework django)" in err
    assert "Created flask project" in out


def test_a_framework_without_its_starter_yet_is_refused_clearly(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace

    from pyscaffold_fw import catalog

    frameworks = tuple(
        replace(f, available=False) if f.id == "tornado" else f for f in catalog.FRAMEWORKS
    )
    monkeypatch.setattr(catalog, "FRAMEWORKS", frameworks)
    code, _, err = invoke(capsys, "chat", "--framework", "tornado", "--defaults")
    assert 2 == code
    assert "The Tornado starter is not available yet" in err
    assert [] == list(workdir.iterdir())


@pytest.mark.parametrize(
    "dest",
    ["shop\nx", "shop\x1b[2J", "nested\r/shop", "sh\x00op"],
    ids=["newline", "escape", "carriage-return-in-parent", "nul"],
)
def test_a_destination_with_control_characters_exits_2_and_creates_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], dest: str
) -> None:
    code, out, _ = invoke(capsys, "--defaults", "--json", "--", dest)
    payload = json.loads(out)
    assert (2, 2) == (code, payload["exit_code"])
    assert "holds the control character U+" in payload["error"]
    assert "\x1b" not in payload["error"]
    assert [] == list(workdir.iterdir())


@pytest.mark.parametrize(
    "value",
    ["shop\x00 evil", "title\x1b]0;owned\x07", "clear\x1b[2J", "c1\x9bcsi", "bell\x07"],
    ids=["nul", "osc-title", "clear-screen", "c1-csi", "bell"],
)
def test_control_characters_in_text_answers_exit_2_and_create_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    code, payload = invoke_json(capsys, "shop", "--defaults", "-d", f"description={value}")
    assert (2, 2) == (code, payload["exit_code"])
    assert "Answer description holds the control character U+" in payload["error"]
    assert [] == list(workdir.iterdir())


def test_tabs_and_line_breaks_stay_allowed_in_text(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    description = "line one\n\tline two\r\n"
    code, payload = invoke_json(capsys, "shop", "--defaults", "-d", f"description={description}")
    assert 0 == code
    assert description == payload["answers"]["description"]


def one_json_error(out: str, err: str) -> str:
    """Return the error of the one JSON object printed; there is no traceback."""
    payload = json.loads(out)  # fails unless `out` is exactly one JSON document
    assert "Traceback" not in out + err
    return str(payload["error"])


@pytest.mark.parametrize(
    ("name", "fixture", "reason"),
    [
        ("bomb.yml", "alias_bomb", "expands to more than 100,000 values"),
        ("deep.json", "deep_json", "is nested deeper than 64 levels"),
    ],
    ids=["alias-bomb", "deep-json"],
)
def test_a_hostile_data_file_exits_2_with_one_json_error_naming_it(
    request: pytest.FixtureRequest,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    fixture: str,
    reason: str,
) -> None:
    (workdir / name).write_text(request.getfixturevalue(fixture), encoding="utf-8")
    args = ("out", "--data-file", name, "--defaults", "--no-git", "--json")
    code, out, err = invoke(capsys, *args)
    assert 2 == code
    assert f"--data-file {name} {reason}" in one_json_error(out, err)
    assert [name] == [p.name for p in workdir.iterdir()]


def test_a_deep_config_file_exits_2_naming_it(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    deep_toml: str,
) -> None:
    (workdir / "config.toml").write_text(deep_toml, encoding="utf-8")
    monkeypatch.setenv("PYSCAFFOLD_FW_CONFIG", str(workdir / "config.toml"))
    code, out, err = invoke(capsys, "out", "--defaults", "--no-git", "--json")
    assert 2 == code
    assert "config.toml is nested deeper than 64 levels" in one_json_error(out, err)


def test_a_template_with_an_alias_bomb_exits_1_naming_its_copier_yml(
    workdir: Path, capsys: pytest.CaptureFixture[str], alias_bomb: str
) -> None:
    template = workdir / "hostile"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text("_subdirectory: template\n" + alias_bomb)
    args = ("out", "--template", str(template), "--defaults", "--no-git", "--json")
    code, out, err = invoke(capsys, *args)
    assert 1 == code
    assert "copier.yml expands to more than 100,000 values" in one_json_error(out, err)
    assert not (workdir / "out").exists()


def test_a_bomb_is_refused_by_the_installed_command_without_a_traceback(
    workdir: Path, alias_bomb: str
) -> None:
    (workdir / "bomb.yml").write_text(alias_bomb, encoding="utf-8")
    args = ("new", "out", "--data-file", "bomb.yml", "--defaults", "--no-git", "--json")
    # The child runs the code under test, wherever the package is installed from.
    source = str(Path(pyscaffold_fw.__file__).parents[1])
    completed = subprocess.run(
        [sys.executable, "-m", "pyscaffold_fw", *args],
        env={**os.environ, "PYTHONPATH": source},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert 2 == completed.returncode
    assert "bomb.yml" in one_json_error(completed.stdout, completed.stderr)


def test_an_interruption_is_a_plain_line_of_its_own_not_a_red_error(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a line of its own: after the terminal's ^C."""
    import copier

    def interrupted_copy(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(copier, "run_copy", interrupted_copy)
    code, _, err = invoke(capsys, "shop", "--defaults")
    assert (130, "\nInterrupted; nothing was written.\n") == (code, err)


def test_an_interruption_after_the_project_was_written_starts_a_line_of_its_own(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """After an installer's progress bar, cut off mid-line, the message is not glued on."""
    from pyscaffold_fw import poststeps

    def interrupted_install(*_: Any, **__: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(poststeps, "install_project", interrupted_install)
    code, _, err = invoke(capsys, "shop", "--defaults", "--install", "--no-git", "-q")
    assert (130, True) == (code, err.startswith("\nInterrupted. The project in "))


def test_every_json_flag_has_one_help_text_and_every_flag_has_help() -> None:
    from pyscaffold_fw.cli import templates_check, templates_list

    commands = [new_command, templates_list, templates_check]
    options = [p for command in commands for p in command.params if isinstance(p, click.Option)]
    assert {1} == {len({o.help for o in options if "--json" in o.opts})}
    assert [] == [o.opts for o in options if not o.help]


def test_the_author_defaults_to_gits_identity_not_your_name(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As `uv init` does; "Your Name" would end up in the LICENSE."""
    config = workdir.parent / "gitconfig"
    config.write_text("[user]\n\tname = Ada Lovelace\n\temail = ada@example.com\n", "utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    code, payload = invoke_json(capsys, "shop", "--framework", "flask", "--defaults")
    license_text = (workdir / "shop" / "LICENSE").read_text(encoding="utf-8")
    assert (0, "Ada Lovelace", "ada@example.com") == (
        code,
        payload["answers"]["author_name"],
        payload["answers"]["author_email"],
    )
    assert "Ada Lovelace" in license_text


def test_shell_completion_offers_the_template_ids_the_teams_too(tmp_path: Path) -> None:
    team = tmp_path / "templates" / "team-api"
    team.mkdir(parents=True)
    (team / "copier.yml").write_text("project_name: x\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYSCAFFOLD_FW_TEMPLATES": str(team.parent),
        "COMP_WORDS": "new-project shop --framework ",
        "COMP_CWORD": "3",
        "_NEW_PROJECT_COMPLETE": "bash_complete",
    }
    script = shutil.which("new-project", path=str(Path(sys.executable).parent)) or "new-project"
    completed = subprocess.run([script], env=env, capture_output=True, text=True, check=False)
    offered = {line.split(",", 1)[1] for line in completed.stdout.split()}
    assert {"django", "fastapi", "flask", "pyramid", "tornado", "team-api"} == offered
