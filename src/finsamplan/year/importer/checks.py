"""The sheet's own total rows, held against the sums finsamplan computes from its lines.

finsamplan never takes a total from the sheet: every total of the plan is computed from
its lines. A total row of the sheet is checked instead. What it is the total of is read
from where it stands (a cost group's total closes the group; a total right after another
total, or in the summary, sums more than one block) and from its words ("Summa kostnader",
"Utrymme för ny verksamhet"); where the words say nothing, its figures decide, and a row
that matches no sum is left, with its cells. A figure that differs from the computed one is
reported and kept in the plan as a stated figure (``stated:``), so that ``validate`` shows
the difference (FIN090) until someone has looked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from finsamplan.figures.budget import Budget, Totals
from finsamplan.plan.labels import DEFAULT_LABELS
from finsamplan.plan.walk import total_names
from finsamplan.year.importer.account import Difference, Ledger
from finsamplan.year.importer.build import Built
from finsamplan.year.importer.layout import Item, Layout, Row, Section

NAME_WORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE))
    for name, pattern in (
        ("room", r"utrymme|ny verksamhet|ofördela|ej fördela|disponibel"),
        ("reserve", r"reserv|buffert"),
        ("result", r"resultat"),
        (
            "surplus",
            r"överskott|underskott|eget kapital vid årets slut|utgående eget kapital|"
            r"kvar vid årets slut",
        ),
        (
            "costs",
            r"kostnader totalt|summa kostnader|totala kostnader|total kostnad|"
            r"kostnader administration och|alla kostnader|s:a kostnader|^kostnader$|"
            r"(summa|totalt)\W+kostnader$",
        ),
        ("insatser", r"verksamhet|insatser"),
        ("administration", r"administration|styrning|ledning|kansli"),
        ("available", r"intäkter och (eget )?kapital|tillgängliga medel|medel totalt|och kapital"),
        ("income", r"intäkter|finansiering|medlemsavgifter|medlemsbidrag"),
        ("equity", r"eget kapital|sparade medel"),
    )
)
ALL_NAMES = (*(n for n, _ in NAME_WORDS if n != "result"), "result")  # by figures: last
GRAND = ("costs", "result", "surplus", "room", "available")
"""Totals over more than one group: a row that names one never closes a single group."""
LABEL_KEYS = {
    "available": "income_total",
    "insatser": "insatser_total",
    "costs": "costs_total",
    "surplus": "surplus",
    "room": "room",
}
TITLES = {
    "income": "intäkterna",
    "equity": "eget kapital",
    "available": "intäkter och kapital",
    "administration": "administrationen",
    "insatser": "insatserna",
    "costs": "kostnaderna",
    "surplus": "överskottet",
    "room": "utrymmet för ny verksamhet",
    "result": "årets resultat (intäkter minus kostnader)",
}


@dataclass
class Checked:
    """What the checks found: differences, the stated figures and labels to keep."""

    differences: list[Difference] = field(default_factory=list)
    stated: dict[str, dict[str, int]] = field(default_factory=dict)
    stated_cells: dict[str, list[str]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    total_labels: dict[str, str] = field(default_factory=dict)  # group id → its total's text
    matched: int = 0


class _Checker:
    def __init__(self, built: Built, budget: Budget, ledger: Ledger, titles: dict[str, str]):
        self.built = built
        self.budget = budget
        self.ledger = ledger
        self.titles = titles
        self.out = Checked()
        self.names = set(total_names(budget.plan))

    def computed(self, name: str, row: Row) -> dict[str, int]:
        """A total per column as this row writes it (costs negative if the sheet does)."""
        sign = self.built.sign(name, row)
        return {k: sign * _get(t, name) for k, t in self.budget.totals.items()}

    def section(self, section: Section) -> None:
        if section.area == "income":
            totals = [n for n, i in enumerate(section.items) if i.role == "total"]
            for n in totals:
                default = "available" if n == totals[-1] else None
                names = ("available", "income", "equity")
                self.aggregate(section.items[n], names, _block(section.items[:n]), default)
        elif section.area == "costs":
            self.group(section)
        else:
            for item in section.items:
                if item.row not in self.built.reserve_rows:
                    self.aggregate(item, ALL_NAMES, None)

    def group(self, section: Section) -> None:
        gid = self.built.groups.get(id(section))
        totals = [n for n, i in enumerate(section.items) if i.role == "total"]
        for n in totals:
            item = section.items[n]
            block = _block(section.items[:n])
            if not block or _names_grand(item.row.label, section.title):
                self.aggregate(item, ALL_NAMES, block or None)
                continue
            whole = _sum(section.lines()[: _lines_before(section.items, n)])
            if gid is not None and (n == totals[-1] or _equal(item.row.values, whole)):
                self.named(item, gid, whole)
            else:
                self.subtotal(item, block)

    def named(self, item: Item, name: str, expected: dict[str, int] | None = None) -> None:
        """A total row that is one of the plan's totals: checked, and kept if it differs."""
        row = item.row
        computed = expected if expected is not None else self.computed(name, row)
        differs = {k: v for k, v in row.values.items() if computed.get(k, 0) != v}
        title = TITLES.get(name) or f"gruppen '{name}'"
        self.out.matched += 1
        self._labels(name, row)
        if not differs:
            self.ledger.take(_cells(row), f"summa: {title} ({name}); stämmer med raderna")
            return
        self.ledger.take(_cells(row), f"summa: {title} ({name}); skiljer sig från raderna")
        for key, value in differs.items():
            self.out.differences.append(
                Difference(
                    row.amounts[key].address,
                    self.titles[key],
                    row.label,
                    value,
                    computed.get(key, 0),
                    name in self.names,
                )
            )
        if name in self.names and name not in self.out.stated:
            sign = self.built.sign(name, row)
            self.out.stated[name] = {k: sign * v for k, v in differs.items()}
            self.out.stated_cells[name] = [row.amounts[k].address for k in differs]

    def subtotal(self, item: Item, block: dict[str, int]) -> None:
        row = item.row
        differs = {k: v for k, v in row.values.items() if block.get(k, 0) != v}
        self.out.matched += 1
        if not differs:
            self.ledger.take(_cells(row), "delsumma av raderna ovan; stämmer")
            return
        self.ledger.take(_cells(row), "delsumma av raderna ovan; skiljer sig från raderna")
        for key, value in differs.items():
            self.out.differences.append(
                Difference(
                    row.amounts[key].address,
                    self.titles[key],
                    row.label,
                    value,
                    block.get(key, 0),
                    kept=False,
                )
            )

    def aggregate(
        self,
        item: Item,
        names: tuple[str, ...],
        block: dict[str, int] | None,
        default: str | None = None,
    ) -> None:
        """A total of several blocks: by its words, else by its figures, else ``default``."""
        row = item.row
        by_words = next((n for n, p in NAME_WORDS if n in names and p.search(row.label)), None)
        if by_words == "surplus" and "result" in names and self._fits(row, "result"):
            by_words = "result"
        elif by_words == "result" and not self._fits(row, "result") and self._fits(row, "surplus"):
            by_words = "surplus"  # "Årets resultat" with the equity used: the plan's surplus
        if by_words is not None and not self._fits(row, by_words):
            other = [n for n in names if n != "reserve" and self._fits(row, n)]
            by_words = other[0] if len(other) == 1 else by_words
        name = by_words or next(
            (n for n in names if n != "reserve" and row.values and self._fits(row, n)), None
        )
        if name is None and block and _equal(row.values, block):
            self.subtotal(item, block)
            return
        name = name or default
        if name is None or name == "reserve":
            self.ledger.leave(
                _cells(row),
                "summaraden motsvarar ingen av planens summor (varken i ord eller belopp)",
            )
        else:
            self.named(item, name)

    def _fits(self, row: Row, name: str) -> bool:
        return bool(row.values) and _equal(row.values, self.computed(name, row))

    def _labels(self, name: str, row: Row) -> None:
        if not row.label:
            return
        if name in self.built.group_index:
            self.out.total_labels.setdefault(name, row.label)
        key = LABEL_KEYS.get(name)
        if key and key not in self.out.labels and row.label != DEFAULT_LABELS[key]:
            self.out.labels[key] = row.label


