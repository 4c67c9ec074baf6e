"""The year followed up: actuals against the budget, for every board meeting.

For each plan line: the year's budget, the actuals to date, the share used, what was
expected by now (evenly by month, or by the line's month profile), a full-year forecast
(actuals plus the remaining budget, or the run rate; an income never past its budget unless
more has come in, :func:`full_year`) and the deviation, with a warning in plain Swedish where
it passes the plan's threshold. An export without a row in the period gives no actuals, so
nothing that follows from them is shown as a figure (:attr:`Followup.has_data`). Then the
year's projected result and the equity at year end against the ceiling. The budget compared
against is the latest revised budget when the plan records the board's decisions during the
year (``revisions``), else the adopted one; both are kept per line. Actuals are summed
exactly and rounded to kronor once per line. Only rows dated within the period count; the
reconciliation (:func:`~finsamplan.figures.actuals.reconcile`) shows every other row of the
export, so that nothing is left out unseen.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.money import format_kronor, format_ore, format_share, round_kronor, share_of
from finsamplan.base.words import counted
from finsamplan.figures import equity
from finsamplan.figures.actuals import ActualRow, Import, Reconciliation, reconcile
from finsamplan.figures.budget import Row, compute, total_title
from finsamplan.figures.revisions import revise
from finsamplan.plan.model import Actuals, Plan, Revision
from finsamplan.plan.yamlsource import SourceMap


class FollowupError(FinsamplanError, ValueError):
    pass


NO_DATA = "ingen uppgift"
"""A figure the export does not give (no row in the period): shown so, never as 0."""


@dataclass(frozen=True)
class LineResult:
    group: str
    id: str | None
    label: str
    budget: int
    actual: int
    expected: int
    forecast: int
    method: str
    rows: int
    adopted: int = 0  # the adopted budget; ``budget`` is the baseline compared against
    revised: int | None = None  # the revised budget, when the plan records decisions

    @property
    def share_used(self) -> Decimal | None:
        return share_of(self.actual, self.budget)

    @property
    def deviation(self) -> int:
        return self.forecast - self.budget


@dataclass(frozen=True)
class GroupResult:
    id: str
    title: str
    budget: int
    actual: int
    expected: int
    forecast: int
    adopted: int = 0
    revised: int | None = None

    @property
    def deviation(self) -> int:
        return self.forecast - self.budget

    @property
    def share_used(self) -> Decimal | None:
        return share_of(self.actual, self.budget)


@dataclass
class Followup:
    plan_id: str
    plan: Plan
    year: int
    until: date
    elapsed: Decimal  # months of the year elapsed, e.g. 10 for 31 October
    lines: list[LineResult]
    groups: list[GroupResult]
    imported: Import
    reconciliation: Reconciliation
    unmapped_actual: int
    equity_in: int
    income_forecast: int
    costs_forecast: int
    budget_surplus: int
    ceiling: int
    contributions: int  # the baseline budget's, which the ceiling is a share of
    ceiling_share: Decimal  # the step of the equity staircase that gives the ceiling
    warnings: list[Finding] = field(default_factory=list)
    baseline: str = "adopted"  # "adopted" or "revised": the budget compared against
    decisions: tuple[Revision, ...] = ()  # the decisions the revised budget holds

    @property
    def revised(self) -> bool:
        """Whether the plan records decisions: then both budgets are shown."""
        return bool(self.decisions)

    @property
    def has_data(self) -> bool:
        """Whether the export has a readable row in the period. Without one (UPP070) the
        actuals to date, the forecasts, the deviations and the equity at year end are not
        known: every report shows them as :data:`NO_DATA` with :attr:`no_data_reason`, never
        as 0 kr or as the whole budget under."""
        return self.reconciliation.in_period > 0

    @property
    def no_data_reason(self) -> str:
        """Why the report has no actuals, forecast or deviation, in Swedish ("" if it has)."""
        if self.has_data:
            return ""
        rec = self.reconciliation
        return (
            f"Exporten har ingen läsbar rad i perioden {rec.start}–{rec.end}, så utfall, "
            "prognos och avvikelse är okända för varje rad och summa (ingen uppgift); "
            "väntat hittills är budgetens."
        )

    @property
    def baseline_title(self) -> str:
        return "Reviderad budget" if self.baseline == "revised" else "Antagen budget"

    @property
    def year_end_equity(self) -> int:
        """Opening + income − costs, by the equity policy (figures.equity); the room is not
        assumed spent here: the forecast comes from the actuals, which show what was spent."""
        return equity.closing(self.equity_in, self.income_forecast, self.costs_forecast)

    @property
    def result(self) -> int:
        return self.income_forecast - self.costs_forecast

    @property
    def budget_result(self) -> int:
        """The year's result in the budget: its income less its costs, equity left out."""
        return self.budget_surplus - self.equity_in


