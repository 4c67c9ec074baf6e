"""Year-end close: a made-up year 2027 built here as CSV and as SIE 4, closed by `close`.

The ledger (by hand): contributions 1 000 000 + 500 000 + 500 000 (credit), salaries
12 × 41 000 = 492 000, training 180 000, Steget 1 250 000, interest income −1 234,56 on
account 8310 (no plan line: unmapped, a cost with its sign, rounded once: −1 235), and rows on
the bank account 1930, which are balance and no part of the result. Income 2 000 000, costs
492 000 + 180 000 + 1 250 000 − 1 235 = 1 920 765, result 79 235. With the opening equity
310 000 the closing equity is 389 235; the budget's is 300 000 (income 2 000 000 and costs
2 000 000), the ceiling 20 % of 2 000 000 = 400 000.
"""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINIMAL, load, need_tool
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan
from finsamplan.year import close as core
from finsamplan.year.closing import ClosedYear, ClosingError, closed_equity, closing_path

runner = CliRunner()

PLAN = (
    MINIMAL.replace(
        "  - label: Försäkringskassan\n", "  - id: avgift-fk\n    label: Försäkringskassan\n"
    )
    .replace("  - label: Region Exempel\n", "  - id: avgift-region\n    label: Region Exempel\n")
    .replace("  - label: Exempels kommun\n", "  - id: avgift-kommun\n    label: Exempels kommun\n")
    .replace("  - label: Eget kapital\n", "  - id: ek\n    label: Eget kapital\n")
    .replace("    - label: Förbundschef\n", "    - id: chef\n      label: Förbundschef\n")
    .replace("    - label: Utbildningar\n", "    - id: utb\n      label: Utbildningar\n")
    + """\
actuals:
  mapping:
    - {account: "3010", line: avgift-fk}
    - {account: "3020", line: avgift-region}
    - {account: "3030", line: avgift-kommun}
    - {account: "7010", line: chef}
    - {account: "4010", line: utb}
    - {account: "4020", line: steget}
"""
)
DECISIONS = """\
revisions:
  - date: 2027-03-10
    reference: "§ 5"
    changes:
      - {line: ek, amount: 450000}
      - {line: utb, change: 150000, financing: equity}
"""


def sp(text: str) -> str:
    return text.replace("\u00a0", " ")


def plan_of(text: str = PLAN) -> Plan:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return loaded.plan


def csv_export(tmp_path: Path, december: bool = True) -> Path:
    rows = ["Datum;Konto;Ansvar;Text;Belopp"]
    for q in (1, 4, 7, 10):
        rows.append(f"2027-{q:02d}-15;3010;;Försäkringskassan kvartal;-250 000,00")
    rows.append("2027-01-20;3020;;Region Exempel;-500 000,00")
    rows.append("2027-01-20;3030;;Exempels kommun;-500 000,00")
    months = range(1, 13) if december else range(1, 12)
    rows += [f"2027-{m:02d}-25;7010;ADM;Lön;41 000,00" for m in months]
    if not december:
        rows.append("2027-11-26;7010;ADM;Lön december i förskott;41 000,00")
    rows += [
        "2027-05-12;4010;;Utbildning;180 000,00",
        "2027-03-01;4020;;Steget;1 250 000,00",
        "2027-06-30;8310;;Ränteintäkter;-1 234,56",
        "2027-06-30;1930;;Bank, överföring;500 000,00",
    ]
    path = tmp_path / "huvudbok-2027.csv"
    path.write_text("\n".join(rows) + "\n", "utf-8")
    return path


