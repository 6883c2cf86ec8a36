"""Git on someone else's template: its configuration never runs, and refs are never options."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw import vcs
from pyscaffold_fw.cli import cli, new_command, run

GIT_ENV = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=folder, check=True, capture_output=True, env={**os.environ, **GIT_ENV}
    )


def committed_template(folder: Path) -> Path:
    """Make `folder` a one-commit git repository holding a tiny Copier template."""
    folder.mkdir(parents=True)
    (folder / "copier.yml").write_text("project_name: demo\n", encoding="utf-8")
    (folder / "README.md.jinja").write_text("# {{ project_name }}\n", encoding="utf-8")
    git(folder, "init", "-q")
    git(folder, "add", "-A")
    git(folder, "commit", "-qm", "template")
    return folder


def owning_command(marker: Path) -> str:
    """Return a shell command that proves it ran by writing `marker`."""
    return f"sh -c 'id > {marker}; cat'"


def arm_fsmonitor(repository: Path, marker: Path) -> None:
    git(repository, "config", "core.fsmonitor", f"id > {marker}; echo")


def arm_filter(repository: Path, marker: Path) -> None:
    (repository / ".gitattributes").write_text("* filter=own\n", encoding="utf-8")
    git(repository, "add", ".gitattributes")
    git(repository, "commit", "-qm", "attributes")
    git(repository, "config", "filter.own.clean", owning_command(marker))
    git(repository, "config", "filter.own.smudge", owning_command(marker))


def arm_hook(repository: Path, marker: Path) -> None:
    for name in ("post-checkout", "post-index-change", "reference-transaction"):
        hook = repository / ".git" / "hooks" / name
        hook.write_text(f"#!/bin/sh\nid > {marker}\n", encoding="utf-8")
        hook.chmod(0o755)


ARMS = {"fsmonitor": arm_fsmonitor, "filter": arm_filter, "hook": arm_hook}


@pytest.mark.parametrize("arm", ARMS.values(), ids=ARMS.keys())
@pytest.mark.parametrize(
    "args",
    [
        ("new", "out", "--defaults", "--no-git"),
        ("new", "out", "--defaults", "--no-git", "--pretend"),
        ("new", "out", "--defaults"),
        ("templates", "check"),
    ],
    ids=["new", "pretend", "new-with-git", "templates-check"],
)
def test_a_local_repositorys_git_configuration_never_runs(
    workdir: Path, capsys: pytest.CaptureFixture[str], arm: Any, args: tuple[str, ...]
) -> None:
    template = committed_template(workdir / "t")
    marker = workdir / "OWNED"
    arm(template, marker)
    command, *rest = args
    argv = [command, *rest, "--template", str(template)] if command == "new" else [*args]
    if command == "templates":
        argv.append(str(template))
    run(cli, argv)
    capsys.readouterr()
    assert not marker.exists()


@pytest.mark.parametrize("arm", ARMS.values(), ids=ARMS.keys())
def test_a_plain_template_folder_never_obeys_an_enclosing_repository(
    workdir: Path, capsys: pytest.CaptureFixture[str], arm: Any
) -> None:
    enclosing = workdir / "share"
    enclosing.mkdir()
    git(enclosing, "init", "-q")
    git(enclosing, "commit", "-q", "--allow-empty", "-m", "share")
    marker = workdir / "OWNED"
    arm(enclosing, marker)
    template = enclosing / "t"
    template.mkdir()
    (template / "copier.yml").write_text("project_name: demo\n", encoding="utf-8")
    (template / "README.md.jinja").write_text("# {{ project_name }}\n", encoding="utf-8")

    code = run(new_command, ["out", "--template", str(template), "--defaults", "--no-git"])
    capsys.readouterr()
    assert 0 == code
    assert not marker.exists()


def test_a_template_writing_git_metadata_is_refused(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = workdir / "t"
    (template / "{{ '.git' }}").mkdir(parents=True)
    (template / "copier.yml").write_text("_exclude: []\nproject_name: demo\n", encoding="utf-8")
    marker = workdir / "OWNED"
    (template / "{{ '.git' }}" / "config").write_text(
        f'[filter "own"]\n\tclean = {owning_command(marker)}\n', encoding="utf-8"
    )
    (template / ".gitattributes").write_text("* filter=own\n", encoding="utf-8")

    code = run(new_command, ["out", "--template", str(template), "--defaults", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (1, 1) == (code, payload["exit_code"])
    expected = (
        "The template wrote git metadata (.git), whose configuration could run commands when "
        "git is used in the project; refused. Nothing was written."
    )
    assert expected == payload["error"]
    assert not marker.exists()
    assert not (workdir / "out").exists()


@pytest.mark.parametrize(
    "ref", ["-x", "--upload-pack=touch OWNED", "v1 x", "v1\x1b[2J", ""], ids=repr
)
def test_a_ref_that_git_would_read_as_an_option_exits_2(
    workdir: Path, capsys: pytest.CaptureFixture[str], ref: str
) -> None:
    template = committed_template(workdir / "t")
    argv = ["out", "--template", str(template), "--vcs-ref", ref, "--defaults", "--json"]
    code = run(new_command, argv)
    payload = json.loads(capsys.readouterr().out)
    assert (2, 2) == (code, payload["exit_code"])
    assert "is not a git tag, branch or commit" in payload["error"]
    assert not (workdir / "OWNED").exists()
    assert not (workdir / "out").exists()


@pytest.fixture
def failing_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Put a git first on PATH whose `commit` fails as on a full disk, after `init` and `add`."""
    real = shutil.which("git")
    assert real is not None
    wrapper = tmp_path / "bin" / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\n"
        'for arg in "$@"; do [ "$arg" = commit ] && '
        "{ echo 'fatal: No space left on device' >&2; exit 128; }; done\n"
        f'exec {real} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.usefixtures("failing_commit")
def test_a_failed_git_init_keeps_the_project_removes_git_and_says_how_to_finish(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(new_command, ["shop", "--framework", "flask", "--defaults", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (1, 1) == (code, payload["exit_code"])
    assert "No space left on device" in payload["error"]
    assert "To finish: cd " in payload["error"]
    assert "git init && git add --all && git commit -m" in payload["error"]
    assert (workdir / "shop" / "pyproject.toml").is_file()
    assert not (workdir / "shop" / ".git").exists()


def test_a_refusal_names_the_users_source_not_our_clone(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = workdir / "t"
    template.mkdir()
    (template / "copier.yml").write_text("_tasks: [echo hi]\nname: x\n", encoding="utf-8")
    git(template, "init", "-q")
    git(template, "add", "-A")
    git(template, "commit", "-qm", "template")
    source = f"file://{template}"
    code = run(new_command, ["out", "--template", source, "--defaults", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (1, 1) == (code, payload["exit_code"])
    assert f"The template at {source} uses tasks" in payload["error"]
    assert "pyscaffold-template-" not in payload["error"]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("gh:acme/starter", "https://github.com/acme/starter.git"),
        ("gh:acme/starter.git", "https://github.com/acme/starter.git"),
        ("gl:acme/starter", "https://gitlab.com/acme/starter.git"),
        ("git+https://example.com/acme/starter", "https://example.com/acme/starter"),
        ("https://example.com/acme/starter.git", "https://example.com/acme/starter.git"),
    ],
    ids=["github-shortcut", "github-shortcut-with-suffix", "gitlab-shortcut", "git-plus", "plain"],
)
def test_clone_url_expands_copiers_shortcuts(source: str, expected: str) -> None:
    assert (True, expected) == (vcs.is_remote(source), vcs.clone_url(source))
