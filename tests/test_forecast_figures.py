"""The forecast figure by figure: every kind of assumption on one plan, checked by hand, and
the whole projection (every figure, every source's words) against a golden file.

tests/data/forecast-rich.yaml has a line of each kind: an index with a gap and one that starts
late, a change, amounts per year, an announced allocation, one-off amounts (a line, a part,
other income), projects that start or end inside a year, an extension, evaluations with and
without an assumption of their own, a fixed reserve, rounding to 100 kr and a scenario. The
golden file is rewritten only by ``pytest --update-golden``; review its diff.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from conftest import MINIMAL, ROOT, load

from finsamplan.figures.budget import to_json as budget_json
from finsamplan.plan.model import Plan
from finsamplan.render import forecast_out
from finsamplan.year.forecast import (
    Difference,
    ForecastError,
    ForecastResult,
    Source,
    _pct,
    base_column,
    forecast_years,
    project,
)

RICH = ROOT / "tests" / "data" / "forecast-rich.yaml"
GOLDEN = ROOT / "tests" / "golden" / "forecast-rich.json"
NB = "\u00a0"


def rich() -> Plan:
    loaded = load(RICH.read_bytes(), "forecast-rich.yaml")
    assert loaded.plan is not None and loaded.findings == [], [f.as_line() for f in loaded.findings]
    return loaded.plan


def plan(text: str) -> Plan:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return loaded.plan


@pytest.fixture(scope="module")
def own() -> ForecastResult:
    return project(rich(), "forecast-rich", until=2032)


@pytest.fixture(scope="module")
def kris() -> ForecastResult:
    return project(rich(), "forecast-rich", scenario="kris", until=2032)


def amounts(result: ForecastResult, row_id: str) -> list[int]:
    row = next(r for t in result.budget.tables for r in t.rows if r.id == row_id)
    return [row.amounts[y] for y in result.years]


def text(result: ForecastResult, key: tuple[str, ...], year: int) -> str:
    src = result.source(key, str(year))
    assert src is not None, (key, year)
    return src.text


def everything(result: ForecastResult) -> dict[str, Any]:
    """Every figure and every source of a projection, as plain JSON."""
    return {
        "forecast": forecast_out.to_json(result),
        "summaries": {
            f"{r['table']}/{r['id'] or r['label']}": r["summary"] for r in forecast_out.rows(result)
        },
        "sources": {
            f"{'/'.join(key)} {year}": {**src.to_json(), "brief": src.brief}
            for (key, year), src in sorted(result.sources.items())
        },
        "budget": budget_json(result.budget, result.plan_id),
    }


def test_the_whole_projection_matches_the_golden_file(
    own: ForecastResult, kris: ForecastResult, update_golden: bool
) -> None:
    got = json.loads(
        json.dumps({"own": everything(own), "kris": everything(kris)}, ensure_ascii=False)
    )
    if update_golden:
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert got == json.loads(GOLDEN.read_text("utf-8")), "run pytest --update-golden, review"


# --- figures by hand ----------------------------------------------------------------------------


def test_an_index_with_a_gap_borrows_the_year_before(own: ForecastResult) -> None:
    # lon: 3 % for 2029, none for 2030 (3 % again), 4 % from 2031; rounded to 100 kr
    # 620 000 × 1,03 = 638 600; × 1,03 = 657 758; × 1,04 = 684 068,32; × 1,04 = 711 431,05
    assert amounts(own, "chef") == [620_000, 638_600, 657_800, 684_100, 711_400]
    assert (
        text(own, ("costs", "administration", "chef"), 2029) == f"index lon från 620{NB}000 (2028)"
    )
    assert text(own, ("costs", "administration", "chef"), 2030) == (
        f"index lon (år utan takt: som året före) från 620{NB}000 (2028)"
    )


def test_an_index_before_its_first_rate_is_nought_and_one_offs_are_left_out(
    own: ForecastResult,
) -> None:
    # kurser: 120 000 in 2028 of which 20 000 once; kpi has a rate only from 2030 (2 %)
    assert amounts(own, "kurser") == [120_000, 100_000, 102_000, 104_000, 106_100]
    assert text(own, ("costs", "utvecklingsinsatser", "kurser"), 2029) == (
        f"index kpi (år före indexets första takt: 0 %) från 100{NB}000 (2028) "
        f"(utan engångsbeloppet 20{NB}000)"
    )


def test_a_project_by_its_period_extended_and_from_a_part_year(own: ForecastResult) -> None:
    # steget: +1 %/år from 1 200 000, extended to 2031-03-31: 3/12 of 1 236 361,20 in 2031
    assert amounts(own, "steget") == [1_200_000, 1_212_000, 1_224_100, 309_100, 0]
    key = ("costs", "projekt", "steget")
    assert text(own, key, 2031) == (
        f"3/12 av årstakten (förlängd till 2031-03-31): +1{NB}%/år från 1{NB}200{NB}000 (2028)"
    )
    assert text(own, key, 2032) == "insatsen har upphört (förlängd till 2031-03-31)"
    # nytt: 300 000 for July–December 2028 is 600 000 a year; ends 2031-06-30
    assert amounts(own, "nytt") == [300_000, 606_000, 612_100, 309_100, 0]
    # bron: open-ended, a full year from 2028
    assert amounts(own, "bron") == [300_000, 303_000, 306_000, 309_100, 312_200]


def test_evaluations_stay_in_their_year_unless_named(own: ForecastResult) -> None:
    assert amounts(own, "bron-utv") == [20_000, 0, 0, 0, 0]
    assert text(own, ("costs", "projekt", "bron-utv"), 2029) == (
        "ingen utvärdering planerad för året"
    )
    assert amounts(own, "steget-utv") == [50_000, 50_000, 50_000, 60_000, 60_000]
    assert text(own, ("costs", "projekt", "steget-utv"), 2031) == "angivet för 2031"


def test_other_income_once_and_amounts(own: ForecastResult) -> None:
    assert amounts(own, "esf") == [90_000, 90_000, 70_000, 70_000, 70_000]
    assert text(own, ("income", "esf"), 2029) == "inget angivet för 2029: som året före"
    assert amounts(own, "gava") == [5000, 0, 0, 0, 0]  # once: true
    # the same amount, nothing computed: not rounded to 100 kr
    assert amounts(own, "bidrag") == [2050] * 5
    assert text(own, ("income", "bidrag"), 2030) == "som 2028"


def test_parts_are_projected_each_by_itself(own: ForecastResult) -> None:
    row = next(r for r in own.budget.table("administration").rows if r.id == "tjanster")
    ekonomi, konsult = row.parts
    assert [ekonomi.amounts[y] for y in own.years] == [52_000, 52_500, 53_000, 53_600, 54_100]
    assert [konsult.amounts[y] for y in own.years] == [40_000, 0, 0, 0, 0]  # all once
    assert [row.amounts[y] for y in own.years] == [92_000, 52_500, 53_000, 53_600, 54_100]


def test_the_state_announced_then_changing_and_the_sides_by_fifty_fifty(
    own: ForecastResult,
) -> None:
    assert amounts_by_label(own, "Försäkringskassan") == [
        1_010_000,
        1_050_000,
        1_039_500,
        1_029_100,
        1_018_800,
    ]
    assert amounts_by_label(own, "Region Prognos") == [505_000, 525_000, 519_750, 514_550, 509_400]
    # A and B pay the other half 60/40, as in the plan's last column (303 000 : 202 000)
    assert amounts_by_label(own, "A kommun") == [303_000, 315_000, 311_850, 308_730, 305_640]
    assert amounts_by_label(own, "B kommun") == [202_000, 210_000, 207_900, 205_820, 203_760]
    assert own.illustrations == ["forecast.state_allocation"]
    assert [own.budget.totals[y].reserve for y in own.years] == [100_000] + [120_000] * 4


def amounts_by_label(result: ForecastResult, label: str) -> list[int]:
    row = next(r for r in result.budget.table("income").rows if r.label == label)
    return [row.amounts[y] for y in result.years]


def test_a_scenario_from_the_plan_year(kris: ForecastResult) -> None:
    # −5 % a year from the plan year's 1 000 000, rounded to 1 000 kr; 2029 is announced
    assert amounts_by_label(kris, "Försäkringskassan") == [
        950_000,
        1_050_000,
        857_000,
        815_000,
        774_000,
    ]
    assert amounts(kris, "bron") == [100_000] * 5  # the scenario's line
    assert amounts(kris, "chef") == [610_000] * 5  # its group: the plan year's figure
    # +2 % a year from the plan year's 1 200 000, and it ends 2029-12-31 in this scenario
    assert amounts(kris, "steget") == [1_224_000, 1_248_000, 0, 0, 0]
    assert amounts(kris, "bron-utv") == [5000] * 5  # an evaluation moves when it is named
    assert amounts(kris, "steget-utv") == [50_000, 0, 0, 0, 0]  # its group's does not
    assert amounts(kris, "kurser") == [120_000] * 5  # stated for 2028, then as the year before
    assert text(kris, ("costs", "utvecklingsinsatser", "kurser"), 2029) == (
        "planen anger inget för 2029: som året före"
    )
    assert kris.description == "Staten minskar"


# --- small parts -----------------------------------------------------------------------------


def test_percentages_in_the_sources() -> None:
    assert _pct(Decimal("0")) == f"+0{NB}%"
    assert _pct(Decimal("0.025")) == f"+2,5{NB}%"
    assert _pct(Decimal("-0.01")) == f"\u22121{NB}%"


def test_which_years_a_forecast_covers() -> None:
    p = plan(MINIMAL)  # plan year 2027, prognos columns 2028 and 2029
    assert forecast_years(p, None, None) == [2028, 2029]
    assert forecast_years(p, None, 2037) == list(range(2028, 2038))
    assert forecast_years(p, [2037, 2030, 2030], None) == [2030, 2037]
    for years, until, message in (
        ([2027], None, "prognosår måste ligga efter planåret 2027"),
        (None, 2027, "--until måste ligga efter planåret 2027"),
        (
            [2038],
            None,
            "prognosåret 2038 ligger för långt fram: en prognos når högst 10 år efter "
            "planåret 2027, alltså till och med 2037",
        ),
        (None, 2038, "prognosåret 2038 ligger för långt fram"),
    ):
        with pytest.raises(ForecastError) as exc:
            forecast_years(p, years, until)
        assert str(exc.value).startswith(message)
    no_prognos = plan(
        MINIMAL.replace("  - {year: 2028, kind: prognos}\n  - {year: 2029, kind: prognos}\n", "")
        .replace(", 2028: 500000, 2029: 500000}", "}")
        .replace(", 2028: 1000000, 2029: 1000000}", "}")
        .replace(", 2028: 300000, 2029: 300000}", "}")
        .replace(", 2028: 100000, 2029: 100000}", "}")
        .replace(", 2028: 200000, 2029: 200000}", "}")
        .replace(", 2028: 1300000, 2029: 1200000}", "}")
        .replace("amounts: {2029: 100000}", "amounts: {}")
    )
    assert forecast_years(no_prognos, None, None) == [2028, 2029]  # two years by default


def test_the_last_year_a_forecast_reaches() -> None:
    late = plan(
        MINIMAL.replace("year: 2027\n", "year: 2095\n", 1)
        .replace("2026", "2094")
        .replace("2027", "2095")
        .replace("2028", "2096")
        .replace("2029", "2097")
    )
    assert forecast_years(late, None, 2100)[-1] == 2100
    with pytest.raises(ForecastError, match="alltså till och med 2100"):
        forecast_years(late, None, 2101)


def test_the_base_column_is_the_plan_years_budgetplan() -> None:
    p = plan(MINIMAL)
    assert base_column(p) == "2027"
    without = p.model_copy(update={"columns": [c for c in p.columns if c.year != 2027]})
    with pytest.raises(ForecastError) as exc:
        base_column(without)
    assert str(exc.value) == "planen saknar kolumnen för budgetåret 2027 (kind: budgetplan)"
    first = [
        c.model_copy(update={"kind": "utfall", "id": "utfall-2027"})
        for c in p.columns
        if c.year == 2027
    ]
    assert base_column(p.model_copy(update={"columns": [*first, *p.columns]})) == "2027"


def test_a_source_in_json_and_a_difference() -> None:
    assert Source("plan", "x").to_json() == {"rule": "plan", "text": "x", "illustration": False}
    marked = Source("change", "y", True, "forecast.default")
    assert marked.to_json() == {
        "rule": "change",
        "text": "y",
        "assumption": "forecast.default",
        "illustration": True,
    }
    assert Difference("2028", "income", "FK", 100, 80, "c").difference == -20


def test_a_summary_joins_consecutive_years_of_one_source(own: ForecastResult) -> None:
    assert own.source_summary(("costs", "projekt", "bron")) == (
        f"2028: planens egen prognos; 2029–2032: +1{NB}%/år från 300{NB}000 (2028)"
    )
    assert own.source_summary(("costs", "projekt", "finns-inte")) == ""
    assert own.source_summary(("costs", "projekt", "bron"), own="planen") == (
        f"2028: planen; 2029–2032: +1{NB}%/år från 300{NB}000 (2028)"
    )


# --- on MINIMAL: edges one at a time ------------------------------------------------------------


def minimal(extra: str = "", **replace: str) -> Plan:
    text = MINIMAL
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return plan(text + extra)


EQUITY_LINE = (
    "  - label: Eget kapital\n    kind: equity\n"
    "    amounts: {2026: 300000, 2027: 300000, 2028: 300000, 2029: 300000}\n"
)


def test_equity_from_the_closed_books_then_carried_with_the_room_spent_per_year() -> None:
    p = minimal("forecast:\n  room_spent: {2028: 10000, 2029: 20000}\n")
    books = project(p, "p", until=2031, opening_equity=123_456)
    # 2028 brings the books' 123 456; each year's result is 0 until Steget ends (2029-12-31)
    # the room is the closing equity less the reserve (100 000); the books' equity has none
    assert [(c.year, c.closing, c.room, c.spent, c.amount) for c in books.carried.values()] == [
        (2027, 123_456, 123_456, 0, 123_456),
        (2028, 123_456, 23_456, 10_000, 113_456),
        (2029, 113_456, 13_456, 20_000, 93_456),
        (2030, 93_456 + 1_300_000, 1_293_456, 0, 1_393_456),
    ]
    assert books.source(("income", "3"), "2028") == Source(
        "opening", f"ingående eget kapital 123{NB}456 kr, angivet"
    )
    by_plan = project(p, "p", until=2031)
    assert [c.amount for c in by_plan.carried.values()] == [300_000, 290_000, 270_000, 1_570_000]
    assert text(by_plan, ("income", "3"), 2030) == (
        f"eget kapital vid årets slut 2029 290{NB}000 kr, varav 20{NB}000 kr (av utrymmet "
        f"190{NB}000 kr) antas användas enligt forecast.room_spent"
    )


def test_a_plan_without_an_equity_line() -> None:
    steget = "{2026: 1300000, 2027: 1300000, 2028: 1300000"
    p = minimal(**{EQUITY_LINE: "", steget: "{2026: 1300000, 2027: 1300000, 2028: 1200000"})
    result = project(p, "p", until=2030)
    # 2028 leaves 100 000: the projection gains an equity row after the three income lines
    assert text(result, ("income", "3"), 2029) == (
        f"eget kapital vid årets slut 2028 100{NB}000 kr"
    )
    assert [result.budget.totals[y].equity for y in result.years] == [0, 100_000, 100_000]
    assert result.budget.table("income").rows[3].label == "Eget kapital/sparade medel"


def test_a_one_off_of_an_earlier_year_leaves_the_latest_figure_whole() -> None:
    result = project(
        minimal(**{"label: Utbildningar\n": "label: Utbildningar\n      once: {2026: 1000}\n"}),
        "p",
        until=2030,
    )
    assert amounts_of(result, "utvecklingsinsatser", 0) == [200_000, 200_000, 200_000]
    assert text(result, ("costs", "utvecklingsinsatser", "0"), 2030) == "som 2029"


def amounts_of(result: ForecastResult, table: str, index: int) -> list[int]:
    row = result.budget.table(table).rows[index]
    return [row.amounts[y] for y in result.years]


def test_a_project_that_began_in_december_is_a_full_years_rate_after() -> None:
    p = minimal(
        **{
            "activities:\n": "    - id: kort\n      label: Kort\n      amounts: {2029: 10000}\n"
            "activities:\n  - {id: kort, kind: projekt, title: Kort, lines: [kort],"
            " period: {start: 2029-12-01}}\n"
        }
    )
    result = project(p, "p", until=2030)
    assert amounts_of(result, "projekt", 2) == [0, 10_000, 120_000]


def test_a_later_budgetplan_column_is_not_the_plans_prognos() -> None:
    p = minimal(**{"{year: 2029, kind: prognos}": "{year: 2029, kind: budgetplan}"})
    result = project(p, "p", until=2030)
    assert amounts_of(result, "projekt", 0) == [1_300_000, 1_300_000, 0]
    assert text(result, ("costs", "projekt", "steget"), 2029) == "som 2028"


def test_a_scenario_starts_from_the_plan_years_budget_not_its_announcement() -> None:
    """The plan year's budget is the one being adopted: an announcement for that year
    (forecast.announced) concerns only the years after it."""
    p = minimal(
        "forecast:\n  announced:\n    2027: {amount: 900000, date: 2026-11-10, source: Besked}\n"
        "  scenarios:\n    noll:\n      description: Oförändrat\n"
        '      state_allocation: {change: "0 %"}\n'
    )
    result = project(p, "p", until=2029, scenario="noll")
    fk = result.budget.table("income").rows[0]
    assert [fk.amounts[y] for y in result.years] == [1_000_000, 1_000_000]


def test_announced_money_is_split_even_without_a_state_line() -> None:
    p = minimal(
        "forecast:\n  announced:\n    2030: {amount: 800000, date: 2029-11-10, source: Besked}\n",
        **{
            "  - label: Försäkringskassan\n    member: fk\n"
            "    amounts: {2026: 1000000, 2027: 1000000, 2028: 1000000, 2029: 1000000}\n": ""
        },
    )
    result = project(p, "p", until=2030)
    region, kommun = result.budget.table("income").rows[:2]
    assert (region.amounts["2030"], kommun.amounts["2030"]) == (400_000, 400_000)


def test_sides_split_by_their_keys_when_the_last_column_holds_nothing() -> None:
    p = minimal(
        "forecast:\n  announced:\n    2030: {amount: 1000000, date: 2029-11-10, source: Besked}\n",
        **{
            "side: municipality}\n": (
                'side: municipality, key: {share: "75 %"}}\n'
                '    - {id: by, name: Byns kommun, side: municipality, key: {share: "25 %"}}\n'
            ),
            "member: kommun\n    amounts: {2026: 500000, 2027: 500000, 2028: 500000, "
            "2029: 500000}": (
                "member: kommun\n    amounts: {2026: 0, 2027: 0, 2028: 0, 2029: 0}\n"
                "  - label: Byns kommun\n    member: by\n"
                "    amounts: {2026: 0, 2027: 0, 2028: 0, 2029: 0}"
            ),
        },
    )
    result = project(p, "p", until=2030)
    rows = {r.label: r.amounts["2030"] for r in result.budget.table("income").rows}
    assert (rows["Exempels kommun"], rows["Byns kommun"]) == (375_000, 125_000)


def test_the_description_says_whose_figures_the_years_are() -> None:
    p = minimal()
    assert project(p, "p").description == "Planens egen prognos 2028–2029"
    assert project(p, "p", years=[2028]).description == "Planens egen prognos 2028"
    assert project(p, "p", until=2030).description == (
        "Planens egen prognos 2028–2029, därefter enligt planens forecast-block"
    )
    assert project(p, "p", years=[2030, 2031]).description == (
        "Planens budgetplan 2027, framskriven enligt planens forecast-block"
    )
    with pytest.raises(ForecastError) as exc:
        project(p, "p", scenario="kris")
    assert str(exc.value) == "scenariot 'kris' finns inte i planen (finns: inga)"


def test_no_projected_figure_beyond_what_a_plan_may_hold() -> None:
    at = minimal("forecast:\n  lines:\n    steget: {amount: 1000000000000}\n")
    assert amounts_of(project(at, "p", until=2030), "projekt", 0)[-1] == 10**12
    # 500 000 × 11⁷ ≈ 9,7 × 10¹²: the seventh year after 2029 is over
    over = minimal('forecast:\n  default: {change: "1000 %"}\n')
    with pytest.raises(ForecastError) as exc:
        project(over, "p", until=2037)
    assert str(exc.value).startswith("antagandena ger 2036 ett belopp över 1 000 000 000 000 kr")


def test_notes_and_one_offs_of_the_kept_columns_follow_them() -> None:
    """The projection keeps the plan year's column as it is and names each later column by
    its year, so a column's own id (here p28) becomes 2028."""
    text = MINIMAL.replace("{year: 2028, kind: prognos}", "{year: 2028, kind: prognos, id: p28}")
    text = text.replace("2028: ", "p28: ").replace(
        "label: Utbildningar\n",
        "label: Utbildningar\n      notes: {2026: a, 2027: b, p28: c}\n"
        "      once: {2027: 1000, p28: 2000}\n",
    )
    result = project(plan(text), "p", until=2030)
    line = result.projected.costs["utvecklingsinsatser"][0]
    assert line.notes == {"2027": "b", "2028": "c"}
    assert line.once == {"2027": 1000, "2028": 2000}