def sie_export(tmp_path: Path, closing: str | None, booked: bool = False) -> Path:
    """The same year as SIE 4, every verification against the bank (1930); the equity
    account 2091 opens at −310 000 (credit: equity 310 000)."""
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#FNAMN "Samordningsforbundet Exempel"',
        "#RAR 0 20270101 20271231",
        '#KONTO 1930 "Bank"',
        '#KONTO 2091 "Balanserat resultat"',
        '#KONTO 2099 "Arets resultat"',
        "#IB 0 1930 310000.00",
        "#IB 0 2091 -310000.00",
    ]
    if closing is not None:
        lines.append(f"#UB 0 2091 {closing}")
    vouchers = [
        ("20270115", "3010", "-1000000.00"),
        ("20270120", "3020", "-500000.00"),
        ("20270120", "3030", "-500000.00"),
        ("20271225", "7010", "492000.00"),
        ("20270512", "4010", "180000.00"),
        ("20270301", "4020", "1250000.00"),
        ("20271231", "8310", "-1234.56"),
    ]
    for n, (day, account, amount) in enumerate(vouchers, start=1):
        bank = -float(amount)
        lines += [
            f'#VER A {n} {day} "Verifikation {n}"',
            "{",
            f"   #TRANS {account} {{}} {amount}",
            f"   #TRANS 1930 {{}} {bank:.2f}",
            "}",
        ]
    if booked:  # the year's result booked against equity: 8999 / 2099
        lines += [
            '#VER B 1 20271231 "Arets resultat"',
            "{",
            "   #TRANS 8999 {} 79235.00",
            "   #TRANS 2099 {} -79235.00",
            "}",
        ]
    path = tmp_path / "bokslut-2027.se"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    return path


def closed(plan: Plan, export: Path, **kwargs: object) -> core.Close:
    return core.close(plan, core.read_export(export, plan.actuals), "plan-2027", **kwargs)  # type: ignore[arg-type]


# --- the figures ----------------------------------------------------------------------------


def test_result_and_closing_equity_from_a_csv_export(tmp_path: Path) -> None:
    c = closed(plan_of(), csv_export(tmp_path), opening_equity=310_000)
    assert (c.income, c.costs, c.result) == (2_000_000, 1_920_765, 79_235)
    assert c.followup.unmapped_actual == -1_235
    assert (c.opening_equity, c.opening_source, c.closing_equity) == (310_000, "option", 389_235)
    assert (c.budget_income, c.budget_costs, c.budget_result) == (2_000_000, 2_000_000, 0)
    assert (c.budget_opening, c.budget_closing, c.ceiling) == (300_000, 300_000, 400_000)
    # the bank row is balance, kept apart from the result, and still in the reconciliation
    balance = next(b for b in c.followup.reconciliation.buckets if b.key == "balance")
    assert (balance.rows, str(balance.amount)) == (1, "500000.00")
    assert [w.code for w in c.warnings] == ["UPP030"]  # the interest row has no plan line
    lines = {ln.id: (ln.budget, ln.actual) for ln in c.followup.lines}
    assert lines["chef"] == (500_000, 492_000) and lines["steget"] == (1_300_000, 1_250_000)


def test_the_paragraph_for_the_forvaltningsberattelse(tmp_path: Path) -> None:
    c = closed(plan_of(), csv_export(tmp_path), opening_equity=310_000)
    assert sp(core.paragraph(c)) == (
        "Förbundets intäkter 2027 uppgick till 2 000 000 kr (2 000 000 kr enligt budgeten) och "
        "kostnaderna till 1 920 765 kr (2 000 000 kr). Årets resultat blev ett överskott på "
        "79 235 kr, mot budgeterat ett nollresultat. Eget kapital vid årets slut uppgick till "
        "389 235 kr (310 000 kr vid årets början), att jämföra med 300 000 kr enligt budgeten. "
        "Taket för eget kapital är 400 000 kr (20 % av medlemsbidragen); eget kapital är "
        "10 765 kr under taket."
    )


def test_without_a_known_opening_equity_the_budgets_is_used_and_said(tmp_path: Path) -> None:
    c = closed(plan_of(), csv_export(tmp_path))
    assert (c.opening_equity, c.opening_source, c.closing_equity) == (300_000, "budget", 379_235)
    bok010 = next(w for w in c.warnings if w.code == "BOK010")
    assert "ingående eget kapital 300 000 kr är budgetens, inte bokslutets" in sp(bok010.message)


def test_a_revised_budget_is_the_one_compared_with(tmp_path: Path) -> None:
    c = closed(plan_of(PLAN + DECISIONS), csv_export(tmp_path))
    assert c.followup.baseline == "revised"
    assert (c.budget_costs, c.budget_opening, c.opening_equity) == (2_150_000, 450_000, 450_000)
    assert "enligt den reviderade budgeten" in core.paragraph(c)
    adopted = closed(plan_of(PLAN + DECISIONS), csv_export(tmp_path), baseline="adopted")
    assert (adopted.budget_costs, adopted.opening_equity) == (2_000_000, 300_000)


