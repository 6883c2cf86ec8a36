"""Copier's own prompts, shown safely: a template's question text, choices, defaults and
validator messages reach the terminal with their control characters visible."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pyscaffold_fw.terminal import visible


@contextmanager
def prompts_shown_visible() -> Iterator[None]:
    """Show the template's question text, choices, defaults and validator messages with
    their control characters visible, on their way from Copier to questionary."""
    import copier._main as copier_main  # noqa: PLC0415  (where Copier looks the prompt up)

    namespace = vars(copier_main)
    original = namespace["unsafe_prompt"]

    def prompt(questions: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
        return original([_visible_question(q) for q in questions], *args, **kwargs)

    namespace["unsafe_prompt"] = prompt
    try:
        yield
    finally:
        namespace["unsafe_prompt"] = original


def _visible_question(question: dict[str, Any]) -> dict[str, Any]:
    """Return a questionary question whose shown text holds no raw control characters."""
    from questionary import Choice  # noqa: PLC0415

    shown = dict(question)
    if isinstance(shown.get("message"), str):
        shown["message"] = visible(shown["message"], lines=True)
    if shown.get("choices"):
        relabelled = {
            id(c): Choice(visible(str(c.title)), c.value, checked=c.checked, disabled=c.disabled)
            for c in shown["choices"]
            if isinstance(c, Choice)
        }
        shown["choices"] = [relabelled.get(id(c), c) for c in shown["choices"]]
        # A default given as one of the choices must be the relabelled one.
        shown["default"] = relabelled.get(id(shown.get("default")), shown.get("default"))
    if "validate" in shown:
        check = shown["validate"]
        # The prompt shows one line: Copier's "Validation error for question 'x': " would
        # leave the reason itself little room, and the question is the one on screen.
        prefix = f"Validation error for question '{shown.get('name')}': "
        shown["validate"] = lambda text: _visible_result(check(text), prefix)
    default = shown.get("default")
    if isinstance(default, str) and visible(default) != default and shown.get("type") == "input":
        # Typed into the prompt as its visible form, Enter would answer that form instead.
        shown["message"] = f"{shown['message']} (Enter keeps {visible(default)})"
        shown["default"] = ""
        for key in ("filter", "validate"):
            if key in shown:
                shown[key] = _empty_means(default, shown[key])
    return shown


def _visible_result(result: Any, prefix: str) -> Any:
    return visible(result.removeprefix(prefix)) if isinstance(result, str) else result


def _empty_means(default: str, function: Any) -> Any:
    return lambda text: function(text or default)
