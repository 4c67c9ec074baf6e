"""Member contributions from a key: exact sums, stable splits, typed amounts, bad keys.

Expected amounts are worked out here by hand (or by the few lines of arithmetic in the
test), never by calling finsamplan's own split.
"""

from __future__ import annotations

import json
from fractions import Fraction
from math import floor
from pathlib import Path

import pytest
from conftest import PLANS, load, where
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.base.findings import Finding
from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.figures.contributions import apportion, income_lines
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan

runner = CliRunner()

HEAD = """\
format: 1
title: Verksamhets- och budgetplan 2027
year: 2027
forbund:
  name: Samordningsförbundet Test
  members:
    - {id: fk, name: Försäkringskassan, side: state}
    - {id: af, name: Arbetsförmedlingen, side: state, paid_by: fk}
    - {id: region, name: Region Test, side: region}
"""
KOMMUNER = """\
    - {id: a, name: A kommun, side: municipality, key: {population: 50000, date: 2025-11-01}}
    - {id: b, name: B kommun, side: municipality, key: {population: 30000, date: 2025-11-01}}
    - {id: c, name: C kommun, side: municipality, key: {population: 20001, date: 2025-11-01}}
"""
REST = """\
columns:
  - {year: 2026, kind: budget}
  - {year: 2027, kind: budgetplan}
  - {year: 2028, kind: prognos}
{contributions}
income:
{income}
  - {label: Eget kapital, kind: equity, amounts: {2026: 500000, 2027: 500000, 2028: 500000}}
costs:
  administration:
    - {label: Kansli, amounts: {2026: 600000, 2027: 600000, 2028: 600000}}
  utvecklingsinsatser: []
  projekt:
    - {label: Steget, amounts: {2026: 3000000, 2027: 3000000, 2028: 3000000}}
"""
STATE = "contributions:\n  state: {2027: 1000000, 2028: 1000001}"


def plan_text(
    members: str = KOMMUNER, contributions: str = STATE, income: str = "", **_: object
) -> str:
    rest = REST.replace("{contributions}", contributions).replace("{income}", income)
    return HEAD + members + rest


def income_rows(text: str) -> dict[str, dict[str, int]]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    table = compute(loaded.plan).table("income")
    return {row.label: row.amounts for row in table.rows}


# --- the split itself ---------------------------------------------------------------------


@given(
    total=st.integers(min_value=0, max_value=10**10),
    weights=st.lists(st.integers(min_value=1, max_value=10**7), min_size=1, max_size=12),
)
def test_parts_always_sum_to_the_total_and_stay_within_a_krona(
    total: int, weights: list[int]
) -> None:
    parts = apportion(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, w in zip(parts, weights, strict=True):
        exact = Fraction(total * w, whole)
        assert part in (floor(exact), floor(exact) + 1)
        assert abs(part - exact) < 1


@given(
    total=st.integers(min_value=0, max_value=10**9),
    population=st.lists(st.integers(min_value=2, max_value=10**6), min_size=2, max_size=10),
    data=st.data(),
)
def test_moving_one_inhabitant_moves_at_most_one_krona_per_member(
    total: int, population: list[int], data: st.DataObject
) -> None:
    """Members not involved move by at most one krona; the two involved by at most one krona
    more than their exact quota moved (total ÷ all inhabitants)."""
    i = data.draw(st.integers(0, len(population) - 1), label="from")
    j = data.draw(st.integers(0, len(population) - 1).filter(lambda k: k != i), label="to")
    moved = list(population)
    moved[i] -= 1
    moved[j] += 1
    before, after = apportion(total, population), apportion(total, moved)
    assert sum(after) == total
    step = Fraction(total, sum(population))  # what one inhabitant is worth, exactly
    for k, (a, b) in enumerate(zip(before, after, strict=True)):
        bound = step + 1 if k in (i, j) else 1
        assert abs(b - a) <= bound, (k, a, b)


def test_equal_remainders_go_to_the_member_listed_first() -> None:
    assert apportion(2, [1, 1, 1]) == [1, 1, 0]
    assert apportion(1, [1, 1, 1]) == [1, 0, 0]
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]


