"""Member contributions from a key: each paying member's part in whole kronor, with working.

FinsamL 5 § splits the money: the state half, the region a quarter, the municipalities a
quarter (a municipality outside a region half, 5 a §); several municipalities (or regions)
split their side's part as they agree, most often by population. A plan may state the
state's allocation (``contributions.state``) and let 50/50 give the other sides, or a side's
total (``contributions.sides``); each member's ``key`` then splits its side's total.

The split (largest remainder, Hamilton's method) is exact and can be redone by hand:

1. each member's exact quota is ``total × key ÷ sum of the side's keys`` (a fraction, no
   rounding);
2. each member gets the whole kronor of its quota (rounded down);
3. the kronor left over (fewer than the members) go one each to the members with the
   largest remainders; between equal remainders, the member listed first in the plan.

The parts always sum to the total and each is less than one krona from its exact quota.
When 50/50 halves an odd state amount, the region gets the extra krona (half up, once, with
``round_kronor``), as ``forecast`` does.

Amounts typed in ``income`` stay the plan's figures: a computed amount fills only a column
the member has no typed amount for. Where both exist, rule FIN013 compares them
(:func:`disagreements`). For the plan year and prognos columns without a stated total, a
keyed side's typed amounts are checked against the key the same way.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from finsamplan.base.findings import Path
from finsamplan.base.money import round_kronor, round_ore
from finsamplan.plan.keys import SIDES, key_weight, paying_members, sides_from_state
from finsamplan.plan.model import Contributions, IncomeLine, Member, Plan

PLAN_KINDS = ("budgetplan", "prognos")  # the columns a plan's own key applies to


def apportion(total: int, weights: Sequence[Fraction | int]) -> list[int]:
    """``total`` kronor split by ``weights``, summing exactly (largest remainder).

    Equal remainders are broken by position: the earlier weight gets the krona first.
    """
    whole = sum((Fraction(w) for w in weights), Fraction(0))
    if not weights or whole <= 0:
        raise ValueError("weights must be positive")
    quotas = [Fraction(total) * Fraction(w) / whole for w in weights]
    parts = [floor(q) for q in quotas]
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Part:
    """One member's part of a side's total, with the working that gives it."""

    member: Member
    weight: Fraction  # inhabitants, or the agreed share
    share: Fraction  # weight ÷ the side's sum of weights
    quota: Fraction  # total × share, exact
    amount: int

    @property
    def rounded_up(self) -> bool:
        """Whether the member got one of the kronor left over (largest remainder)."""
        return self.amount > self.quota

    @property
    def quota_ore(self) -> Decimal:
        """The exact quota rounded to the öre (for the working; never summed)."""
        return round_ore(Decimal(self.quota.numerator) / self.quota.denominator)


@dataclass(frozen=True)
class Split:
    """A side's total in one column and how it is split between the side's paying members.

    ``source`` says where the total comes from: ``state`` (contributions.state), ``fifty_fifty``
    (half the state's amount, 5 §), ``stated`` (contributions.sides) or ``typed`` (the sum of
    the members' typed amounts, split by the key only to check them).
    """

    column: str
    side: str
    total: int
    source: str
    parts: tuple[Part, ...]

    @property
    def keyed(self) -> bool:
        return len(self.parts) > 1

    @property
    def computed(self) -> bool:
        return self.source != "typed"


def split(column: str, side: str, total: int, source: str, members: list[Member]) -> Split:
    """``total`` split between ``members`` by their keys (one member takes it all)."""
    weights = [key_weight(m) for m in members] if len(members) > 1 else [Fraction(1)]
    whole = sum(weights, Fraction(0))
    amounts = apportion(total, weights)
    parts = tuple(
        Part(m, w, w / whole, Fraction(total) * w / whole, a)
        for m, w, a in zip(members, weights, amounts, strict=True)
    )
    return Split(column, side, total, source, parts)


def side_targets(state: int, present: Collection[str]) -> dict[str, int]:
    """What each paying side present owes by 50/50 against the state's ``state`` kronor.

    The region and the municipalities pay half the state's amount each (FinsamL 5 §); with
    an odd amount the region gets the extra krona (half up, once). A municipality outside a
    region pays as much as the state (5 a §). The one place this is worked out: the
    contributions block, the forecast and rule FIN011 all use it.
    """
    half = round_kronor(Decimal(state) / 2)
    out: dict[str, int] = {}
    for side in sides_from_state(present):
        if side == "municipality_without_region":
            out[side] = state
        else:
            out[side] = state - half if side == "municipality" else half
    return out


def side_totals(plan: Plan, column: str) -> dict[str, tuple[int, str]]:
    """Each side's total in ``column`` from the contributions block, and where it comes from."""
    block = plan.contributions
    payers = paying_members(plan)
    out: dict[str, tuple[int, str]] = {}
    state = block.state.get(column)
    if state is not None and payers["state"]:
        out["state"] = (state, "state")
        present = {s for s in SIDES[1:] if payers[s]}
        for side, amount in side_targets(state, present).items():
            out[side] = (amount, "fifty_fifty")
    for side, amounts in block.sides.items():
        if column in amounts and payers[side]:
            out[side] = (amounts[column], "stated")
    return out


def typed_amounts(plan: Plan) -> dict[str, dict[str, int]]:
    """Each member's typed contribution per column (summed over its lines); absent = not typed."""
    out: dict[str, dict[str, int]] = {}
    for inc in plan.income:
        if inc.kind == "contribution" and inc.member:
            mine = out.setdefault(inc.member, {})
            for column, amount in inc.amounts.items():
                mine[column] = mine.get(column, 0) + amount
    return out


def splits(plan: Plan) -> list[Split]:
    """Every split the plan's keys make: computed totals, and typed amounts checked by key."""
    payers = paying_members(plan)
    typed = typed_amounts(plan)
    out: list[Split] = []
    for col in plan.columns:
        totals = side_totals(plan, col.key)
        for side in SIDES:
            members = payers[side]
            if side in totals:
                total, source = totals[side]
                out.append(split(col.key, side, total, source, members))
            elif (
                col.kind in PLAN_KINDS
                and len(members) > 1
                and all(m.key is not None for m in members)
            ):
                total = sum(typed.get(m.id, {}).get(col.key, 0) for m in members)
                if total > 0:
                    out.append(split(col.key, side, total, "typed", members))
    return out


def computed_amounts(plan: Plan) -> dict[str, dict[str, int]]:
    """What the contributions block gives each paying member, per column."""
    out: dict[str, dict[str, int]] = {}
    for s in splits(plan):
        if s.computed:
            for p in s.parts:
                out.setdefault(p.member.id, {})[s.column] = p.amount
    return out


def income_lines(plan: Plan) -> list[tuple[Path, IncomeLine]]:
    """The plan's income lines with computed contributions in them, each with its path.

    A computed amount goes into the member's first contribution line when no line of the
    member has an amount for that column. A member with no line of its own gets one, named
    after the member, after the plan's last contribution line (first, if there is none).
    """
    lines: list[tuple[Path, IncomeLine]] = [
        (("income", i), inc) for i, inc in enumerate(plan.income)
    ]
    if not plan.contributions.columns():
        return lines
    computed = computed_amounts(plan)
    typed = typed_amounts(plan)
    filled: set[str] = set()
    for n, (path, inc) in enumerate(lines):
        member = inc.member
        if inc.kind != "contribution" or member not in computed or member in filled:
            continue
        filled.add(member)
        add = {c: a for c, a in computed[member].items() if c not in typed.get(member, {})}
        lines[n] = (path, inc.model_copy(update={"amounts": {**inc.amounts, **add}}))
    last = max((n + 1 for n, (_, inc) in enumerate(lines) if inc.kind == "contribution"), default=0)
    new = [
        (
            ("forbund", "members", j),
            IncomeLine(label=m.name, member=m.id, amounts=_ordered(plan, computed[m.id])),
        )
        for j, m in enumerate(plan.forbund.members)
        if m.id in computed and m.id not in filled
    ]
    return lines[:last] + new + lines[last:]


def with_computed(plan: Plan) -> Plan:
    """The plan with its computed contributions written into its income lines, and no
    ``contributions`` block: for code that works from typed lines (``forecast``, ``new``)."""
    if not plan.contributions.columns():
        return plan
    income = [inc for _, inc in income_lines(plan)]
    return plan.model_copy(update={"income": income, "contributions": Contributions()})


def _ordered(plan: Plan, amounts: dict[str, int]) -> dict[str, int]:
    return {k: amounts[k] for k in plan.column_keys() if k in amounts}


@dataclass(frozen=True)
class Disagreement:
    """A member's typed amount that differs from what its key gives for the same column."""

    member: Member
    column: str
    typed: int
    computed: int
    split: Split
    path: Path


def disagreements(plan: Plan) -> list[Disagreement]:
    """Typed amounts that are not what the key (and the stated total) gives."""
    typed = typed_amounts(plan)
    out: list[Disagreement] = []
    for s in splits(plan):
        for p in s.parts:
            given = typed.get(p.member.id, {}).get(s.column)
            if given is None and s.computed:
                continue  # not typed: the computed amount is the figure
            if (given or 0) != p.amount:
                out.append(
                    Disagreement(
                        p.member, s.column, given or 0, p.amount, s, _path(plan, p.member, s.column)
                    )
                )
    return out


def _path(plan: Plan, member: Member, column: str) -> Path:
    """Where the typed amount is written (or the member's line, or its key)."""
    first: Path | None = None
    for i, inc in enumerate(plan.income):
        if inc.kind == "contribution" and inc.member == member.id:
            if column in inc.amounts:
                return ("income", i, "amounts", column)
            first = first or ("income", i)
    if first is not None:
        return first
    j = next(j for j, m in enumerate(plan.forbund.members) if m.id == member.id)
    return ("forbund", "members", j, "key")
