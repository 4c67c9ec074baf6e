"""Invariants over generated plans (hypothesis; fixed seed, see conftest's profile)."""

from __future__ import annotations

from typing import Any

import yaml
from conftest import load
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from finsamplan.figures.budget import compute, to_json
from finsamplan.judge.rules import run_rules
from finsamplan.plan.model import Plan

YEARS = [2026, 2027, 2028, 2029]
KRONOR = st.integers(min_value=0, max_value=50_000_000)
LABEL = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö ÅÄÖ-/", min_size=1, max_size=30).filter(
    lambda s: s.strip() == s and s.strip() != ""
)


def amounts() -> st.SearchStrategy[dict[str, int]]:
    return st.dictionaries(st.sampled_from([str(y) for y in YEARS]), KRONOR, max_size=4)


def lines() -> st.SearchStrategy[list[dict[str, Any]]]:
    return st.lists(st.fixed_dictionaries({"label": LABEL, "amounts": amounts()}), max_size=6)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """A valid plan with a region and 1–5 municipalities paying their quarter exactly."""
    n_municipalities = draw(st.integers(min_value=1, max_value=5))
    members = [
        {"id": "fk", "name": "Försäkringskassan", "side": "state"},
        {"id": "af", "name": "Arbetsförmedlingen", "side": "state", "paid_by": "fk"},
        {"id": "region", "name": "Region", "side": "region"},
    ] + [
        {"id": f"k{i}", "name": f"Kommun {i}", "side": "municipality"}
        for i in range(n_municipalities)
    ]
    income: list[dict[str, Any]] = [
        {"label": "Försäkringskassan", "member": "fk", "amounts": {}},
        {"label": "Region", "member": "region", "amounts": {}},
    ] + [
        {"label": f"Kommun {i}", "member": f"k{i}", "amounts": {}} for i in range(n_municipalities)
    ]
    for year in YEARS:
        quarter = draw(st.integers(min_value=0, max_value=10_000_000))
        income[0]["amounts"][str(year)] = 2 * quarter
        income[1]["amounts"][str(year)] = quarter
        weights = draw(
            st.lists(st.integers(1, 100), min_size=n_municipalities, max_size=n_municipalities)
        )
        shares = [quarter * w // sum(weights) for w in weights]
        shares[0] += quarter - sum(shares)
        for i, share in enumerate(shares):
            income[2 + i]["amounts"][str(year)] = share
    income.append({"label": "Eget kapital", "kind": "equity", "amounts": draw(amounts())})
    income.append({"label": "Övrigt", "kind": "other", "amounts": draw(amounts())})
    return {
        "format": 1,
        "title": "Plan",
        "year": 2027,
        "forbund": {"name": "Förbundet", "members": members},
        "columns": [
            {"year": 2026, "kind": "budget"},
            {"year": 2027, "kind": "budgetplan"},
            {"year": 2028, "kind": "prognos"},
            {"year": 2029, "kind": "prognos"},
        ],
        "income": income,
        "reserve": {"amounts": draw(amounts())},
        "costs": {
            "administration": draw(lines()),
            "utvecklingsinsatser": draw(lines()),
            "projekt": draw(lines()),
        },
    }


@given(plans())
def test_every_total_is_the_sum_of_its_lines(data: dict[str, Any]) -> None:
    plan = Plan.model_validate(data)
    budget = compute(plan)
    for key in plan.column_keys():
        t = budget.totals[key]
        groups = data["costs"]
        assert t.administration == sum(x["amounts"].get(key, 0) for x in groups["administration"])
        development = sum(x["amounts"].get(key, 0) for x in groups["utvecklingsinsatser"])
        projects = sum(x["amounts"].get(key, 0) for x in groups["projekt"])
        assert t.groups == {
            "administration": t.administration,
            "utvecklingsinsatser": development,
            "projekt": projects,
        }
        assert t.insatser == t.activities == development + projects
        assert t.costs == t.administration + development + projects
        assert t.available == sum(x["amounts"].get(key, 0) for x in data["income"])
        assert t.room == t.available - t.costs - t.reserve
        assert t.state * 2 == t.contributions


@given(plans())
def test_fifty_fifty_and_quarters_hold_by_construction(data: dict[str, Any]) -> None:
    found = run_rules(Plan.model_validate(data))
    assert not [f for f in found if f.code in ("FIN010", "FIN011", "FIN012", "FIN000")]


@given(plans(), st.integers(min_value=21, max_value=1_000_000))  # each side > 10 kr off
def test_fifty_fifty_fails_when_the_state_pays_more(data: dict[str, Any], extra: int) -> None:
    data["income"][0]["amounts"]["2027"] += extra
    found = [f for f in run_rules(Plan.model_validate(data)) if f.code == "FIN010"]
    assert [f.year for f in found] == ["2027"]
    assert found[0].figures["difference"] == extra


@given(plans())
def test_json_holds_the_same_numbers_as_the_model(data: dict[str, Any]) -> None:
    budget = compute(Plan.model_validate(data))
    out = to_json(budget, "p")
    for name, per_year in out["totals"].items():  # type: ignore[attr-defined]
        for key, value in per_year.items():
            assert value == budget.totals[key].get(name)
    for section in out["sections"]:  # type: ignore[attr-defined]
        for key in out["years"]:  # type: ignore[attr-defined]
            assert section["total"][key] == sum(r["amounts"][key] for r in section["rows"])


@given(plans())
def test_yaml_round_trip_through_the_loader(data: dict[str, Any]) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    loaded = load(text)
    assert loaded.findings == [], [f.as_line() for f in loaded.findings]
    assert loaded.plan == Plan.model_validate(data)


@settings(max_examples=8)
@given(plans())
def test_any_valid_plan_renders_in_every_format(data: dict[str, Any]) -> None:
    import csv as csv_module
    import io
    import json as json_module

    import openpyxl

    from finsamplan.render.document import render

    plan = Plan.model_validate(data)
    budget = compute(plan)
    found = run_rules(plan, budget)
    formats = ["md", "html", "pdf", "xlsx", "csv", "json"]
    out = render("p", plan, budget, found, formats, csv="tidy")
    assert out["plan.pdf"].startswith(b"%PDF")
    assert b"<svg" in out["plan.html"]
    keys = plan.column_keys()
    as_json = json_module.loads(out["budget.json"])
    for name in ("available", "costs", "room"):
        assert as_json["totals"][name] == {k: budget.totals[k].get(name) for k in keys}
    rows = list(csv_module.DictReader(io.StringIO(out["budget.csv"].decode("utf-8"))))
    for name in ("available", "costs", "room", "equity"):
        got = {
            r["column"]: int(r["amount"])
            for r in rows
            if r["table"] == "totals" and r["row"] == name
        }
        assert got == {k: budget.totals[k].get(name) for k in keys}
    ws = openpyxl.load_workbook(io.BytesIO(out["budget.xlsx"]), data_only=True)["Budget"]
    sheet = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0]}
    assert list(sheet["Summa intäkter och eget kapital"][: len(keys)]) == [
        budget.totals[k].available for k in keys
    ]
    assert list(sheet["Utrymme för ny verksamhet (efter reserv)"][: len(keys)]) == [
        budget.totals[k].room for k in keys
    ]


