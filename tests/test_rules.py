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
    loaded = load(text)
    assert loaded.plan is not None, [f.format() for f in loaded.findings]
    return validate(loaded)


def codes(text: str) -> list[str]:
    return [f.code for f in findings(text)]


def test_rule_codes_are_unique_and_documented() -> None:
    seen = [r.code for r in RULES]
    assert len(seen) == len(set(seen))
    docs = (Path(__file__).resolve().parents[1] / "docs" / "rules.md").read_text("utf-8")
    for code in seen:
        assert f"`{code}`" in docs, code


def test_example_with_region_and_three_municipalities_passes_fifty_fifty() -> None:
    found = validate(load_plan(EXAMPLE))
    assert not [f for f in found if f.severity is Severity.ERROR]
    assert not [f for f in found if f.code in ("FIN010", "FIN011", "FIN012")]


def test_example_fails_fifty_fifty_with_figures_when_a_municipality_pays_too_little() -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "amounts: {2026: 300000, 2027: 310000, 2028: 310000, 2029: 310000}",
        "amounts: {2026: 300000, 2027: 210000, 2028: 310000, 2029: 310000}",
    )
    found = [f for f in findings(text) if f.severity is Severity.ERROR]
    # The municipalities pay 100 000 too little, so the region's share is off too.
    assert [(f.code, f.year) for f in found] == [
        ("FIN010", "2027"),
        ("FIN011", "2027"),
        ("FIN011", "2027"),
    ]
    fifty = found[0]
    assert fifty.figures == {
        "state": 3_100_000,
        "others": 3_000_000,
        "difference": 100_000,
        "tolerance": 10,
    }
    assert "3\u00a0100\u00a0000" in fifty.message and "3\u00a0000\u00a0000" in fifty.message
    assert found[1].figures == {
        "side": "region",
        "amount": 1_550_000,
        "expected": 1_525_000,
        "total": 6_100_000,
    }
    quarter = found[2]
    assert quarter.figures == {
        "side": "municipality",
        "amount": 1_450_000,
        "expected": 1_525_000,
        "total": 6_100_000,
    }
    line, column = where(text, "2027: 744000")
    assert (quarter.line, quarter.column) == (line, column + len("2027: "))


def test_region_share_wrong_but_total_halves_right() -> None:
    text = MINIMAL.replace(
        "    member: region\n    amounts: {2026: 500000, 2027: 500000",
        "    member: region\n    amounts: {2026: 500000, 2027: 600000",
    ).replace(
        "    member: kommun\n    amounts: {2026: 500000, 2027: 500000",
        "    member: kommun\n    amounts: {2026: 500000, 2027: 400000",
    )
    found = [f for f in findings(text) if f.code == "FIN011"]
    assert [(f.figures["side"], f.figures["amount"], f.figures["expected"]) for f in found] == [
        ("region", 600_000, 500_000),
        ("municipality", 400_000, 500_000),
    ]


def test_tolerance_from_policy() -> None:
    text = MINIMAL.replace("{2026: 1000000, 2027: 1000000", "{2026: 1000000, 2027: 1000008")
    assert "FIN010" not in codes(text)
    text2 = text + "policy:\n  contribution_tolerance: 5\n"
    assert "FIN010" in codes(text2)


def test_gotland_pays_half_as_municipality_without_region() -> None:
    found = validate(load_plan(PLANS / "plan-2023.yaml"))
    assert not [f for f in found if f.code.startswith("FIN01")]


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
    assert found[1].figures["ceiling"] == 200_000 and found[1].figures["over"] == 100_000
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
    assert found[0].figures["share"] == "0.2500"
    assert "25,0\u00a0%" in found[0].message


def test_budget_outside_project_period_and_missing_evaluation() -> None:
    text = MINIMAL.replace(
        "{start: 2026-01-01, end: 2029-12-31}", "{start: 2026-01-01, end: 2028-06-30}"
    )
    found = [f for f in findings(text) if f.code == "FIN050"]
    assert [(f.year, f.severity) for f in found] == [
        ("2028", Severity.INFO),
        ("2029", Severity.WARNING),
    ]
    assert found[0].figures["months"] == 6
    no_eval = MINIMAL.replace("      evaluates: steget\n", "")
    found = [f for f in findings(no_eval) if f.code == "FIN051"]
    assert [f.message.split(":")[0] for f in found] == ["Steget", "Utvärdering av Steget"]


def test_equity_continuity() -> None:
    # 2026 leaves surplus 300 000 (2 300 000 − 2 000 000), reserve 100 000.
    ok = MINIMAL.replace("{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 100000")
    assert [f.year for f in findings(ok) if f.code == "FIN060"] == ["2028"]
    too_much = MINIMAL.replace("{2026: 300000, 2027: 300000", "{2026: 300000, 2027: 400000")
    found = [f for f in findings(too_much) if f.code == "FIN060"]
    assert len(found) == 1
    assert found[0].figures == {"brought": 400_000, "reserve": 100_000, "surplus": 300_000}
    line, column = where(too_much, "2027: 400000")
    assert (found[0].line, found[0].column) == (line, column + len("2027: "))


def test_horizon_and_dates() -> None:
    text = MINIMAL.replace("  - {year: 2029, kind: prognos}\n", "").replace(", 2029: 500000}", "}")
    text = text.replace(", 2029: 1000000}", "}").replace(", 2029: 300000}", "}")
    text = text.replace(", 2029: 100000}", "}").replace(", 2029: 200000}", "}")
    text = text.replace(", 2029: 1200000}", "}").replace("{2029: 100000}", "{}")
    found = {f.code: f for f in findings(text)}
    assert "prognos saknas för 2029" in found["FIN070"].message
    late = MINIMAL.replace("adopted: 2026-11-25", "adopted: 2026-12-03")
    found = {f.code: f for f in findings(late)}
    assert found["FIN071"].severity is Severity.WARNING
    assert "2026-11-30" in found["FIN071"].message
    after = MINIMAL.replace("consultations: [2026-10-01]", "consultations: [2026-11-28]")
    assert "FIN072" in codes(after)


def test_a_crashing_rule_becomes_a_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    from finsamplan.judge import rules

    def broken(ctx: object) -> list[Finding]:
        raise RuntimeError("boom")

    monkeypatch.setattr(
        rules, "RULES", [*rules.RULES, rules.Rule("FIN999", Severity.ERROR, "test", broken)]
    )
    found = findings(MINIMAL)
    assert [f.code for f in found] == ["FIN000"]
    assert "FIN999" in found[0].message
