"""The coming years, from the plan's own figures and the assumptions it states.

A förbundschef recognises a forecast that starts from what the plan itself says, so without
a scenario:

- a year the plan has a column for (its prognos columns) takes the plan's own figure for
  every line, as written;
- a later year carries the last stated figure on, less what is marked one-off (``once``),
  by the assumption the plan states for the line, its group or the block's default (a
  yearly change, an index, a fixed amount, amounts per year), rounded once to
  ``forecast.rounding``; where the plan states none, the figure stays as it was;
- the state's allocation as announced (``forecast.announced``, förhandsbesked) overrides all
  of that for its year; the region and the municipalities then pay half the state's amount
  each (FinsamL 5 §), split between members as in the year the figure comes from;
- the equity brought into each year is what the year before leaves (:mod:`figures.equity`):
  its closing equity, negative included, less the room the plan states it spends.

A scenario's assumptions replace the plan's figures from the plan year on, so that a what-if
can be set beside the plan's own prognos. Where a figure is computed, projects follow their
period (pro rata by month, nothing after the end unless an extension is recorded) and
evaluations stay in the year they are planned. Every figure carries its :class:`Source`; an
assumption marked ``illustration`` is marked so in its source and in the result.

The result is a *projected plan*, built once: the same model with the plan year and the
forecast years as columns, so the budget, the rules and every renderer work on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding
from finsamplan.base.money import format_kronor, format_share, round_kronor
from finsamplan.figures.budget import Budget, Totals, compute
from finsamplan.figures.contributions import apportion, side_targets, with_computed
from finsamplan.figures.equity import Carried, carry, room_spent, stated_for
from finsamplan.judge.rules import run_rules
from finsamplan.plan.keys import key_weight
from finsamplan.plan.model import (
    MAX_KRONOR,
    Activity,
    Assumption,
    Column,
    CostLine,
    IncomeLine,
    Plan,
    Scenario,
    months_in,
)
from finsamplan.plan.walk import total_names

T = TypeVar("T")
Key = tuple[str, ...]  # ("income", line key) or ("costs", group, line key[, part index])

YEAR_CODES = {
    "FIN010",
    "FIN011",
    "FIN020",
    "FIN021",
    "FIN030",
    "FIN040",
    "FIN050",
    "FIN060",
    "FIN080",
}
"""The rules whose findings concern one year: those are what a forecast reports."""


class ForecastError(FinsamplanError, ValueError):
    """The forecast cannot be made as asked (a year before the plan year, unknown scenario)."""


@dataclass(frozen=True)
class Source:
    """Where a projected figure came from: the rule that produced it, in words."""

    rule: str
    text: str
    illustration: bool = False
    assumption: str = ""  # where the assumption is written, e.g. forecast.lines.personal
    brief: str = ""  # the same in words that do not change from year to year, for summaries

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"rule": self.rule, "text": self.text}
        if self.assumption:
            out["assumption"] = self.assumption
        out["illustration"] = self.illustration
        return out


@dataclass(frozen=True)
class Difference:
    year: str
    table: str
    label: str
    stated: int
    projected: int
    cause: str

    @property
    def difference(self) -> int:
        return self.projected - self.stated


@dataclass
class ForecastResult:
    plan_id: str
    scenario: str | None
    description: str
    base: Plan
    projected: Plan
    budget: Budget
    years: list[str]
    sources: dict[tuple[Key, str], Source] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    illustrations: list[str] = field(default_factory=list)
    carried: dict[str, Carried] = field(default_factory=dict)  # what the year before leaves

    def source(self, key: Key, year: str) -> Source | None:
        return self.sources.get((key, year))

    def source_summary(self, key: Key, own: str = "planens egen prognos") -> str:
        """A row's sources over the years, consecutive years with the same source together:
        ``2024–2025: planens egen prognos; 2026–2033: index kpi från 47 600 (2025)``.
        ``own`` is how the plan's own figures are named (``new`` names the plan)."""
        runs: list[tuple[list[str], str]] = []
        for year in self.years:
            src = self.source(key, year) or self.source((*key, "0"), year)
            if src is None:
                continue
            text = own if src.rule == "plan" else (src.brief or src.text)
            if runs and runs[-1][1] == text and int(runs[-1][0][-1]) + 1 == int(year):
                runs[-1][0].append(year)
            else:
                runs.append(([year], text))
        return "; ".join(
            f"{ys[0]}–{ys[-1]}: {text}" if len(ys) > 1 else f"{ys[0]}: {text}" for ys, text in runs
        )


