"""An amount cell of a budget sheet as whole kronor, or the reason it cannot be one.

Text cells are read by the file's own convention (``figures.amounts``: decided from all the
sheet's amount texts together, never cell by cell), so ``1.234`` is a located error when
nothing in the sheet says whether the point is a decimal mark or groups thousands. Number
cells are read at the 15 significant digits a spreadsheet stores and shows, so ``2226.86``
saved as ``2226.8599999999997`` is 2226,86. The unit (kr or tkr) multiplies exactly, and the
result must be whole kronor: ``12,3456 tkr`` is 12 345,6 kr and is refused, never rounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation

from finsamplan.figures import amounts
from finsamplan.plan.model import MAX_KRONOR
from finsamplan.year.importer.sheet import Cell

DASHES = {"-", "–", "—", "−", "‐"}
"""A cell with only a dash is written for "nothing" in Swedish tables: read as 0 kr."""

_UNIT_SUFFIX = re.compile(r"\s*(t\.? ?kr|tkr|kr|sek|tsek|ksek|kronor)\.?$", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    """Why an amount cell was not read: a code and a Swedish message."""

    code: str
    message: str


class Reader:
    """Reads amount cells under one decision on the text format and one unit."""

    def __init__(self, texts: list[Cell], unit: int, allowed: frozenset[amounts.Convention]):
        self.unit = unit
        self.decision = amounts.decide(
            [(c.row, strip_unit(c.text)) for c in texts if c.is_text], allowed
        )

    def describe(self) -> str:
        """How the text amounts are written, in words (empty when there are none)."""
        return self.decision.describe() if self.decision.cells else ""

    def read(self, cell: Cell) -> int | Problem:
        value = self.exact(cell)
        if isinstance(value, Problem):
            return value
        kronor = value * self.unit
        if kronor != kronor.to_integral_value():
            return Problem(
                "IMP012",
                f"'{cell.text}' är {amounts.show(kronor)} kr, inte hela kronor; planen har hela "
                "kronor och finsamplan avrundar aldrig: avrunda i bladet",
            )
        if abs(kronor) > MAX_KRONOR:
            return Problem("IMP012", f"'{cell.text}' är större än 1 000 000 000 000 kr")
        return int(kronor)

    def exact(self, cell: Cell) -> Decimal | Problem:
        """The cell's number as written, before the unit."""
        value = cell.value
        if isinstance(value, bool | date | time):
            return Problem("IMP011", f"'{cell.text}' är inget belopp")
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return _float(value, cell.text)
        if isinstance(value, Decimal):
            return value
        text = strip_unit(str(value))
        if text in DASHES:
            return Decimal(0)
        read = self.decision.read(text)
        if isinstance(read, amounts.Problem):
            return _problem(read, self.unit)
        return read


def strip_unit(text: str) -> str:
    return _UNIT_SUFFIX.sub("", text.strip())


def is_amount_text(text: str) -> bool:
    """Whether a text cell is shaped like an amount (so it is read as one, or refused)."""
    text = strip_unit(text)
    return text in DASHES or amounts.split_cell(text) is not None


def _float(value: float, shown: str) -> Decimal | Problem:
    if value != value or value in (float("inf"), float("-inf")):
        return Problem("IMP011", f"'{shown}' är inget belopp")
    try:
        return Decimal(format(value, ".15g"))
    except InvalidOperation:  # pragma: no cover - format gives a valid number
        return Problem("IMP011", f"'{shown}' är inget belopp")


def _problem(problem: amounts.Problem, unit: int) -> Problem:
    """The export reader's problem in the import's words (its codes, its options, its unit)."""
    code = {"ACT010": "IMP010", "ACT012": "IMP012"}.get(problem.code, "IMP011")
    message = problem.message
    if problem.code == "ACT010":
        message = message.split("; ange")[0] + "; ange formatet med --decimal och --thousands"
        if unit == 1000:
            message = message.replace(" kr ", " tkr ").replace(" kr", " tkr")
    return Problem(code, message)
