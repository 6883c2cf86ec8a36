"""The terminal: whether we may prompt on it, and untrusted text shown on it with every
control character made visible, as an escape.

A template or an answer can hold ESC, BEL, C1 codes or bidi overrides: raw, they set the
window title, clear the screen or reorder what a person reads (trojan source). Only our
own colours reach the terminal as sequences.
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

import click

# C0, DEL and C1 (category Cc); surrogates (undecodable bytes in file names, whose raw
# byte may be a C1 code); bidi embeddings, overrides, isolates and marks; line and
# paragraph separators. Zero-width joiners stay: emoji sequences need them.
_RISKY = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# Select Graphic Rendition: colours and bold, nothing that moves, clears or titles.
_SGR = re.compile("\x1b\\[[0-9;]*m")


def visible(text: str, *, lines: bool = False) -> str:
    """Return `text` with each control character written as an escape such as `\\x1b`.

    With `lines`, line breaks and tabs stay: for multi-line messages.
    """
    kept = "\n\t" if lines else ""
    return _RISKY.sub(lambda found: _escape(found.group(), kept), text)


def _escape(char: str, kept: str) -> str:
    if char in kept:
        return char
    code = ord(char)
    return _SHORT.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def visible_json(value: Any) -> str:
    """Return `value` as indented JSON in which no control character is raw.

    `ensure_ascii=False` keeps é and 日本 readable but leaves DEL, C1 codes and bidi
    controls raw; they become `\\uXXXX`, which decodes to the same value.
    """
    text = json.dumps(value, indent=2, ensure_ascii=False)
    # Outside strings JSON is ASCII; a raw newline there is the indentation.
    return _RISKY.sub(lambda found: _json_escape(found.group()), text)


def _json_escape(char: str) -> str:
    return char if char == "\n" else f"\\u{ord(char):04x}"


def visible_keeping_colour(text: str) -> str:
    """Return another program's output with its colours kept and every other control visible.

    Click then drops the colours where they do not belong (NO_COLOR, not a terminal).
    """
    parts = _SGR.split(text)
    colours = [*_SGR.findall(text), ""]
    pairs = zip(parts, colours, strict=True)
    return "".join(visible(part, lines=True) + colour for part, colour in pairs)


def is_interactive(as_json: bool) -> bool:
    """Tell whether we may prompt: a terminal on both ends, not CI, not --json."""
    ci = os.environ.get("CI", "").strip().lower() not in {"", "0", "false"}
    return not as_json and not ci and sys.stdin.isatty() and sys.stdout.isatty()


def color_enabled() -> bool | None:
    """Return False when NO_COLOR is set (https://no-color.org), else let Click decide."""
    return False if os.environ.get("NO_COLOR") else None


def echo(
    text: str, *, err: bool = False, lines: bool = False, nl: bool = True, **style: Any
) -> None:
    """Print untrusted text made visible, in our `style` (click.style's arguments) if any."""
    shown = visible(text, lines=lines)
    styled = click.style(shown, **style) if style else shown
    click.echo(styled, err=err, nl=nl, color=color_enabled())