# --- which years, and which figures the plan states ---------------------------------------

HORIZON = 10
"""A forecast reaches at most this many years past the plan year (and never past 2100):
assumptions compounded further say nothing."""
LAST_YEAR = 2100


def last_forecast_year(plan_year: int) -> int:
    return min(plan_year + HORIZON, LAST_YEAR)


def base_column(plan: Plan) -> str:
    key = plan.plan_key()
    if key is not None:
        return key
    raise ForecastError(f"planen saknar kolumnen för budgetåret {plan.year} (kind: budgetplan)")


def forecast_years(plan: Plan, years: list[int] | None, until: int | None) -> list[int]:
    last_allowed = last_forecast_year(plan.year)
    if years:
        if min(years) <= plan.year:
            raise ForecastError(f"prognosår måste ligga efter planåret {plan.year}")
        if max(years) > last_allowed:
            raise ForecastError(_beyond_horizon(plan.year, max(years)))
        return sorted(set(years))
    last = until or max([c.year for c in plan.columns if c.kind == "prognos"] or [plan.year + 2])
    if last <= plan.year:
        raise ForecastError(f"--until måste ligga efter planåret {plan.year}")
    if last > last_allowed:
        raise ForecastError(_beyond_horizon(plan.year, last))
    return list(range(plan.year + 1, last + 1))


def _beyond_horizon(plan_year: int, year: int) -> str:
    return (
        f"prognosåret {year} ligger för långt fram: en prognos når högst {HORIZON} år efter "
        f"planåret {plan_year}, alltså till och med {last_forecast_year(plan_year)}"
    )


@dataclass(frozen=True)
class Span:
    """The period a line follows, as the forecast sees it (an extension applied)."""

    start: date
    end: date | None
    why: str


@dataclass(frozen=True)
class Frame:
    """Everything the projection of one figure needs to know about the plan and the request."""

    plan: Plan  # contributions from keys already typed in (with_computed)
    scenario: Scenario | None
    scenario_name: str | None
    base_key: str
    columns: dict[int, str]  # year → column key of the plan's own figures, plan year first
    span: tuple[int, ...]  # every year projected, consecutive from the plan year + 1
    rounding: int
    periods: dict[str, Span]

    @property
    def year(self) -> int:
        return self.plan.year

    def known(self, amounts: dict[str, int]) -> dict[int, int]:
        """A line's own figures by year, for every year the plan has a column for."""
        return {y: amounts.get(key, 0) for y, key in self.columns.items()}

    def to_kronor(self, value: Decimal) -> int:
        """A computed figure in kronor: rounded once (money.round_kronor, to the step the
        forecast asks for), never below zero."""
        return max(0, round_kronor(value, self.rounding))


def frame(plan: Plan, name: str | None, last: int) -> Frame:
    base_key = base_column(plan)
    scenario = _scenario(plan, name)
    columns = {plan.year: base_key}
    for col in plan.columns:
        if col.kind == "prognos" and plan.year < col.year <= last:
            columns.setdefault(col.year, col.key)
    extensions = {**plan.forecast.extensions, **(scenario.extensions if scenario else {})}
    rounding = scenario.rounding if scenario and scenario.rounding else plan.forecast.rounding
    return Frame(
        plan,
        scenario,
        name,
        base_key,
        dict(sorted(columns.items())),
        tuple(range(plan.year + 1, last + 1)),
        rounding,
        _periods(plan.activities, extensions),
    )


def _periods(activities: list[Activity], extensions: dict[str, date]) -> dict[str, Span]:
    out: dict[str, Span] = {}
    for act in activities:
        if act.period is None:
            continue
        end = extensions.get(act.id, act.period.end)
        if act.id in extensions:
            why = f"förlängd till {end}"
        else:
            why = f"slutar {end}" if end else "tills vidare"
        for line_id in act.lines:
            out.setdefault(line_id, Span(act.period.start, end, why))
    return out


