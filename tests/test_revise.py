"""Budget revisions: the board's decisions during the year, the revised column, the rules on
them (FIN100–FIN102), `finsamplan revise`, and the follow-up against the revised budget.

The plan is the minimal one with ids on its lines and two decisions; every figure below is
worked out by hand from it (adopted 2027: income 2 000 000, equity 300 000, costs 2 000 000,
reserve 100 000, room 200 000).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL, load
from typer.testing import CliRunner

from finsamplan.base.findings import Finding, Severity
from finsamplan.cli import app
from finsamplan.figures.actuals import load_actuals
from finsamplan.figures.revisions import revise
from finsamplan.judge.rules import validate
from finsamplan.plan.model import Plan
from finsamplan.year.followup import followup

runner = CliRunner()

WITH_IDS = (
    MINIMAL.replace(
        "  - label: Försäkringskassan\n", "  - id: avgift-fk\n    label: Försäkringskassan\n"
    )
    .replace("  - label: Eget kapital\n", "  - id: ek\n    label: Eget kapital\n")
    .replace("    - label: Förbundschef\n", "    - id: chef\n      label: Förbundschef\n")
    .replace("    - label: Utbildningar\n", "    - id: utb\n      label: Utbildningar\n")
)
DECISIONS = """\
revisions:
  - date: 2027-03-10
    reference: "§ 5, protokoll 2027-03-10"
    text: Eget kapital enligt bokslutet 2026; fler utbildningar.
    changes:
      - {line: ek, amount: 450000, note: bokslut 2026}
      - {line: utb, change: 100000, financing: equity}
  - date: 2027-06-01
    reference: "§ 21"
    changes:
      - {line: chef, amount: 550000, financing: room}
"""
MAPPING = """\
actuals:
  mapping:
    - {account: "3010", line: avgift-fk}
    - {account: "7010", line: chef}
    - {account: "4010", line: utb}
    - {account: "4020", line: steget}
