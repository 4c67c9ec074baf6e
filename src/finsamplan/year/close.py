"""`finsamplan close`: the year's result and the real closing equity, for the bokslut.

The year-end export is read as for the follow-up (CSV, XLSX or SIE 4, every row accounted
for) and followed up to 31 December: per line the budget and the year's actuals. The year's
result is the income minus the costs (unmapped rows on result accounts included, as costs
with their sign; rows on balance accounts and the booking of the result itself, BAS 8999, are
not); the closing equity is the opening equity plus the result. The opening
equity is the real one when it is known: ``--opening-equity``, else the SIE file's opening
balances (``#IB``) of the equity accounts; otherwise the budget's, said so (BOK010). With a
SIE file the closing balances (``#UB``) of the equity accounts are checked against it.

``close --write`` records the close beside the plan file, ``PLAN.bokslut.json``, never
changing the plan itself; :func:`closed_equity` (``year.closing``) reads it for the next
year's plan (``new``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path

from finsamplan.base.findings import Finding, Severity
from finsamplan.base.money import format_kronor as kr
from finsamplan.base.money import format_share, round_kronor
from finsamplan.figures import sie as siefile
from finsamplan.figures.actuals import (
    SIE_SUFFIXES,
    ActualRow,
    Import,
    account_matches,
    apply_mapping,
    read_bytes,
    read_data,
)
from finsamplan.plan.model import Actuals, Plan
from finsamplan.plan.yamlsource import SourceMap
from finsamplan.year.closing import ClosedYear, OpeningSource, closed_equity, closing_path
from finsamplan.year.followup import Baseline, Followup, followup

__all__ = ["Close", "ClosedYear", "Export", "close", "closed_equity", "closing_path", "paragraph"]

EQUITY_ACCOUNTS = ("2010-2099",)
"""Eget kapital in the BAS chart of accounts (class 20), as ``actuals.mapping`` writes ranges."""
KEPT = ("UPP010", "UPP030", "UPP040", "UPP070", "UPP080")
"""The follow-up's findings that concern a closed year too (not its forecasts)."""


@dataclass(frozen=True)
class Export:
    """The year-end export as read: the rows, and the SIE file when it is one."""

    imported: Import
    sie: siefile.SieFile | None
    sha256: str


def read_export(path: Path, config: Actuals) -> Export:
    """Read and map the export; raises ``ImportError_`` when it cannot be read at all."""
    data = read_bytes(path)
    display = str(path)
    sie = None
    if Path(display).suffix.lower() in SIE_SUFFIXES or data.lstrip()[:7] == b"#FLAGGA":
        sie = siefile.parse(data, display)
        imported = siefile.to_import(sie, config)
    else:
        imported = read_data(data, display, config)
    imported = apply_mapping(imported, config.mapping)
    imported.rows = [_balance(r) for r in imported.rows]
    return Export(imported, sie, hashlib.sha256(data).hexdigest())


RESULT_BOOKING = "8999"
"""BAS: *Årets resultat*, where the year's result is booked against equity (2099)."""


def _balance(row: ActualRow) -> ActualRow:
    """An unmapped row on a balance-sheet account (BAS classes 1 and 2) is no cost: it is
    kept apart from the result, as SIE rows on such accounts already are. So is the booking
    of the year's result itself (BAS 8999), which would otherwise cancel the result."""
    outside = row.account[:1] in ("1", "2") or row.account == RESULT_BOOKING
    if row.line is None and not row.balance and outside:
        return replace(row, balance=True)
    return row