# --- one figure by its assumption ---------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """An assumption as it applies to one row: where it is written and what it is."""

    assumption: Assumption
    where: str  # its place in the plan file, e.g. forecast.lines.personal
    illustration: bool
    named: bool  # it names the row itself (only such an assumption moves an evaluation)


SAME = Choice(Assumption(same=True), "", False, False)


@dataclass(frozen=True)
class Row:
    """A figure to project: a cost line or part, other income, the reserve, the state."""

    key: Key
    known: dict[int, int]  # the plan's own figure per year it states
    once: dict[int, int]  # the one-off part of a year's figure, not carried on
    scenario: Choice | None  # a scenario's assumption: it runs from the plan year
    own: Choice  # the plan's assumption past the years it states
    evaluation: bool = False
    period: Span | None = None

    def since(self, year: int) -> int:
        """The latest year before ``year`` with a figure of the plan's own."""
        return max(y for y in self.known if y < year)


def _pct(change: Decimal) -> str:
    text = format_share(change, 1).replace(",0\u00a0%", "\u00a0%")
    return text if change < 0 else "+" + text


def factor(fr: Frame, a: Assumption, since: int, year: int) -> tuple[Decimal, str]:
    """How much ``a`` moves a figure from ``since`` to ``year``, exactly, and in words."""
    if a.change is not None:
        return (1 + a.change) ** (year - since), f"{_pct(a.change)}/år"
    assert a.index is not None
    rates = fr.plan.forecast.indices.get(a.index, {})
    result, borrowed, none = Decimal(1), [], []
    for y in range(since + 1, year + 1):
        given = [int(k) for k in rates if k.isdigit() and int(k) <= y]
        if not given:
            none.append(str(y))
        elif str(y) not in rates:
            borrowed.append(str(y))
        result *= 1 + (rates[str(max(given))] if given else Decimal(0))
    notes = ["år utan takt: som året före"] if borrowed else []
    notes += ["år före indexets första takt: 0 %"] if none else []
    return result, f"index {a.index}" + (f" ({'; '.join(notes)})" if notes else "")


def figure(fr: Frame, row: Row, year: int, previous: int) -> tuple[int, Source]:
    """The figure of ``row`` for ``year``: a scenario's, the plan's own, or carried on."""
    if row.scenario is not None:
        return by_assumption(fr, row, row.scenario, fr.year, year, previous)
    if year in row.known:
        return row.known[year], Source("plan", "planens egen prognos")
    return by_assumption(fr, row, row.own, row.since(year), year, previous)


def by_assumption(
    fr: Frame, row: Row, choice: Choice, since: int, year: int, previous: int
) -> tuple[int, Source]:
    """``row``'s figure for ``year`` by one assumption, carried on from ``since``."""
    a = choice.assumption

    def source(rule: str, text: str) -> Source:
        mark = " (illustration)" if choice.illustration else ""
        return Source(rule, text + mark, choice.illustration, choice.where)

    if row.evaluation and not choice.named:
        planned = row.known.get(year, 0)
        text = f"utvärdering planerad {year}" if planned else "ingen utvärdering planerad för året"
        return planned, Source("evaluation", text)
    if a.amount is not None:
        return a.amount, source("amount", "fast belopp")
    if a.amounts is not None:
        given = a.amounts.get(str(year))
        if given is None:
            return previous, source("amounts", f"inget angivet för {year}: som året före")
        return given, source("amounts", f"angivet för {year}")
    if a.stated is not None:
        own = row.known.get(year)
        if own is None:
            return previous, source("stated", f"planen anger inget för {year}: som året före")
        return own, source("stated", f"planens prognos för {year}")
    base, less = _carried_base(row, since)
    if a.same is not None:
        value, text = Decimal(base), f"som {since}{less}"
    else:
        moved, how = factor(fr, a, since, year)
        value, text = Decimal(base) * moved, f"{how} från {format_kronor(base)} ({since}){less}"
    result = source(a.method, text)
    if row.period is not None:
        value, result = _pro_rata(value, row.period, since, year, result)
    if a.same is not None and value == value.to_integral_value():
        return int(value), result  # nothing computed: nothing to round
    return fr.to_kronor(value), result


