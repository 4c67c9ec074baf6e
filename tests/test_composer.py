"""The event composer builds what PyYAML builds, and knows where every value was written.

``yamlsource`` reads plan files from the parser's events without PyYAML's composer (which
recurses, and loses places). For any data PyYAML itself writes, the values must be the
ones ``yaml.safe_load`` gives, type for type, with no finding, and each value and each key
must have a place to point a finding at.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from finsamplan.plan.yamlsource import SourceMap, compose, decode

keys = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**15), 10**15)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.dates(date(1900, 1, 1), date(2100, 12, 31))
    | st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=30,
)
documents = st.dictionaries(keys, values, min_size=1, max_size=6)
flow = st.booleans()


def typed(value: Any) -> Any:
    """The value with its types spelled out: True == 1 and 0.0 == 0 must not pass."""
    if isinstance(value, dict):
        return {k: typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [typed(v) for v in value]
    return (type(value).__name__, value)


def paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*path, i))
    return out


@settings(max_examples=300, deadline=None)
@given(documents, flow)
def test_values_are_pyyaml_s_and_every_one_has_a_place(data: dict[str, Any], in_flow: bool) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=in_flow)
    src = SourceMap("t.yaml")
    decoded, problems = decode(text.encode("utf-8"), src)
    assert decoded is not None and not problems
    value, findings = compose(decoded, src)
    assert findings == []
    assert typed(value) == typed(yaml.safe_load(text))
    for path in paths(value):
        assert path in src.values, path
        if path and isinstance(path[-1], str):
            assert path in src.keys, path
        mark = src.locate(path)
        assert 1 <= mark.line <= max(1, len(src.lines)), (path, mark)


def test_a_duplicate_key_inside_a_refused_value_is_not_reported_twice() -> None:
    text = "a: 1\na:\n  b: 1\n  b: 2\nc: [1, 2]\n"
    src = SourceMap("t.yaml")
    value, findings = compose(text, src)
    assert value == {"a": 1, "c": [1, 2]}
    assert [(f.code, f.line, f.column) for f in findings] == [("YAML002", 2, 1)]
    assert ("a", "b") not in src.values and ("c", 1) in src.values


def test_places_are_forgotten_when_the_file_cannot_be_read() -> None:
    src = SourceMap("t.yaml")
    value, findings = compose("a: 1\nb: [1, 2\n", src)
    assert value is None and [f.code for f in findings] == ["YAML001"]
    assert not src.values and not src.keys and not src.tags


def test_a_number_where_text_belongs_is_quoted_as_written() -> None:
    from conftest import MINIMAL

    from finsamplan.plan.loader import load_text

    text = MINIMAL.replace("title: Verksamhets- och budgetplan 2027", "title: +2027")
    loaded = load_text(text.encode("utf-8"), "t.yaml")
    messages = [f.message for f in loaded.findings if f.code == "SCH003"]
    assert messages == [
        "title: text förväntas; YAML läser '+2027' som ett tal. Skriv '+2027' inom "
        "citattecken om det är text"
    ]