def _by_hand(data: dict[str, Any], key: str) -> dict[str, int]:
    """The XLSX's summary rows for one year, summed here from the plan's own lines."""

    def total(lines: list[dict[str, Any]]) -> int:
        return sum(x["amounts"].get(key, 0) for x in lines)

    groups = {name: total(lines) for name, lines in data["costs"].items()}
    available = total(data["income"])
    insatser = groups["utvecklingsinsatser"] + groups["projekt"]
    costs = groups["administration"] + insatser
    reserve = data["reserve"]["amounts"].get(key, 0)
    return {
        "Summa intäkter och eget kapital": available,
        "Summa administration": groups["administration"],
        "Summa utvecklingsinsatser": groups["utvecklingsinsatser"],
        "Summa projekt": groups["projekt"],
        "Summa kostnader för insatser": insatser,
        "Summa kostnader": costs,
        "Överskott: eget kapital vid årets slut": available - costs,
        "Utrymme för ny verksamhet (efter reserv)": available - costs - reserve,
    }


@settings(max_examples=1)
@given(st.lists(plans(), min_size=4, max_size=4))
def test_libreoffice_recalculates_generated_plans_xlsx_to_the_sums_by_hand(
    many: list[dict[str, Any]],
) -> None:
    """Every formula's cached value is written as 0, so the totals LibreOffice shows are its
    own calculation of the formulas, compared with sums made here from the plan's lines."""
    import tempfile
    from pathlib import Path
    from unittest import mock

    import openpyxl
    import xlsxwriter.worksheet
    from clients import recalculated

    from finsamplan.render import xlsx

    assume(any(x["amounts"] for data in many for lines in data["costs"].values() for x in lines))
    original = xlsxwriter.worksheet.Worksheet.write_formula

    def zero_cache(self, row, col, formula, fmt=None, value=0):  # type: ignore[no-untyped-def]
        return original(self, row, col, formula, fmt, 0)

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        with mock.patch.object(xlsxwriter.worksheet.Worksheet, "write_formula", zero_cache):
            for i, data in enumerate(many):
                files.append(folder / f"p{i}.xlsx")
                files[-1].write_bytes(xlsx.to_xlsx(compute(Plan.model_validate(data)), "p", []))
        cached = openpyxl.load_workbook(files[-1], data_only=True)["Budget"]
        costs = [r[1] for r in cached.iter_rows(values_only=True) if r[0] == "Summa kostnader"]
        assert costs == [0]  # only a recalculation can bring the figures back
        for data, path in zip(many, recalculated(files, folder), strict=True):
            ws = openpyxl.load_workbook(path, data_only=True)["Budget"]
            sheet = {r[0]: list(r[1:5]) for r in ws.iter_rows(values_only=True) if r[0]}
            for label in _by_hand(data, "2026"):
                got = sheet[label]
                assert got == [_by_hand(data, str(y))[label] for y in YEARS], label