"""
REVISED = WITH_IDS + DECISIONS + MAPPING


def plan_of(text: str) -> Plan:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return loaded.plan


def findings(text: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return validate(loaded)


def sp(text: str) -> str:
    """Text with its no-break spaces (between thousands) as plain spaces, to compare."""
    return text.replace("\u00a0", " ")


def write(tmp_path: Path, text: str, name: str = "plan-2027.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


# --- the revised column --------------------------------------------------------------------


def test_revised_column_applies_the_decisions_in_order() -> None:
    revised = revise(plan_of(REVISED))
    assert revised is not None
    assert revised.key == "2027-reviderad" and revised.column.kind == "reviderad_budget"
    assert [c.key for c in revised.plan.columns] == [
        "2026",
        "2027",
        "2027-reviderad",
        "2028",
        "2029",
    ]
    first, second = revised.steps
    assert [(e.change.line, e.before, e.after, e.spends) for e in first.effects] == [
        ("ek", 300_000, 450_000, 0),  # more equity brought in frees money
        ("utb", 200_000, 300_000, 100_000),
    ]
    assert [(e.change.line, e.before, e.after, e.spends) for e in second.effects] == [
        ("chef", 500_000, 550_000, 50_000)
    ]
    # room: 200 000 adopted; + 150 000 equity − 100 000 = 250 000; − 50 000 = 200 000
    assert (first.before.room, first.after.room, second.after.room) == (200_000, 250_000, 200_000)
    t = revised.budget.totals["2027-reviderad"]
    assert (t.equity, t.costs, t.surplus, t.room) == (450_000, 2_150_000, 300_000, 200_000)
    adopted = revised.budget.totals["2027"]
    assert (adopted.equity, adopted.costs, adopted.room) == (300_000, 2_000_000, 200_000)


def test_a_line_with_parts_keeps_them_and_gets_the_change_as_a_part() -> None:
    text = WITH_IDS.replace(
        "    - id: chef\n      label: Förbundschef\n"
        "      amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n",
        "    - id: chef\n      label: Förbundschef\n      parts:\n"
        "        - {label: Lön, amounts: {2027: 400000}}\n"
        "        - {label: Resor, amounts: {2027: 100000}}\n",
    ) + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        "      - {line: chef, amount: 470000}\n"
    )
    revised = revise(plan_of(text))
    assert revised is not None
    row = revised.budget.table("administration").rows[0]
    assert row.amounts["2027"] == 500_000 and row.amounts["2027-reviderad"] == 470_000
    assert [(p.label, p.amounts["2027-reviderad"]) for p in row.parts] == [
        ("Lön", 400_000),
        ("Resor", 100_000),
        ("Ändring enligt beslut § 3", -30_000),
    ]


def test_a_plan_without_decisions_has_no_revised_budget() -> None:
    assert revise(plan_of(MINIMAL)) is None


# --- the rules ------------------------------------------------------------------------------


def test_well_financed_decisions_give_no_decision_findings() -> None:
    found = findings(REVISED)
    assert not [f for f in found if f.code in ("FIN100", "FIN101")]
    # the revised budget draws 150 000 on equity: FIN021 on the revised column, at the last
    # decision (line of "  - date: 2027-06-01")
    fin021 = [f for f in found if f.code == "FIN021" and f.year == "2027-reviderad"]
    assert len(fin021) == 1
    assert sp(fin021[0].message).startswith("Reviderad budget 2027: kostnaderna 2 150 000 kr")
    assert fin021[0].figures["drawn"] == 150_000
    assert fin021[0].line == REVISED.splitlines().index("  - date: 2027-06-01") + 1


def test_spending_without_financing_is_an_error_with_the_line_and_amount() -> None:
    text = REVISED.replace(
        "{line: utb, change: 100000, financing: equity}", "{line: utb, change: 100000}"
    )
    fin100 = [f for f in findings(text) if f.code == "FIN100"]
    assert len(fin100) == 1
    f = fin100[0]
    assert f.severity is Severity.ERROR
    assert f.figures == {"line": "utb", "spends": 100_000, "before": 200_000, "after": 300_000}
    assert "Beslut 2027-03-10 (§ 5, protokoll 2027-03-10): Utbildningar höjs med 100 000 kr" in sp(
        f.message
    )
    assert "kommunallagen 11 kap. 15 §, genom lag (2003:1210) 21 §" in f.message
    assert f.line == text.splitlines().index("      - {line: utb, change: 100000}") + 1


def test_lower_income_needs_financing_too_but_lower_costs_do_not() -> None:
    text = WITH_IDS + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        "      - {line: avgift-fk, change: -50000}\n"
        "      - {line: chef, change: -20000}\n"
    )
    fin100 = [f for f in findings(text) if f.code == "FIN100"]
    assert [(f.figures["line"], f.figures["spends"]) for f in fin100] == [("avgift-fk", 50_000)]
    assert "Försäkringskassan sänks med 50 000 kr (1 000 000 → 950 000 kr)" in sp(fin100[0].message)


def test_a_change_that_makes_a_line_negative_is_an_error() -> None:
    text = WITH_IDS + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        '      - {line: utb, change: "−250 000"}\n'
    )
    fin100 = [f for f in findings(text) if f.code == "FIN100"]
    assert [(f.figures["before"], f.figures["after"]) for f in fin100] == [(200_000, -50_000)]
    assert "Utbildningar blir −50 000 kr" in sp(fin100[0].message)


def test_income_financing_needs_the_income_in_the_same_decision() -> None:
    text = WITH_IDS.replace(
        "  - id: ek\n",
        "  - {id: esf, label: ESF-medel, kind: other}\n  - id: ek\n",
    ) + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        "      - {line: esf, change: 120000}\n"
        "      - {line: steget, change: 200000, financing: income}\n"
    )
    fin101 = [f for f in findings(text) if f.code == "FIN101"]
    assert len(fin101) == 1
    assert fin101[0].figures == {"wanted": 200_000, "added": 120_000, "missing": 80_000}
    assert "200 000 kr ska finansieras med nya intäkter, men beslutet tillför 120 000 kr" in sp(
        fin101[0].message
    )
    covered = text.replace("change: 120000}", "change: 200000}")
    assert not [f for f in findings(covered) if f.code in ("FIN100", "FIN101")]


def test_room_financing_beyond_the_room_takes_the_reserve() -> None:
    # room 200 000 before; chef +250 000 from the room leaves −50 000: the reserve (100 000)
    # covers it, and FIN080 says the reserve is used on the revised column
    text = WITH_IDS + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        "      - {line: chef, change: 250000, financing: room}\n"
    )
    found = findings(text)
    fin101 = [f for f in found if f.code == "FIN101"]
    assert [f.figures for f in fin101] == [
        {"from_room": 250_000, "room_before": 200_000, "reserve_used": 50_000}
    ]
    assert "50 000 kr tas därmed av reserven (100 000 kr)" in sp(fin101[0].message)
    assert sorted(f.code for f in found if f.year == "2027-reviderad") == ["FIN021", "FIN080"]
    # financed by equity instead: no FIN101, the reserve use still shown (FIN080)
    as_equity = text.replace("financing: room", "financing: equity")
    assert not [f for f in findings(as_equity) if f.code == "FIN101"]


def test_a_revised_budget_beyond_the_means_is_fin020() -> None:
    text = WITH_IDS + (
        "revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n"
        "      - {line: steget, change: 400000, financing: equity}\n"
    )
    fin020 = [f for f in findings(text) if f.code == "FIN020"]
    assert [(f.year, f.figures["shortfall"]) for f in fin020] == [("2027-reviderad", 100_000)]
    assert fin020[0].severity is Severity.ERROR


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        ("{line: personal, change: 1000, financing: room}", "'personal' är ingen rad med id"),
        ("{line: chef, amount: 1000, change: 5}", "ange antingen amount"),
    ],
)
def test_bad_decisions_are_located_file_errors(change: str, needle: str) -> None:
    text = WITH_IDS + (
        f"revisions:\n  - date: 2027-05-01\n    reference: '§ 3'\n    changes:\n      - {change}\n"
    )
    loaded = load(text)
    assert loaded.plan is None
    assert any(needle in f.message and f.line is not None for f in loaded.findings), [
        f.as_line() for f in loaded.findings
    ]


def test_decision_dates_must_follow_adoption_be_in_the_year_and_in_order() -> None:
    def refs(dates: tuple[str, str]) -> list[str]:
        text = (
            WITH_IDS
            + "revisions:\n"
            + "".join(
                f"  - date: {d}\n    reference: '§ {i}'\n    changes:\n"
                "      - {line: chef, change: -1000}\n"
                for i, d in enumerate(dates)
            )
        )
        return [f.message for f in load(text).findings if f.code == "REF020"]

    assert refs(("2027-02-01", "2027-03-01")) == []
    assert refs(("2026-12-10", "2027-03-01")) == []  # after adoption (2026-11-25), before the year
    assert "före beslutet om budgeten (2026-11-25)" in refs(("2026-11-01", "2027-03-01"))[0]
    assert "efter planåret 2027" in refs(("2027-02-01", "2028-01-10"))[0]
    assert "datumordning" in refs(("2027-05-01", "2027-03-01"))[0]


def test_a_typed_revised_column_for_the_plan_year_conflicts_with_decisions() -> None:
    text = REVISED.replace(
        "  - {year: 2027, kind: budgetplan}\n",
        "  - {year: 2027, kind: budgetplan}\n  - {year: 2027, kind: reviderad_budget, id: rev}\n",
    )
    assert any(
        f.code == "REF020" and "räknar fram den reviderade budgeten" in f.message
        for f in load(text).findings
    )


# --- finsamplan revise ---------------------------------------------------------------------


def test_revise_prints_each_decision_and_both_budgets(tmp_path: Path) -> None:
    result = runner.invoke(app, ["revise", str(write(tmp_path, REVISED))])
    assert result.exit_code == 0, result.output
    out = sp(result.output)
    assert "Reviderad budget 2027: Samordningsförbundet Exempel (plan-2027), 2 beslut" in out
    assert "2027-03-10: § 5, protokoll 2027-03-10" in out
    assert "utrymme 200 000 → 250 000 kr" in out and "utrymme 250 000 → 200 000 kr" in out
    assert "Antagen budget 2027" in out and "Reviderad budget 2027" in out
    assert "FIN021" in out  # the revised budget draws on equity


def test_revise_exits_one_for_an_unfinanced_decision(tmp_path: Path) -> None:
    text = REVISED.replace(", financing: room}", "}")
    result = runner.invoke(app, ["revise", str(write(tmp_path, text))])
    assert result.exit_code == 1
    assert "FIN100" in result.output


def test_revise_without_decisions_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["revise", str(write(tmp_path, MINIMAL))])
    assert result.exit_code == 2
    assert "har inga beslut under året (revisions:)" in result.output


def test_revise_json_and_markdown(tmp_path: Path) -> None:
    path = write(tmp_path, REVISED)
    result = runner.invoke(app, ["revise", str(path), "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [c["id"] for c in data["columns"]] == ["2027", "2027-reviderad"]
    assert data["totals"]["room"] == {"2027": 200_000, "2027-reviderad": 200_000}
    assert data["totals"]["costs"] == {"2027": 2_000_000, "2027-reviderad": 2_150_000}
    assert [d["reference"] for d in data["decisions"]] == ["§ 5, protokoll 2027-03-10", "§ 21"]
    assert data["decisions"][0]["changes"][1] == {
        "line": "utb",
        "label": "Utbildningar",
        "before": 200_000,
        "after": 300_000,
        "change": 100_000,
        "spends": 100_000,
        "financing": "equity",
    }
    out = tmp_path / "ut"
    result = runner.invoke(app, ["revise", str(path), "-f", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    md = sp((out / "reviderad-budget-2027.md").read_text("utf-8"))
    assert "| Utbildningar | 200 000 | 300 000 | +100 000 | eget kapital |" in md
    assert "| Eget kapital | 300 000 | 450 000 | +150 000 | – (bokslut 2026) |" in md
    assert "| **Summa kostnader** | **2 000 000** | **2 150 000** |" in md


def test_revise_xlsx_recalculated_by_libreoffice(tmp_path: Path) -> None:
    from test_fakturaunderlag import libreoffice

    out = tmp_path / "ut"
    result = runner.invoke(
        app, ["revise", str(write(tmp_path, REVISED)), "-f", "xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    (recalculated,) = libreoffice([out / "reviderad-budget-2027.xlsx"], tmp_path)
    ws = openpyxl.load_workbook(recalculated, data_only=True).worksheets[0]
    rows = {r[0].value: [c.value for c in r[1:3]] for r in ws.iter_rows() if r[0].value}
    assert rows["Summa kostnader"] == [2_000_000, 2_150_000]
    assert rows["Utbildningar"] == [200_000, 300_000]


# --- the follow-up against the revised budget ----------------------------------------------


def export(tmp_path: Path) -> Path:
    """January–June 2027: salaries 50 000 a month, training 150 000, Steget 650 000, and
    half of Försäkringskassan's contribution."""
    rows = ["Datum;Konto;Ansvar;Text;Belopp"]
    rows += [f"2027-{m:02d}-25;7010;ADM;Lön;50 000,00" for m in range(1, 7)]
    rows += [
        "2027-01-15;3010;;Försäkringskassan;-500 000,00",
        "2027-01-20;4020;;Steget;650 000,00",
        "2027-04-15;4010;;Utbildning;150 000,00",
    ]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


