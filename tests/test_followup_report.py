"""The follow-up's board report: the year's result, the equity warning first, the export by
its file name only, the sign of "Avvikelse" explained, red only for what makes it worse.

Each fault of issue 16 is checked in the output a person reads: the HTML parsed, the PDF
through pdftotext, the Markdown as text, the workbook printed by LibreOffice (and, for the
colours, the printed page looked at pixel by pixel where pdftotext finds the figure).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from calc import is_red, pdf_pages, pdf_words, soffice
from conftest import ROOT
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.render.followup_out import DEVIATION_HEAD, DEVIATION_NOTE

runner = CliRunner()
EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"
STAMP = "uppfoljning-2023-10-31"


class Page(HTMLParser):
    """The text of every element with an id, and the rows of every table, as parsed."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.text: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self.items: dict[str, list[str]] = {}
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id")
        self.open.append((tag, ident))
        table = self._current("table")
        if tag == "tr" and table:
            self.tables.setdefault(table, []).append([])
        if tag in ("td", "th") and table:
            self.tables[table][-1].append("")
        if tag == "li" and self._current("ul"):
            self.items.setdefault(self._current("ul") or "", []).append("")

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, ident in self.open:
            if ident:
                self.text[ident] = self.text.get(ident, "") + data
        table = self._current("table")
        if table and any(t in ("td", "th") for t, _ in self.open):
            self.tables[table][-1][-1] += data
        if any(t == "li" for t, _ in self.open) and self._current("ul"):
            self.items[self._current("ul") or ""][-1] += data

    def _current(self, tag: str) -> str | None:
        found = [ident for t, ident in self.open if t == tag]
        return (found[-1] or "?") if found else None


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The report in every format, from an export in a folder whose path must not show."""
    folder = tmp_path_factory.mktemp("Ekonomi") / "Hemliga mappen 2023"
    folder.mkdir()
    export = folder / "export-okt.csv"
    export.write_bytes(EXPORT.read_bytes())
    out = folder.parent / "rapport"
    args = ["followup", "plan-2023", "-a", str(export.resolve()), "--until", "2023-10-31"]
    formats = ["-f", "md", "-f", "html", "-f", "pdf", "-f", "xlsx", "-f", "docx"]
    result = runner.invoke(app, [*args, *formats, "-o", str(out)])
    assert result.exit_code == 1, result.output  # damaged rows in the export are errors
    assert isinstance(result.exception, SystemExit), result.exception
    html = (out / f"{STAMP}.html").read_text("utf-8")
    (printed,) = soffice([out / f"{STAMP}.xlsx"], "pdf", folder.parent / "calc")
    return {
        "folder": str(folder.resolve()),
        "md": (out / f"{STAMP}.md").read_text("utf-8"),
        "html": html,
        "page": Page(html),
        "pdf": flat("\n".join(pdf_pages(out / f"{STAMP}.pdf"))),
        "xlsx": out / f"{STAMP}.xlsx",
        "docx": out / f"{STAMP}.docx",
        "xlsx_pdf": flat("\n".join(pdf_pages(printed))),
        "terminal": runner.invoke(app, args).stdout,
    }


def test_the_report_has_a_line_for_the_years_result(report: dict[str, Any]) -> None:
    rows = report["page"].tables["resultat"]
    assert [flat(c) for c in rows[0]] == [
        "Resultat",
        "Budget",
        "Utfall hittills",
        "Prognos helår",
        DEVIATION_HEAD,
    ]
    by_label = {flat(r[0]): [flat(c) for c in r[1:]] for r in rows[1:]}
    # Income 4 314 000 less costs 5 229 780 in the budget; 4 857 770 in the forecast.
    assert by_label["Årets resultat"] == ["−915 780", "66 998", "−543 770", "+372 010"]
    assert by_label["Eget kapital vid årets slut"] == ["967 729", "", "1 339 739", "+372 010"]
    assert by_label["Kostnader totalt"] == ["5 229 780", "4 247 002", "4 857 770", "−372 010"]
    assert "Årets resultat −915 780 66 998 −543 770 +372 010" in report["pdf"]
    assert "| **Årets resultat** | **−915\u00a0780** |" in report["md"]
    assert (
        "Årets resultat, prognos: −543\u00a0770 kr (budget −915\u00a0780 kr" in report["terminal"]
    )


def test_the_equity_over_the_ceiling_comes_first(report: dict[str, Any]) -> None:
    warnings = report["page"].items["?"]  # the list without an id: Att uppmärksamma
    assert flat(warnings[0]) == (
        "Eget kapital vid årets slut väntas bli 1 339 739 kr, 476 939 kr över taket 862 800 kr."
    )
    assert "Att uppmärksamma" in report["page"].text["att-uppmarksamma"]
    pdf = report["pdf"]
    assert (
        pdf.index("Att uppmärksamma")
        < pdf.index("476 939 kr över taket")
        < pdf.index("Kurser, konferenser, resor: prognosen")
    )
    md = report["md"].split("## Att uppmärksamma\n\n", 1)[1]
    assert md.startswith("- Eget kapital vid årets slut väntas bli")


def test_the_export_is_named_by_its_file_name_only(report: dict[str, Any]) -> None:
    folder = report["folder"]
    assert "Hemliga mappen" not in report["html"] and folder not in report["html"]
    assert "Hemliga mappen" not in report["md"] and "Hemliga mappen" not in report["pdf"]
    assert "<p>Underlag: export-okt.csv (100 rader i filen" in report["html"]
    assert "Underlag: export-okt.csv (100 rader i filen" in report["pdf"]
    assert "Underlag: `export-okt.csv`" in report["md"]
    assert "export-okt.csv:42:1: fel ACT003" in report["pdf"]
    wb = openpyxl.load_workbook(report["xlsx"])
    texts = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    texts += [str(wb.properties.description or ""), str(wb.properties.title or "")]
    assert not [t for t in texts if "Hemliga mappen" in t]
    assert "export-okt.csv:42:1: fel ACT003" in report["xlsx_pdf"]


def test_the_sign_of_the_deviation_is_explained(report: dict[str, Any]) -> None:
    page = report["page"]
    assert flat(page.text["om-avvikelse"]) == flat(DEVIATION_NOTE)
    assert DEVIATION_NOTE.startswith("Avvikelse är prognosen för helåret minus budgeten.")
    heads = [flat(c) for c in page.tables["grupp-administration"][0]]
    assert heads[-1] == "Avvikelse (+ = mer än budget)"
    rows = {flat(r[0]): flat(r[-1]) for r in page.tables["grupp-utvecklingsinsatser"][1:]}
    assert rows["Metodutbildningar: Ex MI, SE, BIP (inklusive utvecklingsnätverk)"] == "+6 667"
    assert rows["Inspiration Finsam och övriga föreläsningar"] == "−65 333"
    assert flat(DEVIATION_NOTE) in report["pdf"]
    assert "Avvikelse (+ = mer än budget)" in report["md"]
    assert flat(DEVIATION_NOTE) in report["xlsx_pdf"]
    ws = openpyxl.load_workbook(report["xlsx"])["Uppföljning"]
    assert ws["G3"].value == DEVIATION_HEAD and ws["G3"].comment is not None
    assert ws["G3"].comment.text.startswith("Avvikelse är prognosen")


SHORTFALL = """Datum;Konto;Ansvar;Text;Belopp
2023-01-15;3010;;Bidrag Försäkringskassan, ett kvartal;-539 250,00
2023-02-01;5800;;Kurs;1 000,00
2023-03-01;6540;METOD;Metodutbildning;300 000,00
"""


def test_only_what_makes_the_result_worse_is_red(tmp_path: Path) -> None:
    """An income short of budget and a cost over it are red; a cost under budget is not."""
    export = tmp_path / "export.csv"
    export.write_text(SHORTFALL, "utf-8")
    args = ["followup", "plan-2023", "-a", str(export), "--until", "2023-10-31", "-f", "xlsx"]
    assert runner.invoke(app, [*args, "-o", str(tmp_path / "out")]).exit_code in (0, 1)
    (pdf,) = soffice([tmp_path / "out" / f"{STAMP}.xlsx"], "pdf", tmp_path / "calc")
    words = pdf_words(pdf)

    figure = re.compile(r"[+\u2212][\d,]+|\d{1,3}(?:,\d{3})+|–")  # not a page number

    def deviation(label: str) -> Any:
        """The figure in the last column of the line that starts with ``label``: the first
        one at or below the label's top (a wrapped label's figures are at its row's foot)."""
        start = next(w for w in words if w.text.startswith(label) and w.box[0] < 60)
        page = [w for w in words if w.page == start.page and figure.fullmatch(w.text)]
        right = max(w.box[2] for w in page)
        column = [w for w in page if abs(w.box[2] - right) < 3 and w.box[1] >= start.box[1] - 3]
        return min(column, key=lambda w: w.box[1])

    shortfall = deviation("Försäkringskassan")
    assert shortfall.text == "\u22121,617,750"  # 539 250 of 2 157 000
    assert is_red(pdf, shortfall, tmp_path)
    over = deviation("Metodutbildningar")
    assert over.text == "+91,667"  # 300 000 + the 41 667 still budgeted − 250 000
    assert is_red(pdf, over, tmp_path)
    under = deviation("Kurser,")
    assert under.text == "\u221265,667"
    assert not is_red(pdf, under, tmp_path)
    # The costs not spent outweigh the missing income: the result is better than budgeted.
    result = deviation("Årets")
    assert result.text == "+543,262" and not is_red(pdf, result, tmp_path)
    equity = deviation("Eget")  # the same change; neither better nor worse as such
    assert equity.text == "+543,262" and not is_red(pdf, equity, tmp_path)


def test_the_word_report_has_the_same_result_order_name_and_sign(report: dict[str, Any]) -> None:
    import docx

    document = docx.Document(str(report["docx"]))
    paragraphs = [flat(p.text) for p in document.paragraphs]
    bullets = [
        flat(p.text) for p in document.paragraphs if p.style is not None and "List" in p.style.name
    ]
    assert bullets[0].startswith("Eget kapital vid årets slut väntas bli 1 339 739 kr")
    assert flat(DEVIATION_NOTE) in paragraphs
    texts = paragraphs + [
        flat(c.text) for t in document.tables for row in t.rows for c in row.cells
    ]
    assert not [t for t in texts if "Hemliga mappen" in t]
    assert any(t.startswith("export-okt.csv:42:1: fel ACT003") for t in texts)
    result = next(
        t
        for t in document.tables
        if flat(t.rows[0].cells[0].text) == "Post" and len(t.columns) == 5
    )
    rows = {flat(r.cells[0].text): [flat(c.text) for c in r.cells[1:]] for r in result.rows}
    assert rows["Årets resultat"] == ["−915 780", "66 998", "−543 770", "+372 010"]
