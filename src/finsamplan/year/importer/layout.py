"""The rows under the header, classified: headings, lines, total rows, summary rows.

A budget sheet reads top to bottom: an income block (a heading with "Intäkter" or
"Finansiering", member contributions, equity, other income, a total), then the cost groups
(each a heading, its lines, its total, often under one heading "Kostnader" for them all),
then a summary (surplus, reserve, room). Rows are taken by what a reader sees in them:

- a *heading* has a text and no amounts (often bold, often a merged cell across the table);
  a heading right above another heading is a heading over groups, not a group;
- a *total row* says so ("Summa", "S:a", "Totalt", "Total", "Delsumma") or, without such a
  word, is bold (or has no text) and closes a block; whether it is the sum of the rows above
  is checked later, against the sums finsamplan computes;
- a *summary row* comes after the cost groups (under "Sammanställning", "Summering",
  "Resultat", or right after a total) and names the surplus, the reserve or the room; a row
  that names the year's result ("Årets resultat", "Utgående eget kapital") is one wherever it
  stands, never a cost or income line;
- a row that repeats the column headings ("Intäkter  Budget 2025  Plan 2026", as a finance
  system's export does over each block) is a heading: its year cells are no notes;
- everything else with a text and an amount is a *line* of the block it stands in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from finsamplan.year.importer.cellmoney import is_amount_text
from finsamplan.year.importer.headers import Header, read_header
from finsamplan.year.importer.members import looks_like_income
from finsamplan.year.importer.sheet import Cell, Sheet, address


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\wåäö])(" + "|".join(patterns) + r")(?![\wåäö])", re.IGNORECASE)


TOTAL_WORDS = _words("summa", "s:a", "totalt", "total", "totala", "delsumma", "summering")
INCOME_HEADING = _words(
    r"intäkter\w*", "intäkt", r"finansiering\w*", r"medlemsavgift\w*", r"medlemsbidrag\w*",
    "tillgängliga medel", r"tilldelning\w*",
)  # fmt: skip
SUMMARY_HEADING = _words(
    "sammanställning", "summering", "sammandrag", "sammanfattning", "resultat",
    "resultaträkning", "resultatbudget", "budgetsammanställning", "översikt",
)  # fmt: skip
SUMMARY_ROW = _words(
    "reserv", "reserven", "buffert", r"utrymme\w*", r"överskott\w*", r"underskott\w*",
    "resultat", "årets resultat", "eget kapital vid årets slut", "utgående eget kapital",
)  # fmt: skip
RESULT_ROW = re.compile(
    r"^[\W\d]*((årets|periodens|budgeterat|beräknat)\s+)?(resultat|överskott|underskott)"
    r"(\s+\d{4})?\W*$|^[\W\d]*(eget kapital vid årets slut|utgående eget kapital)\W*$",
    re.IGNORECASE,
)
"""A row that is the year's outcome and nothing else ("Årets resultat", "8999 Resultat"), not
a line: a summary row wherever it stands. A line that only mentions it ("Resultat- och
effektmätning", "Överskott från 2024") stays a line."""
COSTS_HEADING = _words(r"kostnader\w*", r"\w*kostnader", "utgifter", "verksamhet")


@dataclass
class Row:
    """One row under the header: its text, its amount cells per column key, and the rest."""

    number: int
    label: str
    label_cells: list[Cell]
    amounts: dict[str, Cell]  # column key → a number, or a text shaped like an amount
    notes: dict[str, Cell]  # column key → a text that is no amount
    others: list[Cell]  # cells in columns that are neither texts nor years
    bold: bool
    italic: bool
    indent: int
    percents: list[Cell] = field(default_factory=list)  # shares, not amounts (25 %)
    values: dict[str, int] = field(default_factory=dict)  # kronor, once read
    parts: list[Row] = field(default_factory=list)  # the rows under it that sum to it
    comments: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → address, text
    headings: list[Cell] = field(default_factory=list)  # year cells repeating the header

    @property
    def cells(self) -> list[Cell]:
        return [
            *self.label_cells,
            *self.headings,
            *self.amounts.values(),
            *self.notes.values(),
            *self.others,
            *self.percents,
        ]

    @property
    def says_total(self) -> bool:
        return bool(TOTAL_WORDS.search(self.label))

    @property
    def is_heading(self) -> bool:
        return bool(self.label) and not self.amounts and not self.notes and not self.percents


@dataclass
class Item:
    """A row in its section, with the role it plays there."""

    row: Row
    role: str  # "line", "part", "total", "maybe-total", "summary"
    note: str = ""  # why, when the role was chosen from form rather than words


@dataclass
class Section:
    """The income block, one cost group, or the summary."""

    area: str  # "income", "costs" or "summary"
    heading: Row | None
    items: list[Item] = field(default_factory=list)
    guessed_title: str = ""  # a section without a heading gets a title, as a guess

    @property
    def title(self) -> str:
        return self.heading.label if self.heading else self.guessed_title

    def lines(self) -> list[Row]:
        return [i.row for i in self.items if i.role == "line"]


@dataclass
class Layout:
    sections: list[Section]
    headings: list[tuple[Row, str]]  # headings over several groups, income sub-headings
    left: list[tuple[Row, str]]  # rows that are no part of the plan, and why
    rows: list[Row]


def read_rows(sheet: Sheet, header: Header) -> list[Row]:
    """The rows under the header (and its unit row), each cell in its place."""
    years = {c.column: c.key for c in header.columns}
    labels = set(header.label_columns)
    out: list[Row] = []
    for number in sheet.rows():
        if number <= header.row or number in header.below:
            continue
        cells = sheet.row(number)
        label_cells = [c for c in cells if c.column in labels]
        amounts: dict[str, Cell] = {}
        notes: dict[str, Cell] = {}
        percents: list[Cell] = []
        for cell in cells:
            key = years.get(cell.column)
            if key is None:
                continue
            if _percent(cell):
                percents.append(cell)
            elif not cell.is_text or cell.formula is not None or is_amount_text(cell.text):
                amounts[key] = cell
            else:
                notes[key] = cell
        headings = _repeated_header(notes, header) if not amounts else []
        if headings:
            notes = {}
        others = [c for c in cells if c.column not in labels and c.column not in years]
        comments = {
            key: (at, sheet.comments[at])
            for column, key in years.items()
            if key not in amounts and key not in notes
            and (at := address(number, column)) in sheet.comments
        }  # fmt: skip
        shown = [c for c in label_cells if c.text]
        out.append(
            Row(
                number=number,
                label=" ".join(" ".join(c.text for c in shown).split()),
                label_cells=label_cells,
                amounts=amounts,
                notes=notes,
                others=others,
                bold=bool(shown) and all(c.bold for c in shown),
                italic=bool(shown) and all(c.italic for c in shown),
                indent=min((c.indent for c in shown), default=0),
                comments=comments,
                percents=percents,
                headings=headings,
            )
        )
    return out


def _repeated_header(notes: dict[str, Cell], header: Header) -> list[Cell]:
    """The year cells of a row that repeats the header (each names its column's year), or
    none: then the texts are notes of the row."""
    if not notes:
        return []
    years = {c.key: c.year for c in header.columns}
    for key, cell in notes.items():
        read = read_header(cell.text)
        if read is None or read[0] != years.get(key):
            return []
    return list(notes.values())


def _percent(cell: Cell) -> bool:
    """A share (``25 %``, or a number formatted as a percentage), which is no amount."""
    if cell.is_text:
        return cell.text.endswith("%")
    return "%" in cell.number_format


class _Builder:
    """Walks the rows once, keeping the area (income, costs, summary) it is in."""

    def __init__(self, rows: list[Row]) -> None:
        self.rows = [r for r in rows if r.label or r.amounts]
        self.layout = Layout([], [], [], rows)
        self.area: str | None = None
        self.section: Section | None = None
        self.income: Section | None = None
        for row in rows:
            if not row.label and not row.amounts:
                self.layout.left.append((row, "text utan radtext och utan belopp"))

    def run(self) -> Layout:
        for i, row in enumerate(self.rows):
            after = self.rows[i + 1] if i + 1 < len(self.rows) else None
            if row.is_heading:
                self.heading(row, after)
            elif not row.amounts and row.percents:
                self.layout.left.append((row, "andelar i procent, inga belopp"))
            elif row.says_total and row.amounts:
                self.total(row, "total")
            elif (row.bold or not row.label) and row.amounts and _closes(after):
                self.total(row, "maybe-total")
            elif not row.label:
                self.layout.left.append((row, "belopp utan radtext mitt i ett block"))
            else:
                self.line(row)
        return self.layout

    def open(self, area: str, heading: Row | None, guessed: str = "") -> Section:
        section = Section(area, heading, guessed_title=guessed)
        self.layout.sections.append(section)
        self.area, self.section = area, section
        if area == "income":
            self.income = section
        return section

    def heading(self, row: Row, after: Row | None) -> None:
        text = row.label
        if INCOME_HEADING.search(text) and (self.income is None or self.area == "income"):
            if self.income is None:
                self.open("income", row)
            else:
                self.layout.headings.append((row, "rubrik inom intäkterna"))
            return
        if SUMMARY_HEADING.search(text) and self.area is not None and self.area != "summary":
            self.open("summary", row)
            return
        if after is not None and after.is_heading:
            self.layout.headings.append((row, "rubrik över flera grupper"))  # "Kostnader"
            if self.area == "income" and self.income and self.income.lines():
                self.area = "costs"
            return
        if self.area == "income" and self.income is not None and not self.income.lines():
            self.layout.headings.append((row, "rubrik inom intäkterna"))  # "Medlemsavgifter"
            return
        self.open("costs", row)

    def line(self, row: Row) -> None:
        if self.area != "summary" and RESULT_ROW.search(row.label):
            self.open("summary", None, "Sammanställning")  # the result ends the blocks
        elif self.area is None:
            if looks_like_income(row.label):
                self.open("income", None, "Intäkter")
            else:
                self.open("costs", None, "Kostnader")
        elif self.area == "costs" and self._after_costs(row):
            self.open("summary", None, "Sammanställning")
        assert self.section is not None
        role = "summary" if self.area == "summary" else "line"
        self.section.items.append(Item(row, role))

    def _after_costs(self, row: Row) -> bool:
        """A surplus, reserve or room row right after a total: the summary has begun."""
        items = self.section.items if self.section else []
        return bool(items) and items[-1].role != "line" and bool(SUMMARY_ROW.search(row.label))

    def total(self, row: Row, role: str) -> None:
        if self.section is None:
            self.layout.left.append((row, "summarad före budgetens första rad"))
            return
        if self.area == "summary":
            role = "summary"
        note = "" if role == "total" else ("fetstil" if row.label else "rad utan text")
        self.section.items.append(Item(row, role, note))


def _closes(after: Row | None) -> bool:
    """A row closes a block when what follows is no line of the same block."""
    return after is None or after.is_heading or after.says_total or after.bold


def classify(rows: list[Row]) -> Layout:
    """Sections of the sheet, in order, and the rows that are no part of any."""
    return _Builder(rows).run()
