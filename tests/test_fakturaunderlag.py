"""The made-up six-municipality förbund with a population key, in every output format.

Each member's contribution is worked out here by hand (the table below, with the working in
comments) and checked again by a few lines of exact arithmetic in this file; neither calls
finsamplan's split. Every format is read back by the client a person would use: the
terminal text, Markdown, Chromium for HTML, pdftotext for PDF, LibreOffice for XLSX and CSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
from fractions import Fraction
from math import floor
from pathlib import Path

import openpyxl
import pytest
from conftest import PLANS, need_tool
from typer.testing import CliRunner

from finsamplan.cli import app

EXAMPLE = PLANS / "examples" / "nordana-2027.yaml"
runner = CliRunner()

POPULATION = {  # invånare 16–64 år 2025-11-01, as in the plan file; together 92 282
    "alvby": 41230,
    "granhult": 18764,
    "mossebo": 9811,
    "norrfjall": 6402,
    "sjotorp": 12957,
    "bjorkeda": 3118,
}
NAMES = {
    "fk": "Försäkringskassan",
    "region": "Region Nordanland",
    "alvby": "Älvby kommun",
    "granhult": "Granhults kommun",
    "mossebo": "Mossebo kommun",
    "norrfjall": "Norrfjälls kommun",
    "sjotorp": "Sjötorps kommun",
    "bjorkeda": "Björkeda kommun",
}
# By hand. The state's allocation is in the plan; the region and the municipalities pay half
# of it each. 2027: 4 130 000 → 2 065 000 each. Älvby 2 065 000 × 41 230 / 92 282 =
# 922 606,25; Granhult 419 883,18; Mossebo 219 541,35; Norrfjäll 143 257,95; Sjötorp
# 289 939,59; Björkeda 69 771,68. Whole kronor: 2 064 997, so three kronor go to the
# largest remainders: Norrfjäll (0,95), Björkeda (0,68), Sjötorp (0,59).
# 2028 and 2029: 4 171 300 → 2 085 650. Quotas 931 832,31; 424 082,02; 221 736,77;
# 144 690,53; 292 838,98; 70 469,39: three kronor to Sjötorp (0,98), Mossebo (0,77),
# Norrfjäll (0,53).
# 2026: 4 050 000 → 2 025 000. Quotas 904 734,94; 411 749,85; 215 288,73; 140 482,98;
# 284 323,32; 68 420,17: four kronor to Norrfjäll, Älvby, Granhult, Mossebo.
EXPECTED = {
    "2026": {
        "fk": 4050000,
        "region": 2025000,
        "alvby": 904735,
        "granhult": 411750,
        "mossebo": 215289,
        "norrfjall": 140483,
        "sjotorp": 284323,
        "bjorkeda": 68420,
    },
    "2027": {
        "fk": 4130000,
        "region": 2065000,
        "alvby": 922606,
        "granhult": 419883,
        "mossebo": 219541,
        "norrfjall": 143258,
        "sjotorp": 289940,
        "bjorkeda": 69772,
    },
    "2028": {
        "fk": 4171300,
        "region": 2085650,
        "alvby": 931832,
        "granhult": 424082,
        "mossebo": 221737,
        "norrfjall": 144691,
        "sjotorp": 292839,
        "bjorkeda": 70469,
    },
}
EXPECTED["2029"] = dict(EXPECTED["2028"])
YEARS = ("2026", "2027", "2028", "2029")
INVOICE_YEARS = ("2027", "2028", "2029")  # the plan year and its prognos years


def sv(amount: int) -> str:
    """Swedish thousands with a plain space (what the readers below give back)."""
    return f"{amount:,}".replace(",", " ")


def test_the_hand_computation_is_right() -> None:
    """The table above, redone with exact fractions: floor, then the largest remainders."""
    for year, want in EXPECTED.items():
        half = want["fk"] // 2
        assert want["fk"] % 2 == 0 and want["region"] == half
        whole = sum(POPULATION.values())
        exact = {m: Fraction(half * p, whole) for m, p in POPULATION.items()}
        got = {m: floor(q) for m, q in exact.items()}
        for m in sorted(exact, key=lambda m: exact[m] - got[m], reverse=True)[
            : half - sum(got.values())
        ]:
            got[m] += 1
        assert got == {m: want[m] for m in POPULATION}, year
        assert sum(got.values()) == half


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("nordana") / "out"
    formats = ["html", "pdf", "md", "xlsx", "csv", "json", "fakturaunderlag"]
    args = ["render", str(EXAMPLE), "-o", str(out), "--csv", "tidy"]  # the machine form
    for f in formats:
        args += ["-f", f]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "plan.html",
        "plan.pdf",
        "plan.md",
        "budget.xlsx",
        "budget.csv",
        "budget.json",
        "fakturaunderlag.xlsx",
        "fakturaunderlag.csv",
    } <= names
    return out


def test_json_holds_each_members_contribution() -> None:
    result = runner.invoke(app, ["render", str(EXAMPLE), "-f", "json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    for year in YEARS:
        assert data["contributions"]["by_member"][year] == EXPECTED[year]
        assert data["contributions"]["by_side"][year]["municipality"] == EXPECTED[year]["region"]
    income = next(s for s in data["sections"] if s["id"] == "income")
    rows = {r["label"]: r["amounts"] for r in income["rows"]}
    for member, name in NAMES.items():
        assert rows[name] == {y: EXPECTED[y][member] for y in YEARS}


def test_terminal_table_shows_rows_and_working() -> None:
    result = runner.invoke(app, ["render", str(EXAMPLE), "-f", "table"])
    assert result.exit_code == 0
    lines = result.stdout.replace("\u00a0", " ").splitlines()
    for member, name in NAMES.items():
        budget_row = [sv(EXPECTED[y][member]) for y in YEARS]
        invoice_row = [sv(EXPECTED[y][member]) for y in INVOICE_YEARS]
        assert any(_cells(line, name) == budget_row for line in lines), name
        assert any(_cells(line, name) == invoice_row for line in lines), name
    assert any(line.strip().startswith("Älvby kommun        41 230") for line in lines)
    assert "3 kr till största rest" in result.stdout


def _cells(line: str, label: str) -> list[str]:
    """The amounts after ``label`` in a table line (columns are two or more spaces apart)."""
    text = line.strip()
    if not text.startswith(label + "  "):
        return []
    return [c.strip() for c in re.split(r"\s{2,}", text[len(label) :].strip()) if c.strip()]


def test_markdown_has_the_member_table_and_the_working(rendered: Path) -> None:
    md = (rendered / "plan.md").read_text("utf-8").replace("\u00a0", " ")
    assert "### Medlemsbidrag per medlem" in md
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in md.splitlines()
        if line.startswith("|")
    ]
    for member, name in NAMES.items():
        assert [name, *(sv(EXPECTED[y][member]) for y in YEARS)] in rows
        assert [name, *(sv(EXPECTED[y][member]) for y in INVOICE_YEARS)] in rows
    assert ["Älvby kommun", "41 230", "44,68 %", "922 606,25", "nedåt", "922 606"] in rows
    norrfjall = ["Norrfjälls kommun", "6 402", "6,94 %", "143 257,95", "uppåt, +1 kr", "143 258"]
    assert norrfjall in rows
    assert "Kommunernas del 2028–2029: 2 085 650 kr" in md


def test_html_read_by_chromium(rendered: Path) -> None:
    tables = _chromium_tables(rendered / "plan.html")
    invoice = {r[0]: r[1:] for r in tables["tabell-medlemsbidrag"]}
    income = {r[0]: r[1:] for r in tables["tabell-income"]}
    for member, name in NAMES.items():
        assert invoice[name] == [sv(EXPECTED[y][member]) for y in INVOICE_YEARS]
        assert income[name] == [sv(EXPECTED[y][member]) for y in YEARS]
    assert invoice["Kommunerna tillsammans"] == ["2 065 000", "2 085 650", "2 085 650"]
    assert invoice["Summa medlemsavgifter"] == ["8 260 000", "8 342 600", "8 342 600"]
    working = {r[0]: r[1:] for r in tables["tabell-fordelning-municipality-1"]}
    sjotorp = ["12 957", "14,04 %", "289 939,59", "uppåt, +1 kr", "289 940"]
    assert working["Sjötorps kommun"] == sjotorp
    assert working["Summa"][-1] == "2 065 000"


def _chromium_tables(path: Path) -> dict[str, list[list[str]]]:
    from playwright.sync_api import sync_playwright

    need_tool("chromium")
    args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    script = """() => Object.fromEntries(Array.from(document.querySelectorAll('table[id]')).map(
        t => [t.id, Array.from(t.querySelectorAll('tbody tr')).map(
            r => Array.from(r.children).map(c => c.innerText))]))"""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=args)
        try:
            page = browser.new_page()
            page.goto(path.as_uri())
            tables: dict[str, list[list[str]]] = page.evaluate(script)
        finally:
            browser.close()
    return {
        k: [[c.replace("\u00a0", " ").strip() for c in r] for r in v] for k, v in tables.items()
    }


def test_pdf_text_has_each_members_contribution(rendered: Path) -> None:
    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered / "plan.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout.replace("\u00a0", " ")
    lines = text.splitlines()
    assert "Medlemsbidrag per medlem" in text
    for member, name in NAMES.items():
        assert any(_cells(line, name) == [sv(EXPECTED[y][member]) for y in YEARS] for line in lines)
        assert any(
            _cells(line, name) == [sv(EXPECTED[y][member]) for y in INVOICE_YEARS] for line in lines
        ), name


# --- LibreOffice --------------------------------------------------------------------------

LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice(files: list[Path], tmp_path: Path, csv_input: bool = False) -> list[Path]:
    """Open ``files`` in headless LibreOffice (recalculating formulas) and save them as XLSX."""
    soffice = need_tool("soffice")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_PROFILE, "utf-8")
    out = tmp_path / ("from-csv" if csv_input else "recalculated")
    args = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    if csv_input:  # comma, double quote, UTF-8, from line 1
        args += ["--infilter=CSV:44,34,76,1"]
    args += ["--convert-to", "xlsx", "--outdir", str(out), *map(str, files)]
    subprocess.run(args, check=True, capture_output=True, timeout=240)
    return [out / (f.stem + ".xlsx") for f in files]


def _stale_copies(rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The two workbooks again, with every formula's cached value 0: only LibreOffice's own
    calculation can bring the figures back."""
    import xlsxwriter.worksheet

    from finsamplan.figures.budget import compute
    from finsamplan.plan.loader import load_plan
    from finsamplan.render import document

    original = xlsxwriter.worksheet.Worksheet.write_formula

    def zero_cache(self, row, col, formula, fmt=None, value=0):  # type: ignore[no-untyped-def]
        return original(self, row, col, formula, fmt, 0)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_formula", zero_cache)
    plan = load_plan(EXAMPLE).plan
    assert plan is not None
    files = document.render("nordana-2027", plan, compute(plan), [], ["xlsx", "fakturaunderlag"])
    out = []
    for name in ("budget.xlsx", "fakturaunderlag.xlsx"):
        (tmp_path / "stale").mkdir(exist_ok=True)
        path = tmp_path / "stale" / name
        path.write_bytes(files[name])
        out.append(path)
    return out