def months_elapsed(until: date) -> Decimal:
    """Whole months before ``until``'s month plus the part of its month that has passed."""
    days = calendar.monthrange(until.year, until.month)[1]
    return Decimal(until.month - 1) + Decimal(until.day) / Decimal(days)


def _expected_share(profile: list[int] | None, elapsed: Decimal, month: int) -> Decimal:
    """Share of the year's budget due by now: evenly by elapsed time, or by the profile's
    months up to and including the current one (a payment due in the month counts)."""
    if not profile:
        return elapsed / 12
    done = sum(1 for m in profile if m <= month)
    return Decimal(done) / len(profile)


Baseline = Literal["adopted", "revised"]


def followup(
    plan: Plan,
    imported: Import,
    plan_id: str = "plan",
    until: date | None = None,
    baseline: Baseline = "revised",
    source: SourceMap | None = None,
) -> Followup:
    """The year followed up against the latest revised budget (``baseline="revised"``, the
    default, when the plan records decisions) or the adopted one; both are shown. With the
    plan's ``source`` its warnings about budget lines and equity get their place in the plan
    file; those about the export have the export's file and row."""
    year_col = plan.plan_column()
    if year_col is None:
        raise FollowupError(f"planen saknar budgetplan för {plan.year}")
    until = _until(plan, imported, until)
    revised = revise(plan)
    budget = revised.budget if revised else compute(plan)
    use_revised = revised is not None and baseline == "revised"
    rec = reconcile(imported, date(plan.year, 1, 1), until)
    year = _Year(
        plan.actuals,
        until,
        months_elapsed(until),
        revised.key if revised is not None and use_revised else year_col.key,
        year_col.key,
        revised.key if revised else None,
        _by_line(rec),
    )
    lines = [year.line(t.id, row) for t in budget.tables for row in t.rows if _followed(t.id, row)]
    groups = _groups(plan, lines, revised is not None)
    unmapped_actual = round_kronor(sum((r.amount for r in rec.unmapped), Decimal(0)))
    t = budget.totals[year.key]
    ceiling, ceiling_share = equity.equity_ceiling(plan.policy.equity_ceiling, t.contributions)
    result = Followup(
        plan_id,
        plan,
        plan.year,
        until,
        year.elapsed,
        lines,
        groups,
        imported,
        rec,
        unmapped_actual,
        t.equity,
        groups[0].forecast,  # income
        sum(g.forecast for g in groups[1:]) + unmapped_actual,  # costs
        t.surplus,
        ceiling,
        t.contributions,
        ceiling_share,
    )
    result.baseline = "revised" if use_revised else "adopted"
    result.decisions = tuple(plan.revisions) if revised else ()
    result.warnings = _placed(_warnings(result), source)
    return result


def _followed(table_id: str, row: Row) -> bool:
    """Every cost line, and the income that is paid in (contributions and other income)."""
    return table_id != "income" or row.kind in ("contribution", "other")


def _placed(found: list[Finding], source: SourceMap | None) -> list[Finding]:
    """Findings with a path in the plan, given their file, line and column."""
    if source is None:
        return found
    return [source.place(f) if f.path and f.file is None else f for f in found]


