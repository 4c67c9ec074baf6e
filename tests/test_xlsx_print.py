"""Every sheet of every workbook prints on A4 as an economist expects, and every total is a
formula that LibreOffice recalculates to the model's figure.

The workbooks (budget, fakturaunderlag, forecast, follow-up, compare) are printed to PDF by
headless LibreOffice and read back with pdftotext and pdfinfo: paper size and orientation,
the förbund in the page header and "Sida N av M" in the footer, the column header and the
last column on every page (one page wide), and blocks that belong together (the budget's
summary with its table, a follow-up group with its sum, a working with its total) on one
page. For the recalculation, every formula's cached value is zeroed before LibreOffice opens
the file, so only its own calculation can bring the figures back.
"""

from __future__ import annotations

import re
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from calc import page_sizes, pdf_pages, soffice
from conftest import MINIMAL, PLANS, ROOT, SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures.actuals import load_actuals
from finsamplan.plan.loader import load_plan
from finsamplan.year.followup import Followup, followup

runner = CliRunner()
EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"
NORDANA = PLANS / "examples" / "nordana-2027.yaml"
A4 = (595.3, 841.9)
FOOTER = re.compile(r"^\s*(\S.*?)\s{2,}Sida (\d+) av (\d+)\s*$", re.M)


def invoke(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output


def long_plan(folder: Path, lines: int) -> Path:
    """MINIMAL with ``lines`` more lines in each of two cost groups: a budget of pages."""
    more = "".join(
        f"    - label: Insats {i} med ett namn som tar plats\n"
        f"      amounts: {{2026: {1000 * i}, 2027: {1000 * i}, 2028: 1000, 2029: 1000}}\n"
        for i in range(1, lines + 1)
    )
    text = MINIMAL.replace("  utvecklingsinsatser:\n", "  utvecklingsinsatser:\n" + more)
    text = text.replace("  administration:\n", "  administration:\n" + more)
    path = folder / "lang-2027.yaml"
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[str]]]:
    """Every workbook finsamplan writes, its path and the text of each printed page."""
    out = tmp_path_factory.mktemp("books")
    invoke(["render", "plan-2023", "-f", "xlsx", "-o", str(out / "plan")])
    invoke(["render", str(NORDANA), "-f", "fakturaunderlag", "-o", str(out / "nordana")])
    invoke(["render", str(long_plan(out, 45)), "-f", "xlsx", "--force", "-o", str(out / "lang")])
    invoke(["forecast", "plan-2023", "-f", "xlsx", "-o", str(out / "prognos.xlsx")])
    follow = ["followup", "plan-2023", "-a", str(EXPORT), "--until", "2023-10-31", "-f", "xlsx"]
    invoke([*follow, "-o", str(out / "fu")])
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_plans import make_plans

    make_plans(out / "forbund", n=60, seed=2026)
    compare = ["compare", str(out / "forbund"), str(SEED_PLAN), "-f", "xlsx"]
    invoke([*compare, "-o", str(out / "jamforelse.xlsx")])
    files = {
        "budget": out / "plan" / "budget.xlsx",
        "lang": out / "lang" / "budget.xlsx",
        "fakturaunderlag": out / "nordana" / "fakturaunderlag.xlsx",
        "prognos": out / "prognos.xlsx",
        "uppfoljning": out / "fu" / "uppfoljning-2023-10-31.xlsx",
        "jamforelse": out / "jamforelse.xlsx",
    }
    copies = []
    for name, path in files.items():
        copy = out / "all" / f"{name}.xlsx"
        copy.parent.mkdir(exist_ok=True)
        copy.write_bytes(path.read_bytes())
        copies.append(copy)
    pdfs = soffice(copies, "pdf", out / "pdf")
    return {c.stem: (c, pdf_pages(p)) for c, p in zip(copies, pdfs, strict=True)} | {
        f"{c.stem}.pdf": (p, []) for c, p in zip(copies, pdfs, strict=True)
    }


