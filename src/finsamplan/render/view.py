"""The plan as the document shows it: numbered sections, formatted tables, insats cards.

Everything a template needs is computed here, once, so that the Markdown, HTML and PDF
outputs cannot disagree about a figure, a number or a heading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from finsamplan.base.findings import Finding, Severity
from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import Budget, Row, Table
from finsamplan.figures.evaluations import Planned, evaluations
from finsamplan.judge import stated
from finsamplan.plan import placeholders
from finsamplan.plan.model import Activity, CostLine, Plan, Section
from finsamplan.plan.walk import cost_lines, document_sections, iter_sections

EMPTY = "–"


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[str, ...]
    amounts: tuple[int | None, ...]
    kind: str = "row"  # row, part, total, grand
    id: str | None = None
    extra: tuple[str, ...] = ()  # a second line per cell, e.g. the reserve "(+650 000)"
    marks: tuple[str, ...] = ()  # a note mark per cell ("a"), e.g. for a printed figure

    def cell_texts(self, mark: str = "") -> tuple[str, ...]:
        """Each cell with its second line, if any, on one line (Markdown, terminal); with
        ``mark`` (e.g. ``"[^{}]"``) each cell's note mark follows its figure."""
        marks = self.marks if mark and self.marks else ("",) * len(self.cells)
        extra = self.extra or ("",) * len(self.cells)
        return tuple(
            f"{c}{mark.format(m) if m else ''} {e}".strip()
            for c, m, e in zip(self.cells, marks, extra, strict=True)
        )


@dataclass(frozen=True)
class TableNote:
    """A note below a table, e.g. the printed figure where it is not the computed one."""

    mark: str  # "" for a note that no cell refers to
    text: str


@dataclass(frozen=True)
class TableView:
    id: str
    title: str
    header: tuple[str, ...]
    rows: tuple[TableRow, ...]
    notes: tuple[TableNote, ...] = ()


@dataclass(frozen=True)
class Card:
    number: str
    anchor: str
    title: str
    kind: str
    period: str | None
    period_note: str | None
    owner: str | None
    budget_label: str
    budget: str | None
    budget_parts: tuple[tuple[str, str], ...]
    evaluation: str | None
    budget_note: str | None
    target_group: str | None
    background: str | None
    description: str | None


@dataclass(frozen=True)
class SectionView:
    id: str
    number: str | None
    title: str
    level: int
    text: str
    generated: str | None
    children: tuple[SectionView, ...] = ()
    tables: tuple[TableView, ...] = ()  # the budget tables shown here (generated: budget)
    budget_end: bool = False  # shows the summary: the note on the room and the charts follow

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class TocEntry:
    anchor: str
    label: str
    level: int


@dataclass(frozen=True)
class Chart:
    """A chart and its text alternative: the figures it draws, as a table (first row: the
    column headings), and a sentence saying what it shows."""

    id: str
    title: str
    svg: str
    description: str = ""
    data: tuple[tuple[str, ...], ...] = ()
    png: bytes = b""  # the same chart as an image, for Word


@dataclass
class DocumentView:
    plan_id: str
    plan: Plan
    budget: Budget
    title: str
    forbund: str
    short_name: str
    year: int
    columns: tuple[str, ...]
    tables: tuple[TableView, ...]
    summary: TableView
    sections: tuple[SectionView, ...]
    cards: tuple[Card, ...]
    toc: tuple[TocEntry, ...]
    findings: tuple[Finding, ...]
    created: date
    charts: tuple[Chart, ...] = field(default_factory=tuple)
    criteria: Any = None  # a criteria.CheckResult for the appendix, when asked for
    contributions: Any = None  # fakturaunderlag.ContributionsView, when a key is used
    position: Any = None  # position.PositionView: equity at year end and financial goals

    @property
    def notes_for_board(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is not Severity.INFO)


def cell(amount: int | None) -> str:
    return format_kronor(amount) if amount else EMPTY


def _row_view(row: Row, keys: list[str], kind: str = "row") -> list[TableRow]:
    cells = tuple(row.notes.get(k) or cell(row.amounts[k]) for k in keys)
    out = [TableRow(row.label, cells, tuple(row.amounts[k] for k in keys), kind, row.id)]
    for part in row.parts:
        out.append(
            TableRow(
                part.label,
                tuple(cell(part.amounts[k]) for k in keys),
                tuple(part.amounts[k] for k in keys),
                "part",
            )
        )
    return out


def _table_view(table: Table, keys: list[str], header: tuple[str, ...]) -> TableView:
    rows: list[TableRow] = []
    for row in table.rows:
        rows.extend(_row_view(row, keys))
    total = tuple(table.total[k] for k in keys)
    rows.append(TableRow(table.total_label, tuple(format_kronor(a) for a in total), total, "total"))
    return TableView(table.id, table.title, header, tuple(rows))


