"""`finsamplan followup`: actuals against budget, every figure of the made-up export checked.

The export tests/data/finsamgotland-2023-10.csv is written by tests/data/make_export.py; the
figures below follow from its design (e.g. salaries 95 000 + 29 849 a month for ten months).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import MINIMAL, ROOT, SEED_PLAN, need_tool
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures.actuals import ImportError_, load_actuals, parse_date
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Actuals, Plan
from finsamplan.year.followup import Followup, followup

EXPORT = ROOT / "tests" / "data" / "finsamgotland-2023-10.csv"
runner = CliRunner()

# line id: (budget, actual, expected, forecast) to 2023-10-31
EXPECTED = {
    "avgift-fk": (2_157_000, 2_157_000, 2_157_000, 2_157_000),
    "avgift-rg": (2_157_000, 2_157_000, 2_157_000, 2_157_000),
    "extra-tilldelning": (0, 0, 0, 0),
    "personal": (1_500_000, 1_248_490, 1_250_000, 1_498_490),
    "revision": (47_600, 0, 0, 47_600),
    "telefoni-webb": (40_000, 31_000, 33_333, 37_667),
    "kurser-konferenser-resor": (80_000, 52_700, 66_667, 66_033),
    "avgifter": (10_000, 4_100, 8_333, 5_767),
    "forbrukning": (45_000, 32_346, 37_500, 39_846),
    "medlemsavgifter": (21_180, 21_180, 21_180, 21_180),
    "inkopta-tjanster": (106_000, 79_500, 79_500, 106_000),
    "styrelsen": (30_000, 22_500, 22_500, 30_000),
    "representation": (30_000, 9_870, 25_000, 14_870),
    "inspiration": (250_000, 143_000, 208_333, 184_667),
    "frukostmoten": (70_000, 31_200, 58_333, 42_867),
    "metodutbildningar": (250_000, 215_000, 208_333, 256_667),
    "indikatorerna": (10_000, 10_000, 10_000, 10_000),
    "konsulttjanster": (250_000, 40_000, 208_333, 81_667),
    "samverkansinsatser": (200_000, 96_500, 166_667, 129_833),
    "jobbsam": (2_140_000, 2_140_000, 2_140_000, 2_140_000),
    "sprakstod": (0, 0, 0, 0),
    "jobbsam-utvardering": (150_000, 55_000, 75_000, 130_000),
    "hubhemse": (0, 0, 0, 0),
}
GROUPS = {  # budget, actual, expected, forecast
    "income": (4_314_000, 4_314_000, 4_314_000, 4_314_000),
    "administration": (1_909_780, 1_501_686, 1_544_013, 1_867_453),
    "utvecklingsinsatser": (1_030_000, 535_700, 859_999, 705_701),
    "projekt": (2_290_000, 2_195_000, 2_215_000, 2_270_000),
}


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def with_totals(actuals: Actuals, *words: str) -> Actuals:
    """The plan's actuals block with ``totals.words`` stated, as a förbund would write it."""
    return actuals.model_copy(
        update={"totals": actuals.totals.model_copy(update={"words": list(words)})}
    )


@pytest.fixture(scope="module")
def stated(plan: Plan) -> Plan:
    return plan.model_copy(update={"actuals": with_totals(plan.actuals, "Summa")})


@pytest.fixture(scope="module")
def result(stated: Plan) -> Followup:
    return followup(stated, load_actuals(EXPORT, stated.actuals), "plan-2023", date(2023, 10, 31))


def test_import_maps_every_row_or_lists_it(result: Followup) -> None:
    imp = result.imported
    assert imp.encoding == "windows-1252"
    assert imp.amount_format == "decimalkomma, mellanslag mellan tusental (avgjort av filen)"
    assert len(imp.rows) == 96 and len(imp.mapped) == 93 and len(imp.unmapped) == 3
    assert [(r.row, r.account, r.text, r.amount) for r in imp.unmapped] == [
        (74, "8310", "Ränteintäkter", Decimal("-1234.56")),
        (78, "6993", "Lämnat bidrag, ej planerat", Decimal("12500.00")),
        (99, "4990", "Rättelse", Decimal("3350.75")),
    ]
    assert [(b.finding.code, b.row, b.amount) for b in imp.bad] == [
        ("ACT003", 42, Decimal("4500.00")),  # the date is broken, the amount is read
        ("ACT003", 72, None),
    ]
    assert "'2023-13-45'" in imp.malformed[0].message
    assert "'1 234,5,0'" in imp.malformed[1].message
    assert imp.malformed[0].file and imp.malformed[0].file.endswith("finsamgotland-2023-10.csv")
    assert (imp.malformed[0].line, imp.malformed[0].column) == (42, 1)
    assert (imp.malformed[1].line, imp.malformed[1].column) == (72, 5)
    assert imp.physical_rows == imp.accounted_rows == 100


