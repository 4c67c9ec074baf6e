"""Every rule's findings with their whole message, figures, year and place, at the boundaries.

The figures inside a message are what the economist checks, so each test compares the whole
text; each also asserts that no rule crashed (a crashing rule becomes FIN000, which a test
that looks only for its own code would never notice). MINIMAL (conftest) is the base: per
year 2 000 000 in contributions (state 1 000 000, region and municipality 500 000 each),
300 000 equity brought in, costs 2 000 000 (administration 500 000), reserve 100 000.
"""

from __future__ import annotations

import re

from conftest import MINIMAL, load, where

from finsamplan.base.findings import Finding, Severity
from finsamplan.judge.rules import validate

NB = "\u00a0"


def found(text: str, code: str) -> list[Finding]:
    """The findings of one code; no rule may have crashed."""
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    every = validate(loaded)
    assert not [f for f in every if f.code == "FIN000"], [f.message for f in every]
    return [f for f in every if f.code == code]


def change(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def kr(text: str) -> str:
    """A message as written here with plain spaces in amounts, as the code writes it."""
    grouped = re.sub(r"\b\d{1,3}(?: \d{3})+\b", lambda m: m.group().replace(" ", NB), text)
    return grouped.replace(" %", f"{NB}%")


def state(text: str, amounts: str) -> str:
    return change(
        text, "amounts: {2026: 1000000, 2027: 1000000, 2028: 1000000, 2029: 1000000}", amounts
    )


def region(text: str, amounts: str) -> str:
    return change(
        text,
        "member: region\n    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}",
        f"member: region\n    amounts: {amounts}",
    )


def municipality(text: str, amounts: str) -> str:
    return change(
        text,
        "member: kommun\n    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}",
        f"member: kommun\n    amounts: {amounts}",
    )


def place(f: Finding, text: str, needle: str, skip: int = 0) -> None:
    line, column = where(text, needle)
    assert (f.line, f.column) == (line, column + skip), f.as_line()


# --- FIN010: the state pays half -------------------------------------------------------------


def test_fin010_the_state_paying_too_little_and_its_place() -> None:
    text = state(MINIMAL, "amounts: {2026: 1000000, 2027: 999979, 2028: 1000000, 2029: 1000000}")
    (f,) = found(text, "FIN010")
    assert (f.year, f.severity) == ("2027", Severity.ERROR)
    assert f.message == kr(
        "Budgetplan 2027: staten (Försäkringskassan) bidrar med 999 979 kr och region/kommuner "
        "med 1 000 000 kr; enligt 5 § ska staten stå för hälften av 1 999 979 kr. "
        "Skillnad 21 kr (tolerans 10 kr per sida, högst 20 kr mellan sidorna)"
    )
    assert f.figures == {"state": 999_979, "others": 1_000_000, "difference": -21, "tolerance": 10}
    place(f, text, "2027: 999979", len("2027: "))
    at = state(MINIMAL, "amounts: {2026: 1000000, 2027: 999980, 2028: 1000000, 2029: 1000000}")
    assert found(at, "FIN010") == []  # each side 10 kr from its half: the tolerance


def test_fin010_points_at_the_state_line_whatever_comes_first() -> None:
    text = change(
        MINIMAL,
        "income:\n",
        "income:\n  - label: Övrigt\n    kind: other\n    amounts: {2027: 5}\n",
    )
    text = state(text, "amounts: {2026: 1000000, 2027: 1000021, 2028: 1000000, 2029: 1000000}")
    (f,) = found(text, "FIN010")
    place(f, text, "2027: 1000021", len("2027: "))


def test_fin010_checks_the_years_after_one_without_contributions() -> None:
    text = state(MINIMAL, "amounts: {2026: 0, 2027: 1000021, 2028: 1000000, 2029: 1000000}")
    text = region(text, "{2026: 0, 2027: 500000, 2028: 500000, 2029: 500000}")
    text = municipality(text, "{2026: 0, 2027: 500000, 2028: 500000, 2029: 500000}")
    assert [(f.year, f.figures["difference"]) for f in found(text, "FIN010")] == [("2027", 21)]


def test_fin010_one_krona_with_no_tolerance() -> None:
    text = state(MINIMAL, "amounts: {2026: 1000000, 2027: 1, 2028: 1000000, 2029: 1000000}")
    text = region(text, "{2026: 500000, 2027: 0, 2028: 500000, 2029: 500000}")
    text = municipality(text, "{2026: 500000, 2027: 0, 2028: 500000, 2029: 500000}")
    text += "policy:\n  contribution_tolerance: 0\n"
    assert [(f.year, f.figures["difference"]) for f in found(text, "FIN010")] == [("2027", 1)]


# --- FIN011: region and municipalities pay half the state's amount each -------------------------


def test_fin011_message_and_the_tolerance_boundary() -> None:
    at = region(MINIMAL, "{2026: 500000, 2027: 500010, 2028: 500000, 2029: 500000}")
    assert found(at, "FIN011") == []
    past = region(MINIMAL, "{2026: 500000, 2027: 500011, 2028: 500000, 2029: 500000}")
    (f,) = found(past, "FIN011")
    assert f.message == kr(
        "Budgetplan 2027: regionen bidrar med 500 011 kr men ska enligt 5 § betala hälften av "
        "statens 1 000 000 kr, dvs. 500 000 kr (skillnad +11 kr, tolerans 10 kr)"
    )
    assert f.figures == {
        "side": "region",
        "amount": 500_011,
        "expected": 500_000,
        "state": 1_000_000,
    }
    place(f, past, "2027: 500011", len("2027: "))


def test_fin011_without_a_region_still_judges_the_municipalities() -> None:
    text = change(MINIMAL, "    - {id: region, name: Region Exempel, side: region}\n", "")
    text = change(
        text,
        "  - label: Region Exempel\n    member: region\n"
        "    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n",
        "",
    )
    text = municipality(text, "{2026: 500000, 2027: 499000, 2028: 500000, 2029: 500000}")
    fins = found(text, "FIN011")
    assert [(f.year, f.figures["side"], f.figures["amount"]) for f in fins] == [
        ("2027", "municipality", 499_000)
    ]
    assert "kommunerna bidrar med 499" in fins[0].message
    assert "(skillnad −1 000 kr, tolerans 10 kr)".replace(" 000", f"{NB}000") in fins[0].message


def test_fin011_checks_the_years_after_one_without_state_money() -> None:
    text = state(MINIMAL, "amounts: {2026: 0, 2027: 1000000, 2028: 1000000, 2029: 1000000}")
    text = region(text, "{2026: 0, 2027: 500100, 2028: 500000, 2029: 500000}")
    assert [(f.year, f.figures["amount"]) for f in found(text, "FIN011")] == [("2027", 500_100)]


# --- FIN012: members on every side ----------------------------------------------------------


def test_fin012_each_missing_side_with_its_message() -> None:
    members = where(MINIMAL, "members:")
    no_state = change(
        MINIMAL,
        "{id: fk, name: Försäkringskassan, side: state}",
        "{id: fk, name: FK, side: region}",
    )
    no_state = change(no_state, "side: state, paid_by: fk}", "side: region, paid_by: fk}")
    (f,) = found(no_state, "FIN012")
    assert f.message == (
        "förbundet saknar medlem på statens sida (Försäkringskassan och Arbetsförmedlingen); "
        "vilka som kan vara medlemmar anger lag (2003:1210) 3 §, och staten står för hälften "
        "av medlen (5 §)"
    )
    assert (f.severity, f.year, f.figures, (f.line, f.column)) == (
        Severity.WARNING,
        None,
        {},
        members,
    )
    both = change(
        MINIMAL,
        "{id: kommun, name: Exempels kommun, side: municipality}",
        "{id: kommun, name: Exempels kommun, side: municipality_without_region}",
    )
    assert [f.message for f in found(both, "FIN012")] == [
        "en kommun utanför region betalar hälften bara när ingen region deltar "
        "(lag (2003:1210) 5 a §), men förbundet har en region"
    ]
    missing = (
        "förbundet saknar medlem som är {}; medlemmarna är staten, region och kommuner "
        "(lag (2003:1210) 3 §), och region och kommuner bär en fjärdedel var av medlen (5 §)"
    )
    no_municipality = change(
        MINIMAL,
        "{id: kommun, name: Exempels kommun, side: municipality}",
        "{id: kommun, name: Exempels kommun, side: region}",
    )
    assert [f.message for f in found(no_municipality, "FIN012")] == [missing.format("kommun")]
    no_region = change(
        MINIMAL,
        "{id: region, name: Region Exempel, side: region}",
        "{id: region, name: Region Exempel, side: municipality}",
    )
    assert [f.message for f in found(no_region, "FIN012")] == [missing.format("region")]
    assert found(MINIMAL, "FIN012") == []


# --- FIN020, FIN021: costs within income and equity -------------------------------------------


def test_fin020_message_and_costs_equal_to_what_is_available() -> None:
    steget = "{2026: 1300000, 2027: 1300000"
    over = change(MINIMAL, steget, "{2026: 1300000, 2027: 1600001")
    (f,) = found(over, "FIN020")
    assert f.message == kr(
        "Budgetplan 2027: kostnaderna 2 300 001 kr överstiger intäkter och eget kapital "
        "2 300 000 kr med 1 kr. Förbundet får inte låna utöver vanlig kredit (lag (2003:1210) "
        "21 § andra stycket), och det som tillgångarna inte täcker får medlemmarna täcka i "
        "samma proportioner som de finansierar förbundet (22 §)"
    )
    assert f.figures == {"costs": 2_300_001, "available": 2_300_000, "shortfall": 1}
    assert (f.path, f.severity) == (("costs",), Severity.ERROR)
    assert [x.year for x in found(over, "FIN021")] == []  # beyond the equity: FIN020 only
    equal = change(MINIMAL, steget, "{2026: 1300000, 2027: 1600000")
    assert found(equal, "FIN020") == []
    (drawn,) = found(equal, "FIN021")
    assert drawn.message == kr(
        "Budgetplan 2027: kostnaderna 2 300 000 kr överstiger årets intäkter 2 000 000 kr; "
        "300 000 kr tas av eget kapital (300 000 kr). Enligt kommunallagen 11 kap. 5 § första "
        "stycket ska budgeten upprättas så att intäkterna överstiger kostnaderna; lag "
        "(2003:1210) 21 § tillämpar det på förbundet utan kommunernas undantag. Redovisa för "
        "styrelsen varför eget kapital används"
    )
    assert drawn.figures == {
        "costs": 2_300_000,
        "income": 2_000_000,
        "drawn": 300_000,
        "equity": 300_000,
    }
    place(drawn, equal, "{2026: 300000, 2027: 300000", len("{2026: 300000, 2027: "))
    assert found(MINIMAL, "FIN021") == []  # costs equal to the year's income


def test_fin021_severity_by_year_against_the_plan_year() -> None:
    text = change(
        MINIMAL,
        "2026: 1300000, 2027: 1300000, 2028: 1300000, 2029: 1200000",
        "2026: 1300001, 2027: 1300001, 2028: 1300001, 2029: 1200001",
    )
    assert [(f.year, f.severity) for f in found(text, "FIN021")] == [
        ("2026", Severity.INFO),
        ("2027", Severity.WARNING),
        ("2028", Severity.WARNING),
        ("2029", Severity.WARNING),
    ]


# --- FIN030: equity under the ceiling ------------------------------------------------------------


def test_fin030_at_and_over_the_ceiling() -> None:
    # 20 % of 2 000 000 is 400 000: 2027 ends with 400 000 (at) or 400 001 (over).
    equity = "{2026: 300000, 2027: 300000, 2028: 300000, 2029: 300000}"
    at = change(MINIMAL, equity, "{2026: 300000, 2027: 400000, 2028: 300000, 2029: 300000}")
    assert found(at, "FIN030") == []
    over = change(MINIMAL, equity, "{2026: 300000, 2027: 400001, 2028: 300000, 2029: 300000}")
    (f,) = found(over, "FIN030")
    assert f.message == kr(
        "Budgetplan 2027: eget kapital vid årets slut 400 001 kr överstiger taket 400 000 kr "
        "(20 % av medlemsbidragen 2 000 000 kr) med 1 kr; det kan minska kommande statlig "
        "tilldelning (Nationella rådets rekommendation 2013-10-02). Trappans steg i "
        "policy.equity_ceiling är inte bekräftade: kontrollera dem mot den rekommendation som "
        "gäller"
    )
    assert f.figures == {
        "equity": 400_001,
        "ceiling": 400_000,
        "over": 1,
        "contributions": 2_000_000,
        "share": "0.20",
    }
    place(f, over, "{year: 2027", 0)


def test_fin030_explains_the_room_spent_and_skips_a_year_without_contributions() -> None:
    text = state(MINIMAL, "amounts: {2026: 0, 2027: 1000000, 2028: 1000000, 2029: 1000000}")
    text = region(text, "{2026: 0, 2027: 500000, 2028: 500000, 2029: 500000}")
    text = municipality(text, "{2026: 0, 2027: 500000, 2028: 500000, 2029: 500000}")
    text = change(text, "{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 1300000")
    text += 'forecast:\n  room_spent: "50 %"\n'
    fins = found(text, "FIN030")
    assert [f.year for f in fins] == ["2027"]  # 2026 has no contributions to measure against
    assert fins[0].message.startswith(
        kr(
            "Budgetplan 2027: eget kapital vid årets slut 700 000 kr överstiger taket 400 000 kr "
            "(20 % av medlemsbidragen 2 000 000 kr) med 300 000 kr (eget kapital vid årets slut "
            "2027 1 300 000 kr, varav 600 000 kr (50 % av utrymmet 1 200 000 kr) antas användas "
            "enligt forecast.room_spent); det kan minska"
        )
    )


# --- FIN060: equity carried between the years ------------------------------------------------


def test_fin060_messages_with_their_hints() -> None:
    newer = change(MINIMAL, "{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 250000")
    before, after = found(newer, "FIN060")
    assert before.message == kr(
        "Budgetplan 2027: ingående eget kapital 250 000 kr är inte vad 2026 lämnar, 300 000 kr "
        "(eget kapital vid årets slut 2026 300 000 kr); skillnad −50 000 kr (från bokslutet "
        "eller en nyare prognos för 2026?)"
    )
    assert after.message == kr(
        "Prognos 2028: ingående eget kapital 300 000 kr är inte vad 2027 lämnar, 250 000 kr "
        "(eget kapital vid årets slut 2027 250 000 kr); skillnad +50 000 kr. Antar planen att "
        "en del av utrymmet används, ange det i forecast.room_spent"
    )
    stated = MINIMAL + "forecast:\n  room_spent: {2027: 0, 2028: 200000}\n"
    (f,) = found(stated, "FIN060")
    assert f.message == kr(
        "Prognos 2029: ingående eget kapital 300 000 kr är inte vad 2028 lämnar, 100 000 kr "
        "(eget kapital vid årets slut 2028 300 000 kr, varav 200 000 kr (av utrymmet "
        "200 000 kr) antas användas enligt forecast.room_spent); skillnad +200 000 kr"
    )


def test_fin060_no_error_for_equity_of_nothing() -> None:
    text = change(MINIMAL, "{2026: 300000, 2027: 300000", "{2026: 0, 2027: 300000")
    assert [f for f in found(text, "FIN060") if f.severity is Severity.ERROR] == []


# --- FIN080: the reserve kept -------------------------------------------------------------------


def test_fin080_reserve_boundaries() -> None:
    reserve = "amounts: {2026: 100000, 2027: 100000"
    at = change(MINIMAL, reserve, "amounts: {2026: 100000, 2027: 300000")
    assert found(at, "FIN080") == []  # the room is 0
    over = change(MINIMAL, reserve, "amounts: {2026: 100000, 2027: 300001")
    (f,) = found(over, "FIN080")
    assert f.message == kr(
        "Budgetplan 2027: överskottet 300 000 kr räcker inte till reserven 300 001 kr; "
        "1 kr av reserven tas i anspråk"
    )
    assert f.figures == {"surplus": 300_000, "reserve": 300_001}
    place(f, over, "2027: 300001", len("2027: "))
    nothing = change(MINIMAL, "{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1600000")
    (f,) = found(nothing, "FIN080")  # a surplus of exactly nothing keeps no reserve
    assert f.figures == {"surplus": 0, "reserve": 100_000}
    short = change(MINIMAL, "{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1600001")
    assert found(short, "FIN080") == []  # below nothing: FIN020 says so


# --- FIN040: the administration's share -------------------------------------------------------


def test_fin040_at_the_limit_over_it_and_without_costs() -> None:
    assert found(MINIMAL + 'policy:\n  admin_share_max: "25 %"\n', "FIN040") == []
    over = MINIMAL + 'policy:\n  admin_share_max: "24,9 %"\n'
    fins = found(over, "FIN040")
    assert [f.year for f in fins] == ["2026", "2027", "2028", "2029"]
    assert fins[0].message == kr(
        "Budget 2026: administrationen 500 000 kr är 25,0 % av kostnaderna 2 000 000 kr, "
        "över gränsen 25 %"
    )
    assert fins[0].figures == {
        "administration": 500_000,
        "costs": 2_000_000,
        "share": "0.2500",
        "limit": "0.249",
    }
    place(fins[0], over, "administration:")
    free = re.sub(r"(Förbundschef\n      amounts: \{)2026: 500000", r"\g<1>2026: 0", MINIMAL)
    free = change(free, "{2026: 200000, 2027", "{2026: 0, 2027")
    free = change(free, "{2026: 1300000, 2027", "{2026: 0, 2027")
    assert [f.year for f in found(free + 'policy:\n  admin_share_max: "20 %"\n', "FIN040")] == [
        "2027",
        "2028",
        "2029",
    ]  # 2026 has no costs: no share to judge, and no crash


# --- FIN050: budget within the project's period ------------------------------------------------


PERIOD = "{start: 2026-01-01, end: 2029-12-31}"


def test_fin050_a_period_ending_30_or_31_december() -> None:
    last = change(MINIMAL, PERIOD, "{start: 2026-01-01, end: 2028-12-31}")
    assert [(f.year, f.severity) for f in found(last, "FIN050")] == [("2029", Severity.WARNING)]
    early = change(MINIMAL, PERIOD, "{start: 2026-01-01, end: 2028-12-30}")
    info, outside = found(early, "FIN050")
    assert info.message == kr(
        "Prognos 2028: Steget har 1 300 000 kr men perioden slutar 2028-12-30, efter 12 av "
        "årets 12 månader"
    )
    assert info.figures == {"amount": 1_300_000, "months": 12, "end": "2028-12-30"}
    assert info.severity is Severity.INFO
    assert outside.message == kr(
        "Prognos 2029: Steget har 1 200 000 kr men insatsens period är 2026-01-01–2028-12-30; "
        "beloppet förutsätter en förlängning som inte är beslutad"
    )
    assert outside.figures == {"amount": 1_200_000, "start": "2026-01-01", "end": "2028-12-30"}
    place(outside, early, "2029: 1200000", len("2029: "))


def test_fin050_before_the_start_of_an_open_period() -> None:
    text = change(MINIMAL, PERIOD, "{start: 2027-01-01}")
    (f,) = found(text, "FIN050")
    assert f.message == kr(
        "Budget 2026: Steget har 1 300 000 kr men insatsens period är från 2027-01-01; "
        "beloppet förutsätter en förlängning som inte är beslutad"
    )
    assert f.figures == {"amount": 1_300_000, "start": "2027-01-01", "end": None}


def test_fin050_checks_every_activity_and_line_after_one_it_skips() -> None:
    text = change(
        MINIMAL,
        "    - label: Utvärdering av Steget\n",
        "    - id: utv\n      label: Utvärdering av Steget\n",
    )
    text = change(text, "    lines: [steget]\n", "    lines: [utv, steget]\n")
    text = change(text, PERIOD, "{start: 2027-01-01, end: 2028-06-30}")
    text = change(text, "{2026: 1300000, 2027: 1300000", "{2026: 0, 2027: 1300000")
    text = change(
        text,
        "activities:\n",
        "activities:\n  - id: ide\n    kind: projekt\n    title: Idé\n    lines: []\n",
    )
    fins = found(text, "FIN050")
    assert [(f.year, f.severity, f.figures["amount"]) for f in fins] == [
        ("2028", Severity.INFO, 1_300_000),  # 2026 has nothing; the evaluation is not judged
        ("2029", Severity.WARNING, 1_200_000),
    ]
    assert fins[0].figures["months"] == 6


# --- FIN051: projects budget their evaluation ---------------------------------------------------


def test_fin051_every_line_after_an_evaluated_one_and_only_current_years() -> None:
    text = change(
        MINIMAL,
        "activities:\n",
        "    - label: Nytt\n      amounts: {2027: 1}\n"
        "    - id: gammalt\n      label: Gammalt\n      amounts: {2026: 100000}\n"
        "    - id: senare\n      label: Senare\n      amounts: {2029: 5}\n"
        "activities:\n",
    )
    fins = found(text, "FIN051")
    assert [f.message for f in fins] == [
        "Nytt: projektet har ingen budget för utvärdering (ingen rad med evaluates: …)",
        "Senare: projektet har ingen budget för utvärdering (ingen rad med evaluates: senare)",
    ]
    assert [(f.year, f.path) for f in fins] == [
        (None, ("costs", "projekt", 2)),
        (None, ("costs", "projekt", 4)),
    ]
    assert fins[0].severity is Severity.WARNING


# --- FIN070, FIN071, FIN072: horizon and dates ------------------------------------------------


def _without(text: str, year: int) -> str:
    text = change(text, f"  - {{year: {year}, kind: prognos}}\n", "")
    return re.sub(rf",? ?{year}: \d+", "", text)


def test_fin070_the_plan_year_and_the_two_after() -> None:
    text = _without(_without(MINIMAL, 2029), 2028)
    (f,) = found(text, "FIN070")
    assert f.message == (
        "prognos saknas för 2028 och 2029: ekonomin ska planeras för tre år med budgetåret "
        "först (kommunallagen 11 kap. 6 §)"
    )
    assert (f.figures, f.severity) == ({"years": [2028, 2029]}, Severity.WARNING)
    as_plan = change(MINIMAL, "{year: 2028, kind: prognos}", "{year: 2028, kind: budgetplan}")
    assert found(as_plan, "FIN070") == []  # a later year may be a budgetplan too
    no_plan_year = change(MINIMAL, "{year: 2027, kind: budgetplan}", "{year: 2027, kind: prognos}")
    (f,) = found(no_plan_year, "FIN070")
    assert f.message == "kolumnen för budgetåret 2027 (kind: budgetplan) saknas"
    assert f.severity is Severity.ERROR


def test_fin071_adopted_on_the_last_day_or_after() -> None:
    assert found(change(MINIMAL, "adopted: 2026-11-25", "adopted: 2026-11-30"), "FIN071") == []
    (f,) = found(change(MINIMAL, "adopted: 2026-11-25", "adopted: 2026-12-01"), "FIN071")
    assert f.message == "budgeten antas 2026-12-01, efter sista dag 2026-11-30 (23 §)"
    assert (f.severity, f.figures) == (
        Severity.WARNING,
        {"adopted": "2026-12-01", "deadline": "2026-11-30"},
    )
    (f,) = found(change(MINIMAL, "  adopted: 2026-11-25\n", ""), "FIN071")
    assert f.message == (
        "datum för styrelsens beslut saknas (dates.adopted); budgeten ska antas senast "
        "2026-11-30 (23 §)"
    )
    assert (f.severity, f.figures) == (Severity.INFO, {"deadline": "2026-11-30"})


def test_fin072_consultation_before_the_decision() -> None:
    same_day = change(MINIMAL, "consultations: [2026-10-01]", "consultations: [2026-11-25]")
    assert found(same_day, "FIN072") == []
    either = change(MINIMAL, "[2026-10-01]", "[2026-11-26, 2026-10-01]")
    assert found(either, "FIN072") == []  # the first one came before
    late = change(MINIMAL, "consultations: [2026-10-01]", "consultations: [2026-11-26]")
    (f,) = found(late, "FIN072")
    assert f.message == (
        "samrådet 2026-11-26 ligger efter beslutet 2026-11-25; samrådet ska föregå beslutet (23 §)"
    )
    assert f.severity is Severity.WARNING
    (f,) = found(change(MINIMAL, "  consultations: [2026-10-01]\n", ""), "FIN072")
    assert f.message == (
        "inget samråd med medlemmarna angivet (samrad eller dates.consultations); budgeten "
        "antas efter samråd (23 §)"
    )
    assert f.severity is Severity.INFO


def test_fin011_a_paying_member_without_a_line_pays_nothing() -> None:
    text = change(
        MINIMAL,
        "  - label: Region Exempel\n    member: region\n"
        "    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n",
        "",
    )
    fins = [f for f in found(text, "FIN011") if f.year == "2027"]
    assert [f.figures for f in fins] == [
        {"side": "region", "amount": 0, "expected": 500_000, "state": 1_000_000}
    ]
    assert fins[0].message.startswith(kr("Budgetplan 2027: regionen bidrar med 0 kr men"))


def test_fin030_only_a_year_with_contributions_has_a_ceiling() -> None:
    # 2026: no costs, 300 000 equity left; contributions of nothing (no ceiling to judge),
    # then of 1 kr (a ceiling of 0 kr).
    text = change(
        MINIMAL,
        "{2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n  utv",
        "{2027: 500000, 2028: 500000, 2029: 500000}\n  utv",
    )
    text = change(text, "{2026: 200000, 2027", "{2027")
    text = change(text, "{2026: 1300000, 2027", "{2027")
    none = region(
        state(text, "amounts: {2027: 1000000, 2028: 1000000, 2029: 1000000}"),
        "{2027: 500000, 2028: 500000, 2029: 500000}",
    )
    none = municipality(none, "{2027: 500000, 2028: 500000, 2029: 500000}")
    assert [f.year for f in found(none, "FIN030")] == []
    one = state(text, "amounts: {2026: 1, 2027: 1000000, 2028: 1000000, 2029: 1000000}")
    one = region(one, "{2027: 500000, 2028: 500000, 2029: 500000}")
    one = municipality(one, "{2027: 500000, 2028: 500000, 2029: 500000}")
    (f,) = found(one, "FIN030")
    assert (f.year, f.figures["ceiling"], f.figures["equity"]) == ("2026", 0, 300_001)


def test_fin060_the_hint_about_the_room_only_when_there_is_room() -> None:
    newer = change(MINIMAL, "{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 250000")
    reserve = "amounts: {2026: 100000, 2027: 100000"
    no_room = change(newer, reserve, "amounts: {2026: 100000, 2027: 250000")
    f = next(f for f in found(no_room, "FIN060") if f.year == "2028")
    assert f.message.endswith(kr("skillnad +50 000 kr"))
    one = change(newer, reserve, "amounts: {2026: 100000, 2027: 249999")
    f = next(f for f in found(one, "FIN060") if f.year == "2028")
    assert f.message.endswith(
        kr("skillnad +50 000 kr. Antar planen att en del av utrymmet används, ange det i ")
        + "forecast.room_spent"
    )


def test_fin060_without_an_equity_line_points_at_the_income() -> None:
    text = change(
        MINIMAL,
        "  - label: Eget kapital\n    kind: equity\n"
        "    amounts: {2026: 300000, 2027: 300000, 2028: 300000, 2029: 300000}\n",
        "",
    )
    text = change(text, "{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1200000")
    (f,) = found(text, "FIN060")  # 2027 leaves 100 000 that 2028 does not bring in
    assert (f.year, f.path, f.figures["expected"]) == ("2028", ("income",), 100_000)
    place(f, text, "income:")


SAMRAD = """samrad:
  answer_by: 2026-11-25
  answers:
    - {member: af, date: 2026-11-02, answer: comments, comment: "Vi vill\\n  ha   mer"}
    - {member: region, date: 2026-11-25, answer: agrees}
    - {member: kommun, date: 2026-11-24, answer: comments}
"""


def test_fin072_each_members_answer_in_the_samrad() -> None:
    """A member without an answer, one answering on the day of the decision and a last date
    for answers on that day are warnings; comments are information, and a member without an
    answer does not stop the members after it from being checked."""
    text = MINIMAL + SAMRAD
    got = [(f.severity, f.message, f.figures) for f in found(text, "FIN072")]
    assert got == [
        (
            Severity.WARNING,
            "medlemmarna ska svara senast 2026-11-25, inte före beslutet om budgeten 2026-11-25; "
            "samrådet ska föregå beslutet (23 §)",
            {"answer_by": "2026-11-25", "adopted": "2026-11-25"},
        ),
        (
            Severity.WARNING,
            "Försäkringskassan har inget svar i samrådet (samrad.answers); svar begärdes senast "
            "2026-11-25; budgeten antas efter samråd med medlemmarna (23 §)",
            {"member": "fk"},
        ),
        (
            Severity.INFO,
            "Arbetsförmedlingen har synpunkter på förslaget (2026-11-02): Vi vill ha mer",
            {"member": "af"},
        ),
        (
            Severity.WARNING,
            "Region Exempel svarade i samrådet 2026-11-25, inte före beslutet om budgeten "
            "2026-11-25; budgeten antas efter samråd med medlemmarna (23 §)",
            {"member": "region", "answered": "2026-11-25", "adopted": "2026-11-25"},
        ),
        (
            Severity.INFO,
            "Exempels kommun har synpunkter på förslaget (2026-11-24)",
            {"member": "kommun"},
        ),
    ]
    region = found(text, "FIN072")[3]
    place(region, text, "date: 2026-11-25", len("date: "))
    # a day earlier is in time: the last date, the region's answer, and agreeing says nothing
    earlier = change(
        change(text, "answer_by: 2026-11-25", "answer_by: 2026-11-24"),
        "date: 2026-11-25, answer: agrees",
        "date: 2026-11-24, answer: agrees",
    )
    assert [f.figures.get("member") for f in found(earlier, "FIN072")] == ["fk", "af", "kommun"]


def test_fin072_answers_before_any_decision_date() -> None:
    """Without an adoption date nothing is late, and a missing answer is information."""
    text = change(
        MINIMAL + SAMRAD.replace("  answer_by: 2026-11-25\n", ""), "  adopted: 2026-11-25\n", ""
    )
    got = [(f.severity, f.figures.get("member"), f.message) for f in found(text, "FIN072")]
    assert got == [
        (
            Severity.INFO,
            "fk",
            "Försäkringskassan har inget svar i samrådet (samrad.answers); budgeten antas efter "
            "samråd med medlemmarna (23 §)",
        ),
        (
            Severity.INFO,
            "af",
            "Arbetsförmedlingen har synpunkter på förslaget (2026-11-02): Vi vill ha mer",
        ),
        (Severity.INFO, "kommun", "Exempels kommun har synpunkter på förslaget (2026-11-24)"),
    ]
    dated = change(MINIMAL + SAMRAD, "  adopted: 2026-11-25\n", "")
    assert [f.figures.get("member") for f in found(dated, "FIN072")] == ["fk", "af", "kommun"]
