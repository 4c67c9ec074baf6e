"""`finsamplan schema` accepts what the loader accepts, and refuses what it refuses by shape.

Checked with `jsonschema`'s Draft 2020-12 validator, the one editors' schema support follows,
on the plans as an editor sees them: YAML values with dates as ISO text and every mapping
key as text (YAML 1.2 has no dates; JSON keys are strings). What the loader checks beyond
shape (a column that exists, 50/50, shares that make 100 %, a date in the calendar) is a
rule, not a shape, and the schema leaves it to `validate`. The few differences that no JSON
Schema can express are listed in `test_what_no_json_schema_can_tell_apart`.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import ROOT
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ConfigDict, TypeAdapter, ValidationError

from finsamplan.base.money import MoneyFormatError, parse_kronor, parse_share
from finsamplan.plan import model
from finsamplan.plan.loader import load_text
from finsamplan.plan.model import (
    MAX_KRONOR,
    Change,
    Count,
    KeyShare,
    Kronor,
    Share,
    SignedKronor,
    json_schema,
)

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plans import make_plans

SCHEMA = json_schema()
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
PLAN_FILES = sorted((ROOT / "plans").rglob("*.yaml"))
NORDANA = ROOT / "plans" / "examples" / "nordana-2027.yaml"


def as_editor(value: Any) -> Any:
    """A YAML value as an editor's schema check sees it: dates as text, keys as text."""
    if isinstance(value, dict):
        return {str(k): as_editor(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_editor(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def schema_errors(data: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in VALIDATOR.iter_errors(as_editor(data))
    ]


def loader_findings(data: Any) -> list[str]:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    loaded = load_text(text.encode("utf-8"), "plan.yaml")
    return [f.as_line() for f in loaded.findings] if loaded.plan is None else []


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: p.stem)
def test_every_plan_shipped_loads_and_the_schema_accepts_it(path: Path) -> None:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert loader_findings(data) == []
    assert schema_errors(data) == []


def test_every_generated_plan_loads_and_the_schema_accepts_it(tmp_path: Path) -> None:
    paths = make_plans(tmp_path, n=76, seed=2026) + make_plans(tmp_path / "b", n=30, seed=7)
    declared = 0
    for path in paths:
        data = yaml.safe_load(path.read_text("utf-8"))
        declared += "cost_groups" in data
        assert load_text(path.read_bytes(), str(path)).plan is not None, path.name
        assert schema_errors(data) == [], path.name
    assert 20 <= declared <= 60  # a share declares its own groups, so both forms are checked


# --- plans changed one shape at a time: the loader and the schema agree -----------------


def _nordana() -> dict[str, Any]:
    data = yaml.safe_load(NORDANA.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """A change that sets the value at a dotted path (list indexes as numbers)."""

    def change(data: dict[str, Any]) -> None:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        node: Any = data
        for part in parents:
            node = node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[last] = copy.deepcopy(value)

    return change


_DELETE = object()
_KOMMUNER = ["alvby", "granhult", "mossebo", "norrfjall", "sjotorp", "bjorkeda"]


def _shares(data: dict[str, Any]) -> None:
    for member, share in zip(
        data["forbund"]["members"][3:], ["20 %"] * 4 + ["0,1"] * 2, strict=True
    ):
        member["key"] = {"share": share}


def _default_groups(data: dict[str, Any]) -> None:
    """The same lines in the three groups of a plan that declares none."""
    del data["cost_groups"], data["labels"]
    costs = data["costs"]
    data["costs"] = {
        "administration": costs["styrning"],
        "utvecklingsinsatser": costs["struktur"],
        "projekt": costs["individ"],
    }


ACCEPTED: dict[str, Callable[[dict[str, Any]], None]] = {
    "an amount as a plain string": _set("costs.styrning.0.amounts.2027", "1760000"),
    "an amount grouped, with kr": _set("costs.styrning.0.amounts.2027", "1 760 000 kr"),
    "an amount with a no-break space": _set("costs.styrning.0.amounts.2027", "1\u00a0760\u00a0000"),
    "a share in per cent": _set("policy", {"admin_share_max": "35 %"}),
    "a share with a decimal comma": _set("policy", {"admin_share_max": "0,35"}),
    "a share as a number": _set("policy", {"admin_share_max": 0.35}),
    "an equity staircase": _set(
        "policy", {"equity_ceiling": [{"up_to": "1 500 000", "share": "50 %"}, {"share": 0.2}]}
    ),
    "changes and indices": _set(
        "forecast",
        {
            "state_allocation": {"change": "-1,5 %"},
            "groups": {"styrning": {"index": "lon"}},
            "lines": {"kansli": {"amounts": {2028: "1 900 000"}}},
            "indices": {"lon": {2028: "3 %", 2029: 0.03}},
            "scenarios": {"minus": {"description": "Mindre", "default": {"change": "-5 %"}}},
        },
    ),
    "a year key written as text": _set("reserve", {"amounts": {"2027": 500000}}),
    "statements as plain text": _set("statements", {"cooperation": "Vi delar utvärderare."}),
    "a decision text as an object": _set(
        "activities.0.decision.friction", {"text": "Ingen äger helheten.", "met": False}
    ),
    "implementation as plain text": _set(
        "activities.0.decision.implementation", "Parterna tar över."
    ),
    "a stated total in the short form": _set("stated", {"room": {2027: "-120 000"}}),
    "a stated total with a reason": _set(
        "stated", {"costs": {"amounts": {2027: 8000000}, "reason": "Tryckfel."}}
    ),
    "a stated total with no reason": _set("stated", {"costs": {"amounts": {}, "reason": None}}),
    "population written with spaces": _set(
        "forbund.members.3.key", {"population": "41 230", "date": date(2025, 11, 1)}
    ),
    "keys as agreed shares": _shares,
    "the three default groups, undeclared": _default_groups,
    "a group's own labels": _set(
        "cost_groups.1",
        {
            "id": "individ",
            "title": "Individinriktade insatser",
            "short_title": "Individ",
            "total_label": "Summa individ",
            "counts_as": "insatser",
            "projects": True,
        },
    ),
    "an optional value left empty": _set("forbund.short_name", None),
    "a mapping rule by account": _set(
        "actuals", {"mapping": [{"line": "kansli", "account": "7010"}]}
    ),
    "criteria named": _set("criteria", ["grund"]),
}

REFUSED: dict[str, Callable[[dict[str, Any]], None]] = {
    "an unknown key": _set("motto_text", "Samverkan"),
    "an unknown key in a line": _set("costs.styrning.0.belopp", {2027: 5}),
    "a year as text": _set("year", "2027"),
    "a label as a number": _set("costs.styrning.0.label", 2027),
    "an amount with decimals": _set("costs.styrning.0.amounts.2027", 1760000.5),
    "a negative amount": _set("costs.styrning.0.amounts.2027", -5),
    "a negative amount as text": _set("costs.styrning.0.amounts.2027", "−5 000"),
    "an amount with a decimal comma": _set("costs.styrning.0.amounts.2027", "12,50"),
    "an amount in a word": _set("costs.styrning.0.amounts.2027", "en miljon"),
    "a boolean amount": _set("costs.styrning.0.amounts.2027", True),
    "a share of 30 without %": _set("policy", {"admin_share_max": "30"}),
    "a share over 100 %": _set("policy", {"admin_share_max": "130 %"}),
    "a negative share": _set("policy", {"admin_share_max": "-5 %"}),
    "a change in words": _set("forecast", {"default": {"change": "lite"}}),
    "two assumptions at once": _set("forecast", {"default": {"same": True, "change": "3 %"}}),
    "no assumption": _set("forecast", {"default": {}}),
    "a mapping rule with nothing to match": _set("actuals", {"mapping": [{"line": "kansli"}]}),
    "a wrong format version": _set("format", 2),
    "an unknown side": _set("forbund.members.2.side", "landsting"),
    "an id with capitals": _set("costs.styrning.0.id", "Kansli"),
    "a group key with capitals": _set("costs", {"Styrning": []}),
    "a group that counts as something else": _set("cost_groups.0.counts_as", "verksamhet"),
    "no cost groups at all": _set("cost_groups", []),
    "a group without a title": _set("cost_groups.0.title", _DELETE),
    "population without its date": _set("forbund.members.3.key", {"population": 41230}),
    "population and a share": _set(
        "forbund.members.3.key",
        {"population": 41230, "date": date(2025, 11, 1), "share": "10 %"},
    ),
    "no population": _set("forbund.members.3.key", {"population": 0, "date": date(2025, 11, 1)}),
    "a share of 0 %": _set("forbund.members.3.key", {"share": "0 %"}),
    "a stated total mixing both forms": _set("stated", {"room": {2027: 5, "reason": "x"}}),
    "a stated total as a list": _set("stated", {"room": [5]}),
    "an empty statement": _set("statements", {"cooperation": ""}),
    "a statement as a number": _set("statements", {"cooperation": 5}),
    "no members": _set("forbund.members", []),
    "income missing": _set("income", _DELETE),
}


@pytest.mark.parametrize("name", ACCEPTED)
def test_a_shape_the_loader_accepts_the_schema_accepts(name: str) -> None:
    data = _nordana()
    ACCEPTED[name](data)
    assert loader_findings(data) == []
    assert schema_errors(data) == []


@pytest.mark.parametrize("name", REFUSED)
def test_a_shape_the_loader_refuses_the_schema_refuses(name: str) -> None:
    data = _nordana()
    REFUSED[name](data)
    assert loader_findings(data) != []
    assert schema_errors(data) != []


def test_the_rules_beyond_shape_are_the_loaders() -> None:
    """A column that does not exist, or shares that do not make 100 %, are well-formed: the
    schema accepts them and the loader names the rule (REF002, REF013)."""
    data = _nordana()
    _set("reserve", {"amounts": {2031: 5}})(data)
    assert schema_errors(data) == []
    assert any("REF002" in f for f in loader_findings(data))
    data = _nordana()
    _shares(data)
    data["forbund"]["members"][3]["key"] = {"share": "25 %"}
    assert schema_errors(data) == []
    assert any("REF013" in f for f in loader_findings(data))


def test_what_no_json_schema_can_tell_apart() -> None:
    """What the schema accepts and the loader does not, and why no schema can say it: JSON
    has one kind of number (5.0 is an integer to it), and an editor reads YAML 1.2, where
    an unquoted 2027-01-01 is text as much as a quoted one."""
    data = _nordana()
    _set("costs.styrning.0.amounts.2027", 5.0)(data)
    assert schema_errors(data) == [] and loader_findings(data) != []
    data = _nordana()
    _set("policy", {"admin_share_max": 1})(data)  # an integer share: 1 % or 100 %?
    assert schema_errors(data) == [] and loader_findings(data) != []
    data = _nordana()
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    quoted = text.replace("adopted: 2026-11-19", "adopted: '2026-11-19'")
    assert quoted != text
    assert load_text(quoted.encode(), "plan.yaml").plan is None
    assert schema_errors(yaml.safe_load(quoted)) == []


# --- each written form of a number: pattern and validator agree, text by text ----------------

_SPACES = " \u00a0\u202f\u2009"
_NOISE = "0123456789 \u00a0\u202f\u2009\t+-−.,%krKRe_"


@st.composite
def written_numbers(draw: st.DrawFn) -> str:
    """Numbers as people write them in a plan, right or nearly right."""
    digits = str(draw(st.integers(0, 10**14)))
    if draw(st.booleans()):
        space = draw(st.sampled_from(_SPACES))
        digits = f"{int(digits):,}".replace(",", space)
    digits = "0" * draw(st.integers(0, 2)) + digits
    if draw(st.booleans()):
        digits += draw(st.sampled_from(".,")) + str(draw(st.integers(0, 999)))
    sign = draw(st.sampled_from(["", "", "+", "-", "−"]))
    suffix = draw(st.sampled_from(["", "", " kr", "kr", " KR", "%", " %", " % ", "e3"]))
    pad = draw(st.sampled_from(["", "", " ", "\t", "\u00a0"]))
    text = f"{pad}{sign}{digits}{suffix}{pad}"
    if draw(st.booleans()):  # one slip of the finger
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(_NOISE)) + text[at:]
    return text


texts = st.one_of(written_numbers(), st.text(alphabet=_NOISE, max_size=12))
STRICT = ConfigDict(strict=True)


def _agree(kind: Any, value: Any) -> tuple[bool, bool]:
    try:
        TypeAdapter(kind, config=STRICT).validate_python(value)
        loader = True
    except ValidationError:
        loader = False
    schema = jsonschema.Draft202012Validator(TypeAdapter(kind).json_schema())
    return loader, schema.is_valid(value)


def _kronor_out_of_range(text: str, signed: bool) -> bool:
    try:
        value = parse_kronor(text)
    except MoneyFormatError:
        return False
    return abs(value) > MAX_KRONOR or (not signed and value < 0)


@given(texts)
def test_an_amount_text_is_in_the_schema_exactly_when_the_loader_reads_it(text: str) -> None:
    for kind, signed in ((Kronor, False), (SignedKronor, True)):
        loader, schema = _agree(kind, text)
        if loader:
            assert schema, text
        elif schema:  # only a range the validator checks after reading the number
            assert _kronor_out_of_range(text, signed) and len(text) <= 40, text


@given(texts)
def test_a_count_text_is_in_the_schema_exactly_when_the_loader_reads_it(text: str) -> None:
    assert _agree(Count, text) == (True, True) or _agree(Count, text) == (False, False), text


@given(texts)
def test_a_share_text_is_in_the_schema_exactly_when_the_loader_reads_it(text: str) -> None:
    for kind in (Share, KeyShare):
        loader, schema = _agree(kind, text)
        assert loader == schema, (kind, text)


@given(texts)
def test_a_change_text_is_in_the_schema_when_the_loader_reads_it(text: str) -> None:
    loader, schema = _agree(Change, text)
    if loader:
        assert schema, text
    elif schema:  # a change of -100 % or less, or over 1 000 %: the range is a rule
        try:
            share = parse_share(text)
        except MoneyFormatError:
            pytest.fail(f"the schema accepts {text!r}, which is no change")
        assert not Decimal(-1) < share <= 10, text


@pytest.mark.parametrize(
    ("kind", "value", "both"),
    [
        (Kronor, 5, True),
        (Kronor, 0, True),
        (Kronor, MAX_KRONOR, True),
        (Kronor, MAX_KRONOR + 1, False),
        (Kronor, -1, False),
        (Kronor, True, False),
        (Kronor, 1.5, False),
        (Kronor, None, False),
        (SignedKronor, -MAX_KRONOR, True),
        (SignedKronor, -MAX_KRONOR - 1, False),
        (Count, 1, True),
        (Count, 0, False),
        (Count, 2.5, False),
        (Share, 0.3, True),
        (Share, 1.5, False),
        (Share, False, False),
        (KeyShare, 0.0, False),
        (KeyShare, 0.125, True),
        (Change, -0.05, True),
        (Change, -1.0, False),
        (Change, 10.5, False),
    ],
)
def test_a_number_is_in_the_schema_exactly_when_the_loader_reads_it(
    kind: Any, value: Any, both: bool
) -> None:
    assert _agree(kind, value) == (both, both)


# --- the schema's words: Swedish, and no förbund's ------------------------------------------


def _walk(node: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every schema object in the schema, with its place (property names are not schemas)."""
    out: list[tuple[tuple[str, ...], dict[str, Any]]] = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            out += _walk(item, (*path, str(i)))
    elif isinstance(node, dict):
        out.append((path, node))
        for key, value in node.items():
            if key in ("default", "const", "enum"):
                continue
            if key in ("properties", "patternProperties", "$defs"):
                for name, sub in value.items():
                    out += _walk(sub, (*path, key, name))
            else:
                out += _walk(value, (*path, key))
    return out


def test_the_schema_speaks_swedish_from_the_field_descriptions() -> None:
    docstrings = {
        " ".join((cls.__doc__ or "").split())
        for cls in vars(model).values()
        if isinstance(cls, type) and issubclass(cls, model.Base) and cls.__doc__
    }
    nodes = _walk(SCHEMA)
    titles = [path for path, node in nodes if "title" in node and path]
    assert titles == []  # no "Short Name", "Cost Groups": pydantic's titles are English
    descriptions = [" ".join(n["description"].split()) for _, n in nodes if "description" in n]
    assert not set(descriptions) & docstrings
    assert SCHEMA["description"].startswith("En verksamhets- och budgetplan")
    undescribed = [
        "/".join(path)
        for path, node in nodes
        if path[-2:-1] == ("properties",)
        and (len(path) == 2 or (len(path) == 4 and path[0] == "$defs"))
        and "description" not in node
    ]
    assert undescribed == []


def _named_in_plan_2023() -> tuple[set[str], set[int]]:
    """The names and the distinctive figures of the one real förbund's plan shipped."""
    data = yaml.safe_load((ROOT / "plans" / "plan-2023.yaml").read_text("utf-8"))
    forbund = data["forbund"]
    names = {forbund["name"], forbund["short_name"], forbund["website"]}
    names |= {m["name"] for m in forbund["members"] if m["side"] != "state"}
    names |= {"JobbSam", "Almedalsveckan", "Finsams frukostmöten"}  # its own insatser
    amounts: set[int] = set()

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "amounts" and isinstance(value, dict):
                    amounts.update(parse_kronor(str(v)) for v in value.values())
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    collect(data)
    collect({name: {"amounts": v.get("amounts", v)} for name, v in data["stated"].items()})
    # round figures (500 000, 650 000) are anyone's; these are one förbund's
    return names, {a for a in amounts if a >= 100_000 and a % 10_000}


def test_no_förbund_is_named_or_quoted_in_the_schema() -> None:
    text = json.dumps(SCHEMA, ensure_ascii=False).lower()
    names, figures = _named_in_plan_2023()
    assert len(figures) > 20
    for name in names:
        assert name.lower() not in text, name
    for figure in figures:
        for written in (str(figure), f"{figure:,}".replace(",", " ")):
            assert written not in text, written
    assert not re.search(r"gotland|jobbsam|skåne", text)


def test_no_förbund_is_named_in_the_source() -> None:
    """`grep -ri "gotland\\|jobbsam\\|skåne" src/` finds nothing, and no figure of plan-2023
    stands in the code: a förbund's names, words and figures live in plans/ and criteria/."""
    names, figures = _named_in_plan_2023()
    found = []
    for path in sorted((ROOT / "src").rglob("*")):
        if not path.is_file() or path.suffix in (".pyc",):
            continue
        text = path.read_text("utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            lowered = line.lower()
            hits = re.findall(r"gotland|jobbsam|skåne", lowered)
            hits += [n for n in names if n.lower() in lowered]
            hits += [
                str(f) for f in figures if str(f) in line or f"{f:,}".replace(",", " ") in line
            ]
            found += [f"{path.relative_to(ROOT)}:{number}: {hit}" for hit in hits]
    assert found == []