def test_reconciliation(result: Followup) -> None:
    rec = result.reconciliation
    buckets = {b.key: (b.rows, b.amount, b.unknown) for b in rec.buckets}
    assert buckets == {
        "mapped": (93, Decimal("-81614.50"), 0),
        "unmapped": (3, Decimal("14616.19"), 0),
        "balance": (0, Decimal(0), 0),
        "before": (0, Decimal(0), 0),
        "after": (0, Decimal(0), 0),
        "malformed": (2, Decimal("4500.00"), 1),
    }
    assert rec.declared == Decimal("-61263.81") and rec.declared_row == 100
    assert [(t.row, t.rule, t.grand) for t in rec.totals] == [(100, "words", True)]
    assert rec.counted == Decimal("-62498.31")
    # The export's own total differs from what was read by exactly the row whose amount
    # cannot be read (1 234,50); the row with the broken date is counted among the malformed.
    assert rec.difference == Decimal("1234.50")
    recon = next(w for w in result.warnings if w.code == "UPP040")
    assert "differens 1\u00a0234,50 kr, 1 rad vars belopp inte kunde läsas" in recon.message


def test_without_a_stated_rule_the_summa_row_is_not_a_total(plan: Plan) -> None:
    """Its amount is not the sum of the rows above it (a row is damaged), and text alone
    never makes a total: the row is malformed, its amount not counted, and says why."""
    imp = load_actuals(EXPORT, plan.actuals)
    assert imp.totals == [] and imp.declared_total is None
    last = imp.bad[-1]
    assert (last.row, last.finding.code, last.amount) == (100, "ACT014", None)
    assert (
        "beloppet \u221261\u00a0263,81 är inte summan av raderna ovanför " in last.finding.message
    )
    assert "(\u221262\u00a0498,31)" in last.finding.message


def test_every_line_and_group(result: Followup) -> None:
    assert result.elapsed == 10
    lines = {ln.id: (ln.budget, ln.actual, ln.expected, ln.forecast) for ln in result.lines}
    assert lines == EXPECTED
    groups = {g.id: (g.budget, g.actual, g.expected, g.forecast) for g in result.groups}
    assert groups == GROUPS


def test_result_and_equity(result: Followup) -> None:
    assert result.unmapped_actual == 14_616
    assert result.equity_in == 1_883_509
    assert result.income_forecast == 4_314_000
    assert result.costs_forecast == 1_867_453 + 705_701 + 2_270_000 + 14_616 == 4_857_770
    assert result.year_end_equity == 1_339_739
    assert result.budget_surplus == 967_729
    assert result.ceiling == 862_800


def test_warnings_in_plain_swedish(result: Followup) -> None:
    by_line = {w.figures.get("line"): w for w in result.warnings if w.code == "UPP020"}
    assert set(by_line) == {
        "kurser-konferenser-resor",
        "representation",
        "inspiration",
        "frukostmoten",
        "konsulttjanster",
        "samverkansinsatser",
        "jobbsam-utvardering",
    }
    assert by_line["konsulttjanster"].message.startswith(
        "Konsulttjänster: Utveckling av ny verksamhet Utvärdering av finansierad verksamhet: "
        "prognosen för helåret 81\u00a0667 kr är 168\u00a0333 kr (67,3\u00a0%) under budget "
        "250\u00a0000 kr"
    )
    # Below the threshold: metodutbildningar +6 667 (2,7 %); avgifter −4 233 (< 10 000 kr).
    assert "metodutbildningar" not in by_line and "avgifter" not in by_line
    codes = [w.code for w in result.warnings]
    assert codes.count("UPP030") == 1 and codes.count("UPP050") == 1
    equity = next(w for w in result.warnings if w.code == "UPP050")
    assert equity.figures == {"equity": 1_339_739, "ceiling": 862_800}


def mapping_file(folder: Path, actuals: Actuals) -> Path:
    """A ``--mapping`` file holding the given actuals block."""
    import yaml

    path = folder / "mappning.yaml"
    data = {"actuals": actuals.model_dump(mode="json", exclude_none=True)}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    return path


