"""Untrusted templates get capped memory and time: a Jinja bomb is an error, not a hang."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pyscaffold_fw import limits
from pyscaffold_fw.cli import new_command, run

MEMORY_BOMB = "{{ 'a' * 10**9 }}"
LOOP_BOMB = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}"


@pytest.fixture
def tight_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MEMORY_HEADROOM_BYTES", 256 * 1024**2)
    monkeypatch.setattr(limits, "RENDER_SECONDS", 2)


def bomb_template(root: Path, *, file: str = "", default: str = "") -> Path:
    template = root / "bomb"
    template.mkdir()
    question = f'title:\n  default: "{default or "demo"}"\n'
    (template / "copier.yml").write_text(question, encoding="utf-8")
    (template / "README.md.jinja").write_text(file or "# {{ title }}\n", encoding="utf-8")
    return template


@pytest.mark.usefixtures("tight_limits")
@pytest.mark.parametrize(
    ("bomb", "reason"),
    [
        ({"file": MEMORY_BOMB}, "of memory"),
        ({"file": LOOP_BOMB}, "took longer than 2 s"),
        ({"default": MEMORY_BOMB}, "of memory"),
        ({"default": LOOP_BOMB}, "took longer than 2 s"),
    ],
    ids=["file-memory", "file-loop", "default-memory", "default-loop"],
)
def test_a_jinja_bomb_is_stopped_with_exit_1_and_nothing_written(
    workdir: Path, capsys: pytest.CaptureFixture[str], bomb: dict[str, str], reason: str
) -> None:
    template = bomb_template(workdir, **bomb)
    argv = ["out", "--template", str(template), "--defaults", "--no-git", "--json"]
    code = run(new_command, argv)
    payload = json.loads(capsys.readouterr().out)
    assert (1, 1) == (code, payload["exit_code"])
    assert reason in payload["error"]
    assert "Nothing was written." in payload["error"]
    assert ["bomb"] == [path.name for path in workdir.iterdir()]


@pytest.mark.usefixtures("tight_limits")
def test_the_caps_are_lifted_after_rendering(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import resource
    import signal

    before = resource.getrlimit(resource.RLIMIT_AS)
    assert 0 == run(new_command, ["shop", "--framework", "flask", "--defaults", "--no-git", "-q"])
    assert before == resource.getrlimit(resource.RLIMIT_AS)
    assert (0.0, 0.0) == signal.getitimer(signal.ITIMER_REAL)


def address_space() -> int:
    """Return this process's virtual memory size, as /proc/self/status reports it."""
    status = Path("/proc/self/status").read_text(encoding="ascii").splitlines()
    kib = next(line.split()[1] for line in status if line.startswith("VmSize:"))
    return int(kib) * 1024


def test_the_memory_cap_is_the_headroom_above_the_address_space_in_use() -> None:
    import mmap
    import resource

    # 512 MiB mapped but never touched: address space in use, yet not resident memory.
    with mmap.mmap(-1, 512 * 2**20):
        before = address_space()
        with limits.memory_capped("Rendering"):
            cap = resource.getrlimit(resource.RLIMIT_AS)[0]
    # To the nearest 16 MiB: the interpreter may map a little between the two readings.
    assert 0 == round((cap - limits.MEMORY_HEADROOM_BYTES - before) / 2**24)
