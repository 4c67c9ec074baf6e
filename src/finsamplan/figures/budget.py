"""The budget computed from a plan: every row per column, every total, the room left.

Nothing here is typed in by the user: a total is always the sum of its rows, and the
*utrymme för ny verksamhet* is computed the same way for every year,
``income + equity − costs − reserve``. (Seed 003 prints 2024/2025 before the reserve;
``docs/plan-format.md`` explains the difference.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from finsamplan.base.findings import Path
from finsamplan.base.money import share_of
from finsamplan.figures.contributions import income_lines
from finsamplan.plan.labels import TOTAL_NAMES, TOTAL_TITLES
from finsamplan.plan.model import Column, CostLine, IncomeLine, Plan
from finsamplan.plan.walk import total_names

__all__ = [
    "TOTAL_NAMES",
    "Budget",
    "Row",
    "Table",
    "Totals",
    "compute",
    "summary_names",
    "total_names",
    "total_title",
]


def line_amount(line: CostLine | IncomeLine, column: str) -> int:
    if isinstance(line, CostLine) and line.parts:
        return sum(p.amounts.get(column, 0) for p in line.parts)
    return line.amounts.get(column, 0)


@dataclass(frozen=True)
class Row:
    """One row of a budget table, with its amount per column key."""

    label: str
    amounts: dict[str, int]
    path: Path
    id: str | None = None
    kind: str | None = None
    notes: dict[str, str] = field(default_factory=dict)
    parts: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Table:
    """The income table or one cost group's table, with its computed total per column."""

    id: str
    title: str
    rows: tuple[Row, ...]
    total: dict[str, int]
    total_label: str = ""
    counts_as: str | None = None  # a cost group: "administration" or "insatser"


@dataclass(frozen=True)
class Totals:
    """The figures of one column. Names follow ``render --format json``'s ``totals``."""

    contributions: int
    other_income: int
    equity: int
    administration: int
    insatser: int
    reserve: int
    by_side: dict[str, int]
    by_member: dict[str, int]
    groups: dict[str, int] = field(default_factory=dict)

    @property
    def income(self) -> int:
        return self.contributions + self.other_income

    @property
    def available(self) -> int:
        return self.income + self.equity

    @property
    def activities(self) -> int:
        """The older name of :attr:`insatser`, kept for scripts that read it."""
        return self.insatser

    @property
    def costs(self) -> int:
        return self.administration + self.insatser

    @property
    def surplus(self) -> int:
        return self.available - self.costs

    @property
    def room(self) -> int:
        return self.surplus - self.reserve

    @property
    def result(self) -> int:
        """The year's own result: income minus costs, equity left out."""
        return self.income - self.costs

    @property
    def admin_share(self) -> Decimal | None:
        return share_of(self.administration, self.costs)

    @property
    def state(self) -> int:
        return self.by_side.get("state", 0)

    @property
    def others(self) -> int:
        return self.contributions - self.state

    def get(self, name: str) -> int:
        """A total by its name: an aggregate of :data:`TOTAL_NAMES` or a cost group's id."""
        if name in TOTAL_NAMES:
            return int(getattr(self, name))
        return self.groups[name]

    def as_dict(self) -> dict[str, int]:
        return {name: self.get(name) for name in (*TOTAL_NAMES, *self.groups)}


def summary_names(plan: Plan) -> list[str]:
    """The totals a summary shows, in reading order: income, each cost group, the rest.

    ``activities`` (an alias) is left out, and so is ``administration`` when one group of
    that id already shows it.
    """
    groups = [g.id for g in plan.groups]
    tail = [n for n in ("administration", "insatser") if n not in groups]
    return ["income", "equity", "available", *groups, *tail, "costs", "surplus", "reserve", "room"]


def total_title(plan: Plan, name: str) -> str:
    """A total's short Swedish name: the group's title for a group, else the neutral name."""
    group = next((g for g in plan.groups if g.id == name), None)
    return group.legend if group else TOTAL_TITLES[name]


@dataclass(frozen=True)
class Budget:
    plan: Plan
    columns: tuple[Column, ...]
    tables: tuple[Table, ...]
    totals: dict[str, Totals]

    def table(self, table_id: str) -> Table:
        return next(t for t in self.tables if t.id == table_id)

    @property
    def cost_tables(self) -> tuple[Table, ...]:
        """One table per cost group, in the plan's order."""
        return self.tables[1:]

    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def amount(self, name: str, column: str) -> int:
        """A figure a text names (``{{ reserve 2023 }}``, ``{{ steget 2027 }}``): a total by
        its name or a line by its id. The loader has checked every name and column, so an
        unknown one is a bug: KeyError."""
        if name in total_names(self.plan):
            return self.totals[column].get(name)
        for table in self.tables:
            for row in table.rows:
                if row.id == name:
                    return row.amounts[column]
        raise KeyError(name)


