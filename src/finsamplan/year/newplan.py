"""Next year's plan file, built from this year's plan as a model and written by the plan writer.

The plan file is the förbund's own record: statements, the finance system's mapping,
criteria profiles, cost groups, labels, contribution keys, text. Next year's file is
therefore this year's plan *model* with a listed set of changes (:data:`CHANGES`), written
with :func:`~finsamplan.plan.writer.plan_to_yaml`, the one way finsamplan writes a plan. A
field nobody thought of is carried because nothing here names the fields that are kept;
the header of the file lists what was changed on purpose, and a comment above each line
says where its figures come from. ``tests/test_newplan.py`` proves both for every plan in
``plans/`` and for generated ones.

The figures are :func:`~finsamplan.year.forecast.project`'s: the plan's own prognos for
the years it states, the state's allocation as announced (förhandsbesked) when given, and
the opening equity from the closed books (``opening_equity``) or, until the year is closed,
what the old plan year leaves by the equity policy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Path as PlanPath
from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import Budget, compute
from finsamplan.figures.contributions import income_lines
from finsamplan.plan import placeholders
from finsamplan.plan.model import (
    Activity,
    Announcement,
    Column,
    Contributions,
    CostLine,
    CostPart,
    Dates,
    Forecast,
    IncomeLine,
    Plan,
    Samrad,
    Section,
)
from finsamplan.plan.writer import plan_to_yaml
from finsamplan.year.forecast import ForecastResult, Key, base_column, project

T = TypeVar("T")
L = TypeVar("L", IncomeLine, CostLine, CostPart)

CHANGES: tuple[tuple[str, str], ...] = (
    ("year", "planåret är ett år senare"),
    ("title", "årtalet i titeln är ett år senare"),
    ("columns", "fjolårets budgetplan blir budget, sedan det nya planåret och två prognosår"),
    ("income.*.amounts", "beloppen är prognosens för de nya åren (se kommentaren vid raden)"),
    ("income", "en rad för eget kapital läggs till när planen saknar en"),
    ("costs.*.amounts", "beloppen är prognosens för de nya åren (se kommentaren vid raden)"),
    ("reserve.amounts", "reserven är prognosens för de nya åren"),
    ("*.notes", "anteckningar och engångsbelopp (once) följer med för kolumnerna som är kvar"),
    ("*.once", "anteckningar och engångsbelopp (once) följer med för kolumnerna som är kvar"),
    ("contributions.state", "statens tilldelning per kolumn är prognosens för de nya åren"),
    ("contributions.sides", "sidornas belopp per kolumn är prognosens för de nya åren"),
    ("stated", "tryckta summor tas inte med: de hör till den tryckta planen"),
    ("dates", "datum för beslut och samråd töms: den nya planen är inte antagen"),
    ("samrad", "samrådet töms: svaren gällde det gamla förslaget"),
    ("revisions", "besluten under året hör till det gamla året och förs inte över"),
    ("activities.*.budget_text", "kortens budgetrad talar om det nya planåret"),
    (
        "activities.*.decision.proposal",
        "insatsernas förslag till beslut och beslutsmöte töms: de gällde förra årets beslut",
    ),
    (
        "activities.*.decision.meeting",
        "insatsernas förslag till beslut och beslutsmöte töms: de gällde förra årets beslut",
    ),
    ("activities.*.period", "förlängningar i scenariot eller prognosen är inskrivna"),
    ("sections.*.title", "årtalet i rubrikerna är ett år senare"),
    ("sections.*.text", "belopp vars kolumn försvinner står som tal i texten"),
    ("forecast.announced", "förhandsbesked för år före fjolåret tas bort; ett nytt läggs till"),
    ("forecast.room_spent", "belopp per år för kolumner som försvinner tas bort"),
)
"""What ``new`` changes on purpose, as patterns over the plan's fields (``*`` is any part of
a path) with the reason in Swedish. Everything else is carried as it is."""


class TargetError(FinsamplanError, ValueError):
    """The name given to ``new`` is no place a plan file may be written."""


def opening_equity_for(plan: Plan, plan_path: Path, given: int | None) -> tuple[int | None, str]:
    """The equity the new plan year brings in, and where it comes from: ``--opening-equity``
    when given, else the closed books of the old year (``close --write``), else None (the
    forecast then carries what the old plan year leaves, by the equity policy)."""
    from finsamplan.year.closing import closed_equity

    if given is not None:
        return given, "angivet med --opening-equity"
    closed = closed_equity(plan_path)
    if closed is None or closed.year != plan.year:
        return None, f"det {plan.year} lämnar enligt planen (året är inte stängt)"
    return closed.equity, f"bokslutet för {closed.year} ({closed.source})"


def target_path(name: str, plans: Path) -> Path:
    """Where ``new NAME`` writes: ``plans/NAME.yaml`` for an id, else the path as given.

    A path must name a ``.yaml`` file in a folder that exists: ``new`` creates no folders
    but the plans folder itself, so a mistyped ``../../x`` cannot scatter folders around.
    """
    from finsamplan.plan.catalog import ID_PATTERN

    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        target = Path(name)
        if target.suffix not in (".yaml", ".yml"):
            raise TargetError(f"'{name}': en planfil ska sluta på .yaml")
        if not target.parent.is_dir():
            raise TargetError(
                f"'{name}': mappen {target.parent} finns inte; finsamplan new skapar inga mappar"
            )
        return target
    if ID_PATTERN.match(name) and ".." not in name:
        return plans / f"{name}.yaml"
    raise TargetError(f"'{name}' är inget giltigt plan-id")


@dataclass(frozen=True)
class NextPlan:
    """Next year's plan, the comments that say where its figures come from, and the header."""

    plan: Plan
    comments: dict[PlanPath, str]
    header: str

    def text(self) -> str:
        return plan_to_yaml(self.plan, header=self.header, comments=self.comments)


