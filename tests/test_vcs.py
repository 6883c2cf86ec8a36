"""Git on someone else's template: its configuration never runs, and refs are never options."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from pyscaffold_fw import vcs
from pyscaffold_fw.cli import cli, new_command, run
from pyscaffold_fw.errors import Interrupted

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
    "ref",
    ["-x", "--upload-pack=touch OWNED", "v1 x", "v1\x1b[2J", ""],
    ids=["option", "upload-pack", "space", "escape", "empty"],  # plain ids: mutmut reruns them
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


# init_repository in-process: what a new project's repository holds, and what the report says.

FALLBACK_DETAIL = "one initial commit (git had no identity: committed as pyscaffold-fw)"


def new_project(root: Path) -> Path:
    project = root / "made" / "shop"
    (project / "src").mkdir(parents=True)
    (project / "README.md").write_text("# shop\n", encoding="utf-8")
    (project / "src" / "app.py").write_text("app = 1\n", encoding="utf-8")
    return project


def git_out(folder: Path, *args: str) -> str:
    completed = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True)
    return completed.stdout.strip()


@pytest.fixture
def bystander(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from another repository with its own identity and branch: none of it may leak in."""
    folder = tmp_path / "bystander"
    folder.mkdir()
    git(folder, "init", "-q")
    for key, value in [
        ("user.name", "Bystander"),
        ("user.email", "by@example.com"),
        ("init.defaultBranch", "elsewhere"),
    ]:
        git(folder, "config", key, value)
    monkeypatch.chdir(folder)
    return folder


@pytest.mark.usefixtures("bystander")
def test_a_new_project_gets_one_commit_of_all_its_files_by_the_fallback_identity(
    tmp_path: Path,
) -> None:
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "Create flask project with pyscaffold-fw")
    assert {"status": "committed", "detail": FALLBACK_DETAIL, "branch": "main"} == (
        outcome.to_json()
    )
    assert "main" == git_out(project, "branch", "--show-current")
    log = git_out(project, "log", "--format=%an <%ae>|%cn <%ce>|%s")
    fallback = "pyscaffold-fw <pyscaffold-fw@localhost>"
    assert f"{fallback}|{fallback}|Create flask project with pyscaffold-fw" == log
    assert ["README.md", "src/app.py"] == git_out(project, "ls-files").splitlines()
    assert "" == git_out(project, "status", "--porcelain")


def user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    config = tmp_path / "gitconfig"
    config.write_text(text, encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))


def test_a_new_project_uses_the_users_identity_and_default_branch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user_config(
        tmp_path,
        monkeypatch,
        "[user]\n\tname = Ada\n\temail = ada@example.com\n[init]\n\tdefaultBranch = trunk\n",
    )
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "first")
    assert vcs.RepositoryOutcome("committed", "one initial commit", "trunk") == outcome
    assert "Ada <ada@example.com>" == git_out(project, "log", "--format=%an <%ae>")


@pytest.mark.usefixtures("bystander")
@pytest.mark.parametrize("half", ["name = Ada", "email = ada@example.com"], ids=["name", "email"])
def test_half_an_identity_is_not_used_the_fallback_signs_instead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, half: str
) -> None:
    # The bystander repository we run from has the other half: it must not complete it.
    user_config(tmp_path, monkeypatch, f"[user]\n\t{half}\n")
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "first")
    assert vcs.RepositoryOutcome("committed", FALLBACK_DETAIL, "main") == outcome
    expected = "pyscaffold-fw <pyscaffold-fw@localhost>"
    assert expected == git_out(project, "log", "--format=%an <%ae>")


def test_a_project_inside_a_work_tree_gets_no_repository_of_its_own(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "first")
    expected = ("skipped", "already inside a git repository; not nesting one", None)
    assert vcs.RepositoryOutcome(*expected) == outcome
    assert not (project / ".git").exists()


def test_without_git_the_project_is_kept_without_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "first")
    assert vcs.RepositoryOutcome("skipped", "git is not installed") == outcome
    assert not (project / ".git").exists()


def git_failing_at(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    subcommand: str,
    then: str,
    after: Path | None = None,
) -> None:
    """Put a git first on PATH that runs `then` (shell) before `subcommand` (`then` may
    exit instead); `after`, the folder of another such git, wraps that one."""
    real = shutil.which("git", path=str(after) if after else None)
    assert real is not None
    wrapper = tmp_path / ("bin" if after is None else "bin-outer") / "git"
    wrapper.parent.mkdir()
    wrapper.write_text(
        "#!/bin/sh\n"
        f'for arg in "$@"; do [ "$arg" = {subcommand} ] && {{ {then}; }}; done\n'
        f'exec {real} "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{wrapper.parent}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize(
    ("subcommand", "then", "detail"),
    [
        (
            "commit",
            "echo 'fatal: No space left on device' >&2; exit 128",
            "git commit failed: fatal: No space left on device",
        ),
        # Before .git exists, and without a word on stderr.
        ("init", "exit 1", "git init failed: git failed"),
    ],
    ids=["commit-says-why", "init-silent"],
)
def test_a_failed_git_step_is_reported_by_name_and_leaves_no_git_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subcommand: str, then: str, detail: str
) -> None:
    git_failing_at(tmp_path, monkeypatch, subcommand, then)
    project = new_project(tmp_path)
    outcome = vcs.init_repository(project, "first")
    assert vcs.RepositoryOutcome("failed", detail, "main") == outcome
    assert ["README.md", "src"] == sorted(p.name for p in project.iterdir())


