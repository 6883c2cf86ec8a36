"""`pyscaffold-fw update`: a three-way merge from the project's own render history.

Every test builds its template in the user templates folder, generates a project from
it with the real CLI, and changes the template as its next release would.
"""

from __future__ import annotations

import datetime
import json
import locale
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pexpect
import pytest
import yaml

import pyscaffold_fw
from pyscaffold_fw import envfile, history, provenance
from pyscaffold_fw.cli import cli, new_command, run
from tests.test_poststeps import FAKE_UV  # a uv that installs nothing and locks offline
from tests.test_wizard import NO_CPR

COPIER_YML = """\
# A template that changes between releases.
_subdirectory: template
_skip_if_exists: [.env]
project_name:
  type: str
  default: demo
package_name:
  type: str
  default: "{{ project_name }}"
docker:
  type: bool
  default: false
token:
  type: str
  secret: true
  when: false
  default: "{% for _ in range(16) %}{{ 'abcdef0123456789' | random }}{% endfor %}"
"""
FILES = {
    "{{ _copier_conf.answers_file }}.jinja": "{{ _copier_answers | to_nice_yaml }}",
    "README.md.jinja": "# {{ project_name }}\n\nline two\nline three\nline four\n",
    "app.py": "print('hello')\n",
    "old.txt": "to be dropped\n",
    ".gitignore": ".env\n",
    ".env.jinja": "TOKEN={{ token }}\n",
    ".env.example": "TOKEN=change-me\n",
    "{% if docker %}Dockerfile{% endif %}": "FROM python:3.12-slim\n",
}


def write_template(folder: Path, copier_yml: str = COPIER_YML, **files: str | None) -> None:
    """Write (or rewrite) the template; a file given as None is removed."""
    (folder / "template").mkdir(parents=True, exist_ok=True)
    (folder / "copier.yml").write_text(copier_yml, encoding="utf-8")
    for name, text in {**FILES, **files}.items():
        path = folder / "template" / name
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8")


@pytest.fixture
def template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A template `demo` in the user templates folder."""
    folder = tmp_path / "user-templates" / "demo"
    write_template(folder)
    monkeypatch.setenv("PYSCAFFOLD_FW_TEMPLATES", str(folder.parent))
    return folder


def git(repository: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
    }
    done = subprocess.run(
        ["git", *args], cwd=repository, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def snapshot(repository: Path) -> tuple[str, str, str]:
    """HEAD, the index and the work tree's state, as git reports them."""
    head = git(repository, "rev-parse", "HEAD")
    index = git(repository, "ls-files", "--stage")
    status = git(repository, "status", "--porcelain", "--untracked-files=all", "--ignored")
    return head, index, status


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(cli, list(args))
    out, err = capsys.readouterr()
    return code, out, err


def update_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = invoke(capsys, "update", *args, "--json")
    return code, json.loads(out)


