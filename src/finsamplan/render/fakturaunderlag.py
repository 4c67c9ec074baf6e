"""Fakturaunderlag: what each member pays per year, and how a contribution key gave it.

The economist invoices the members from this: one row per paying member and year of the
plan (the plan year and its prognos years), the amounts the budget holds. Where a key
splits a side's part, the working follows: each member's key, share, exact quota and
rounding (see ``figures.contributions``), so anyone can redo the split by hand. The same
figures go to the document (a table "Medlemsbidrag per medlem"), to CSV and to XLSX.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from finsamplan.base.money import format_kronor as kr
from finsamplan.base.money import format_ore, format_share, round_places
from finsamplan.figures.budget import Budget
from finsamplan.figures.contributions import Part, Split, splits
from finsamplan.plan.keys import SIDE_PARTS, SIDES, as_decimal, paying_members
from finsamplan.plan.model import Column, Member, Plan
from finsamplan.render.view import EMPTY, TableRow, TableView

SIDE_TITLES = {
    "state": "Staten",
    "region": "Regionen",
    "municipality": "Kommunerna",
    "municipality_without_region": "Kommunen",
}
SOURCES = {
    "state": "statens tilldelning enligt planen",
    "fifty_fifty": "hälften av statens tilldelning enligt FinsamL 5 §",
    "stated": "sidans del enligt planen",
    "typed": "summan av de inskrivna avgifterna",
}
METHOD = (
    "Exakt belopp = sidans del × andel. Varje medlem får hela kronor av sitt exakta belopp "
    "(avrundat nedåt); de kronor som återstår går en var till de medlemmar som har störst "
    "rest, vid lika rest till den som står först i planen. Summan blir exakt sidans del."
)


@dataclass(frozen=True)
class Working:
    """One keyed split, shared by the columns it is the same for."""

    side: str
    columns: tuple[Column, ...]
    split: Split
    caption: str


@dataclass(frozen=True)
class Fakturaunderlag:
    plan: Plan
    columns: tuple[Column, ...]
    members: tuple[Member, ...]  # the paying members, side by side
    amounts: dict[str, dict[str, int]]  # member id → column key → amount in the budget
    workings: tuple[Working, ...]
    not_paying: tuple[tuple[Member, Member], ...]  # (member, the member that pays for it)

    def side_total(self, side: str, column: str) -> int:
        return sum(self.amounts[m.id][column] for m in self.members if m.side == side)

    def total(self, column: str) -> int:
        return sum(self.amounts[m.id][column] for m in self.members)


def uses_key(plan: Plan) -> bool:
    """Whether the plan computes contributions or splits a side by key."""
    return bool(plan.contributions.columns()) or any(m.key for m in plan.forbund.members)


def invoice_columns(plan: Plan) -> tuple[Column, ...]:
    """The plan year and its prognos years; the whole table if it has neither."""
    own = tuple(c for c in plan.columns if c.kind in ("budgetplan", "prognos"))
    return own or tuple(c for c in plan.columns if c.kind != "utfall") or tuple(plan.columns)


def build(plan: Plan, budget: Budget) -> Fakturaunderlag:
    columns = invoice_columns(plan)
    payers = paying_members(plan)
    members = tuple(m for side in SIDES for m in payers[side])
    amounts = {
        m.id: {c.key: budget.totals[c.key].by_member.get(m.id, 0) for c in columns} for m in members
    }
    wanted = {c.key for c in columns}
    by_column = {c.key: c for c in columns}
    keyed = [s for s in splits(plan) if s.keyed and s.column in wanted]
    workings = []
    for side in SIDES:
        mine = [s for s in keyed if s.side == side]
        for _, group in groupby(mine, key=lambda s: (s.total, s.source, _parts(s))):
            same = list(group)
            cols = tuple(by_column[s.column] for s in same)
            workings.append(Working(side, cols, same[0], _caption(plan, side, cols, same[0])))
    not_paying = tuple(
        (m, payer)
        for m in plan.forbund.members
        if m.paid_by and (payer := plan.member(m.paid_by)) is not None
    )
    return Fakturaunderlag(plan, columns, members, amounts, tuple(workings), not_paying)


def _parts(s: Split) -> tuple[tuple[str, int], ...]:
    return tuple((p.member.id, p.amount) for p in s.parts)


def _years(columns: tuple[Column, ...]) -> str:
    years = [c.year for c in columns]
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def _caption(plan: Plan, side: str, columns: tuple[Column, ...], s: Split) -> str:
    first = s.parts[0].member.key
    assert first is not None
    if first.population is not None:
        basis = plan.contributions.basis or "invånare"
        key = f"efter {basis} den {first.date}"
    else:
        key = "efter avtalade andelar"
    return (
        f"{SIDE_PARTS[side].capitalize()} {_years(columns)}: {kr(s.total)} kr, "
        f"{SOURCES[s.source]}, fördelad {key}"
    )


def key_text(member: Member) -> str:
    key = member.key
    if key is None:
        return EMPTY
    if key.population is not None:
        return kr(key.population)
    assert key.share is not None
    return format_share(key.share, 2)


def not_paying_text(member: Member, payer: Member) -> str:
    return f"{member.name} betalar ingen egen avgift; den betalas av {payer.name}."


def rounding_text(part: Part) -> str:
    if part.amount == part.quota:
        return "jämnt"
    return "uppåt, +1 kr" if part.rounded_up else "nedåt"


# --- the document's tables -------------------------------------------------------------


def member_table(fu: Fakturaunderlag) -> TableView:
    """Medlemsbidrag per medlem: each paying member per year, each shared side summed."""
    keys = [c.key for c in fu.columns]
    rows: list[TableRow] = []
    for side in SIDES:
        members = [m for m in fu.members if m.side == side]
        for m in members:
            values = tuple(fu.amounts[m.id][k] for k in keys)
            rows.append(TableRow(m.name, tuple(_cell(v) for v in values), values, "row", m.id))
        if len(members) > 1:
            values = tuple(fu.side_total(side, k) for k in keys)
            label = f"{SIDE_TITLES[side]} tillsammans"
            rows.append(TableRow(label, tuple(kr(v) for v in values), values, "total"))
    values = tuple(fu.total(k) for k in keys)
    rows.append(TableRow("Summa medlemsavgifter", tuple(kr(v) for v in values), values, "grand"))
    header = tuple(c.title for c in fu.columns)
    return TableView("medlemsbidrag", "Medlemsbidrag per medlem", header, tuple(rows))


HUNDRED = "100,00\u00a0%"
WORKING_HEADER = ("Nyckel", "Andel", "Exakt belopp", "Avrundning", "Avgift")


def working_table(w: Working, index: int) -> TableView:
    """The working of one split: key, share, exact quota, rounding, amount."""
    s = w.split
    rows = []
    for p in s.parts:
        share = format_share(as_decimal(p.share), 2)
        cells = (key_text(p.member), share, format_ore(p.quota_ore), rounding_text(p), kr(p.amount))
        rows.append(TableRow(p.member.name, cells, (None,) * 4 + (p.amount,), "row", p.member.id))
    first = s.parts[0].member.key
    weights = sum(p.weight for p in s.parts)
    key_sum = kr(int(weights)) if first and first.population is not None else HUNDRED
    left = s.total - sum(int(p.quota) for p in s.parts)
    cells = (
        key_sum,
        HUNDRED,
        format_ore(Decimal(s.total)),
        f"{left} kr till största rest",
        kr(s.total),
    )
    rows.append(TableRow("Summa", cells, (None,) * 4 + (s.total,), "total"))
    return TableView(f"fordelning-{w.side}-{index}", w.caption, WORKING_HEADER, tuple(rows))


@dataclass(frozen=True)
class ContributionsView:
    """What the document shows under "Medlemsbidrag per medlem"."""

    table: TableView
    workings: tuple[TableView, ...]
    notes: tuple[str, ...]


def document_view(plan: Plan, budget: Budget) -> ContributionsView | None:
    """The document's tables, or None for a plan whose contributions are all typed."""
    if not uses_key(plan):
        return None
    fu = build(plan, budget)
    notes = tuple(not_paying_text(m, payer) for m, payer in fu.not_paying)
    if fu.workings:
        notes += (METHOD,)
    workings = tuple(working_table(w, i) for i, w in enumerate(fu.workings, start=1))
    return ContributionsView(member_table(fu), workings, notes)