def test_cli_json_xlsx_and_pdf_hold_the_same_figures(stated: Plan, tmp_path: Path) -> None:
    cli = runner.invoke(
        app,
        [
            "followup",
            "plan-2023",
            "--actuals",
            str(EXPORT),
            "--mapping",
            str(mapping_file(tmp_path, stated.actuals)),
            "--until",
            "2023-10-31",
            "-f",
            "json",
            "-f",
            "xlsx",
            "-f",
            "pdf",
            "-f",
            "md",
            "-f",
            "html",
            "-o",
            str(tmp_path / "out"),
        ],
    )
    tmp_path = tmp_path / "out"
    assert cli.exit_code == 1, cli.output  # the damaged rows and the reconciliation are errors
    data = json.loads((tmp_path / "uppfoljning-2023-10-31.json").read_text("utf-8"))
    assert {
        ln["id"]: (ln["budget"], ln["actual"], ln["expected"], ln["forecast"])
        for ln in data["lines"]
    } == EXPECTED
    assert data["reconciliation"]["difference"] == "1234.50"
    assert [b["amount"] for b in data["reconciliation"]["buckets"]] == [
        "-81614.50", "14616.19", "0", "0", "0", "4500.00"
    ]  # fmt: skip
    assert [u["row"] for u in data["unmapped"]] == [74, 78, 99]
    assert data["result"]["year_end_equity"] == 1_339_739

    wb = openpyxl.load_workbook(tmp_path / "uppfoljning-2023-10-31.xlsx", data_only=True)
    ws = wb["Uppföljning"]
    sheet = {r[0]: r[1:] for r in ws.iter_rows(values_only=True) if r[0]}
    for ln in data["lines"]:
        budget, actual, _, expected, forecast, deviation = sheet[ln["label"]][:6]
        assert (budget, actual, expected, forecast, deviation) == (
            ln["budget"],
            ln["actual"],
            ln["expected"],
            ln["forecast"],
            ln["deviation"],
        )
    sums = [r for r in ws.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("Summa")]
    assert [(s[1], s[2], s[4], s[5]) for s in sums] == [
        (g["budget"], g["actual"], g["expected"], g["forecast"]) for g in data["groups"]
    ]
    assert sheet["Eget kapital vid årets slut"][4] == 1_339_739  # Prognos helår
    assert [r[5] for r in wb["Omappat"].iter_rows(min_row=2, values_only=True)] == [
        "Ränteintäkter",
        "Lämnat bidrag, ej planerat",
        "Rättelse",
    ]

    need_tool("pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "uppfoljning-2023-10-31.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    flat = " ".join(text.replace("\u00a0", " ").split())
    from finsamplan.base.money import format_kronor

    for ln in data["lines"]:
        if ln["budget"]:
            figures = " ".join(
                format_kronor(v).replace("\u00a0", " ") for v in (ln["budget"], ln["actual"])
            )
            assert figures in flat, ln["label"]
    assert "1 339 739" in flat and "1 234,50" in flat and "Ränteintäkter" in flat
    md = (tmp_path / "uppfoljning-2023-10-31.md").read_text("utf-8")
    assert "| **Summa** | **1\u00a0909\u00a0780** | **1\u00a0501\u00a0686** |" in md
    html = (tmp_path / "uppfoljning-2023-10-31.html").read_text("utf-8")
    assert html.count("<svg") == 1 and 'id="omappat"' in html


def test_table_output_lists_unmapped_rows() -> None:
    cli = runner.invoke(app, ["followup", "plan-2023", "-a", str(EXPORT), "--until", "2023-10-31"])
    assert cli.exit_code == 1
    assert "omappad rad 78: 2023-09-19 6993" in cli.stdout
    assert "finsamgotland-2023-10.csv:42:1: fel ACT003" in cli.stdout
    assert "finsamgotland-2023-10.csv:100:2: fel ACT014" in cli.stdout
    assert "Felaktiga rader (varav 2 utan läsbart belopp): 3 rader, 4\u00a0500,00" in cli.stdout
    assert "Rader utan belopp (rubriker, tomma rader): 1 rad\n" in cli.stdout
    assert "Exportens summa (ingen summarad): –" in cli.stdout


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("cp1252")), delimiter=";"))


def _swedish(text: str) -> float:
    """The made-up export's amounts (``-1 234,50``) as numbers, for an XLSX copy of it."""
    return float(Decimal(text.replace(" ", "").replace(",", ".")))


