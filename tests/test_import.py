"""`finsamplan import`: budget spreadsheets read into plan files, every cell accounted for.

The sheets in tests/data/import/ are made up and laid out as förbund lay out their own
(tests/data/make_import.py writes them); the figures below are written out by hand from
those sheets' own total rows, not computed by finsamplan.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, need_tool
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.year.importer import ImportFailed, Options, import_budget
from finsamplan.year.importer.account import expand

DATA = ROOT / "tests" / "data" / "import"
SJOBYGDEN = DATA / "sjobygden-2025.xlsx"
KUSTBYGD = DATA / "kustbygd-2026.csv"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def totals(plan: Path) -> dict[str, dict[str, int]]:
    """The plan's totals as `render --format json` gives them."""
    code, out, err = run("render", str(plan), "--format", "json")
    assert code == 0, err
    data: dict[str, dict[str, int]] = json.loads(out)["totals"]
    return data


def by_year(values: list[int], years: range) -> dict[str, int]:
    return {str(y): v for y, v in zip(years, values, strict=True)}


# --- finsamplan's own budget sheet --------------------------------------------------------

PLAN_2023 = {  # README's table: plan-2023's totals
    "available": [6393489, 6197509, 4910000, 4840000],
    "administration": [1274980, 1909780, 1479980, 1504980],
    "utvecklingsinsatser": [900000, 1030000, 496000, 471000],
    "projekt": [2335000, 2290000, 2190000, 2220000],
    "costs": [4509980, 5229780, 4165980, 4195980],
    "room": [1233509, 317729, 144020, 44020],
}


@pytest.fixture(scope="module")
def own_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("render")
    code, _, err = run("render", "plan-2023", "-f", "xlsx", "-o", str(out))
    assert code == 0, err
    return out / "budget.xlsx"