def test_a_second_equity_line_keeps_only_the_plan_years_figure() -> None:
    second = "  - label: Fonderat\n    kind: equity\n    amounts: {2027: 5000, 2028: 6000}\n"
    result = project(minimal(**{EQUITY_LINE: EQUITY_LINE + second}), "p", until=2030)
    fonderat = next(i for i in result.projected.income if i.label == "Fonderat")
    assert fonderat.amounts == {"2027": 5000}


def test_the_equity_row_a_projection_adds_starts_from_nothing() -> None:
    result = project(minimal(**{EQUITY_LINE: ""}), "p", until=2030)
    added = result.projected.income[-1]
    assert added.label == "Eget kapital/sparade medel" and "2027" not in added.amounts


def with_2030(text: str) -> str:
    """MINIMAL with a third prognos column, 2030, as 2029 again."""
    text = text.replace(
        "  - {year: 2029, kind: prognos}\n",
        "  - {year: 2029, kind: prognos}\n  - {year: 2030, kind: prognos}\n",
    )
    text = text.replace("2029: 1000000}", "2029: 1000000, 2030: 1000000}")
    text = text.replace("2029: 500000}", "2029: 500000, 2030: 500000}")
    text = text.replace("2029: 300000}", "2029: 300000, 2030: 300000}")
    text = text.replace("2029: 100000}", "2029: 100000, 2030: 100000}")
    text = text.replace("2029: 200000}", "2029: 200000, 2030: 200000}")
    return text.replace("2029: 1200000}", "2029: 1200000, 2030: 1200000}")