def test_xlsx_export_gives_the_same_result(stated: Plan, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, row in enumerate(_rows(EXPORT)):
        if i == 0 or (not row[1] and "Summa" in row):
            ws.append(row if i == 0 else [None, None, None, "Summa", _swedish(row[4])])
            continue
        try:
            day: object = datetime.fromisoformat(row[0])
        except ValueError:
            day = row[0]
        try:
            amount: object = _swedish(row[4])
        except ArithmeticError:
            amount = row[4]
        ws.append([day, int(row[1]), row[2] or None, row[3], amount])
    xlsx = tmp_path / "export.xlsx"
    wb.save(xlsx)
    result = followup(stated, load_actuals(xlsx, stated.actuals), "plan-2023", date(2023, 10, 31))
    assert {
        ln.id: (ln.budget, ln.actual, ln.expected, ln.forecast) for ln in result.lines
    } == EXPECTED
    assert result.reconciliation.difference == Decimal("1234.50")
    assert [(m.line, m.column) for m in result.imported.malformed] == [(42, 1), (72, 5)]
    assert result.imported.kind == "xlsx" and result.imported.accounted_rows == 100


def test_comma_separated_utf8_with_quoted_decimal_commas(plan: Plan, tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Bokföringsdatum,Konto,Kostnadsställe,Verifikationstext,Belopp\n"
        '2023-02-01,7010,ADM,Lön,"1 234,50"\n'
        "2023-02-02,7010,ADM,Lön,-234\n"
        '20230203,4010,FRUK,Frukost,"2 000"\n'
        "2023-02-04,4010,FRUK,Frukost\n",
        "utf-8",
    )
    imp = load_actuals(export, plan.actuals)
    assert [(r.line, r.amount) for r in imp.rows] == [
        ("personal", Decimal("1234.50")),
        ("personal", Decimal("-234.00")),
        ("frukostmoten", Decimal("2000.00")),
    ]
    assert [(m.line, "4 kolumner" in m.message) for m in imp.malformed] == [(5, True)]
    assert imp.declared_total is None and imp.totals == []


def test_unreadable_exports_exit_two(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["followup", "plan-2023", "-a", str(tmp_path / "nej.csv")])
    assert missing.exit_code == 2 and "ACT001" in missing.stderr
    wrong = tmp_path / "fel.csv"
    wrong.write_text("Dag;Konto;Summa kronor\n2023-01-01;7010;5\n", "utf-8")
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(wrong)])
    assert result.exit_code == 2
    assert "ACT002" in result.stderr and "date (datum" in result.stderr


def test_mapping_side_file_and_column_names(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Dag;Kto;Summa kronor\n2023-03-01;9999;100,00\n", "utf-8")
    side = tmp_path / "mappning.yaml"
    side.write_text(
        "actuals:\n  columns: {date: Dag, account: Kto, amount: Summa kronor}\n"
        "  mapping:\n    - {account: '9999', line: revision}\n",
        "utf-8",
    )
    result = runner.invoke(
        app, ["followup", "plan-2023", "-a", str(export), "--mapping", str(side), "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    revision = next(ln for ln in data["lines"] if ln["id"] == "revision")
    assert revision["actual"] == 100
    bad = tmp_path / "trasig.yaml"
    bad.write_text("actuals:\n  mappning: []\n", "utf-8")
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(export), "--mapping", str(bad)])
    assert result.exit_code == 2 and "trasig.yaml:2:3" in result.stderr


def test_mapping_rules_must_point_at_lines(tmp_path: Path) -> None:
    text = MINIMAL + "actuals:\n  mapping:\n    - {account: '7010', line: finns-inte}\n"
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    loaded = load_plan(path)
    assert [f.code for f in loaded.findings] == ["REF011"]
    assert loaded.findings[0].message == "actuals.mapping: 'finns-inte' är ingen rad i planen"


def test_a_member_id_where_a_line_was_meant_says_how_to_give_it_a_line(tmp_path: Path) -> None:
    text = MINIMAL + "actuals:\n  mapping:\n    - {account: '3010', line: fk}\n"
    path = tmp_path / "p.yaml"
    path.write_text(text, "utf-8")
    (found,) = load_plan(path).findings
    assert found.code == "REF011"
    assert found.message == (
        "actuals.mapping: 'fk' är ingen rad i planen; 'fk' är en medlem, inte en rad: ge "
        "medlemmens intäktsrad ett id (`id: fk` och `member: fk` under income) och mappa till det"
    )


def test_dates() -> None:
    assert (
        parse_date("2023-10-31")
        == parse_date("20231031")
        == parse_date("31.10.2023")
        == date(2023, 10, 31)
    )
    with pytest.raises(ValueError):
        parse_date("2023-13-45")


def test_utfall_column_renders_beside_the_budget(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "  - {year: 2026, kind: budget}\n",
        "  - {year: 2026, kind: utfall, id: utfall-2026}\n  - {year: 2026, kind: budget}\n",
    )
    text = text.replace(
        "label: Förbundschef\n      amounts: {2026: 500000,",
        "label: Förbundschef\n      amounts: {utfall-2026: 487123, 2026: 500000,",
    )
    path = tmp_path / "utfall.yaml"
    path.write_text(text, "utf-8")
    result = runner.invoke(app, ["render", str(path), "-f", "md", "-o", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "o" / "plan.md").read_text("utf-8")
    assert "| Administration | Utfall 2026 | Budget 2026 | Budgetplan 2027 |" in md
    assert "| Förbundschef | 487\u00a0123 | 500\u00a0000 |" in md


def test_bad_import_error_type() -> None:
    with pytest.raises(ImportError_):
        load_actuals(Path("/finns/inte.csv"), Actuals())