def _names_grand(label: str, title: str) -> bool:
    """Whether a total row's words name a total over all groups ("Summa kostnader", "Årets
    resultat") rather than its group's ("Summa insatser" under "Insatser"): then it is
    checked against that total, never taken as the group's."""
    grand = any(n in GRAND and p.search(label) for n, p in NAME_WORDS)
    own = " ".join(title.split()).lower()
    return grand and bool(own) and own not in label.lower()


def _get(totals: Totals, name: str) -> int:
    return totals.result if name == "result" else totals.get(name)


def _cells(row: Row) -> list[Any]:
    return [*row.label_cells, *row.amounts.values()]


def _equal(values: dict[str, int], expected: dict[str, int]) -> bool:
    return all(expected.get(k, 0) == v for k, v in values.items())


def _block(items: list[Item]) -> dict[str, int]:
    out: dict[str, int] = {}
    for item in reversed(items):
        if item.role == "total":
            break
        if item.role == "line":
            for k, v in item.row.values.items():
                out[k] = out.get(k, 0) + v
    return out


def _lines_before(items: list[Item], n: int) -> int:
    return sum(1 for i in items[:n] if i.role == "line")


def _sum(rows: list[Row]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        for k, v in row.values.items():
            out[k] = out.get(k, 0) + v
    return out


def check_totals(
    layout: Layout, built: Built, budget: Budget, ledger: Ledger, titles: dict[str, str]
) -> Checked:
    """Every total row checked, in the sheet's order."""
    checker = _Checker(built, budget, ledger, titles)
    for section in layout.sections:
        checker.section(section)
    return checker.out