def sheet_pages(pages: list[str]) -> dict[str, list[str]]:
    """The printed pages of each sheet, by the sheet name the footer shows."""
    out: dict[str, list[str]] = {}
    for text in pages:
        found = FOOTER.findall(text)
        assert found, f"no footer 'Sida N av M' on a page:\n{text[-300:]}"
        out.setdefault(found[-1][0].strip(), []).append(text)
    return out


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


BOOKS = ["budget", "lang", "fakturaunderlag", "prognos", "uppfoljning", "jamforelse"]


@pytest.mark.parametrize("name", BOOKS)
def test_every_sheet_has_a4_page_setup(books: dict[str, Any], name: str) -> None:
    path, pages = books[name]
    wb = openpyxl.load_workbook(path)
    printed = sheet_pages(pages)
    for ws in wb.worksheets:
        setup = ws.page_setup
        assert str(setup.paperSize) == "9", (ws.title, "A4")
        assert setup.orientation in ("portrait", "landscape"), ws.title
        fits = ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
        assert (fits and setup.fitToWidth in (1, None)) or setup.scale, ws.title
        assert "&P" in ws.oddFooter.right.text and ws.oddHeader.left.text, ws.title
        assert ws.title in printed, f"{ws.title} not printed"
    for width, height in page_sizes(books[f"{name}.pdf"][0]):
        assert sorted((round(width, 1), round(height, 1))) == list(A4)


HEADERS = {  # what the page header of each workbook names
    "budget": "FinsamGotland",
    "lang": "Samordningsförbundet Exempel",
    "fakturaunderlag": "Finsam Nordanå",
    "prognos": "FinsamGotland",
    "uppfoljning": "FinsamGotland",
    "jamforelse": "Jämförelse av förbund",
}


@pytest.mark.parametrize("name", BOOKS)
def test_every_page_has_the_header_and_the_last_column(books: dict[str, Any], name: str) -> None:
    """The förbund in the page header; one page wide: the first and the last column heading
    on every page of a sheet with a repeated header row."""
    path, pages = books[name]
    wb = openpyxl.load_workbook(path)
    for title, texts in sheet_pages(pages).items():
        for text in texts:
            assert HEADERS[name] in text.strip().splitlines()[0], (title, text[:200])
        ws = wb[title]
        if not ws.print_title_rows:
            continue
        row = int(re.findall(r"\d+", ws.print_title_rows)[0])
        cells = [str(c.value) for c in ws[row] if c.value]
        first, last = cells[0], cells[-1].split(" ")[0]
        for text in texts:
            page = flat(text)
            assert first in page and last in page, (title, first, last, page[:300])


def test_the_budget_summary_prints_on_the_page_of_its_table(books: dict[str, Any]) -> None:
    _, pages = books["budget"]
    (page,) = [p for p in sheet_pages(pages)["Budget"]]  # the whole budget on one page
    for label in (
        "TOTALT: Intäkter och kapital",
        "Summering",
        "Överskott: eget kapital vid årets slut",
        "Reserv",
        "Utrymme för ny verksamhet (rimligt överskott till kommande år)",
    ):
        assert label in page, label


def test_a_long_budget_keeps_tables_and_the_summary_readable(books: dict[str, Any]) -> None:
    """A budget of several pages: a short table and the summary each on one page; a table
    longer than half a page may continue on the next, but never leaves its heading or its
    total alone (each with at least three of its lines)."""
    _, pages = books["lang"]
    budget = sheet_pages(pages)["Budget"]
    assert len(budget) >= 2

    def page_of(label: str) -> int:
        (found,) = [i for i, p in enumerate(budget) if re.search(label, p, re.M)]
        return found

    assert page_of("^Intäkter och eget kapital") == page_of("^Summa intäkter och eget kapital")
    assert page_of("^Projekt") == page_of("^Summa projekt")
    summary = [
        "^Sammanställning",
        "^Summa kostnader för insatser",
        "^Summa kostnader ",
        "^Överskott: eget kapital vid årets slut",
        "^Reserv",
        "^Utrymme för ny verksamhet",
    ]
    assert len({page_of(label) for label in summary}) == 1
    for heading, total, last in (
        ("^Administration", "^Summa administration", "^Förbundschef"),
        ("^Utvecklingsinsatser", "^Summa utvecklingsinsatser", "^Utbildningar"),
    ):
        start = budget[page_of(heading)]
        assert re.search("^Insats 3 ", start[start.index(heading[1:]) :], re.M), heading
        end = budget[page_of(total)]
        assert re.search("^Insats 44 ", end, re.M) and re.search(last, end, re.M), total


