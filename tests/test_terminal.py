"""Control characters from templates and answers are shown, never obeyed, by a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from pyscaffold_fw import terminal
from pyscaffold_fw.cli import cli, new_command, run
from pyscaffold_fw.terminal import visible, visible_json, visible_keeping_colour


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        pytest.param("a\x1b[2Jb", "a\\x1b[2Jb", id="ESC CSI clear screen"),
        pytest.param("\x1b]0;pwn\x07", "\\x1b]0;pwn\\x07", id="OSC title"),
        pytest.param("\x9b2J", "\\x9b2J", id="C1 CSI"),
        pytest.param("ding\x07", "ding\\x07", id="BEL"),
        pytest.param("admin\u202etxt.exe", "admin\\u202etxt.exe", id="bidi override"),
        pytest.param("\u2066isolate\u2069", "\\u2066isolate\\u2069", id="bidi isolates"),
        pytest.param("a\x00b", "a\\x00b", id="NUL"),
        pytest.param("rub\x7fout", "rub\\x7fout", id="DEL"),
        pytest.param("back\rover", "back\\rover", id="carriage return"),
        pytest.param("name\udc9b", "name\\udc9b", id="undecodable byte in a file name"),
        pytest.param("one\ntwo\tx", "one\\ntwo\\tx", id="newline and tab without lines"),
        pytest.param(
            "é 日本 🎉 👨‍👩‍👧 a\\b", "é 日本 🎉 👨‍👩‍👧 a\\b", id="plain unicode untouched"
        ),
    ],
)
def test_control_characters_are_made_visible(raw: str, shown: str) -> None:
    assert shown == visible(raw)


def test_lines_keeps_line_breaks_and_tabs_only() -> None:
    assert "one\ntwo\tthree\\r\\x1b[2J" == visible("one\ntwo\tthree\r\x1b[2J", lines=True)


@pytest.mark.parametrize(
    "raw",
    ["\x1b]0;pwn\x07", "\x7f", "\x9b2J", "admin\u202etxt", "\u2067x\u2069", "é 日本 🎉"],
    ids=["OSC", "DEL", "C1 CSI", "bidi override", "bidi isolate", "unicode"],
)
def test_json_holds_no_raw_control_and_decodes_to_the_same_value(raw: str) -> None:
    text = visible_json({"value": raw, "list": [raw]})
    assert visible(text, lines=True) == text  # nothing left to make visible
    assert {"value": raw, "list": [raw]} == json.loads(text)


def test_json_keeps_non_ascii_readable() -> None:
    assert '"é 日本 🎉"' in visible_json({"k": "é 日本 🎉"})


def test_colours_of_another_program_are_kept_and_the_rest_made_visible() -> None:
    shown = visible_keeping_colour("\x1b[33mwarn\x1b[0m \x1b[2J\x1b]0;t\x07\nnext")
    assert "\x1b[33mwarn\x1b[0m \\x1b[2J\\x1b]0;t\\x07\nnext" == shown


# Through the real CLI: a hostile template, made here, must not drive the terminal.

OSC_TITLE, CLEAR = "\x1b]0;pwn\x07", "\x1b[2J"
SHOWN_TITLE, SHOWN_CLEAR = "\\x1b]0;pwn\\x07", "\\x1b[2J"


def hostile_template(root: Path, copier_yml: str = "", files: dict[str, str] | None = None) -> Path:
    """Write a template whose copier.yml says `copier_yml` (YAML escapes: \\e, \\a)."""
    template = root / "hostile"
    (template / "template").mkdir(parents=True)
    (template / "copier.yml").write_text(f"_subdirectory: template\n{copier_yml}", "utf-8")
    for name, text in (files or {"README.md": "hi\n"}).items():
        (template / "template" / name).write_text(text, encoding="utf-8")
    return template


def run_new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(new_command, ["app", "--no-git", "--defaults", *args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_nothing_raw(text: str) -> None:
    for raw in ("\x1b]", CLEAR, "\x07", "\x9b", "\u202e"):
        assert raw not in text


def test_message_after_copy_is_shown_visible_with_its_lines(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = '_message_after_copy: "Done \\e]0;pwn\\a \\e[2J\\nsecond line"\n'
    template = hostile_template(workdir, message)
    code, out, err = run_new(capsys, "--template", str(template))
    assert 0 == code
    assert_nothing_raw(out + err)
    assert f"Done {SHOWN_TITLE} {SHOWN_CLEAR}\nsecond line\n" in out


def test_a_file_name_with_escapes_is_listed_visible_when_pretending(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = hostile_template(workdir, files={f"evil{CLEAR}{OSC_TITLE}.txt": "x"})
    code, out, err = run_new(capsys, "--template", str(template), "--pretend")
    assert 0 == code
    assert_nothing_raw(out + err)
    assert f"evil{SHOWN_CLEAR}{SHOWN_TITLE}.txt" in out


def test_json_carries_no_raw_c1_or_bidi_control(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = hostile_template(workdir, '_message_after_copy: "a\\u202eb \\x9b2J \\x7f"\n')
    code, out, err = run_new(capsys, "--template", str(template), "--json")
    assert 0 == code
    assert_nothing_raw(out + err)
    assert "\x7f" not in out
    assert "a\u202eb \x9b2J \x7f" == json.loads(out)["message"]  # the same text, escaped


def test_an_error_quoting_the_template_is_shown_visible(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    validator = "{% if name == 'bad' %}bad \\e]0;pwn\\a\\e[2J{% endif %}"
    template = hostile_template(workdir, f'name:\n  type: str\n  validator: "{validator}"\n')
    code, _, err = run_new(capsys, "--template", str(template), "-d", "name=bad")
    assert 2 == code
    assert_nothing_raw(err)
    assert f"bad {SHOWN_TITLE}{SHOWN_CLEAR}" in err


def test_a_click_usage_error_shows_the_bad_argument_visible(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Click quotes an unknown option with repr, but echoes an extra argument as it is.
    assert 2 == run(new_command, ["app", f"extra{OSC_TITLE}"])
    err = capsys.readouterr().err
    assert_nothing_raw(err)
    assert SHOWN_TITLE in err
    assert "Usage:" in err


def test_templates_list_shows_a_user_templates_id_and_description_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / f"mine{OSC_TITLE}"
    folder.mkdir()
    # copier.yml is never parsed to list it: its first comment is the description.
    (folder / "copier.yml").write_text(f"# Evil {OSC_TITLE} {CLEAR}\n", encoding="utf-8")
    monkeypatch.setenv("PYSCAFFOLD_FW_TEMPLATES", str(tmp_path))
    assert 0 == run(cli, ["templates", "list"])
    out, err = capsys.readouterr()
    assert_nothing_raw(out + err)
    assert f"mine{SHOWN_TITLE}  user      Evil {SHOWN_TITLE} {SHOWN_CLEAR}" in out


def test_config_show_shows_an_answer_key_visible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[answers]\n"key\\u001b]0;pwn\\u0007" = "v"\n', encoding="utf-8")
    monkeypatch.setenv("PYSCAFFOLD_FW_CONFIG", str(config))
    assert 0 == run(cli, ["config", "show"])
    out, err = capsys.readouterr()
    assert_nothing_raw(out + err)
    assert f"answer key{SHOWN_TITLE} = 'v'" in out


def test_copier_output_is_held_and_its_colours_dropped_under_no_color(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import copier

    real_run_copy = copier.run_copy

    def warning_run_copy(*args: Any, **kwargs: Any) -> Any:
        # As Copier prints a warning (plumbum colours), quoting the template's text.
        print(f"\x1b[33mwarning: {OSC_TITLE}{CLEAR}\x1b[0m", file=sys.stderr)
        return real_run_copy(*args, **kwargs)

    monkeypatch.setattr(copier, "run_copy", warning_run_copy)
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, err = run_new(capsys, "--framework", "flask", "--json")
    assert 0 == code
    assert "\x1b" not in err
    assert f"warning: {SHOWN_TITLE}{SHOWN_CLEAR}\n" in err
    assert "flask" == json.loads(out)["framework"]  # stdout stays one JSON object


@pytest.mark.parametrize(
    ("no_color", "expected"), [("1", False), ("", None)], ids=["no-color-set", "not-set"]
)
def test_no_color_turns_colour_off_else_click_decides(
    monkeypatch: pytest.MonkeyPatch, no_color: str, expected: bool | None
) -> None:
    monkeypatch.setenv("NO_COLOR", no_color)
    assert expected is terminal.color_enabled()


def shown_by_echo(text: str, *, color: bool, **options: Any) -> str:
    """Return what terminal.echo prints where colours are (`color`) or are not allowed."""

    @click.command()
    def command() -> None:
        terminal.echo(text, **options)

    return CliRunner().invoke(command, color=color).output


def test_echo_shows_line_breaks_visible_unless_told_the_text_has_lines() -> None:
    assert ("one\\ntwo\\tx\n", "one\ntwo\tx\n") == (
        shown_by_echo("one\ntwo\tx", color=False),
        shown_by_echo("one\ntwo\tx", color=False, lines=True),
    )


def test_echo_styles_only_what_it_is_asked_to_and_ends_the_line_unless_told() -> None:
    assert ("\x1b[31mred\x1b[0m\n", "plain\n", "no newline") == (
        shown_by_echo("red", color=True, fg="red"),
        shown_by_echo("plain", color=True),
        shown_by_echo("no newline", color=True, nl=False),
    )


def test_echo_drops_our_colours_under_no_color_even_on_a_colour_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "red\n" == shown_by_echo("red", color=True, fg="red")