def test_own_budget_sheet_imports_back_to_the_same_totals(
    own_sheet: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("import", str(own_sheet))
    assert code == 0, err
    plan = tmp_path / "plans" / "plan-2023.yaml"
    assert f"skrev {Path('plans') / 'plan-2023.yaml'}" in out
    got = totals(plan)
    for name, values in PLAN_2023.items():
        assert got[name] == by_year(values, range(2022, 2026)), name
    assert got == totals(ROOT / "plans" / "plan-2023.yaml")  # every total, not only these

    text = plan.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=plan.schema.json\n")
    assert "name: Samordningsförbundet FinsamGotland" in text
    assert "side: municipality_without_region" in text  # Region Gotland pays as the state does
    assert "notes: {2024: Om insatsen förlängs}" in text  # the cell comment of an empty cell
    assert "- label: lönehantering" in text  # parts stay parts
    assert "stated:" not in text  # every total row of the sheet is the sum of its rows
    assert "8 summarader kontrollerade" in out


# --- Sjöbygden: tkr, merged headings, bold totals -----------------------------------------

SJO_YEARS = range(2023, 2028)
SJO = {  # the sheet's own total rows, in tkr × 1000
    "available": [6250000, 6500000, 6850000, 6600000, 6400000],  # Summa intäkter
    "styrning-ledning-och-administration": [1500000, 1550000, 1600000, 1650000, 1700000],
    "individinriktade-insatser": [3300000, 3500000, 3700000, 3750000, 3850000],
    "strukturovergripande-insatser": [650000, 550000, 800000, 500000, 450000],
    "costs": [5450000, 5600000, 6100000, 5900000, 6000000],  # Summa kostnader
    "surplus": [800000, 900000, 750000, 700000, 400000],  # Årets resultat
}


def test_xlsx_in_tkr_imports_to_the_sheets_own_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("import", str(SJOBYGDEN))
    assert code == 0, err
    plan = tmp_path / "plans" / "plan-2025.yaml"
    got = totals(plan)
    for name, values in SJO.items():
        assert got[name] == by_year(values, SJO_YEARS), name
    assert got["administration"] == got["styrning-ledning-och-administration"]
    text = plan.read_text("utf-8")
    assert "amounts: {2023: 525000, 2024: 542500," in text  # 542,5 tkr, exactly
    assert "kind: budgetplan\n    label: Förslag budget 2025" in text
    assert "counts_as: administration" in text
    assert "total_label: Individinriktade insatser" in text  # the bold total without "Summa"
    assert "Belopp i tkr (A2: Budget 2025 och plan 2026–2027, tkr)" in out
    assert run("validate", str(plan))[0] == 0


def test_sjobygden_total_rows_read_by_libreoffice(tmp_path: Path) -> None:
    """The rows the test above holds the plan against, as a spreadsheet shows them."""
    (saved,) = libreoffice([SJOBYGDEN], tmp_path)
    rows = {
        str(r[0]).strip(): list(r[1:6])
        for r in openpyxl.load_workbook(saved, data_only=True).active.iter_rows(values_only=True)
        if r[0]
    }
    in_kr = {
        label: [round(v * 1000) for v in values]
        for label, values in rows.items()
        if all(isinstance(v, int | float) for v in values)
    }
    assert in_kr["Summa intäkter"] == SJO["available"]
    assert (
        in_kr["Summa styrning, ledning och administration"]
        == SJO["styrning-ledning-och-administration"]
    )
    assert in_kr["Summa strukturövergripande insatser"] == SJO["strukturovergripande-insatser"]
    assert in_kr["Summa kostnader"] == SJO["costs"]
    assert in_kr["Årets resultat"] == SJO["surplus"]


# --- Kustbygd: CSV with ; and decimal comma ----------------------------------------------

KUST_YEARS = range(2024, 2029)
KUST = {
    "income": [4950000, 4900000, 5000000, 5000000, 5000000],  # Summa finansiering
    "available": [5250000, 5150000, 5200000, 5100000, 5000000],  # Summa tillgängliga medel
    "kansli-och-administration": [1425000, 1465000, 1500000, 1535000, 1570000],
    "insatser-grupp": [3650000, 3600000, 3600000, 3550000, 3400000],
    "costs": [5075000, 5065000, 5100000, 5085000, 4970000],  # Totala kostnader
    "surplus": [175000, 85000, 100000, 15000, 30000],  # Resultat
    "reserve": [100000] * 5,
    "room": [75000, -15000, 0, -85000, -70000],  # Utrymme för nya insatser
}
KUST_ROWS = {  # the same figures as the CSV writes them
    "Summa finansiering": "4 950 000,00;4 900 000,00;5 000 000,00;5 000 000,00;5 000 000,00",
    "Summa tillgängliga medel": "5 250 000,00;5 150 000,00;5 200 000,00;5 100 000,00;5 000 000,00",
    "Totala kostnader": "5 075 000,00;5 065 000,00;5 100 000,00;5 085 000,00;4 970 000,00",
    "Utrymme för nya insatser": "75 000,00;-15 000,00;0,00;-85 000,00;-70 000,00",
}


def test_csv_with_decimal_comma_imports_to_the_sheets_own_totals(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = KUSTBYGD.read_bytes().decode("cp1252")
    for label, figures in KUST_ROWS.items():
        assert f"\r\n{label};{figures}\r\n" in text
    monkeypatch.chdir(tmp_path)
    code, out, err = run("import", str(KUSTBYGD))
    assert code == 0, err
    plan = tmp_path / "plans" / "plan-2026.yaml"
    got = totals(plan)
    for name, values in KUST.items():
        assert got[name] == by_year(values, KUST_YEARS), name
    written = plan.read_text("utf-8")
    assert "'Budget 2026' taget som planåret" in written  # a guess, marked
    assert "amounts: {2024: 150000, 2025: 0, 2026: 0, 2027: 0, 2028: 0}" in written  # "-" is 0
    assert "id: insatser-grupp" in written  # "insatser" is a total's name
    assert "decimalkomma, mellanslag mellan tusental" in out
    assert "7 summarader kontrollerade" in out


# --- every cell accounted for ------------------------------------------------------------


def _xlsx_cells(path: Path) -> set[str]:
    ws = openpyxl.load_workbook(path).worksheets[0]
    return {
        c.coordinate
        for row in ws.iter_rows()
        for c in row
        if c.value is not None and str(c.value).strip()
    }


def _csv_cells(path: Path) -> set[str]:
    rows = csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";")
    return {
        f"{chr(64 + j)}{i}"
        for i, row in enumerate(rows, start=1)
        for j, value in enumerate(row, start=1)
        if value.strip()
    }


@pytest.mark.parametrize(
    ("path", "cells"), [(SJOBYGDEN, _xlsx_cells), (KUSTBYGD, _csv_cells)], ids=["xlsx", "csv"]
)
def test_every_non_empty_cell_is_taken_or_left_once(path: Path, cells: object) -> None:
    expected = cells(path)  # type: ignore[operator]
    imported = import_budget(path)
    named = [a for acc in imported.accounts if "!" not in acc.cells[0] for a in acc.cells]
    assert sorted(named) == sorted(expected)  # each exactly once
    assert imported.cells == len(expected)


def test_the_report_names_every_cell(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("import", str(SJOBYGDEN))
    assert code == 0
    listed: list[str] = []
    section = ""
    for line in out.splitlines():
        if not line.startswith("  "):
            section = line.split(" ")[0]
        elif section in ("Tog", "Lämnade"):
            listed += expand(line.strip().split("  ")[0])
    assert sorted(listed) == sorted(_xlsx_cells(SJOBYGDEN))
    assert "G22" in out and "i kolumnen 'Kommentar', som inte är någon årskolumn" in out
    assert "Alla 135 celler med innehåll är redovisade: 133 tagna, 2 lämnade" in out
    assert "F23  kommentar lästes inte in: Beslut om fortsättning hösten 2025" in out


# --- refusals ----------------------------------------------------------------------------


def test_never_overwrites_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plans").mkdir()
    target = tmp_path / "plans" / "plan-2025.yaml"
    target.write_text("min egen plan\n", "utf-8")
    code, out, err = run("import", str(SJOBYGDEN))
    assert code == 2 and "skriver aldrig över" in " ".join(err.split())
    assert out == ""  # refused before anything else
    mine = tmp_path / "min.yaml"
    mine.write_text("också min\n", "utf-8")
    code, _, err = run("import", str(SJOBYGDEN), "-o", str(mine))
    assert code == 2 and "skriver aldrig över" in " ".join(err.split())
    assert target.read_text("utf-8") == "min egen plan\n"
    assert mine.read_text("utf-8") == "också min\n"
    assert run("import", str(SJOBYGDEN), "-o", "ny.txt")[0] == 2  # a plan file is .yaml
    assert run("import", str(SJOBYGDEN), "-o", "ny/mapp/plan.yaml")[0] == 2
    assert not (tmp_path / "ny").exists()
    assert SJOBYGDEN.read_bytes() == (DATA / "sjobygden-2025.xlsx").read_bytes()


def _csv(tmp_path: Path, text: str, name: str = "budget.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


SMALL = """Samordningsförbundet Liten
;Budget 2025 (kr);Budgetplan 2026 (kr)
Intäkter
Försäkringskassan;{a};{b}
Region Liten;500;500
Liten kommun;500;500
Kostnader
Kansli;{a};{b}
Summa kostnader;{a};{b}
"""


def test_an_amount_that_reads_two_ways_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = _csv(tmp_path, SMALL.format(a="1.000", b="1.250"))
    code, _, err = run("import", str(path))
    assert code == 2
    assert (
        f"{path}:B4: fel IMP010 beloppet '1.000' kan läsas som 1,00 kr eller 1\xa0000,00 kr" in err
    )
    assert f"{path}:C4: fel IMP010" in err and f"{path}:B8: fel IMP010" in err
    assert "--decimal och --thousands" in err
    assert not (tmp_path / "plans").exists()
    code, _, err = run("import", str(path), "--thousands", ".")  # now it is one reading
    assert code in (0, 1), err
    plan = (tmp_path / "plans" / "plan-2026.yaml").read_text("utf-8")
    assert "amounts: {2025: 1000, 2026: 1250}" in plan


def test_a_fraction_of_a_krona_is_refused_not_rounded(tmp_path: Path) -> None:
    path = _csv(tmp_path, SMALL.format(a="1 000,50", b="1 250,00"))
    with pytest.raises(ImportFailed) as failed:
        import_budget(path)
    lines = failed.value.lines()
    assert lines[0].startswith(
        f"{path}:B4: fel IMP012 '1 000,50' är 1\u00a0000,50 kr, inte hela kronor"
    )
    assert "avrundar aldrig" in lines[0]


def test_the_unit_is_never_guessed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    path = _csv(tmp_path, SMALL.format(a="1000", b="1250").replace(" (kr)", ""))
    code, _, err = run("import", str(path))
    assert code == 2
    assert f"{path}:B2: fel IMP003" in err and "--unit kr eller --unit tkr" in err
    both = _csv(tmp_path, "Belopp i tkr\n" + SMALL.format(a="1000", b="1250"), "both.csv")
    code, _, err = run("import", str(both))
    assert code == 2 and "både kr och tkr" in err
    code, _, err = run("import", str(both), "--unit", "tkr", "-o", "plans/tkr.yaml")
    assert code in (0, 1), err
    assert "amounts: {2025: 1000000, 2026: 1250000}" in Path("plans/tkr.yaml").read_text("utf-8")


def test_a_formula_without_its_saved_value_is_an_error_until_a_spreadsheet_saves_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        ["Samordningsförbundet Formel, belopp i kr"],
        ["", "Budget 2025", "Budgetplan 2026"],
        ["Intäkter"],
        ["Försäkringskassan", 1000, 1200],
        ["Region Formel", 500, 600],
        ["Formels kommun", 500, 600],
        ["Summa intäkter", "=SUM(B4:B6)", "=SUM(C4:C6)"],
        ["Kostnader"],
        ["Kansli", 1500, "=B9*1.2"],
        ["Summa kostnader", "=SUM(B9:B9)", "=SUM(C9:C9)"],
    ]
    for row in rows:
        ws.append(row)
    path = tmp_path / "formler.xlsx"
    wb.save(path)
    with pytest.raises(ImportFailed) as failed:
        import_budget(path)
    lines = failed.value.lines()
    assert f"{path}:C9: fel IMP014 formeln =B9*1.2 har inget sparat värde" in "\n".join(lines)
    assert len(lines) == 5  # the four sums and C9: each formula without its value
    (saved,) = libreoffice([path], tmp_path)
    imported = import_budget(saved)
    kansli = imported.data["costs"]["kostnader"][0]
    assert kansli["amounts"] == {"2025": 1500, "2026": 1800}
    assert imported.matched_totals == 2 and not imported.differences


def test_a_total_row_that_is_not_the_sum_is_reported_and_kept_as_stated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wb = openpyxl.load_workbook(SJOBYGDEN)
    ws = wb.active
    assert ws["A19"].value == "Summa styrning, ledning och administration"
    ws["D19"] = 1610  # the rows give 1 600 tkr
    path = tmp_path / "fel-summa.xlsx"
    wb.save(path)
    monkeypatch.chdir(tmp_path)
    code, out, _ = run("import", str(path))
    assert code == 0  # a warning to look at, not an error
    assert (
        "D19  Summa styrning, ledning och administration, Förslag budget 2025: bladet "
        "1\u00a0610\u00a0000 kr, raderna 1\u00a0600\u00a0000 kr (skillnad −10\u00a0000 kr)"
    ) in out
    plan = tmp_path / "plans" / "plan-2025.yaml"
    text = plan.read_text("utf-8")
    import yaml

    stated = yaml.safe_load(text)["stated"]
    assert stated == {"styrning-ledning-och-administration": {2025: 1610000}}
    assert "# granska: bladets summa (D19) är inte radernas summa" in text
    code, out, _ = run("validate", str(plan), "--format", "json")
    found = json.loads(out)["plans"][0]["findings"]
    fin090 = [f for f in found if f["code"] == "FIN090"]
    assert [(f["year"], f["figures"]["stated"], f["figures"]["computed"]) for f in fin090] == [
        ("2025", 1610000, 1600000)
    ]


def test_what_is_missing_is_written_with_fyll_i_and_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    no_state = """;Budget 2025 tkr;Budgetplan 2026 tkr
Intäkter
Region Norr;500;500
Norrby kommun;500;500
Kostnader
Kansli;1000;1000
"""
    code, out, _ = run(
        "import", str(_csv(tmp_path, no_state)), "--name", "Samordningsförbundet Norr"
    )
    assert code == 1  # written, with errors to fill in
    text = (tmp_path / "plans" / "plan-2026.yaml").read_text("utf-8")
    assert "# fyll i: medlemmen på statens sida (Försäkringskassan)" in text
    assert "name: Samordningsförbundet Norr" in text
    assert "Fyll i (märkt # fyll i i planfilen):" in out and "statens sida" in out

    nothing = """;Budget 2025 tkr;Budgetplan 2026 tkr
Intäkter
Bidrag;1000;1000
Kostnader
Kansli;1000;1000
"""
    code, out, _ = run("import", str(_csv(tmp_path, nothing, "b.csv")), "-o", "plans/b.yaml")
    assert code == 1
    text = (tmp_path / "plans" / "b.yaml").read_text("utf-8")
    assert "# fyll i: förbundets namn" in text and "name: ''" in text
    assert "# fyll i: medlemmarna" in text and "members: []" in text
    assert "förbundets namn" in out and "medlemmarna" in out


def test_costs_written_as_negative_numbers_throughout_are_costs(tmp_path: Path) -> None:
    text = SMALL.format(a="1000", b="1250")
    negative = text.replace("Kansli;1000;1250", "Kansli;-1000;-1250").replace(
        "Summa kostnader;1000;1250", "Summa kostnader;-1000;-1250"
    )
    imported = import_budget(_csv(tmp_path, negative))
    assert imported.data["costs"]["kostnader"][0]["amounts"] == {"2025": 1000, "2026": 1250}
    assert not imported.differences and imported.matched_totals == 1
    mixed = text.replace("Kansli;1000;1250", "Kansli;1000;1250\nÅterbetalning;-100;0")
    with pytest.raises(ImportFailed) as failed:
        import_budget(_csv(tmp_path, mixed, "mixed.csv"))
    assert failed.value.problems[0].code == "IMP013"
    assert failed.value.problems[0].cell == "B9"


def test_options_state_what_the_sheet_does_not(tmp_path: Path) -> None:
    bare = """Samordningsförbundet Bar, kr
;2024;2025;2026
Försäkringskassan;1000;1000;1000
Region Bar;500;500;500
Bars kommun;500;500;500
Kostnader
Kansli;2000;2000;2000
"""
    path = _csv(tmp_path, bare)
    with pytest.raises(ImportFailed) as failed:
        import_budget(path)
    assert failed.value.problems[0].code == "IMP004"
    imported = import_budget(path, Options(year=2025))
    assert [c["kind"] for c in imported.data["columns"]] == ["budget", "budgetplan", "prognos"]
    assert len([g for g in imported.guesses if g.path[0] == "columns"]) == 3


# --- the editor's schema -----------------------------------------------------------------


def test_imported_plans_point_at_a_schema_the_editor_accepts_them_by(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jsonschema
    import yaml

    monkeypatch.chdir(tmp_path)
    assert run("import", str(SJOBYGDEN))[0] == 0
    assert run("import", str(KUSTBYGD))[0] == 0
    schema_path = tmp_path / "plans" / "plan.schema.json"
    schema = json.loads(schema_path.read_text("utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    for plan in sorted((tmp_path / "plans").glob("*.yaml")):
        first = plan.read_text("utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=plan.schema.json"
        assert (plan.parent / first.split("=", 1)[1]).is_file()
        data = yaml.safe_load(plan.read_text("utf-8"))
        data = json.loads(json.dumps(data, default=str))
        assert not list(validator.iter_errors(data)), plan.name


def test_schema_write_refreshes_its_own_file_and_keeps_anyone_elses(tmp_path: Path) -> None:
    folder = tmp_path / "planer"
    code, out, _ = run("schema", "--write", str(folder))
    assert code == 0 and "skrev" in out
    target = folder / "plan.schema.json"
    written = json.loads(target.read_text("utf-8"))
    assert written["$comment"].startswith("Skriven av finsamplan")
    code, stdout, _ = run("schema")
    assert {k: v for k, v in written.items() if k != "$comment"} == json.loads(stdout)
    assert run("schema", "--write", str(folder))[1].strip().endswith("är redan aktuellt")
    stale = dict(written, title="äldre")
    target.write_text(json.dumps(stale), "utf-8")
    assert run("schema", "--write", str(folder))[0] == 0  # finsamplan's own: refreshed
    assert json.loads(target.read_text("utf-8")) == written
    target.write_text('{"title": "mitt eget"}', "utf-8")
    code, _, err = run("schema", "--write", str(folder))
    assert code == 2 and "inte skrivet av finsamplan" in err
    assert target.read_text("utf-8") == '{"title": "mitt eget"}'
    assert run("schema", "--write", str(folder), "--force")[0] == 0
    assert json.loads(target.read_text("utf-8")) == written
    assert run("schema", str(folder))[0] == 2  # a folder only with --write


def test_schema_modeline_is_relative_to_the_plan() -> None:
    from finsamplan.plan.writer import schema_modeline

    line = "# yaml-language-server: $schema={}\n"
    assert schema_modeline(Path("plans/plan-2026.yaml")) == line.format("plan.schema.json")
    nested = schema_modeline("plans/arkiv/plan-2020.yaml", "plans/plan.schema.json")
    assert nested == line.format("../plan.schema.json")


# --- helpers -----------------------------------------------------------------------------

LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def libreoffice(files: list[Path], tmp_path: Path) -> list[Path]:
    """The files opened in headless LibreOffice (formulas calculated) and saved as XLSX."""
    soffice = need_tool("soffice")
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_PROFILE, "utf-8")
    out = tmp_path / "saved"
    inputs = []
    for f in files:
        copy = tmp_path / "in" / f.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy(f, copy)
        inputs.append(copy)
    args = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    args += ["--convert-to", "xlsx", "--outdir", str(out), *map(str, inputs)]
    subprocess.run(args, check=True, capture_output=True, timeout=240)
    return [out / (f.stem + ".xlsx") for f in files]


# --- invariants --------------------------------------------------------------------------

_WORDS = ["Personal", "Lokaler", "Resor", "Utbildning", "Projekt Ett", "Insats Två", "Drift"]


@st.composite
def budgets(draw: st.DrawFn) -> tuple[list[list[object]], dict[str, list[int]], str]:
    """A sheet laid out as a förbund lays one out, and the sums it must import to."""
    years = draw(st.integers(2001, 2095))
    unit = draw(st.sampled_from(["kr", "tkr"]))
    amount = st.integers(0, 5_000_000 if unit == "kr" else 5_000)
    rows: list[list[object]] = [
        [f"Samordningsförbundet Prov, {unit}"],
        ["", f"Budget {years}", f"Budgetplan {years + 1}", f"Prognos {years + 2}"],
        ["Intäkter"],
    ]
    state = draw(st.lists(amount, min_size=3, max_size=3))
    rows.append(["Försäkringskassan", *state])
    rows.append(["Region Prov", *[s // 2 for s in state]])
    rows.append(["Provs kommun", *[s - s // 2 for s in state]])
    available = [s * 2 for s in state]
    rows.append(["Summa intäkter", *available])
    groups = draw(st.integers(1, 3))
    costs = [0, 0, 0]
    sums: dict[str, list[int]] = {}
    for g in range(groups):
        title = ["Administration", "Individinriktade insatser", "Strukturella insatser"][g]
        rows.append([title])
        n = draw(st.integers(1, 4))
        group = [0, 0, 0]
        for i in range(n):
            values = draw(st.lists(amount, min_size=3, max_size=3))
            rows.append([f"{_WORDS[i]} {g}", *values])
            group = [a + b for a, b in zip(group, values, strict=True)]
        rows.append([f"Summa {title.lower()}", *group])
        costs = [a + b for a, b in zip(costs, group, strict=True)]
        sums[title] = group
    rows.append(["Summa kostnader", *costs])
    factor = 1000 if unit == "tkr" else 1
    expected = {k: [v * factor for v in vs] for k, vs in sums.items()}
    expected["available"] = [v * factor for v in available]
    expected["costs"] = [v * factor for v in costs]
    return rows, expected, draw(st.sampled_from(["xlsx", "csv"]))


def _write_sheet(rows: list[list[object]], kind: str, folder: Path) -> Path:
    if kind == "xlsx":
        wb = openpyxl.Workbook()
        for row in rows:
            wb.active.append(row)
        path = folder / "prov.xlsx"
        wb.save(path)
        return path
    path = folder / "prov.csv"
    text = "\n".join(
        ";".join(f"{v:,}".replace(",", " ") if isinstance(v, int) else str(v) for v in row)
        for row in rows
    )
    path.write_text(text + "\n", "utf-8")
    return path


@given(budgets())
def test_generated_sheets_import_to_their_sums_with_every_cell_accounted_for(
    budget: tuple[list[list[object]], dict[str, list[int]], str],
) -> None:
    import tempfile

    from finsamplan.figures.budget import compute
    from finsamplan.plan.model import Plan

    rows, expected, kind = budget
    with tempfile.TemporaryDirectory() as folder:
        path = _write_sheet(rows, kind, Path(folder))
        imported = import_budget(path)
    cells = [a for acc in imported.accounts for a in acc.cells]
    filled = sum(1 for row in rows for v in row if str(v).strip())
    assert len(cells) == len(set(cells)) == filled == imported.cells
    assert not imported.differences and not imported.fill_in
    plan = Plan.model_validate(imported.data)
    result = compute(plan)
    keys = plan.column_keys()
    titles = {g.title: g.id for g in plan.groups}
    for title, values in expected.items():
        name = titles.get(title, title)
        assert [result.totals[k].get(name) for k in keys] == values, title


def test_shares_in_percent_are_left_not_read_as_money(tmp_path: Path) -> None:
    wb = openpyxl.load_workbook(SJOBYGDEN)
    ws = wb.active
    ws["A36"] = "Administrationens andel av kostnaderna"
    for column, share in zip("BCDEF", [0.275, 0.277, 0.262, 0.28, 0.283], strict=True):
        ws[f"{column}36"] = share
        ws[f"{column}36"].number_format = "0.0%"
    path = tmp_path / "andelar.xlsx"
    wb.save(path)
    imported = import_budget(path)
    left = {a.cells: a.what for a in imported.left}
    assert left[("A36", "B36", "C36", "D36", "E36", "F36")] == "andelar i procent, inga belopp"
    assert not imported.differences and imported.matched_totals == 6


def test_budget_sheets_of_every_shipped_and_generated_plan_import_back_to_their_totals(
    tmp_path: Path,
) -> None:
    """What finsamplan writes, it reads back: every total the same, every total row checked."""
    import sys

    from finsamplan.figures.budget import TOTAL_NAMES, compute, to_json
    from finsamplan.plan.loader import load_plan
    from finsamplan.plan.model import Plan
    from finsamplan.render.xlsx import to_xlsx

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_plans import make_plans

    shipped = sorted(
        [*(ROOT / "plans").glob("*.yaml"), *(ROOT / "plans" / "examples").glob("*.yaml")]
    )
    for path in [*shipped, *make_plans(tmp_path / "gen", n=8, seed=11)]:
        plan = load_plan(path).plan
        assert plan is not None, path
        sheet = tmp_path / f"{path.stem}.xlsx"
        sheet.write_bytes(to_xlsx(compute(plan), path.stem, []))
        imported = import_budget(sheet)
        back = compute(Plan.model_validate(imported.data))
        want = compute(plan)
        # The sheet does not carry group ids, only titles: groups are compared in their order.
        for name in TOTAL_NAMES:
            assert to_json(back, "x")["totals"][name] == to_json(want, "x")["totals"][name], path
        assert [t.total for t in back.cost_tables] == [t.total for t in want.cost_tables], path
        assert [t.title for t in back.cost_tables] == [t.title for t in want.cost_tables], path
        assert not imported.differences, path
        assert [a.cells for a in imported.left] == [("Anmärkningar!A1:D1",)], path
        tables = len(plan.groups) + 1
        assert imported.matched_totals >= tables, path


def test_a_text_with_a_line_break_is_one_cell_and_rows_are_numbered_as_a_spreadsheet_does(
    tmp_path: Path,
) -> None:
    text = (
        "Samordningsförbundet Rad, tkr\n;Budget 2025;Budgetplan 2026\nFörsäkringskassan;1000;1000\n"
        "Region Rad;500;500\nRads kommun;500;500\nKostnader\n"
        '"Konsulttjänster:\nUtveckling av ny verksamhet";1500;1500\n'
        '"Kansli ""extra""";500;4,0005\nSumma;2000;2000\n'
    )
    path = _csv(tmp_path, text)
    with pytest.raises(ImportFailed) as failed:
        import_budget(path)
    # 4,0005 tkr is 4 000,5 kr: refused at its cell, counted as a spreadsheet counts rows
    assert [(p.code, p.cell) for p in failed.value.problems] == [("IMP012", "C8")]
    imported = import_budget(_csv(tmp_path, text.replace(";4,0005", ";500"), "ok.csv"))
    lines = imported.data["costs"]["kostnader"]
    assert [line["label"] for line in lines] == [
        "Konsulttjänster: Utveckling av ny verksamhet",
        'Kansli "extra"',
    ]
    took = {a.cells: a.what for a in imported.took}
    assert took[("A9", "B9", "C9")].startswith("summa: gruppen 'kostnader'")