def _carried_base(row: Row, since: int) -> tuple[int, str]:
    """The figure carried on from ``since``: the plan's own, less its one-off part."""
    base, once = row.known.get(since, 0), row.once.get(since, 0)
    if not once:
        return base, ""
    if once >= base:
        return 0, f" (engångsbelopp {since}: förs inte vidare)"
    return base - once, f" (utan engångsbeloppet {format_kronor(once)})"


def _pro_rata(
    value: Decimal, span: Span, since: int, year: int, source: Source
) -> tuple[Decimal, Source]:
    """A project's yearly rate times the months of its period in ``year``; a base year that
    was itself part of a year is first made a full year's rate."""
    before, months = months_in(since, span.start, span.end), months_in(year, span.start, span.end)
    if 0 < before < 12:
        value = value * 12 / before
    if months == 12:
        return value, source
    if months == 0:
        return Decimal(0), Source("period", f"insatsen har upphört ({span.why})")
    text = f"{months}/12 av årstakten ({span.why}): {source.text}"
    return value * months / 12, Source("period", text, source.illustration, source.assumption)


# --- choosing the assumption for a row ----------------------------------------------------


def _choice(a: Assumption, where: str, block_illustration: bool, named: bool) -> Choice:
    return Choice(a, where, a.illustration or block_illustration, named)


def scenario_choice(fr: Frame, line_id: str | None, group: str | None) -> Choice | None:
    """A scenario's assumption for a line: its line, its group, or its default."""
    s = fr.scenario
    if s is None:
        return None
    where = f"forecast.scenarios.{fr.scenario_name}"
    if line_id and line_id in s.lines:
        return _choice(s.lines[line_id], f"{where}.lines.{line_id}", False, True)
    if group and group in s.groups:
        return _choice(s.groups[group], f"{where}.groups.{group}", False, False)
    if s.default is not None:
        return _choice(s.default, f"{where}.default", False, False)
    return None


def own_choice(fr: Frame, line_id: str | None, group: str | None) -> Choice:
    """The plan's own assumption past its last column: the line, its group, the default."""
    fc = fr.plan.forecast
    if line_id and line_id in fc.lines:
        return _choice(fc.lines[line_id], f"forecast.lines.{line_id}", fc.illustration, True)
    if group and group in fc.groups:
        return _choice(fc.groups[group], f"forecast.groups.{group}", fc.illustration, False)
    if "default" in fc.model_fields_set:
        return _choice(fc.default, "forecast.default", fc.illustration, False)
    return SAME


def _single(
    fr: Frame, own: Assumption, name: str, scenario: Assumption | None
) -> tuple[Choice | None, Choice]:
    """The choices for a figure with one assumption of its own (state allocation, reserve)."""
    fc = fr.plan.forecast
    mine = (
        _choice(own, f"forecast.{name}", fc.illustration, True)
        if name in fc.model_fields_set
        else SAME
    )
    where = f"forecast.scenarios.{fr.scenario_name}.{name}"
    theirs = None if scenario is None else _choice(scenario, where, False, True)
    return theirs, mine


# --- the rows of the plan -----------------------------------------------------------------


def _once(fr: Frame, once: bool | dict[str, int], known: dict[int, int]) -> dict[int, int]:
    if once is True:
        return dict(known)
    if not once:
        return {}
    assert isinstance(once, dict)
    return {y: once[key] for y, key in fr.columns.items() if key in once}


def cost_rows(fr: Frame) -> list[tuple[tuple[str, int, int | None], Row]]:
    """Every cost line, or each part of a line with parts, with where it sits in the plan."""
    out: list[tuple[tuple[str, int, int | None], Row]] = []
    for group in fr.plan.groups:
        for i, line in enumerate(fr.plan.group_lines(group.id)):
            key: Key = ("costs", group.id, line.id or str(i))
            scenario = scenario_choice(fr, line.id, group.id)
            own = own_choice(fr, line.id, group.id)
            period = fr.periods.get(line.id or "") if not line.evaluates else None
            parts: list[tuple[int | None, dict[str, int], bool | dict[str, int]]] = [
                (j, p.amounts, p.once) for j, p in enumerate(line.parts)
            ]
            for j, amounts, once in parts or [(None, line.amounts, line.once)]:
                known = fr.known(amounts)
                row = Row(
                    key if j is None else (*key, str(j)),
                    known,
                    _once(fr, True if line.once is True else once, known),
                    scenario,
                    own,
                    bool(line.evaluates),
                    period,
                )
                out.append(((group.id, i, j), row))
    return out