def _row(line: CostLine | IncomeLine, keys: list[str], path: Path) -> Row:
    parts: tuple[Row, ...] = ()
    if isinstance(line, CostLine) and line.parts:
        parts = tuple(
            Row(p.label, {k: p.amounts.get(k, 0) for k in keys}, (*path, "parts", j))
            for j, p in enumerate(line.parts)
        )
    kind = line.kind if isinstance(line, IncomeLine) else None
    return Row(
        line.label,
        {k: line_amount(line, k) for k in keys},
        path,
        id=line.id,
        kind=kind,
        notes=dict(line.notes),
        parts=parts,
    )


def compute(plan: Plan) -> Budget:
    keys = plan.column_keys()
    income = income_lines(plan)  # typed lines, with contributions computed from keys
    income_rows = tuple(_row(inc, keys, path) for path, inc in income)
    tables = [
        Table(
            "income",
            plan.labels.text("income_title"),
            income_rows,
            {k: sum(r.amounts[k] for r in income_rows) for k in keys},
            plan.labels.text("income_total"),
        )
    ]
    for group in plan.groups:
        rows = tuple(
            _row(line, keys, ("costs", group.id, i))
            for i, line in enumerate(plan.group_lines(group.id))
        )
        total = {k: sum(r.amounts[k] for r in rows) for k in keys}
        tables.append(Table(group.id, group.title, rows, total, group.total_text, group.counts_as))
    cost_tables = tables[1:]

    totals: dict[str, Totals] = {}
    for k in keys:
        by_side: dict[str, int] = {}
        by_member: dict[str, int] = {}
        contributions = other = equity = 0
        for _, inc in income:
            amount = inc.amounts.get(k, 0)
            if inc.kind == "contribution" and inc.member:
                contributions += amount
                member = plan.member(inc.member)
                side = member.side if member else "unknown"
                by_side[side] = by_side.get(side, 0) + amount
                by_member[inc.member] = by_member.get(inc.member, 0) + amount
            elif inc.kind == "equity":
                equity += amount
            else:
                other += amount
        totals[k] = Totals(
            contributions=contributions,
            other_income=other,
            equity=equity,
            administration=sum(t.total[k] for t in cost_tables if t.counts_as == "administration"),
            insatser=sum(t.total[k] for t in cost_tables if t.counts_as == "insatser"),
            groups={t.id: t.total[k] for t in cost_tables},
            reserve=plan.reserve.amounts.get(k, 0),
            by_side=by_side,
            by_member=by_member,
        )
    return Budget(plan, tuple(plan.columns), tuple(tables), totals)


def to_json(budget: Budget, plan_id: str) -> dict[str, object]:
    """The computed budget as plain JSON values (kronor as integers)."""
    plan = budget.plan
    keys = budget.keys()

    def row_json(row: Row) -> dict[str, object]:
        out: dict[str, object] = {"id": row.id, "label": row.label, "amounts": row.amounts}
        if row.kind:
            out["kind"] = row.kind
        if row.notes:
            out["notes"] = row.notes
        if row.parts:
            out["parts"] = [row_json(p) for p in row.parts]
        return out

    return {
        "plan": plan_id,
        "forbund": plan.forbund.name,
        "title": plan.title,
        "year": plan.year,
        "years": keys,
        "columns": [
            {"id": c.key, "year": c.year, "kind": c.kind, "label": c.title} for c in budget.columns
        ],
        "groups": [
            {"id": g.id, "title": g.title, "total_label": g.total_text, "counts_as": g.counts_as}
            for g in plan.groups
        ],
        "sections": [
            {"id": t.id, "title": t.title, "rows": [row_json(r) for r in t.rows], "total": t.total}
            for t in budget.tables
        ],
        "totals": {
            name: {k: budget.totals[k].get(name) for k in keys} for name in total_names(plan)
        },
        "contributions": {
            "total": {k: budget.totals[k].contributions for k in keys},
            "by_side": {k: budget.totals[k].by_side for k in keys},
            "by_member": {k: budget.totals[k].by_member for k in keys},
        },
    }
