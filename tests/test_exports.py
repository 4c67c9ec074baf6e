"""Exports from finance systems: amounts never guessed, every row in exactly one bucket.

The corpus in tests/data/exports/ (written by make_corpus.py there) is read with the seed
plan's mapping and followed up to 2023-10-31; every bucket, sum, total row and finding below
was worked out by hand from the files. A property test then writes random exports in every
convention and checks that whatever is read is the true amount, and that the buckets and the
rows that could not be read add up to the export's total, to the öre.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_PLAN
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures import actuals, amounts, csvfile
from finsamplan.figures.actuals import (
    Import,
    ImportError_,
    load_actuals,
    parse_date,
    read_data,
    reconcile,
)
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Actuals, Plan

CORPUS = ROOT / "tests" / "data" / "exports"
START, UNTIL = date(2023, 1, 1), date(2023, 10, 31)
runner = CliRunner()
D = Decimal


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded.plan


def config(plan: Plan, **update: Any) -> Actuals:
    """The seed plan's actuals block with some keys changed, validated as in a plan."""
    words = update.pop("words", None)
    if words is not None:
        update["totals"] = {"words": words}
    return Actuals.model_validate({**plan.actuals.model_dump(exclude={*update}), **update})


# file: (amount format, buckets {key: (rows, sum, unknown)}, declared (sum, row) or None,
#        total rows [(row, first row of its block, grand)], bad rows [(row, col, code, amount)])
CASES: dict[str, tuple[str, dict[str, tuple[int, str, int]], Any, list[Any], list[Any]]] = {
    "komma-mellanslag.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (3, "193000.50", 0), "unmapped": (1, "1234.56", 0)},
        ("194235.06", 6),
        [(6, 2, True)],
        [],
    ),
    "punkt-komma.csv": (
        "decimalpunkt, komma mellan tusental",
        {"mapped": (3, "98310.50", 0)},
        ("98310.50", 5),
        [(5, 2, True)],
        [],
    ),
    "punkt-tusental.csv": (
        "decimalkomma, punkt mellan tusental",
        {"mapped": (3, "96544.50", 0)},
        None,
        [],
        [],
    ),
    "apostrof.csv": (
        "decimalpunkt, apostrof mellan tusental",
        {"mapped": (3, "1237579.55", 0)},
        None,
        [],
        [],
    ),
    "minus-efter.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (4, "-448750.00", 0)},
        ("-448750.00", 6),
        [(6, 2, True)],
        [],
    ),
    "windows-1252.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (2, "96234.50", 0), "unmapped": (1, "250.25", 0)},
        None,
        [],
        [],
    ),
    "oavslutat-citat.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (3, "190310.00", 0), "malformed": (2, "0", 2)},
        None,
        [],
        [(3, 4, "ACT003", None), (6, 2, "ACT014", None)],
    ),
    "delsummor.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (4, "196000.00", 0)},
        ("196000.00", 10),
        [(6, 4, False), (9, 7, False), (10, 4, True)],
        [],
    ),
    "utanfor-perioden.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {
            "mapped": (2, "190000.00", 0),
            "before": (1, "95000.00", 0),
            "after": (2, "98000.00", 0),
        },
        ("383000.00", 7),
        [(7, 2, True)],
        [],
    ),
    "tvetydig.csv": (
        "oavgjort av filen (ange actuals.format)",
        {"mapped": (1, "310.00", 0), "malformed": (2, "0", 2)},
        None,
        [],
        [(2, 4, "ACT010", None), (3, 4, "ACT010", None)],
    ),
    "oense.csv": (
        "decimalkomma, punkt mellan tusental",
        {"mapped": (2, "3234.50", 0), "malformed": (1, "0", 1)},
        None,
        [],
        [(4, 4, "ACT011", None)],
    ),
    "stora-belopp.csv": (
        "decimalkomma, mellanslag mellan tusental",
        {"mapped": (1, "3000.00", 0), "malformed": (2, "0", 2)},
        None,
        [],
        [(2, 4, "ACT012", None), (3, 4, "ACT012", None)],
    ),
}


def test_the_corpus_is_what_make_corpus_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert set(module.FILES) == {*CASES, "bara-rubrik.csv"}
    for name, (encoding, newline, lines) in module.FILES.items():
        assert (CORPUS / name).read_bytes() == (newline.join(lines) + newline).encode(encoding)


def buckets_of(imp: Import) -> dict[str, tuple[int, str, int]]:
    rec = reconcile(imp, START, UNTIL)
    return {b.key: (b.rows, str(b.amount), b.unknown) for b in rec.buckets if b.rows}


@pytest.mark.parametrize("name", sorted(CASES))
def test_corpus_buckets_and_sums(plan: Plan, name: str) -> None:
    fmt, buckets, declared, totals, bad = CASES[name]
    imp = load_actuals(CORPUS / name, plan.actuals)
    rec = reconcile(imp, START, UNTIL)
    # A format the file leaves open is not said to be settled by the file (was
    # "oavgjort av filen (ange actuals.format) (avgjort av filen)").
    settled = fmt if fmt.startswith("oavgjort") else f"{fmt} (avgjort av filen)"
    assert imp.amount_format == settled
    assert buckets_of(imp) == buckets
    assert [(t.row, t.first, t.grand) for t in imp.totals] == totals
    assert [(b.row, b.finding.column, b.finding.code, b.amount) for b in imp.bad] == bad
    for b in imp.bad:
        assert b.finding.file == str(CORPUS / name) and b.finding.line == b.row
    if declared is None:
        assert rec.declared is None and rec.difference is None
    else:
        assert (str(rec.declared), rec.declared_row) == declared
        assert rec.difference == 0 == rec.declared - sum(D(v[1]) for v in buckets.values())
    # Every row of the file is in exactly one place.
    assert imp.physical_rows == imp.accounted_rows
    assert imp.physical_rows == len((CORPUS / name).read_bytes().splitlines())


