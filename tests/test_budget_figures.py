"""The computed budget, figure by figure: parts, contributions per member and side, the
totals' names, and the JSON of `render -f json` with its rows' kind, notes and parts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import MINIMAL, load

from finsamplan.figures.budget import (
    Budget,
    compute,
    summary_names,
    to_json,
    total_title,
)

# MINIMAL with an administration line in parts (one part without 2029), a note, an income
# line of another kind, and a second municipality.
PLAN = (
    MINIMAL.replace(
        "    - {id: kommun, name: Exempels kommun, side: municipality}\n",
        "    - {id: kommun, name: Exempels kommun, side: municipality}\n"
        "    - {id: by, name: Byns kommun, side: municipality}\n",
    )
    .replace(
        "    member: kommun\n    amounts: {2026: 500000, 2027: 500000, 2028: 500000, "
        "2029: 500000}\n",
        "    member: kommun\n    amounts: {2026: 400000, 2027: 400000, 2028: 400000, "
        "2029: 400000}\n"
        "  - label: Byns kommun\n    member: by\n"
        "    amounts: {2026: 100000, 2027: 100000, 2028: 100000, 2029: 100000}\n"
        "  - label: ESF-medel\n    kind: other\n    amounts: {2027: 7000}\n"
        "    notes: {2028: Om ansökan beviljas}\n",
    )
    .replace(
        "    - label: Förbundschef\n"
        "      amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n",
        "    - label: Förbundschef\n"
        "      amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n"
        "    - id: tjanster\n      label: Inköpta tjänster\n      parts:\n"
        "        - label: Ekonomi\n"
        "          amounts: {2026: 3000, 2027: 3000, 2028: 3000, 2029: 3000}\n"
        "        - label: Löner\n          amounts: {2026: 20, 2027: 20, 2028: 20}\n",
    )
)
KEYS = ["2026", "2027", "2028", "2029"]


@pytest.fixture(scope="module")
def budget() -> Budget:
    loaded = load(PLAN)
    assert loaded.plan is not None and loaded.findings == [], [f.as_line() for f in loaded.findings]
    return compute(loaded.plan)


def test_a_part_missing_for_a_year_is_nothing(budget: Budget) -> None:
    (row,) = [r for r in budget.table("administration").rows if r.id == "tjanster"]
    assert row.amounts == {"2026": 3020, "2027": 3020, "2028": 3020, "2029": 3000}
    assert [(p.label, p.amounts["2029"]) for p in row.parts] == [("Ekonomi", 3000), ("Löner", 0)]
    assert row.parts[1].path == ("costs", "administration", 1, "parts", 1)
    assert budget.table("administration").total["2029"] == 503_000
    assert budget.amount("tjanster", "2029") == 3000


def test_contributions_per_member_and_side_count_only_contribution_lines(budget: Budget) -> None:
    for key in KEYS:
        t = budget.totals[key]
        assert t.by_member == {"fk": 1_000_000, "region": 500_000, "kommun": 400_000, "by": 100_000}
        assert t.by_side == {"state": 1_000_000, "region": 500_000, "municipality": 500_000}
        assert (t.contributions, t.state, t.others) == (2_000_000, 1_000_000, 1_000_000)
        assert t.equity == 300_000
    assert [budget.totals[k].other_income for k in KEYS] == [0, 7000, 0, 0]
    t = budget.totals["2027"]
    assert (t.income, t.available, t.result) == (2_007_000, 2_307_000, 2_007_000 - 2_003_020)
    assert (t.administration, t.insatser, t.activities, t.costs) == (
        503_020,
        1_500_000,
        1_500_000,
        2_003_020,
    )
    assert (t.surplus, t.reserve, t.room) == (303_980, 100_000, 203_980)
    assert t.admin_share == Decimal(503_020) / Decimal(2_003_020)


def test_no_state_member_is_no_state_money() -> None:
    text = MINIMAL.replace("side: state}", "side: region}").replace(
        "side: state, paid_by: fk}", "side: region, paid_by: fk}"
    )
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    t = compute(loaded.plan).totals["2027"]
    assert (t.state, t.others, t.by_side) == (
        0,
        2_000_000,
        {"region": 1_500_000, "municipality": 500_000},
    )


def test_totals_by_name(budget: Budget) -> None:
    t = budget.totals["2029"]
    assert t.get("administration") == 503_000 and t.get("projekt") == 1_300_000
    assert t.get("room") == 2_300_000 - 2_003_000 - 100_000
    assert t.as_dict()["utvecklingsinsatser"] == 200_000
    assert t.as_dict()["costs"] == 2_003_000
    assert budget.amount("room", "2029") == 197_000
    assert budget.amount("steget", "2029") == 1_200_000
    with pytest.raises(KeyError):
        budget.amount("finns-inte", "2029")
    assert budget.keys() == KEYS
    assert [t.id for t in budget.cost_tables] == [
        "administration",
        "utvecklingsinsatser",
        "projekt",
    ]
    plan = budget.plan
    assert summary_names(plan) == [
        "income",
        "equity",
        "available",
        "administration",
        "utvecklingsinsatser",
        "projekt",
        "insatser",
        "costs",
        "surplus",
        "reserve",
        "room",
    ]
    assert total_title(plan, "projekt") == plan.groups[2].legend
    assert total_title(plan, "room") == "Utrymme för ny verksamhet"


def test_json_rows_keep_their_kind_notes_and_parts(budget: Budget) -> None:
    data = to_json(budget, "p")
    income = data["sections"][0]  # type: ignore[index]
    assert income["id"] == "income"
    rows = {r["label"]: r for r in income["rows"]}
    assert rows["Försäkringskassan"] == {
        "id": None,
        "label": "Försäkringskassan",
        "amounts": dict.fromkeys(KEYS, 1_000_000),
        "kind": "contribution",
    }
    assert rows["ESF-medel"] == {
        "id": None,
        "label": "ESF-medel",
        "amounts": {"2026": 0, "2027": 7000, "2028": 0, "2029": 0},
        "kind": "other",
        "notes": {"2028": "Om ansökan beviljas"},
    }
    assert rows["Eget kapital"]["kind"] == "equity"
    admin = data["sections"][1]  # type: ignore[index]
    assert admin["rows"][0] == {
        "id": None,
        "label": "Förbundschef",
        "amounts": dict.fromkeys(KEYS, 500_000),
    }  # a cost line has no kind, and no notes or parts unless it has them
    assert admin["rows"][1]["parts"] == [
        {"id": None, "label": "Ekonomi", "amounts": dict.fromkeys(KEYS, 3000)},
        {"id": None, "label": "Löner", "amounts": {"2026": 20, "2027": 20, "2028": 20, "2029": 0}},
    ]
    assert admin["total"] == {"2026": 503_020, "2027": 503_020, "2028": 503_020, "2029": 503_000}


def test_json_contributions_and_totals(budget: Budget) -> None:
    data = to_json(budget, "p")
    contributions = data["contributions"]
    assert contributions == {  # type: ignore[comparison-overlap]
        "total": dict.fromkeys(KEYS, 2_000_000),
        "by_side": {
            k: {"state": 1_000_000, "region": 500_000, "municipality": 500_000} for k in KEYS
        },
        "by_member": {
            k: {"fk": 1_000_000, "region": 500_000, "kommun": 400_000, "by": 100_000} for k in KEYS
        },
    }
    assert data["totals"]["income"] == {
        "2026": 2_000_000,
        "2027": 2_007_000,
        "2028": 2_000_000,
        "2029": 2_000_000,
    }  # type: ignore[index]
    assert data["columns"][1] == {  # type: ignore[index]
        "id": "2027",
        "year": 2027,
        "kind": "budgetplan",
        "label": "Budgetplan 2027",
    }
    assert (data["plan"], data["year"], data["years"]) == ("p", 2027, KEYS)