@given(
    state=st.integers(min_value=0, max_value=10**9),
    population=st.lists(st.integers(min_value=1, max_value=10**6), min_size=2, max_size=8),
)
def test_a_plan_with_a_key_pays_exactly_fifty_fifty(state: int, population: list[int]) -> None:
    members = [
        {"id": "fk", "name": "Försäkringskassan", "side": "state"},
        {"id": "region", "name": "Region", "side": "region"},
    ] + [
        {
            "id": f"k{n}",
            "name": f"Kommun {n}",
            "side": "municipality",
            "key": {"population": p, "date": __import__("datetime").date(2025, 11, 1)},
        }
        for n, p in enumerate(population)
    ]
    plan = Plan.model_validate(
        {
            "format": 1,
            "title": "Plan",
            "year": 2027,
            "forbund": {"name": "Förbund", "members": members},
            "columns": [{"year": 2027, "kind": "budgetplan"}],
            "income": [{"label": "Eget kapital", "kind": "equity"}],
            "contributions": {"state": {"2027": state}},
            "costs": {},
        }
    )
    t = compute(plan).totals["2027"]
    region = (state + 1) // 2  # half of the state's amount, half a krona up
    assert t.by_side == {"state": state, "region": region, "municipality": state - region}
    assert t.contributions == 2 * state
    assert sum(t.by_member[f"k{n}"] for n in range(len(population))) == state - region


# --- in a plan -------------------------------------------------------------------------------


def test_state_alone_gives_every_member_its_row() -> None:
    rows = income_rows(plan_text())
    # 2027: state 1 000 000; region and municipalities 500 000 each. Inhabitants 100 001:
    # A 500 000 × 50 000/100 001 = 249 997,500025, B 149 998,500015, C 100 003,99996:
    # floors 249 997 + 149 998 + 100 003 = 499 998, two kronor left: C (rest 0,99996)
    # and A (0,500025, just above B's 0,500015).
    assert rows["Försäkringskassan"] == {"2026": 0, "2027": 1000000, "2028": 1000001}
    assert rows["Region Test"] == {"2026": 0, "2027": 500000, "2028": 500001}
    assert rows["A kommun"]["2027"] == 249998
    assert rows["B kommun"]["2027"] == 149998
    assert rows["C kommun"]["2027"] == 100004
    # 2028: state 1 000 001, region 500 001 (half up), municipalities 500 000 as above.
    assert [rows[n]["2028"] for n in ("A kommun", "B kommun", "C kommun")] == [
        249998,
        149998,
        100004,
    ]
    assert list(rows)[:6] == [
        "Försäkringskassan",
        "Region Test",
        "A kommun",
        "B kommun",
        "C kommun",
        "Eget kapital",
    ]


def test_a_members_own_line_keeps_its_place_label_and_typed_amounts() -> None:
    income = """\
  - {label: Eget kapital (först), kind: equity}
  - {id: avgift-b, label: B kommuns avgift, member: b}
  - {label: Region Test, member: region, amounts: {2026: 480000, 2027: 500000}}
"""
    text = plan_text(income=income)
    rows = income_rows(text)
    labels = list(rows)
    # Computed rows go after the last contribution line, in the order of the members.
    assert labels == [
        "Eget kapital (först)",
        "B kommuns avgift",
        "Region Test",
        "Försäkringskassan",
        "A kommun",
        "C kommun",
        "Eget kapital",
    ]
    assert rows["B kommuns avgift"] == {"2026": 0, "2027": 149998, "2028": 149998}
    # Typed 2026 stays (no total for 2026); typed 2027 agrees; 2028 is filled in.
    assert rows["Region Test"] == {"2026": 480000, "2027": 500000, "2028": 500001}
    loaded = load(text)
    assert "FIN013" not in [f.code for f in validate(loaded)]