@pytest.fixture
def project(template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project generated from `demo` with one commit, the untouched render."""
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q"])
    capsys.readouterr()
    return workdir / "site"


@pytest.fixture
def unversioned_project(template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A project generated from `demo` with --no-git: no repository, no render commit."""
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q", "--no-git"])
    capsys.readouterr()
    return workdir / "site"


def commit_all(repository: Path, message: str) -> None:
    git(repository, "add", "--all")
    git(repository, "commit", "-qm", message)


@pytest.fixture
def hand_committed_project(unversioned_project: Path) -> Path:
    """The --no-git project committed by hand: a repository without a render commit."""
    git(unversioned_project, "init", "-q")
    commit_all(unversioned_project, "by hand")
    return unversioned_project


def test_check_right_after_generation_is_up_to_date_and_update_changes_nothing(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(project)
    check_code, check = update_json(capsys, str(project), "--check")
    code, result = update_json(capsys, str(project))
    assert (0, "up-to-date", 0, "up-to-date") == (
        check_code,
        check["status"],
        code,
        result["status"],
    )
    assert before == snapshot(project)


def test_answers_file_names_the_template_not_a_path_of_this_machine(project: Path) -> None:
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "_src_path" not in answers
    assert str(project.parent.parent) not in answers
    assert "  template: demo\n" in answers


def test_the_answers_file_reads_as_documented(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The answers as Copier wrote them, then our record: in this order, with its note."""
    flags = ["-d", "project_name=Site X", "-d", "package_name=site_x", "-d", "docker=true"]
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q", *flags])
    answers = (workdir / "site" / ".copier-answers.yml").read_text(encoding="utf-8")
    year = datetime.datetime.now(tz=datetime.UTC).year
    head, digest = answers.rsplit("  digest: ", 1)
    assert re.fullmatch(r"[0-9a-f]{40}\n", digest)
    assert head.endswith(
        "docker: true\npackage_name: site_x\nproject_name: Site X\n"
        "_pyscaffold_fw:\n"
        "  # `pyscaffold-fw update` merges template changes into this project.\n"
        "  # The template is pyscaffold-fw's own (built in, a templates folder or a plugin):\n"
        "  # plain `copier update` cannot find it.\n"
        "  template: demo\n"
        "  origin: user\n"
        f"  version: {pyscaffold_fw.__version__}\n"
        f"  year: {year}\n"
        "  folder: site\n"
        "  requirements: {}\n"
        "  given:\n"
        "  - project_name\n"
        "  - package_name\n"
        "  - docker\n"
    )


def test_update_keeps_the_users_edit_and_brings_the_templates_changes(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = project / "README.md"
    readme.write_text(readme.read_text().replace("line two", "my line two"), encoding="utf-8")
    commit_all(project, "my edit")
    write_template(
        template,
        **{
            "README.md.jinja": "# {{ project_name }}\n\nline two\nline three\nline 4\n",
            "new.txt": "new in v2\n",
            "old.txt": None,
        },
    )
    code, result = update_json(capsys, str(project))
    assert 0 == code
    assert "updated" == result["status"]
    assert "# demo\n\nmy line two\nline three\nline 4\n" == readme.read_text()
    assert "new in v2\n" == (project / "new.txt").read_text()
    assert not (project / "old.txt").exists()
    assert "" == git(project, "status", "--porcelain")


def test_a_dropped_file_the_user_changed_is_a_conflict_not_a_silent_removal(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "old.txt").write_text("I rely on this\n", encoding="utf-8")
    commit_all(project, "keep old")
    write_template(template, **{"old.txt": None})
    code, result = update_json(capsys, str(project))
    assert (1, "conflicts", ["old.txt"]) == (code, result["status"], result["conflicts"])
    assert "I rely on this\n" == (project / "old.txt").read_text()


def test_a_conflict_leaves_git_merge_markers_and_merge_abort_restores_the_tree(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "mine")
    before = snapshot(project)
    write_template(template, **{"app.py": "print('theirs')\n"})
    code, out, _ = invoke(capsys, "update", str(project))
    text = (project / "app.py").read_text()
    assert 1 == code
    lines = text.splitlines()
    assert ["<<<<<<< HEAD", "print('mine')", "=======", "print('theirs')"] == lines[:4]
    assert (5, True) == (len(lines), lines[4].startswith(">>>>>>> "))
    unmerged = git(project, "ls-files", "-u").splitlines()
    assert ["app.py"] == sorted({line.split("\t")[1] for line in unmerged})
    assert "git merge --abort" in out
    git(project, "merge", "--abort")
    assert before == snapshot(project)


def test_pretend_shows_the_diff_and_writes_nothing(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"app.py": "print('v2')\n"})
    before = snapshot(project)
    code, out, _ = invoke(capsys, "update", str(project), "--pretend")
    assert 0 == code
    assert "-print('hello')\n+print('v2')\n" in out
    assert "M app.py" in out
    assert before == snapshot(project)


@pytest.mark.parametrize(
    ("files", "expected"),
    [({"app.py": "print('v2')\n"}, "would-update"), ({}, "up-to-date")],
    ids=["template-changed", "nothing-new"],
)
def test_pretend_says_whether_an_update_would_change_anything(
    project: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, str],
    expected: str,
) -> None:
    write_template(template, **files)
    code, result = update_json(capsys, str(project), "--pretend")
    assert (0, expected) == (code, result["status"])


def test_the_update_commits_the_render_marked_with_the_template_and_this_version(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"app.py": "print('v2')\n"})
    code, _ = update_json(capsys, str(project))
    render = git(project, "log", "-1", "--format=%B", "HEAD^2")
    assert 0 == code
    assert f"Pyscaffold-Template: demo {pyscaffold_fw.__version__}" in render.splitlines()


def test_check_says_behind_with_exit_1_and_a_result_not_an_error(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project), "--check")
    assert (1, "behind", 1) == (code, result["status"], result["schema_version"])
    assert {"status": "M", "path": "app.py"} in result["files"]
    assert "error" not in result


def test_a_changed_answer_adds_a_feature(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, result = update_json(capsys, str(project), "-d", "docker=true")
    assert (0, "updated") == (code, result["status"])
    assert "FROM python:3.12-slim\n" == (project / "Dockerfile").read_text()
    assert {"docker": True} == result["changed_answers"]
    assert 0 == update_json(capsys, str(project), "--check")[0]


def test_changing_the_package_name_is_refused_with_exit_2(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(project)
    code, result = update_json(capsys, str(project), "-d", "package_name=other")
    assert 2 == code
    assert result["error"].endswith(
        "every import in the project names it. Rename the package by hand instead."
    )
    assert "package_name cannot change" in result["error"]
    assert before == snapshot(project)


NEW_QUESTION = COPIER_YML + "port:\n  type: int\n  default: 8000\n"


def test_a_new_question_without_a_terminal_exits_2_naming_the_flag(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    two_new = NEW_QUESTION + "host:\n  type: str\n  default: localhost\n"
    write_template(template, two_new, **{"port.txt.jinja": "{{ port }}\n"})
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 2 == code
    assert result["error"].startswith("The template asks something new: port, host. ")
    assert "-d port=" in result["error"]
    assert before == snapshot(project)
    code, result = update_json(capsys, str(project), "--check")  # asks nothing
    assert (1, "behind") == (code, result["status"])


@pytest.mark.parametrize(("flags", "port"), [(["--defaults"], "8000"), (["-d", "port=9"], "9")])
def test_a_new_question_takes_its_default_or_the_given_answer(
    project: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    port: str,
) -> None:
    recreate = "{{ pyscaffold_recreate }}\n"
    write_template(
        template, NEW_QUESTION, **{"port.txt.jinja": "{{ port }}\n", "recreate.txt.jinja": recreate}
    )
    code, _ = update_json(capsys, str(project), *flags)
    assert 0 == code
    assert f"{port}\n" == (project / "port.txt").read_text()
    # An answer given on the command line is part of the command that makes the project.
    given = "-d" in flags
    assert given == (f"-d port={port}" in (project / "recreate.txt").read_text())


def test_stored_answers_win_over_changed_defaults(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q"])
    write_template(template, COPIER_YML.replace("default: demo", "default: renamed"))
    code, result = update_json(capsys, str(workdir / "site"))
    assert (0, "up-to-date") == (code, result["status"])
    assert (workdir / "site" / "README.md").read_text().startswith("# demo\n")


# A question added in 0.2.0: new projects get `new`, projects made before keep `old`.
ADDED_LATER = COPIER_YML + "orm:\n  type: str\n  default: new\n"
BEFORE = "_pyscaffold_fw_answers_before:\n  {entries}\n"


def made_by(project: Path, version: str) -> None:
    """Make the project's record say an older (or newer) pyscaffold-fw rendered it."""
    answers = project / ".copier-answers.yml"
    text = answers.read_text()
    assert "  version: 0.2.0\n" in text
    answers.write_text(text.replace("  version: 0.2.0\n", f"  version: {version}\n"))
    git(project, "commit", "-qam", f"rendered by {version}", "--allow-empty")


@pytest.mark.parametrize(
    ("rendered_by", "entries", "expected"),
    [
        ("0.1.0", '"0.2.0": {orm: old}', "old"),
        ("0.2.0", '"0.2.0": {orm: old}', "new"),
        ("0.1.1", '"0.1.10": {orm: later}, "0.1.2": {orm: old}', "old"),
        ("0.1.5", '"0.1.10": {orm: later}, "0.1.2": {orm: old}', "later"),
    ],
    ids=["older-project-keeps-old", "current-project-gets-default", "oldest-wins", "numeric"],
)
def test_a_question_added_later_is_answered_as_older_projects_were_made(
    project: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    rendered_by: str,
    entries: str,
    expected: str,
) -> None:
    made_by(project, rendered_by)
    declared = BEFORE.format(entries=entries.replace(", ", "\n  "))
    write_template(template, ADDED_LATER + declared, **{"orm.txt.jinja": "{{ orm }}\n"})
    code, result = update_json(capsys, str(project), "--defaults")
    assert (0, "updated") == (code, result["status"])
    assert f"{expected}\n" == (project / "orm.txt").read_text()
    assert {"orm": expected} == result["changed_answers"]


@pytest.mark.parametrize(
    ("stored", "flags", "expected"),
    [("orm: chosen\n", [], "chosen"), ("", ["-d", "orm=given"], "given")],
    ids=["stored-answer", "given-answer"],
)
def test_a_stored_or_given_answer_wins_over_the_one_kept_for_older_projects(
    project: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    stored: str,
    flags: list[str],
    expected: str,
) -> None:
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text() + stored)
    made_by(project, "0.1.0")
    declared = ADDED_LATER + BEFORE.format(entries='"0.2.0": {orm: old}')
    write_template(template, declared, **{"orm.txt.jinja": "{{ orm }}\n"})
    code, _ = update_json(capsys, str(project), *flags)
    assert 0 == code
    assert f"{expected}\n" == (project / "orm.txt").read_text()


@pytest.mark.parametrize(
    ("entries", "problem"),
    [('"0.2.0": {nope: old}', "must map versions"), ('"soon": {orm: old}', "soon")],
    ids=["unknown-question", "not-a-version"],
)
def test_a_bad_answers_before_declaration_exits_2_and_changes_nothing(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str], entries: str, problem: str
) -> None:
    made_by(project, "0.1.0")
    declared = ADDED_LATER + BEFORE.format(entries=entries)
    write_template(template, declared, **{"orm.txt.jinja": "{{ orm }}\n"})
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 2 == code
    assert "_pyscaffold_fw_answers_before" in result["error"]
    assert problem in result["error"]
    assert before == snapshot(project)


def test_uncommitted_changes_are_refused_before_anything_changes(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("print('unsaved')\n", encoding="utf-8")
    write_template(template, **{"README.md.jinja": "# changed\n"})
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    check_code, check = update_json(capsys, str(project), "--check")
    assert (
        1,
        "Uncommitted changes to app.py: commit or stash them first. Nothing was changed.",
    ) == (
        code,
        result["error"],
    )
    assert before == snapshot(project)
    assert (1, "behind") == (check_code, check["status"])  # --check works on a dirty tree


def test_an_untracked_file_blocks_only_where_the_update_writes(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "notes.txt").write_text("mine\n", encoding="utf-8")
    write_template(template, **{"new.txt": "v2\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    for name in ("later.txt", "also.txt"):
        (project / name).write_text("mine too\n", encoding="utf-8")
    write_template(template, **{"later.txt": "v3\n", "also.txt": "v3\n"})
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"].startswith(
        "The update adds also.txt, later.txt, which already exist(s) untracked here; "
    )
    assert before == snapshot(project)
    assert "mine too\n" == (project / "later.txt").read_text()


def test_a_merge_in_progress_is_refused(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "mine")
    write_template(template, **{"app.py": "print('theirs')\n"})
    assert 1 == update_json(capsys, str(project))[0]  # leaves a conflicted merge
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"] == (
        "The repository is in the middle of a merge; finish or abort it first. Nothing was changed."
    )


def test_a_project_without_a_render_commit_is_told_so(
    hand_committed_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = hand_committed_project
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"] == (
        f"{project} has no render commit in its history (made with --no-git or inside a "
        "larger repository, or its history was squashed), so there is no base to merge "
        "from. `pyscaffold-fw update --adopt` adds one, keeping every file as it is. "
        "Nothing was changed."
    )


def test_adopt_brings_a_hand_committed_no_git_project_into_the_update_cycle(
    unversioned_project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = unversioned_project
    git(project, "init", "-q")
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "by hand, with an edit")
    git(project, "config", "user.name", "Local Person")
    git(project, "config", "user.email", "local@example.com")
    hook = project / ".git" / "hooks" / "pre-commit"  # the user's checks: not for ours
    hook.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    files_before = git(project, "ls-files", "-s")
    head_before = git(project, "rev-parse", "HEAD").strip()
    code, result = update_json(capsys, str(project), "--adopt")
    assert (0, "adopted") == (code, result["status"])
    assert "Local Person <local@example.com>\n" == git(project, "log", "-1", "--format=%an <%ae>")
    assert files_before == git(project, "ls-files", "-s")  # every file kept as it was
    # One commit: the user's branch and the render as its two parents.
    parents = git(project, "rev-list", "--parents", "-n", "1", "HEAD").split()[1:]
    assert (2, head_before) == (len(parents), parents[0])
    assert "" == git(project, "status", "--porcelain")
    check_code, check = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (check_code, check["status"])
    write_template(template, **{"README.md.jinja": "# {{ project_name }}\n\nv2\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    assert "print('mine')\n" == (project / "app.py").read_text()  # the edit stays
    assert (project / "README.md").read_text().endswith("v2\n")


def test_adopt_a_project_this_tool_did_not_generate_writes_its_answers_file(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = workdir / "mine"
    project.mkdir()
    (project / "app.py").write_text("print('my own app')\n", encoding="utf-8")
    git(project, "init", "-q")
    commit_all(project, "my own project")
    code, result = update_json(capsys, str(project), "--adopt", "--framework", "demo")
    assert 2 == code  # no terminal: the answers must be given
    assert "--defaults" in result["error"]
    flags = ["--adopt", "--framework", "demo", "--defaults", "-d", "project_name=mine"]
    code, result = update_json(capsys, str(project), *flags)
    answers = (project / ".copier-answers.yml").read_text()
    assert (0, "adopted") == (code, result["status"])
    assert "project_name: mine\n" in answers
    assert "project_name" in yaml.safe_load(answers)["_pyscaffold_fw"]["given"]
    assert "" == git(project, "status", "--porcelain")  # the answers file is committed
    assert "print('my own app')\n" == (project / "app.py").read_text()
    assert not (project / "old.txt").exists()  # the template's files are not forced in
    assert {"project_name": "mine"}.items() <= result["changed_answers"].items()
    version = pyscaffold_fw.__version__
    subjects = [git(project, "log", "-1", "--format=%s", ref) for ref in ("HEAD", "HEAD^2")]
    assert [
        f"Adopt demo {version} as this project's template (pyscaffold-fw)\n",
        f"Render demo {version} (pyscaffold-fw update)\n",
    ] == subjects
    code, result = update_json(capsys, str(project), "--adopt", "--framework", "demo")
    assert 1 == code
    assert result["error"] == (
        f"{project} already has a render commit: run `pyscaffold-fw update`. Nothing was changed."
    )


def project_in_monorepo(workdir: Path, folder: str) -> tuple[Path, Path]:
    """A repository with one commit, and a project generated in its `folder/site`."""
    monorepo = workdir / "monorepo"
    (monorepo / folder).mkdir(parents=True)
    (monorepo / "app.py").write_text("print('the monorepo')\n", encoding="utf-8")
    git(monorepo, "init", "-q")
    commit_all(monorepo, "monorepo")
    project = monorepo / folder / "site"
    assert 0 == run(new_command, [str(project), "--framework", "demo", "--defaults", "-q"])
    return monorepo, project


def test_a_project_inside_a_larger_repository_joins_through_adopt_and_updates_there(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monorepo, project = project_in_monorepo(workdir, "services")
    assert not (project / ".git").exists()  # generation makes no nested repository
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(monorepo, "add the service, edited")
    code, result = update_json(capsys, str(project))
    assert (1, True) == (code, "update --adopt" in result["error"])
    code, result = update_json(capsys, str(project), "--adopt")
    assert (0, "adopted") == (code, result["status"])
    check_code, check = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (check_code, check["status"])
    write_template(
        template, **{"README.md.jinja": "# {{ project_name }}\n\nv2\n", "new.txt": "v2\n"}
    )
    check_code, check = update_json(capsys, str(project), "--check")
    assert (1, "behind") == (check_code, check["status"])
    assert [
        {"status": "M", "path": "services/site/.copier-answers.yml"},
        {"status": "M", "path": "services/site/README.md"},
        {"status": "A", "path": "services/site/new.txt"},
    ] == check["files"]
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    assert {"status": "A", "path": "services/site/new.txt"} in result["files"]
    assert (project / "README.md").read_text().endswith("v2\n")
    assert "print('mine')\n" == (project / "app.py").read_text()  # the project's edit
    assert "print('the monorepo')\n" == (monorepo / "app.py").read_text()  # outside: as is
    assert "" == git(monorepo, "status", "--porcelain")
    assert ["app.py", "services"] == sorted(
        line.split("\t")[1] for line in git(monorepo, "ls-tree", "HEAD").splitlines()
    )


def test_check_needs_no_history_in_a_shallow_clone_and_update_names_the_fix(
    project: Path, template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "second")
    clone = workdir / "shallow"
    git(workdir, "clone", "-q", "--depth", "1", f"file://{project}", str(clone))
    check_code, _ = update_json(capsys, str(clone), "--check")
    code, result = update_json(capsys, str(clone))
    assert (0, 1) == (check_code, code)
    assert result["error"] == (
        "This clone is shallow: the render an update merges from is cut off. Run "
        "`git fetch --unshallow`, then update again. Nothing was changed."
    )


def test_check_is_up_to_date_in_a_clone_under_another_folder_name(
    project: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clone = workdir / "elsewhere" / "another-name"
    clone.parent.mkdir()
    git(workdir, "clone", "-q", str(project), str(clone))
    code, result = update_json(capsys, str(clone), "--check")
    assert (0, "up-to-date") == (code, result["status"])


def test_a_rebased_render_commit_is_not_taken_for_the_base(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The trailer copied onto a commit with the user's edits must not count as the base."""
    message = git(project, "log", "-1", "--format=%B")
    render = git(project, "rev-parse", "HEAD").strip()
    for edit in ("mine", "mine again"):  # as a rebase or squash merge would copy it
        (project / "app.py").write_text(f"print('{edit}')\n", encoding="utf-8")
        git(project, "add", "--all")
        git(project, "commit", "-qm", message)
    write_template(template, **{"README.md.jinja": "# {{ project_name }}\n\nv2\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    assert "print('mine again')\n" == (project / "app.py").read_text()  # not taken back
    assert result["warnings"][0] == (
        "2 newer commit(s) carry a render trailer but not the render's files (a rebase or "
        f"squash merge copied it); merging from the render in {render[:12]}."
    )


def test_a_squash_merged_update_is_not_taken_for_the_base(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """After a squash, the base is the render before it: the user's edit still stands."""
    git(project, "checkout", "-qb", "feature")
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "mine")
    v2_readme = "# {{ project_name }}\n\nline two\nline three\nline 4\n"
    write_template(template, **{"README.md.jinja": v2_readme})
    assert 0 == update_json(capsys, str(project))[0]
    git(project, "checkout", "-q", "-")
    git(project, "merge", "-q", "--squash", "feature")
    squashed = git(project, "log", "feature", "--format=%B")  # every message, trailers too
    git(project, "commit", "-qm", squashed)
    write_template(template, **{"README.md.jinja": v2_readme, "new.txt": "v3\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    assert "print('mine')\n" == (project / "app.py").read_text()
    assert "v3\n" == (project / "new.txt").read_text()


def test_a_new_secret_goes_into_an_existing_env_and_is_never_shown(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = COPIER_YML + (
        "api_key:\n  type: str\n  secret: true\n  when: false\n"
        "  default: \"{% for _ in range(16) %}{{ 'xyz789' | random }}{% endfor %}\"\n"
    )
    env = "TOKEN={{ token }}\nAPI_KEY={{ api_key }}\n"
    write_template(
        template, yml, **{".env.jinja": env, ".env.example": "TOKEN=change-me\nAPI_KEY=x\n"}
    )
    old_token = (project / ".env").read_text().split("\n")[0]
    code, out, _ = invoke(capsys, "update", str(project), "--json")
    result = json.loads(out)
    lines = (project / ".env").read_text().splitlines()
    assert (0, ["API_KEY"], ["API_KEY"]) == (code, result["env_added"], result["environment"])
    assert old_token == lines[0]
    key = lines[1].removeprefix("API_KEY=")
    assert 16 == len(key)
    assert key not in out


def test_an_env_file_in_another_encoding_is_kept_byte_for_byte_and_still_extended(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .env written in Latin-1 (not UTF-8) must not stop the update or be re-encoded."""
    kept = (project / ".env").read_bytes() + b"GREETING=caf\xe9\n"
    (project / ".env").write_bytes(kept)
    env = "TOKEN={{ token }}\nREGION=eu\n"
    write_template(template, **{".env.jinja": env, ".env.example": "TOKEN=x\nREGION=eu\n"})
    code, result = update_json(capsys, str(project))
    assert (0, ["REGION"]) == (code, result["env_added"])
    assert (project / ".env").read_bytes() == kept + b"REGION=eu\n"


def test_reading_an_env_file_in_another_encoding_keeps_every_name(tmp_path: Path) -> None:
    (tmp_path / ".env.example").write_bytes(b"GREETING=caf\xe9\nREGION=eu\n")
    assert {"GREETING": "caf\ufffd", "REGION": "eu"} == envfile.read(tmp_path / ".env.example")


def test_a_git_template_updates_from_tag_v1_to_v2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "repo"
    write_template(source)
    git(source, "init", "-q")
    commit_all(source, "v1")
    git(source, "tag", "v1")
    assert 0 == run(new_command, ["site", "--template", str(source), "--defaults", "-q"])
    recreate = {"recreate.txt.jinja": "{{ pyscaffold_recreate }}\n"}
    write_template(source, **{"app.py": "print('v2')\n"}, **recreate)
    commit_all(source, "v2")
    git(source, "tag", "v2")
    code, result = update_json(capsys, str(workdir / "site"))
    answers = (workdir / "site" / ".copier-answers.yml").read_text()
    assert (0, "updated") == (code, result["status"])
    assert "print('v2')\n" == (workdir / "site" / "app.py").read_text()
    assert " --vcs-ref v2" in (workdir / "site" / "recreate.txt").read_text()
    assert "_commit: v2\n" in answers
    assert f"_src_path: {source}\n" in answers


def test_updating_a_git_template_to_an_older_tag_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "repo"
    write_template(source)
    git(source, "init", "-q")
    commit_all(source, "v1")
    git(source, "tag", "v1")
    write_template(source, **{"app.py": "print('v2')\n"})
    commit_all(source, "v2")
    git(source, "tag", "v2")
    assert 0 == run(new_command, ["site", "--template", str(source), "--defaults", "-q"])
    before = snapshot(workdir / "site")
    code, result = update_json(capsys, str(workdir / "site"), "--vcs-ref", "v1")
    assert 1 == code
    assert (
        "The project is at the template's v2; v1 is older. Nothing was changed."
        == (result["error"])
    )
    assert before == snapshot(workdir / "site")
    code, result = update_json(capsys, str(workdir / "site"), "--vcs-ref", "v2")
    assert (0, "up-to-date") == (code, result["status"])  # the same tag again: nothing to do


def test_a_recorded_template_path_that_is_gone_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "tpl"
    write_template(source)
    assert 0 == run(new_command, ["site", "--template", str(source), "--defaults", "-q"])
    source.rename(workdir / "moved")
    code, result = update_json(capsys, str(workdir / "site"))
    assert 2 == code
    assert result["error"] == (
        f"The project's template {source} no longer exists: pass --template SOURCE to "
        "point the project at its template again."
    )
    moved = str(workdir / "moved")
    code, result = update_json(capsys, str(workdir / "site"), "--template", moved)
    answers = (workdir / "site" / ".copier-answers.yml").read_text()
    assert (0, "updated", [{"status": "M", "path": ".copier-answers.yml"}]) == (
        code,
        result["status"],
        result["files"],
    )
    assert f"_src_path: {moved}\n" in answers


def test_a_project_of_an_older_version_finds_its_built_in_by_the_recorded_path(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before the record, `_src_path` named the generating machine's site-packages."""
    flags = ["shop", "--framework", "flask", "--defaults", "-q", "--no-git"]
    assert 0 == run(new_command, flags)
    project = workdir / "shop"
    answers = project / ".copier-answers.yml"
    old = answers.read_text().split("_pyscaffold_fw:")[0]
    other_machine = "/opt/venv/lib/python3.12/site-packages/pyscaffold_fw/templates/flask"
    answers.write_text(f"{old}_src_path: {other_machine}\n", encoding="utf-8")
    git(project, "init", "-q")
    commit_all(project, "as an older version made it")
    code, result = update_json(capsys, str(project), "--adopt")
    assert (0, "adopted", "flask", "built-in") == (
        code,
        result["status"],
        result["template"]["id"],
        result["template"]["origin"],
    )
    assert "_src_path" not in answers.read_text()


def test_the_render_is_the_same_a_year_later(
    template: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The LICENSE year is recorded: a later check renders the year it was made in."""
    write_template(
        template, **{"LICENSE.jinja": "(c) {{ pyscaffold_year or ('%Y' | strftime) }}\n"}
    )

    class LastYear(datetime.datetime):
        @classmethod
        def now(cls, tz: datetime.tzinfo | None = None) -> LastYear:
            return cls(2020, 6, 1, tzinfo=tz)

    monkeypatch.setattr(provenance.datetime, "datetime", LastYear)
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q"])
    monkeypatch.undo()
    monkeypatch.setenv("PYSCAFFOLD_FW_TEMPLATES", str(template.parent))
    code, result = update_json(capsys, str(workdir / "site"), "--check")
    assert (0, "up-to-date") == (code, result["status"])
    assert "(c) 2020\n" == (workdir / "site" / "LICENSE").read_text()


def test_an_older_pyscaffold_fw_than_the_projects_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("  version: ", "  version: 99.0  # "))
    commit_all(project, "made by a newer version")
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"] == (
        f"The project was rendered by pyscaffold-fw 99.0, newer than this one "
        f"({pyscaffold_fw.__version__}): updating would take its templates back. Upgrade "
        "pyscaffold-fw first. Nothing was changed."
    )
    assert before == snapshot(project)


def test_template_tasks_need_trust_in_an_update_too(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, COPIER_YML + "_tasks:\n  - touch ran-a-task\n")
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"] == (
        f"The template at {template} uses tasks, which run code on your machine. Review "
        "it, then pass --trust to allow it. Nothing was written."
    )
    assert not (project / "ran-a-task").exists()


def test_with_trust_a_template_with_tasks_updates_and_its_tasks_still_do_not_run(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = COPIER_YML + "_tasks:\n  - touch ran-a-task\n"
    recreate = {"recreate.txt.jinja": "{{ pyscaffold_recreate }}\n"}
    write_template(template, yml, **{"app.py": "print('v2')\n"}, **recreate)
    code, result = update_json(capsys, str(project), "--trust")
    assert (0, "updated") == (code, result["status"])
    assert "print('v2')\n" == (project / "app.py").read_text()
    assert not (project / "ran-a-task").exists()
    assert " --trust" in (project / "recreate.txt").read_text()


def test_switching_the_database_names_the_variables_to_set(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == run(new_command, ["shop", "--framework", "django", "--defaults", "-q"])
    env = workdir / "shop" / ".env"
    before = env.read_text()
    code, result = update_json(capsys, str(workdir / "shop"), "-d", "database=postgresql")
    assert (0, "updated") == (code, result["status"])
    assert ("DATABASE_URL" in result["environment"], ["DATABASE_URL"]) == (
        True,
        result["env_added"],
    )
    after = env.read_text()
    assert after.startswith(before)  # kept as it was; the missing variable is appended
    assert after.removeprefix(before).startswith("DATABASE_URL=postgresql://")


def test_switching_ci_swaps_the_workflow_file_and_records_the_answer(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == run(new_command, ["shop", "--framework", "flask", "--defaults", "-q"])
    project = workdir / "shop"
    assert (project / ".github" / "workflows" / "ci.yml").is_file()
    code, result = update_json(capsys, str(project), "-d", "ci=gitlab")
    assert (0, "updated") == (code, result["status"])
    assert {"ci": "gitlab"} == result["changed_answers"]
    assert (False, True) == (
        (project / ".github").exists(),
        (project / ".gitlab-ci.yml").is_file(),
    )
    assert "ci: gitlab" in (project / ".copier-answers.yml").read_text().splitlines()
    code, result = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (code, result["status"])


def test_plain_copier_update_of_a_builtin_project_fails_on_no_template_not_a_wrong_path(
    workdir: Path,
) -> None:
    """No machine path is recorded, so Copier cannot look in a wrong place; the answers file
    itself says to use pyscaffold-fw (Copier 9 gives no cleaner message, copier#1437)."""
    assert 0 == run(new_command, ["shop", "--framework", "flask", "--defaults", "-q"])
    project = workdir / "shop"
    before = snapshot(project)
    copier = [sys.executable, "-m", "copier", "update", "--defaults", "--skip-answered"]
    done = subprocess.run(copier, cwd=project, capture_output=True, text=True, check=False)
    assert 0 != done.returncode
    assert "Template not found" in done.stderr
    assert "_src_path" not in (project / ".copier-answers.yml").read_text()
    assert "plain `copier update` cannot find it" in (project / ".copier-answers.yml").read_text()
    assert before == snapshot(project)


EVERY_REQUIREMENT = (
    "--kind api --scale small --concurrency low --experience beginner --need auth --need orm "
    "--priority simplicity"
)


@pytest.mark.parametrize("stated", ["--kind api", EVERY_REQUIREMENT], ids=["kind", "every-one"])
def test_a_builtin_project_made_with_requirement_flags_is_up_to_date(
    workdir: Path, capsys: pytest.CaptureFixture[str], stated: str
) -> None:
    """The render is made again from the recorded requirements: every one of them."""
    flags = ["shop", "--framework", "flask", *stated.split(), "--defaults", "-q"]
    assert 0 == run(new_command, [*flags, "-d", "docker=true"])
    readme = (workdir / "shop" / "README.md").read_text()
    code, result = update_json(capsys, str(workdir / "shop"), "--check")
    assert (0, "up-to-date") == (code, result["status"])
    assert "## Why Flask" in readme
    recreate = f"new-project shop --framework flask {stated} -d docker=true --defaults\n"
    assert recreate in readme  # made from the record


@pytest.mark.parametrize("conflicted", [False, True], ids=["merged", "merge-in-conflict"])
def test_a_failure_after_the_merge_puts_everything_back(
    project: Path,
    template: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    conflicted: bool,
) -> None:
    """HEAD, the index, the work tree and .env are as before: never a half-applied update."""
    if conflicted:  # the merge stops at app.py with HEAD where it was: a merge under way
        (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
        commit_all(project, "mine")
    write_template(template, **{"app.py": "print('v2')\n", "new.txt": "v2\n"})
    env_before = (project / ".env").read_text()
    before = snapshot(project)

    def disk_full(project_dir: Path, render: Path) -> tuple[str, ...]:
        (project_dir / ".env").write_text("half-written", encoding="utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(envfile, "add_missing", disk_full)
    with pytest.raises(OSError, match="No space left"):
        run_update(project)
    assert before == snapshot(project)
    assert env_before == (project / ".env").read_text()
    assert not (project / ".git" / "MERGE_HEAD").exists()


def run_update(project: Path) -> None:
    """Run the update in-process, letting an unexpected error through as it is."""
    from pyscaffold_fw.update import UpdateRequest, update

    update(UpdateRequest(project))


def test_ctrl_c_at_any_moment_leaves_the_repository_as_it_was_or_fully_updated(
    project: Path, template: Path
) -> None:
    (project / "README.md").write_text("# mine\n", encoding="utf-8")
    commit_all(project, "mine")
    write_template(template, **{"app.py": "print('v2')\n", "new.txt": "v2\n"})
    before = snapshot(project)
    outcomes = set()
    for delay in (0.2, 0.4, 0.6, 0.8, 1.0, 1.3, 1.6):
        child = subprocess.Popen(
            [sys.executable, "-m", "pyscaffold_fw", "update", str(project), "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGINT)
        _, err = child.communicate()
        outcomes.add(child.returncode)
        assert "index.lock" not in os.listdir(project / ".git")
        kept = b"complete and kept" in err  # the signal came while printing the result
        if child.returncode == 0 or kept:  # it finished first: a whole update; start again
            assert "" == git(project, "status", "--porcelain")
            assert "print('v2')\n" == (project / "app.py").read_text()
            git(project, "reset", "-q", "--hard", before[0].strip())
        else:  # -2: stopped while Python itself starts; a shell shows 130 for both
            assert child.returncode in {130, -signal.SIGINT}, err
        assert before == snapshot(project), (delay, child.returncode, err, snapshot(project))
    assert 130 in outcomes


def test_an_ignored_file_is_never_overwritten_by_a_file_the_template_adds(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """git would overwrite an ignored file silently; the update refuses instead."""
    with (project / ".gitignore").open("a", encoding="utf-8") as gitignore:
        gitignore.write("notes.txt\n")
    commit_all(project, "ignore my notes")
    (project / "notes.txt").write_text("my private notes\n", encoding="utf-8")
    write_template(template, **{"notes.txt": "the template's notes\n"})
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert (
        "The update adds notes.txt, which already exist(s) untracked here; move it away or "
        "commit it, then update again. Nothing was changed."
    ) == result["error"]
    assert "my private notes\n" == (project / "notes.txt").read_text()
    assert before == snapshot(project)


def test_check_works_outside_any_repository_and_without_a_render_commit(
    unversioned_project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = unversioned_project
    code, result = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (code, result["status"])
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert result["error"] == (
        f"{project} is not a git repository: an update merges into the project's own "
        "history, which starts at its untouched render. Nothing was changed."
    )
    git(project, "init", "-q")
    commit_all(project, "by hand")  # a repository, but no render commit in it
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project), "--check")
    assert (1, "behind", []) == (code, result["status"], result["files"])


def test_a_new_variable_is_appended_on_a_line_of_its_own_and_no_env_is_fine(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    yml = COPIER_YML + "port:\n  type: int\n  default: 8000\n"
    env = "TOKEN={{ token }}\nPORT={{ port }}\nHOST=0.0.0.0\n"
    example = "TOKEN=x\nPORT=8000\nHOST=0.0.0.0\n"
    write_template(template, yml, **{".env.jinja": env, ".env.example": example})
    token_line = (project / ".env").read_text().strip()
    (project / ".env").write_text(token_line, encoding="utf-8")  # no final newline
    code, result = update_json(capsys, str(project), "--defaults", "--pretend")
    assert (0, ["TOKEN", "PORT", "HOST"]) == (code, result["environment"])
    code, _ = update_json(capsys, str(project), "--defaults")
    assert 0 == code
    assert f"{token_line}\nPORT=8000\nHOST=0.0.0.0\n" == (project / ".env").read_text()
    (project / ".env").unlink()  # a clone has no .env: nothing to keep, nothing added
    write_template(template, yml, **{".env.jinja": env, "more.txt": "v3\n"})
    code, result = update_json(capsys, str(project), "--defaults")
    assert (0, "updated", []) == (code, result["status"], result["env_added"])
    assert not (project / ".env").exists()


def test_pretend_lists_exactly_the_files_that_would_conflict(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"my notes.txt": "v1\n"})
    assert 0 == update_json(capsys, str(project))[0]
    for name in ("app.py", "my notes.txt"):
        (project / name).write_text("mine\n", encoding="utf-8")
    commit_all(project, "mine")
    write_template(
        template, **{"app.py": "print('theirs')\n", "my notes.txt": "v2\n", "new.txt": "v2\n"}
    )
    before = snapshot(project)
    code, result = update_json(capsys, str(project), "--pretend")
    conflicts = ["app.py", "my notes.txt"]
    assert (0, "would-update", conflicts) == (code, result["status"], result["conflicts"])
    assert before == snapshot(project)


def test_an_update_is_a_merge_commit_even_with_nothing_committed_since_the_render(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The merge commit records the update; the render stays its second parent."""
    render_commit = git(project, "rev-parse", "HEAD").strip()
    write_template(template, **{"app.py": "print('v2')\n"})
    assert 0 == update_json(capsys, str(project))[0]
    parents = git(project, "rev-list", "--parents", "-n", "1", "HEAD").split()[1:]
    message = git(project, "log", "-1", "--format=%s")
    assert (render_commit, 2) == (parents[0], len(parents))
    assert "Update from demo " in message


def test_adopt_outside_a_repository_says_how_to_make_one(
    unversioned_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = unversioned_project
    code, result = update_json(capsys, str(project), "--adopt")
    assert 1 == code
    assert (
        f"{project} is not a git repository: commit the project first (git init && "
        "git add --all && git commit). Nothing was changed."
    ) == result["error"]
    git(project, "init", "-q")
    commit_all(project, "by hand")
    code, result = update_json(capsys, str(project), "--adopt")
    assert (
        0,
        "adopt",
        "adopted",
        str(project),
        provenance.new_record(None, "", "", {}, []).version,
    ) == (
        code,
        result["mode"],
        result["status"],
        result["project_dir"],
        result["to_version"],
    )


def test_the_lock_committed_after_the_render_stays_the_users_file_through_updates(
    template: Path,
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`new --install` with uv commits uv.lock on top of the render; updates never touch it."""
    uv = workdir / "bin" / "uv"
    uv.parent.mkdir()
    uv.write_text(FAKE_UV, encoding="utf-8")
    uv.chmod(0o755)
    monkeypatch.setattr("pyscaffold_fw.verify.find_uv", lambda: str(uv))
    args = ["site", "--framework", "demo", "--defaults", "-q", "--install", "--trust"]
    assert 0 == run(new_command, args)
    project = workdir / "site"
    assert ["Lock dependencies", "Create demo project with pyscaffold-fw"] == git(
        project, "log", "--format=%s"
    ).splitlines()
    check_code, check = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (check_code, check["status"])

    (project / "uv.lock").write_text("version = 1\n# relocked by the user\n", encoding="utf-8")
    commit_all(project, "Relock")
    lock = (project / "uv.lock").read_bytes()
    write_template(template, **{"app.py": "print('v2')\n", "README.md.jinja": "# v2\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated", []) == (code, result["status"], result["conflicts"])
    assert lock == (project / "uv.lock").read_bytes()
    assert "uv.lock" in git(project, "ls-files").splitlines()
    assert "" == git(project, "status", "--porcelain")
    # The render the next update merges from is still the template's alone.
    render = git(project, "log", "-1", "--format=%H", "--grep=Pyscaffold-Render-Tree", "HEAD^2")
    assert "uv.lock" not in git(project, "ls-tree", "-r", "--name-only", render.strip())


def test_in_a_terminal_the_update_asks_the_new_question(
    project: Path, template: Path, workdir: Path
) -> None:
    write_template(template, NEW_QUESTION, **{"port.txt.jinja": "{{ port }}\n"})
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(TERM="xterm", PYTHONPATH=str(Path(pyscaffold_fw.__file__).parents[1]))
    environment.update(NO_CPR)  # a second saved per prompt (see tests/test_wizard.py)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "pyscaffold_fw", "update", str(project)],
        cwd=str(workdir),
        env=environment,
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    child.expect("port")  # Copier's prompt, for the question the project has no answer to
    child.send("\x15" + "9123\r")  # Ctrl-U clears the default, then the answer
    child.expect(pexpect.EOF)
    child.close()
    assert 0 == child.exitstatus, child.before
    assert "9123\n" == (project / "port.txt").read_text()
    assert "port: 9123\n" in (project / ".copier-answers.yml").read_text()


@pytest.mark.parametrize(("changed", "more"), [(5, False), (6, True)])
def test_uncommitted_changes_are_named_five_at_most(
    project: Path, capsys: pytest.CaptureFixture[str], changed: int, more: bool
) -> None:
    tracked = git(project, "ls-files").split()
    assert len(tracked) >= changed
    for name in tracked[:changed]:
        with (project / name).open("a", encoding="utf-8") as file:
            file.write("# edited\n")
    code, result = update_json(capsys, str(project))
    named = result["error"].split("Uncommitted changes to ")[1].split(":")[0]
    assert 1 == code
    assert named.removesuffix(" and more").split(", ") == tracked[:5]
    assert named.endswith(" and more") is more


def test_an_unreadable_recorded_version_counts_as_made_before_every_change(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made_by(project, "edited-by-hand")
    declared = ADDED_LATER + BEFORE.format(entries='"0.2.0": {orm: old}')
    write_template(template, declared, **{"orm.txt.jinja": "{{ orm }}\n"})
    code, result = update_json(capsys, str(project), "--defaults")
    assert (0, "updated") == (code, result["status"])
    assert "old\n" == (project / "orm.txt").read_text()


def test_a_merge_git_stops_without_conflicts_is_reported_and_undone(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "mine")
    write_template(template, **{"README.md.jinja": "# changed\n"})
    git(project, "config", "merge.verifySignatures", "true")  # the render is not signed
    before = snapshot(project)
    code, result = update_json(capsys, str(project))
    assert 1 == code
    assert "git merge refused: fatal: Commit " in result["error"]
    assert "does not have a GPG signature" in result["error"]
    assert before == snapshot(project)


def test_a_template_of_another_origin_than_recorded_is_named_in_a_warning(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert [] == update_json(capsys, str(project), "--check")[1]["warnings"]
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().replace("  origin: user\n", "  origin: plugin\n"))
    commit_all(project, "the record says a plugin made it")
    code, result = update_json(capsys, str(project))
    assert (0, "up-to-date") == (code, result["status"])
    assert [
        f"The project came from the plugin template 'demo'; this machine's 'demo' is the "
        f"user one, at {template}."
    ] == result["warnings"]


def test_vcs_ref_picks_the_tag_of_a_template_given_by_its_source(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = workdir / "repo"
    write_template(source)
    git(source, "init", "-q")
    commit_all(source, "v1")
    git(source, "tag", "v1")
    assert 0 == run(new_command, ["site", "--template", str(source), "--defaults", "-q"])
    for tag in ("v2", "v3"):
        write_template(source, **{"app.py": f"print('{tag}')\n"})
        commit_all(source, tag)
        git(source, "tag", tag)
    site = workdir / "site"
    code, result = update_json(capsys, str(site), "--template", str(source), "--vcs-ref", "v2")
    assert (0, "updated") == (code, result["status"])
    assert "print('v2')\n" == (site / "app.py").read_text()
    assert "_commit: v2\n" in (site / ".copier-answers.yml").read_text()


def test_a_file_the_template_renamed_is_listed_as_removed_and_added(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"old.txt": None, "renamed.txt": "to be dropped\n"})
    code, result = update_json(capsys, str(project), "--check")
    assert (1, "behind") == (code, result["status"])
    assert {"status": "D", "path": "old.txt"} in result["files"]
    assert {"status": "A", "path": "renamed.txt"} in result["files"]


def test_the_json_report_has_every_documented_field(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project), "--defaults")
    assert 0 == code
    assert {
        "schema_version": 1,
        "project_dir": str(project),
        "mode": "update",
        "status": "updated",
        "from_version": pyscaffold_fw.__version__,
        "to_version": pyscaffold_fw.__version__,
        # The answers file records the digest of the template's new render.
        "files": [
            {"status": "M", "path": ".copier-answers.yml"},
            {"status": "M", "path": "app.py"},
        ],
        "conflicts": [],
        "warnings": [],
        "environment": [],
        "env_added": [],
        "changed_answers": {},
    } == {key: value for key, value in result.items() if key not in {"template", "diff"}}
    assert ("demo", "user", str(template)) == (
        result["template"]["id"],
        result["template"]["origin"],
        result["template"]["location"],
    )


def test_reading_an_env_file_takes_assignments_only(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    lines = "# A=comment\nexport B=1\n  C = two  \nD\n=nameless\nE=\nF=a=b\n"
    env.write_text(lines, encoding="utf-8")
    assert {"B": "1", "C": "two", "E": "", "F": "a=b"} == envfile.read(env)


def test_ctrl_c_while_adopting_leaves_the_repository_as_it_was(
    hand_committed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Interrupted at the adoption's commit, with `git merge --no-commit` under way."""
    from pyscaffold_fw.update import UpdateRequest, update

    project = hand_committed_project
    before = snapshot(project)
    run_git = history.Repository.git

    def interrupted_at_the_commit(self: history.Repository, *args: Any, **kwargs: Any) -> str:
        if "commit" in args:
            raise KeyboardInterrupt
        return run_git(self, *args, **kwargs)

    monkeypatch.setattr(history.Repository, "git", interrupted_at_the_commit)
    with pytest.raises(KeyboardInterrupt):
        update(UpdateRequest(project, mode="adopt"))
    monkeypatch.undo()
    assert before == snapshot(project)
    assert not (project / ".git" / "MERGE_HEAD").exists()


def test_ctrl_c_after_the_adoption_landed_reports_it_kept(
    hand_committed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyscaffold_fw import update as update_module
    from pyscaffold_fw.errors import KeptAfterInterruptError

    project = hand_committed_project

    def interrupted(old: Any, new: Any) -> dict[str, Any]:
        raise KeyboardInterrupt

    def adopt() -> None:
        try:
            update_module.update(update_module.UpdateRequest(project, mode="adopt"))
        except KeyboardInterrupt:
            pytest.fail("the interrupt is reported as if nothing had changed")

    monkeypatch.setattr(update_module, "_changed", interrupted)  # after the commit
    with pytest.raises(KeptAfterInterruptError, match="complete and kept") as kept:
        adopt()
    assert 130 == kept.value.exit_code
    assert git(project, "log", "-1", "--format=%s").startswith("Adopt demo ")


def test_the_users_git_settings_change_neither_the_merge_nor_the_diff(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The repository's own identity is used; its colours, external diff and rename
    detection do not reach the diff update shows."""
    (project / "app.py").write_text("print('mine')\n", encoding="utf-8")
    commit_all(project, "mine")
    settings = {
        "user.name": "Local Person",
        "user.email": "local@example.com",
        "color.ui": "always",
        "diff.external": "false",
        "diff.renames": "true",
    }
    for name, value in settings.items():
        git(project, "config", name, value)
    readme = "# {{ project_name }}\n\nline two\nline three\nline four\n"
    write_template(template, **{"README.md.jinja": None, "README.rst.jinja": readme})
    code, result = update_json(capsys, str(project), "--pretend")
    assert (0, "would-update") == (code, result["status"])
    assert "\x1b[" not in result["diff"]
    assert "deleted file mode" in result["diff"]
    assert "new file mode" in result["diff"]
    code, result = update_json(capsys, str(project))
    assert (0, "updated") == (code, result["status"])
    for commit in ("HEAD", "HEAD^2"):  # the merge and the render
        author = git(project, "log", "-1", "--format=%an <%ae>", commit)
        assert "Local Person <local@example.com>\n" == author


def test_a_conflict_in_the_answers_file_is_the_tools_to_settle_not_the_users(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = project / ".copier-answers.yml"
    text = answers.read_text()
    answers.write_text(re.sub(r"digest: \w+", "digest: edited-by-hand", text), encoding="utf-8")
    commit_all(project, "the record edited by hand")
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project), "--pretend")
    assert (0, "would-update", []) == (code, result["status"], result["conflicts"])
    code, result = update_json(capsys, str(project))
    assert (0, "updated", []) == (code, result["status"], result["conflicts"])
    assert "digest: edited-by-hand" not in answers.read_text()


def test_ctrl_c_after_the_merge_landed_reports_it_kept(
    project: Path, template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pyscaffold_fw import update as update_module
    from pyscaffold_fw.errors import KeptAfterInterruptError

    write_template(template, **{"app.py": "print('v2')\n"})
    replace = update_module.replace

    def interrupted_once_merged(result: Any, **changes: Any) -> Any:
        if changes.get("status") == "updated":
            raise KeyboardInterrupt
        return replace(result, **changes)

    def merge() -> None:
        try:
            run_update(project)
        except KeyboardInterrupt:
            pytest.fail("the interrupt is reported as if nothing had changed")

    monkeypatch.setattr(update_module, "replace", interrupted_once_merged)
    with pytest.raises(KeptAfterInterruptError, match="complete and kept"):
        merge()
    assert git(project, "log", "-1", "--format=%s").startswith("Update from demo ")


def test_a_project_whose_answers_file_has_no_record_updates_once_told_its_template(
    project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As plain Copier writes it: the answers, but not which template or tool version."""
    answers = project / ".copier-answers.yml"
    answers.write_text(answers.read_text().split("_pyscaffold_fw:")[0], encoding="utf-8")
    commit_all(project, "the record removed")
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project))
    assert 2 == code
    assert result["error"] == (
        "No template is recorded for this project: pass --framework ID or --template "
        "SOURCE to name it."
    )
    code, result = update_json(capsys, str(project), "--check", "--framework", "demo")
    assert (1, "behind", None) == (code, result["status"], result["from_version"])
    code, result = update_json(capsys, str(project), "--framework", "demo")
    assert (0, "updated") == (code, result["status"])
    assert "print('v2')\n" == (project / "app.py").read_text()


def test_a_project_pointed_at_a_git_copy_of_its_template_updates_from_its_tag(
    project: Path, template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made from a folder (no tag recorded), then updated from the template's repository."""
    source = workdir / "repo"
    write_template(source, **{"app.py": "print('v2')\n"})
    git(source, "init", "-q")
    commit_all(source, "v2")
    git(source, "tag", "v2")
    code, result = update_json(capsys, str(project), "--template", str(source))
    assert (0, "updated") == (code, result["status"])
    assert "print('v2')\n" == (project / "app.py").read_text()
    assert "_commit: v2\n" in (project / ".copier-answers.yml").read_text()


def test_without_git_an_update_says_so_and_changes_nothing(
    project: Path,
    template: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_template(template, **{"app.py": "print('v2')\n"})
    before = snapshot(project)
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    code, result = update_json(capsys, str(project))
    monkeypatch.undo()
    assert (1, "git is not installed: updates merge with git.") == (code, result["error"])
    assert before == snapshot(project)


def test_a_git_failure_names_the_subcommand_in_gits_words_and_is_undone(
    hand_committed_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = hand_committed_project
    before = snapshot(project)
    (project / ".git" / "index.lock").touch()  # another git at work: git merge stops
    code, result = update_json(capsys, str(project), "--adopt")
    (project / ".git" / "index.lock").unlink()
    assert 1 == code
    # The subcommand, not the identity flags before it (no identity is configured here).
    assert re.fullmatch(r"git merge failed: [^\n]*index[^\n]*", result["error"])
    assert before == snapshot(project)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("- a list\n", "does not hold a mapping of answers."),
        ("a: " + "x" * (1024 * 1024) + "\n", "is larger than 1 MiB; refused."),
    ],
    ids=["not-a-mapping", "too-large"],
)
def test_an_unusable_answers_file_exits_2_naming_it(
    project: Path, capsys: pytest.CaptureFixture[str], text: str, error: str
) -> None:
    answers = project / ".copier-answers.yml"
    answers.write_text(text, encoding="utf-8")
    code, result = update_json(capsys, str(project), "--check")
    assert (2, f"{answers} {error}") == (code, result["error"])


def test_a_folder_without_an_answers_file_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = workdir / "plain"
    folder.mkdir()
    code, result = update_json(capsys, str(folder), "--check")
    assert 2 == code
    assert result["error"] == (
        f"{folder} has no .copier-answers.yml: it was not generated by pyscaffold-fw or "
        "Copier, so there is nothing to update it from."
    )


@pytest.mark.parametrize(
    ("record", "error"),
    [("5", "is not a mapping."), ("{template: demo}", r"is damaged \(.*origin.*\).")],
    ids=["not-a-mapping", "damaged"],
)
def test_a_damaged_record_exits_2_naming_the_file(
    project: Path, capsys: pytest.CaptureFixture[str], record: str, error: str
) -> None:
    answers = project / ".copier-answers.yml"
    kept = answers.read_text().split("_pyscaffold_fw:")[0]
    answers.write_text(f"{kept}_pyscaffold_fw: {record}\n", encoding="utf-8")
    code, result = update_json(capsys, str(project), "--check")
    assert 2 == code
    assert re.fullmatch(f"_pyscaffold_fw in {re.escape(str(answers))} {error}", result["error"])


def test_without_git_new_says_so_and_check_refuses_to_guess_until_adopted(
    template: Path,
    workdir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as no_git:
        no_git.setenv("PATH", str(tmp_path / "no-programs-here"))
        assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults"])
        assert "git: skipped, git is not installed\n" in capsys.readouterr().out
        project = workdir / "site"
        answers = yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))
        assert not (project / ".git").exists()
        assert "digest" not in answers["_pyscaffold_fw"]
        write_template(template, **{"app.py": "print('v2')\n"})
        code, result = update_json(capsys, str(project), "--check")
        assert (1, "git is not installed: --check compares the render's git tree id with the "
                "recorded one.") == (code, result["error"])  # fmt: skip
    code, result = update_json(capsys, str(project), "--check")
    assert 1 == code
    assert result["error"] == (
        f"{project} was generated where git was not installed: its answers file records no "
        "digest of the render, so --check cannot tell whether it is behind. Once the project "
        "is committed, `pyscaffold-fw update --adopt` records one (the template as it is now "
        "becomes the project's base)."
    )
    git(project, "init", "-q")
    commit_all(project, "by hand")
    assert 0 == update_json(capsys, str(project), "--adopt")[0]
    code, result = update_json(capsys, str(project), "--check")
    assert (0, "up-to-date") == (code, result["status"])


def test_the_newest_render_is_the_base_even_when_its_machines_clock_ran_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """By date, git lists a render dated before its parent (made where the clock ran
    behind) after that parent: the base must be found in the history's order instead."""
    repository = tmp_path / "project"
    repository.mkdir()
    git(repository, "init", "-q")

    def commit(text: str, date: str, parents: list[str], *, render: bool) -> str:
        (repository / "app.py").write_text(text, encoding="utf-8")
        git(repository, "add", "app.py")
        tree = git(repository, "write-tree").strip()
        message = history.render_message("Render", "demo", "1.0", tree) if render else "Edit"
        monkeypatch.setenv("GIT_COMMITTER_DATE", f"{date}T12:00:00Z")
        flags = [flag for parent in parents for flag in ("-p", parent)]
        return git(repository, "commit-tree", tree, *flags, "-m", message).strip()

    first = commit("v1\n", "2026-03-01", [], render=True)
    edit = commit("v1 edited\n", "2026-06-01", [first], render=False)
    second = commit("v2\n", "2026-02-01", [first], render=True)  # the clock ran behind
    merged = commit("v2 edited\n", "2026-06-02", [edit, second], render=False)
    git(repository, "reset", "-q", "--hard", merged)
    base = history.Repository(repository).find_base("")
    assert base is not None
    assert (second, "") == (base.commit, base.warning)


@pytest.fixture
def ascii_locale() -> Iterator[None]:
    """Make ASCII (the C locale's) the default encoding of open(), as on a machine without
    a UTF-8 locale: Python reads LC_CTYPE at each open() unless in UTF-8 mode."""
    if sys.flags.utf8_mode:
        pytest.skip("in Python's UTF-8 mode open() defaults to UTF-8 whatever the locale")
    saved = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    try:
        assert "utf" not in locale.getpreferredencoding(False).lower()
        yield
    finally:
        locale.setlocale(locale.LC_CTYPE, saved)


def test_non_ascii_answers_folders_and_variables_are_kept_as_written_in_any_locale(
    ascii_locale: None, template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = "Café del Mar, a folder name long enough to pass eighty columns in the record of it"
    flags = ["--framework", "demo", "--defaults", "-q", "-d", "project_name=Café"]
    assert 0 == run(new_command, [folder, *flags])
    project = workdir / folder
    answers = (project / ".copier-answers.yml").read_text(encoding="utf-8")
    assert "project_name: Café\n" in answers
    assert f"  folder: {folder}\n" in answers  # readable, on one line
    env = {".env.jinja": "TOKEN={{ token }}\nGREETING=¡hola!\n", ".env.example": "GREETING=x\n"}
    write_template(template, **env)
    code, result = update_json(capsys, str(project))
    assert (0, ["GREETING"]) == (code, result["env_added"])
    assert (project / ".env").read_text(encoding="utf-8").endswith("\nGREETING=¡hola!\n")


def test_a_template_whose_answers_file_passes_1_mib_is_refused_and_leaves_nothing(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notes = "notes:\n  type: str\n  default: \"{{ 'x' * 1100000 }}\"\n"  # Copier records it
    write_template(template, COPIER_YML + notes)
    assert 1 == run(new_command, ["site", "--framework", "demo", "--defaults", "-q"])
    error = capsys.readouterr().err
    assert error == (
        "Error: The template's answers file .copier-answers.yml is larger than 1 MiB; "
        "refused. Nothing was written.\n"
    )
    assert ["user-templates"] == [path.name for path in workdir.iterdir()]


def test_adopting_a_template_that_writes_no_answers_file_is_refused(
    hand_committed_project: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_template(template, **{"{{ _copier_conf.answers_file }}.jinja": None})
    before = snapshot(hand_committed_project)
    code, result = update_json(capsys, str(hand_committed_project), "--adopt")
    assert 1 == code
    assert result["error"] == (
        "The template demo writes no .copier-answers.yml: nothing would record the project's "
        "answers, so it could never be updated. Nothing was changed."
    )
    assert before == snapshot(hand_committed_project)


@pytest.mark.parametrize("answers_file", [True, False], ids=["answers-file", "none"])
def test_new_warns_when_the_template_writes_no_answers_file(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str], answers_file: bool
) -> None:
    if not answers_file:
        write_template(template, **{"{{ _copier_conf.answers_file }}.jinja": None})
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "--json"])
    warnings = json.loads(capsys.readouterr().out)["warnings"]
    expected = (
        "The template writes no .copier-answers.yml, so `pyscaffold-fw update` cannot update "
        "this project later. A template records its answers in a file named "
        "`{{ _copier_conf.answers_file }}.jinja` holding `{{ _copier_answers|to_nice_yaml }}`."
    )
    assert warnings == ([] if answers_file else [expected])


@pytest.mark.parametrize(("files", "line"), [(1, "1 file written."), (2, "2 files written.")])
def test_new_counts_the_files_it_wrote(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str], files: int, line: str
) -> None:
    (template / "copier.yml").write_text("_subdirectory: template\n", encoding="utf-8")
    (template / "template").rename(template / "unused")  # no file but these:
    (template / "template").mkdir()
    for number in range(files):
        (template / "template" / f"file{number}.txt").write_text("x\n", encoding="utf-8")
    assert 0 == run(new_command, ["site", "--framework", "demo", "--defaults", "--no-git"])
    assert f"\n{line}\n" in capsys.readouterr().out


def test_a_project_in_a_folder_git_could_take_for_an_option_adopts_and_settles_its_record(
    template: Path, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Paths in the repository start with the project's folder: `-services/...` must
    reach git as a path (after `--`), never as an option."""
    monorepo, project = project_in_monorepo(workdir, "-services")
    commit_all(monorepo, "add the service")
    code, result = update_json(capsys, str(project), "--adopt")
    assert (0, "adopted") == (code, result["status"])
    answers = project / ".copier-answers.yml"
    text = answers.read_text(encoding="utf-8")
    answers.write_text(re.sub(r"digest: \w+", "digest: edited-by-hand", text), encoding="utf-8")
    commit_all(monorepo, "the record edited by hand")  # a conflict with the next render's
    write_template(template, **{"app.py": "print('v2')\n"})
    code, result = update_json(capsys, str(project))
    assert (0, "updated", []) == (code, result["status"], result["conflicts"])
    assert "digest: edited-by-hand" not in answers.read_text(encoding="utf-8")
    assert "" == git(monorepo, "status", "--porcelain")
