"""Any Copier template renders exactly as plain Copier renders it: the same files, byte for
byte, and the same answers file, for the same answers, `--defaults` and `--trust`."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from copier import Settings, run_copy

from pyscaffold_fw.cli import new_command, run


def write_template(root: Path, copier_yml: str, files: dict[str, str]) -> Path:
    """Write a template built in the test: copier.yml and its files."""
    root.mkdir(parents=True)
    (root / "copier.yml").write_text(copier_yml, encoding="utf-8")
    for name, text in {
        "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
        **files,
    }.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def generate_json(
    capsys: pytest.CaptureFixture[str], template: Path, dest: Path, *flags: str
) -> tuple[int, dict[str, Any]]:
    """Run `new-project DEST --template TEMPLATE --defaults --json FLAGS`; return its outcome."""
    argv = [str(dest), "--template", str(template), "--defaults", "--json", *flags]
    code = run(new_command, argv)
    return code, json.loads(capsys.readouterr().out)


def tree(project: Path) -> dict[str, bytes]:
    """The project's files; the answers file without the record only we add (for update)."""
    return {
        str(path.relative_to(project)): without_our_record(path.read_bytes())
        if path.name == ".copier-answers.yml"
        else path.read_bytes()
        for path in sorted(project.rglob("*"))
        if path.is_file()
    }


def without_our_record(answers: bytes) -> bytes:
    return answers.split(b"\n_pyscaffold_fw:\n")[0].rstrip(b"\n") + b"\n"