def test_a_typed_amount_that_differs_from_the_key_is_FIN013_at_the_amount(
    tmp_path: Path,
) -> None:
    income = "  - {label: A kommun, member: a, amounts: {2027: 250100}}\n"
    text = plan_text(income=income)
    loaded = load(text)
    found = [f for f in validate(loaded) if f.code == "FIN013"]
    assert len(found) == 1
    f = found[0]
    assert (f.line, f.column) == where(text, "250100")
    assert f.year == "2027"
    assert f.figures == {"member": "a", "typed": 250100, "computed": 249998, "total": 500000}
    assert "250\u00a0100" in f.message and "249\u00a0998" in f.message
    # The typed figure stands in the budget: nothing is silently replaced.
    assert income_rows(text)["A kommun"]["2027"] == 250100
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["validate", str(path), "-f", "text"])
    assert result.exit_code == 1
    line, column = where(text, "250100")
    assert f"plan.yaml:{line}:{column}: fel FIN013" in result.stdout


def test_within_the_tolerance_typed_amounts_pass() -> None:
    income = "  - {label: A kommun, member: a, amounts: {2027: 250000}}\n"  # 2 kr over
    assert "FIN013" not in [f.code for f in validate(load(plan_text(income=income)))]


def test_keys_check_typed_amounts_without_a_contributions_block() -> None:
    members = """\
    - {id: a, name: A kommun, side: municipality, key: {share: "48 %"}}
    - {id: b, name: B kommun, side: municipality, key: {share: "32 %"}}
    - {id: c, name: C kommun, side: municipality, key: {share: "20 %"}}
"""
    income = """\
  - {label: FK, member: fk, amounts: {2026: 1000000, 2027: 1000000, 2028: 1000000}}
  - {label: Region, member: region, amounts: {2026: 500000, 2027: 500000, 2028: 500000}}
  - {label: A, member: a, amounts: {2026: 250000, 2027: 240000, 2028: 240000}}
  - {label: B, member: b, amounts: {2026: 150000, 2027: 160000, 2028: 160500}}
  - {label: C, member: c, amounts: {2026: 100000, 2027: 100000, 2028: 99500}}
"""
    text = plan_text(members, contributions="", income=income)
    found = [f for f in validate(load(text)) if f.code == "FIN013"]
    # 2026 is last year's budget (another key): not checked. 2027 follows 48/32/20 of
    # 500 000 exactly. 2028: B 160 500 and C 99 500 against 160 000 and 100 000.
    assert [(f.year, f.figures["member"], f.figures["computed"]) for f in found] == [
        ("2028", "b", 160000),
        ("2028", "c", 100000),
    ]
    assert [(f.line, f.column) for f in found] == [where(text, "160500"), where(text, "99500")]


def test_a_municipality_outside_a_region_pays_as_much_as_the_state() -> None:
    members = "    - {id: gotland, name: Ön kommun, side: municipality_without_region}\n"
    text = plan_text(members).replace("    - {id: region, name: Region Test, side: region}\n", "")
    rows = income_rows(text)
    assert rows["Ön kommun"] == {"2026": 0, "2027": 1000000, "2028": 1000001}


def test_stated_side_totals_replace_fifty_fifty() -> None:
    block = "contributions:\n  state: {2027: 1000000}\n  sides: {municipality: {2027: 600000}}"
    rows = income_rows(plan_text(contributions=block))
    assert rows["Region Test"]["2027"] == 500000
    # 600 000 by 50 000 / 30 000 / 20 001: 299 997,00003, 179 998,20002, 120 004,79995:
    # one krona left, to C.
    assert [rows[n]["2027"] for n in ("A kommun", "B kommun", "C kommun")] == [
        299997,
        179998,
        120005,
    ]


def test_plans_without_keys_are_untouched() -> None:
    for path in sorted(PLANS.rglob("*.yaml")):
        plan = load_plan(path).plan
        assert plan is not None, path
        if plan.contributions.columns():
            continue
        assert income_lines(plan) == [(("income", i), inc) for i, inc in enumerate(plan.income)]


# --- bad keys: located errors, exit 2 --------------------------------------------------------

