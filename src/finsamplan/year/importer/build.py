"""From classified rows to plan data: amounts in kronor, signs, parts, members, groups.

The result is plain plan-shaped data (what a plan file would say) plus, for every value,
the cells it came from; :mod:`checks` then holds the sheet's own totals against the sums
finsamplan computes from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from finsamplan.base.findings import Finding, Severity
from finsamplan.figures import amounts
from finsamplan.plan.labels import TOTAL_NAMES
from finsamplan.plan.model import SIDE_LABELS
from finsamplan.year.importer import members as who
from finsamplan.year.importer.account import Ledger
from finsamplan.year.importer.cellmoney import Problem, Reader
from finsamplan.year.importer.headers import Header
from finsamplan.year.importer.layout import Item, Layout, Row, Section
from finsamplan.year.importer.sheet import Cell

ADMINISTRATION = re.compile(
    r"administration|administrativ|styrning|ledning|kansli|förbundsledning|gemensamma kostnader"
    r"|styrelse|revision",
    re.IGNORECASE,
)
PROJECTS = re.compile(r"\bprojekt\w*", re.IGNORECASE)
_GROUP_PREFIX = re.compile(r"^(kostnader|kostnad|summa)\s*[/:\-–]?\s*", re.IGNORECASE)


@dataclass(frozen=True)
class CellProblem:
    """A located reason the import cannot go on: ``file:cell: code message``."""

    code: str
    message: str
    cell: str | None = None

    def finding(self, file: str) -> Finding:
        """The problem as the one record: an error at ``file:cell``."""
        return Finding(self.code, Severity.ERROR, self.message, file=file, cell=self.cell)


@dataclass
class Built:
    """The plan data and where each part of it came from."""

    data: dict[str, Any]
    groups: dict[int, str] = field(default_factory=dict)  # id(section) → group id
    group_index: dict[str, int] = field(default_factory=dict)  # group id → cost_groups index
    reserve_rows: list[Row] = field(default_factory=list)
    signs: dict[str, int] = field(default_factory=lambda: {"income": 1, "costs": 1})
    flipped: set[int] = field(default_factory=set)  # rows whose sign was turned

    def sign(self, name: str, row: Row) -> int:
        """How a total of this name is written on this row, relative to the plan."""
        if row.number in self.flipped:
            return 1
        if name in ("income", "equity", "available"):
            return self.signs["income"]
        if name in ("administration", "insatser", "costs") or name in self.group_index:
            return self.signs["costs"]
        return 1


# --- amounts -----------------------------------------------------------------------------


def read_amounts(
    layout: Layout, unit: int, decimal: str | None, thousands: str | None
) -> tuple[list[CellProblem], str]:
    """Every amount cell as kronor (``row.values``); the problems, and how texts are
    written. A formula saved without its value is a problem: the figure is unknown."""
    cells = [c for r in layout.rows for c in r.amounts.values()]
    reader = Reader(cells, unit, amounts.stated(decimal, thousands))
    problems: list[CellProblem] = []
    for row in layout.rows:
        for key, cell in row.amounts.items():
            if cell.formula is not None and cell.text == "":
                problems.append(
                    CellProblem(
                        "IMP014",
                        f"formeln {cell.formula[:60]} har inget sparat värde; öppna filen i "
                        "Excel eller LibreOffice och spara den, så sparas värdet",
                        cell.address,
                    )
                )
                continue
            value = reader.read(cell)
            if isinstance(value, Problem):
                problems.append(CellProblem(value.code, value.message, cell.address))
            else:
                row.values[key] = value
    return problems, reader.describe()


def settle_signs(layout: Layout, built: Built) -> None:
    """Costs (or income) written as negative numbers throughout are the sheet's way of
    writing them: turned, with every row of that area (a reserve row likewise)."""
    for area in ("income", "costs"):
        rows = [r for s in layout.sections if s.area == area for r in s.lines()]
        values = [v for r in rows for v in r.values.values() if v]
        if values and all(v < 0 for v in values):
            built.signs[area] = -1
            for s in layout.sections:
                if s.area == area:
                    for item in s.items:
                        item.row.values = {k: -v for k, v in item.row.values.items()}
                        built.flipped.add(item.row.number)
    for item in _summary_items(layout):
        if "reserv" in item.row.label.lower() and all(v <= 0 for v in item.row.values.values()):
            item.row.values = {k: -v for k, v in item.row.values.items()}


def negative_lines(layout: Layout) -> list[CellProblem]:
    """A negative line among positive ones (once signs, parts and totals are settled) is an
    error at its cell: the plan has no negative lines, and a sign is never guessed."""
    problems: list[CellProblem] = []
    for section in layout.sections:
        if section.area not in ("income", "costs"):
            continue
        what = "en kostnadsrad" if section.area == "costs" else "en intäktsrad"
        for item in section.items:
            if item.role not in ("line", "part"):
                continue
            row = item.row
            for key, value in row.values.items():
                if value < 0:
                    problems.append(
                        CellProblem(
                            "IMP013",
                            f"{what} med negativt belopp ({row.label}: {row.amounts[key].text}) "
                            "bland positiva; planen har inga negativa rader. Skriv en minskning "
                            "som egen rad på rätt sida, eller rätta bladet",
                            row.amounts[key].address,
                        )
                    )
    return problems


def _summary_items(layout: Layout) -> list[Item]:
    return [i for s in layout.sections if s.area == "summary" for i in s.items]


def mark_parts(layout: Layout) -> None:
    """A cost line followed by indented (or italic) rows that sum to it exactly, column by
    column, is a line with parts (delposter); the rows are its parts, not lines."""
    for section in layout.sections:
        if section.area != "costs":
            continue
        items = section.items
        for n, item in enumerate(items):
            if item.role != "line":
                continue
            deeper: list[Item] = []
            for other in items[n + 1 :]:
                row = other.row
                if other.role == "line" and _deeper(row, item.row):
                    deeper.append(other)
                else:
                    break
            rows = [d.row for d in deeper]
            if rows and item.row.values and not any(r.notes for r in rows):
                wanted = {k: v for k, v in item.row.values.items() if v}
                if _sum_rows(rows) == wanted:
                    item.row.parts = rows
                    for d in deeper:
                        d.role = "part"


def _deeper(row: Row, parent: Row) -> bool:
    return row.indent > parent.indent or (row.italic and not parent.italic)


def settle_totals(layout: Layout) -> None:
    """A bold row (or one without text) at the end of a block is a total when it is the sum
    of the block, or when no worded total follows; otherwise it is a line."""
    for section in layout.sections:
        for n, item in enumerate(section.items):
            if item.role != "maybe-total":
                continue
            block = _block_sum(section.items[:n])
            after = section.items[n + 1] if n + 1 < len(section.items) else None
            if block and item.row.values == {
                k: v for k, v in block.items() if k in item.row.values
            }:
                item.role = "total"
            elif after is not None and after.role in ("total", "maybe-total") and item.row.label:
                item.role, item.note = "line", "fetstil men inte summan av raderna ovan"
            else:
                item.role = "total"


def _block_sum(items: list[Item]) -> dict[str, int]:
    """The sum per column of the lines since the last total."""
    out: dict[str, int] = {}
    for item in reversed(items):
        if item.role in ("total", "maybe-total"):
            break
        if item.role == "line":
            for k, v in item.row.values.items():
                out[k] = out.get(k, 0) + v
    return out


# --- plan data ---------------------------------------------------------------------------


def columns(header: Header, ledger: Ledger) -> list[dict[str, Any]]:
    from finsamplan.plan.model import COLUMN_LABELS

    out: list[dict[str, Any]] = []
    for i, col in enumerate(header.columns):
        entry: dict[str, Any] = {"year": col.year, "kind": col.kind}
        if col.key != str(col.year):
            entry["id"] = col.key
        if col.label != f"{COLUMN_LABELS[col.kind or 'budget']} {col.year}":
            entry["label"] = col.label
        out.append(entry)
        ledger.take([col.cell], f"kolumn {col.key}: {col.kind} ('{col.cell.text}')")
        if col.guessed:
            ledger.guess([col.cell], col.guessed, ("columns", i, "kind"))
    return out


def income(layout: Layout, ledger: Ledger, data: dict[str, Any], line_ids: set[str]) -> None:
    """Income lines, and the members their texts name (each side a guess)."""
    rows = [r for s in layout.sections if s.area == "income" for r in s.lines()]
    payers: dict[str, tuple[who.Payer, list[Row]]] = {}
    kinds = [who.income_kind(r.label) for r in rows]
    for row, kind in zip(rows, kinds, strict=True):
        found = who.payer(row.label) if kind == "contribution" else None
        if found is not None:
            payers.setdefault(found.name, (found, []))[1].append(row)
    members = _members(payers, ledger)
    data["forbund"]["members"] = [m for m, _ in members.values()]
    lines: list[dict[str, Any]] = []
    for i, (row, kind) in enumerate(zip(rows, kinds, strict=True)):
        line = _line(row, line_ids)
        if kind == "contribution":
            found = who.payer(row.label)
            assert found is not None
            line["member"] = members[found.name][0]["id"]
            what = f"medlemsavgift: {found.name}"
        else:
            line["kind"] = kind
            what = "eget kapital" if kind == "equity" else "övrig intäkt"
            ledger.guess(
                row.label_cells, f"'{row.label}': {what} (kind: {kind})", ("income", i, "kind")
            )
        lines.append(line)
        ledger.take([*row.label_cells, *row.amounts.values()], f"intäkt, {what}")
        _take_notes(row, ledger)
    data["income"] = lines


def _members(
    payers: dict[str, tuple[who.Payer, list[Row]]], ledger: Ledger
) -> dict[str, tuple[dict[str, Any], int]]:
    """One member per name, with its side; a municipality is outside a region when no
    region is a member (5 a §), and so is a lone region paying as much as the state."""
    sides = {p.side for p, _ in payers.values()}
    lone = _lone_region(payers)
    taken: set[str] = set()
    out: dict[str, tuple[dict[str, Any], int]] = {}
    for i, (name, (found, rows)) in enumerate(payers.items()):
        side, why = found.side, _SIDE_WHY[found.side]
        if side == "municipality" and "region" not in sides:
            side, why = "municipality_without_region", "kommun, och ingen region är medlem (5 a §)"
        elif name == lone:
            side = "municipality_without_region"
            why = "region utan kommuner som betalar lika mycket som staten (5 a §)"
        member = {"id": who.member_id(name, taken), "name": name, "side": side}
        out[name] = (member, i)
        said = f"{name}: {SIDE_LABELS[side]} ({side}), {why}"
        ledger.guess(rows[0].label_cells, said, ("forbund", "members", i, "side"))
    return out


_SIDE_WHY = {
    "state": "staten betalar genom Försäkringskassan",
    "region": "namnet börjar med Region",
    "municipality": "kommun eller stad i namnet",
}


def _lone_region(payers: dict[str, tuple[who.Payer, list[Row]]]) -> str | None:
    regions = [n for n, (p, _) in payers.items() if p.side == "region"]
    if len(regions) != 1 or any(p.side == "municipality" for p, _ in payers.values()):
        return None
    state = _sum_rows([r for p, rows in payers.values() if p.side == "state" for r in rows])
    region = _sum_rows(payers[regions[0]][1])
    return regions[0] if state and state == region else None


def _sum_rows(rows: list[Row]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in rows:
        for k, v in row.values.items():
            if v:
                out[k] = out.get(k, 0) + v
    return out


def _line(row: Row, line_ids: set[str]) -> dict[str, Any]:
    line: dict[str, Any] = {"id": who.unique(who.slug(row.label, "rad"), line_ids)}
    line["label"] = row.label
    line["amounts"] = dict(row.values)
    notes = {k: " ".join(c.text.split()) for k, c in row.notes.items()}
    notes.update({k: text for k, (_, text) in row.comments.items() if k not in row.values})
    if notes:
        line["notes"] = notes
    return line


def _take_notes(row: Row, ledger: Ledger) -> None:
    for key, cell in row.notes.items():
        ledger.take([cell], f"anteckning för kolumn {key} (notes)")
    for key, (at, _) in row.comments.items():
        ledger.take_comment(at, f"kommentar i tom cell: anteckning för kolumn {key} (notes)")


def groups(layout: Layout, ledger: Ledger, built: Built, line_ids: set[str]) -> None:
    """One cost group per cost section: id, title, what it counts as (a guess), lines."""
    sections = [s for s in layout.sections if s.area == "costs" and s.lines()]
    admin = [s for s in sections if ADMINISTRATION.search(s.title)]
    entries: list[dict[str, Any]] = []
    costs: dict[str, list[dict[str, Any]]] = {}
    for i, section in enumerate(sections):
        gid = _group_id(section.title, line_ids, single_admin=admin == [section])
        counts = "administration" if section in admin else "insatser"
        entry: dict[str, Any] = {"id": gid, "title": section.title, "counts_as": counts}
        if PROJECTS.search(section.title):
            entry["projects"] = True
            ledger.guess(
                section.heading.label_cells if section.heading else [],
                f"'{section.title}': raderna är projekt (rubriken säger det); varje projekt "
                "ska då ha en rad för sin utvärdering (evaluates)",
                ("cost_groups", i, "projects"),
            )
        entries.append(entry)
        built.groups[id(section)] = gid
        built.group_index[gid] = i
        cells = section.heading.label_cells if section.heading else []
        why = "rubriken nämner " + (
            f"'{ADMINISTRATION.search(section.title).group(0)}'"  # type: ignore[union-attr]
            if counts == "administration"
            else "varken administration, styrning, ledning, kansli, styrelse eller revision"
        )
        ledger.guess(
            cells, f"'{section.title}' räknas som {counts}: {why}", ("cost_groups", i, "counts_as")
        )
        if section.heading is not None:
            ledger.take(cells, f"kostnadsgrupp '{gid}' ({counts})")
        costs[gid] = _cost_lines(section, ledger, line_ids)
    if entries:
        built.data["cost_groups"] = entries
    built.data["costs"] = costs


def _group_id(title: str, taken: set[str], single_admin: bool) -> str:
    base = who.slug(_GROUP_PREFIX.sub("", title) or title, "grupp")
    if base in TOTAL_NAMES and not (base == "administration" and single_admin):
        base = f"{base}-grupp"
    return who.unique(base, taken)


def _cost_lines(section: Section, ledger: Ledger, taken: set[str]) -> list[dict[str, Any]]:
    """The section's lines, each with its parts (:func:`mark_parts`)."""
    out: list[dict[str, Any]] = []
    for row in section.lines():
        line = _line(row, taken)
        what = f"kostnadsrad i '{section.title}'"
        if row.parts:
            del line["amounts"]
            line["parts"] = [{"label": p.label, "amounts": dict(p.values)} for p in row.parts]
            what += f", summan av {len(row.parts)} delposter"
            for p in row.parts:
                ledger.take([*p.label_cells, *p.amounts.values()], f"delpost av '{row.label}'")
                _take_notes(p, ledger)
        ledger.take([*row.label_cells, *row.amounts.values()], what)
        _take_notes(row, ledger)
        out.append(line)
    return out


def reserve(layout: Layout, ledger: Ledger, built: Built) -> None:
    for item in _summary_items(layout):
        if "reserv" in item.row.label.lower() and "utrymme" not in item.row.label.lower():
            if built.reserve_rows:
                continue
            built.reserve_rows.append(item.row)
            entry: dict[str, Any] = {"amounts": dict(item.row.values)}
            if item.row.label != "Reserv":
                entry["label"] = item.row.label
            built.data["reserve"] = entry
            ledger.take([*item.row.label_cells, *item.row.amounts.values()], "reserv")


def cells_of(rows: list[Row]) -> list[Cell]:
    return [c for r in rows for c in r.cells]