def _sheet_rows(path: Path, sheet: str) -> dict[str, list[object]]:
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return {str(r[0]): list(r[1:]) for r in ws.iter_rows(values_only=True) if r[0]}


def test_xlsx_recalculated_by_libreoffice(
    rendered: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale_budget, stale_invoice = _stale_copies(rendered, tmp_path, monkeypatch)
    assert _sheet_rows(stale_invoice, "Fakturaunderlag")["Summa medlemsavgifter"][1] == 0
    budget, invoice = libreoffice([stale_budget, stale_invoice], tmp_path)

    rows = _sheet_rows(budget, "Budget")
    for member, name in NAMES.items():
        assert rows[name][:4] == [EXPECTED[y][member] for y in YEARS]
    income_total = [sum(EXPECTED[y].values()) for y in YEARS]
    equity = [1000000, 1120000, 1000000, 550000]
    want = [a + b for a, b in zip(income_total, equity, strict=True)]
    assert rows["Summa intäkter och eget kapital"][:4] == want

    rows = _sheet_rows(invoice, "Fakturaunderlag")
    for member, name in NAMES.items():
        assert rows[name][1:4] == [EXPECTED[y][member] for y in INVOICE_YEARS], name
    assert rows["Kommunerna tillsammans"][1:4] == [2065000, 2085650, 2085650]
    assert rows["Summa medlemsavgifter"][1:4] == [8260000, 8342600, 8342600]

    ws = openpyxl.load_workbook(invoice, data_only=True)["Fördelning"]
    working = [r for r in ws.iter_rows(values_only=True) if r[0] == "Älvby kommun"]
    assert len(working) == 2  # 2027, and 2028–2029 together
    key, share, exact, amount = working[0][1:5]
    assert key == 41230 and amount == 922606
    assert share == pytest.approx(41230 / 92282, abs=1e-12)
    assert exact == pytest.approx(922606.2504, abs=0.001)  # recomputed by LibreOffice
    sums = [r for r in ws.iter_rows(values_only=True) if r[0] == "Summa"]
    assert [s[1:5] for s in sums] == [
        (92282, pytest.approx(1), pytest.approx(2065000), 2065000),
        (92282, pytest.approx(1), pytest.approx(2085650), 2085650),
    ]


def test_csv_read_by_libreoffice(rendered: Path, tmp_path: Path) -> None:
    invoice, budget = libreoffice(
        [rendered / "fakturaunderlag.csv", rendered / "budget.csv"], tmp_path, csv_input=True
    )
    ws = openpyxl.load_workbook(invoice, data_only=True).active
    header, *data = list(ws.iter_rows(values_only=True))
    rows = [dict(zip(header, r, strict=True)) for r in data]
    got = {(r["member"], str(r["column"])): r["amount"] for r in rows}
    assert got == {(m, y): EXPECTED[y][m] for y in INVOICE_YEARS for m in NAMES}
    alvby = next(r for r in rows if r["member"] == "alvby" and str(r["column"]) == "2027")
    assert alvby["key_population"] == 41230 and str(alvby["key_date"]).startswith("2025-11-01")
    assert alvby["quota"] == pytest.approx(922606.25)
    assert alvby["rounded_up"] == 0 and alvby["side_total"] == 2065000

    ws = openpyxl.load_workbook(budget, data_only=True).active
    header, *data = list(ws.iter_rows(values_only=True))
    rows = [dict(zip(header, r, strict=True)) for r in data]
    got = {
        (r["label"], str(r["column"])): r["amount"]
        for r in rows
        if r["table"] == "income" and r["label"] in NAMES.values()
    }
    assert got == {(NAMES[m], y): EXPECTED[y][m] for y in YEARS for m in NAMES}


def test_csv_text_cannot_become_a_formula(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace("name: Björkeda kommun", 'name: "=1+1 Björkeda"')
    plan = tmp_path / "formel.yaml"
    plan.write_text(text, "utf-8")
    out = tmp_path / "out"
    args = ["render", str(plan), "-f", "fakturaunderlag", "--csv", "tidy", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO((out / "fakturaunderlag.csv").read_text("utf-8"))))
    assert {r[2] for r in rows if r[1] == "bjorkeda"} == {"'=1+1 Björkeda"}
    ws = openpyxl.load_workbook(out / "fakturaunderlag.xlsx")["Fakturaunderlag"]
    cells = [c for row in ws.iter_rows() for c in row if c.value and "Björkeda" in str(c.value)]
    assert cells and all(c.data_type == "s" for c in cells)


def test_plans_without_a_key_have_no_member_table_but_an_invoice(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "plan-2023", "-f", "md", "-o", str(tmp_path)])
    assert result.exit_code == 0
    assert "Medlemsbidrag per medlem" not in (tmp_path / "plan.md").read_text("utf-8")
    result = runner.invoke(
        app, ["render", "plan-2023", "-f", "fakturaunderlag", "--csv", "tidy", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "fakturaunderlag.csv").read_text("utf-8"))))
    assert {r["member"] for r in rows} == {"fk", "rg"}  # Försäkringskassan, Region Gotland
    assert all(r["key_population"] == "" for r in rows)