def _line_path(plan: Plan, line_id: str | None) -> Path:
    """Where a budget line's amount for the plan year stands in the plan file."""
    col = plan.plan_column()
    key: tuple[str, ...] = ("amounts", col.key) if col is not None else ()
    for i, inc in enumerate(plan.income):
        if line_id is not None and inc.id == line_id:
            return ("income", i, *key)
    for group in plan.groups:
        for i, line in enumerate(plan.group_lines(group.id)):
            if line_id is not None and line.id == line_id:
                return ("costs", group.id, i, *key)
    return ()


def _equity_path(plan: Plan) -> Path:
    """The plan's equity line (its amount for the plan year), else nothing."""
    col = plan.plan_column()
    for i, inc in enumerate(plan.income):
        if inc.kind == "equity":
            return ("income", i, "amounts", col.key) if col is not None else ("income", i)
    return ()


def _until(plan: Plan, imported: Import, until: date | None) -> date:
    """The day followed up to: as given, else the export's last day in the plan year, else
    the year's end; a day outside the plan year is an error."""
    in_year = [r.date for r in imported.rows if r.date.year == plan.year]
    until = until or max(in_year, default=date(plan.year, 12, 31))
    if until.year != plan.year:
        raise FollowupError(f"--until {until} ligger inte i planåret {plan.year}")
    return until


def _by_line(rec: Reconciliation) -> dict[str, list[ActualRow]]:
    by_line: dict[str, list[ActualRow]] = {}
    for r in rec.mapped:
        assert r.line is not None
        by_line.setdefault(r.line, []).append(r)
    return by_line


@dataclass(frozen=True)
class _Year:
    """What every line of the follow-up is measured with: how the export is read, the day
    followed up to, the budget compared against and the export's rows per line."""

    cfg: Actuals
    until: date
    elapsed: Decimal
    key: str  # the baseline's column: the revised budget, or the adopted one
    adopted: str
    revised: str | None
    by_line: dict[str, list[ActualRow]]

    def line(self, table_id: str, row: Row) -> LineResult:
        """One budget line: its outcome so far, what was expected by now, and the forecast
        for the whole year (``run_rate`` from the pace so far, else what remains of the
        budget added to the outcome)."""
        found = self.by_line.get(row.id or "", [])
        raw = sum((r.amount for r in found), Decimal(0))
        sign = -1 if table_id == "income" and self.cfg.income_negative else 1
        actual = round_kronor(raw * sign)
        b = row.amounts[self.key]
        share = _expected_share(self.cfg.profiles.get(row.id or ""), self.elapsed, self.until.month)
        expected = round_kronor(b * share)
        method = self.cfg.forecast.get(row.id or "", "remaining")
        forecast = full_year(method, table_id == "income", actual, b, expected, self.elapsed)
        return LineResult(
            table_id,
            row.id,
            row.label,
            b,
            actual,
            expected,
            forecast,
            method,
            len(found),
            row.amounts[self.adopted],
            row.amounts[self.revised] if self.revised else None,
        )


def full_year(
    method: str, income: bool, actual: int, budget: int, expected: int, elapsed: Decimal
) -> int:
    """A line's full-year forecast from its outcome so far.

    A cost: ``run_rate`` keeps the pace so far; ``remaining`` adds what is left of the budget
    after what was expected by now. An income is paid by its payer's schedule, often ahead
    of an even pace (the state's whole contribution in April): it is forecast as what has
    come in plus what is still due by the budget, never extrapolated past the budget; only
    income beyond the budget already received is more than the budget. An income behind its
    schedule is forecast short by what was due and has not come (``remaining``) or by its
    pace (``run_rate``)."""
    if method == "run_rate" and elapsed > 0:
        pace = round_kronor(Decimal(actual) * 12 / elapsed)
        return min(pace, max(actual, budget)) if income else pace
    if income:
        return actual + max(0, budget - max(actual, expected))
    return actual + max(0, budget - expected)


def _groups(plan: Plan, lines: list[LineResult], revised: bool) -> list[GroupResult]:
    """Income, then each cost group: the sums of their lines."""
    groups = []
    for gid in ("income", *(g.id for g in plan.groups)):
        members = [ln for ln in lines if ln.group == gid]
        sums = {
            name: sum(getattr(ln, name) for ln in members)
            for name in ("budget", "actual", "expected", "forecast", "adopted")
        }
        groups.append(
            GroupResult(
                gid,
                total_title(plan, gid),
                **sums,
                revised=sum(ln.revised or 0 for ln in members) if revised else None,
            )
        )
    return groups