def test_three_prognos_years_of_the_plans_own() -> None:
    assert project(plan(with_2030(MINIMAL)), "p").description == ("Planens egen prognos 2028–2030")


def test_differences_in_every_stated_year_after_a_gap() -> None:
    """A scenario runs from the plan year, so each year the plan states differs; 2029 is
    not a column here, and 2030 is still compared."""
    text = with_2030(MINIMAL).replace("  - {year: 2029, kind: prognos}\n", "")
    for old in (", 2029: 1000000", ", 2029: 500000", ", 2029: 300000", ", 2029: 100000"):
        text = text.replace(old, "")
    text = text.replace(", 2029: 200000", "").replace(", 2029: 1200000", "")
    text = text.replace("amounts: {2029: 100000, 2030: 100000}", "amounts: {2030: 100000}")
    text += "forecast:\n  scenarios:\n    upp:\n      description: Upp\n"
    text += '      default: {change: "10 %"}\n'
    result = project(plan(text), "p", scenario="upp", until=2030)
    chef = [d for d in result.differences if d.label == "Förbundschef"]
    assert [(d.year, d.stated, d.projected, d.difference) for d in chef] == [
        ("2028", 500_000, 550_000, 50_000),
        ("2030", 500_000, 665_500, 165_500),
    ]
    assert chef[0].cause == f"+10{NB}%/år från 500{NB}000 (2027)"


