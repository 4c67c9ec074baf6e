"""The equity a year leaves to the next: one policy, used by every command.

A year's closing equity is its opening equity plus its income minus its costs
(``Totals.surplus``), negative included: a deficit is carried with its sign, never as 0,
because the members cover it (FinsamL 22 §) and the next year starts below zero.

A plan may state how much of its *utrymme för ny verksamhet* it assumes will be spent on
activity decided during the year (``forecast.room_spent``: a share of every year's room,
or kronor per year). Seed 003 does: 2024 and 2025 bring in only the previous year's
reserve. Then the equity carried is the closing equity less that spending, and the
statement is shown wherever the figure is. The statement concerns the plan's figures
(budget, budgetplan, prognos columns); a revised budget or an outcome is what the year is
known to leave, and carries its closing equity exactly (seed 003: 2023 brings in the whole
closing equity of the revised 2022 budget).

``validate`` (FIN060, FIN030), ``forecast``, ``new``, ``followup`` and ``compare`` all take
the carried equity from :func:`carried`, so they agree about the same money.

Two figures, each with one Swedish label that every output uses for it and for nothing else:

- :data:`YEAR_END`, *Eget kapital vid årets slut*: the budgeted year-end equity, opening
  equity + the year's budgeted result (``Totals.surplus``, ``Carried.closing``). The
  position table, the charts, FIN110's measure ``surplus`` and ``compare``'s ``equity``.
- :data:`AFTER_ROOM`, *Eget kapital efter planerat använt utrymme*: the year-end equity less
  the room the plan states it spends (``Carried.amount``), what the next year brings in.
  FIN030 and FIN060 judge it; ``compare``'s ``equity_after_room`` and ``equity_over`` show
  it. Without a statement of the room spent the two are the same amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from finsamplan.base.money import format_kronor, format_share, round_kronor
from finsamplan.plan.labels import EQUITY_AFTER_ROOM, TOTAL_TITLES
from finsamplan.plan.model import Column, EquityTier, Plan, Scenario

YEAR_END = TOTAL_TITLES["surplus"]  # "Eget kapital vid årets slut"
"""The budgeted year-end equity: opening equity + the year's budgeted result."""
AFTER_ROOM = EQUITY_AFTER_ROOM
"""The year-end equity less the room the plan states it spends (forecast.room_spent)."""

RoomSpent = Decimal | dict[str, int]
Stated = Decimal | int | None  # a share of the room, kronor, or nothing stated


@dataclass(frozen=True)
class Carried:
    """What one year leaves to the next, and why."""

    year: int
    closing: int  # opening + income − costs
    room: int  # closing − reserve
    spent: int  # the part of the room the plan assumes spent
    stated: Stated

    @property
    def amount(self) -> int:
        """The equity brought into the next year."""
        return self.closing - self.spent

    @property
    def label(self) -> str:
        """What :attr:`amount` is called: the year-end equity itself when nothing of the room
        is assumed spent, else the equity after the planned use of the room."""
        return AFTER_ROOM if self.spent else YEAR_END

    def explain(self) -> str:
        """The working in Swedish, for messages and sources."""
        closing = f"{YEAR_END.lower()} {self.year} {format_kronor(self.closing)} kr"
        if self.stated is None:
            return closing
        share = (
            f"{format_share(self.stated, 0)} av utrymmet"
            if isinstance(self.stated, Decimal)
            else "av utrymmet"
        )
        return (
            f"{closing}, varav {format_kronor(self.spent)} kr ({share} "
            f"{format_kronor(self.room)} kr) antas användas enligt forecast.room_spent"
        )


def room_spent(plan: Plan, scenario: Scenario | None = None) -> RoomSpent | None:
    """The plan's statement of the room it assumes spent; a scenario's replaces it."""
    if scenario is not None and scenario.room_spent is not None:
        return scenario.room_spent
    return plan.forecast.room_spent


PLANNED = ("budget", "budgetplan", "prognos")
"""The kinds of column whose figures are a plan's: the statement of the room spent concerns
them. A revised budget or an outcome is what the year is known to leave: exactly that."""


def stated_for(kind: str, key: str, statement: RoomSpent | None) -> Stated:
    """What the statement says for one column."""
    if statement is None or kind not in PLANNED:
        return None
    if isinstance(statement, dict):
        return statement.get(key)
    return statement


def carry(year: int, closing: int, reserve: int, stated: Stated) -> Carried:
    """The policy itself: closing equity, less the room the plan states it spends."""
    room = closing - reserve
    if stated is None:
        spent = 0
    elif isinstance(stated, Decimal):
        spent = round_kronor(stated * max(room, 0))
    else:
        spent = stated
    return Carried(year, closing, room, spent, stated)


def carried(
    plan: Plan, closing: int, reserve: int, column: Column, scenario: Scenario | None = None
) -> Carried:
    """What ``column``'s year leaves to the next year of ``plan``."""
    stated = stated_for(column.kind, column.key, room_spent(plan, scenario))
    return carry(column.year, closing, reserve, stated)


def closing(opening: int, income: int, costs: int) -> int:
    """Closing equity: opening + income − costs, negative included (for follow-up)."""
    return opening + income - costs


def equity_ceiling(tiers: list[EquityTier], contributions: int) -> tuple[int, Decimal]:
    """The reasonable equity for a year's contributions, by the policy's staircase (the
    ceiling and the share that gives it); rules, follow-up, close, compare and the charts
    all read it here."""
    tier = next((t for t in tiers if t.up_to is not None and contributions <= t.up_to), tiers[-1])
    return round_kronor(tier.share * contributions), tier.share