def test_followup_compares_with_the_revised_budget_and_keeps_the_adopted(tmp_path: Path) -> None:
    plan = plan_of(REVISED)
    imported = load_actuals(export(tmp_path), plan.actuals)
    fu = followup(plan, imported, "plan-2027", date(2027, 6, 30))
    assert fu.baseline == "revised" and fu.revised and len(fu.decisions) == 2
    lines = {ln.id: ln for ln in fu.lines}
    chef, utb = lines["chef"], lines["utb"]
    # chef: revised 550 000, half the year expected 275 000, forecast 300 000 + 275 000
    assert (chef.adopted, chef.revised, chef.budget) == (500_000, 550_000, 550_000)
    assert (chef.actual, chef.expected, chef.forecast, chef.deviation) == (
        300_000,
        275_000,
        575_000,
        25_000,
    )
    assert (utb.adopted, utb.revised, utb.forecast, utb.deviation) == (200_000, 300_000, 300_000, 0)
    assert fu.equity_in == 450_000  # the equity the revised budget brings in
    assert fu.elapsed == Decimal(6)

    adopted = followup(plan, imported, "plan-2027", date(2027, 6, 30), "adopted")
    lines = {ln.id: ln for ln in adopted.lines}
    assert adopted.baseline == "adopted" and adopted.revised
    assert (lines["chef"].budget, lines["chef"].forecast, lines["chef"].deviation) == (
        500_000,
        550_000,
        50_000,
    )
    assert (lines["utb"].budget, lines["utb"].deviation) == (200_000, 50_000)
    assert adopted.equity_in == 300_000