def test_a_scenario_default_leaves_evaluations_and_carries_a_line_from_the_plan_year() -> None:
    """A scenario's default names no row, so an evaluation keeps its planned years; a line
    with no figure in the plan year is carried from nothing, as the scenario runs from it."""
    p = minimal(
        "forecast:\n  scenarios:\n    upp:\n      description: Upp\n"
        '      default: {change: "10 %"}\n',
        **{"  projekt:\n": "  projekt:\n    - label: Sen start\n      amounts: {2028: 50000}\n"},
    )
    result = project(p, "p", scenario="upp", until=2030)
    assert result.years == ["2028", "2029", "2030"]
    assert amounts_of(result, "projekt", 0) == [0, 0, 0]
    assert text(result, ("costs", "projekt", "0"), 2029) == f"+10{NB}%/år från 0 (2027)"
    assert amounts_of(result, "projekt", 1) == [1_430_000, 1_573_000, 0]
    assert amounts_of(result, "projekt", 2) == [0, 100_000, 0]
    assert [text(result, ("costs", "projekt", "2"), y) for y in (2028, 2029)] == [
        "ingen utvärdering planerad för året",
        "utvärdering planerad 2029",
    ]


def test_the_plans_default_change_does_not_move_an_evaluation() -> None:
    """forecast.default names no line: past the plan's columns an evaluation is only what is
    planned for the year (nothing here), not last year's 100 000 plus 10 %."""
    result = project(minimal('forecast:\n  default: {change: "10 %"}\n'), "p", until=2031)
    assert amounts_of(result, "projekt", 1) == [0, 100_000, 0, 0]
    assert [text(result, ("costs", "projekt", "1"), y) for y in (2029, 2030)] == [
        "planens egen prognos",
        "ingen utvärdering planerad för året",
    ]


