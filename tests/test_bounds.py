"""Bounded reading: files too large, too deep or expanding too far are refused, named."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from pyscaffold_fw import bounds
from pyscaffold_fw.errors import EXIT_FAILURE, EXIT_USAGE, InputBoundError, TemplateBoundError


def nested(depth: int, inner: Any = None) -> Any:
    """Return `inner` in lists nested `depth` levels, built without recursion."""
    value = inner
    for _ in range(depth):
        value = [value]
    return value


def test_read_text_refuses_a_file_over_one_mib_and_names_it(tmp_path: Path) -> None:
    path = tmp_path / "big.yml"
    path.write_bytes(b"#" * (bounds.MAX_BYTES + 1))
    with pytest.raises(InputBoundError) as raised:
        bounds.read_text(path, InputBoundError)
    assert f"{path} is larger than 1 MiB; refused." == str(raised.value)


def test_a_huge_file_is_refused_without_reading_it_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as file:
        file.truncate(64 * bounds.MAX_BYTES)  # sparse: 64 MiB of zeros, no disk used
    tracemalloc.start()
    try:
        with pytest.raises(InputBoundError, match="is larger than 1 MiB"):
            bounds.read_text(path, InputBoundError)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * bounds.MAX_BYTES


def test_read_text_takes_a_file_of_exactly_one_mib(tmp_path: Path) -> None:
    path = tmp_path / "full.yml"
    path.write_bytes(b"#" * bounds.MAX_BYTES)
    assert bounds.MAX_BYTES == len(bounds.read_text(path, InputBoundError))


def test_a_shared_budget_refuses_files_too_large_together(tmp_path: Path) -> None:
    first, second = tmp_path / "first.yml", tmp_path / "second.yml"
    for path in (first, second):
        path.write_bytes(b"#" * (bounds.MAX_BYTES // 2 + 1))
    budget = bounds.Budget()
    bounds.read_text(first, TemplateBoundError, budget)
    with pytest.raises(TemplateBoundError, match=r"second\.yml is larger than 1 MiB together"):
        bounds.read_text(second, TemplateBoundError, budget)


PARSERS = [bounds.parse_yaml, bounds.parse_json, bounds.parse_toml, bounds.parse_yaml_documents]
PARSER_IDS = ["yaml", "json", "toml", "yaml-documents"]


@pytest.mark.parametrize("parse", PARSERS, ids=PARSER_IDS)
def test_text_over_one_mib_is_refused_before_parsing(parse: Any) -> None:
    with pytest.raises(InputBoundError) as raised:
        parse("1" * (bounds.MAX_BYTES + 1), "Answer x", InputBoundError)
    assert "Answer x is larger than 1 MiB; refused." == str(raised.value)


@pytest.mark.parametrize("parse", [bounds.parse_yaml, bounds.parse_json], ids=["yaml", "json"])
def test_text_of_exactly_one_mib_is_parsed(parse: Any) -> None:
    text = '"' + "a" * (bounds.MAX_BYTES - 2) + '"'
    assert bounds.MAX_BYTES - 2 == len(parse(text, "x", InputBoundError))


def test_an_alias_bomb_is_refused_while_composing(alias_bomb: str) -> None:
    # "expands to" is the loader's message: the bomb never reached check_loaded.
    with pytest.raises(InputBoundError, match=r"bomb\.yml expands to more than 100,000 values"):
        bounds.parse_yaml(alias_bomb, "bomb.yml", InputBoundError)


def test_aliases_count_each_time_they_are_used() -> None:
    # 101 + 100 * 101 + 10 * 10,101: few distinct nodes, over 100,000 once expanded.
    hundred = ", ".join(["1"] * 100)
    text = f"a: &a [{hundred}]\nb: &b [{', '.join(['*a'] * 100)}]\nc: [{', '.join(['*b'] * 10)}]"
    with pytest.raises(TemplateBoundError, match="expands to more than 100,000 values"):
        bounds.parse_yaml(text, "copier.yml", TemplateBoundError)


def test_ordinary_aliases_are_read() -> None:
    loaded = bounds.parse_yaml("a: &x [1, 2]\nb: *x\n", "ok.yml", InputBoundError)
    assert {"a": [1, 2], "b": [1, 2]} == loaded


def test_an_alias_to_itself_is_refused() -> None:
    with pytest.raises(InputBoundError, match="expands to more than"):
        bounds.parse_yaml("a: &a [*a]\n", "loop.yml", InputBoundError)


def test_every_document_is_bounded(alias_bomb: str) -> None:
    with pytest.raises(TemplateBoundError, match=r"copier\.yml expands to more than"):
        bounds.parse_yaml_documents(f"a: 1\n---\n{alias_bomb}", "copier.yml", TemplateBoundError)


@pytest.mark.parametrize(
    ("parse", "fixture"),
    [
        (bounds.parse_yaml, "deep_yaml"),
        (bounds.parse_json, "deep_json"),
        (bounds.parse_toml, "deep_toml"),
    ],
    ids=["yaml", "json", "toml"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(
    request: pytest.FixtureRequest, parse: Any, fixture: str
) -> None:
    with pytest.raises(InputBoundError, match=r"data\.x is nested deeper than 64 levels"):
        parse(request.getfixturevalue(fixture), "data.x", InputBoundError)


@pytest.mark.parametrize("parse", [bounds.parse_yaml, bounds.parse_json])
def test_nesting_up_to_the_limit_is_read(parse: Any) -> None:
    text = "[" * bounds.MAX_DEPTH + "1" + "]" * bounds.MAX_DEPTH
    assert nested(bounds.MAX_DEPTH, 1) == parse(text, "x", InputBoundError)
    with pytest.raises(InputBoundError, match="nested deeper than 64"):
        parse("[" + text + "]", "x", InputBoundError)


def test_toml_dotted_keys_are_nesting_too() -> None:
    with pytest.raises(InputBoundError, match="nested deeper than 64 levels"):
        bounds.parse_toml("a" + ".a" * 100 + " = 1\n", "config.toml", InputBoundError)


def test_check_loaded_walks_deep_values_without_recursion() -> None:
    bounds.check_loaded(nested(bounds.MAX_DEPTH), "v", InputBoundError)
    with pytest.raises(InputBoundError, match="v is nested deeper than 64 levels"):
        bounds.check_loaded(nested(100_000), "v", InputBoundError)


def test_check_loaded_counts_shared_values_each_time() -> None:
    shared = list(range(1_000))
    bounds.check_loaded([shared] * 99, "v", InputBoundError)
    with pytest.raises(InputBoundError, match="v holds more than 100,000 values"):
        bounds.check_loaded([shared] * 100, "v", InputBoundError)


def test_the_error_class_carries_the_callers_exit_code() -> None:
    assert (EXIT_USAGE, EXIT_FAILURE) == (
        InputBoundError("x").exit_code,
        TemplateBoundError("x").exit_code,
    )


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (bounds.parse_json, "[" * 65 + "]" * 65),
        (bounds.parse_toml, "a = " + "[" * 65 + "]" * 65),
        (bounds.parse_yaml, "[" * 65 + "]" * 65),
        (bounds.parse_yaml_documents, "a: 1\n---\n" + "[" * 65 + "]" * 65),
    ],
    ids=PARSER_IDS,
)
def test_each_parser_names_its_source_with_the_callers_error(parse: Any, text: str) -> None:
    with pytest.raises(TemplateBoundError) as raised:
        parse(text, "team.cfg", TemplateBoundError)
    assert "team.cfg is nested deeper than 64 levels; refused." == str(raised.value)


@pytest.mark.parametrize(
    ("load", "name", "text", "expected"),
    [
        (bounds.load_json, "data.json", '{"a": [1]}', {"a": [1]}),
        (bounds.load_toml, "config.toml", "a = [1]\n", {"a": [1]}),
        (bounds.load_yaml, "data.yml", "a: [1]\n", {"a": [1]}),
        (bounds.load_yaml_documents, "copier.yml", "a: [1]\n", [{"a": [1]}]),
    ],
    ids=["json", "toml", "yaml", "yaml-documents"],
)
def test_each_loader_reads_a_file_and_refuses_one_too_large_naming_it(
    tmp_path: Path, load: Any, name: str, text: str, expected: Any
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert expected == load(path, InputBoundError)
    path.write_bytes(b"#" * (bounds.MAX_BYTES + 1))
    with pytest.raises(InputBoundError) as raised:
        load(path, InputBoundError)
    assert f"{path} is larger than 1 MiB; refused." == str(raised.value)


@pytest.mark.parametrize(
    ("load", "text"),
    [
        (bounds.load_json, "[" * 65 + "]" * 65),
        (bounds.load_toml, "a = " + "[" * 65 + "]" * 65),
        (bounds.load_yaml, "[" * 65 + "]" * 65),
        (bounds.load_yaml_documents, "[" * 65 + "]" * 65),
    ],
    ids=["json", "toml", "yaml", "yaml-documents"],
)
def test_each_loader_names_the_file_it_refuses_to_parse(
    tmp_path: Path, load: Any, text: str
) -> None:
    path = tmp_path / "deep.txt"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TemplateBoundError) as raised:
        load(path, TemplateBoundError)
    assert f"{path} is nested deeper than 64 levels; refused." == str(raised.value)


def test_yaml_documents_share_the_callers_budget(tmp_path: Path) -> None:
    path = tmp_path / "included.yml"
    path.write_text("a: 1\n", encoding="utf-8")
    budget = bounds.Budget(left=3)
    with pytest.raises(TemplateBoundError) as raised:
        bounds.load_yaml_documents(path, TemplateBoundError, budget=budget)
    expected = f"{path} is larger than 1 MiB together with the files read before it; refused."
    assert expected == str(raised.value)


def test_yaml_documents_are_read_with_the_callers_loader(tmp_path: Path) -> None:
    class Shouting(bounds.BoundedLoader):
        def construct_scalar(self, node: Any) -> Any:
            return str(super().construct_scalar(node)).upper()

    path = tmp_path / "copier.yml"
    path.write_text("a: b\n", encoding="utf-8")
    assert [{"A": "B"}] == bounds.load_yaml_documents(path, InputBoundError, loader=Shouting)


def test_exactly_the_value_limit_is_read_and_one_more_refused() -> None:
    items = bounds.MAX_VALUES - 1  # the list itself is a value too
    bounds.check_loaded([0] * items, "v", InputBoundError)
    with pytest.raises(InputBoundError) as raised:
        bounds.check_loaded([0] * (items + 1), "v", InputBoundError)
    assert "v holds more than 100,000 values; refused." == str(raised.value)


def test_mapping_keys_count_as_values() -> None:
    mapping = dict.fromkeys(range(bounds.MAX_VALUES // 2), 0)  # 1 + 50,000 + 50,000
    with pytest.raises(InputBoundError, match="v holds more than 100,000 values"):
        bounds.check_loaded(mapping, "v", InputBoundError)


def test_a_yaml_list_of_exactly_the_value_limit_is_read_and_one_more_refused() -> None:
    hundred = "&a [" + "0, " * 99 + "]"  # the list and its 99 items: 100 values
    # 1 (the outer list) + 100 + 998 * 100 (each alias counted in full) + 99 = 100,000
    text = "[" + hundred + ", *a" * 998 + ", 0" * 99 + "]"
    assert 1098 == len(bounds.parse_yaml(text, "x.yml", InputBoundError))
    with pytest.raises(InputBoundError) as raised:
        bounds.parse_yaml(text[:-1] + ", 0]", "x.yml", InputBoundError)
    assert "x.yml expands to more than 100,000 values (YAML aliases?); refused." == str(
        raised.value
    )


def test_an_alias_bomb_of_mappings_is_refused_while_composing() -> None:
    keys = [f"k{index}" for index in range(10)]
    lines = ["l0: &l0 {" + ", ".join(f"{key}: x" for key in keys) + "}"]
    for level in range(1, 6):
        lines.append(
            f"l{level}: &l{level} {{" + ", ".join(f"{key}: *l{level - 1}" for key in keys) + "}"
        )
    with pytest.raises(InputBoundError) as raised:
        bounds.parse_yaml("\n".join(lines) + "\n", "bomb.yml", InputBoundError)
    assert "bomb.yml expands to more than 100,000 values (YAML aliases?); refused." == str(
        raised.value
    )
