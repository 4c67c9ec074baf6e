"""The economy of the coming years, computed from the plan year and stated assumptions.

A forecast projects every line from the plan year (the ``budgetplan`` column) by its
assumption (same, a yearly change, an index, a fixed amount, amounts as announced, or what
the plan itself states), exactly, and rounds each figure once. Member contributions are
not projected: the state's allocation is, and the region and the municipalities pay the
same in total (a quarter each), split as in the plan year, so 50/50 holds by construction.
Projects follow their period (pro rata by month, nothing after the end unless an extension
is recorded); evaluations stay in the year they are planned. The equity brought into a year
is the previous year's reserve plus the part of its room not assumed spent.

The result is a *projected plan*: the same model with the plan year and the forecast years
as columns, so the budget, the rules and every renderer work on it unchanged. Each
projected figure carries its :class:`Source`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

from finsamplan.base.findings import Finding
from finsamplan.base.money import format_kronor, format_share, round_kronor
from finsamplan.figures.budget import Budget, compute, total_names
from finsamplan.figures.contributions import with_computed
from finsamplan.plan.model import Activity, Assumption, Forecast, Plan, Scenario
from finsamplan.plan.references import cost_lines

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


class ForecastError(ValueError):
    """The forecast cannot be made as asked (a year before the plan year, unknown scenario)."""


@dataclass(frozen=True)
class Source:
    """Where a projected figure came from: the rule that produced it, in words."""

    rule: str
    text: str

    def to_json(self) -> dict[str, str]:
        return {"rule": self.rule, "text": self.text}


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

    def source(self, key: Key, year: str) -> Source | None:
        return self.sources.get((key, year))


# --- assumptions --------------------------------------------------------------------------


@dataclass(frozen=True)
class Assumptions:
    """The forecast block with a scenario laid over it."""

    rounding: int
    layers: tuple[tuple[Mapping[str, Assumption], Mapping[str, Assumption], Assumption | None], ...]
    state_allocation: Assumption
    reserve: Assumption
    room_spent: Decimal
    extensions: dict[str, date]
    indices: dict[str, dict[str, Decimal]]


def assumptions(forecast: Forecast, scenario: Scenario | None) -> Assumptions:
    s = scenario
    Layer = tuple[Mapping[str, Assumption], Mapping[str, Assumption], Assumption | None]
    layers: list[Layer] = []
    if s is not None:
        layers.append((s.lines, dict(s.groups.items()), s.default))
    layers.append((forecast.lines, dict(forecast.groups.items()), None))  # default: last
    return Assumptions(
        rounding=(s.rounding if s and s.rounding else forecast.rounding),
        layers=tuple(layers),
        state_allocation=(
            s.state_allocation if s and s.state_allocation else forecast.state_allocation
        ),
        reserve=(s.reserve if s and s.reserve else forecast.reserve),
        room_spent=(s.room_spent if s and s.room_spent is not None else forecast.room_spent),
        extensions={**forecast.extensions, **(s.extensions if s else {})},
        indices=forecast.indices,
    )


def _pct(change: Decimal) -> str:
    text = format_share(change, 1).replace(",0\u00a0%", "\u00a0%")
    return text if change < 0 else "+" + text


class _Projector:
    """Projects single figures by an assumption, exactly, for consecutive years."""

    def __init__(self, a: Assumptions, base_year: int, plan: Plan) -> None:
        self.a = a
        self.base_year = base_year
        self.plan = plan
        self.columns = {c.key: c for c in plan.columns}

    def factor(self, assumption: Assumption, year: int) -> tuple[Decimal, str]:
        n = year - self.base_year
        if assumption.change is not None:
            return (1 + assumption.change) ** n, f"{_pct(assumption.change)}/år"
        if assumption.index is not None:
            rates = self.a.indices.get(assumption.index, {})
            factor, last, notes = Decimal(1), Decimal(0), []
            for y in range(self.base_year + 1, year + 1):
                rate = rates.get(str(y))
                if rate is None:
                    rate = last
                    notes.append(str(y))
                factor *= 1 + rate
                last = rate
            missing = f" ({', '.join(notes)}: samma takt som året före)" if notes else ""
            return factor, f"index {assumption.index}{missing}"
        return Decimal(1), "samma som planåret"

    def value(
        self,
        assumption: Assumption,
        base: int,
        year: int,
        stated: int | None,
        previous: Decimal | None,
    ) -> tuple[Decimal, Source]:
        """The exact projected value for ``year`` (not yet rounded) and its source."""
        method = assumption.method
        if method == "amount":
            assert assumption.amount is not None
            return Decimal(assumption.amount), Source("amount", "fast belopp")
        if method == "amounts":
            assert assumption.amounts is not None
            if str(year) in assumption.amounts:
                return Decimal(assumption.amounts[str(year)]), Source(
                    "amounts", f"angivet för {year}"
                )
            prev = previous if previous is not None else Decimal(base)
            return prev, Source("amounts", f"inget angivet för {year}: som året före")
        if method == "stated":
            if stated is not None:
                return Decimal(stated), Source("stated", f"planens egen prognos för {year}")
            prev = previous if previous is not None else Decimal(base)
            return prev, Source("stated", f"planen anger inget för {year}: som året före")
        factor, text = self.factor(assumption, year)
        if method == "same":
            return Decimal(base), Source("same", f"samma som {self.base_year}")
        return Decimal(base) * factor, Source(
            method, f"{text} från {format_kronor(base)} ({self.base_year})"
        )


def _months(year: int, start: date, end: date | None) -> int:
    if year < start.year or (end is not None and year > end.year):
        return 0
    first = start.month if start.year == year else 1
    last = end.month if end is not None and end.year == year else 12
    return max(0, last - first + 1)


def _split(total: int, weights: list[int]) -> list[int]:
    """``total`` split by ``weights`` in whole kronor, summing exactly (largest remainder)."""
    if not weights:
        return []
    if sum(weights) == 0:
        weights = [1] * len(weights)
    whole = sum(weights)
    raw = [Decimal(total) * w / whole for w in weights]
    parts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - parts[i], -i), reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


# --- the forecast --------------------------------------------------------------------------


def base_column(plan: Plan) -> str:
    for col in plan.columns:
        if col.year == plan.year and col.kind == "budgetplan":
            return col.key
    raise ForecastError(f"planen saknar kolumnen för budgetåret {plan.year} (kind: budgetplan)")


HORIZON = 10
"""A forecast reaches at most this many years past the plan year (and never past 2100):
assumptions compounded further say nothing, and each year costs a projected plan."""
LAST_YEAR = 2100


def last_forecast_year(plan_year: int) -> int:
    return min(plan_year + HORIZON, LAST_YEAR)


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


def project(
    plan: Plan,
    plan_id: str = "plan",
    *,
    years: list[int] | None = None,
    until: int | None = None,
    scenario: str | None = None,
) -> ForecastResult:
    plan = with_computed(plan)  # contributions from a key become typed lines
    base_key = base_column(plan)
    wanted = forecast_years(plan, years, until)
    span = list(range(plan.year + 1, max(wanted) + 1))
    chosen = None
    if scenario is not None:
        chosen = plan.forecast.scenarios.get(scenario)
        if chosen is None:
            known = ", ".join(plan.forecast.scenarios) or "inga"
            raise ForecastError(f"scenariot '{scenario}' finns inte i planen (finns: {known})")
    a = assumptions(plan.forecast, chosen)
    pj = _Projector(a, plan.year, plan)
    sources: dict[tuple[Key, str], Source] = {}
    stated_cols = {c.year: c.key for c in plan.columns if c.kind in ("prognos", "budgetplan")}

    def stated(amounts: dict[str, int], year: int) -> int | None:
        key = stated_cols.get(year)
        return amounts.get(key, 0) if key is not None else None

    def rounded(value: Decimal) -> int:
        return max(0, round_kronor(value, a.rounding))

    # Cost and other-income lines.
    periods = _periods(plan.activities, a.extensions)
    data = plan.model_dump(mode="python")
    new_columns = [next(c for c in plan.columns if c.key == base_key).model_dump()] + [
        {"year": y, "kind": "prognos"} for y in span
    ]
    data["columns"] = new_columns
    data["stated"] = {}  # printed totals belong to the printed plan, not to a projection
    keys_kept = {base_key} | {str(y) for y in span}
    for i, act in enumerate(plan.activities):
        if act.id in a.extensions and act.period is not None:
            data["activities"][i]["period"]["end"] = a.extensions[act.id]
            data["activities"][i]["period"]["note"] = "förlängning enligt scenariot"

    def line_assumption(line_id: str | None, group: str | None) -> tuple[Assumption, bool]:
        """A scenario's assumptions (line, group, default) come before the forecast's own."""
        for lines, groups, default in a.layers:
            if line_id and line_id in lines:
                return lines[line_id], True
            if group and group in groups:
                return groups[group], True
            if default is not None:
                return default, True
        return plan.forecast.default, False

    def project_amounts(
        key: Key,
        amounts: dict[str, int],
        assumption: Assumption,
        explicit: bool,
        period: tuple[date, date | None, str] | None,
        evaluation: bool,
    ) -> dict[str, int]:
        base = amounts.get(base_key, 0)
        out = {base_key: base} if base else {}
        previous: Decimal | None = None
        for y in span:
            value, src = pj.value(assumption, base, y, stated(amounts, y), previous)
            previous = value
            if evaluation and not explicit:
                planned = stated(amounts, y) or 0
                value, src = (
                    Decimal(planned),
                    Source(
                        "evaluation",
                        f"utvärdering planerad {y}"
                        if planned
                        else "ingen utvärdering planerad för året",
                    ),
                )
            elif period is not None and assumption.method not in ("amount", "amounts", "stated"):
                start, end, why = period
                months = _months(y, start, end)
                if months < 12:
                    value = value * months / 12
                    src = Source(
                        "period",
                        f"{months}/12 av årstakten ({why})"
                        if months
                        else f"insatsen har upphört ({why})",
                    )
            amount = rounded(value)
            if amount:
                out[str(y)] = amount
            sources[(key, str(y))] = src
        return out

    for i, inc in enumerate(plan.income):
        data["income"][i]["notes"] = {k: v for k, v in inc.notes.items() if k == base_key}
        if inc.kind != "other":
            continue
        key: Key = ("income", inc.id or str(i))
        assumption, explicit = line_assumption(inc.id, None)
        data["income"][i]["amounts"] = project_amounts(
            key, inc.amounts, assumption, explicit, None, False
        )
    for group, i, line in cost_lines(plan):
        key = ("costs", group, line.id or str(i))
        assumption, explicit = line_assumption(line.id, group)
        period = periods.get(line.id or "") if not line.evaluates else None
        is_eval = bool(line.evaluates)
        if line.parts:
            for j, part in enumerate(line.parts):
                data["costs"][group][i]["parts"][j]["amounts"] = project_amounts(
                    (*key, str(j)), part.amounts, assumption, explicit, period, is_eval
                )
        else:
            data["costs"][group][i]["amounts"] = project_amounts(
                key, line.amounts, assumption, explicit, period, is_eval
            )
        data["costs"][group][i]["notes"] = {
            k: v for k, v in line.notes.items() if k in keys_kept and k == base_key
        }

    # Contributions: the state's allocation, the other side by 50/50, split as in the base.
    base_budget = compute(plan)
    base_totals = base_budget.totals[base_key]
    contribution_rows = [
        (i, inc) for i, inc in enumerate(plan.income) if inc.kind == "contribution" and inc.member
    ]
    sides = {
        i: (plan.member(inc.member or "") or plan.forbund.members[0]).side
        for i, inc in contribution_rows
    }
    for i, _ in contribution_rows:
        data["income"][i]["amounts"] = {base_key: plan.income[i].amounts.get(base_key, 0)}
    state_base = base_totals.state
    previous_state: Decimal | None = None
    for y in span:
        value, src = pj.value(
            a.state_allocation,
            state_base,
            y,
            base_budget.totals[stated_cols[y]].state if y in stated_cols else None,
            previous_state,
        )
        previous_state = value
        state_total = rounded(value)
        for side_name, total in _side_totals(sides, state_total).items():
            rows = [i for i, _ in contribution_rows if sides[i] == side_name]
            weights = [plan.income[i].amounts.get(base_key, 0) for i in rows]
            for i, share in zip(rows, _split(total, weights), strict=True):
                data["income"][i]["amounts"][str(y)] = share
                sources[(("income", plan.income[i].id or str(i)), str(y))] = (
                    Source("state_allocation", f"statens tilldelning: {src.text}")
                    if side_name == "state"
                    else Source(
                        "fifty_fifty",
                        f"50/50 mot statens {format_kronor(state_total)}"
                        + (", fördelat som " + str(plan.year) if len(rows) > 1 else ""),
                    )
                )

    # Reserve, equity brought in, year by year.
    reserve_amounts = {base_key: plan.reserve.amounts.get(base_key, 0)}
    previous_reserve: Decimal | None = None
    for y in span:
        value, src = pj.value(
            a.reserve,
            plan.reserve.amounts.get(base_key, 0),
            y,
            stated(plan.reserve.amounts, y),
            previous_reserve,
        )
        previous_reserve = value
        reserve_amounts[str(y)] = rounded(value)
        sources[(("reserve",), str(y))] = src
    data["reserve"]["amounts"] = {k: v for k, v in reserve_amounts.items() if v}
    equity_index = next((i for i, inc in enumerate(plan.income) if inc.kind == "equity"), None)
    if equity_index is None:
        data["income"].append(
            {"label": "Eget kapital/sparade medel", "kind": "equity", "amounts": {}}
        )
        equity_index = len(data["income"]) - 1
    equity = {
        base_key: plan.income[equity_index].amounts.get(base_key, 0)
        if equity_index < len(plan.income)
        else 0
    }
    data["income"][equity_index]["amounts"] = equity
    for y in span:
        data["reserve"]["amounts"] = {k: v for k, v in reserve_amounts.items() if v}
        data["income"][equity_index]["amounts"] = {k: v for k, v in equity.items() if v}
        interim = compute(Plan.model_validate(data))
        prev_key = base_key if y == span[0] else str(y - 1)
        t = interim.totals[prev_key]
        if t.room >= 0:
            carried = t.reserve + round_kronor(Decimal(t.room) * (1 - a.room_spent))
            text = f"reserven {format_kronor(t.reserve)} från {y - 1}" + (
                f" och {format_share(1 - a.room_spent, 0)} av utrymmet" if a.room_spent < 1 else ""
            )
        else:
            carried = max(0, t.surplus)
            text = f"hela överskottet {format_kronor(t.surplus)} från {y - 1} (utrymmet negativt)"
        equity[str(y)] = carried
        sources[(("income", plan.income[equity_index].id or str(equity_index)), str(y))] = Source(
            "carried", text
        )
    data["income"][equity_index]["amounts"] = {k: v for k, v in equity.items() if v}

    try:
        projected = Plan.model_validate(data)
    except ValidationError as exc:
        if any(e["type"] != "kronor_range" for e in exc.errors()):
            raise
        raise ForecastError(
            "antagandena ger belopp över 1 000 000 000 000 kr, det högsta en plan kan ange; "
            "pröva antagandena (förändring per år, index) eller färre prognosår"
        ) from None
    budget = compute(projected)
    from finsamplan.judge.rules import run_rules

    found = [
        f
        for f in run_rules(projected, budget)
        if f.code in YEAR_CODES and f.year in {str(y) for y in wanted}
    ]
    result = ForecastResult(
        plan_id=plan_id,
        scenario=scenario,
        description=chosen.description if chosen else "Planens antaganden",
        base=plan,
        projected=projected,
        budget=budget,
        years=[str(y) for y in wanted],
        sources=sources,
        findings=found,
    )
    result.differences = _differences(plan, base_budget, budget, [str(y) for y in wanted], sources)
    return result


def _side_totals(sides: Mapping[int, str], state_total: int) -> dict[str, int]:
    present = set(sides.values())
    out = {"state": state_total}
    if "municipality_without_region" in present and "region" not in present:
        out["municipality_without_region"] = state_total
        return out
    region = round_kronor(Decimal(state_total) / 2)
    if "region" in present:
        out["region"] = region
        out["municipality"] = state_total - region
    else:
        out["municipality"] = state_total
    return out


def _periods(
    activities: list[Activity], extensions: dict[str, date]
) -> dict[str, tuple[date, date | None, str]]:
    out: dict[str, tuple[date, date | None, str]] = {}
    for act in activities:
        if act.period is None:
            continue
        end = extensions.get(act.id, act.period.end)
        why = (
            f"förlängd till {end}"
            if act.id in extensions
            else f"slutar {end}"
            if end
            else "tills vidare"
        )
        for line_id in act.lines:
            out.setdefault(line_id, (act.period.start, end, why))
    return out


def _differences(
    plan: Plan,
    base_budget: Budget,
    budget: Budget,
    years: list[str],
    sources: dict[tuple[Key, str], Source],
) -> list[Difference]:
    """Where the plan states its own prognos for a year, each line that differs, and why."""
    stated_cols = {str(c.year): c.key for c in plan.columns if c.kind == "prognos"}
    out = []
    for year in years:
        col = stated_cols.get(year)
        if col is None:
            continue
        for table_base, table_new in zip(base_budget.tables, budget.tables, strict=True):
            for i, (row_base, row_new) in enumerate(
                zip(table_base.rows, table_new.rows, strict=False)
            ):
                stated = row_base.amounts.get(col, 0)
                projected = row_new.amounts.get(year, 0)
                if stated == projected:
                    continue
                key = _row_key(table_base.id, row_base.id, i)
                src = sources.get((key, year)) or sources.get(((*key, "0"), year))
                out.append(
                    Difference(
                        year,
                        table_base.id,
                        row_base.label,
                        stated,
                        projected,
                        src.text if src else "beräknad",
                    )
                )
        for name in total_names(base_budget.plan):
            stated = base_budget.totals[col].get(name)
            projected = budget.totals[year].get(name)
            if stated != projected:
                out.append(
                    Difference(year, "totals", name, stated, projected, "summa av raderna ovan")
                )
    return out


def _row_key(table: str, row_id: str | None, index: int) -> Key:
    if table == "income":
        return ("income", row_id or str(index))
    return ("costs", table, row_id or str(index))