_KOMMUN = (
    "    member: kommun\n    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n"
)
_MEMBER = "    - {id: kommun, name: Exempels kommun, side: municipality}\n"


def test_a_sides_half_split_as_in_the_latest_column_even_of_one_krona() -> None:
    """The municipalities' half follows their amounts in 2029, 1 kr and 0 kr: all of it to
    the first; only a column of nothing at all falls back to the members' keys."""
    p = minimal(
        **{
            _MEMBER: _MEMBER + "    - {id: k2, name: Andra kommunen, side: municipality}\n",
            _KOMMUN: _KOMMUN.replace("2029: 500000", "2029: 1")
            + "  - label: Andra kommunen\n    member: k2\n"
            "    amounts: {2026: 0, 2027: 0, 2028: 0, 2029: 0}\n",
        }
    )
    result = project(p, "p", until=2030)
    assert [amounts_of(result, "income", i)[2] for i in (2, 3)] == [500_000, 0]
    assert text(result, ("income", "3"), 2030) == (
        f"hälften av statens 1{NB}000{NB}000 kr (5 §), fördelat som 2029"
    )


def test_a_municipality_outside_a_region_beside_a_region_gets_no_half() -> None:
    """5 a § applies only without a region (FIN012 flags such a plan): past the plan's columns
    the region and the municipalities share the 50/50, and the other line gets nothing."""
    p = minimal(
        **{
            _MEMBER: _MEMBER
            + "    - {id: gotland, name: Gotland, side: municipality_without_region}\n",
            _KOMMUN: _KOMMUN + "  - label: Gotland\n    member: gotland\n"
            "    amounts: {2026: 7, 2027: 7, 2028: 7, 2029: 7}\n",
        }
    )
    result = project(p, "p", until=2030)
    assert [amounts_of(result, "income", i) for i in (1, 2, 3)] == [
        [500_000, 500_000, 500_000],
        [500_000, 500_000, 500_000],
        [7, 7, 0],
    ]