A_KEY = "key: {population: 50000, date: 2025-11-01}"
BAD_KEYS = [
    ("zero population", A_KEY, "key: {population: 0, date: 2025-11-01}", "SCH005", "0, date"),
    ("negative", A_KEY, "key: {population: -5, date: 2025-11-01}", "SCH005", "-5"),
    ("not a count", A_KEY, "key: {population: 500.5, date: 2025-11-01}", "SCH005", "500.5"),
    ("no date", A_KEY, "key: {population: 50000}", "SCH005", "key: {population: 50000}"),
    ("member without key", ", " + A_KEY, "", "REF013", "{id: a,"),
    ("mixed kinds", A_KEY, 'key: {share: "50 %"}', "REF013", 'key: {share: "50 %"}'),
    ("dates differ", A_KEY, "key: {population: 50000, date: 2024-11-01}", "REF013", "2024-11-01"),
]
SHARE_MEMBERS = """\
    - {id: a, name: A kommun, side: municipality, key: {share: "50 %"}}
    - {id: b, name: B kommun, side: municipality, key: {share: "30 %"}}
    - {id: c, name: C kommun, side: municipality, key: {share: "20 %"}}
"""
BAD_SHARES = [
    ("zero share", '{share: "20 %"}', '{share: "0 %"}', "SCH004", '"0 %"'),
    ("negative share", '{share: "20 %"}', '{share: "-20 %"}', "SCH004", '"-20 %"'),
    ("not 100 %", '{share: "20 %"}', '{share: "19 %"}', "REF013", '"19 %"'),
    (
        "key on a member that does not pay",
        "paid_by: fk}",
        'paid_by: fk, key: {share: "1 %"}}',
        "REF013",
        'key: {share: "1 %"}',
    ),
]


def _bad(text: str, code: str, needle: str, tmp_path: Path) -> None:
    loaded = load(text)
    assert loaded.plan is None
    assert [f.code for f in loaded.findings] == [code], [f.as_line() for f in loaded.findings]
    f = loaded.findings[0]
    assert (f.line, f.column) == where(text, needle), f.as_line()
    path = tmp_path / "plan.yaml"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["validate", str(path), "-f", "text"])
    assert result.exit_code == 2
    assert f"plan.yaml:{f.line}:{f.column}: fel {code}" in result.stdout


@pytest.mark.parametrize(("what", "old", "new", "code", "needle"), BAD_KEYS)
def test_bad_population_keys_are_located_errors(
    what: str, old: str, new: str, code: str, needle: str, tmp_path: Path
) -> None:
    members = KOMMUNER.replace(old, new, 1)
    assert members != KOMMUNER, what
    _bad(plan_text(members), code, needle, tmp_path)


@pytest.mark.parametrize(("what", "old", "new", "code", "needle"), BAD_SHARES)
def test_bad_share_keys_are_located_errors(
    what: str, old: str, new: str, code: str, needle: str, tmp_path: Path
) -> None:
    text = plan_text(SHARE_MEMBERS).replace(old, new, 1)
    assert text != plan_text(SHARE_MEMBERS), what
    _bad(text, code, needle, tmp_path)


def test_contributions_for_a_side_nobody_pays_or_a_year_not_a_column(tmp_path: Path) -> None:
    block = (
        "contributions:\n  state: {2027: 1000000}\n"
        "  sides: {municipality_without_region: {2027: 5}}"
    )
    _bad(plan_text(contributions=block), "REF013", "municipality_without_region", tmp_path)
    block = "contributions:\n  state: {2027: 1000000, 2031: 5}"
    _bad(plan_text(contributions=block), "REF002", "2031", tmp_path)


def test_the_schema_offers_keys_and_contributions() -> None:
    result = runner.invoke(app, ["schema"])
    schema = json.loads(result.stdout)
    assert "contributions" in schema["properties"]
    assert "key" in schema["$defs"]["Member"]["properties"]


# --- forecast and the next plan keep the money ----------------------------------------------


EXAMPLE = PLANS / "examples" / "nordana-2027.yaml"