def _warnings(f: Followup) -> list[Finding]:
    """The equity at year end first (what the board must act on), unless the export has no
    row in the period at all (then there is nothing to follow up, and that comes first);
    then the rows outside the period, the lines past the threshold, the unmapped rows and
    the reconciliation."""
    period = _period_findings(f)
    empty = [w for w in period if w.code == "UPP070"]
    equity_end = _equity(f) if f.has_data else []  # unknown without a row in the period
    return empty + equity_end + [w for w in period if w.code != "UPP070"] + _export_findings(f)


def _export_findings(f: Followup) -> list[Finding]:
    out: list[Finding] = []
    if f.reconciliation.in_period:
        out += _deviations(f)
    rec = f.reconciliation
    if rec.unmapped:
        out.append(
            Finding(
                "UPP030",
                Severity.WARNING,
                (
                    f"{counted(len(rec.unmapped), 'rad')} i exporten hör inte till någon budgetrad "
                    f"(netto {format_kronor(f.unmapped_actual)} kr); lägg till regler i "
                    "actuals.mapping"
                ),
                file=f.imported.file,
                line=min(r.row for r in rec.unmapped),
                figures={"rows": len(rec.unmapped), "amount": f.unmapped_actual},
            )
        )
    difference = _difference(f)
    if difference is not None:
        out.append(difference)
    return out


def _equity(f: Followup) -> list[Finding]:
    """UPP050 (over the ceiling) and UPP060 (negative) for the equity at year end."""
    out = []
    if f.year_end_equity > f.ceiling:
        out.append(
            Finding(
                "UPP050",
                Severity.WARNING,
                (
                    f"eget kapital vid årets slut väntas bli "
                    f"{format_kronor(f.year_end_equity)} kr, "
                    f"{format_kronor(f.year_end_equity - f.ceiling)} kr över taket "
                    f"{format_kronor(f.ceiling)} kr"
                ),
                path=_equity_path(f.plan),
                figures={"equity": f.year_end_equity, "ceiling": f.ceiling},
            )
        )
    if f.year_end_equity < 0:
        out.append(
            Finding(
                "UPP060",
                Severity.ERROR,
                (
                    f"prognosen ger ett negativt eget kapital vid årets slut: "
                    f"{format_kronor(f.year_end_equity)} kr"
                ),
                path=_equity_path(f.plan),
                figures={"equity": f.year_end_equity},
            )
        )
    return out


def _deviations(f: Followup) -> list[Finding]:
    """UPP010 and UPP020: actuals without budget, forecasts past the plan's threshold."""
    cfg = f.plan.actuals
    out = []
    for ln in f.lines:
        dev = ln.deviation
        if ln.budget == 0 and ln.actual != 0:
            out.append(
                Finding(
                    "UPP010",
                    Severity.WARNING,
                    (f"{ln.label}: utfall {format_kronor(ln.actual)} kr utan budget för {f.year}"),
                    path=_line_path(f.plan, ln.id),
                    figures={"line": ln.id, "actual": ln.actual},
                )
            )
            continue
        off = share_of(abs(dev), ln.budget)
        if off is None or abs(dev) < cfg.min_deviation or off <= cfg.threshold:
            continue
        out.append(
            Finding(
                "UPP020",
                Severity.WARNING,
                _deviation_text(ln, dev, off),
                path=_line_path(f.plan, ln.id),
                figures={
                    "line": ln.id,
                    "budget": ln.budget,
                    "forecast": ln.forecast,
                    "deviation": dev,
                },
            )
        )
    return out