def test_followup_command_shows_both_budgets(tmp_path: Path) -> None:
    path = write(tmp_path, REVISED)
    csv = export(tmp_path)
    until = ["--until", "2027-06-30"]
    result = runner.invoke(app, ["followup", str(path), "-a", str(csv), *until, "-f", "md"])
    assert result.exit_code in (0, 1), result.output
    md = sp(result.stdout)
    assert "jämförs med den **reviderade budgeten**" in md
    assert "- 2027-03-10 (§ 5, protokoll 2027-03-10): Eget kapital enligt bokslutet 2026" in md
    assert (
        "| Rad | Antagen budget | Reviderad budget | Utfall | Förbrukat | Väntat hittills "
        "| Prognos helår | Avvikelse (+ = mer än budget) |"
    ) in md
    assert "| Förbundschef | 500 000 | 550 000 | 300 000 |" in md
    result = runner.invoke(
        app, ["followup", str(path), "-a", str(csv), *until, "-f", "json", "--baseline", "adopted"]
    )
    data = json.loads(result.stdout)
    chef = next(ln for ln in data["lines"] if ln["id"] == "chef")
    assert data["baseline"] == "adopted"
    assert (chef["budget"], chef["adopted"], chef["revised"], chef["deviation"]) == (
        500_000,
        500_000,
        550_000,
        50_000,
    )


