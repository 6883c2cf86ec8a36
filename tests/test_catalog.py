"""Custom templates: list, export, user overrides, any Copier source, trust, team config."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw.cli import cli, run


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(cli, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def invoke_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = invoke(capsys, *args, "--json")
    return code, json.loads(out)


def make_template(root: Path, copier_yml: str = "", files: dict[str, str] | None = None) -> Path:
    (root / "template").mkdir(parents=True)
    (root / "copier.yml").write_text(
        "# A tiny test template.\n_subdirectory: template\n"
        "project_name:\n  type: str\n  help: Name\n  default: demo\n" + copier_yml,
        encoding="utf-8",
    )
    for name, text in (files or {"README.md.jinja": "# {{ project_name }}\n"}).items():
        (root / "template" / name).write_text(text, encoding="utf-8")
    return root


@pytest.fixture
def user_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "user-templates"
    folder.mkdir()
    monkeypatch.setenv("PYSCAFFOLD_FW_TEMPLATES", str(folder))
    return folder


def test_templates_list_shows_built_ins_with_descriptions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, payload = invoke_json(capsys, "templates", "list")
    assert 0 == code
    flask = next(t for t in payload["templates"] if t["id"] == "flask")
    assert "built-in" == flask["origin"]
    assert "Flask" in flask["description"]


def test_templates_list_does_not_import_copier() -> None:
    probe = (
        "import sys; from pyscaffold_fw.cli import run, cli; run(cli, ['templates', 'list']); "
        "print('copier' in sys.modules)"
    )
    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "False" == completed.stdout.strip().splitlines()[-1]


def test_export_copies_a_standalone_template(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = invoke(capsys, "templates", "export", "flask", "exported")
    assert 0 == code
    assert (workdir / "exported" / "copier.yml").is_file()
    assert (workdir / "exported" / "template" / "pyproject.toml.jinja").is_file()
    assert not list((workdir / "exported").rglob("__pycache__"))
    assert "--template exported" in out


def test_export_refuses_a_non_empty_destination(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "exported").mkdir()
    (workdir / "exported" / "mine.txt").write_text("keep", encoding="utf-8")
    code, _, err = invoke(capsys, "templates", "export", "flask", "exported")
    assert 1 == code
    assert "not empty" in err
    assert ["mine.txt"] == [p.name for p in (workdir / "exported").iterdir()]


@pytest.mark.parametrize(
    ("size", "options"), [("16k", ()), ("1m", ("ro",))], ids=["full-disk", "read-only"]
)
def test_export_onto_a_disk_that_refuses_writes_exits_1_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str],
    tmpfs: Callable[..., Path],
    size: str,
    options: tuple[str, ...],
) -> None:
    disk = tmpfs(size, *options)
    code, _, err = invoke(capsys, "templates", "export", "flask", str(disk / "exported"))
    assert 1 == code
    assert "Nothing was written" in err
    assert "Traceback" not in err
    assert [] == list(disk.iterdir())


def test_a_user_template_replaces_the_built_in(
    workdir: Path, user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == invoke(capsys, "templates", "export", "flask", str(user_templates / "flask"))[0]
    custom = user_templates / "flask"
    (custom / "template" / "TEAM.md.jinja").write_text("Team: {{ team }}\n", encoding="utf-8")
    with (custom / "copier.yml").open("a", encoding="utf-8") as config:
        config.write("\nteam:\n  type: str\n  help: Owning team\n  default: platform\n")

    code, payload = invoke_json(
        capsys, "new", "shop", "--framework", "flask", "--defaults", "-d", "team=web"
    )
    assert 0 == code
    assert "user" == payload["template"]["origin"]
    assert "Team: web\n" == (workdir / "shop" / "TEAM.md").read_text(encoding="utf-8")
    listed = invoke_json(capsys, "templates", "list")[1]["templates"]
    assert "user" == next(t for t in listed if t["id"] == "flask")["origin"]


def test_a_user_template_with_a_new_id_adds_a_choice(
    workdir: Path, user_templates: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_template(user_templates / "acme")
    code, payload = invoke_json(capsys, "new", "site", "--framework", "acme", "--defaults")
    assert 0 == code
    assert payload["framework"] is None
    assert "acme" == payload["template"]["id"]
    # Not ours: its project_name is its own question, with its own default, not DEST.
    assert "# demo\n" == (workdir / "site" / "README.md").read_text(encoding="utf-8")


def test_any_local_copier_template_via_template(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_template(workdir / "tpl")
    code, payload = invoke_json(capsys, "new", "site", "--template", str(source), "--defaults")
    assert 0 == code
    assert "path" == payload["template"]["origin"]
    assert ["README.md"] == [f for f in payload["files"] if not f.startswith(".")]


@pytest.mark.parametrize(
    ("prepare", "code", "reason"),
    [
        (lambda p: None, 2, "does not exist"),
        (lambda p: p.mkdir(), 2, "not a Copier template"),
        (
            lambda p: (p.mkdir(), (p / "copier.yml").write_text("a: [\n", encoding="utf-8")),
            1,
            "not valid YAML",
        ),
    ],
    ids=["missing", "not-a-template", "invalid-yaml"],
)
def test_bad_template_sources_write_nothing(
    workdir: Path, capsys: pytest.CaptureFixture[str], prepare: Any, code: int, reason: str
) -> None:
    prepare(workdir / "tpl")
    result, _, err = invoke(capsys, "new", "site", "--template", str(workdir / "tpl"), "--defaults")
    assert (code, True) == (result, reason in err)
    assert not (workdir / "site").exists()


def test_a_question_without_default_needs_an_answer_without_a_terminal(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_template(workdir / "tpl", "owner:\n  type: str\n  help: Owner\n")
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    assert 2 == code
    assert "owner" in err
    assert "pass -d owner=VALUE" in err
    assert (
        0
        == invoke(capsys, "new", "site", "--template", str(source), "--defaults", "-d", "owner=me")[
            0
        ]
    )


def test_unsafe_templates_are_refused_unless_trusted(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Our refusal, not Copier's own (which also names tasks and --trust), stops it."""
    source = make_template(workdir / "tpl", "_tasks:\n  - touch task-ran.txt\n")
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    expected = (
        f"Error: The template at {source} uses tasks, which run code on your machine. "
        "Review it, then pass --trust to allow it. Nothing was written.\n"
    )
    assert (1, expected) == (code, err)
    assert ["tpl"] == [path.name for path in workdir.iterdir()]

    assert 0 == invoke(capsys, "new", "site", "--template", str(source), "--defaults", "--trust")[0]
    assert (workdir / "site" / "task-ran.txt").is_file()