def next_plan(
    plan: Plan,
    plan_id: str,
    scenario: str | None = None,
    *,
    opening_equity: int | None = None,
    announcement: Announcement | None = None,
    today: date | None = None,
) -> str:
    """The text of next year's plan file."""
    made = build_next(
        plan,
        plan_id,
        scenario,
        opening_equity=opening_equity,
        announcement=announcement,
        today=today,
    )
    return made.text()


def build_next(
    plan: Plan,
    plan_id: str,
    scenario: str | None = None,
    *,
    opening_equity: int | None = None,
    announcement: Announcement | None = None,
    today: date | None = None,
) -> NextPlan:
    """Next year's plan model: this plan, one year on, figures from the forecast.

    ``opening_equity`` is the equity the new plan year brings in when the old year has been
    closed (bokslut); ``announcement`` the state's allocation for the new year as announced.
    """
    old = plan.year
    if announcement is not None:
        announced = {**plan.forecast.announced, str(old + 1): announcement}
        plan = plan.model_copy(
            update={"forecast": plan.forecast.model_copy(update={"announced": announced})}
        )
    result = project(
        plan,
        plan_id,
        years=[old + 1, old + 2, old + 3],
        scenario=scenario,
        opening_equity=opening_equity,
    )
    shift = _Shift(base_column(plan), old, result)
    income, income_keys = shift.income(plan)
    update = {
        "year": old + 1,
        "title": _year_on(plan.title, old),
        "columns": [Column(year=old, kind="budget")]
        + [Column(year=y, kind="budgetplan" if y == old + 1 else "prognos") for y in shift.new],
        "income": income,
        "costs": {
            g: [shift.line(line) for line in lines] for g, lines in result.projected.costs.items()
        },
        "reserve": result.projected.reserve.model_copy(
            update={"amounts": shift.keys(result.projected.reserve.amounts)}
        ),
        "contributions": shift.contributions(plan.contributions),
        "stated": {},
        "dates": Dates(),
        "samrad": Samrad(),
        "revisions": [],
        "forecast": shift.forecast(plan.forecast),
    }
    frozen: list[str] = []
    source_budget = compute(plan)
    update["activities"] = [
        _activity(a, old, shift.kept, source_budget, frozen) for a in result.projected.activities
    ]
    update["sections"] = _sections(plan.sections, old, shift.kept, source_budget, frozen)
    new_plan = plan.model_copy(update=update)
    comments = _comments(new_plan, result, income_keys, old, plan_id)
    header = _header(new_plan, result, plan_id, scenario, opening_equity, frozen, today)
    return NextPlan(new_plan, comments, header)


