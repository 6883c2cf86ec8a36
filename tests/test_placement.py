"""Moving a finished project into place: whole or not at all, one winner, no signal half-way."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from pyscaffold_fw import render as render_module
from pyscaffold_fw.cli import new_command, run
from pyscaffold_fw.errors import DestinationError
from pyscaffold_fw.placement import Placement, move_into_place, signals_held
from tests.conftest import used_bytes


def staged(tmp_path: Path, count: int = 5) -> Path:
    source = tmp_path / "staging" / "project"
    source.mkdir(parents=True)
    for index in range(count):
        (source / f"file{index}.txt").write_text(str(index), encoding="utf-8")
    return source


def tree(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("dest_exists", [False, True], ids=["absent", "empty-dir"])
def test_the_folder_arrives_whole_and_placement_says_so(tmp_path: Path, dest_exists: bool) -> None:
    source = staged(tmp_path)
    expected = tree(source)
    dest = tmp_path / "dest"
    if dest_exists:
        dest.mkdir()
    placement = Placement()
    move_into_place(source, dest, placement)
    assert (True, expected) == (placement.done, tree(dest))


def taken_message(dest: Path) -> str:
    return (
        f"{dest} was filled by another run while this one worked; "
        "its files are untouched and this run wrote nothing."
    )


@pytest.mark.parametrize("dest_exists", [False, True], ids=["absent", "empty-dir"])
def test_a_destination_filled_by_another_run_is_left_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dest_exists: bool
) -> None:
    """Absent or empty when this run checked it, filled by the other run before the move."""
    source = staged(tmp_path)
    dest = tmp_path / "dest"
    if dest_exists:
        dest.mkdir()
    real_rename = os.rename
    real_iterdir = Path.iterdir

    def fill_dest() -> None:
        dest.mkdir(exist_ok=True)  # the other run's folder, already filled
        (dest / "file0.txt").write_text("the winner's", encoding="utf-8")

    def rename_after_the_other_run(src: Any, dst: Any) -> None:
        if Path(dst) == dest and not dest.exists():
            fill_dest()
        real_rename(src, dst)

    def iterdir_after_the_other_run(folder: Path) -> Any:
        if folder == dest and not (dest / "file0.txt").exists():
            fill_dest()
        return real_iterdir(folder)

    monkeypatch.setattr(os, "rename", rename_after_the_other_run)
    monkeypatch.setattr(Path, "iterdir", iterdir_after_the_other_run)
    placement = Placement()
    with pytest.raises(DestinationError) as raised:
        move_into_place(source, dest, placement)
    monkeypatch.undo()
    assert taken_message(dest) == str(raised.value)
    assert {"file0.txt": "the winner's"} == tree(dest)
    assert (False, 5) == (placement.done, len(tree(source)))


def test_a_destination_locked_by_another_run_is_refused(tmp_path: Path) -> None:
    source = staged(tmp_path)
    dest = tmp_path / "dest"
    dest.mkdir()
    folder = os.open(dest, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # another run is moving its files in
        with pytest.raises(DestinationError) as raised:
            move_into_place(source, dest, Placement())
    finally:
        os.close(folder)
    assert taken_message(dest) == str(raised.value)
    assert ([], 5) == (list(dest.iterdir()), len(tree(source)))


def test_a_failure_half_way_moves_every_entry_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = staged(tmp_path)
    expected = tree(source)
    dest = tmp_path / "dest"
    dest.mkdir()
    real_rename = os.rename
    calls: list[str] = []

    def rename_failing_third(src: Any, dst: Any) -> None:
        calls.append(str(src))
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename_failing_third)
    with pytest.raises(Exception, match="No space left on device"):
        move_into_place(source, dest, Placement())
    monkeypatch.undo()
    assert ([], expected) == (list(dest.iterdir()), tree(source))


def test_signals_wait_until_the_move_is_done(tmp_path: Path) -> None:
    received: list[int] = []

    def note(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    previous = signal.signal(signal.SIGTERM, note)
    try:
        with signals_held():
            os.kill(os.getpid(), signal.SIGTERM)
            held = list(received)
        assert ([], [signal.SIGTERM]) == (held, received)
    finally:
        signal.signal(signal.SIGTERM, previous)


@pytest.mark.parametrize("after_move", [False, True], ids=["before-move", "after-move"])
def test_ctrl_c_at_the_move_reports_what_is_on_disk(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    after_move: bool,
) -> None:
    real_move = render_module.move_into_place

    def interrupted_move(source: Path, dest: Path, placement: Placement) -> None:
        if after_move:
            real_move(source, dest, placement)
        raise KeyboardInterrupt

    monkeypatch.setattr(render_module, "move_into_place", interrupted_move)
    code = run(new_command, ["shop", "--framework", "flask", "--defaults", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert (130, 130) == (code, payload["exit_code"])
    if after_move:
        assert "The project in" in payload["error"]
        assert "is complete and kept" in payload["error"]
        assert (workdir / "shop" / ".copier-answers.yml").is_file()
    else:
        assert "nothing was written" in payload["error"]
        assert not (workdir / "shop").exists()
    assert [] == [p.name for p in workdir.iterdir() if p.name.startswith(".pyscaffold-")]


def generate_in_background(workdir: Path, dest: str) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "pyscaffold_fw", "new", dest]
    return subprocess.Popen(
        [*argv, "--framework", "flask", "--defaults", "--no-git", "--json"],
        cwd=workdir,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("dest_exists", [False, True], ids=["absent", "empty-dir"])
def test_two_runs_into_one_destination_one_wins_whole(workdir: Path, dest_exists: bool) -> None:
    if dest_exists:
        (workdir / "race").mkdir()
    runs = [generate_in_background(workdir, "race") for _ in range(3)]
    outcomes = [(child.wait(timeout=120), json.loads(child.communicate()[0])) for child in runs]
    winners = [payload for code, payload in outcomes if code == 0]
    losers = [payload for code, payload in outcomes if code != 0]
    assert 1 == len(winners)
    assert {1} == {payload["exit_code"] for payload in losers}
    on_disk = sorted(
        str(path.relative_to(workdir / "race"))
        for path in (workdir / "race").rglob("*")
        if path.is_file()
    )
    assert sorted(winners[0]["files"]) == on_disk
    assert {".env", ".env.example", ".copier-answers.yml"} <= set(on_disk)
    assert ["race"] == [path.name for path in workdir.iterdir()]


def test_a_disk_with_room_for_one_copy_takes_the_project_by_rename(
    capsys: pytest.CaptureFixture[str], tmpfs: Callable[..., Path]
) -> None:
    """The move is one rename: a copy would need the room twice and fail half-way."""
    probe = tmpfs("16m")
    flags = ["--framework", "flask", "--defaults", "--no-git", "-q"]
    assert 0 == run(new_command, [str(probe / "shop"), *flags])
    room = used_bytes(probe) * 3 // 2
    disk = tmpfs(f"{room // 1024}k")
    code = run(new_command, [str(disk / "shop"), *flags])
    capsys.readouterr()
    assert 0 == code
    assert tree(probe / "shop").keys() == tree(disk / "shop").keys()