def other_income_rows(fr: Frame) -> list[tuple[int, Row]]:
    out = []
    for i, inc in enumerate(fr.plan.income):
        if inc.kind == "other":
            known = fr.known(inc.amounts)
            key: Key = ("income", inc.id or str(i))
            own = own_choice(fr, inc.id, None)
            out.append(
                (
                    i,
                    Row(
                        key,
                        known,
                        _once(fr, inc.once, known),
                        scenario_choice(fr, inc.id, None),
                        own,
                    ),
                )
            )
    return out


def series(fr: Frame, row: Row, sources: dict[tuple[Key, str], Source]) -> dict[int, int]:
    """A row's figure for every forecast year, each with its source."""
    out: dict[int, int] = {}
    previous = row.known[fr.year]
    for year in fr.span:
        previous, sources[(row.key, str(year))] = figure(fr, row, year, previous)
        out[year] = previous
    return out


# --- contributions: the state's allocation, and 50/50 ---------------------------------------


def state_row(fr: Frame, base: Budget) -> Row:
    """The state's allocation as a row: the plan's own totals, then what is announced."""
    fc, s = fr.plan.forecast, fr.scenario
    known = {y: base.totals[key].state for y, key in fr.columns.items()}
    known |= {int(y): a.amount for y, a in fc.announced.items() if int(y) > fr.year}
    scenario, own = _single(
        fr, fc.state_allocation, "state_allocation", s.state_allocation if s else None
    )
    return Row(("state",), known, {}, scenario, own)


def contributions(
    fr: Frame, base: Budget, sources: dict[tuple[Key, str], Source]
) -> dict[int, dict[int, int]]:
    """Each contribution line's figure per year: the plan's own where it states the year,
    else the state's allocation with the other sides' halves split as in the plan."""
    lines = {
        i: inc for i, inc in enumerate(fr.plan.income) if inc.kind == "contribution" and inc.member
    }
    sides = {i: _side(fr.plan, inc) for i, inc in lines.items()}
    announced = {int(y): a for y, a in fr.plan.forecast.announced.items()}
    state = state_row(fr, base)
    out: dict[int, dict[int, int]] = {i: {} for i in lines}
    previous = state.known[fr.year]
    for year in fr.span:
        if year in announced:
            a = announced[year]
            previous, src = a.amount, Source("announced", f"{a.source} {a.date}")
        else:
            previous, src = figure(fr, state, year, previous)
        if src.rule == "plan":
            amounts = {i: fr.known(inc.amounts)[year] for i, inc in lines.items()}
            texts = dict.fromkeys(lines, src)
        else:
            amounts, texts = split_state(fr, lines, sides, previous, year, src)
        for i, inc in lines.items():
            out[i][year] = amounts.get(i, 0)
            sources[(("income", inc.id or str(i)), str(year))] = texts.get(i, src)
    return out


def _side(plan: Plan, inc: IncomeLine) -> str:
    member = plan.member(inc.member or "")
    return member.side if member else "unknown"


def split_state(
    fr: Frame,
    lines: dict[int, IncomeLine],
    sides: dict[int, str],
    state: int,
    year: int,
    src: Source,
) -> tuple[dict[int, int], dict[int, Source]]:
    """The state's ``state`` kronor and the halves 50/50 gives the other sides, each split
    between the side's lines as in the plan's latest column up to ``year``."""
    like = max(y for y in fr.columns if y <= year)
    totals = {"state": state, **side_targets(state, set(sides.values()) - {"state"})}
    amounts: dict[int, int] = {}
    texts: dict[int, Source] = {}
    for side, total in totals.items():
        mine = [i for i in lines if sides[i] == side]
        if not mine:
            continue
        weights: list[Fraction | int] = [fr.known(lines[i].amounts)[like] for i in mine]
        if sum(weights) <= 0:
            weights = [_weight(fr.plan, lines[i]) for i in mine]
        for i, amount in zip(mine, apportion(total, weights), strict=True):
            amounts[i] = amount
            texts[i] = _member_source(src, side, state, like if len(mine) > 1 else None)
    return amounts, texts


