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
    assert imp.amount_format == f"{fmt} (avgjort av filen)"
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
    # Nothing to follow up comes first, then the equity (issue 16), then the rows outside.
    assert [w["code"] for w in data["warnings"]] == ["UPP070", "UPP050", "UPP080"]
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