def _cell(amount: int) -> str:
    return kr(amount) if amount else EMPTY


# --- files for the economist -----------------------------------------------------------

CSV_HEADER = (
    "plan",
    "member",
    "name",
    "side",
    "column",
    "year",
    "kind",
    "amount",
    "side_total",
    "key_population",
    "key_date",
    "key_share",
    "share",
    "quota",
    "rounded_up",
)
EXCEL_HEADER = (
    "Medlem",
    "Sida",
    "Kolumn",
    "År",
    "Avgift",
    "Sidans del",
    "Nyckel: invånare",
    "Nyckel: datum",
    "Nyckel: andel",
    "Andel av sidans del",
    "Exakt belopp",
    "Avrundning",
)


def _keyed_parts(fu: Fakturaunderlag) -> dict[tuple[str, str], tuple[Split, Part]]:
    parts: dict[tuple[str, str], tuple[Split, Part]] = {}
    for s in splits(fu.plan):
        if s.keyed:
            for p in s.parts:
                parts[(p.member.id, s.column)] = (s, p)
    return parts


def _tidy_working(found: tuple[Split, Part] | None) -> list[object]:
    if found is None:
        return ["", "", "", "", "", ""]
    _, p = found
    key = p.member.key
    assert key is not None
    return [
        key.population if key.population is not None else "",
        key.date.isoformat() if key.date else "",
        f"{key.share:f}" if key.share is not None else "",
        f"{as_decimal(p.share):.10f}",
        str(p.quota_ore),
        "1" if p.rounded_up else "0",
    ]


