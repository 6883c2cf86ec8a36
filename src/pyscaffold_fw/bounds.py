"""The one place that reads YAML, JSON and TOML we are handed: size, depth and expansion bound.

Data files, the config file, a template's copier.yml and answers all come from people we
need not trust. Each is refused, with a message naming it, when it is larger than
MAX_BYTES, nested deeper than MAX_DEPTH or holds more than MAX_VALUES values, counting a
YAML alias as many times as it is used: a few hundred bytes of aliases ("billion laughs")
otherwise expand to gigabytes in whatever walks or copies the result.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import yaml

from pyscaffold_fw.errors import BoundError

MAX_BYTES = 1024 * 1024  # per file, or shared by a copier.yml and its includes
MAX_DEPTH = 64  # nested lists and mappings; real answers and copier.yml use a handful
MAX_VALUES = 100_000  # scalars and containers, each alias counted every time it is used
MAX_INCLUDE_DEPTH = 8  # copier.yml `!include` inside an included file, and so on

ErrorClass = type[BoundError]


class _Refused(Exception):
    """A limit hit where the file's name is not known; the reader adds it."""


@dataclass
class Budget:
    """Bytes still allowed across the files read together (a copier.yml and its includes)."""

    left: int = MAX_BYTES


def read_text(path: Path, error: ErrorClass, budget: Budget | None = None) -> str:
    """Return the UTF-8 text of `path`, refusing more than the bytes left in `budget`."""
    budget = budget or Budget()
    shared = budget.left < MAX_BYTES
    with path.open("rb") as file:
        data = file.read(budget.left + 1)  # never more, whatever the file's size
    if len(data) > budget.left:
        together = " together with the files read before it" if shared else ""
        raise error(f"{path} is larger than {_mib(MAX_BYTES)}{together}; refused.")
    budget.left -= len(data)
    return data.decode("utf-8")


def load_json(path: Path, error: ErrorClass) -> Any:
    """Read a JSON file within the limits."""
    return parse_json(read_text(path, error), str(path), error)


def load_toml(path: Path, error: ErrorClass) -> dict[str, Any]:
    """Read a TOML file within the limits."""
    return parse_toml(read_text(path, error), str(path), error)


def load_yaml(path: Path, error: ErrorClass) -> Any:
    """Read a single-document YAML file within the limits."""
    return parse_yaml(read_text(path, error), str(path), error)


def load_yaml_documents(
    path: Path,
    error: ErrorClass,
    *,
    loader: type[BoundedLoader] | None = None,
    budget: Budget | None = None,
) -> list[Any]:
    """Read every document of a YAML file within the limits."""
    text = read_text(path, error, budget)
    return parse_yaml_documents(text, str(path), error, loader=loader)


def parse_json(text: str, source: str, error: ErrorClass) -> Any:
    """Parse JSON text; `source` names it in the error."""
    _check_length(text, source, error)
    with _refusing(source, error):
        loaded = json.loads(text)
    check_loaded(loaded, source, error)
    return loaded


def parse_toml(text: str, source: str, error: ErrorClass) -> dict[str, Any]:
    """Parse TOML text; `source` names it in the error."""
    _check_length(text, source, error)
    with _refusing(source, error):
        loaded = tomllib.loads(text)
    check_loaded(loaded, source, error)
    return loaded


def parse_yaml(text: str, source: str, error: ErrorClass) -> Any:
    """Parse one YAML document safely; `source` names it in the error."""
    _check_length(text, source, error)
    with _refusing(source, error):
        loaded = yaml.load(text, Loader=BoundedLoader)  # noqa: S506  (a SafeLoader)
    check_loaded(loaded, source, error)
    return loaded


def parse_yaml_documents(
    text: str, source: str, error: ErrorClass, *, loader: type[BoundedLoader] | None = None
) -> list[Any]:
    """Parse every YAML document of `text` with `loader` (a BoundedLoader subclass)."""
    _check_length(text, source, error)
    with _refusing(source, error):
        documents = list(yaml.load_all(text, Loader=loader or BoundedLoader))
    for document in documents:
        check_loaded(document, source, error)
    return documents


def check_loaded(value: Any, source: str, error: ErrorClass) -> None:
    """Refuse a value nested deeper than MAX_DEPTH or holding more than MAX_VALUES values.

    Walked with a stack, not recursion; a shared (aliased) value counts each time it is
    reached, as any later walk or copy of it would pay for it again.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    seen = 0
    while stack:
        item, depth = stack.pop()
        seen += 1
        if seen > MAX_VALUES:
            raise error(f"{source} holds more than {MAX_VALUES:,} values; refused.")
        if isinstance(item, _CONTAINERS):
            if depth > MAX_DEPTH:
                raise error(f"{source} is nested deeper than {MAX_DEPTH} levels; refused.")
            stack += zip(_children(item), repeat(depth + 1))


_CONTAINERS = (dict, list, tuple, set, frozenset)


def _children(item: Any) -> Iterable[Any]:
    """Return the keys and values of a mapping, the items of anything else."""
    return chain(item, item.values()) if isinstance(item, dict) else item


class BoundedLoader(yaml.SafeLoader):
    """A safe loader refusing deep nesting and alias expansion before building anything.

    While composing, each node's expanded size (itself and everything under it, an alias
    counted in full each time) is known from its children's, so a bomb is refused at the
    first level that passes MAX_VALUES, long before its expansion exists.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._sizes: dict[int, int] = {}  # id(node) -> expanded size, for this document
        self._depth = 0

    def compose_document(self) -> yaml.Node | None:
        """Compose one document, sizes counted afresh."""
        self._sizes = {}
        return super().compose_document()

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        """Compose a node (or return an alias's), refusing depth and expansion."""
        if self.check_event(yaml.AliasEvent):
            node = super().compose_node(parent, index)
            # An alias to a node still being composed contains itself: it never ends.
            size = self._sizes.get(id(node), MAX_VALUES + 1)
        else:
            node = self._compose_deeper(parent, index)
            size = self._sizes[id(node)] = 1 + sum(map(self._sizes.get, _ids(node), repeat(0)))
        if size > MAX_VALUES:
            raise _Refused(f"expands to more than {MAX_VALUES:,} values (YAML aliases?)")
        return node

    def _compose_deeper(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH + 1:  # a scalar may sit in the deepest container
                raise _Refused(f"is nested deeper than {MAX_DEPTH} levels")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _ids(node: yaml.Node | None) -> list[int]:
    """Return the ids of a composed node's children (keys and values of a mapping)."""
    if isinstance(node, yaml.SequenceNode):
        return [id(child) for child in node.value]
    if isinstance(node, yaml.MappingNode):
        return [id(part) for pair in node.value for part in pair]
    return []


@contextmanager
def _refusing(source: str, error: ErrorClass) -> Iterator[None]:
    """Turn a limit hit while parsing, or the parser's own recursion, into `error`."""
    try:
        yield
    except _Refused as refused:
        raise error(f"{source} {refused}; refused.") from None
    except RecursionError:
        # The parsers recurse once per level and give up near 1,000: far past MAX_DEPTH.
        raise error(f"{source} is nested deeper than {MAX_DEPTH} levels; refused.") from None


def _check_length(text: str, source: str, error: ErrorClass) -> None:
    if len(text) > MAX_BYTES:  # characters: a text not read through read_text
        raise error(f"{source} is larger than {_mib(MAX_BYTES)}; refused.")


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g} MiB"
