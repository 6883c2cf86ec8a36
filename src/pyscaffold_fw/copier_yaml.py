"""Read a copier.yml the way Copier does: several YAML documents and `!include` tags.

Copier merges the documents in order (a later one wins a key; list settings such as
`_skip_if_exists` add up), and `!include PATTERN` inserts the documents of every file in
the template that matches the glob. Kept free of Copier's import: `templates list` reads
questions without it.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from pyscaffold_fw.errors import RenderError, UnsafeTemplateError

# Copier joins these settings across documents instead of letting the last one win.
_JOINED_SETTINGS = ("_exclude", "_jinja_extensions", "_secret_questions", "_skip_if_exists")


def read_copier_config(config: Path) -> dict[str, Any]:
    """Return the merged settings and questions of `config` (a copier.yml)."""
    root = config.parent.resolve()

    class Loader(yaml.SafeLoader):
        """A loader of our own, so the `!include` constructor stays out of yaml's."""

    def include(loader: yaml.SafeLoader, node: yaml.Node) -> list[Any]:
        if not isinstance(node, yaml.ScalarNode):
            raise RenderError(f"{config}: !include takes one path or glob pattern.")
        pattern = str(loader.construct_scalar(node))
        if PurePosixPath(pattern).is_absolute():
            raise RenderError(f"{config}: !include {pattern} must be a relative path.")
        documents: list[Any] = []
        for path in sorted(root.glob(pattern)):
            if not path.resolve().is_relative_to(root):
                raise UnsafeTemplateError(
                    f"{config}: !include {pattern} reaches outside the template; refused."
                )
            documents += _documents(path, Loader)
        return documents

    Loader.add_constructor("!include", include)
    merged: dict[str, Any] = {}
    joined: dict[str, list[Any]] = {}
    for document in _documents(config, Loader):
        if not isinstance(document, dict):
            raise RenderError(f"{config} must hold a mapping of questions.")
        for key in _JOINED_SETTINGS:
            joined.setdefault(key, []).extend(document.get(key) or [])
        merged.update(document)
    merged.update({key: values for key, values in joined.items() if values})
    return merged


def _documents(path: Path, loader: type[yaml.SafeLoader]) -> list[Any]:
    """Return the non-empty documents of `path`, an included list spread into its items."""
    try:
        loaded = list(yaml.load_all(path.read_text(encoding="utf-8"), Loader=loader))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise RenderError(f"{path} is not valid YAML: {error}") from error
    return _flatten(loaded)


def _flatten(items: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        if isinstance(item, list):
            flat += _flatten(item)
        elif item:
            flat.append(item)
    return flat