def _deviation_text(ln: LineResult, dev: int, off: Decimal) -> str:
    """UPP020 in words: a cost over or under its budget, an income higher or lower than
    budgeted (what has come in, against what was due by now)."""
    amount = f"{format_kronor(abs(dev))} kr ({format_share(off)})"
    if ln.group == "income":
        what = "högre" if dev > 0 else "lägre"
        note = (
            " Pengarna kan behöva omfördelas eller föras till nästa år."
            if dev > 0
            else " Kontrollera inbetalningen med betalaren; överväg att begränsa kostnaderna."
        )
        return (
            f"{ln.label}: intäkten för helåret väntas bli {format_kronor(ln.forecast)} kr, "
            f"{amount} {what} än budget {format_kronor(ln.budget)} kr; hittills inbetalt "
            f"{format_kronor(ln.actual)} kr mot väntat {format_kronor(ln.expected)} kr." + note
        )
    what = "över" if dev > 0 else "under"
    note = (
        " Överväg att omfördela eller begränsa."
        if dev > 0
        else " Pengarna kan behöva omfördelas eller föras till nästa år."
    )
    return (
        f"{ln.label}: prognosen för helåret {format_kronor(ln.forecast)} kr är {amount} "
        f"{what} budget {format_kronor(ln.budget)} kr; hittills {format_kronor(ln.actual)} kr "
        f"mot väntat {format_kronor(ln.expected)} kr." + note
    )


def _period_findings(f: Followup) -> list[Finding]:
    """UPP070 when no row of the export is in the period; UPP080 for rows outside it."""
    rec = f.reconciliation
    out = []
    period = f"{rec.start}–{rec.end}"
    if not rec.in_period:
        dated = rec.before + rec.after
        seen = (
            f"; exportens rader är daterade {min(r.date for r in dated)}–"
            f"{max(r.date for r in dated)}"
            if dated
            else ""
        )
        out.append(
            Finding(
                "UPP070",
                Severity.ERROR,
                f"exporten har ingen läsbar rad i perioden {period}{seen}; utfall, prognos, "
                "avvikelse och eget kapital vid årets slut är okända (ingen uppgift)",
                file=f.imported.file,
                figures={"start": str(rec.start), "end": str(rec.end)},
            )
        )
    for side, rows, word in (("before", rec.before, "före"), ("after", rec.after, "efter")):
        if not rows:
            continue
        other_year = any(r.date.year != f.year for r in rows)
        one = len(rows) == 1
        out.append(
            Finding(
                "UPP080",
                Severity.WARNING if other_year else Severity.INFO,
                (
                    f"{counted(len(rows), 'rad')} {'daterad' if one else 'daterade'} {word} "
                    f"perioden {period} "
                    f"({min(r.date for r in rows)}–{max(r.date for r in rows)}, summa "
                    f"{format_ore(sum((r.amount for r in rows), Decimal(0)))} kr) ingår inte i "
                    "utfallet"
                    + (
                        f"; {'den' if one else 'de'} hör till ett annat år än {f.year}"
                        if other_year
                        else ""
                    )
                ),
                file=f.imported.file,
                line=min(r.row for r in rows),
                figures={"side": side, "rows": len(rows)},
            )
        )
    return out


def _difference(f: Followup) -> Finding | None:
    """UPP040: the export's own total against every amount read, with the reasons."""
    rec = f.reconciliation
    diff = rec.difference
    if diff is None or diff == 0:
        return None
    reasons = []
    if rec.unknown:
        reasons.append(f"{counted(rec.unknown, 'rad')} vars belopp inte kunde läsas")
    unbalanced = [n for n in f.imported.notes if n.code == "SIE003"]
    if unbalanced:
        reasons.append(f"{len(unbalanced)} verifikationer som inte balanserar")
    declared = rec.declared if rec.declared is not None else Decimal(0)
    what = (
        "verifikationernas summa (ska vara 0)"
        if f.imported.kind == "sie"
        else f"exportens summa (rad {rec.declared_row})"
    )
    return Finding(
        "UPP040",
        Severity.ERROR,
        (
            f"{what} {format_ore(declared)} kr stämmer inte med inlästa rader "
            f"{format_ore(rec.counted)} kr: "
            f"differens {format_ore(diff)} kr, " + (" och ".join(reasons) or "okänd orsak")
        ),
        file=f.imported.file,
        line=rec.declared_row,
        figures={"difference": str(diff)},
    )