@dataclass
class Close:
    """The closed year: the follow-up to 31 December and the equity it leaves."""

    followup: Followup
    opening_equity: int
    opening_source: OpeningSource
    ceiling: int
    ceiling_share: Decimal
    contributions: int  # the budget's, which the ceiling is a share of
    ledger_equity: int | None = None  # −Σ #UB of the equity accounts, when SIE gives it
    equity_accounts: tuple[str, ...] = EQUITY_ACCOUNTS
    export_sha256: str = ""
    warnings: list[Finding] = field(default_factory=list)

    @property
    def plan(self) -> Plan:
        return self.followup.plan

    @property
    def year(self) -> int:
        return self.followup.year

    @property
    def income(self) -> int:
        return self.followup.groups[0].actual

    @property
    def costs(self) -> int:
        return sum(g.actual for g in self.followup.groups[1:]) + self.followup.unmapped_actual

    @property
    def result(self) -> int:
        return self.income - self.costs

    @property
    def closing_equity(self) -> int:
        return self.opening_equity + self.result

    @property
    def budget_income(self) -> int:
        return self.followup.groups[0].budget

    @property
    def budget_costs(self) -> int:
        return sum(g.budget for g in self.followup.groups[1:])

    @property
    def budget_result(self) -> int:
        return self.budget_income - self.budget_costs

    @property
    def budget_opening(self) -> int:
        return self.followup.equity_in

    @property
    def budget_closing(self) -> int:
        return self.followup.budget_surplus


def close(
    plan: Plan,
    export: Export,
    plan_id: str = "plan",
    opening_equity: int | None = None,
    baseline: Baseline = "revised",
    equity_accounts: tuple[str, ...] = EQUITY_ACCOUNTS,
    source: SourceMap | None = None,
) -> Close:
    """The year closed: raises ``FollowupError`` when the plan has no budget for its year.
    With the plan's ``source`` the follow-up's warnings get their places in the plan file."""
    end = date(plan.year, 12, 31)
    fu = followup(plan, export.imported, plan_id, end, baseline, source)  # the baseline's ceiling
    origin: OpeningSource = "option"
    if opening_equity is None:
        opening_equity, origin = _opening(export.sie, equity_accounts, fu.equity_in)
    result = Close(fu, opening_equity, origin, fu.ceiling, fu.ceiling_share, fu.contributions)
    result.equity_accounts = equity_accounts
    result.export_sha256 = export.sha256
    result.ledger_equity = _ledger_closing(export.sie, equity_accounts)
    result.warnings = [w for w in fu.warnings if w.code in KEPT] + _findings(result)
    return result


def _opening(
    sie: siefile.SieFile | None, accounts: tuple[str, ...], budgeted: int
) -> tuple[int, OpeningSource]:
    """The ledger's opening equity (−Σ ``#IB``, credit negative), else the budget's."""
    if sie is not None:
        found = [
            amount
            for (year, account), (amount, _) in sie.opening.items()
            if year == 0 and any(account_matches(a, account) for a in accounts)
        ]
        if found:
            return round_kronor(-sum(found, Decimal(0))), "sie"
    return budgeted, "budget"


def _ledger_closing(sie: siefile.SieFile | None, accounts: tuple[str, ...]) -> int | None:
    if sie is None or not any(y == 0 for y, _ in sie.closing):
        return None
    return round_kronor(siefile.closing_balances(sie, accounts, 0).equity)


