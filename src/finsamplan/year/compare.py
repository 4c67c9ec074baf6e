"""Many plans in one table: one row per förbund and plan year, with median and spread.

A region that sits in several förbund (seed 000: efficient administration, scalability,
shared knowledge) compares them on the plan year's figures: contributions, the state's
share, the administration share, the share going to insatser, equity against its ceiling,
room for new activity, number of insatser, findings, and criteria met when a profile is
given. Plans are loaded and checked in parallel when there are many.
"""

from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.base.money import round_kronor, share_of
from finsamplan.judge.status import COUNT_LABELS, MARKS

if TYPE_CHECKING:
    from finsamplan.judge.profiles import Profile

COUNTED = ("met", "not_met", "not_documented")  # the verdicts compare counts per förbund

COLUMNS: dict[str, str] = {
    "contributions": "Medlemsavgifter",
    "state_share": "Statens andel",
    "admin_share": "Administration",
    "insats_share": "Till insatser",
    "equity": "Eget kapital vid årets slut",
    "ceiling": "Tak",
    "equity_over": "Över taket",
    "room": "Utrymme",
    "insatser": "Insatser",
    "errors": "Fel",
    "warnings": "Varningar",
    "infos": "Info",
    **{f"criteria_{s}": f"Kriterier {COUNT_LABELS[s]}" for s in COUNTED},
}
SHORT: dict[str, str] = {
    "contributions": "Avgifter",
    "state_share": "Stat",
    "admin_share": "Adm.",
    "insats_share": "Insatser",
    "equity": "EK slut",
    "ceiling": "Tak",
    "equity_over": "Över tak",
    "room": "Utrymme",
    "insatser": "Antal",
    "errors": "Fel",
    "warnings": "Varn.",
    "infos": "Info",
    **{f"criteria_{s}": f"Krit. {MARKS[s]}" for s in COUNTED},
}
SHARES = {"state_share", "admin_share", "insats_share"}


TERMINAL = [
    "contributions",
    "admin_share",
    "insats_share",
    "equity_over",
    "room",
    "insatser",
    "errors",
    "warnings",
    "criteria_met",
    "criteria_not_met",
    "criteria_not_documented",
]


@dataclass
class Row:
    plan_id: str
    file: str
    forbund: str
    year: int
    short_name: str = ""
    values: dict[str, int | Decimal | None] = field(default_factory=dict)
    problems: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return bool(self.values)


@dataclass
class Comparison:
    rows: list[Row]
    columns: list[str]
    unreadable: list[Row]

    def stats(self, column: str) -> dict[str, Any] | None:
        """Median, lowest, highest and spread of a column over the readable plans.

        Kronor and counts are whole numbers, and so is their median: the median of an even
        number of plans (120 000 and 120 001) is rounded once, half up, to 120 001, so that
        every format shows and writes the same whole number. A share's median is exact.
        """
        values = [v for r in self.rows if (v := r.values.get(column)) is not None]
        if not values:
            return None
        if column in SHARES:
            shares = [Decimal(v) for v in values]
            low, high = min(shares), max(shares)
            return {
                "median": statistics.median(shares),
                "min": low,
                "max": high,
                "spread": high - low,
            }
        whole = [int(v) for v in values]
        median = round_kronor(statistics.median(Decimal(v) for v in whole))
        return {
            "median": median,
            "min": min(whole),
            "max": max(whole),
            "spread": max(whole) - min(whole),
        }


def _row(path: Path, profile: Profile | None = None) -> Row:
    from finsamplan.figures import equity
    from finsamplan.figures.budget import compute
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import load_plan

    loaded = load_plan(path)
    if loaded.plan is None:
        return Row(path.stem, str(path), "", 0, problems=loaded.findings)
    plan = loaded.plan
    budget = compute(plan)
    found = validate(loaded, budget)
    column = plan.plan_column()
    row = Row(
        loaded.id,
        str(path),
        plan.forbund.name,
        plan.year,
        plan.forbund.short_name or plan.forbund.name,
    )
    if column is None:
        row.problems = [f for f in found if f.code == "FIN070"]
        return row
    t = budget.totals[column.key]
    ceiling, _ = equity.equity_ceiling(plan.policy.equity_ceiling, t.contributions)
    left = equity.carried(plan, t.surplus, t.reserve, column).amount  # as validate reads it

    row.values = {
        "contributions": t.contributions,
        "state_share": share_of(t.state, t.contributions),
        "admin_share": t.admin_share,
        "insats_share": share_of(t.insatser, t.costs),
        "equity": left,
        "ceiling": ceiling,
        "equity_over": max(0, left - ceiling),  # under the ceiling is 0, never negative
        "room": t.room,
        "insatser": sum(1 for a in plan.activities if a.kind != "verksamhet"),
        "errors": sum(f.severity is Severity.ERROR for f in found),
        "warnings": sum(f.severity is Severity.WARNING for f in found),
        "infos": sum(f.severity is Severity.INFO for f in found),
    }
    if profile is not None:
        from finsamplan.judge.criteria import check

        counts = check(plan, profile, loaded.id, budget=budget).counts()
        for status in COUNTED:
            row.values[f"criteria_{status}"] = counts[status]
    return row


def _rows_worker(args: tuple[list[str], Any]) -> list[Row]:
    paths, profile = args
    return [_row(Path(p), profile) for p in paths]


class UnknownSort(FinsamplanError, LookupError):
    """``--sort`` names no column of the comparison (exit 2)."""


def compare(
    paths: list[Path],
    profile: Profile | None = None,
    sort: str | None = None,
    descending: bool = False,
    jobs: int | None = None,
) -> Comparison:
    """Load, check and measure every plan; in worker processes when there are many."""
    jobs = jobs if jobs is not None else (os.cpu_count() or 1)
    if jobs > 1 and len(paths) >= 200:
        from concurrent.futures import ProcessPoolExecutor

        chunks = [[str(p) for p in paths[i::jobs]] for i in range(jobs)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            parts = list(pool.map(_rows_worker, [(c, profile) for c in chunks]))
        by_file = {r.file: r for part in parts for r in part}
        rows = [by_file[str(p)] for p in paths]
    else:
        rows = [_row(p, profile) for p in paths]
    readable = [r for r in rows if r.readable]
    columns = [c for c in COLUMNS if any(c in r.values for r in readable)]
    if sort is not None:
        if sort not in columns and sort not in ("forbund", "year", "plan"):
            names = ", ".join([*COLUMNS, "forbund", "year", "plan"])
            raise UnknownSort(f"--sort {sort}: välj en av {names}")

        def key(r: Row) -> tuple[int, Any]:
            if sort in ("forbund", "plan", "year"):
                value = {"forbund": r.forbund, "plan": r.plan_id, "year": r.year}[sort]
                return (0, value)
            v = r.values.get(sort)
            return (1, 0) if v is None else (0, v)

        readable.sort(key=key, reverse=descending)
    return Comparison(readable, columns, [r for r in rows if not r.readable])
