"""A follow-up whose export has no row in the period (UPP070): nothing is known, and every
report says so on every line ("ingen uppgift"), never 0 kr or the whole budget under.

Before, each line showed Utfall 0, Prognos 0 and Avvikelse −budget (−2 157 000 for the state's
contribution) beside the message "ingen prognos jämförs med budgeten", and UPP050 warned of
an equity at year end computed from those zeros.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from clients import recalculated
from typer.testing import CliRunner

from finsamplan.cli import app

runner = CliRunner()
NO = "ingen uppgift"


def report(tmp_path: Path, *formats: str) -> tuple[int, str, Path]:
    export = tmp_path / "huvudbok-2022.csv"
    export.write_text("Datum;Konto;Belopp\n2022-03-01;7010;95 000,00\n", "utf-8")
    out = tmp_path / "out"
    args = ["followup", "plan-2023", "-a", str(export), "-o", str(out)]
    result = runner.invoke(app, [*args, *(a for f in formats for a in ("-f", f))])
    return result.exit_code, result.stdout, out


def test_json_has_no_figures_the_export_does_not_give(tmp_path: Path) -> None:
    code, _, out = report(tmp_path, "json")
    assert code == 1
    data = json.loads((out / "uppfoljning-2023-12-31.json").read_text("utf-8"))
    assert [w["code"] for w in data["warnings"]] == ["UPP070", "UPP080"]  # no UPP050 from 0s
    assert data["no_data"].startswith("Exporten har ingen läsbar rad i perioden 2023-01-01")
    fk = next(ln for ln in data["lines"] if ln["id"] == "avgift-fk")
    assert (fk["budget"], fk["expected"]) == (2_157_000, 2_157_000)
    assert (fk["actual"], fk["forecast"], fk["deviation"], fk["share_used"]) == (None,) * 4
    assert all(g["forecast"] is None and g["deviation"] is None for g in data["groups"])
    result = data["result"]
    assert (result["result"], result["year_end_equity"]) == (None, None)
    assert (result["equity_in"], result["budget_year_end_equity"]) == (1_883_509, 967_729)


def test_every_line_and_total_reads_ingen_uppgift(tmp_path: Path) -> None:
    code, stdout, out = report(tmp_path, "md", "table")
    assert code == 1
    md = (out / "uppfoljning-2023-12-31.md").read_text("utf-8")
    assert (
        f"| Försäkringskassan | 2\u00a0157\u00a0000 | {NO} | {NO} | 2\u00a0157\u00a0000 "
        f"| {NO} | {NO} |" in md
    )
    assert (
        f"| **Summa** | **4\u00a0314\u00a0000** | **{NO}** | **{NO}** | **4\u00a0314\u00a0000** |"
        in md
    )
    assert f"| **Årets resultat** | **−915\u00a0780** | **{NO}** | **{NO}** | **{NO}** |" in md
    assert "| Ingående eget kapital | 1\u00a0883\u00a0509 |  | 1\u00a0883\u00a0509 |  |" in md
    assert "−2\u00a0157\u00a0000" not in md and "0,0\u00a0%" not in md  # was Avvikelse, Förbrukat
    assert "så utfall, prognos och avvikelse är okända för varje rad och summa" in md
    shown = " ".join(stdout.split())
    assert "Årets resultat, prognos: ingen uppgift (budget −915 780 kr" in shown.replace(
        "\u00a0", " "
    )


def test_the_workbook_as_libreoffice_shows_it(tmp_path: Path) -> None:
    code, _, out = report(tmp_path, "xlsx")
    assert code == 1
    (path,) = recalculated([out / "uppfoljning-2023-12-31.xlsx"], tmp_path)
    ws = openpyxl.load_workbook(path, data_only=True)["Uppföljning"]
    rows = {r[0]: r[1:7] for r in ws.iter_rows(values_only=True) if r[0]}
    assert rows["Försäkringskassan"] == (2_157_000, NO, NO, 2_157_000, NO, NO)
    assert rows["Summa projekt"] == (2_290_000, NO, NO, 2_290_000, NO, NO)
    assert rows["Årets resultat"][:1] + rows["Årets resultat"][4:] == (-915_780, NO, NO)
    assert rows["Eget kapital vid årets slut"][4:] == (NO, NO)
    assert rows["Tak för eget kapital"][4] == 862_800


def test_html_and_word_say_why(tmp_path: Path) -> None:
    from clients import id_texts
    from docx import Document

    code, _, out = report(tmp_path, "html", "docx")
    assert code == 1
    html = (out / "uppfoljning-2023-12-31.html").read_text("utf-8")
    texts = id_texts(html).texts
    assert texts["ingen-uppgift"].startswith("Exporten har ingen läsbar rad i perioden")
    assert f'<td class="amount">{NO}</td>' in html
    # The chart has only the budget: no bars of 0 kr for actuals and forecast.
    assert (
        "Staplar per kostnadsgrupp: budget (ingen uppgift om utfall och prognos: exporten har "
        "ingen rad i perioden). Administration: budget 1\u00a0909\u00a0780\u00a0kr." in html
    )
    doc = Document(str(out / "uppfoljning-2023-12-31.docx"))
    fk = next(
        [c.text for c in row.cells]
        for table in doc.tables
        for row in table.rows
        if row.cells[0].text == "Försäkringskassan"
    )
    assert fk == ["Försäkringskassan", "2\u00a0157\u00a0000", NO, NO, "2\u00a0157\u00a0000", NO, NO]
