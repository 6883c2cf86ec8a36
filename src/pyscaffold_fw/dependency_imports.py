"""The import names each starter's installed dependencies provide (their whole closure,
with the dev extra): a project package must not take one of them, or it would shadow the
dependency (`blinker` in a Flask project makes the install unsatisfiable).

The lists live in dependency_imports.json, written by scripts/refresh_dependency_imports.py;
the end-to-end tests fail when an installed project has a name the list lacks.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

DATA_FILE = "dependency_imports.json"
# Run by a project's Python: prints the import names its installed distributions provide.
LIST_IMPORTS_CODE = "import importlib.metadata as m; print('\\n'.join(m.packages_distributions()))"


@cache
def _lists() -> dict[str, tuple[str, ...]]:
    text = (resources.files("pyscaffold_fw") / DATA_FILE).read_text(encoding="utf-8")
    return {key: tuple(names) for key, names in json.loads(text).items()}


def dependency_imports(framework_id: str) -> tuple[str, ...]:
    """Return the import names of a built-in starter's dependency closure."""
    return _lists().get(framework_id, ())


def all_dependency_imports() -> frozenset[str]:
    """Return the import names of every starter's dependency closure."""
    return frozenset(name for names in _lists().values() for name in names)
