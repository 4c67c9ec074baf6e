"""What each page of a plan shows, computed from the checked plan by the core.

Every function takes a :class:`PlanState` whose plan loaded and returns plain values for
a template; figures come from the same core functions as the command line's outputs
(render/view.py, year/forecast.py, year/followup.py, judge/criteria.py), never from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from finsamplan.base.findings import Finding
from finsamplan.web.state import CHART_LOCK, PlanState

EXPORT_SUFFIXES = (".csv", ".xlsx", ".se", ".si", ".sie")
MAX_EXPORTS = 200  # export files offered in the follow-up form
MAX_LOOKED_AT = 20_000  # files looked at to find them
CONTEXT = 2  # lines shown before and after a finding's line


@dataclass(frozen=True)
class Context:
    """A finding with the lines of the plan file around it."""

    finding: Finding
    first: int  # number of the first line shown
    lines: tuple[str, ...]

    @property
    def marked(self) -> int:
        return (self.finding.line or 0) - self.first  # index of the finding's line


def contexts(state: PlanState) -> list[Context]:
    lines = state.lines
    out = []
    for f in state.findings:
        if f.line is None or not 1 <= f.line <= len(lines):
            out.append(Context(f, 0, ()))
            continue
        first = max(1, f.line - CONTEXT)
        last = min(len(lines), f.line + CONTEXT)
        out.append(Context(f, first, tuple(lines[first - 1 : last])))
    return out


_CHARTS: dict[str, tuple[Any, ...]] = {}  # by the plan without its text; the latest few
MAX_CHARTS = 16


def charts(state: PlanState) -> tuple[Any, ...]:
    """The budget's charts; drawn again only when a figure changed (a text edit reuses them)."""

    def make() -> tuple[Any, ...]:
        from finsamplan.render.charts import all_charts

        assert state.budget is not None
        # The charts are drawn from the plan's figures alone (render/charts.py), never from
        # its text: the plan without its text is the key.
        key = state.budget.plan.model_dump_json(exclude={"sections", "motto", "activities"})
        with CHART_LOCK:
            if key not in _CHARTS:
                if len(_CHARTS) >= MAX_CHARTS:
                    _CHARTS.pop(next(iter(_CHARTS)))
                _CHARTS[key] = all_charts(state.budget)
            return _CHARTS[key]

    return state.part("charts", make)


def criteria_results(state: PlanState) -> tuple[list[Any], list[Finding]]:
    """The criteria profiles the plan names, checked; problems loading them as findings."""

    def make() -> tuple[list[Any], list[Finding]]:
        from finsamplan.judge.criteria import check, profiles_for

        loaded = state.loaded
        assert loaded is not None and loaded.plan is not None
        profiles, _, problems = profiles_for(loaded.plan, state.path, loaded.source, None)
        results = [check(loaded.plan, p, loaded.id, loaded.source, state.budget) for p in profiles]
        return results, problems

    return state.part("criteria", make)


def document(state: PlanState) -> Any:
    """The plan document's view (render/view.py), with its charts and criteria appendix."""

    def make() -> Any:
        from finsamplan.render.criteria_out import appendix
        from finsamplan.render.view import build

        loaded, budget = state.loaded, state.budget
        assert loaded is not None and loaded.plan is not None and budget is not None
        doc = build(loaded.id, loaded.plan, budget, state.findings)
        results, _ = criteria_results(state)
        return replace(doc, charts=charts(state), criteria=appendix(results))

    return state.part("document", make)


def summary(state: PlanState) -> Any:
    """The summary table of the budget (income, costs, reserve, room per column)."""
    from finsamplan.render.view import budget_tables

    assert state.budget is not None
    return state.part("tables", lambda: budget_tables(state.budget))[-1]  # type: ignore[arg-type]


def tables(state: PlanState) -> Any:
    from finsamplan.render.view import budget_tables

    return state.part("tables", lambda: budget_tables(state.budget))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Forecasts:
    results: list[Any]  # ForecastResult: the plan's own assumptions, then each scenario
    rows: dict[str | None, list[dict[str, Any]]]
    error: str | None = None


def forecasts(state: PlanState) -> Forecasts:
    def make() -> Forecasts:
        from finsamplan.render.forecast_out import rows
        from finsamplan.year.forecast import ForecastError, project

        loaded = state.loaded
        assert loaded is not None and loaded.plan is not None
        names: list[str | None] = [None, *loaded.plan.forecast.scenarios]
        try:
            results = [project(loaded.plan, loaded.id, scenario=n) for n in names]
        except ForecastError as exc:
            return Forecasts([], {}, str(exc))
        return Forecasts(results, {r.scenario: rows(r) for r in results})

    return state.part("forecasts", make)


def exports(root: Path) -> list[str]:
    """Export files under the served folder (not in hidden folders), by relative name."""
    found: list[str] = []
    base = root.resolve()
    looked = 0
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        looked += len(files)
        if looked > MAX_LOOKED_AT:
            return found
        for name in sorted(files):
            if name.lower().endswith(EXPORT_SUFFIXES) and not name.startswith("."):
                found.append((Path(folder) / name).relative_to(base).as_posix())
                if len(found) >= MAX_EXPORTS:
                    return found
    return found


@dataclass(frozen=True)
class FollowupPage:
    result: Any = None  # year.followup.Followup
    chart: Any = None
    problems: tuple[Finding, ...] = ()
    error: str | None = None


def followup(state: PlanState, export: Path, until: date | None) -> FollowupPage:
    """The year followed up against one export (figures/actuals.py, year/followup.py)."""
    from finsamplan.figures.actuals import ImportError_, load_actuals
    from finsamplan.render import followup_out
    from finsamplan.year import followup as fu

    loaded = state.loaded
    assert loaded is not None and loaded.plan is not None
    try:
        imported = load_actuals(export, loaded.plan.actuals)
        result = fu.followup(loaded.plan, imported, loaded.id, until, source=loaded.source)
    except ImportError_ as exc:
        return FollowupPage(problems=(exc.finding,))
    except fu.FollowupError as exc:
        return FollowupPage(error=str(exc))
    with CHART_LOCK:
        chart = followup_out.chart(result)
    return FollowupPage(result, chart, tuple(imported.malformed))