def test_room_stated_spent_in_the_plan_year_is_left_out_of_what_it_leaves() -> None:
    result = project(minimal("forecast:\n  room_spent: {2027: 100000}\n"), "p", until=2029)
    assert [result.budget.totals[y].equity for y in result.years] == [200_000, 200_000]
    assert text(result, ("income", "3"), 2028) == (
        f"eget kapital vid årets slut 2027 300{NB}000 kr, varav 100{NB}000 kr (av utrymmet "
        f"200{NB}000 kr) antas användas enligt forecast.room_spent"
    )


def test_without_an_equity_line_other_income_keeps_its_own_figures() -> None:
    """The equity row a projection adds goes last; the line in its place (here the second,
    other income) keeps its own figures."""
    other = "  - label: Hyra\n    kind: other\n    amounts: {2026: 5, 2027: 5, 2028: 5, 2029: 5}\n"
    p = minimal(
        **{EQUITY_LINE: "", "  - label: Region Exempel\n": other + "  - label: Region Exempel\n"}
    )
    result = project(p, "p", until=2030)
    assert [r.label for r in result.budget.table("income").rows] == [
        "Försäkringskassan",
        "Hyra",
        "Region Exempel",
        "Exempels kommun",
        "Eget kapital/sparade medel",
    ]
    assert amounts_of(result, "income", 1) == [5, 5, 5]
    assert amounts_of(result, "income", 4) == [5, 10, 15]
