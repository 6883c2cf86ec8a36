"""Control characters from templates and answers are shown, never obeyed, by a terminal."""

from __future__ import annotations

import json

import pytest

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
        pytest.param("é 日本 🎉 👨‍👩‍👧 a\\b", "é 日本 🎉 👨‍👩‍👧 a\\b", id="plain unicode untouched"),
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