def test_every_feature_that_runs_code_is_named_in_the_refusal(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = "_tasks:\n  - touch task-ran.txt\n_jinja_extensions:\n  - jinja2.ext.do\n"
    source = make_template(workdir / "tpl", yml)
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    assert 1 == code
    assert f"The template at {source} uses tasks, Jinja extensions, which run code" in err


def test_a_template_whose_source_links_outside_its_folder_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The template-source layer (trust.refuse_unsafe) refuses before Copier runs."""
    source = make_template(workdir / "tpl")
    (source / "template" / "secrets").symlink_to("/etc")
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    expected = (
        f"Error: The template {source} links outside its folder (template/secrets); "
        "refused. Nothing was written.\n"
    )
    assert (1, expected) == (code, err)
    assert ["tpl"] == [path.name for path in workdir.iterdir()]


@pytest.mark.parametrize("target", ["/etc", "../../.."], ids=["absolute", "relative-up"])
def test_a_template_that_renders_a_link_leaving_the_project_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    """The rendered-project layer (render._refuse_links_leaving): the source link stays
    inside the template, only its rendered target leaves the project."""
    source = make_template(
        workdir / "tpl",
        f"_preserve_symlinks: true\nwhere:\n  type: str\n  help: x\n  default: {target}\n",
    )
    (source / "template" / "secrets.jinja").symlink_to("{{ where }}")
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    expected = (
        "Error: The template made a link pointing outside the project (secrets); refused. "
        "Nothing was written.\n"
    )
    assert (1, expected) == (code, err)
    assert ["tpl"] == [path.name for path in workdir.iterdir()]


def git(repository: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repository,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@example.com",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@example.com",
            "PATH": "/usr/bin:/bin",
        },
    )


def test_a_git_template_records_its_own_source_not_our_clone_in_the_answers(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`copier update` reads `_src_path`: it must name the template, not a deleted clone."""
    source = make_template(
        workdir / "repo",
        files={"{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}"},
    )
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "one")
    git(source, "tag", "v1.0.0")
    code, _, _ = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    answers = (workdir / "site" / ".copier-answers.yml").read_text(encoding="utf-8")
    recorded = [line for line in answers.splitlines() if line.startswith("_src_path:")]
    assert (0, [f"_src_path: {source}"]) == (code, recorded)