def test_sie_gives_the_opening_equity_and_checks_the_closing(tmp_path: Path) -> None:
    booked = closed(plan_of(), sie_export(tmp_path, "-389235.00", booked=True))
    assert (booked.opening_source, booked.opening_equity) == ("sie", 310_000)
    assert (booked.result, booked.closing_equity, booked.ledger_equity) == (
        79_235,
        389_235,
        389_235,
    )
    assert not [w for w in booked.warnings if w.code.startswith("BOK")]
    # the 8999 booking is not a cost: it is kept apart like the balance rows
    rec = booked.followup.reconciliation
    assert [r.account for r in rec.unmapped] == ["8310"]
    assert sorted({r.account for r in rec.balance}) == ["1930", "2099", "8999"]

    unbooked = closed(plan_of(), sie_export(tmp_path, "-310000.00"))
    bok020 = next(w for w in unbooked.warnings if w.code == "BOK020")
    assert bok020.severity.value == "info"
    assert "årets resultat är ännu inte bokfört mot eget kapital" in bok020.message

    wrong = closed(plan_of(), sie_export(tmp_path, "-400000.00"))
    bok020 = next(w for w in wrong.warnings if w.code == "BOK020")
    assert bok020.severity.value == "warning"
    assert bok020.figures == {"ledger": 400_000, "closing_equity": 389_235, "difference": 10_765}

    none = closed(plan_of(), sie_export(tmp_path, None))
    assert none.ledger_equity is None and not [w for w in none.warnings if w.code == "BOK020"]


def test_the_totals_are_summed_in_ore_and_rounded_once(tmp_path: Path) -> None:
    """Training 180 000,50 and Steget 1 250 000,50: line by line they round up to 180 001 and
    1 250 001 (costs 1 920 767), but the ledger holds 1 920 766,44, rounded once 1 920 766;
    the result 79 234 and the closing equity 389 234 agree with #UB −389 233,56: no BOK020."""
    path = sie_export(tmp_path, "-389233.56")
    text = path.read_bytes().replace(b"180000.00", b"180000.50")
    path.write_bytes(text.replace(b"1250000.00", b"1250000.50"))
    c = closed(plan_of(), path)
    assert sum(g.actual for g in c.followup.groups[1:]) + c.followup.unmapped_actual == 1_920_767
    assert (c.income, c.costs, c.result) == (2_000_000, 1_920_766, 79_234)
    assert (c.closing_equity, c.ledger_equity) == (389_234, 389_234)
    assert not [w for w in c.warnings if w.code == "BOK020"]


def test_over_the_ceiling_negative_equity_and_a_missing_december(tmp_path: Path) -> None:
    over = closed(plan_of(), csv_export(tmp_path), opening_equity=350_000)
    bok030 = next(w for w in over.warnings if w.code == "BOK030")
    assert bok030.figures == {"equity": 429_235, "ceiling": 400_000}
    negative = closed(plan_of(), csv_export(tmp_path), opening_equity=-100_000)
    bok040 = next(w for w in negative.warnings if w.code == "BOK040")
    assert bok040.severity.value == "error" and bok040.figures == {"equity": -20_765}
    short = closed(plan_of(), csv_export(tmp_path, december=False), opening_equity=310_000)
    assert [w.figures for w in short.warnings if w.code == "BOK050"] == [{"last": "2027-11-26"}]


# --- the command ---------------------------------------------------------------------------


def write_plan(tmp_path: Path, text: str = PLAN) -> Path:
    path = tmp_path / "plan-2027.yaml"
    path.write_text(text, "utf-8")
    return path


def test_close_prints_the_summary_and_exits_zero(tmp_path: Path) -> None:
    plan, export = write_plan(tmp_path), csv_export(tmp_path)
    result = runner.invoke(
        app, ["close", str(plan), "-a", str(export), "--opening-equity", "310 000"]
    )
    assert result.exit_code == 0, result.output
    out = " ".join(sp(result.output).split())
    assert "Bokslut 2027: Samordningsförbundet Exempel (plan-2027)" in out
    assert "ingående eget kapital angivet med --opening-equity" in out
    assert "Årets resultat blev ett överskott på 79 235 kr" in out