def test_followup_without_decisions_is_unchanged(tmp_path: Path) -> None:
    plan = plan_of(WITH_IDS + MAPPING)
    fu = followup(plan, load_actuals(export(tmp_path), plan.actuals), "p", date(2027, 6, 30))
    assert fu.baseline == "adopted" and not fu.revised
    assert all(ln.revised is None and ln.adopted == ln.budget for ln in fu.lines)


def test_followup_in_word_shows_both_budgets(tmp_path: Path) -> None:
    import docx

    path, csv = write(tmp_path, REVISED), export(tmp_path)
    out = tmp_path / "ut"
    args = ["followup", str(path), "-a", str(csv), "--until", "2027-06-30", "-f", "docx"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    document = docx.Document(str(out / "uppfoljning-2027-06-30.docx"))
    table = next(t for t in document.tables if t.rows[1].cells[0].text == "Förbundschef")
    assert [c.text for c in table.rows[0].cells][:4] == [
        "Rad",
        "Antagen budget",
        "Reviderad budget",
        "Utfall",
    ]
    assert [sp(c.text) for c in table.rows[1].cells] == [
        "Förbundschef",
        "500 000",
        "550 000",
        "300 000",
        "54,5 %",
        "275 000",
        "575 000",
        "+25 000",
    ]
