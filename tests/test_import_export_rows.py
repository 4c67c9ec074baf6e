"""`finsamplan import` of a finance system's budget export: headings repeated over each block,
account numbers beside the texts, a sum row for all costs and a row for the year's result.

The CSV files are written here, small and by hand, as a Swedish ekonomisystem writes them
(semicolon, decimal comma, a space between thousands).
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.year.importer import import_budget

EXPORT = """\
Resultatbudget;;;
Samordningsförbundet Testbygd;;;
Belopp i kr;;;
Konto;Benämning;Budget 2025;Plan 2026
;Intäkter;Budget 2025;Plan 2026
3010;Försäkringskassan;1 100 000,00;1 100 000,00
3020;Region Testbygd;550 000,00;550 000,00
3030;Testbygds kommun;550 000,00;550 000,00
;Summa intäkter;2 200 000,00;2 200 000,00
;Kostnader;Budget 2025;Plan 2026
;Administration;;
7010;Förbundschef;950 000,00;980 000,00
5010;Lokaler;110 000,00;110 000,00
;Summa administration;1 060 000,00;1 090 000,00
;Insatser;;
4010;Jobbspåret;900 000,00;900 000,00
;Summa kostnader;1 960 000,00;1 990 000,00
;Årets resultat;250 000,00;210 000,00
"""


def write(folder: Path, text: str) -> Path:
    path = folder / "resultatbudget.csv"
    path.write_text(text, "utf-8")
    return path


def test_a_repeated_heading_row_is_a_heading_not_an_income_line(tmp_path: Path) -> None:
    imported = import_budget(write(tmp_path, EXPORT))
    income = [(i["label"], i["amounts"]) for i in imported.data["income"]]
    assert income == [
        ("3010 Försäkringskassan", {"2025": 1_100_000, "2026": 1_100_000}),
        ("3020 Region Testbygd", {"2025": 550_000, "2026": 550_000}),
        ("3030 Testbygds kommun", {"2025": 550_000, "2026": 550_000}),
    ]
    assert [m["side"] for m in imported.data["forbund"]["members"]] == [
        "state",
        "region",
        "municipality",
    ]
    took = {a.cells: a.what for a in imported.took}
    assert took[("B5",)] == "rubrik: intäkter"
    assert took[("C5", "D5")] == "kolumnrubriken upprepad över ett block"
    assert took[("C10", "D10")] == "kolumnrubriken upprepad över ett block"
    # No line is named after a heading, in income or in costs.
    labels = [ln["label"] for g in imported.data["costs"].values() for ln in g]
    assert labels == ["7010 Förbundschef", "5010 Lokaler", "4010 Jobbspåret"]


def test_sum_and_result_rows_are_checked_against_their_own_totals(tmp_path: Path) -> None:
    imported = import_budget(write(tmp_path, EXPORT))
    took = {a.cells: a.what for a in imported.took}
    # "Summa kostnader" right after the last group's lines is all costs, not that group's.
    assert took[("B17", "C17", "D17")] == "summa: kostnaderna (costs); stämmer med raderna"
    assert took[("B18", "C18", "D18")] == (
        "summa: årets resultat (intäkter minus kostnader) (result); skiljer sig från raderna"
    )
    # The sheet's result 250 000 is 10 000 more than income less costs: shown, never kept
    # as another total's stated figure (it was kept as the surplus, against −4 160 000).
    assert [(d.cell, d.label, d.sheet, d.computed, d.kept) for d in imported.differences] == [
        ("C18", "Årets resultat", 250_000, 240_000, False)
    ]
    assert "stated" not in imported.data
    assert imported.data["costs"] == {
        "administration": [
            {"id": "7010-forbundschef", "label": "7010 Förbundschef",
             "amounts": {"2025": 950_000, "2026": 980_000}},
            {"id": "5010-lokaler", "label": "5010 Lokaler",
             "amounts": {"2025": 110_000, "2026": 110_000}},
        ],
        "insatser-grupp": [
            {"id": "4010-jobbsparet", "label": "4010 Jobbspåret",
             "amounts": {"2025": 900_000, "2026": 900_000}},
        ],
    }  # fmt: skip


def test_a_result_row_without_a_sum_above_is_no_cost_line(tmp_path: Path) -> None:
    text = (
        "Samordningsförbundet Testbygd;;\nBelopp i kr;;\nPost;Budget 2025;Plan 2026\n"
        "Intäkter;;\nFörsäkringskassan;1 000 000,00;1 000 000,00\n"
        "Region Testbygd;1 000 000,00;1 000 000,00\n"
        "Verksamhet;;\nPersonal;1 500 000,00;1 500 000,00\n"
        "Resultat- och effektmätning;100 000,00;100 000,00\n"
        "Årets resultat;400 000,00;400 000,00\n"
    )
    imported = import_budget(write(tmp_path, text))
    lines = [ln["label"] for g in imported.data["costs"].values() for ln in g]
    assert lines == ["Personal", "Resultat- och effektmätning"]  # a line that names a result
    took = {a.cells: a.what for a in imported.took}
    assert took[("A10", "B10", "C10")] == (
        "summa: årets resultat (intäkter minus kostnader) (result); stämmer med raderna"
    )
    assert not imported.differences


def test_the_command_says_the_result_is_not_kept(tmp_path: Path) -> None:
    out = tmp_path / "plan-2025.yaml"
    result = CliRunner().invoke(app, ["import", str(write(tmp_path, EXPORT)), "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stdout.replace("\u00a0", " ").split())  # as wrapped to the terminal
    assert (
        "Summor i bladet som inte är summan av raderna (står under stated: i planfilen, utom "
        "delsummor och årets resultat, som planen räknar själv):" in said
    )
    assert (
        "C18 Årets resultat, Budget 2025: bladet 250 000 kr, raderna 240 000 kr "
        "(skillnad −10 000 kr)" in said
    )
    assert "stated:" not in out.read_text("utf-8")