class _Shift:
    """The projected plan's per-column figures, keyed as next year's plan keys them: the
    old plan year's column becomes the budget column, keyed by its year; columns that leave
    the plan leave its amounts, notes and one-off marks."""

    def __init__(self, base_key: str, old: int, result: ForecastResult) -> None:
        self.base_key, self.old, self.result = base_key, old, result
        self.new = [old + 1, old + 2, old + 3]
        self.kept = {str(old), *(str(y) for y in self.new)}

    def keys(self, mapping: dict[str, T]) -> dict[str, T]:
        renamed = ((str(self.old) if k == self.base_key else k, v) for k, v in mapping.items())
        return {k: v for k, v in renamed if k in self.kept}

    def once(self, once: bool | dict[str, int]) -> bool | dict[str, int]:
        return self.keys(once) if isinstance(once, dict) else once

    def line(self, line: L) -> L:
        update: dict[str, object] = {
            "amounts": self.keys(line.amounts),
            "once": self.once(line.once),
        }
        if not isinstance(line, CostPart):
            update["notes"] = self.keys(line.notes)
        if isinstance(line, CostLine):
            update["parts"] = [self.line(p) for p in line.parts]
        return line.model_copy(update=update)

    def income(self, plan: Plan) -> tuple[list[IncomeLine], list[Key]]:
        """The new income lines, and the forecast's key for each (for its source comment).

        A plan whose contributions come from its ``contributions`` block keeps its own lines:
        the computed amounts stay computed (the block carries the state's allocation on).
        """
        projected = self.result.projected.income
        if not plan.contributions.columns():
            keys: list[Key] = [("income", inc.id or str(k)) for k, inc in enumerate(projected)]
            return [self.line(inc) for inc in projected], keys
        computed = income_lines(plan)  # (where from, line), in the projection's order
        lines, keys = [], []
        for k, inc in enumerate(projected):
            where = computed[k][0] if k < len(computed) else ("income", -1)
            if where[0] != "income":
                continue  # a member's computed line: the block carries it on
            own = plan.income[int(where[1])] if k < len(computed) else inc
            lines.append(self.line(own if own.kind == "contribution" else inc))
            keys.append(("income", inc.id or str(k)))
        return lines, keys

    def contributions(self, block: Contributions) -> Contributions:
        if not block.columns():
            return block
        totals = self.result.budget.totals
        state = self.keys({k: v for k, v in block.state.items() if k == self.base_key})
        if block.state:
            state |= {str(y): totals[str(y)].state for y in self.new}
        sides = {
            side: self.keys({k: v for k, v in amounts.items() if k == self.base_key})
            | {str(y): totals[str(y)].by_side.get(side, 0) for y in self.new}
            for side, amounts in block.sides.items()
        }
        return block.model_copy(update={"state": state, "sides": sides})

    def forecast(self, fc: Forecast) -> Forecast:
        announced = {k: v for k, v in fc.announced.items() if int(k) >= self.old}
        spent = self.keys(fc.room_spent) if isinstance(fc.room_spent, dict) else fc.room_spent
        return fc.model_copy(update={"announced": announced, "room_spent": spent})


def _year_on(text: str, old: int) -> str:
    return re.sub(rf"\b{old}\b", str(old + 1), text)


def _freeze(text: str, kept: set[str], budget: Budget, frozen: list[str]) -> str:
    """A figure whose column leaves the plan is written out as it was."""

    def value(m: re.Match[str]) -> str:
        if m.group(2) in kept:
            return m.group(0)
        frozen.append(m.group(0))
        return format_kronor(budget.amount(m.group(1), m.group(2)))

    return placeholders.PLACEHOLDER.sub(value, text)


