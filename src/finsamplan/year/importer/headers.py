"""The header row: which columns hold years, of what kind, which year is planned, and the
unit the amounts are written in.

Förbund head their year columns in words: "Utfall 2021", "Budget 2022", "Reviderad budget
2022", "Budgetplan 2023", "Förslag budget 2025", "Prognos 2024", "Plan 2026". The kind is
read from those words; a bare year gets its kind from where it stands relative to the plan
year, and that is reported as a guess. The unit is never guessed: "tkr", "tusental kronor",
"kr" or "kronor" in a title, a header or a number format decides it, or ``--unit`` does;
a sheet that says neither, or both, is an error that asks for ``--unit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finsamplan.year.importer.sheet import Cell, Sheet, SheetError

HEADER_SEARCH = 30  # rows with content searched for the header row
UNITS = {"kr": 1, "tkr": 1000}

_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2}|2100)(?![0-9])")
_TKR = re.compile(
    r"(?<![\wåäö])(t\.? ?kr|tsek|ksek|tusentals? kronor|tusen kronor|i tusental|"
    r"tusentals? kr|tusental)(?![\wåäö])",
    re.IGNORECASE,
)
_KR = re.compile(r"(?<![\wåäö])(kr|kronor|sek)(?![\wåäö])", re.IGNORECASE)
_PUNCT = re.compile(r"[()\[\]{},.:;/–—\-]+")
KIND_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        ("reviderad_budget", r"(rev|reviderad|reviderat) ?budget|budget ?(rev|reviderad)"),
        (
            "budgetplan",
            r"budgetplan|budgetförslag|förslag( till)?( budget)?|budget ?förslag|"
            r"förslag budget|budget planår|planår",
        ),
        ("utfall", r"utfall|bokslut|årsbokslut|redovisat|årsredovisning|resultat"),
        (
            "prognos",
            r"prognos|helårsprognos|plan|flerårsplan|planering|beräknat|ekonomisk plan|"
            r"preliminär budget|preliminärt",
        ),
        ("budget", r"budget|antagen budget|beslutad budget|fastställd budget|årets budget"),
    )
)


@dataclass
class YearColumn:
    """A column of amounts for one year, as its header names it."""

    cell: Cell
    year: int
    kind: str | None  # None: a bare year, kind decided by the plan year
    label: str  # the header as written, without unit words
    key: str = ""
    guessed: str = ""  # why the kind is a guess, when it is

    @property
    def column(self) -> int:
        return self.cell.column


@dataclass
class Header:
    row: int
    cells: list[Cell]
    columns: list[YearColumn]
    label_columns: list[int]  # sheet columns left of the first year column
    other: list[Cell] = field(default_factory=list)  # header cells of no year column
    below: list[int] = field(default_factory=list)  # rows just below: unit words only

    def year_column(self, column: int) -> YearColumn | None:
        return next((c for c in self.columns if c.column == column), None)


def read_header(text: str) -> tuple[int, str | None, str] | None:
    """Year, kind (None for a bare year) and label of a header text; None if it is no year
    column's header (no year, two years, or words that name no kind)."""
    years = _YEAR.findall(text)
    if len(years) != 1:
        return None
    label = " ".join(_TKR.sub(" ", _KR.sub(" ", text.replace("(", " ").replace(")", " "))).split())
    label = label.strip(" ,:;-–")
    rest = " ".join(_PUNCT.sub(" ", _YEAR.sub(" ", label)).lower().split())
    if not rest:
        return int(years[0]), None, label
    for kind, pattern in KIND_WORDS:
        if pattern.fullmatch(rest):
            return int(years[0]), kind, label
    return None


def _year_cell(cell: Cell, first_column: int) -> YearColumn | None:
    if cell.column <= first_column:
        return None
    if isinstance(cell.value, int) and not isinstance(cell.value, bool):
        if 2000 <= cell.value <= 2100:
            return YearColumn(cell, cell.value, None, str(cell.value))
        return None
    if not cell.is_text:
        return None
    found = read_header(cell.text)
    return YearColumn(cell, found[0], found[1], found[2]) if found else None


def find_header(sheet: Sheet) -> Header:
    """The first row with year columns right of the sheet's leftmost column (the labels)."""
    cells = sheet.all_cells()
    if not cells:
        raise SheetError("IMP002", "bladet är tomt")
    first_column = min(c.column for c in cells)
    for number in sheet.rows()[:HEADER_SEARCH]:
        row = sheet.row(number)
        columns = [y for c in row if (y := _year_cell(c, first_column)) is not None]
        numbers = [c for c in row if not c.is_text and c.column > first_column]
        bare = [y for y in columns if y.kind is None and not y.cell.is_text]
        if not columns or (bare and len(bare) < 2) or len(numbers) > len(bare):
            continue
        start = min(y.column for y in columns)
        header = Header(
            row=number,
            cells=row,
            columns=columns,
            label_columns=[c for c in range(1, start) if c >= first_column],
            other=[c for c in row if c.column >= start and c not in {y.cell for y in columns}],
        )
        header.below = _unit_rows(sheet, header)
        _keys(header)
        return header
    raise SheetError(
        "IMP002",
        f"hittar ingen rubrikrad med år (t.ex. 'Budget 2024', 'Prognos 2025') i bladets "
        f"{HEADER_SEARCH} första rader med innehåll, till höger om radtexterna",
        cells[0].address,
    )


