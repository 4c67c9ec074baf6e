"""Every CSV finsamplan writes opens by double-click in a Swedish Excel; ``--csv tidy`` keeps
the machine form.

The client is LibreOffice Calc importing the file the way a Swedish Excel does (semicolon,
UTF-8, Swedish locale: ``calc.SWEDISH_CSV``); the workbook it saves is read with openpyxl,
so each assertion is about what the person sees: every amount a number in its column, the
labels in Swedish with å, ä and ö intact, parts and notes as rows of their own.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from calc import SWEDISH_CSV, soffice
from conftest import MINIMAL, PLANS, SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures.budget import compute, summary_names, total_title
from finsamplan.plan.loader import load_plan
from finsamplan.render.cells import GuardedCsv
from finsamplan.year.forecast import project

runner = CliRunner()
NORDANA = PLANS / "examples" / "nordana-2027.yaml"
BOM = b"\xef\xbb\xbf"


def opened(files: list[Path], tmp_path: Path) -> list[list[list[Any]]]:
    """Each CSV as the rows of the sheet LibreOffice makes of it (Swedish import)."""
    made = soffice(files, "xlsx", tmp_path / "calc", SWEDISH_CSV)
    out = []
    for path in made:
        ws = openpyxl.load_workbook(path).active
        out.append([[c.value for c in row] for row in ws.iter_rows()])
    return out


def cli_bytes(args: list[str]) -> bytes:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


@pytest.fixture(scope="module")
def seed() -> Any:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded


def test_budget_csv_opens_in_a_swedish_excel(seed: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", "plan-2023", "-f", "csv", "-o", str(out)]).exit_code == 0
    data = (out / "budget.csv").read_bytes()
    assert data.startswith(BOM + "Tabell;Rad;Del;Typ;".encode("ascii")) and b"\r\n" in data
    (rows,) = opened([out / "budget.csv"], tmp_path)
    budget = compute(seed.plan)
    keys = budget.keys()
    head, *body = rows
    assert head == ["Tabell", "Rad", "Del", "Typ", *(c.title for c in budget.columns)]
    by_label = {(r[1], r[2] or "", r[3]): r[4:] for r in body}

    # Every line and each of its parts: a number in the column of its year.
    for table in budget.tables:
        for line in table.rows:
            # A column with a note and no amount is empty; the note is on the row below.
            want = [
                None if k in line.notes and not line.amounts[k] else line.amounts[k] for k in keys
            ]
            assert by_label[(line.label, "", "Budgetrad")] == want
            for part in line.parts:
                assert by_label[(line.label, part.label, "Del")] == [part.amounts[k] for k in keys]
        assert by_label[(table.total_label, "", "Summa")] == [table.total[k] for k in keys]
    assert all(isinstance(v, int) for r in body if r[3] != "Anmärkning" for v in r[4:] if v)

    # Inköpta tjänster has its parts; Språkstöd its note under 2024, as the seed prints it.
    assert by_label[("Inköpta tjänster", "Ekonomi", "Del")] == [100000] * 4
    assert by_label[("Inköpta tjänster", "lönehantering", "Del")] == [6000] * 4
    note = by_label[("Språkstöd 2022", "", "Anmärkning")]
    assert note[keys.index("2024")] == "Om insatsen förlängs"

    # The summary in the plan's own Swedish words, å, ä and ö intact; no English ids.
    labels = seed.plan.labels
    t = [budget.totals[k] for k in keys]
    assert by_label[(labels.text("room"), "", "Summa")] == [x.room for x in t]
    assert by_label[(labels.text("surplus"), "", "Summa")] == [x.surplus for x in t]
    assert by_label[(labels.text("reserve"), "", "Budgetrad")] == [x.reserve for x in t]
    assert by_label[("TOTALT: Intäkter och kapital", "", "Summa")] == [x.available for x in t]
    assert labels.text("surplus") == "Överskott: eget kapital vid årets slut"
    assert any(r[1] == "Försäkringskassan" for r in body)
    texts = {v for r in rows for v in r if isinstance(v, str)}
    assert not texts & {"room", "surplus", "totals", "income", "avgift-fk", "administration"}


def test_invoice_csv_has_decimal_commas_and_dates(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["render", str(NORDANA), "-f", "fakturaunderlag", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    assert "922606,25" in (out / "fakturaunderlag.csv").read_text("utf-8-sig")
    (rows,) = opened([out / "fakturaunderlag.csv"], tmp_path)
    head, *body = rows
    assert head[:6] == ["Medlem", "Sida", "Kolumn", "År", "Avgift", "Sidans del"]
    alvby = next(r for r in body if r[0] == "Älvby kommun" and r[3] == 2027)
    row = dict(zip(head, alvby, strict=True))
    assert row["Sida"] == "Kommunerna" and row["Kolumn"] == "Budgetplan 2027"
    assert row["Avgift"] == 922606 and row["Sidans del"] == 2065000
    assert row["Nyckel: invånare"] == 41230
    assert row["Nyckel: datum"] == datetime(2025, 11, 1)  # a date, not text
    assert row["Andel av sidans del"] == pytest.approx(41230 / 92282, abs=1e-10)
    assert row["Exakt belopp"] == pytest.approx(922606.25)  # the decimal comma read as one
    assert row["Avrundning"] == "nedåt"
    fk = next(r for r in body if r[0] == "Försäkringskassan" and r[3] == 2027)
    assert fk[4] == 4130000 and fk[1] == "Staten"


def test_forecast_and_compare_csv_open_in_a_swedish_excel(seed: Any, tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    forecast = tmp_path / "in" / "prognos.csv"
    forecast.write_bytes(cli_bytes(["forecast", "plan-2023", "-f", "csv"]))
    comparison = tmp_path / "in" / "jamforelse.csv"
    comparison.write_bytes(cli_bytes(["compare", "plan-2023", "-f", "csv"]))
    assert forecast.read_bytes().startswith(BOM) and comparison.read_bytes().startswith(BOM)
    rows, compared = opened([forecast, comparison], tmp_path)

    result = project(seed.plan, "plan-2023")
    years = result.years
    head, *body = rows
    assert head == ["Tabell", "Rad", "Del", "Typ", "Prognos 2024", "Prognos 2025", "Källa"]
    plan = result.budget.plan
    for name in summary_names(plan):
        row = next(r for r in body if r[1] == total_title(plan, name))
        assert row[4:6] == [result.budget.totals[y].get(name) for y in years], name
    admin = result.budget.table("administration")
    index, line = next((i, r) for i, r in enumerate(admin.rows) if r.label == "Inköpta tjänster")
    part = line.parts[0]
    ekonomi = next(r for r in body if r[2] == "Ekonomi")
    assert ekonomi[3] == "Del" and ekonomi[4:6] == [part.amounts[y] for y in years]
    key = ("costs", "administration", line.id or str(index), "0")
    assert ekonomi[6] == result.source_summary(key)  # the source of the part's figures
    assert ekonomi[6]
    figures = [v for r in body if r[3] in ("Budgetrad", "Del", "Summa") for v in r[4:6]]
    assert all(isinstance(v, int) for v in figures if v is not None)
    notes = {r[1]: r[4:6] for r in body if r[3] == "Anmärkning"}
    assert notes["Språkstöd 2022"] == ["Om insatsen förlängs", None]  # the plan's 2024 note

    head, first, empty, *stats = compared
    assert head[:5] == ["Förbund", "Plan", "År", "Medlemsavgifter", "Statens andel (%)"]
    row = dict(zip(head, first, strict=True))
    assert row["Förbund"] == "Samordningsförbundet FinsamGotland" and row["År"] == 2023
    assert row["Medlemsavgifter"] == 4314000
    assert row["Administration (%)"] == pytest.approx(36.52)  # 1 909 780 / 5 229 780
    assert row["Statens andel (%)"] == pytest.approx(50)
    assert not any(empty)
    assert [s[0] for s in stats] == ["Median", "Lägst", "Högst"]
    assert stats[0][3] == 4314000


def test_text_with_separators_quotes_and_letters_stays_in_its_cell(tmp_path: Path) -> None:
    amounts = "{2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}"
    text = MINIMAL.replace(
        f"    - label: Förbundschef\n      amounts: {amounts}",
        "    - label: 'Chef; \"förbund\" & ÅÄÖ'\n"
        "      parts:\n"
        "        - label: Lön, år 1\n"
        "          amounts: {2026: 400000, 2027: 400000, 2028: 400000, 2029: 400000}\n"
        "        - label: Övrigt\n"
        "          amounts: {2026: 100000, 2027: 100000, 2028: 100000, 2029: 100000}",
    )
    assert "Chef;" in text
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(plan), "-f", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (rows,) = opened([out / "budget.csv"], tmp_path)
    parts = [r for r in rows if r[3] == "Del"]
    assert [r[1:] for r in parts] == [
        ['Chef; "förbund" & ÅÄÖ', "Lön, år 1", "Del", 400000, 400000, 400000, 400000],
        ['Chef; "förbund" & ÅÄÖ', "Övrigt", "Del", 100000, 100000, 100000, 100000],
    ]


def test_tidy_keeps_the_machine_form(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["render", "plan-2023", "-f", "csv", "-f", "fakturaunderlag", "--csv", "tidy"]
    assert runner.invoke(app, [*args, "-o", str(out)]).exit_code == 0
    budget = (out / "budget.csv").read_bytes()
    assert budget.startswith(b"plan,table,row,label,column,year,kind,amount\n")
    assert b"\r" not in budget and BOM not in budget
    rows = list(csv.DictReader(io.StringIO(budget.decode("utf-8"))))
    room = [r for r in rows if r["table"] == "totals" and r["row"] == "room"]
    assert [r["amount"] for r in room] == ["1233509", "317729", "144020", "44020"]
    invoice = (out / "fakturaunderlag.csv").read_bytes()
    assert invoice.startswith(b"plan,member,name,side,column,year,kind,amount,side_total,")
    forecast = cli_bytes(["forecast", "plan-2023", "-f", "csv", "--csv", "tidy"])
    assert forecast.startswith(b"plan,scenario,table,row,label,year,amount,source_rule,")
    compared = cli_bytes(["compare", "plan-2023", "-f", "csv", "--csv", "tidy"])
    assert compared.startswith(b"plan,forbund,year,contributions,state_share,")
    assert b"0.3652" in compared and BOM not in forecast + compared


def test_a_wrong_dialect_is_a_usage_error() -> None:
    result = runner.invoke(app, ["render", "plan-2023", "-f", "csv", "--csv", "semikolon"])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        "Fel: ogiltigt värde för '--csv': 'semikolon' är inte ett av 'excel', 'tidy'"
    )


def test_the_writer_spells_values_by_dialect() -> None:
    for dialect, want in (
        ("excel", "\ufefftext;12;0,25;2025-11-01;;'=1\r\n"),
        ("tidy", "text,12,0.25,2025-11-01,,'=1\n"),
    ):
        writer = GuardedCsv(dialect)
        writer.writerow(["text", 12, Decimal("0.25"), date(2025, 11, 1), None, "=1"])
        assert writer.getvalue().decode("utf-8") == want
    with pytest.raises(TypeError):
        GuardedCsv().writerow([0.1])