def _member_source(src: Source, side: str, state: int, like: int | None) -> Source:
    """A member's contribution: the state's allocation, or its side's half of it."""
    if side == "state":
        text = f"statens tilldelning: {src.text}"
        rule = "state_allocation"
    else:
        text = f"hälften av statens {format_kronor(state)} kr (5 §)"
        text += f", fördelat som {like}" if like is not None else ""
        text += " (illustration)" if src.illustration else ""
        rule = "fifty_fifty"
    brief = "hälften av statens tilldelning (5 §)" + (" (illustration)" if src.illustration else "")
    return Source(
        "announced" if src.rule == "announced" else rule,
        text,
        src.illustration,
        src.assumption,
        brief if side != "state" else "",
    )


def _weight(plan: Plan, inc: IncomeLine) -> Fraction | int:
    member = plan.member(inc.member or "")
    return key_weight(member) if member is not None and member.key is not None else 1


# --- reserve and equity -----------------------------------------------------------------------


def reserve_row(fr: Frame) -> Row:
    fc, s = fr.plan.forecast, fr.scenario
    scenario, own = _single(fr, fc.reserve, "reserve", s.reserve if s else None)
    return Row(("reserve",), fr.known(fr.plan.reserve.amounts), {}, scenario, own)


def equity_series(
    fr: Frame,
    start: Totals,
    results: dict[int, int],
    reserve: dict[int, int],
    opening: int | None,
    sources: dict[tuple[Key, str], Source],
) -> dict[int, Carried]:
    """What each year brings in: what the year before leaves (figures.equity), or, for
    the first year, the opening equity given (the closed books' closing equity)."""
    statement = room_spent(fr.plan, fr.scenario)
    key = ("income", _equity_key(fr.plan))
    closing, kept = start.surplus, start.reserve
    out: dict[int, Carried] = {}
    for year in fr.span:
        if year == fr.span[0] and opening is not None:
            left = carry(year - 1, opening, 0, None)
            src = Source("opening", f"ingående eget kapital {format_kronor(opening)} kr, angivet")
        else:
            column = fr.columns.get(year - 1, str(year - 1))
            left = carry(year - 1, closing, kept, stated_for("prognos", column, statement))
            brief = "vad året före lämnar" + (
                " (utrymmet antas användas, forecast.room_spent)" if statement is not None else ""
            )
            src = Source("carried", left.explain(), brief=brief)
        out[year], sources[(key, str(year))] = left, src
        closing, kept = left.amount + results[year], reserve[year]
    return out


def _equity_key(plan: Plan) -> str:
    i = next((i for i, inc in enumerate(plan.income) if inc.kind == "equity"), len(plan.income))
    return plan.income[i].id or str(i) if i < len(plan.income) else str(i)


# --- the projected plan, built once -------------------------------------------------------

CostPlace = tuple[str, int, int | None]  # group, line index, part index


@dataclass(frozen=True)
class Figures:
    """Every projected figure by year, keyed by where it goes in the plan."""

    income: dict[int, dict[int, int]]  # contribution and other income lines, by index
    costs: dict[CostPlace, dict[int, int]]
    reserve: dict[int, int]
    equity: dict[int, Carried]  # what each year brings in, and from what


def gather(
    fr: Frame, base: Budget, opening: int | None, sources: dict[tuple[Key, str], Source]
) -> Figures:
    income = contributions(fr, base, sources)
    for i, row in other_income_rows(fr):
        income[i] = series(fr, row, sources)
    costs = {place: series(fr, row, sources) for place, row in cost_rows(fr)}
    reserve = series(fr, reserve_row(fr), sources)
    results = {
        y: sum(f[y] for f in income.values()) - sum(f[y] for f in costs.values()) for y in fr.span
    }
    start = base.totals[fr.base_key]
    equity = equity_series(fr, start, results, reserve, opening, sources)
    return Figures(income, costs, reserve, equity)


def _amounts(fr: Frame, base: int, by_year: dict[int, int]) -> dict[str, int]:
    out = {fr.base_key: base} if base else {}
    for year, amount in by_year.items():
        if abs(amount) > MAX_KRONOR:
            raise ForecastError(
                f"antagandena ger {year} ett belopp över 1 000 000 000 000 kr, det högsta en "
                "plan kan ange; pröva antagandena (förändring per år, index) eller färre "
                "prognosår"
            )
        if amount:
            out[str(year)] = amount
    return out