def test_corpus_details(plan: Plan) -> None:
    cp1252 = load_actuals(CORPUS / "windows-1252.csv", plan.actuals)
    assert cp1252.encoding == "windows-1252"
    assert [r.text for r in cp1252.rows] == [
        "Lön förbundschef maj",
        "Växel och telefoni",
        "Övrigt, ej fördelat",
    ]
    tusental = load_actuals(CORPUS / "punkt-tusental.csv", plan.actuals)
    assert [r.amount for r in tusental.rows] == [D("95000.00"), D("1234.50"), D("310.00")]
    ledger = load_actuals(CORPUS / "delsummor.csv", plan.actuals)
    assert (ledger.header_row, ledger.preamble, ledger.blank) == (3, [1], 1)
    assert [t.text for t in ledger.totals] == [
        "Summa konto 7010",
        "Summa konto 5010",
        "Summa totalt",
    ]
    minus = load_actuals(CORPUS / "minus-efter.csv", plan.actuals)
    assert [r.amount for r in minus.rows] == [
        D("-539250.00"),
        D("95000.00"),
        D("-3000.00"),
        D("-1500.00"),
    ]
    quote = load_actuals(CORPUS / "oavslutat-citat.csv", plan.actuals)
    assert [r.row for r in quote.rows] == [2, 4, 5]
    assert quote.rows[-1].text == 'Telefon "mobil"'
    assert "citattecknet stängs aldrig på raden" in quote.bad[0].finding.message
    odd = load_actuals(CORPUS / "oense.csv", plan.actuals)
    assert odd.bad[0].finding.message == (
        "rad 4: beloppet '1,234.50' följer inte filens format (decimalkomma, punkt mellan "
        "tusental), som rad 2 '1.234,50' visar"
    )
    ambiguous = load_actuals(CORPUS / "tvetydig.csv", plan.actuals)
    assert ambiguous.bad[0].finding.message.startswith(
        "rad 2: beloppet '95.000' kan läsas som 95,00 kr eller 95\u00a0000,00 kr och inget "
        "annat belopp i filen avgör vilket"
    )


def test_a_stated_total_rule_takes_the_summa_row_and_shows_the_difference(plan: Plan) -> None:
    imp = load_actuals(CORPUS / "oavslutat-citat.csv", config(plan, words=["summa"]))
    rec = reconcile(imp, START, UNTIL)
    assert [(t.row, t.rule, t.grand, t.first) for t in imp.totals] == [(6, "words", True, None)]
    assert rec.declared == D("193310.00") and rec.counted == D("190310.00")
    assert rec.difference == D("3000.00") and rec.unknown == 1  # the row with the open quote


def test_a_stated_format_decides_what_the_file_cannot(plan: Plan) -> None:
    point = load_actuals(CORPUS / "tvetydig.csv", config(plan, format={"decimal": "."}))
    assert point.amount_format == "decimalpunkt, komma mellan tusental (angivet)"
    assert [r.amount for r in point.rows] == [D("95.00"), D("1234.00"), D("310.00")]
    comma = load_actuals(
        CORPUS / "tvetydig.csv", config(plan, format={"decimal": ",", "thousands": "."})
    )
    assert [r.amount for r in comma.rows] == [D("95000.00"), D("310.00")]
    assert [(b.row, b.finding.code) for b in comma.bad] == [(3, "ACT012")]  # 1,234 öre
    stated = load_actuals(CORPUS / "oense.csv", config(plan, format={"decimal": "."}))
    assert [(b.row, b.finding.code) for b in stated.bad] == [(2, "ACT011"), (3, "ACT011")]
    assert "följer inte det angivna formatet (decimalpunkt" in stated.bad[0].finding.message


def followup_json(*args: str) -> tuple[int, dict[str, Any], str]:
    result = runner.invoke(app, ["followup", "plan-2023", *args, "-f", "json"])
    data = json.loads(result.stdout) if result.stdout.startswith("{") else {}
    return result.exit_code, data, result.stderr


def test_cli_shows_every_bucket_and_the_rows_outside_the_period() -> None:
    code, data, _ = followup_json(
        "-a", str(CORPUS / "utanfor-perioden.csv"), "--until", "2023-10-31"
    )
    assert code == 0
    rec = data["reconciliation"]
    assert [(b["key"], b["rows"], b["amount"]) for b in rec["buckets"]] == [
        ("mapped", 2, "190000.00"),
        ("unmapped", 0, "0"),
        ("balance", 0, "0"),
        ("before", 1, "95000.00"),
        ("after", 2, "98000.00"),
        ("malformed", 0, "0"),
    ]
    assert (rec["declared_total"], rec["counted"], rec["difference"]) == (
        "383000.00",
        "383000.00",
        "0.00",
    )
    assert [(b["first"], b["last"]) for b in rec["buckets"][3:5]] == [
        ("2022-12-30", "2022-12-30"),
        ("2023-11-25", "2024-01-05"),
    ]
    assert [r["row"] for r in data["outside"]] == [2, 5, 6]
    outside = [w for w in data["warnings"] if w["code"] == "UPP080"]
    assert [(w["severity"], w["figures"]["side"]) for w in outside] == [
        ("warning", "before"),
        ("warning", "after"),
    ]
    assert "1 rad daterad före perioden 2023-01-01–2023-10-31 (2022-12-30–2022-12-30, " \
        "summa 95\u00a0000,00 kr) ingår inte i utfallet; den hör till ett annat år än 2023" \
        in outside[0]["message"]  # fmt: skip
    personal = next(ln for ln in data["lines"] if ln["id"] == "personal")
    assert personal["actual"] == 190_000


def test_cli_decimal_and_thousands_options() -> None:
    tvetydig = str(CORPUS / "tvetydig.csv")
    code, data, _ = followup_json("-a", tvetydig)
    assert code == 1 and [m["code"] for m in data["malformed"]] == ["ACT010", "ACT010"]
    code, data, _ = followup_json("-a", tvetydig, "--decimal", ".")
    assert code == 0 and data["malformed"] == []
    assert (
        data["reconciliation"]["amount_format"] == "decimalpunkt, komma mellan tusental (angivet)"
    )
    code, data, _ = followup_json("-a", tvetydig, "--decimal", ",", "--thousands", ".")
    assert code == 1 and [m["code"] for m in data["malformed"]] == ["ACT012"]
    code, data, _ = followup_json("-a", tvetydig, "--decimal", ",", "--thousands", "space")
    assert code == 1 and [m["code"] for m in data["malformed"]] == ["ACT011", "ACT012"]
    result = runner.invoke(app, ["followup", "plan-2023", "-a", tvetydig, "--decimal", ";"])
    assert result.exit_code == 2 and "--decimal ;" in result.stderr


def test_header_only_is_a_clear_error_not_a_year_under_budget() -> None:
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(CORPUS / "bara-rubrik.csv")])
    assert result.exit_code == 2
    assert "bara-rubrik.csv:1: fel ACT004 exporten har inga rader med belopp" in result.stderr
    assert "UPP020" not in result.output