def _findings(c: Close) -> list[Finding]:
    """BOK010–BOK050: where the figures come from, and what they say."""
    out: list[Finding] = []
    if c.opening_source == "budget":
        out.append(
            Finding(
                "BOK010",
                Severity.WARNING,
                f"ingående eget kapital {kr(c.opening_equity)} kr är budgetens, inte "
                "bokslutets: ange --opening-equity eller använd en SIE-fil med ingående "
                "balanser (#IB) så att eget kapital vid årets slut blir det verkliga",
                figures={"opening_equity": c.opening_equity},
            )
        )
    out += _ledger_check(c)
    if c.closing_equity < 0:
        out.append(
            Finding(
                "BOK040",
                Severity.ERROR,
                f"eget kapital vid årets slut är negativt: {kr(c.closing_equity)} kr. Det "
                "som tillgångarna inte täcker täcker medlemmarna i samma proportioner som "
                "de finansierar förbundet (lag (2003:1210) 22 §)",
                figures={"equity": c.closing_equity},
            )
        )
    elif c.closing_equity > c.ceiling:
        out.append(
            Finding(
                "BOK030",
                Severity.WARNING,
                f"eget kapital vid årets slut {kr(c.closing_equity)} kr är "
                f"{kr(c.closing_equity - c.ceiling)} kr över taket {kr(c.ceiling)} kr "
                f"({format_share(c.ceiling_share, 0)} av medlemsbidragen "
                f"{kr(c.contributions)} kr; trappans steg är inte bekräftade)",
                figures={"equity": c.closing_equity, "ceiling": c.ceiling},
            )
        )
    in_year = [r.date for r in c.followup.imported.rows if r.date.year == c.year]
    if in_year and max(in_year).month < 12:
        out.append(
            Finding(
                "BOK050",
                Severity.WARNING,
                f"exportens sista rad i {c.year} är från {max(in_year)}: är det hela årets "
                "bokföring?",
                figures={"last": str(max(in_year))},
            )
        )
    return out


def _ledger_check(c: Close) -> list[Finding]:
    """The SIE file's closing balances of the equity accounts against the computed equity."""
    ledger = c.ledger_equity
    if ledger is None or ledger == c.closing_equity:
        return []
    accounts = ", ".join(c.equity_accounts)
    if ledger == c.opening_equity:
        return [
            Finding(
                "BOK020",
                Severity.INFO,
                f"utgående balanser (#UB) på kontona {accounts} ger {kr(ledger)} kr, det "
                "ingående eget kapitalet: årets resultat är ännu inte bokfört mot eget kapital",
                figures={"ledger": ledger, "closing_equity": c.closing_equity},
            )
        ]
    return [
        Finding(
            "BOK020",
            Severity.WARNING,
            f"utgående balanser (#UB) på kontona {accounts} ger {kr(ledger)} kr, men "
            f"ingående eget kapital och årets resultat ger {kr(c.closing_equity)} kr "
            f"(skillnad {kr(ledger - c.closing_equity, sign=True)} kr). Kontrollera bokningar "
            "direkt mot eget kapital, omappade rader och om resultatet redan är bokfört "
            "(t.ex. konto 8999)",
            figures={
                "ledger": ledger,
                "closing_equity": c.closing_equity,
                "difference": ledger - c.closing_equity,
            },
        )
    ]


def _amount(value: int) -> str:
    return f"{kr(value)} kr"


def _result_words(value: int) -> str:
    if value < 0:
        return f"ett underskott på {_amount(-value)}"
    return f"ett överskott på {_amount(value)}" if value else "ett nollresultat"


def paragraph(c: Close) -> str:
    """The figures of the year for the förvaltningsberättelse, as one paragraph."""
    budget = "den reviderade budgeten" if c.followup.baseline == "revised" else "budgeten"
    text = (
        f"Förbundets intäkter {c.year} uppgick till {_amount(c.income)} "
        f"({_amount(c.budget_income)} enligt {budget}) och kostnaderna till "
        f"{_amount(c.costs)} ({_amount(c.budget_costs)}). Årets resultat blev "
        f"{_result_words(c.result)}, mot budgeterat {_result_words(c.budget_result)}. "
        f"Eget kapital vid årets slut uppgick till {_amount(c.closing_equity)} "
        f"({_amount(c.opening_equity)} vid årets början), att jämföra med "
        f"{_amount(c.budget_closing)} enligt {budget}. Taket för eget kapital är "
        f"{_amount(c.ceiling)} ({format_share(c.ceiling_share, 0)} av medlemsbidragen)"
    )
    if c.closing_equity > c.ceiling:
        return text + f"; eget kapital är {_amount(c.closing_equity - c.ceiling)} över taket."
    return text + f"; eget kapital är {_amount(c.ceiling - c.closing_equity)} under taket."