def _keep(fr: Frame, mapping: dict[str, T]) -> dict[str, T]:
    """Per-column values of the plan year and the stated years, keyed as projected."""
    rename = {key: (key if y == fr.year else str(y)) for y, key in fr.columns.items()}
    return {rename[k]: v for k, v in mapping.items() if k in rename}


def _once_kept(fr: Frame, once: bool | dict[str, int]) -> bool | dict[str, int]:
    return _keep(fr, once) if isinstance(once, dict) else once


def _income_line(fr: Frame, i: int, inc: IncomeLine, figs: Figures, equity_at: int) -> IncomeLine:
    base = inc.amounts.get(fr.base_key, 0)
    if i in figs.income:
        amounts = _amounts(fr, base, figs.income[i])
    elif i == equity_at:
        amounts = _amounts(fr, base, {y: c.amount for y, c in figs.equity.items()})
    else:
        amounts = _amounts(fr, base, {})
    update = {"amounts": amounts, "notes": _keep(fr, inc.notes), "once": _once_kept(fr, inc.once)}
    return inc.model_copy(update=update)


def _cost_line(fr: Frame, group: str, i: int, line: CostLine, figs: Figures) -> CostLine:
    def amounts(j: int | None, own: dict[str, int]) -> dict[str, int]:
        return _amounts(fr, own.get(fr.base_key, 0), figs.costs.get((group, i, j), {}))

    parts = [
        p.model_copy(update={"amounts": amounts(j, p.amounts), "once": _once_kept(fr, p.once)})
        for j, p in enumerate(line.parts)
    ]
    update = {
        "amounts": amounts(None, line.amounts) if not line.parts else {},
        "parts": parts,
        "notes": _keep(fr, line.notes),
        "once": _once_kept(fr, line.once),
    }
    return line.model_copy(update=update)


def build(fr: Frame, figs: Figures) -> Plan:
    """The projected plan: the plan year's column and one prognos column per year."""
    plan = fr.plan
    equity_at = next((i for i, inc in enumerate(plan.income) if inc.kind == "equity"), None)
    income = [
        _income_line(fr, i, inc, figs, equity_at if equity_at is not None else -1)
        for i, inc in enumerate(plan.income)
    ]
    if equity_at is None:
        income.append(
            IncomeLine(
                label="Eget kapital/sparade medel",
                kind="equity",
                amounts=_amounts(fr, 0, {y: c.amount for y, c in figs.equity.items()}),
            )
        )
    costs = {
        group: [_cost_line(fr, group, i, line, figs) for i, line in enumerate(lines)]
        for group, lines in plan.costs.items()
    }
    statement = room_spent(plan, fr.scenario)
    forecast = plan.forecast.model_copy(
        update={"room_spent": _keep(fr, statement) if isinstance(statement, dict) else statement}
    )
    base_column = next(c for c in plan.columns if c.key == fr.base_key)
    update = {
        "columns": [base_column, *(Column(year=y, kind="prognos") for y in fr.span)],
        "income": income,
        "costs": costs,
        "reserve": plan.reserve.model_copy(
            update={"amounts": _amounts(fr, plan.reserve.amounts.get(fr.base_key, 0), figs.reserve)}
        ),
        "activities": _extended(plan, fr.scenario),
        "forecast": forecast,
        "stated": {},  # printed totals belong to the printed plan, not to a projection
    }
    return plan.model_copy(update=update)


def _extended(plan: Plan, scenario: Scenario | None) -> list[Activity]:
    extensions = {**plan.forecast.extensions, **(scenario.extensions if scenario else {})}
    out = []
    for act in plan.activities:
        if act.id in extensions and act.period is not None:
            end = extensions[act.id]
            period = act.period.model_copy(update={"end": end, "note": f"förlängd till {end}"})
            act = act.model_copy(update={"period": period})
        out.append(act)
    return out


# --- the forecast -------------------------------------------------------------------------