def assert_renders_as_copier(
    template: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    data: dict[str, str] | None = None,
    *,
    trust: bool = False,
) -> tuple[Path, Path]:
    """Render `template` with plain Copier and with `new-project`; assert the same result.

    Both projects have the same folder name, in different parents. Returns both paths.
    """
    data = data or {}
    plain = workdir / "plain" / "project"
    run_copy(
        str(template), plain, data=data, defaults=True, unsafe=trust, quiet=True,
        settings=Settings(),
    )  # fmt: skip
    ours = workdir / "ours" / "project"
    pairs = [arg for key, value in data.items() for arg in ("-d", f"{key}={value}")]
    flags = ["--template", str(template), "--defaults", "--no-git", "--json", *pairs]
    code = run(new_command, [str(ours), *flags, *(["--trust"] if trust else [])])
    payload = json.loads(capsys.readouterr().out)
    assert 0 == code, payload
    assert tree(plain) == tree(ours)
    recorded = yaml.safe_load((ours / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert {k: v for k, v in recorded.items() if not k.startswith("_")} == payload["answers"]
    return plain, ours


CASES: dict[str, tuple[str, dict[str, str], dict[str, str], bool]] = {
    "project-name-is-the-templates": (
        "project_name: myproject-odoo\n",
        {"name.txt.jinja": "{{ project_name }}"},
        {},
        False,
    ),
    "when-strings-copier-reads-as-false": (
        "".join(
            f"q{i}:\n  type: str\n  default: asked\n  when: '{when}'\n"
            for i, when in enumerate(["f", "null", "~", "0.0", "false", "{{ 1 > 2 }}"])
        ),
        {"when.txt.jinja": "{{ q0 }}|{{ q1 }}|{{ q2 }}|{{ q3 }}|{{ q4 }}|{{ q5 }}"},
        {},
        False,
    ),
    "jinja-in-list-defaults-and-choices": (
        "python_version: '3.12'\n"
        "tags:\n  type: yaml\n  default: ['v{{ python_version }}', 'x']\n"
        "flavour:\n  type: str\n  choices: ['{{ python_version }}-slim', 'full']\n"
        "  default: '{{ python_version }}-slim'\n",
        {"f.txt.jinja": "{{ tags }} {{ flavour }}"},
        {},
        False,
    ),
    "undefined-names-render-empty": (
        "name: x\n",
        {"f.txt.jinja": "[{{ not_defined }}]"},
        {},
        False,
    ),
    "copier-context-and-envops": (
        "_envops:\n  variable_start_string: '[['\n  variable_end_string: ']]'\nname: x\n",
        {
            "[[ _copier_conf.answers_file ]].jinja": "[[ _copier_answers | to_nice_yaml ]]",
            "f.txt.jinja": "[[ _copier_conf.answers_file ]] [[ _copier_operation ]] [[ name ]]",
        },
        {},
        False,
    ),
    "bools-as-copier-parses-them": (
        "python:\n  type: bool\n  default: true\njs:\n  type: bool\n  default: false\n",
        {"f.txt.jinja": "{{ python }} {{ js }}"},
        {"python": "f", "js": "t"},
        False,
    ),
    "types-and-secrets": (
        "_secret_questions: [token]\n"
        "count:\n  type: int\n  default: 3\n"
        "ratio:\n  type: float\n  default: 0.5\n"
        "settings:\n  type: json\n  default: '{\"a\": [1, 2]}'\n"
        "token:\n  type: str\n  default: t0k\n",
        {"f.txt.jinja": "{{ count * 2 }} {{ ratio }} {{ settings.a }} {{ token }}"},
        {"count": "7"},
        False,
    ),
    "subdirectory-exclude-skip-if-exists": (
        "_subdirectory: tpl\n_exclude: ['*.bak']\n_skip_if_exists: [keep.txt]\nname: x\n",
        {
            "tpl/{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
            "tpl/keep.txt": "k",
            "tpl/old.bak": "b",
            "tpl/{{ name }}.txt.jinja": "{{ name }}",
        },
        {"name": "given"},
        False,
    ),
    "documents-and-includes": (
        "!include shared/*.yml\n---\ncolour: blue\n",
        {"shared/a.yml": "size: 3\n", "f.txt.jinja": "{{ colour }} {{ size }}"},
        {},
        False,
    ),
    "extensions-with-trust": (
        "_jinja_extensions: [jinja2.ext.do]\nname: x\n",
        {"f.txt.jinja": "{% set l = [] %}{% do l.append(name) %}{{ l }}"},
        {},
        True,
    ),
    "migrations-only-need-no-trust": (
        "_migrations: [{command: echo hi}]\nname: x\n",
        {"f.txt.jinja": "{{ name }}"},
        {},
        False,
    ),
}


@pytest.mark.parametrize(("copier_yml", "files", "data", "trust"), CASES.values(), ids=CASES.keys())
def test_a_template_renders_as_plain_copier_renders_it(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    copier_yml: str,
    files: dict[str, str],
    data: dict[str, str],
    trust: bool,
) -> None:
    template = write_template(workdir / "template", copier_yml, files)
    assert_renders_as_copier(template, workdir, capsys, data, trust=trust)


def test_tasks_run_in_the_final_place_and_print_to_stderr(
    workdir: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    template = write_template(
        workdir / "template",
        "_tasks:\n  - pwd > where.txt\n  - echo task-output\nname: x\n",
        {"dst.txt.jinja": "{{ _copier_conf.dst_path }}"},
    )
    dest = workdir / "project"
    argv = [str(dest), "--template", str(template), "--defaults", "--no-git", "--trust"]
    code = run(new_command, [*argv, "--json"])
    out, err = capfd.readouterr()
    payload = json.loads(out)  # the task's output did not reach stdout
    assert 0 == code, payload
    assert "task-output" in err
    assert str(dest) == (dest / "where.txt").read_text(encoding="utf-8").strip()
    assert str(dest) == (dest / "dst.txt").read_text(encoding="utf-8")
    assert [] == [p.name for p in workdir.iterdir() if p.name.startswith(".pyscaffold-")]


def test_a_question_without_default_is_asked_for_by_its_own_name(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(
        workdir / "template", "project_name:\n  type: str\nowner: me\n", {"f.txt.jinja": "x"}
    )
    code, payload = generate_json(capsys, template, workdir / "p")
    assert (2, 2) == (code, payload["exit_code"])
    assert "pass -d project_name=VALUE" in payload["error"]


def test_a_missing_extension_names_the_package_to_install(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(
        workdir / "template",
        "_jinja_extensions: [not_installed_ext.Extension]\nname: x\n",
        {"f.txt.jinja": "x"},
    )
    code, payload = generate_json(capsys, template, workdir / "p", "--trust")
    assert (1, 1) == (code, payload["exit_code"])
    assert "uv tool install pyscaffold-fw --with not-installed-ext" in payload["error"]
    assert not (workdir / "p").exists()


def test_a_relative_source_is_recorded_as_given(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(workdir / "template", "name: x\n", {})
    assert 0 == run(new_command, ["p", "--template", "template", "--defaults", "--no-git", "-q"])
    recorded = yaml.safe_load((workdir / "p" / ".copier-answers.yml").read_text(encoding="utf-8"))
    assert "template" == recorded["_src_path"]
    assert os.sep not in recorded["_src_path"]


def test_the_final_path_is_what_files_see_without_tasks_too(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(
        workdir / "template", "name: x\n", {"dst.txt.jinja": "{{ _copier_conf.dst_path }}"}
    )
    plain, ours = assert_renders_as_copier_but_for(template, workdir, capsys, "dst.txt")
    assert str(plain) == (plain / "dst.txt").read_text(encoding="utf-8")
    assert str(ours) == (ours / "dst.txt").read_text(encoding="utf-8")


def assert_renders_as_copier_but_for(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str], differing: str
) -> tuple[Path, Path]:
    """As `assert_renders_as_copier`, for a template that writes its own folder's path."""
    plain = workdir / "plain" / "project"
    run_copy(str(template), plain, defaults=True, quiet=True, settings=Settings())
    ours = workdir / "ours" / "project"
    argv = [str(ours), "--template", str(template), "--defaults", "--no-git", "-q"]
    assert 0 == run(new_command, argv), capsys.readouterr()
    same = {name: text for name, text in tree(plain).items() if name != differing}
    assert same == {name: text for name, text in tree(ours).items() if name != differing}
    return plain, ours


def test_a_failing_task_says_the_project_is_kept(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = write_template(workdir / "template", "_tasks: ['exit 3']\nname: x\n", {})
    dest = workdir / "project"
    code, payload = generate_json(capsys, template, dest, "--no-git", "--trust")
    assert (1, 1) == (code, payload["exit_code"])
    assert f"The project in {dest} is written and kept" in payload["error"]
    assert (dest / ".copier-answers.yml").is_file()