def test_follow_up_groups_and_result_block_print_together(books: dict[str, Any]) -> None:
    _, pages = books["uppfoljning"]
    printed = sheet_pages(pages)
    assert len(printed["Uppföljning"]) == 1
    page = printed["Uppföljning"][0]
    for label in ("Summa administration", "Resultat och eget kapital", "Årets resultat"):
        assert label in page
    assert "Avvikelse är prognosen för helåret minus budgeten" in flat(page)
    assert "2023-08-31" in printed["Omappat"][0]  # a date cell, printed as a date


def test_each_working_prints_with_its_total(books: dict[str, Any]) -> None:
    _, pages = books["fakturaunderlag"]
    printed = sheet_pages(pages)
    for text in printed["Fördelning"]:
        totals = re.findall(r"^Summa\s", text, re.M)
        assert totals and len(totals) == text.count("Kommunernas del")
    assert "Summa medlemsavgifter" in printed["Fakturaunderlag"][0]


# --- formulas recalculated by LibreOffice -------------------------------------------------


def stale(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, every formula is written with 0 as its cached value."""
    import xlsxwriter.worksheet

    original = xlsxwriter.worksheet.Worksheet.write_formula

    def zero_cache(self, row, col, formula, fmt=None, value=0):  # type: ignore[no-untyped-def]
        return original(self, row, col, formula, fmt, 0)

    monkeypatch.setattr(xlsxwriter.worksheet.Worksheet, "write_formula", zero_cache)


def recalculated(data: bytes, name: str, tmp_path: Path) -> Any:
    (tmp_path / "stale").mkdir(exist_ok=True)
    path = tmp_path / "stale" / name
    path.write_bytes(data)
    (made,) = soffice([path], "xlsx", tmp_path / "recalculated")
    return openpyxl.load_workbook(made, data_only=True)


@pytest.fixture(scope="module")
def result() -> Followup:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    plan = loaded.plan
    return followup(plan, load_actuals(EXPORT, plan.actuals), "plan-2023", date(2023, 10, 31))


def test_follow_up_totals_recalculate_to_the_model(
    result: Followup, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.render.followup_out import reconciliation, to_xlsx

    stale(monkeypatch)
    wb = recalculated(to_xlsx(result), "uppfoljning.xlsx", tmp_path)
    rows = {r[0]: r for r in wb["Uppföljning"].iter_rows(values_only=True) if r[0]}
    budget_costs = sum(g.budget for g in result.groups[1:])
    # label: (budget, forecast, deviation), all formulas over the group sums and Omappat
    want = {
        "Intäkter": (4_314_000, 4_314_000, 0),
        "Kostnader i budgetens grupper": (budget_costs, 4_843_154, 4_843_154 - budget_costs),
        "Omappade rader, netto": (0, 14_616, 14_616),
        "Kostnader totalt": (
            budget_costs,
            result.costs_forecast,
            result.costs_forecast - 5_229_780,
        ),
        "Årets resultat": (
            result.budget_result,
            result.result,
            result.result - result.budget_result,
        ),
        "Ingående eget kapital": (result.equity_in, result.equity_in, None),
        "Eget kapital vid årets slut": (967_729, 1_339_739, 1_339_739 - 967_729),
        "Tak för eget kapital": (862_800, 862_800, None),
    }
    for label, (budget, forecast, deviation) in want.items():
        row = rows[label]
        assert (row[1], row[5], row[6]) == (budget, forecast, deviation), label
    assert result.budget_result == -915_780 and result.result == -543_770
    assert rows["Årets resultat"][2] == 4_314_000 - 4_232_386 - 14_616  # to date
    for g in result.groups:
        row = rows[f"Summa {g.title.lower()}"]
        assert (row[1], row[2], row[4], row[5], row[6]) == (
            g.budget,
            g.actual,
            g.expected,
            g.forecast,
            g.deviation,
        )
    sheet = list(wb["Avstämning"].iter_rows(values_only=True))
    table = reconciliation(result)
    for line, row in zip(table, sheet[1:], strict=False):
        assert row[0] == line.label
        if line.rows is not None:
            assert row[1] == line.rows, line.label
        if line.amount is not None:
            assert row[2] == pytest.approx(float(line.amount), abs=0.001), line.label
    dates = [r[1] for r in wb["Omappat"].iter_rows(min_row=2, values_only=True)]
    assert dates == [datetime(2023, 8, 31), datetime(2023, 9, 19), datetime(2023, 10, 30)]


def test_forecast_and_compare_totals_recalculate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.render.compare_out import to_xlsx as compare_xlsx
    from finsamplan.render.forecast_out import to_xlsx as forecast_xlsx
    from finsamplan.year.compare import compare
    from finsamplan.year.forecast import project

    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    projected = project(loaded.plan, "plan-2023")
    comparison = compare([SEED_PLAN, NORDANA, PLANS / "examples" / "exempel-2027.yaml"])
    stale(monkeypatch)
    wb = recalculated(forecast_xlsx(projected), "prognos.xlsx", tmp_path)
    rows = {r[0]: r[1:] for r in wb["Budget"].iter_rows(values_only=True) if r[0]}
    labels = loaded.plan.labels
    for key, name in (("room", "room"), ("surplus", "surplus"), ("costs_total", "costs")):
        columns = projected.budget.columns
        want = [projected.budget.totals[c.key].get(name) for c in columns]
        assert list(rows[labels.text(key)][: len(want)]) == want, key
    for row, d in zip(
        wb["Skillnader"].iter_rows(min_row=2, values_only=True), projected.differences, strict=True
    ):
        assert row[4] == d.difference
    wb = recalculated(compare_xlsx(comparison), "jamforelse.xlsx", tmp_path)
    rows = {r[0]: r for r in wb["Jämförelse"].iter_rows(values_only=True) if r[0]}
    contributions = sorted(r.values["contributions"] for r in comparison.rows)
    assert rows["Median"][3] == contributions[1] and rows["Högst"][3] == contributions[-1]


def test_the_page_header_shows_any_name_as_written(tmp_path: Path) -> None:
    """An ampersand (a code in a page header) prints as itself; a long name is cut short
    rather than dropping the header (Excel allows 255 characters in all)."""
    from finsamplan.render.pagesetup import MAX_HEADER, header_text

    name = "Samordningsförbundet Ån & Älv &P [Picture]"
    plan = tmp_path / "namn.yaml"
    plan.write_text(MINIMAL.replace("name: Samordningsförbundet Exempel", f"name: {name}"), "utf-8")
    invoke(["render", str(plan), "-f", "xlsx", "-o", str(tmp_path / "out")])
    (pdf,) = soffice([tmp_path / "out" / "budget.xlsx"], "pdf", tmp_path / "pdf")
    for page in pdf_pages(pdf):
        assert page.strip().splitlines()[0].startswith("Samordningsförbundet Ån & Älv &P (Picture)")
    long = header_text("&" * 300 + "\U0001f600" * 300)
    assert len(long.encode("utf-16-le")) // 2 <= MAX_HEADER and long.endswith("…")
    assert not long.rstrip("…").endswith("&") or long.rstrip("…").endswith("&&")