def project(
    plan: Plan,
    plan_id: str = "plan",
    *,
    years: list[int] | None = None,
    until: int | None = None,
    scenario: str | None = None,
    opening_equity: int | None = None,
) -> ForecastResult:
    """The plan's coming years (``years``, or up to ``until``, or its own prognos years).

    ``opening_equity`` is the equity brought into the first forecast year when it is known
    from the closed books; otherwise the plan year's closing equity by the policy.
    """
    plan = with_computed(plan)  # contributions from a key become typed lines
    wanted = forecast_years(plan, years, until)
    fr = frame(plan, scenario, max(wanted))
    base = compute(plan)
    sources: dict[tuple[Key, str], Source] = {}
    figures = gather(fr, base, opening_equity, sources)
    projected = build(fr, figures)
    budget = compute(projected)
    shown = [str(y) for y in wanted]
    found = [
        f
        for f in run_rules(projected, budget)
        if f.code == "FIN000" or (f.code in YEAR_CODES and f.year in shown)
    ]
    return ForecastResult(
        plan_id=plan_id,
        scenario=scenario,
        description=fr.scenario.description if fr.scenario else _description(fr, wanted),
        base=plan,
        projected=projected,
        budget=budget,
        years=shown,
        sources=sources,
        findings=found,
        differences=_differences(base, budget, shown, sources),
        illustrations=sorted({s.assumption for s in sources.values() if s.illustration}),
        carried={str(y): c for y, c in figures.equity.items() if str(y) in shown},
    )


def project_all(
    plan: Plan,
    plan_id: str,
    scenarios: list[str],
    compare: bool,
    *,
    years: list[int] | None = None,
    until: int | None = None,
    file: str | None = None,
) -> list[ForecastResult]:
    """The forecasts ``forecast`` shows: the plan's own, a scenario's, or side by side
    (``compare``: the plan's own first, then the scenarios named, or all of them).

    ``file`` is the plan's file as the user names it: a forecast year's finding has no line
    in it (the year is computed), but it is placed in that file, never in ``<plan>``.
    """
    names: list[str | None] = list(scenarios) or [None]
    if compare:
        names = [None, *(scenarios or plan.forecast.scenarios)]
    results = [project(plan, plan_id, years=years, until=until, scenario=n) for n in names]
    for r in results:
        r.findings = [f if f.file else replace(f, file=file or plan_id) for f in r.findings]
    return results


def _scenario(plan: Plan, name: str | None) -> Scenario | None:
    if name is None:
        return None
    chosen = plan.forecast.scenarios.get(name)
    if chosen is None:
        known = ", ".join(plan.forecast.scenarios) or "inga"
        raise ForecastError(f"scenariot '{name}' finns inte i planen (finns: {known})")
    return chosen


def _description(fr: Frame, wanted: list[int]) -> str:
    own = [y for y in wanted if y in fr.columns]
    if not own:
        return f"Planens budgetplan {fr.year}, framskriven enligt planens forecast-block"
    years = f"{own[0]}–{own[-1]}" if len(own) > 1 else str(own[0])
    if len(own) == len(wanted):
        return f"Planens egen prognos {years}"
    return f"Planens egen prognos {years}, därefter enligt planens forecast-block"


def _differences(
    base: Budget, budget: Budget, years: list[str], sources: dict[tuple[Key, str], Source]
) -> list[Difference]:
    """Where the plan states its own prognos for a year, each line that differs, and why."""
    stated = {str(c.year): c.key for c in base.plan.columns if c.kind == "prognos"}
    out = []
    for year in years:
        col = stated.get(year)
        if col is None:
            continue
        for table, projected in zip(base.tables, budget.tables, strict=True):
            for i, (row, new) in enumerate(zip(table.rows, projected.rows, strict=False)):
                if row.amounts[col] == new.amounts.get(year, 0):
                    continue
                key = _row_key(table.id, row.id, i)
                src = sources.get((key, year)) or sources.get(((*key, "0"), year))
                cause = src.text if src else "beräknad"
                out.append(
                    Difference(
                        year, table.id, row.label, row.amounts[col], new.amounts[year], cause
                    )
                )
        for name in total_names(base.plan):
            own, projected_total = base.totals[col].get(name), budget.totals[year].get(name)
            if own != projected_total:
                cause = "summa av raderna ovan"
                out.append(Difference(year, "totals", name, own, projected_total, cause))
    return out


def _row_key(table: str, row_id: str | None, index: int) -> Key:
    if table == "income":
        return ("income", row_id or str(index))
    return ("costs", table, row_id or str(index))