def test_no_row_in_the_period_is_an_error_without_deviation_warnings(tmp_path: Path) -> None:
    export = tmp_path / "2022.csv"
    export.write_text("Datum;Konto;Belopp\n2022-03-01;7010;95 000,00\n", "utf-8")
    code, data, _ = followup_json("-a", str(export))
    assert code == 1
    # Nothing to follow up comes first, then the rows outside; the equity at year end is not
    # known without a row in the period, so no UPP050 from a forecast of zeros.
    assert [w["code"] for w in data["warnings"]] == ["UPP070", "UPP080"]
    assert "daterade 2022-03-01–2022-03-01" in data["warnings"][0]["message"]


def test_every_format_shows_the_buckets(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["followup", "plan-2023", "-a", str(CORPUS / "delsummor.csv"), "--until", "2023-03-31",
         "-f", "md", "-f", "html", "-f", "xlsx", "-f", "table", "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Summarader och delsummor (räknas inte): 3 rader" in result.stdout
    assert "Rader utan belopp (rubriker, tomma rader): 3 rader" in result.stdout
    md = (out / "uppfoljning-2023-03-31.md").read_text("utf-8")
    assert "| Mappade rader 2023-01-01–2023-03-31 | 4 | 196\u00a0000,00 |" in md
    assert "| Exportens summa (rad 10, summan av raderna) |  | 196\u00a0000,00 |" in md
    assert "| **Differens** |  | **0,00** |" in md
    assert "| 6 | Summa konto 7010 | 190\u00a0000,00 | delsumma, raderna från rad 4 |" in md
    html = (out / "uppfoljning-2023-03-31.html").read_text("utf-8")
    assert 'id="summarader"' in html and "Summa konto 5010" in html
    import openpyxl

    wb = openpyxl.load_workbook(out / "uppfoljning-2023-03-31.xlsx", data_only=True)
    sheet = {r[0]: r[1:] for r in wb["Avstämning"].iter_rows(values_only=True) if r[0]}
    assert sheet["Summa inlästa belopp"] == (4, 196000)
    assert sheet["Exportens summa (rad 10, summan av raderna)"][1] == 196000
    assert sheet["Differens"][1] == 0
    assert sheet["Rader i filen"][0] == 10


# --- CSV that fails small -----------------------------------------------------------------


def read(text: str, name: str = "export.csv", cfg: Actuals | None = None) -> Import:
    return read_data(text.encode("utf-8"), name, cfg or Actuals())


def test_a_huge_cell_is_its_own_rows_error() -> None:
    big = "x" * 200_000
    imp = read(f"Datum;Konto;Text;Belopp\n2023-01-01;7010;{big};5,00\n2023-01-02;7010;ok;6,00\n")
    assert [(b.row, b.finding.column, b.finding.code) for b in imp.bad] == [(2, 3, "ACT003")]
    assert "fältet har 200\u00a0000 tecken, högst 10\u00a0000" in imp.bad[0].finding.message
    assert [r.amount for r in imp.rows] == [D("6.00")]


def test_a_huge_amount_cell_and_40_digits_are_located_errors() -> None:
    imp = read(
        "Datum;Konto;Belopp\n2023-01-01;7010;"
        + "9" * 9_000
        + "\n2023-01-02;7010;1"
        + "0" * 39
        + "\n"
    )
    assert [(b.row, b.finding.column, b.finding.code) for b in imp.bad] == [
        (2, 3, "ACT003"),
        (3, 3, "ACT012"),
    ]


def test_a_quoted_text_may_span_lines_but_never_a_key_column() -> None:
    imp = read(
        'Datum;Konto;Text;Belopp\n2023-01-01;7010;"rad ett\nrad två";5,00\n2023-01-02;7010;x;6,00\n'
    )
    assert [(r.row, r.text, r.amount) for r in imp.rows] == [
        (2, "rad ett\nrad två", D("5.00")),
        (4, "x", D("6.00")),
    ]
    assert imp.continued == 1 and imp.physical_rows == imp.accounted_rows == 4
    # Two broken rows are never joined into one that reads well: a row that begins with a
    # date is a row of its own, not the rest of the text above it.
    inch = read('Datum;Konto;Text;Belopp\n2023-01-01;5010;"Hyra;3 000\n2023-01-02;7010;Lön 24";9\n')
    assert [(b.row, b.finding.column) for b in inch.bad] == [(2, 3)]
    assert [(r.row, r.text, r.amount) for r in inch.rows] == [(3, 'Lön 24"', D("9.00"))]
    broken = read('Datum;Konto;Text;Belopp\n2023-01-01;7010;x;"5\n00"\n2023-01-02;7010;x;6,00\n')
    assert [(b.row, b.finding.column) for b in broken.bad] == [(2, 4), (3, None)]
    assert [r.row for r in broken.rows] == [4]


def test_wrong_column_counts_and_text_after_a_quote() -> None:
    imp = read(
        'Datum;Konto;Text;Belopp\n2023-01-01;7010;5,00\n2023-01-02;7010;"a"b;6,00\n2023-01-03;7010;c;7,00\n'
    )
    assert [(b.row, b.finding.column, b.finding.message) for b in imp.bad] == [
        (2, None, "rad 2: 3 kolumner, rubrikraden har 4"),
        (3, 3, "rad 3: tecken efter det avslutande citattecknet"),
    ]
    assert [r.amount for r in imp.rows] == [D("7.00")]


def test_limits_on_rows_and_bytes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(actuals, "MAX_ROWS", 3)
    with pytest.raises(ImportError_) as caught:
        read("Datum;Konto;Belopp\n" + "2023-01-01;7010;1\n" * 5)
    assert caught.value.finding.code == "ACT005"
    assert "fler än 3 rader" in caught.value.finding.message
    path = tmp_path / "stor.csv"
    path.write_bytes(b"x" * 100)
    with pytest.raises(ImportError_) as caught:
        actuals.read_bytes(path, limit=99)
    assert caught.value.finding.code == "ACT005"
    with pytest.raises(ImportError_) as caught:
        actuals.read_bytes(Path("/dev/zero"))
    assert caught.value.finding.message == "är ingen vanlig fil"
    result = runner.invoke(app, ["followup", "plan-2023", "-a", "/dev/zero"])
    assert result.exit_code == 2 and "ACT001" in result.stderr


def test_binary_and_utf16_files() -> None:
    with pytest.raises(ImportError_):
        read_data(b"\x00\x01\x02Datum;Konto;Belopp", "x.csv", Actuals())
    imp = read_data(
        "Datum;Konto;Belopp\r\n2023-01-01;7010;1 234,50\r\n".encode("utf-16"), "x.csv", Actuals()
    )
    assert imp.encoding == "utf-16" and [r.amount for r in imp.rows] == [D("1234.50")]


def test_rows_without_account() -> None:
    imp = read("Datum;Konto;Text;Belopp\n2023-01-01;7010;a;5,00\n2023-01-02;;b;7,00\n;;Rubrik;\n")
    assert [(b.row, b.finding.code, b.amount) for b in imp.bad] == [(3, "ACT014", None)]
    assert imp.text_rows == [4]
    assert imp.physical_rows == imp.accounted_rows == 4
    zero = read("Datum;Konto;Belopp\n2023-01-01;7010;5,00\n;;5,00\n;;0,00\n")
    assert [(t.row, t.first, t.grand) for t in zero.totals] == [(3, 2, False)]
    assert [(b.row, b.finding.code) for b in zero.bad] == [(4, "ACT014")]  # an empty block
    assert zero.declared_total is None  # a row after it that cannot be read: no grand total


def test_only_one_amount_column() -> None:
    with pytest.raises(ImportError_) as caught:
        read("Datum;Konto;Belopp;Summa\n2023-01-01;7010;5;5\n")
    assert "flera kolumner kan vara beloppet: Belopp (kolumn 3), Summa (kolumn 4)" in str(
        caught.value
    )
    picked = read("Datum;Konto;Belopp;Summa\n2023-01-01;7010;5;6\n", cfg=Actuals.model_validate(
        {"columns": {"amount": "Summa"}}))  # fmt: skip
    assert [r.amount for r in picked.rows] == [D("6.00")]


def test_project_column_and_mapping_rule(plan: Plan) -> None:
    cfg = Actuals.model_validate(
        {"mapping": [{"project": "P1", "line": "jobbsam"}, {"account": "4010", "line": "x"}]}
    )
    imp = actuals.apply_mapping(
        read("Datum;Konto;Projekt;Belopp\n2023-01-01;4010;P1;5\n2023-01-01;4010;P2;6\n", cfg=cfg),
        cfg.mapping,
    )
    assert [(r.project, r.line) for r in imp.rows] == [("P1", "jobbsam"), ("P2", "x")]


@pytest.mark.parametrize(
    "text, value",
    [
        ("2023-10-31", date(2023, 10, 31)),
        ("20231031", date(2023, 10, 31)),
        ("31.10.2023", date(2023, 10, 31)),
        ("2023-10-31 12:00", date(2023, 10, 31)),
    ],
)
def test_dates(text: str, value: date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(
    "text", ["2023-1-5", "2023111", "31/10/2023", "2023-02-29", "２０２３-01-01"]
)
def test_bad_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    "cells, values",
    [
        (
            ["1 234,50", "-1 234", "\u22121\u00a0234,5", "12-", "(7,25)"],
            ["1234.50", "-1234.00", "-1234.50", "-12.00", "-7.25"],
        ),
        (["1234.50", "1,234.50", "(1,000)"], ["1234.50", "1234.50", "-1000.00"]),
        (["1.234,50", "95.000", "1.000.000"], ["1234.50", "95000.00", "1000000.00"]),
        (["1'234.50", "95'000", "1’000"], ["1234.50", "95000.00", "1000.00"]),
        (["12.50", "95.000"], ["12.50", "95.00"]),
        (["12", "+13", "0"], ["12.00", "13.00", "0.00"]),
    ],
)  # fmt: skip
def test_amounts_read_by_the_file(cells: list[str], values: list[str]) -> None:
    decision = amounts.decide(list(enumerate(cells, start=2)))
    assert [decision.read(c) for c in cells] == [D(v) for v in values]


@pytest.mark.parametrize(
    "cells, code",
    [
        (["95.000"], "ACT010"),
        (["1,234"], "ACT010"),
        (["1.234"], "ACT010"),
        (["1 234,5,0"], "ACT003"),
        (["abc"], "ACT003"),
        (["１２３"], "ACT003"),  # full-width digits are no amount
        (["1_000"], "ACT003"),
        (["- 12"], "ACT003"),
        (["-(12)"], "ACT003"),
        (["1234.567"], "ACT012"),
        (["1000000000000,01"], "ACT012"),
    ],
)
def test_amounts_never_guessed(cells: list[str], code: str) -> None:
    result = amounts.decide(list(enumerate(cells, start=2))).read(cells[0])
    assert isinstance(result, amounts.Problem) and result.code == code


def test_a_cell_is_an_amount_only_in_its_whole_shape() -> None:
    assert amounts.split_cell("1" * 64) == amounts.Cell(False, "1" * 64)
    assert amounts.split_cell("1" * 65) is None  # longer than any amount
    assert amounts.split_cell(" (1 234,50) ") == amounts.Cell(True, "1 234,50")
    assert amounts.split_cell("12-") == amounts.Cell(True, "12")
    assert amounts.split_cell("+12") == amounts.Cell(False, "12")
    for text in ("(12", "12)", "-", "()", "12,", "1 2a", "", "  "):
        assert amounts.split_cell(text) is None, text


@pytest.mark.parametrize(
    "conventions, words",
    [
        ({(",", " ")}, "decimalkomma, mellanslag mellan tusental"),
        ({(",", ""), (",", " ")}, "decimalkomma, inga tusental i filen"),
        ({(",", ""), (".", "")}, "inga decimaler i filen, inga tusentalsavgränsare"),
        (amounts.ALL, "heltal utan avgränsare"),
        ({(",", " "), (".", ",")}, "oavgjort av filen (ange actuals.format)"),
    ],
)
def test_the_conventions_left_open_in_words(conventions: set[Any], words: str) -> None:
    assert amounts.describe(conventions) == words


def test_the_format_says_who_settled_it_without_contradiction() -> None:
    open_file = amounts.decide([(2, "95.000")])
    assert open_file.summary() == "oavgjort av filen (ange actuals.format)"
    settled = amounts.decide([(2, "1 234,50")])
    assert settled.summary() == "decimalkomma, mellanslag mellan tusental (avgjort av filen)"
    stated = amounts.decide([(2, "95.000")], amounts.stated(",", "."))
    assert stated.summary() == "decimalkomma, punkt mellan tusental (angivet)"


def test_a_file_agrees_or_goes_by_most_cells() -> None:
    agreed = amounts.decide([(2, "1 234,50"), (3, "12")])
    assert (agreed.consistent, agreed.stated, agreed.open) == (True, False, {(",", " ")})
    assert amounts.decide([]).consistent is True
    assert amounts.decide([]).open == amounts.ALL
    cells = [(2, "1 2"), (3, "12,5"), (4, "1 234,50"), (5, "1.5")]
    split = amounts.decide(cells)
    assert (split.consistent, split.open) == (False, {(",", " ")})
    problem = split.read("1.5")
    assert problem == amounts.Problem(
        "ACT011",
        "beloppet '1.5' följer inte filens format (decimalkomma, mellanslag mellan tusental), "
        "som rad 3 '12,5' visar",
    )
    told = amounts.decide(cells, amounts.stated(",", "space"))
    assert told.stated and told.read("1.5") == amounts.Problem(
        "ACT011",
        "beloppet '1.5' följer inte det angivna formatet (decimalkomma, mellanslag mellan "
        "tusental)",
    )


def test_amounts_up_to_the_limit_in_whole_ore() -> None:
    limit = D(10) ** 12
    assert amounts.check(limit, "x") == D("1000000000000.00")
    assert amounts.check(-limit, "x") == D("-1000000000000.00")
    assert amounts.check(limit + D("0.01"), "x") == amounts.Problem(
        "ACT012", "beloppet 'x' är större än 1 000 000 000 000 kr och läses inte"
    )
    assert amounts.check(D("1.005"), "x") == amounts.Problem(
        "ACT012", "beloppet 'x' har bråkdelar av öre och läses inte (avrundas aldrig)"
    )


def test_show_keeps_every_decimal_and_the_sign() -> None:
    assert amounts.show(D("0")) == "0"
    assert amounts.show(D("0.50")) == "0,50"
    assert amounts.show(D("-0.5")) == "\u22120,5"
    assert amounts.show(D("-1234.50")) == "\u22121\u00a0234,50"
    assert amounts.show(D("95000")) == "95\u00a0000"


# --- Property: the buckets always add up --------------------------------------------------

CONVENTIONS = sorted(amounts.ALL)
SPACES = (" ", "\u00a0", "\u202f")


def fmt_amount(ore: int, conv: tuple[str, str], grouped: bool, places: int, sign: str,
               space: str) -> str:  # fmt: skip
    decimal, thousands = conv
    whole, frac = divmod(abs(ore), 100)
    digits = str(whole)
    if grouped and thousands:
        mark = space if thousands == " " else thousands
        head = len(digits) % 3 or 3
        digits = mark.join(
            [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
        )
    if places == 0 and frac == 0:
        body = digits
    else:
        body = digits + decimal + f"{frac:02d}" + ("0" if places == 3 else "")
    if ore >= 0:
        return body
    return {
        "lead": "-" + body,
        "minus": "\u2212" + body,
        "trail": body + "-",
        "paren": f"({body})",
    }[sign]


def quote(field: str, sep: str) -> str:
    return '"' + field.replace('"', '""') + '"' if sep in field or '"' in field else field


@st.composite
def exports(draw: st.DrawFn) -> tuple[bytes, dict[int, tuple[str, int, date | None, str]], int]:
    """A CSV export, what each row truly holds (kind, öre, date, account) and its true total."""
    conv = draw(st.sampled_from(CONVENTIONS))
    sep = draw(st.sampled_from([";", "\t", ","]))
    style = draw(st.sampled_from(["lead", "minus", "trail", "paren"]))
    space = draw(st.sampled_from(SPACES))
    lines = [sep.join(["Datum", "Konto", "Ansvar", "Text", "Belopp"])]
    truth: dict[int, tuple[str, int, date | None, str]] = {}
    total = block = 0
    block_rows = 0
    kinds = ["detail"] * 8 + ["bad_date", "unclosed", "subtotal"]
    for _ in range(draw(st.integers(0, 30))):
        kind = draw(st.sampled_from(kinds))
        ore = draw(st.one_of(st.integers(-(10**6), 10**6), st.integers(-(10**14), 10**14)))
        text = draw(st.text(alphabet="abcåäö ;,\t\"'", max_size=8))
        amount = fmt_amount(
            ore if kind != "subtotal" else block, conv, draw(st.booleans()),
            draw(st.sampled_from([0, 2, 2, 3])), style, space,
        )  # fmt: skip
        n = len(lines) + 1
        if kind == "subtotal":
            if not block_rows:
                continue
            lines.append(sep.join(["", "", "", quote("Summa", sep), quote(amount, sep)]))
            truth[n] = ("subtotal", block, None, "")
            block = block_rows = 0
            continue
        day = date(2022, 12, 1) + timedelta(days=draw(st.integers(0, 430)))
        account = draw(st.sampled_from(["7010", "5010", "9999"]))
        shown_day = "2023-13-45" if kind == "bad_date" else day.isoformat()
        shown_text = '"' + text.replace('"', "") if kind == "unclosed" else quote(text, sep)
        lines.append(sep.join([shown_day, account, "ADM", shown_text, quote(amount, sep)]))
        truth[n] = (kind, ore, day, account)
        total, block, block_rows = total + ore, block + ore, block_rows + 1
    if truth and draw(st.booleans()):
        grand = fmt_amount(total, conv, True, 2, style, space)
        lines.append(sep.join(["", "", "", "Totalt", quote(grand, sep)]))
        truth[len(lines)] = ("grand", total, None, "")
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    encoding = draw(st.sampled_from(["utf-8", "cp1252"]))
    data = (newline.join(lines) + newline).encode(encoding, errors="replace")
    return data, truth, total


PROPERTY_CONFIG = Actuals.model_validate(
    {"mapping": [{"account": "7010", "line": "personal"}, {"account": "5010", "line": "hyra"}]}
)


@given(exports())
def test_buckets_always_sum_to_the_export_total(case: tuple[bytes, dict[int, Any], int]) -> None:
    data, truth, total = case
    money = {n for n, t in truth.items() if t[0] not in ("subtotal", "grand")}
    try:
        imp = actuals.apply_mapping(read_data(data, "export.csv", PROPERTY_CONFIG),
                                    PROPERTY_CONFIG.mapping)  # fmt: skip
    except ImportError_ as exc:
        assert not truth and exc.finding.code == "ACT004"
        return
    rec = reconcile(imp, START, UNTIL)
    # Every row in exactly one place.
    places = [r.row for r in imp.rows] + [b.row for b in imp.bad] + [t.row for t in imp.totals]
    places += [*imp.text_rows, 1]
    assert sorted(places) == list(range(1, len(truth) + 2))
    assert imp.physical_rows == imp.accounted_rows
    bucketed = rec.mapped + rec.unmapped + rec.balance + rec.before + rec.after
    assert sorted(r.row for r in bucketed) == sorted(r.row for r in imp.rows)
    # Whatever is read is the true amount; nothing else is read.
    cent = Decimal("0.01")
    for r in imp.rows:
        kind, ore, day, account = truth[r.row]
        assert (kind, r.amount, r.date, r.account) == ("detail", ore * cent, day, account)
        assert (r.line is not None) == (account != "9999")
        assert (r in rec.before, r in rec.after) == (day < START, day > UNTIL)
    for b in imp.bad:
        assert b.amount is None or b.amount == truth[b.row][1] * cent
    for t in imp.totals:
        assert truth[t.row][0] in ("subtotal", "grand") and t.amount == truth[t.row][1] * cent
    # The buckets and the rows whose amount could not be read make the export's total.
    unknown = sum(truth[b.row][1] for b in imp.bad if b.amount is None and b.row in money)
    assert rec.counted + unknown * cent == total * cent
    if rec.declared is not None:
        assert rec.declared == total * cent and rec.difference == unknown * cent


def test_records_split_like_a_spreadsheet() -> None:
    assert csvfile.split('a;"b;c";"d""e"', ";").fields == ["a", "b;c", 'd"e']
    assert csvfile.split("a;;", ";").fields == ["a", "", ""]
    got = csvfile.split('a;"b', ";")
    assert (got.error, got.column) == ("citattecknet stängs aldrig på raden", 2)


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.csv")))
def test_every_corpus_file_exits_0_1_or_2_without_a_traceback(name: str) -> None:
    result = runner.invoke(app, ["followup", "plan-2023", "-a", str(CORPUS / name)])
    assert result.exit_code in (0, 1, 2)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output


# --- the limits as docs/followup.md states them, at their boundaries ------------------------


def _refused(data: bytes, name: str = "export.csv") -> Any:
    with pytest.raises(ImportError_) as caught:
        read_data(data, name, Actuals())
    return caught.value.finding


def test_the_byte_limit_is_32_mb_and_a_file_of_exactly_that_size_is_read(tmp_path: Path) -> None:
    limit = 32 * 1024 * 1024
    exact = tmp_path / "exakt.csv"
    with exact.open("wb") as handle:
        handle.truncate(limit)  # sparse: no 32 MB written to the disk
    assert len(actuals.read_bytes(exact)) == limit
    over = tmp_path / "stor.csv"
    with over.open("wb") as handle:
        handle.truncate(limit + 1)
    with pytest.raises(ImportError_) as caught:
        actuals.read_bytes(over)
    assert (caught.value.finding.code, caught.value.finding.message) == (
        "ACT005",
        "exporten är större än 32 MB",
    )
    with pytest.raises(ImportError_) as caught:
        actuals.read_bytes(tmp_path / "saknas.csv")
    assert caught.value.finding.message == "kan inte läsas: finns inte"


def test_the_row_limit_is_100_000_lines_counted_before_reading() -> None:
    found = _refused(b"Datum;Konto;Belopp\n" + b"\n" * 100_000)
    assert (found.code, found.message) == (
        "ACT005",
        "exporten har fler än 100\u00a0000 rader; dela upp den per period",
    )


def test_the_row_limit_at_its_boundary(monkeypatch: pytest.MonkeyPatch) -> None:
    """With a limit of 3: three lines are read; a fourth refused whether it ends in a line
    break (counted in the bytes) or not (counted as the records are read)."""
    monkeypatch.setattr(actuals, "MAX_ROWS", 3)
    rows = "Datum;Konto;Belopp\n2023-01-01;7010;1\n2023-01-02;7010;2\n"
    assert [r.amount for r in read(rows).rows] == [D(1), D(2)]
    assert _refused((rows + "2023-01-03;7010;3").encode()).code == "ACT005"
    assert _refused((rows + "\n").encode()).code == "ACT005"
    # lines are counted, not rows: two rows of two lines each are five lines with the header
    two = 'Datum;Konto;Text;Belopp\n2023-01-01;7010;"a\nb";1\n2023-01-02;7010;"c\nd";2\n'
    assert _refused(two.encode()).code == "ACT005"


def test_the_header_is_looked_for_among_the_first_20_lines() -> None:
    """Up to 19 title lines before the header are skipped; with 20 the header is not found,
    and the first line is reported as the header that lacks the columns."""
    header = "Datum;Konto;Belopp\n2023-01-01;7010;5,00\n"
    titles = "".join(f"Rapport rad {i}\n" for i in range(1, 20))
    imp = read(titles + header)
    assert (imp.header_row, imp.preamble, [r.row for r in imp.rows]) == (
        20,
        list(range(1, 20)),
        [21],
    )
    found = _refused(("Rubrik\n" + titles + header).encode())
    assert (found.code, found.line) == ("ACT002", 1)
    assert found.message == (
        "exporten saknar kolumn för date (datum/bokföringsdatum/bokf.datum), account "
        "(konto/kontonr/kontonummer), amount (belopp/summa/utfall); rubrikerna är: Rubrik. "
        "Ange rubrikerna i actuals.columns"
    )


def test_two_amount_columns_are_refused_at_the_header_line() -> None:
    found = _refused(b"Rapport 2023\nDatum;Konto;Belopp;Summa\n2023-01-01;7010;5,00;5,00\n")
    assert (found.code, found.line) == ("ACT002", 2)
    assert found.message == (
        "flera kolumner kan vara beloppet: Belopp (kolumn 3), Summa (kolumn 4); "
        "ange vilken i actuals.columns.amount"
    )


def test_binary_data_is_no_csv_but_xlsx_is_known_by_its_content() -> None:
    found = _refused(b"\x00\x01\x02Datum;Konto;Belopp")
    assert (found.code, found.message) == ("ACT001", "innehåller NUL-tecken och är ingen CSV-fil")
    imp = read_data(
        _xlsx([["Datum", "Konto", "Belopp"], [date(2023, 1, 2), "7010", 5]]),
        "export.bin",
        Actuals(),
    )
    assert (imp.kind, [(r.date, r.amount) for r in imp.rows]) == (
        "xlsx",
        [(date(2023, 1, 2), D(5))],
    )


def test_a_line_that_reads_as_a_row_ends_the_quoted_text_above_it() -> None:
    """A line with all its fields, or with a date where the date goes, is a row of its own:
    it is never taken into an unclosed text above, even when a later line would close it."""

    def seen(text: str) -> tuple[list[Any], list[Any], int]:
        imp = read(text)
        rows = [(r.row, r.text, r.amount) for r in imp.rows]
        bad = [(b.row, b.finding.column, b.finding.message) for b in imp.bad]
        return rows, bad, imp.continued

    whole = seen('Datum;Konto;Text;Belopp\n2023-01-01;7010;"a\nb;c;d;e\nx";5,00\n')
    assert whole == (
        [],
        [
            (2, 3, "rad 2: citattecknet stängs aldrig på raden"),
            (3, 4, "rad 3: beloppet 'e' går inte att läsa (skriv t.ex. 1 234,50)"),
            (4, None, "rad 4: 2 kolumner, rubrikraden har 4"),
        ],
        0,
    )
    dated = seen('Datum;Konto;Text;Belopp\n2023-01-01;7010;"a\n2023-01-02;x";5,00\n')
    assert dated == (
        [],
        [
            (2, 3, "rad 2: citattecknet stängs aldrig på raden"),
            (3, None, "rad 3: 3 kolumner, rubrikraden har 4"),
        ],
        0,
    )
    # the date in the last column: a short line without it may be the text's middle
    last = seen('Konto;Text;Datum;Belopp\n7010;"a\nb;c\nd";2023-01-01;5,00\n')
    assert last == ([(2, "a\nb;c\nd", D("5.00"))], [], 2)


def _xlsx(rows: list[list[Any]]) -> bytes:
    import io

    import openpyxl

    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _with_part_cut(data: bytes, part: str) -> bytes:
    """The workbook with one of its XML parts cut in half."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            zout.writestr(item, body[: len(body) // 2] if item.filename == part else body)
    return out.getvalue()


HEAD = ["Datum", "Konto", "Belopp"]


def test_xlsx_rows_counted_and_placed() -> None:
    """Rows by their number in the sheet; an empty row and a title before the header; a row
    with a note far to the right has too many columns, the others not (trailing empty cells
    are no columns); a row without an amount is its own error."""
    imp = read_data(
        _xlsx(
            [
                [None],
                ["Rapport 2023"],
                HEAD,
                [date(2023, 1, 2), "7010", 5],
                [date(2023, 1, 3), "7010"],
                [date(2023, 1, 4), "7010", 6, None, None, "not"],
            ]
        ),
        "export.xlsx",
        Actuals(),
    )
    assert (imp.header_row, imp.blank, imp.preamble) == (3, 1, [2])
    assert [(r.row, r.amount) for r in imp.rows] == [(4, D("5.00"))]
    assert [(b.row, b.finding.column, b.finding.message) for b in imp.bad] == [
        (5, 3, "rad 5: beloppet saknas"),
        (6, None, "rad 6: 6 kolumner, rubrikraden har 3"),
    ]
    assert imp.physical_rows == imp.accounted_rows == 6


def test_xlsx_amount_is_the_value_excel_shows() -> None:
    """A formula cell is read as the value the workbook holds for it, not as its formula."""
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer)
    ws = wb.add_worksheet()
    ws.write_row(0, 0, HEAD)
    ws.write_row(1, 0, ["2023-01-02", "7010"])
    ws.write_formula(1, 2, "=2+3", None, 5)
    wb.close()
    imp = read_data(buffer.getvalue(), "export.xlsx", Actuals())
    assert [(r.row, r.amount) for r in imp.rows] == [(2, D("5.00"))]


def test_xlsx_that_cannot_be_read(monkeypatch: pytest.MonkeyPatch) -> None:
    good = _xlsx([HEAD, [date(2023, 1, 2), "7010", 5]])
    cases = {
        b"PK\x03\x04trasig": "är ingen läsbar XLSX-fil (BadZipFile)",
        _with_part_cut(good, "xl/workbook.xml"): "är ingen läsbar XLSX-fil (XMLSyntaxError)",
        _with_part_cut(good, "xl/worksheets/sheet1.xml"): "XLSX-filen är trasig (ParseError)",
        _xlsx([[None], []]): "exporten är tom",
    }
    for data, message in cases.items():
        found = _refused(data, "export.xlsx")
        assert (found.code, found.message) == ("ACT001", message)
    found = _refused(_xlsx([["Rubrik"], ["Datum", "Belopp"]]), "export.xlsx")
    assert (found.code, found.line) == ("ACT002", 1)
    assert found.message.endswith("rubrikerna är: Rubrik. Ange rubrikerna i actuals.columns")
    found = _refused(_xlsx([["Datum", "Konto", "Belopp", "Summa"]]), "export.xlsx")
    assert (found.code, found.line) == ("ACT002", 1)
    assert found.message.startswith("flera kolumner kan vara beloppet: Belopp (kolumn 3)")
    monkeypatch.setattr(actuals, "MAX_ROWS", 3)
    rows = [HEAD, [date(2023, 1, 2), "7010", 1], [date(2023, 1, 3), "7010", 2]]
    assert len(read_data(_xlsx(rows), "export.xlsx", Actuals()).rows) == 2
    found = _refused(_xlsx([*rows, [date(2023, 1, 4), "7010", 3]]), "export.xlsx")
    assert (found.code, found.message) == (
        "ACT005",
        "exporten har fler än 3 rader; dela upp den per period",
    )


def test_csv_header_search_skips_empty_lines_and_shows_at_most_500_characters() -> None:
    titles = "".join(f"Rapport rad {i}\n" for i in range(3, 22))
    imp = read("\n\n" + titles + "Datum;Konto;Belopp\n2023-01-01;7010;5,00\n")
    assert (imp.header_row, imp.blank, imp.preamble) == (22, 2, list(range(3, 22)))
    found = _refused(b"\n\n" + b"Rubrik\n" + titles.encode() + b"Datum;Konto;Belopp\n")
    assert (found.code, found.line) == ("ACT002", 3)
    assert _refused(b"\n \n\n").message == "exporten är tom"
    found = _refused(("x" * 600 + "\n2023-01-01;7010;5\n").encode())
    assert found.message.endswith(f"rubrikerna är: {'x' * 500}. Ange rubrikerna i actuals.columns")


def test_xlsx_cells_short_of_a_column_empty_rows_and_a_true_amount() -> None:
    data = _xlsx(
        [
            ["Datum", "Konto", "Belopp", "Text"],
            [date(2023, 1, 2), "7010", 5],  # no text: the row is shorter than the header
            [None],
            [date(2023, 1, 3), "7010", True, "x"],
        ]
    )
    imp = read_data(data, "export.xlsx", Actuals())
    assert [(r.row, r.text, r.amount) for r in imp.rows] == [(2, "", D("5.00"))]
    assert [(b.row, b.finding.column, b.finding.message) for b in imp.bad] == [
        (4, 3, "rad 4: beloppet 'True' är inget tal")
    ]
    assert (imp.blank, imp.physical_rows, imp.accounted_rows) == (1, 4, 4)


def test_an_unreadable_date_is_shown_in_at_most_40_characters() -> None:
    imp = read("Datum;Konto;Belopp\n" + "x" * 50 + ";7010;5,00\n")
    assert [(b.row, b.finding.column, b.finding.message, b.amount) for b in imp.bad] == [
        (2, 1, f"rad 2: datumet '{'x' * 40}' går inte att läsa (skriv ÅÅÅÅ-MM-DD)", D("5.00"))
    ]


def test_a_row_with_an_account_and_a_totals_word_but_no_amount_is_text() -> None:
    words = Actuals.model_validate({"totals": {"words": ["Summa"]}})
    text = "Datum;Konto;Text;Belopp\n2023-01-01;7010;x;5,00\n;7010;Summa konto;\n"
    imp = read(text, cfg=words)
    assert (imp.text_rows, imp.bad) == ([3], [])
    plain = read(text)
    assert [(b.row, b.finding.message) for b in plain.bad] == [(3, "rad 3: beloppet saknas")]


def _not_a_total(row: int, amount: str) -> str:
    return (
        f"rad {row}: raden har inget konto och är ingen summarad: beloppet {amount} är inte "
        "summan av raderna ovanför (200,00) eller av raderna efter summaraden på rad 6 (20,00); "
        "är raden en summarad, ange ett ord som känner igen den i actuals.totals"
    )


def test_totals_named_by_words_blocks_and_the_export_total() -> None:
    """A stated total that sums no block is a warning (ACT013) unless it is the export's own
    total; rows without an account that are no total are measured against the last total,
    and a row refused that way is no total that later rows are measured against."""
    words = Actuals.model_validate({"totals": {"words": ["Summa", "Totalt"]}})
    imp = read(
        "Datum;Konto;Text;Belopp\n2023-01-01;7010;a;100\n2023-01-02;7010;b;50\n;;Summa A;150\n"
        "2023-01-03;7010;c;30\n;;Summa B;31\n2023-01-04;7010;d;20\n;;Okänd;7\n;;Annat;3\n"
        ";;Totalt;999\n",
        cfg=words,
    )
    assert [(t.row, t.text, t.amount, t.first, t.rule, t.grand) for t in imp.totals] == [
        (4, "Summa A", D(150), 2, "words", False),
        (6, "Summa B", D(31), None, "words", False),
        (10, "Totalt", D(999), None, "words", True),
    ]
    assert [(b.row, b.finding.code, b.finding.column, b.finding.message) for b in imp.bad] == [
        (8, "ACT014", 2, _not_a_total(8, "7,00")),
        (9, "ACT014", 2, _not_a_total(9, "3,00")),
    ]
    assert [(n.code, n.line, n.message) for n in imp.notes] == [
        ("ACT013", 6, "rad 6: summaraden (Summa B) är inte summan av raderna ovanför")
    ]
    assert (imp.declared_total, imp.declared_row, imp.declared_rule) == (D(999), 10, "words")


def test_subtotals_found_by_their_sums_and_the_total_of_everything() -> None:
    imp = read(
        "Datum;Konto;Text;Belopp\n2023-01-01;7010;a;100\n2023-01-02;7010;b;50\n;;Delsumma;150\n"
        "2023-01-03;7010;c;30\n;;Delsumma;30\n;;Totalt;180\n"
    )
    assert [(t.row, t.first, t.rule, t.grand) for t in imp.totals] == [
        (4, 2, "sum", False),
        (6, 5, "sum", False),
        (7, 2, "sum", True),
    ]
    assert (imp.declared_total, imp.declared_row, imp.declared_rule, imp.notes) == (
        D(180),
        7,
        "sum",
        [],
    )


def test_account_specs_a_range_a_prefix_and_one_account() -> None:
    match = actuals.account_matches
    assert [match("7010-7019", a) for a in ("7009", "7010", "7019", "7020", "70x1")] == [
        False,
        True,
        True,
        False,
        False,
    ]
    assert match("7010-7019-2", "7015") is False  # no range: the upper end is no number
    assert [match("70*", a) for a in ("70", "7010", "7110", "6010")] == [True, True, False, False]
    assert [match("7010", a) for a in ("7010", "70100")] == [True, False]


def test_mapping_by_text_and_the_first_rule_that_matches() -> None:
    from finsamplan.plan.model import MappingRule

    imp = read(
        "Datum;Konto;Text;Belopp\n2023-01-01;5010;Hyra mars;5,00\n2023-01-02;5010;El;6,00\n"
        "2023-01-03;7010;Lön;7,00\n"
    )
    rules = [
        MappingRule.model_validate({"text": "HYRA", "line": "lokal"}),
        MappingRule.model_validate({"account": "50*", "line": "ovrigt"}),
        MappingRule.model_validate({"account": "7010", "line": "personal"}),
    ]
    assert [r.line for r in actuals.apply_mapping(imp, rules).rows] == [
        "lokal",
        "ovrigt",
        "personal",
    ]


def test_numbers_as_excel_keeps_them_read_as_written() -> None:
    """An account or a text cell holding a whole number as a float (7010.0) reads as 7010."""
    assert (actuals._account(7010.0), actuals._account(" 7010 "), actuals._account(70.5)) == (
        "7010",
        "7010",
        "70.5",
    )
    assert (actuals._text(12.0), actuals._text(1.5)) == ("12", "1.5")


def test_a_totals_label_is_at_most_200_characters() -> None:
    words = Actuals.model_validate({"totals": {"words": ["Summa"]}})
    imp = read(
        "Datum;Konto;Text;Belopp\n2023-01-01;7010;a;5\n;;Summa " + "x" * 300 + ";5\n", cfg=words
    )
    assert [t.text for t in imp.totals] == ["Summa " + "x" * 194]


def test_an_sie_file_known_by_its_content_accounts_for_its_transactions() -> None:
    """Whatever its name, a file that begins with #FLAGGA is SIE; it has no header row, and
    the rows it accounts for are its two #TRANS (its seven lines are counted by kind)."""
    data = b'#FLAGGA 0\r\n#SIETYP 4\r\n#VER A 1 20230101 "Hyra"\r\n{\r\n'
    data += b"#TRANS 7010 {} 5.00\r\n#TRANS 1930 {} -5.00\r\n}\r\n"
    imp = read_data(data, "export.txt", Actuals())
    assert imp.kind == "sie" and imp.header_row is None
    assert [(r.row, r.account, r.amount, r.balance) for r in imp.rows] == [
        (5, "7010", D("5.00"), False),
        (6, "1930", D("-5.00"), True),
    ]
    assert (imp.physical_rows, imp.accounted_rows, imp.blank, imp.continued) == (7, 2, 0, 0)
    rec = reconcile(imp, date(2023, 1, 1), date(2023, 12, 31))
    assert [(b.key, b.rows, b.amount, b.unknown) for b in rec.buckets] == [
        ("mapped", 0, 0, 0),
        ("unmapped", 1, D("5.00"), 0),
        ("balance", 1, D("-5.00"), 0),
        ("before", 0, 0, 0),
        ("after", 0, 0, 0),
        ("malformed", 0, 0, 0),
    ]
