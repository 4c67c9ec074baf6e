"""One rounding, half up, in base/money.py: the functions themselves, and the figures that
used to be rounded elsewhere (half-even) and came out differently.

The compare median is the example from issue 12: two förbund with 317 729 and 317 730 kr of
room, and 4 314 000 and 4 314 001 kr of contributions. Their medians, 317 729,5 and
4 314 000,5, are whole kronor everywhere, rounded once, half up: 317 730 and 4 314 001, in
JSON as integers like the lowest and the highest, never the string "317729.5000".
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from calc import SWEDISH_CSV, soffice
from conftest import SEED_PLAN
from typer.testing import CliRunner

from finsamplan.base.money import (
    DASH,
    format_ore,
    format_share,
    round_kronor,
    round_ore,
    round_places,
    round_share,
    share_of,
)
from finsamplan.cli import app
from finsamplan.figures.contributions import Part
from finsamplan.plan.model import Member

runner = CliRunner()
NB = "\u00a0"


# --- the money functions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        ("0.31255", 4, "0.3126"),  # half-even would give 0.3126 too: the next one tells
        ("0.31265", 4, "0.3127"),  # half-even: 0.3126
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("-2.5", 0, "-3"),  # half away from zero, as Excel's ROUND
        ("922606.245", 2, "922606.25"),  # half-even: 922606.24
        ("1.004", 2, "1.00"),
        ("36.515", 2, "36.52"),
    ],
)
def test_round_places_rounds_half_up(value: str, places: int, rounded: str) -> None:
    result = round_places(Decimal(value), places)
    assert result == Decimal(rounded)
    assert str(result) == rounded  # the decimals are kept: 1.00, not 1


def test_round_ore_and_round_share_are_round_places() -> None:
    assert round_ore(Decimal("922606.245")) == Decimal("922606.25")
    assert str(round_ore(Decimal(5))) == "5.00"
    assert round_share(Decimal("0.36515")) == Decimal("0.3652")
    assert round_share(share_of(1_909_780, 5_229_780) or Decimal(0)) == Decimal("0.3652")
    assert str(round_share(Decimal("0.5"))) == "0.5000"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("922606.25", f"922{NB}606,25"),
        ("-5734.5", f"\u22125{NB}734,50"),
        ("0", "0,00"),
        ("1234567.005", f"1{NB}234{NB}567,01"),  # rounded to öre once, half up
        ("-0.004", "0,00"),  # no minus before a zero
        ("0.5", "0,50"),  # a positive amount under one krona has no minus either
        ("95000", f"95{NB}000,00"),
    ],
)
def test_format_ore(value: str, shown: str) -> None:
    assert format_ore(Decimal(value)) == shown


def test_format_share_shows_no_share_as_a_dash() -> None:
    assert format_share(None) == DASH == "\u2013"
    assert format_share(share_of(5, 0)) == DASH
    assert format_share(share_of(0, 5)) == f"0,0{NB}%"
    assert format_share(Decimal("0.36525"), 2) == f"36,53{NB}%"  # half-even: 36,52 %


def test_a_members_quota_to_the_ore_is_rounded_half_up() -> None:
    """1/8 of 7 381 850,01 kr is 922 731,25125 kr: 922 731,25; a quota ending in exactly
    half an öre goes up."""
    member = Member(id="a", name="A", side="municipality")
    part = Part(member, Fraction(1), Fraction(1, 8), Fraction(738185001, 800), 922_731)
    assert part.quota_ore == Decimal("922731.25")
    half = Part(member, Fraction(1), Fraction(1, 2), Fraction(2_469, 200), 12)  # 12,345
    assert half.quota_ore == Decimal("12.35")
    assert str(Part(member, Fraction(1), Fraction(1), Fraction(7), 7).quota_ore) == "7.00"


# --- the compare median --------------------------------------------------------------------


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """plan-2023 (room 317 729, contributions 4 314 000) and a copy whose state pays one
    krona more (room 317 730, contributions 4 314 001)."""
    folder = tmp_path_factory.mktemp("two")
    text = SEED_PLAN.read_text("utf-8")
    state = "    member: fk\n    amounts: {2022: 2162000, 2023: 2157000,"
    assert text.count(state) == 1
    first, second = folder / "a-2023.yaml", folder / "b-2023.yaml"
    first.write_text(text, "utf-8")
    second.write_text(text.replace(state, state.replace("2023: 2157000", "2023: 2157001")), "utf-8")
    return [first, second]


def compared(paths: list[Path], *args: str) -> str:
    result = runner.invoke(app, ["compare", *map(str, paths), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_median_is_whole_kronor_in_json(two: list[Path]) -> None:
    data = json.loads(compared(two, "-f", "json"))
    assert [(r["room"], r["contributions"]) for r in data["rows"]] == [
        (317_729, 4_314_000),
        (317_730, 4_314_001),
    ]
    room, contributions = data["stats"]["room"], data["stats"]["contributions"]
    assert room == {"median": 317_730, "min": 317_729, "max": 317_730, "spread": 1}
    assert contributions == {"median": 4_314_001, "min": 4_314_000, "max": 4_314_001, "spread": 1}
    shares = data["stats"]["admin_share"]
    assert all(isinstance(v, str) and len(v.split(".")[1]) == 4 for v in shares.values())


def test_the_median_in_markdown_and_the_terminal(two: list[Path]) -> None:
    median = next(line for line in compared(two, "-f", "md").splitlines() if "Median" in line)
    cells = [c.strip() for c in median.split("|")]
    assert f"4{NB}314{NB}001" in cells and f"317{NB}730" in cells
    table = compared(two).replace(NB, " ")
    median_line = next(line for line in table.splitlines() if "Median" in line)
    assert "4 314 001" in median_line and "317 730" in median_line
    assert "4 314 000" not in median_line and "317 729" not in median_line


def test_the_median_in_the_csv_a_swedish_excel_opens(two: list[Path], tmp_path: Path) -> None:
    path = tmp_path / "jamforelse.csv"
    compared(two, "-f", "csv", "-o", str(path))
    (made,) = soffice([path], "xlsx", tmp_path / "calc", SWEDISH_CSV)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(made).active.iter_rows()]
    head = rows[0]
    median = next(r for r in rows if r[0] == "Median")
    value = dict(zip(head, median, strict=True))
    assert value["Medlemsavgifter"] == 4_314_001
    assert value["Utrymme"] == 317_730
    tidy = tmp_path / "tidy.csv"
    compared(two, "-f", "csv", "--csv", "tidy", "-o", str(tidy))
    tidy_rows = list(csv.DictReader(io.StringIO(tidy.read_text("utf-8"))))
    assert [r["room"] for r in tidy_rows] == ["317729", "317730"]


def test_the_median_in_xlsx_recalculated_by_libreoffice(two: list[Path], tmp_path: Path) -> None:
    """The workbook's median is a live formula, rounded as the other formats round it; the
    value LibreOffice computes is the one the file carries."""
    path = tmp_path / "jamforelse.xlsx"
    compared(two, "-f", "xlsx", "-o", str(path))
    (recalculated,) = soffice([path], "xlsx", tmp_path / "calc")
    for book in (path, recalculated):
        ws = openpyxl.load_workbook(book, data_only=True)["Jämförelse"]
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        value = dict(zip(rows[0], next(r for r in rows if r[0] == "Median"), strict=True))
        assert (value["Medlemsavgifter"], value["Utrymme"]) == (4_314_001, 317_730), book
    formulas = openpyxl.load_workbook(path)["Jämförelse"]
    median_row = next(r for r in formulas.iter_rows() if r[0].value == "Median")
    assert {c.value for c in median_row[3:4]} == {"=ROUND(MEDIAN(D2:D3),0)"}


def test_round_kronor_of_the_median_is_the_whole_krona_above() -> None:
    """The rounding the stats use, on the two medians."""
    assert round_kronor(Decimal("317729.5")) == 317_730
    assert round_kronor(Decimal("4314000.5")) == 4_314_001
