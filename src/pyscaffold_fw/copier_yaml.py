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

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import RenderError, TemplateBoundError, UnsafeTemplateError

# Copier joins these settings across documents instead of letting the last one win.
_JOINED_SETTINGS = ("_exclude", "_jinja_extensions", "_secret_questions", "_skip_if_exists")


def read_copier_config(config: Path) -> dict[str, Any]:
    """Return the merged settings and questions of `config` (a copier.yml)."""
    merged: dict[str, Any] = {}
    joined: dict[str, list[Any]] = {}
    for document in _Reader(config).documents(config):
        if not isinstance(document, dict):
            raise RenderError(f"{config} must hold a mapping of questions.")
        for key in _JOINED_SETTINGS:
            joined.setdefault(key, []).extend(document.get(key) or [])
        merged.update(document)
    merged.update({key: values for key, values in joined.items() if values})
    # Each file was bounded alone; what Copier and we go on to walk is all of them at once.
    bounds.check_loaded(merged, str(config), TemplateBoundError)
    return merged


class _Reader:
    """Read a copier.yml and what it includes: 1 MiB and MAX_INCLUDE_DEPTH levels in all.

    Copier reads the same files after us (when rendering): a file refused here never
    reaches it, so Copier's own unbounded loader never meets a bomb.
    """

    def __init__(self, config: Path) -> None:
        self.config = config
        self.root = config.parent.resolve()
        self.budget = bounds.Budget()  # shared by the copier.yml and every included file
        self.depth = 0

        class Loader(bounds.BoundedLoader):
            """A loader of our own, so the `!include` constructor stays out of yaml's."""

        Loader.add_constructor("!include", self._include)
        self.loader = Loader

    def documents(self, path: Path) -> list[Any]:
        """Return the non-empty documents of `path`, an included list spread into its items."""
        try:
            loaded = bounds.load_yaml_documents(
                path, TemplateBoundError, loader=self.loader, budget=self.budget
            )
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            raise RenderError(f"{path} is not valid YAML: {error}") from error
        except OSError as error:
            raise RenderError(f"Cannot read {path}: {error.strerror}.") from None
        return _flatten(loaded)

    def _include(self, loader: yaml.SafeLoader, node: yaml.Node) -> list[Any]:
        """Return the documents of every file `!include PATTERN` matches."""
        pattern = self._pattern(loader, node)
        if self.depth >= bounds.MAX_INCLUDE_DEPTH:
            raise TemplateBoundError(
                f"{self.config}: !include {pattern} nests includes deeper than "
                f"{bounds.MAX_INCLUDE_DEPTH} levels; refused."
            )
        self.depth += 1
        try:
            return [doc for path in self._matches(pattern) for doc in self.documents(path)]
        finally:
            self.depth -= 1

    def _pattern(self, loader: yaml.SafeLoader, node: yaml.Node) -> str:
        if not isinstance(node, yaml.ScalarNode):
            raise RenderError(f"{self.config}: !include takes one path or glob pattern.")
        pattern = str(loader.construct_scalar(node))
        if PurePosixPath(pattern).is_absolute():
            raise RenderError(f"{self.config}: !include {pattern} must be a relative path.")
        return pattern

    def _matches(self, pattern: str) -> list[Path]:
        """Return the files `pattern` matches, refusing any outside the template or no file."""
        matches = sorted(self.root.glob(pattern))
        for path in matches:
            if not path.resolve().is_relative_to(self.root):
                raise UnsafeTemplateError(
                    f"{self.config}: !include {pattern} reaches outside the template; refused."
                )
            if not path.is_file():  # a folder, or a FIFO that would block the read
                raise RenderError(
                    f"{self.config}: !include {pattern} matches {path.relative_to(self.root)}, "
                    "which is not a file; refused."
                )
        return matches


def _flatten(items: list[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        if isinstance(item, list):
            flat += _flatten(item)
        elif item:
            flat.append(item)
    return flat
