"""What a template may run on this machine: refused unless the user passes --trust.

A template runs code through Copier's tasks and Jinja extensions (its migrations run only
in `copier update`, which we never call), and a generated project runs its build backend
(and tests) when installed. Built-in and plugin
templates are trusted by default; any other template is refused before anything is
written, and so is one whose folder links outside itself.
"""

from __future__ import annotations

from pyscaffold_fw.catalog import symlinks_leaving
from pyscaffold_fw.errors import UnsafeTemplateError
from pyscaffold_fw.questions import TemplateQuestions


def refuse_unsafe(questions: TemplateQuestions, *, trust: bool, source: str) -> None:
    """Refuse a template that would run code, unless the user trusts it."""
    if questions.unsafe_features and not trust:
        features = ", ".join(questions.unsafe_features)
        raise UnsafeTemplateError(
            f"The template at {source} uses {features}, which run code on your "
            "machine. Review it, then pass --trust to allow it. Nothing was written."
        )
    outside = symlinks_leaving(questions.path)
    if outside:
        raise UnsafeTemplateError(
            f"The template {source} links outside its folder "
            f"({outside[0].relative_to(questions.path)}); refused. Nothing was written."
        )


def refuse_untrusted_install(source: str, *, installs: bool, may_run_code: bool) -> None:
    """Installing runs the project's build backend (and tests): trusted templates only."""
    if installs and not may_run_code:
        raise UnsafeTemplateError(
            f"Installing a project made from {source} runs its code (its "
            "build backend, and its tests with --run-tests). Review the template, then add "
            "--trust to install it. Nothing was written."
        )