class Stopped(BaseException):
    """What a stopping signal raises (as _entry.py's handler does)."""


# During init, .git may not exist yet: removing it must not hide the signal.
@pytest.mark.parametrize("subcommand", ["init", "commit"])
def test_a_signal_during_git_removes_the_half_made_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subcommand: str
) -> None:
    git_failing_at(tmp_path, monkeypatch, subcommand, "kill -USR1 $PPID; sleep 30")

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGUSR1, stop)
    project = new_project(tmp_path)
    try:
        with pytest.raises(Stopped):
            vcs.init_repository(project, "first")
    finally:
        signal.signal(signal.SIGUSR1, previous)
    assert ["README.md", "src"] == sorted(p.name for p in project.iterdir())


def users_git_files(home: Path, kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Give git, the way a user or a system administrator would, a setting that changes
    what `git add` stores: case-insensitive ignores, or files it ignores or rewrites."""
    setting = "[core]\n\tignoreCase = true\n"  # DEBUG.LOG matches the project's *.log
    if kind == "global-config":
        (home / "gitconfig").write_text(setting, encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    elif kind == "environment-config":
        monkeypatch.setenv("GIT_CONFIG_PARAMETERS", "'core.ignorecase'='true'")
    elif kind == "system-config":
        (home / "system-gitconfig").write_text(setting, encoding="utf-8")
        monkeypatch.setenv("GIT_CONFIG_SYSTEM", str(home / "system-gitconfig"))
        monkeypatch.delenv("GIT_CONFIG_NOSYSTEM")
    else:  # the per-user files git reads even without a setting naming them
        (home / "git").mkdir()
        name, line = {
            "user-ignore": ("ignore", "*.txt"),
            "user-attributes": ("attributes", "* text"),
        }[kind]
        (home / "git" / name).write_text(f"{line}\n", encoding="utf-8")
        monkeypatch.setenv("XDG_CONFIG_HOME", str(home))


@pytest.mark.parametrize(
    "kind",
    ["global-config", "system-config", "environment-config", "user-ignore", "user-attributes"],
)
def test_the_renders_digest_is_the_same_whatever_git_files_the_machine_has(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    project = new_project(tmp_path)
    (project / ".gitignore").write_text("*.log\n", encoding="utf-8")
    (project / "DEBUG.LOG").write_text("kept: the project ignores only *.log\n", encoding="utf-8")
    (project / "windows.txt").write_bytes(b"line one\r\nline two\r\n")
    expected = vcs.tree_id(project)
    users_git_files(tmp_path, kind, monkeypatch)
    assert expected == vcs.tree_id(project)
    assert expected != git_tree_of(project)  # git itself, as configured, sees it otherwise


DISK_FULL = "echo 'fatal: No space left on device' >&2; exit 128"


@pytest.mark.parametrize(
    ("step", "then", "reason"),
    [
        ("init", DISK_FULL, "fatal: No space left on device"),
        ("add", DISK_FULL, "fatal: No space left on device"),
        ("write-tree", DISK_FULL, "fatal: No space left on device"),
        ("write-tree", "exit 1", "git failed"),  # without a word on stderr
    ],
    ids=["init", "add", "write-tree", "write-tree-silent"],
)
def test_a_git_failure_while_hashing_the_render_names_the_step_and_gits_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, then: str, reason: str
) -> None:
    project = new_project(tmp_path)
    git_failing_at(tmp_path, monkeypatch, step, then)
    with pytest.raises(vcs.RenderError) as raised:
        vcs.tree_id(project)
    assert f"git {step} failed while hashing the render: {reason}" == raised.value.message


def test_hashing_the_render_leaves_its_folder_as_it_was(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    before = sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))
    vcs.tree_id(project)
    assert before == sorted(path.relative_to(tmp_path) for path in tmp_path.rglob("*"))


def git_tree_of(project: Path) -> str:
    """The tree id plain git gives `project` with the machine's settings and files."""
    git_out(project, "init", "--quiet")
    git_out(project, "add", "--all")
    return git_out(project, "write-tree")


def test_the_finish_by_hand_line_quotes_the_folder_and_the_message() -> None:
    line = vcs.finish_repository_command(Path("/srv/my shop"), "Bob's shop")
    quoted_message = """'Bob'"'"'s shop'"""
    expected = f"cd '/srv/my shop' && git init && git add --all && git commit -m {quoted_message}"
    assert expected == line


def test_the_newest_version_tag_is_picked_by_version_not_by_name(tmp_path: Path) -> None:
    template = committed_template(tmp_path / "t")
    # `git tag --list` sorts by name: "latest" (not a version) comes before the versions.
    for tag in ("latest", "v1.0", "v10.0", "v9.0"):
        git(template, "tag", tag)
    git_path = shutil.which("git")
    assert git_path is not None
    assert "v10.0" == vcs.newest_version_tag(git_path, template)
    assert "v10.0" == vcs.checkout(str(template), None, tmp_path / "clone")


def hardened_from(start: int) -> dict[str, str]:
    """Return our settings as git's command-line configuration, numbered from `start`."""
    env = {"GIT_CONFIG_COUNT": str(start + 4), "GIT_TERMINAL_PROMPT": "0"}
    for index, (key, value) in enumerate(vcs.HARDENED_CONFIG.items(), start=start):
        env |= {f"GIT_CONFIG_KEY_{index}": key, f"GIT_CONFIG_VALUE_{index}": value}
    return env


@pytest.mark.parametrize(
    ("base", "start"),
    [
        ({"PATH": "/bin"}, 0),
        ({"PATH": "/bin", "GIT_CONFIG_COUNT": ""}, 0),
        ({"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "a.b", "GIT_CONFIG_VALUE_0": "c"}, 1),
    ],
    ids=["none", "empty-count", "users-own"],
)
def test_git_runs_with_our_settings_after_the_users_own_and_never_prompts(
    base: dict[str, str], start: int
) -> None:
    hardened = ["core.fsmonitor", "core.hooksPath", "protocol.ext.allow", "submodule.recurse"]
    assert hardened == list(vcs.HARDENED_CONFIG)
    assert {**base, **hardened_from(start)} == vcs.hardened_env(base)


def test_git_never_follows_a_repository_the_environment_points_at() -> None:
    local = subprocess.check_output(["git", "rev-parse", "--local-env-vars"], text=True)
    configuration = {"GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT"}
    assert set(local.split()) - configuration <= vcs.REPOSITORY_VARIABLES  # this git's own
    pointing = dict.fromkeys(vcs.REPOSITORY_VARIABLES, "/elsewhere")
    assert {"PATH": "/bin", **hardened_from(0)} == vcs.hardened_env({"PATH": "/bin", **pointing})


def test_a_project_made_and_checked_from_a_git_hook_keeps_to_its_own_repository(
    tmp_path: Path, workdir: Path
) -> None:
    """A git hook, `git rebase --exec` or `git submodule foreach` starts us with GIT_DIR and
    friends naming its own repository: as a pre-commit hook does here."""
    outer = tmp_path / "outer"
    outer.mkdir()
    git(outer, "init", "-q")
    git(outer, "commit", "-q", "--allow-empty", "-m", "outer")
    hook = {"GIT_DIR": str(outer / ".git"), "GIT_INDEX_FILE": str(outer / ".git" / "index")}
    for args in (["new", "shop", "--framework", "flask", "--defaults"], ["update", "--check"]):
        completed = subprocess.run(
            [sys.executable, "-m", "pyscaffold_fw", *args, "-q"],
            cwd=workdir / ("shop" if args[0] == "update" else ""),
            env={**os.environ, **hook},
            capture_output=True,
            text=True,
        )
        assert (0, "") == (completed.returncode, completed.stderr)
    assert ["outer"] == git_out(outer, "log", "--format=%s").splitlines()
    assert "" == git_out(outer, "status", "--porcelain")
    log = git_out(workdir / "shop", "log", "--format=%s").splitlines()
    assert ["Create flask project with pyscaffold-fw"] == log


def signalled_then_finishing(finished: Path) -> str:
    """Shell for `git_failing_at`: SIGTERM us, keep git busy longer than the 0.25 s
    subprocess gives a child after a KeyboardInterrupt, run it, then touch `finished`."""
    real = shutil.which("git")
    return f'kill -TERM $PPID; sleep 0.5; {real} "$@"; code=$?; touch {finished}; exit $code'


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Turn SIGTERM into the exception Ctrl-C raises, as _entry.py does for the CLI."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def render_committed(tmp_path: Path) -> Path:
    """A project with its one render commit, and a uv.lock written beside it."""
    project = new_project(tmp_path)
    assert "committed" == vcs.init_repository(project, "first", ("flask", "0.1.0")).status
    (project / "uv.lock").write_text("version = 1\n", encoding="utf-8")
    return project


def stage_a_change(project: Path) -> None:
    """Stage a change of another file: committing or undoing uv.lock leaves it staged."""
    (project / "README.md").write_text("# changed, not to be committed\n", encoding="utf-8")
    git_out(project, "add", "README.md")


def test_a_file_is_committed_on_its_own_on_top_of_the_render_commit(tmp_path: Path) -> None:
    project = render_committed(tmp_path)
    stage_a_change(project)
    assert vcs.commit_file(project, "uv.lock", "Lock dependencies")
    assert ["Lock dependencies", "first"] == git_out(project, "log", "--format=%s").splitlines()
    assert "uv.lock" == git_out(project, "show", "--format=", "--name-only", "HEAD")
    assert "uv.lock" not in git_out(project, "ls-tree", "-r", "--name-only", "HEAD~1")
    assert "M  README.md" == git_out(project, "status", "--porcelain")
    assert vcs.tracks(project, "uv.lock")
    assert not vcs.commit_file(project, "uv.lock", "Lock dependencies")  # nothing changed
    assert 2 == len(git_out(project, "log", "--format=%s").splitlines())


def test_a_failed_file_commit_raises_and_leaves_the_file_unstaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = render_committed(tmp_path)
    stage_a_change(project)
    git_failing_at(tmp_path, monkeypatch, "commit", "echo 'fatal: disk full' >&2; exit 128")
    with pytest.raises(vcs.RenderError, match="git commit failed: fatal: disk full"):
        vcs.commit_file(project, "uv.lock", "Lock dependencies")
    assert ["first"] == git_out(project, "log", "--format=%s").splitlines()
    assert "M  README.md\n?? uv.lock" == git_out(project, "status", "--porcelain")
    assert not vcs.tracks(project, "uv.lock")


def test_a_signal_while_a_failed_file_commit_is_undone_lets_the_undo_finish(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = render_committed(tmp_path)
    finished = tmp_path / "finished"
    # The commit fails; while its `git reset` runs, SIGTERM arrives.
    failing = "echo 'fatal: disk full' >&2; exit 128"
    undoing = signalled_then_finishing(finished)
    git_failing_at(tmp_path, monkeypatch, "reset", undoing)
    git_failing_at(tmp_path, monkeypatch, "commit", failing, after=tmp_path / "bin")
    with sigterm_interrupts(), pytest.raises(Interrupted):
        vcs.commit_file(project, "uv.lock", "Lock dependencies")
    assert finished.is_file()  # the undo was not cut off halfway
    assert "?? uv.lock" == git_out(project, "status", "--porcelain")
    assert not (project / ".git" / "index.lock").exists()


@pytest.mark.parametrize(
    ("subcommand", "committed"), [("add", False), ("diff", False), ("commit", True)]
)
def test_a_signal_during_the_file_commit_lets_git_finish_then_keeps_or_undoes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subcommand: str, committed: bool
) -> None:
    project = render_committed(tmp_path)
    finished = tmp_path / "finished"
    git_failing_at(tmp_path, monkeypatch, subcommand, signalled_then_finishing(finished))
    with sigterm_interrupts(), pytest.raises(Interrupted):
        vcs.commit_file(project, "uv.lock", "Lock dependencies")
    assert finished.is_file()  # git was not cut off halfway
    # Then the commit is whole, or undone: nothing is left staged or locked.
    log = ["Lock dependencies", "first"] if committed else ["first"]
    assert log == git_out(project, "log", "--format=%s").splitlines()
    assert ("" if committed else "?? uv.lock") == git_out(project, "status", "--porcelain")
    assert not (project / ".git" / "index.lock").exists()


def clone_template(tmp_path: Path) -> None:
    vcs.checkout(str(committed_template(tmp_path / "template")), None, tmp_path / "clone")


def look_for_the_lock_file(tmp_path: Path) -> None:
    vcs.tracks(render_committed(tmp_path / "project"), "uv.lock")


@pytest.mark.parametrize(
    ("subcommand", "use"), [("clone", clone_template), ("cat-file", look_for_the_lock_file)]
)
def test_a_signal_during_a_git_that_writes_nothing_of_the_users_stops_it_there_and_then(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, subcommand: str, use: Any
) -> None:
    """Unlike a commit, a clone into our scratch folder or a read is not waited for."""
    finished = tmp_path / "finished"
    then = signalled_then_finishing(finished)
    git_failing_at(tmp_path, monkeypatch, subcommand, then)
    with sigterm_interrupts(), pytest.raises(Interrupted):
        use(tmp_path)
    assert not finished.exists()  # stopped, not waited for


def test_the_commit_by_hand_line_quotes_the_folder_and_the_message() -> None:
    line = vcs.commit_file_command(Path("/srv/my shop"), "uv.lock", "Lock dependencies")
    assert "cd '/srv/my shop' && git add uv.lock && git commit -m 'Lock dependencies'" == line