def _summary(budget: Budget, keys: list[str], header: tuple[str, ...]) -> TableView:
    labels = budget.plan.labels
    t = [budget.totals[k] for k in keys]
    insatser = tuple(x.insatser for x in t)
    costs = tuple(x.costs for x in t)
    room = tuple(x.room for x in t)
    reserve_notes = tuple(f"(+{format_kronor(x.reserve)})" if x.reserve else "" for x in t)
    rows = (
        TableRow(
            labels.text("insatser_total"),
            tuple(format_kronor(a) for a in insatser),
            insatser,
            "total",
            "insatser",
        ),
        TableRow(
            labels.text("costs_total"),
            tuple(format_kronor(a) for a in costs),
            costs,
            "total",
            "costs",
        ),
        TableRow(
            labels.text("room"),
            tuple(format_kronor(r) for r in room),
            room,
            "grand",
            "room",
            extra=reserve_notes if any(reserve_notes) else (),
        ),
    )
    return TableView("summary", labels.text("summary_title"), header, rows)


def _shows(table: TableView, row: TableRow) -> str | None:
    """The name of the total a row shows, if any."""
    if table.id == "summary":
        return row.id
    return stated.table_total(table.id) if row.kind == "total" else None


def _with_stated(
    plan: Plan, tables: tuple[TableView, ...], diffs: list[stated.Difference], keys: list[str]
) -> tuple[TableView, ...]:
    """Each printed figure that differs gets a note mark on its cell and a note below the
    table with the printed figure and the reason; a total no table shows gets a note below
    the last table."""
    groups: dict[str, list[stated.Difference]] = {}
    for d in diffs:
        groups.setdefault(d.total, []).append(d)
    out: list[TableView] = []
    used = 0
    for table in tables:
        rows, notes = [], list(table.notes)
        for row in table.rows:
            name = _shows(table, row)
            if name not in groups:
                rows.append(row)
                continue
            mark = "abcdefghijklmnopqrstuvwxyz"[used % 26] + (str(used // 26) if used >= 26 else "")
            used += 1
            at = {d.column.key for d in groups[name]}
            rows.append(replace(row, marks=tuple(mark if k in at else "" for k in keys)))
            notes.append(TableNote(mark, stated.note_text(groups.pop(name))))
        out.append(replace(table, rows=tuple(rows), notes=tuple(notes)))
    if groups and out:
        rest = [
            TableNote("", f"{stated.phrase(plan, n).capitalize()}: {stated.note_text(g)}")
            for n, g in groups.items()
        ]
        out[-1] = replace(out[-1], notes=(*out[-1].notes, *rest))
    return tuple(out)


def _number_sections(
    sections: list[Section], prefix: str, level: int, fill: object, numbered: bool = True
) -> list[SectionView]:
    out = []
    n = 0
    for s in sections:
        is_numbered = numbered and s.numbered
        if is_numbered:
            n += 1
            number = f"{prefix}{n}" if prefix else f"{n}."
            child_prefix = f"{prefix}{n}." if prefix else f"{n}."
        else:
            number, child_prefix = None, prefix
        children = _number_sections(
            s.sections, child_prefix if is_numbered else prefix, level + 1, fill, is_numbered
        )
        text = fill(s.text)  # type: ignore[operator]
        out.append(SectionView(s.id, number, s.title, level, text, s.generated, tuple(children)))
    return out


def _period(act: Activity) -> tuple[str | None, str | None]:
    if act.period is None:
        return None, None
    end = str(act.period.end) if act.period.end else "tills vidare"
    return f"{act.period.start} – {end}", act.period.note


def _cards(plan: Plan, budget: Budget, prefix: str, fill: Callable[[str], str]) -> tuple[Card, ...]:
    key = plan.plan_key() or ""  # no plan column (FIN070): no amounts, not another year's
    rows: dict[str, Row] = {}
    for table in budget.tables[1:]:
        for row in table.rows:
            if row.id:
                rows[row.id] = row
    lines = {line.id: line for _, _, line in cost_lines(plan) if line.id}
    cards = []
    for i, act in enumerate(plan.activities, start=1):
        budget_rows = [
            rows[r]
            for r in act.lines
            if not (lines[r].evaluates and lines[r].evaluates in act.lines)
        ]
        total = sum(r.amounts.get(key, 0) for r in budget_rows)
        parts = (
            tuple((r.label, format_kronor(r.amounts.get(key, 0))) for r in budget_rows)
            if len(budget_rows) > 1
            else ()
        )
        period, note = _period(act)
        shown = (format_kronor(total) if key else NO_DATA) if budget_rows else None
        if act.budget_text:  # the budget line as the plan writes it, figures from the budget
            shown, parts = fill(act.budget_text), ()
        cards.append(
            Card(
                number=f"{prefix}{i}" if prefix else str(i),
                anchor=f"insats-{act.id}",
                title=act.title,
                kind=act.kind,
                period=period,
                period_note=note,
                owner=act.owner,
                budget_label=f"Budget {plan.year}",
                budget=shown,
                budget_parts=parts,
                evaluation=_evaluation(plan, evaluations(budget, act), act, lines),
                budget_note=act.budget_note,
                target_group=act.target_group,
                background=act.background,
                description=act.description,
            )
        )
    return tuple(cards)


NO_DATA = "ingen uppgift"
"""A card's figure the plan does not give: never shown as 0."""


def _evaluation(
    plan: Plan, planned: list[Planned], act: Activity, lines: dict[str, CostLine]
) -> str | None:
    """The card's evaluation: the plan year's amount, the later years' each with its year
    ("planerad 2029: 100 000"), or "ingen uppgift" for an evaluation line without amounts;
    None (no row) when the insats has no evaluation line at all."""
    listed = any(lines[r].evaluates and lines[r].evaluates in act.lines for r in act.lines)
    if not planned and not listed:
        return None
    years: dict[int, int] = {}
    for e in planned:
        for year, amount in e.years:
            years[year] = years.get(year, 0) + amount
    if not years:
        return NO_DATA
    return "; ".join(
        format_kronor(a) if y == plan.year else f"planerad {y}: {format_kronor(a)}"
        for y, a in sorted(years.items())
    )


def _toc(sections: tuple[SectionView, ...], cards: tuple[Card, ...]) -> tuple[TocEntry, ...]:
    out: list[TocEntry] = []

    def walk(items: tuple[SectionView, ...]) -> None:
        for s in items:
            out.append(TocEntry(f"avsnitt-{s.id}", s.heading, s.level))
            if s.generated == "activities":
                out.extend(TocEntry(c.anchor, f"{c.number} {c.title}", s.level + 1) for c in cards)
            walk(s.children)

    walk(sections)
    return tuple(out)


def budget_tables(budget: Budget) -> tuple[TableView, ...]:
    """The budget's tables and the summary, as the document shows them, with a note for
    every printed figure (``stated``) that is not the computed one."""
    keys = budget.keys()
    header = tuple(c.title for c in budget.columns)
    tables = tuple(_table_view(t, keys, header) for t in budget.tables)
    tables = (*tables, _summary(budget, keys, header))
    return _with_stated(budget.plan, tables, stated.differences(budget.plan, budget), keys)


def _place_tables(
    sections: tuple[SectionView, ...], tables: tuple[TableView, ...], plan: Plan
) -> tuple[SectionView, ...]:
    """Give each ``generated: budget`` section its tables: those it names in ``tables``;
    the tables no section names go to the first section that names none (or else the last
    budget section), so no table is ever left out. The section with the summary also gets
    the note on the room and the charts."""
    holders = [s.id for s in _flatten(sections) if s.generated == "budget"]
    if not holders:
        return sections
    wanted = {s.id: list(s.tables) for _, s in iter_sections(plan.sections)}
    named = {t for ids in wanted.values() for t in ids}
    rest = [t.id for t in tables if t.id not in named]
    free = next((h for h in holders if not wanted.get(h)), holders[-1])
    shown = {h: [*wanted.get(h, []), *(rest if h == free else [])] for h in holders}
    end = next((h for h in holders if "summary" in shown[h]), holders[-1])
    by_id = {t.id: t for t in tables}

    def place(items: tuple[SectionView, ...]) -> tuple[SectionView, ...]:
        return tuple(
            replace(
                s,
                tables=tuple(by_id[t] for t in shown.get(s.id, []) if t in by_id),
                budget_end=s.id == end,
                children=place(s.children),
            )
            for s in items
        )

    return place(sections)


def build(
    plan_id: str, plan: Plan, budget: Budget, findings: list[Finding], today: date | None = None
) -> DocumentView:
    header = tuple(c.title for c in budget.columns)

    def fill(text: str) -> str:
        return placeholders.fill(text, budget.amount, format_kronor)

    sections = tuple(_number_sections(document_sections(plan), "", 1, fill))
    activities_prefix = next(
        (
            f"{s.number}" if s.number and s.number.endswith(".") else f"{s.number}."
            for s in _flatten(sections)
            if s.generated == "activities" and s.number
        ),
        "",
    )
    cards = _cards(plan, budget, activities_prefix, fill)
    *table_views, summary = budget_tables(budget)
    sections = _place_tables(sections, (*table_views, summary), plan)
    return DocumentView(
        plan_id=plan_id,
        plan=plan,
        budget=budget,
        title=plan.title,
        forbund=plan.forbund.name,
        short_name=plan.forbund.short_name or plan.forbund.name,
        year=plan.year,
        columns=header,
        tables=tuple(table_views),
        summary=summary,
        sections=sections,
        cards=cards,
        toc=_toc(sections, cards),
        findings=tuple(findings),
        created=today or date.today(),
        contributions=_contributions(plan, budget),
        position=_position(plan, budget),
    )


def _contributions(plan: Plan, budget: Budget) -> Any:
    from finsamplan.render.fakturaunderlag import document_view

    return document_view(plan, budget)


def _position(plan: Plan, budget: Budget) -> Any:
    from finsamplan.render.position import document_view

    return document_view(plan, budget)


def _flatten(sections: tuple[SectionView, ...]) -> list[SectionView]:
    out: list[SectionView] = []
    for s in sections:
        out.append(s)
        out.extend(_flatten(s.children))
    return out