def _excel_working(found: tuple[Split, Part] | None) -> list[object]:
    """The working as a person reads it: numbers with decimal commas, a date, words."""
    if found is None:
        return [None] * 6
    _, p = found
    key = p.member.key
    assert key is not None
    return [
        key.population,
        key.date,
        key.share,
        round_places(as_decimal(p.share), 10),
        p.quota_ore,
        rounding_text(p),
    ]


def to_csv(fu: Fakturaunderlag, plan_id: str, dialect: str = "excel") -> bytes:
    """One row per paying member and year with the working where a key is used: bare
    numbers and ids (``tidy``), or Swedish headings, names and decimal commas (``excel``)."""
    from finsamplan.render.cells import GuardedCsv

    parts = _keyed_parts(fu)
    writer = GuardedCsv(dialect)
    writer.writerow(CSV_HEADER if dialect == "tidy" else EXCEL_HEADER)
    for m in fu.members:
        for c in fu.columns:
            found = parts.get((m.id, c.key))
            amount, side_total = fu.amounts[m.id][c.key], fu.side_total(m.side, c.key)
            if dialect == "tidy":
                first = [plan_id, m.id, m.name, m.side, c.key, c.year, c.kind]
                writer.writerow([*first, amount, side_total, *_tidy_working(found)])
            else:
                first = [m.name, SIDE_TITLES[m.side], c.title, c.year]
                writer.writerow([*first, amount, side_total, *_excel_working(found)])
    return writer.getvalue()


def files(plan_id: str, plan: Plan, budget: Budget, dialect: str = "excel") -> dict[str, bytes]:
    """``fakturaunderlag.xlsx`` and ``fakturaunderlag.csv``."""
    from finsamplan.render.fakturaunderlag_xlsx import to_xlsx

    fu = build(plan, budget)
    return {
        "fakturaunderlag.xlsx": to_xlsx(fu, plan_id),
        "fakturaunderlag.csv": to_csv(fu, plan_id, dialect),
    }