def test_forecast_of_a_keyed_plan_keeps_fifty_fifty_and_the_split() -> None:
    result = runner.invoke(app, ["forecast", str(EXAMPLE), "--years", "2028", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    text = json.dumps(data, ensure_ascii=False)
    assert "Älvby kommun" in text
    plan = load_plan(EXAMPLE).plan
    assert plan is not None
    from finsamplan.year.forecast import project

    projected = project(plan, years=[2028])
    t = projected.budget.totals["2028"]
    assert t.state == t.others == 4171300  # the plan's own prognos for 2028
    assert t.by_side["municipality"] == 2085650
    kommuner = ["alvby", "granhult", "mossebo", "norrfjall", "sjotorp", "bjorkeda"]
    assert sum(t.by_member[m] for m in kommuner) == 2085650
    later = project(plan, until=2030).budget.totals["2030"]  # past the plan: same as 2029
    assert later.state == 4171300 and later.by_side["region"] == 2085650
    assert later.by_member == t.by_member


def test_the_documented_example_is_valid_and_gives_the_documented_split() -> None:
    import re

    from conftest import ROOT

    doc = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    section = doc[doc.index("### Medlemsavgifter ur en fördelningsnyckel") :]
    example = re.search(r"## Ett komplett exempel\n.*?```yaml\n(.*?)```", doc, re.S)
    assert example is not None
    loaded = load(example.group(1), "exempel.yaml")
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    assert validate(loaded) == []
    rows = {r.label: r.amounts for r in compute(loaded.plan).table("income").rows}
    # The working in the text: 2 065 000 × 41 230 / 69 805 = 1 219 682,69 and so on.
    assert [rows[n]["2027"] for n in ("Älvby kommun", "Granhults kommun", "Mossebo kommun")] == [
        1219683,
        555084,
        290233,
    ]
    assert "1 219 683, 555 084 och 290 233 kr" in " ".join(section.split())
    assert rows["Älvby kommun"]["2026"] == 1100000  # last year's budget stays as typed


def test_fin013_at_the_tolerance_after_one_within_it_and_with_its_whole_message() -> None:
    """A computes to 249 998 and B to 149 998 in 2027; the region to half the state's."""
    nb = "\u00a0"

    def fin013(income: str) -> list[Finding]:
        loaded = load(plan_text(income=income))
        found = validate(loaded)
        assert not [f for f in found if f.code == "FIN000"]
        return [f for f in found if f.code == "FIN013"]

    at = "  - {label: A kommun, member: a, amounts: {2027: 250008}}\n"
    assert fin013(at) == []  # 10 kr over: the tolerance
    later = (
        "  - {label: A kommun, member: a, amounts: {2027: 250000}}\n"
        "  - {label: B kommun, member: b, amounts: {2027: 149897}}\n"
    )
    (f,) = fin013(later)
    assert f.message == (
        f"Budgetplan 2027: B kommun har 149{nb}897 kr inskrivet men fördelningsnyckeln ger "
        f"149{nb}998 kr av 500{nb}000 kr (skillnad \u2212101 kr, tolerans 10 kr); rätta beloppet "
        "eller nyckeln, eller ta bort det inskrivna beloppet"
    )
    assert f.figures == {"member": "b", "typed": 149_897, "computed": 149_998, "total": 500_000}
    region = "  - {label: Region Test, member: region, amounts: {2027: 500011}}\n"
    (f,) = fin013(region)
    assert f.message.startswith(
        f"Budgetplan 2027: Region Test har 500{nb}011 kr inskrivet men 50/50-regeln (5 §) ger "
        f"500{nb}000 kr av 500{nb}000 kr (skillnad +11 kr,"
    )


def test_the_key_working_reads_one_line_per_member_in_the_pdf(tmp_path: Path) -> None:
    """pdftotext -layout: each member's key, share, exact amount, rounding and fee on the
    member's own line (the figures never wrap under each other)."""
    from clients import pdf_pages

    from finsamplan.cli import app as cli_app

    example = Path(__file__).resolve().parent.parent / "plans" / "examples" / "nordana-2027.yaml"
    out = tmp_path / "out"
    result = CliRunner().invoke(cli_app, ["render", str(example), "-f", "pdf", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = "\n".join(pdf_pages(out / "plan.pdf", layout=True))
    rows = [" ".join(line.split()) for line in text.splitlines()]
    assert "Norrfjälls kommun 6 402 6,94 % 143 257,95 uppåt, +1 kr 143 258" in rows
    assert "Älvby kommun 41 230 44,68 % 922 606,25 nedåt 922 606" in rows
    assert "Summa 92 282 100,00 % 2 065 000,00 3 kr till största rest 2 065 000" in rows