def _activity(
    act: Activity, old: int, kept: set[str], budget: Budget, frozen: list[str]
) -> Activity:
    if act.decision is not None and (act.decision.proposal or act.decision.meeting):
        decision = act.decision.model_copy(update={"proposal": None, "meeting": None})
        act = act.model_copy(update={"decision": decision})  # last year's board decision
    if act.budget_text is None:
        return act
    moved = re.sub(
        rf"(\{{\{{\s*[a-z0-9][a-z0-9_-]*\s+){old}(\s*\}}\}})",
        rf"\g<1>{old + 1}\g<2>",
        act.budget_text,
    )  # the card's budget line speaks of the plan year
    return act.model_copy(update={"budget_text": _freeze(moved, kept, budget, frozen)})


def _sections(
    sections: list[Section], old: int, kept: set[str], budget: Budget, frozen: list[str]
) -> list[Section]:
    return [
        s.model_copy(
            update={
                "title": _year_on(s.title, old),
                "text": _freeze(s.text, kept, budget, frozen),
                "sections": _sections(s.sections, old, kept, budget, frozen),
            }
        )
        for s in sections
    ]


# --- the comments that say where the figures come from --------------------------------------


def _source_comment(result: ForecastResult, key: Key, old: int, plan_id: str) -> str:
    later = result.source_summary(key, own=f"prognosen i {plan_id}")
    return f"{old}: budgetplanen i {plan_id}" + (f". {later}" if later else "")


def _comments(
    plan: Plan, result: ForecastResult, income_keys: list[Key], old: int, plan_id: str
) -> dict[PlanPath, str]:
    out: dict[PlanPath, str] = {
        ("income", i): _source_comment(result, key, old, plan_id)
        for i, key in enumerate(income_keys)
    }
    for group, lines in plan.costs.items():
        for i, line in enumerate(lines):
            key: Key = ("costs", group, line.id or str(i))
            out[("costs", group, i)] = _source_comment(result, key, old, plan_id)
    if plan.reserve.amounts:
        out[("reserve", "amounts")] = _source_comment(result, ("reserve",), old, plan_id)
    if plan.contributions.state:
        state = next(
            (
                ("income", inc.id or str(k))
                for k, inc in enumerate(result.projected.income)
                if (m := plan.member(inc.member or "")) and m.side == "state"
            ),
            None,
        )
        if state is not None:
            out[("contributions", "state")] = _source_comment(result, state, old, plan_id)
    return out


def _header(
    plan: Plan,
    result: ForecastResult,
    plan_id: str,
    scenario: str | None,
    opening_equity: int | None,
    frozen: list[str],
    today: date | None,
) -> str:
    new = plan.year
    made = (today or date.today()).isoformat()
    equity = result.budget.totals[str(new)].equity
    lines = [
        f"{plan.title} för {plan.forbund.name}.",
        f"Skapad {made} av `finsamplan new` från {plan_id}"
        + (f" (scenario {scenario})." if scenario else "."),
        f"Ingående eget kapital {new}: {format_kronor(equity)} kr, "
        + (
            f"angivet (bokslutet för {new - 1})."
            if opening_equity is not None
            else f"det {new - 1} lämnar enligt budgetplanen i {plan_id}."
        ),
    ]
    announced = plan.forecast.announced.get(str(new))
    if announced is not None:
        lines.append(
            f"Statens tilldelning {new}: {format_kronor(announced.amount)} kr enligt "
            f"{announced.source} {announced.date}."
        )
    if result.illustrations:
        lines.append(
            "Illustration, inte förbundets beslut: " + ", ".join(result.illustrations) + "."
        )
    lines.append(f"Ändrat med avsikt; allt annat är som i {plan_id}:")
    lines += [f"  - {reason}" for reason in dict.fromkeys(reason for _, reason in CHANGES)]
    lines.append("Texten är fjolårets: uppdatera den. Kontrollera med finsamplan validate.")
    if frozen:
        lines.append(
            "Belopp i texten vars kolumn inte finns kvar är utskrivna som tal: "
            + ", ".join(dict.fromkeys(frozen))
        )
    return "\n".join(lines)