def _unit_rows(sheet: Sheet, header: Header) -> list[int]:
    """Rows right under the header with only unit words in the year columns ("tkr")."""
    out: list[int] = []
    years = {y.column for y in header.columns}
    for number in sheet.rows():
        if number <= header.row:
            continue
        row = sheet.row(number)
        if row and all(c.column in years and c.is_text and _unit_only(c.text) for c in row):
            out.append(number)
            continue
        break
    return out


def _unit_only(text: str) -> bool:
    return not _KR.sub("", _TKR.sub("", text)).strip(" ()[],.:")


def _keys(header: Header) -> None:
    """Column keys: the year, or year and kind when two columns have the same year."""
    seen: set[str] = set()
    for col in header.columns:
        key = str(col.year)
        if key in seen:
            key = f"{col.year}-{col.kind or 'kolumn'}"
            n = 2
            while key in seen:
                key, n = f"{col.year}-{col.kind or 'kolumn'}-{n}", n + 1
        col.key = key
        seen.add(key)


# --- plan year ---------------------------------------------------------------------------


def plan_year(header: Header, stated: int | None) -> int:
    """The year the plan is for: ``--year``, the one budgetplan column, or the latest budget
    column (a guess, reported on that column); then every bare year gets its kind."""
    years = [c.year for c in header.columns]
    if stated is not None:
        if stated not in years:
            raise SheetError(
                "IMP004",
                f"--year {stated} är ingen av bladets årskolumner ({', '.join(map(str, years))})",
                header.cells[0].address,
            )
        year = stated
    else:
        year = _year_from_kinds(header)
    for col in header.columns:
        _settle_kind(col, year)
    return year


def _year_from_kinds(header: Header) -> int:
    plans = [c for c in header.columns if c.kind == "budgetplan"]
    if len(plans) == 1:
        return plans[0].year
    budgets = [c for c in header.columns if c.kind == "budget"]
    if not plans and budgets:
        latest = max(budgets, key=lambda c: c.year)
        latest.kind = "budgetplan"
        latest.guessed = (
            f"'{latest.cell.text}' taget som planåret: den senaste budgetkolumnen "
            "(ange --year om det är ett annat år)"
        )
        return latest.year
    where = ", ".join(f"{c.cell.address} '{c.cell.text}'" for c in (plans or header.columns))
    raise SheetError(
        "IMP004",
        f"kan inte avgöra planåret ur rubrikerna ({where}); ange det med --year",
        header.cells[0].address,
    )


def _settle_kind(col: YearColumn, year: int) -> None:
    if col.kind is None:
        col.kind = "budget" if col.year < year else "budgetplan" if col.year == year else "prognos"
        col.guessed = f"'{col.cell.text}' har inget ord för slaget; taget som {col.kind}"
    elif col.kind == "budget" and col.year == year:
        col.kind = "budgetplan"
        col.guessed = f"'{col.cell.text}' är planårets budget: budgetplan"


# --- unit --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitEvidence:
    unit: str  # "kr" or "tkr"
    where: str  # a cell address, or what else said it
    text: str


def unit_words(text: str) -> str | None:
    """ "tkr" or "kr" when the text names exactly one of them, else None."""
    tkr = bool(_TKR.search(text))
    kr = bool(_KR.search(_TKR.sub(" ", text)))
    if tkr == kr:
        return None
    return "tkr" if tkr else "kr"


def unit_evidence(sheet: Sheet, header: Header) -> list[UnitEvidence]:
    """Every place that says the unit: titles above the header, the header and the row
    under it, number formats of the amount cells, and a workbook finsamplan wrote itself."""
    out: list[UnitEvidence] = []
    rows = [r for r in sheet.rows() if r <= header.row or r in header.below]
    for number in rows:
        for cell in sheet.row(number):
            unit = unit_words(cell.text) if cell.is_text else None
            if unit:
                out.append(UnitEvidence(unit, cell.address, cell.text))
    years = {c.column for c in header.columns}
    seen_formats: set[str] = set()
    for cell in sheet.all_cells():
        fmt = cell.number_format.replace('"', "").replace("\\", "")
        unit = unit_words(fmt) if cell.column in years and not cell.is_text else None
        if unit and unit not in seen_formats:
            seen_formats.add(unit)
            out.append(UnitEvidence(unit, cell.address, f"talformatet {cell.number_format}"))
    if sheet.kind == "xlsx" and sheet.creator == "finsamplan":
        out.append(
            UnitEvidence("kr", "arbetsboken", "skriven av finsamplan, som skriver hela kronor")
        )
    return out


def decide_unit(evidence: list[UnitEvidence], stated: str | None, at: str) -> tuple[int, str]:
    """The unit's factor and how it was decided; unclear without ``--unit`` is an error."""
    if stated is not None:
        return UNITS[stated], f"{stated} (angivet med --unit)"
    units = {e.unit for e in evidence}
    if len(units) == 1:
        unit = units.pop()
        e = evidence[0]
        return UNITS[unit], f"{unit} ({e.where}: {e.text})"
    if not units:
        raise SheetError(
            "IMP003",
            "bladet säger inte om beloppen är i kronor eller tusental kronor (inget 'kr' eller "
            "'tkr' i rubrik eller titel); ange --unit kr eller --unit tkr",
            at,
        )
    said = "; ".join(f"{e.where}: '{e.text}' ({e.unit})" for e in evidence[:6])
    raise SheetError(
        "IMP003",
        f"bladet anger både kr och tkr ({said}); ange --unit kr eller --unit tkr",
        at,
    )