def test_a_git_template_uses_its_newest_version_tag_or_the_ref_asked_for(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_template(workdir / "repo", files={"VERSION.jinja": "one\n"})
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "one")
    git(source, "tag", "v1.0.0")
    (source / "template" / "VERSION.jinja").write_text("two\n", encoding="utf-8")
    git(source, "commit", "-qam", "two")
    git(source, "tag", "v2.0.0")
    (source / "template" / "VERSION.jinja").write_text("unreleased\n", encoding="utf-8")
    git(source, "commit", "-qam", "three")

    assert 0 == invoke(capsys, "new", "a", "--template", str(source), "--defaults", "-q")[0]
    assert "two\n" == (workdir / "a" / "VERSION").read_text(encoding="utf-8")
    args = ("new", "b", "--template", str(source), "--vcs-ref", "v1.0.0", "--defaults", "-q")
    assert 0 == invoke(capsys, *args)[0]
    assert "one\n" == (workdir / "b" / "VERSION").read_text(encoding="utf-8")


@pytest.fixture
def team_config(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    config = workdir / "team.toml"
    config.write_text(
        '[answers]\nauthor_name = "Platform Team"\nlicense = "Apache-2.0"\nunknown_elsewhere = 1\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("PYSCAFFOLD_FW_CONFIG", str(config))
    return config


def test_team_config_answers_rank_below_flags_and_data_files(
    workdir: Path, team_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(
        capsys, "new", "a", "--framework", "flask", "--defaults", "-d", "license=MIT"
    )
    assert 0 == code
    assert ("Platform Team", "MIT") == (
        payload["answers"]["author_name"],
        payload["answers"]["license"],
    )
    data_file = workdir / "answers.yml"
    data_file.write_text("author_name: From File\n", encoding="utf-8")
    payload = invoke_json(capsys, "new", "b", "--defaults", "--data-file", str(data_file))[1]
    assert "From File" == payload["answers"]["author_name"]


def test_no_config_ignores_the_team_config(
    workdir: Path, team_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = invoke_json(capsys, "new", "a", "--defaults", "--no-config")[1]
    assert "Your Name" == payload["answers"]["author_name"]


def test_config_show_names_where_each_setting_came_from(
    team_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, payload = invoke_json(capsys, "config", "show")
    assert 0 == code
    assert {"value": "Platform Team", "from": str(team_config)} == payload["answers"]["author_name"]
    code, out, _ = invoke(capsys, "config", "show")
    assert f"answer license = 'Apache-2.0'  (from {team_config})" in out


def test_config_template_is_the_default_template(
    workdir: Path, team_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_template(workdir / "tpl")
    team_config.write_text(f'template = "{source}"\n', encoding="utf-8")
    code, payload = invoke_json(capsys, "new", "site", "--defaults")
    assert 0 == code
    assert "path" == payload["template"]["origin"]


def test_a_malformed_config_file_exits_2(
    workdir: Path, team_config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    team_config.write_text("answers = [oops\n", encoding="utf-8")
    code, _, err = invoke(capsys, "new", "site", "--defaults")
    assert 2 == code
    assert "not valid TOML" in err
    assert not (workdir / "site").exists()


def test_a_git_url_is_cloned(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_template(workdir / "repo", files={"VERSION.jinja": "remote\n"})
    git(source, "init", "-q")
    git(source, "add", "-A")
    git(source, "commit", "-qm", "one")
    code, payload = invoke_json(
        capsys, "new", "site", "--template", f"file://{source}", "--defaults"
    )
    assert (0, "git") == (code, payload["template"]["origin"])
    assert "remote\n" == (workdir / "site" / "VERSION").read_text(encoding="utf-8")


@pytest.mark.parametrize("origin", ["path", "git"])
def test_the_templates_message_after_copy_is_shown_for_the_final_place(
    workdir: Path, capsys: pytest.CaptureFixture[str], origin: str
) -> None:
    message = "Now: cd {{ _copier_conf.dst_path }} && make {{ project_name }} ({{ _folder_name }})"
    source = make_template(workdir / "repo", f'_message_after_copy: "{message}"\n')
    if origin == "git":
        git(source, "init", "-q")
        git(source, "add", "-A")
        git(source, "commit", "-qm", "one")
    template = f"file://{source}" if origin == "git" else str(source)
    expected = f"Now: cd {workdir / 'site'} && make demo (site)"

    code, out, _ = invoke(capsys, "new", "site", "--template", template, "--defaults")
    assert 0 == code
    assert expected in out.splitlines()
    assert out.index(expected) < out.index("Next steps:")
    code, payload = invoke_json(capsys, "new", "other", "--template", template, "--defaults")
    assert (0, f"Now: cd {workdir / 'other'} && make demo (other)") == (code, payload["message"])


def test_a_template_writing_outside_the_destination_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = make_template(
        workdir / "tpl",
        "escape:\n  type: str\n  help: x\n  default: ../escaped\n",
        files={"{{ escape }}.txt.jinja": "x"},
    )
    code, _, err = invoke(capsys, "new", "site", "--template", str(source), "--defaults")
    assert 1 == code
    assert "forbidden" in err
    assert not (workdir / "site").exists()
    assert not list(workdir.rglob("escaped*"))


@pytest.mark.parametrize(
    ("copier_yml", "files", "reason"),
    [
        ("", {"README.md.jinja": "{{ 1 // 0 }}"}, "ZeroDivisionError"),
        ("", {"README.md.jinja": "{{ 1 + 'a' }}"}, "TypeError"),
        ("size:\n  type: int\n  default: '{{ 1 // 0 }}'\n", {}, "ZeroDivisionError"),
        ("_answers_file: /absolute-answers.yml\n", {}, "is_absolute()"),
    ],
    ids=["file-divides-by-zero", "file-adds-text-to-int", "default-divides-by-zero", "abs-answers"],
)
def test_a_template_failing_in_python_exits_1_with_one_json_error(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    copier_yml: str,
    files: dict[str, str],
    reason: str,
) -> None:
    template = make_template(workdir / "t", copier_yml, files or None)
    args = ("new", "out", "--template", str(template), "--defaults", "--json")
    code, out, err = invoke(capsys, *args)
    payload = json.loads(out)
    assert (1, 1) == (code, payload["exit_code"])
    assert reason in payload["error"]
    assert "Traceback" not in err
    assert ["t"] == [path.name for path in workdir.iterdir()]
    assert not Path("/absolute-answers.yml").exists()


@pytest.mark.parametrize("flag", ["--install", "--run-tests"])
def test_installing_a_project_from_an_untrusted_template_needs_trust(
    workdir: Path, capsys: pytest.CaptureFixture[str], flag: str
) -> None:
    template = make_template(workdir / "t")
    args = ("new", "out", "--template", str(template), "--defaults", flag, "--json")
    code, out, _ = invoke(capsys, *args)
    payload = json.loads(out)
    assert (1, 1) == (code, payload["exit_code"])
    assert payload["error"] == (
        f"Installing a project made from {template} runs its code (its build backend, and its "
        "tests with --run-tests). Review the template, then add --trust to install it. "
        "Nothing was written."
    )
    assert ["t"] == [path.name for path in workdir.iterdir()]
