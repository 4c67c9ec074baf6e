"""The import's account of the sheet: every non-empty cell taken or left, and the guesses.

Nothing read from the sheet may vanish without a word. Each step that uses a cell says so
(:meth:`Ledger.take`), each cell that is no part of the plan is left with a reason
(:meth:`Ledger.leave`), and :meth:`Ledger.finish` leaves whatever no step named, so that the
report always covers every non-empty cell exactly once. Guesses (a member's side, a group's
kind, a column's kind) point at the cells they were read from and at the place in the plan
file where a ``# granska`` comment marks them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from finsamplan.base.findings import Path
from finsamplan.year.importer.sheet import Cell, Sheet, column_letter


@dataclass(frozen=True)
class Account:
    """Cells taken into the plan (``took``) or left out (``left``), and what or why."""

    verdict: str  # "took" or "left"
    cells: tuple[str, ...]
    what: str
    row: int = 0

    def where(self) -> str:
        return span(self.cells)


@dataclass(frozen=True)
class Guess:
    """Something read from the sheet that a person should confirm (``# granska``)."""

    cells: tuple[str, ...]
    what: str
    path: Path

    def where(self) -> str:
        return span(self.cells)


@dataclass(frozen=True)
class Difference:
    """A total row of the sheet whose figure is not the sum finsamplan computes."""

    cell: str
    column: str  # the column's title: "Budget 2024"
    label: str
    sheet: int
    computed: int
    kept: bool = True  # the figure is kept under stated: (not so the year's result)


@dataclass
class Ledger:
    sheet: Sheet
    accounts: list[Account] = field(default_factory=list)
    guesses: list[Guess] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    comments: list[Account] = field(default_factory=list)  # cell comments (XLSX notes)

    def take_comment(self, at: str, what: str) -> None:
        self.comments.append(Account("took", (at,), what))

    def take(self, cells: Iterable[Cell], what: str) -> None:
        self._add("took", cells, what)

    def leave(self, cells: Iterable[Cell], why: str) -> None:
        self._add("left", cells, why)

    def guess(self, cells: Iterable[Cell], what: str, path: Path) -> None:
        self.guesses.append(Guess(tuple(c.address for c in cells), what, path))

    def _add(self, verdict: str, cells: Iterable[Cell], what: str) -> None:
        fresh = [c for c in cells if c.address not in self.seen]
        if not fresh:
            return
        self.seen.update(c.address for c in fresh)
        row = min(c.row for c in fresh)
        self.accounts.append(Account(verdict, tuple(c.address for c in fresh), what, row))

    def finish(self) -> list[Account]:
        """Every cell no step named is left; the accounts in the sheet's order, then the
        other sheets of the workbook, which are not read."""
        rest = [c for c in self.sheet.all_cells() if c.address not in self.seen]
        for cell in rest:
            self.leave([cell], "inte använd i planen")
        taken = {a.cells[0] for a in self.comments}
        for at, text in self.sheet.comments.items():
            if at not in taken:
                shown = " ".join(text.split())
                shown = shown if len(shown) <= 60 else shown[:59] + "…"
                self.comments.append(Account("left", (at,), f"kommentar lästes inte in: {shown}"))
        out = sorted(self.accounts, key=lambda a: (a.row, _sort_cell(a.cells[0])))
        for name, dimensions, count in self.sheet.other_sheets:
            out.append(
                Account(
                    "left",
                    (f"{name}!{dimensions}",),
                    f"bladet '{name}' lästes inte ({count} celler); ange --sheet för att läsa det",
                    10**9,
                )
            )
        return out


def _sort_cell(address: str) -> tuple[int, str]:
    letters = address.rstrip("0123456789")
    return len(letters), letters


def span(addresses: Iterable[str]) -> str:
    """Cell addresses as short as they can be said: ``A6:E6`` for a run on one row,
    ``A6, C6:E6`` when cells in between are not among them."""
    by_row: dict[str, list[int]] = {}
    order: list[str] = []
    plain: list[str] = []
    for a in addresses:
        letters = a.rstrip("0123456789")
        digits = a[len(letters) :]
        if not letters or not digits or "!" in a:
            plain.append(a)
            continue
        if digits not in by_row:
            order.append(digits)
        by_row.setdefault(digits, []).append(_column_number(letters))
    parts: list[str] = []
    for digits in order:
        columns = sorted(set(by_row[digits]))
        start = prev = columns[0]
        for c in [*columns[1:], None]:
            if c is not None and c == prev + 1:
                prev = c
                continue
            first, last = f"{column_letter(start)}{digits}", f"{column_letter(prev)}{digits}"
            parts.append(first if start == prev else f"{first}:{last}")
            if c is not None:
                start = prev = c
    return ", ".join([*parts, *plain])


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def expand(text: str) -> list[str]:
    """The addresses a :func:`span` text names (for tests and tools reading the report)."""
    out: list[str] = []
    for part in text.split(", "):
        if ":" not in part or "!" in part:
            out.append(part)
            continue
        first, last = part.split(":")
        letters_a = first.rstrip("0123456789")
        letters_b = last.rstrip("0123456789")
        row = first[len(letters_a) :]
        for c in range(_column_number(letters_a), _column_number(letters_b) + 1):
            out.append(f"{column_letter(c)}{row}")
    return out
