"""``finsamplan import``: a budget spreadsheet (XLSX or CSV) read into a plan file.

The steps, one module each: :mod:`sheet` reads the cells, :mod:`headers` finds the year
columns, their kinds, the plan year and the unit, :mod:`layout` classifies the rows,
:mod:`build` turns them into plan data (members from :mod:`members`), :mod:`checks` holds
the sheet's total rows against the sums finsamplan computes, and :mod:`account` makes sure
every non-empty cell is reported as taken or left. :func:`import_budget` runs them.

Money is never guessed: an amount that could be read two ways, a unit the sheet does not
state, a fraction of a krona or a formula without its saved value stops the import with the
cell's address. Everything else that is a judgement (a member's side, what a group counts
as, a column's kind) is done, reported, and marked ``# granska`` in the plan file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding
from finsamplan.base.findings import Path as PlanPath
from finsamplan.year.importer.account import Account, Difference, Guess
from finsamplan.year.importer.build import CellProblem

__all__ = ["ImportFailed", "Imported", "Options", "import_budget"]


@dataclass(frozen=True)
class Options:
    """What the command line may state instead of the sheet."""

    unit: str | None = None  # "kr" or "tkr"
    year: int | None = None
    name: str | None = None
    sheet: str | None = None
    decimal: str | None = None
    thousands: str | None = None


class ImportFailed(FinsamplanError, ValueError):
    """The sheet cannot be imported; every problem with its cell."""

    def __init__(self, file: str, problems: list[CellProblem]) -> None:
        super().__init__(findings=[p.finding(file) for p in problems])
        self.file = file
        self.problems = problems

    def lines(self) -> list[str]:
        """``file:cell: fel CODE message``, one per problem (``Finding.as_line``)."""
        return [f.as_line() for f in self.findings]


@dataclass
class Imported:
    """The plan read from a sheet, and the account of how."""

    file: str
    sheet: str
    unit: str
    amount_format: str
    year: int
    data: dict[str, Any]
    comments: dict[PlanPath, str]
    accounts: list[Account]
    guesses: list[Guess]
    differences: list[Difference]
    fill_in: list[str] = field(default_factory=list)
    cell_comments: list[Account] = field(default_factory=list)  # XLSX notes, taken or left
    matched_totals: int = 0
    cells: int = 0

    @property
    def took(self) -> list[Account]:
        return [a for a in self.accounts if a.verdict == "took"]

    @property
    def left(self) -> list[Account]:
        return [a for a in self.accounts if a.verdict == "left"]

    def text(self, plan_path: Path) -> str:
        """The plan file: the editor's schema line, a header, the plan with its comments."""
        from finsamplan.year.importer.plantext import plan_text

        return plan_text(self, plan_path)

    def findings(self, plan_path: Path) -> list[Finding]:
        """What ``validate`` will say of the written file (loader and rules)."""
        from finsamplan.judge.rules import validate
        from finsamplan.plan.loader import load_text

        text = self.text(plan_path).encode("utf-8")
        return validate(load_text(text, str(plan_path), plan_id=plan_path.stem))


def import_budget(path: Path, options: Options | None = None) -> Imported:
    """Read the sheet at ``path`` into plan data; :class:`ImportFailed` if it cannot be."""
    from finsamplan.year.importer.run import run

    return run(path, options or Options())
