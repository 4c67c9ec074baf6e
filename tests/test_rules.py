"""Each rule on made-up plans: it passes when the figures are right and fails with them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL, PLANS, load, where

from finsamplan.base.findings import Finding, Severity
from finsamplan.judge.rules import BALANCE_SEVERITY, RULES, validate
from finsamplan.plan.loader import load_plan

EXAMPLE = PLANS / "examples" / "exempel-2027.yaml"


def findings(text: str) -> list[Finding]:
    """The findings for a plan text; a rule that crashed (FIN000) fails every test here."""
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    found = validate(loaded)
    assert not [f for f in found if f.code == "FIN000"], [f.message for f in found]
    return found


def codes(text: str) -> list[str]:
    return [f.code for f in findings(text)]


def test_rule_codes_are_unique_and_documented() -> None:
    seen = [r.code for r in RULES]
    assert len(seen) == len(set(seen))
    docs = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text("utf-8")
    for code in seen:
        assert f"`{code}`" in docs, code


def test_example_with_region_and_three_municipalities_passes_fifty_fifty() -> None:
    found = findings(EXAMPLE.read_text("utf-8"))
    assert not [f for f in found if f.severity is Severity.ERROR]
    assert not [f for f in found if f.code in ("FIN010", "FIN011", "FIN012")]


def test_example_fails_fifty_fifty_with_figures_when_a_municipality_pays_too_little() -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "amounts: {2026: 300000, 2027: 310000, 2028: 310000, 2029: 310000}",
        "amounts: {2026: 300000, 2027: 210000, 2028: 310000, 2029: 310000}",
    )
    found = [f for f in findings(text) if f.severity is Severity.ERROR]
    # The municipalities pay 100 000 too little; the region pays its half of the state's
    # 3 100 000 exactly and is not flagged.
    assert [(f.code, f.year) for f in found] == [("FIN010", "2027"), ("FIN011", "2027")]
    fifty = found[0]
    assert fifty.figures == {
        "state": 3_100_000,
        "others": 3_000_000,
        "difference": 100_000,
        "tolerance": 10,
    }
    assert "3\u00a0100\u00a0000" in fifty.message and "3\u00a0000\u00a0000" in fifty.message
    half = found[1]
    assert half.figures == {
        "side": "municipality",
        "amount": 1_450_000,
        "expected": 1_550_000,
        "state": 3_100_000,
    }
    assert "1\u00a0550\u00a0000" in half.message and "−100\u00a0000" in half.message
    line, column = where(text, "2027: 744000")
    assert (half.line, half.column) == (line, column + len("2027: "))


def test_unmatched_state_money_asks_each_side_for_half_the_states_amount() -> None:
    # The state pays 3 600 000, the region and the municipalities 1 500 000 each.
    text = MINIMAL.replace(
        "{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 3600000"
    ).replace("{2026: 500000, 2027: 500000", "{2026: 500000, 2027: 1500000")
    found = [f for f in findings(text) if f.code in ("FIN010", "FIN011") and f.year == "2027"]
    assert [f.code for f in found] == ["FIN010", "FIN011", "FIN011"]
    assert found[0].figures == {
        "state": 3_600_000,
        "others": 3_000_000,
        "difference": 600_000,
        "tolerance": 10,
    }
    assert "Skillnad 600\u00a0000 kr" in found[0].message
    assert [f.figures for f in found[1:]] == [
        {"side": "region", "amount": 1_500_000, "expected": 1_800_000, "state": 3_600_000},
        {"side": "municipality", "amount": 1_500_000, "expected": 1_800_000, "state": 3_600_000},
    ]
    assert all("1\u00a0800\u00a0000 kr" in f.message for f in found[1:])


def test_an_odd_state_amount_gives_the_region_the_extra_krona() -> None:
    text = MINIMAL.replace("{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 1000001")
    text += "policy:\n  contribution_tolerance: 0\n"
    found = [f for f in findings(text) if f.code == "FIN011"]
    assert [(f.figures["side"], f.figures["expected"]) for f in found] == [("region", 500_001)]


def test_fifty_fifty_boundary_is_the_tolerance() -> None:
    at = MINIMAL.replace("{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 1000020")
    assert "FIN010" not in codes(at)  # difference 20: each side 10 kr from half = tolerance
    past = MINIMAL.replace("{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 1000021")
    found = [f for f in findings(past) if f.code == "FIN010"]
    assert [(f.year, f.figures["difference"]) for f in found] == [("2027", 21)]
    # the same tolerance in FIN011: the region (target 500 011) is 11 kr off, the
    # municipality (target 500 010) 10 kr
    fin011 = [
        (f.figures["side"], f.figures["expected"]) for f in findings(past) if f.code == "FIN011"
    ]
    assert fin011 == [("region", 500_011)]


def test_region_share_wrong_but_total_halves_right() -> None:
    text = MINIMAL.replace(
        "    member: region\n    amounts: {2026: 500000, 2027: 500000",
        "    member: region\n    amounts: {2026: 500000, 2027: 600000",
    ).replace(
        "    member: kommun\n    amounts: {2026: 500000, 2027: 500000",
        "    member: kommun\n    amounts: {2026: 500000, 2027: 400000",
    )
    found = [f for f in findings(text) if f.code in ("FIN010", "FIN011")]
    assert [(f.code, f.figures.get("side"), f.figures.get("amount")) for f in found] == [
        ("FIN011", "region", 600_000),
        ("FIN011", "municipality", 400_000),
    ]
    assert {f.figures["expected"] for f in found} == {500_000}
    assert "regionen bidrar med 600\u00a0000 kr" in found[0].message
    assert "(skillnad +100\u00a0000 kr, tolerans 10 kr)" in found[0].message
    assert "kommunerna bidrar med 400\u00a0000 kr" in found[1].message
    assert "(skillnad \u2212100\u00a0000 kr, tolerans 10 kr)" in found[1].message


def test_tolerance_from_policy() -> None:
    text = MINIMAL.replace("{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 1000011")
    assert "FIN010" not in codes(text)
    text2 = text + "policy:\n  contribution_tolerance: 5\n"
    found = [f for f in findings(text2) if f.code in ("FIN010", "FIN011")]
    assert [(f.code, f.year, f.figures) for f in found] == [
        (
            "FIN010",
            "2027",
            {"state": 1_000_011, "others": 1_000_000, "difference": 11, "tolerance": 5},
        ),
        (
            "FIN011",
            "2027",
            {"side": "region", "amount": 500_000, "expected": 500_006, "state": 1_000_011},
        ),
    ]  # the state is 5,5 kr from half the total and the region 6 kr from half the state's
    # amount (the odd krona is the region's), both past 5 kr; the municipalities 5 kr: within


def test_gotland_pays_half_as_municipality_without_region() -> None:
    loaded = load_plan(PLANS / "plan-2023.yaml")
    found = validate(loaded)
    assert not [f for f in found if f.code.startswith("FIN01") or f.code == "FIN000"]
    from finsamplan.figures.budget import compute

    assert loaded.plan is not None
    totals = compute(loaded.plan).totals
    # The seed's table: Försäkringskassan and Region Gotland pay the same each year (5 a §).
    for key, amount in {"2022": 2_162_000, "2023": 2_157_000, "2024": 2_130_000}.items():
        assert totals[key].by_side == {"state": amount, "municipality_without_region": amount}
        assert totals[key].by_member == {"fk": amount, "rg": amount}


def test_balanced_budget_error_and_equity_drawn_per_year() -> None:
    text = MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1700000")
    found = {f.code: f for f in findings(text) if f.year == "2027"}
    assert found["FIN020"].severity is Severity.ERROR
    assert found["FIN020"].figures == {
        "costs": 2_400_000,
        "available": 2_300_000,
        "shortfall": 100_000,
    }
    text = MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1400000")
    found = {f.code: f for f in findings(text) if f.year == "2027"}
    assert "FIN020" not in found
    # The plan year's budget: kommunallagen 11 kap. 5 § says "ska"; prognos years warn too,
    # budgets already adopted are information.
    assert found["FIN021"].severity is BALANCE_SEVERITY
    assert found["FIN021"].figures["drawn"] == 100_000
    assert "11 kap. 5 § första stycket ska budgeten upprättas" in found["FIN021"].message
    text = MINIMAL.replace(
        "2026: 1300000, 2027: 1300000, 2028: 1300000", "2026: 1400000, 2027: 1300000, 2028: 1400000"
    )
    by_year = {f.year: f.severity for f in findings(text) if f.code == "FIN021"}
    assert by_year == {"2026": Severity.INFO, "2028": Severity.WARNING}


def test_equity_ceiling_staircase() -> None:
    # 2027: contributions 2 000 000, closing equity 300 000 = 15 %: under 20 %, over 10 %.
    assert "FIN030" not in codes(MINIMAL)
    stair = MINIMAL + (
        'policy:\n  equity_ceiling:\n    - {up_to: 1000000, share: "30 %"}\n    - {share: "10 %"}\n'
    )
    found = [f for f in findings(stair) if f.code == "FIN030"]
    assert [f.year for f in found] == ["2026", "2027", "2028", "2029"]
    assert found[1].figures == {
        "equity": 300_000,
        "ceiling": 200_000,
        "over": 100_000,
        "contributions": 2_000_000,
        "share": "0.1",
    }
    assert found[1].message.startswith(
        "Budgetplan 2027: eget kapital vid årets slut 300\u00a0000 kr överstiger taket "
        "200\u00a0000 kr (10\u00a0% av medlemsbidragen 2\u00a0000\u00a0000 kr) med 100\u00a0000 kr;"
    )
    stair2 = MINIMAL + (
        'policy:\n  equity_ceiling:\n    - {up_to: 3000000, share: "30 %"}\n    - {share: "10 %"}\n'
    )
    assert "FIN030" not in codes(stair2)


def test_equity_staircase_must_be_ordered() -> None:
    text = MINIMAL + (
        'policy:\n  equity_ceiling:\n    - {share: "30 %"}\n    - {up_to: 10, share: "10 %"}\n'
    )
    loaded = load(text)
    assert [f.code for f in loaded.findings] == ["REF006", "REF006"]


def test_admin_share_limit_from_policy() -> None:
    # administration 500 000 of 2 000 000 = 25 %
    assert "FIN040" not in codes(MINIMAL)
    found = [
        f for f in findings(MINIMAL + 'policy:\n  admin_share_max: "20 %"\n') if f.code == "FIN040"
    ]
    assert len(found) == 4
    assert found[0].figures == {
        "administration": 500_000,
        "costs": 2_000_000,
        "share": "0.2500",
        "limit": "0.2",
    }
    assert found[0].message == (
        "Budget 2026: administrationen 500\u00a0000 kr är 25,0\u00a0% av kostnaderna "
        "2\u00a0000\u00a0000 kr, över gränsen 20\u00a0%"
    )


def test_budget_outside_project_period_and_missing_evaluation() -> None:
    text = MINIMAL.replace(
        "{start: 2026-01-01, end: 2029-12-31}", "{start: 2026-01-01, end: 2028-06-30}"
    )
    found = [f for f in findings(text) if f.code == "FIN050"]
    assert [(f.year, f.severity) for f in found] == [
        ("2028", Severity.INFO),
        ("2029", Severity.WARNING),
    ]
    assert [f.figures for f in found] == [
        {"amount": 1_300_000, "months": 6, "end": "2028-06-30"},
        {"amount": 1_200_000, "start": "2026-01-01", "end": "2028-06-30"},
    ]
    assert found[0].message == (
        "Prognos 2028: Steget har 1\u00a0300\u00a0000 kr men perioden slutar 2028-06-30, "
        "efter 6 av årets 12 månader"
    )
    assert found[1].message.startswith(
        "Prognos 2029: Steget har 1\u00a0200\u00a0000 kr men insatsens period är "
        "2026-01-01–2028-06-30;"
    )
    no_eval = MINIMAL.replace("      evaluates: steget\n", "")
    found = [f for f in findings(no_eval) if f.code == "FIN051"]
    assert [f.message.split(":")[0] for f in found] == ["Steget", "Utvärdering av Steget"]


def test_equity_continuity() -> None:
    # MINIMAL: every year leaves 300 000 (2 300 000 − 2 000 000) and the next brings it in.
    assert "FIN060" not in codes(MINIMAL)
    # Last year's budget (2026) may differ from what 2027 brings in: information.
    newer = MINIMAL.replace("{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 250000")
    found = [f for f in findings(newer) if f.code == "FIN060"]
    assert [(f.year, f.severity) for f in found] == [
        ("2027", Severity.INFO),
        ("2028", Severity.WARNING),  # 2027 now leaves 250 000, but 2028 brings 300 000
    ]
    assert found[0].figures == {
        "brought": 250_000,
        "expected": 300_000,
        "closing": 300_000,
        "spent": 0,
    }
    assert found[1].figures == {
        "brought": 300_000,
        "expected": 250_000,
        "closing": 250_000,
        "spent": 0,
    }
    line, column = where(newer, "2027: 250000")
    assert (found[0].line, found[0].column) == (line, column + len("2027: "))


def test_equity_continuity_with_the_room_stated_spent() -> None:
    # Each year leaves 300 000 with a reserve of 100 000: a room of 200 000, half stated
    # spent. The statement concerns budget figures: last year's budget (2026) too, where a
    # difference is information (the books may say otherwise by now).
    text = MINIMAL + 'forecast:\n  room_spent: "50 %"\n'
    found = [f for f in findings(text) if f.code == "FIN060"]
    stated = {"brought": 300_000, "expected": 200_000, "closing": 300_000, "spent": 100_000}
    assert [(f.year, f.severity, f.figures) for f in found] == [
        ("2027", Severity.INFO, stated),
        ("2028", Severity.WARNING, stated),
        ("2029", Severity.WARNING, stated),
    ]
    assert "varav 100\u00a0000 kr (50\u00a0% av utrymmet 200\u00a0000 kr)" in found[1].message
    per_year = MINIMAL + "forecast:\n  room_spent: {2027: 0, 2028: 200000}\n"
    found = [f for f in findings(per_year) if f.code == "FIN060"]
    assert [(f.year, f.figures["expected"]) for f in found] == [("2029", 100_000)]


def test_negative_equity_is_an_error_with_its_year() -> None:
    text = MINIMAL.replace(
        "{2026: 300000, 2027: 300000, 2028: 300000", "{2026: 300000, 2027: 300000, 2028: -50000"
    )
    found = [f for f in findings(text) if f.code == "FIN060" and f.severity is Severity.ERROR]
    assert [(f.year, f.figures) for f in found] == [("2028", {"equity": -50_000})]
    assert "negativt, −50\u00a0000 kr" in found[0].message and "22 §" in found[0].message
    # 2028 then ends below zero (FIN020); carried exactly, 2029 starts there: an error for
    # 2029 too, and no discontinuity.
    carried = text.replace("2028: -50000, 2029: 300000", "2028: -50000, 2029: -50000")
    found = [f for f in findings(carried) if f.code in ("FIN020", "FIN060")]
    assert [(f.code, f.year, f.severity) for f in found] == [
        ("FIN020", "2028", Severity.ERROR),
        ("FIN020", "2029", Severity.ERROR),
        ("FIN060", "2028", Severity.ERROR),
        ("FIN060", "2028", Severity.WARNING),  # 2027 leaves 300 000, not −50 000
        ("FIN060", "2029", Severity.ERROR),
    ]


def test_only_equity_may_be_negative() -> None:
    text = MINIMAL.replace("{2026: 500000, 2027: 500000", "{2026: 500000, 2027: -500000")
    loaded = load(text)
    assert loaded.plan is None
    assert any("bara eget kapital" in f.message for f in loaded.findings)


def test_horizon_and_dates() -> None:
    text = MINIMAL.replace("  - {year: 2029, kind: prognos}\n", "").replace(", 2029: 500000}", "}")
    text = text.replace(", 2029: 1000000}", "}").replace(", 2029: 300000}", "}")
    text = text.replace(", 2029: 100000}", "}").replace(", 2029: 200000}", "}")
    text = text.replace(", 2029: 1200000}", "}").replace("{2029: 100000}", "{}")
    found = {f.code: f for f in findings(text)}
    assert found["FIN070"].message.startswith("prognos saknas för 2029:")
    assert found["FIN070"].figures == {"years": [2029]}
    late = MINIMAL.replace("adopted: 2026-11-25", "adopted: 2026-12-03")
    found = {f.code: f for f in findings(late)}
    assert found["FIN071"].severity is Severity.WARNING
    assert found["FIN071"].message == (
        "budgeten antas 2026-12-03, efter sista dag 2026-11-30 (23 §)"
    )
    assert found["FIN071"].figures == {"adopted": "2026-12-03", "deadline": "2026-11-30"}
    after = MINIMAL.replace("consultations: [2026-10-01]", "consultations: [2026-11-28]")
    (f,) = [f for f in findings(after) if f.code == "FIN072"]
    assert f.message == (
        "samrådet 2026-11-28 ligger efter beslutet 2026-11-25; samrådet ska föregå beslutet (23 §)"
    )


def test_a_crashing_rule_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from finsamplan.judge import rules

    def broken(ctx: object) -> list[Finding]:
        raise RuntimeError("boom")

    monkeypatch.setattr(
        rules, "RULES", [*rules.RULES, rules.Rule("FIN999", Severity.ERROR, "test", broken)]
    )
    found = validate(load(MINIMAL))
    assert [f.code for f in found] == ["FIN000"]
    assert "FIN999" in found[0].message


def test_each_rule_is_also_a_function_of_its_module() -> None:
    """Scripts call a rule by name (``rules.fifty_fifty(ctx)``): registering keeps it."""
    import sys

    assert [getattr(sys.modules[r.fn.__module__], r.fn.__name__) for r in RULES] == [
        r.fn for r in RULES
    ]
    assert [r.code for r in RULES][:3] == ["FIN010", "FIN011", "FIN012"]