@pytest.mark.parametrize("value", ["12,5", "1e6", "x" * 100])
def test_a_bad_opening_equity_is_a_usage_error(tmp_path: Path, value: str) -> None:
    plan, export = write_plan(tmp_path), csv_export(tmp_path)
    result = runner.invoke(app, ["close", str(plan), "-a", str(export), "--opening-equity", value])
    assert result.exit_code == 2
    assert "--opening-equity" in result.output and "Traceback" not in result.output


def test_close_with_negative_equity_exits_one(tmp_path: Path) -> None:
    plan, export = write_plan(tmp_path), csv_export(tmp_path)
    result = runner.invoke(
        app, ["close", str(plan), "-a", str(export), "--opening-equity", "-100000"]
    )
    assert result.exit_code == 1 and "BOK040" in result.output


class _Cells(HTMLParser):
    """The text of each table row of one table, by the table's id."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id, self.inside, self.rows = table_id, False, []  # type: ignore[var-annotated]
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(sp("".join(self.cell)).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_close_documents_md_html_pdf_json(tmp_path: Path) -> None:
    plan, export, out = write_plan(tmp_path), csv_export(tmp_path), tmp_path / "ut"
    args = ["close", str(plan), "-a", str(export), "--opening-equity", "310000", "-o", str(out)]
    result = runner.invoke(app, [*args, "-f", "md", "-f", "html", "-f", "pdf", "-f", "json"])
    assert result.exit_code == 0, result.output
    md = sp((out / "bokslut-2027.md").read_text("utf-8"))
    assert "| Ekonomiskt utfall 2027 | Budget 2027 | Utfall 2027 | Avvikelse |" in md
    assert "| **Årets resultat** | **0** | **79 235** | **79 235** |" in md
    assert "| Omappade rader, netto | 0 | −1 235 | −1 235 |" in md
    assert "| **Eget kapital vid årets slut** | **300 000** | **389 235** | **89 235** |" in md

    parser = _Cells("tabell-bokslut")
    parser.feed((out / "bokslut-2027.html").read_text("utf-8"))
    rows = {r[0]: r[1:] for r in parser.rows}
    assert rows["Summa kostnader"] == ["2 000 000", "1 920 765", "−79 235"]
    assert rows["Tak för eget kapital"] == ["400 000", "–", "–"]

    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", str(out / "bokslut-2027.pdf"), "-"], capture_output=True, text=True
    ).stdout
    flat = " ".join(sp(text).split())
    assert "Förvaltningsberättelse: ekonomiskt utfall 2027" in flat
    assert "Årets resultat blev ett överskott på 79 235 kr" in flat

    data = json.loads((out / "bokslut-2027.json").read_text("utf-8"))
    assert {k: data[k] for k in ("income", "costs", "result", "closing_equity")} == {
        "income": 2_000_000,
        "costs": 1_920_765,
        "result": 79_235,
        "closing_equity": 389_235,
    }
    assert data["budget"] == {
        "income": 2_000_000,
        "costs": 2_000_000,
        "result": 0,
        "opening_equity": 300_000,
        "closing_equity": 300_000,
    }
    assert data["paragraph"] == core.paragraph(closed(plan_of(), export, opening_equity=310_000))


# --- the record of the close ---------------------------------------------------------------


def test_write_records_the_close_beside_the_plan_and_never_overwrites(tmp_path: Path) -> None:
    plan, export = write_plan(tmp_path), csv_export(tmp_path)
    before = plan.read_bytes()
    args = ["close", str(plan), "-a", str(export), "--opening-equity", "310000", "--write"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    record = closing_path(plan)
    assert record == tmp_path / "plan-2027.bokslut.json"
    assert plan.read_bytes() == before  # the plan file is never touched
    found = closed_equity(plan)
    assert isinstance(found, ClosedYear)
    assert (found.plan, found.year, found.equity, found.opening_equity, found.result) == (
        "plan-2027",
        2027,
        389_235,
        310_000,
        79_235,
    )
    assert found.opening_source == "option" and found.source == "huvudbok-2027.csv"
    stored = json.loads(record.read_text("utf-8"))
    # the file name the figures came from, never the folder (the user's home) it lay in
    assert (stored["generator"], stored["export"]) == ("finsamplan close", "huvudbok-2027.csv")
    assert str(tmp_path) not in record.read_text("utf-8")

    again = runner.invoke(app, [*args[:-3], "--opening-equity", "320000", "--write"])
    assert again.exit_code == 2 and "finns redan" in again.output
    assert closed_equity(plan).equity == 389_235  # type: ignore[union-attr]
    forced = runner.invoke(app, [*args[:-3], "--opening-equity", "320000", "--write", "--force"])
    assert forced.exit_code == 0
    assert closed_equity(plan).equity == 399_235  # type: ignore[union-attr]
    # validate still finds one plan in the folder: the record is not a plan file
    listed = runner.invoke(app, ["validate", str(tmp_path)])
    assert "1 planfil" in listed.output


def test_a_year_not_closed_has_no_record(tmp_path: Path) -> None:
    assert closed_equity(write_plan(tmp_path)) is None


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ("{", "ingen giltig JSON"),
        ('{"format": 1}', "plan"),
        (
            '{"format": 1, "plan": "p", "year": 2027, "closing_equity": 5, "opening_equity": 1, '
            '"opening_source": "sie", "result": 3, "income": 3, "costs": 0, '
            '"closed_on": "2028-02-01"}',
            "closing_equity 5 är inte opening_equity 1 + result 3",
        ),
        (
            '{"format": 1, "plan": "p", "year": 2027, "closing_equity": 4, "opening_equity": 1, '
            '"opening_source": "sie", "result": 3, "income": 3, "costs": 0, '
            '"closed_on": "2028-02-01", "extra": 1}',
            "extra",
        ),
    ],
)
def test_a_broken_record_is_a_located_error(tmp_path: Path, content: str, needle: str) -> None:
    plan = write_plan(tmp_path)
    closing_path(plan).write_text(content, "utf-8")
    with pytest.raises(ClosingError) as exc:
        closed_equity(plan)
    assert exc.value.finding.code == "BOK001"
    assert exc.value.finding.file == str(closing_path(plan))
    assert needle in exc.value.finding.message


def test_a_hand_written_record_is_read(tmp_path: Path) -> None:
    plan = tmp_path / "plan-2026.yaml"
    closing_path(plan).write_text(
        '{"format": 1, "plan": "plan-2026", "year": 2026, "closing_equity": 1300000, '
        '"opening_equity": 1000000, "opening_source": "budget", "result": 300000, '
        '"income": 2300000, "costs": 2000000, "closed_on": "2027-02-15"}',
        "utf-8",
    )
    found = closed_equity(plan)
    assert found is not None
    assert (found.year, found.equity, found.source, str(found.date)) == (
        2026,
        1_300_000,
        "",
        "2027-02-15",
    )


def test_new_starts_from_the_closed_books(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After `close --write`, `new --from` brings in the real closing equity (389 235), and
    says so on the terminal and in the new file's header; a given --opening-equity wins."""
    plan, export = write_plan(tmp_path), csv_export(tmp_path)
    args = ["close", str(plan), "-a", str(export), "--opening-equity", "310000", "--write"]
    assert runner.invoke(app, args).exit_code == 0
    monkeypatch.chdir(tmp_path)
    made = runner.invoke(app, ["new", "plan-2028", "--from", str(plan)])
    assert made.exit_code == 0, made.output
    assert "ingående eget kapital: bokslutet för 2027" in " ".join(made.output.split())
    new = load_plan(tmp_path / "plan-2028.yaml").plan  # next to the plan it was made from
    assert new is not None
    equity = next(line for line in new.income if line.kind == "equity")
    assert equity.amounts["2028"] == 389_235
    assert new.revisions == [] and new.samrad.answers == []
    given = runner.invoke(
        app, ["new", "plan-2028b", "--from", str(plan), "--opening-equity", "400000"]
    )
    assert given.exit_code == 0, given.output
    assert "angivet med --opening-equity" in " ".join(given.output.split())
