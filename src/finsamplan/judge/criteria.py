"""Insatser judged against a region's criteria: profiles as data, verdicts with evidence.

A profile (``criteria/skane.yaml`` ships with finsamplan) lists criteria; each names the
*facts* in a plan that satisfy it (``requires``), its severity and the question a board
member should ask when it is missing. A fact is met when the plan states it, in its own
words, and does not itself say the point is unmet (``met: false``). Each verdict carries
the evidence quoted from the plan, or the reason it is missing and where in the YAML the
data belongs.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Literal

from pydantic import Field

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.inputs import InputError, read_input
from finsamplan.base.money import format_kronor, format_share
from finsamplan.figures.budget import Budget, compute
from finsamplan.plan.model import (
    Activity,
    ActivityKind,
    Base,
    Checkpoint,
    Identifier,
    Markdown,
    Plan,
    Share,
    Statement,
    Text,
)
from finsamplan.plan.yamlsource import SourceMap

InsatsFact = Literal[
    "parties",
    "friction",
    "not_core",
    "scalability",
    "operations",
    "implementation",
    "successor",
    "timeline",
    "budget",
    "indicators",
    "evaluation",
    "checkpoints",
    "exit_condition",
]
PlanFact = Literal["activities_share", "admin_share", "cooperation", "networks"]
PLAN_FACTS = {"activities_share", "admin_share", "cooperation", "networks"}


_DEFAULT_KINDS: tuple[ActivityKind, ...] = ("projekt", "utvecklingsinsats")


class Criterion(Base):
    id: Identifier
    title: Text
    level: Literal["insats", "plan"] = "insats"
    requires: list[InsatsFact | PlanFact] = Field(min_length=1)
    severity: Literal["error", "warning", "info"] = "warning"
    explanation: Markdown | None = None
    question: Text | None = None
    applies_to: list[ActivityKind] = Field(
        default_factory=lambda: list(_DEFAULT_KINDS),
        description="Vilka slags insatser kriteriet gäller.",
    )
    min_share: Share | None = None
    max_share: Share | None = None


class Profile(Base):
    format: Literal[1]
    name: Text
    source: Text | None = None
    criteria: list[Criterion] = Field(min_length=1)


Status = Literal["met", "missing", "not_applicable"]
STATUS_LABELS = {"met": "uppfyllt", "missing": "saknas", "not_applicable": "ej tillämpligt"}


@dataclass(frozen=True)
class Verdict:
    criterion: Criterion
    status: Status
    evidence: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    path: Path = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None

    @property
    def location(self) -> str:
        if self.line is None:
            return self.file or ""
        return f"{self.file}:{self.line}:{self.column}"


@dataclass
class InsatsResult:
    activity: Activity
    index: int
    verdicts: list[Verdict] = field(default_factory=list)


@dataclass
class CheckResult:
    plan_id: str
    plan: Plan
    profile: Profile
    insatser: list[InsatsResult]
    plan_verdicts: list[Verdict]
    due: list[tuple[Activity, Checkpoint]]

    def failing(self) -> list[Verdict]:
        all_verdicts = [v for r in self.insatser for v in r.verdicts] + self.plan_verdicts
        return [
            v for v in all_verdicts if v.status == "missing" and v.criterion.severity == "error"
        ]


class ProfileError(ValueError):
    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("; ".join(f.format() for f in findings))
        self.findings = findings


def builtin_profiles() -> list[str]:
    from finsamplan.plan.catalog import data_dir

    return sorted(p.stem for p in data_dir("criteria").glob("*.yaml"))


def load_profile(name: str) -> Profile:
    """A shipped profile by name (``skane``) or a profile file by path."""
    from finsamplan.plan.catalog import data_dir
    from finsamplan.plan.loader import load_model

    path = FsPath(name)
    if not (name.endswith((".yaml", ".yml")) or "/" in name):
        path = data_dir("criteria") / f"{name}.yaml"
        if not path.is_file():
            raise ProfileError(
                [
                    Finding(
                        "IO001",
                        Severity.ERROR,
                        (
                            f"kriterieprofilen '{name}' finns inte (inbyggda: "
                            f"{', '.join(builtin_profiles())}); ange en fil med --criteria FIL"
                        ),
                    )
                ]
            )
    try:
        data = read_input(path, 1024 * 1024, "en kriterieprofil")
    except InputError as exc:
        raise ProfileError([Finding("IO001", Severity.ERROR, str(exc), file=str(path))]) from None
    profile, _, findings = load_model(data, str(path), Profile)
    if profile is None:
        raise ProfileError(findings)
    return profile


# --- facts --------------------------------------------------------------------------------


def _said(
    statement: Statement | None, what: str, field_name: str
) -> tuple[bool, str | None, str | None, str]:
    if statement is None:
        return False, None, f"planen säger inget om {what}", field_name
    if not statement.met:
        return False, None, f"planen säger själv: ”{_quote(statement.text)}”", field_name
    return True, statement.text, None, field_name


def _quote(text: str) -> str:
    return " ".join(text.split())


def insats_fact(
    fact: str, act: Activity, plan: Plan, budget: Budget, year_key: str
) -> tuple[bool, str | None, str | None, str]:
    """(met, evidence, reason, the decision field where the data belongs)."""
    d = act.decision
    if fact == "budget":
        amount = sum(
            r.amounts.get(year_key, 0)
            for t in budget.tables[1:]
            for r in t.rows
            if r.id in act.lines
        )
        if amount > 0:
            return True, f"budget {plan.year}: {format_kronor(amount)} kr", None, "lines"
        return False, None, f"ingen budgetrad med belopp för {plan.year}", "lines"
    if fact == "timeline":
        period = (
            f"period {act.period.start} – {act.period.end or 'tills vidare'}; "
            if act.period
            else ""
        )
        if d and d.timeline:
            steps = "; ".join(f"{m.date or m.when or ''}: {m.text}" for m in d.timeline)
            return True, period + "delmål: " + steps, None, "decision.timeline"
        return False, None, "ingen tidsplan med delmål (decision.timeline)", "decision.timeline"
    if d is None:
        return False, None, "insatsen saknar beslutsunderlag (decision)", "decision"
    if fact == "parties":
        members = {m.id for m in plan.forbund.members}
        parties = [p for p in dict.fromkeys(d.parties) if p in members]
        if len(parties) >= 2:
            names = ", ".join((plan.member(p) or plan.forbund.members[0]).name for p in parties)
            return True, f"parter: {names}", None, "decision.parties"
        return (
            False,
            None,
            (f"{len(parties)} deltagande part angiven; en insats ska vara mellan minst två parter"),
            "decision.parties",
        )
    if fact in ("friction", "not_core", "scalability", "operations"):
        what = {
            "friction": "samverkansfriktion mellan parterna",
            "not_core": "varför det inte är någon parts kärnuppdrag",
            "scalability": "hur insatsen når hela regionen",
            "operations": "hur insatsen är knuten till ordinarie verksamhet",
        }[fact]
        return _said(getattr(d, fact), what, f"decision.{fact}")
    if fact == "implementation":
        return _said(
            d.implementation, "förutsättningar för implementering", "decision.implementation"
        )
    if fact == "successor":
        if d.implementation and d.implementation.successor:
            return (
                True,
                f"tas över av {d.implementation.successor}",
                None,
                "decision.implementation.successor",
            )
        return False, None, "ingen anges ta över insatsen", "decision.implementation.successor"
    if fact == "indicators":
        if d.follow_up and d.follow_up.indicators:
            return (
                True,
                "indikatorer: " + "; ".join(d.follow_up.indicators),
                None,
                "decision.follow_up.indicators",
            )
        return False, None, "inga indikatorer för uppföljning", "decision.follow_up.indicators"
    if fact == "evaluation":
        said = d.follow_up.evaluation if d.follow_up else None
        if said is not None:
            return _said(said, "utvärdering", "decision.follow_up.evaluation")
        return False, None, "ingen utvärdering angiven", "decision.follow_up.evaluation"
    if fact == "checkpoints":
        if d.checkpoints:
            c = d.checkpoints[0]
            return True, f"{c.date or c.when}: {c.review}", None, "decision.checkpoints"
        return False, None, "inga kontrollpunkter", "decision.checkpoints"
    if fact == "exit_condition":
        with_exit = [c for c in d.checkpoints if c.exit_condition]
        if with_exit:
            return (
                True,
                f"avslutas i förtid om {with_exit[0].exit_condition}",
                None,
                "decision.checkpoints",
            )
        return (
            False,
            None,
            "ingen kontrollpunkt anger villkor för att avsluta i förtid",
            "decision.checkpoints",
        )
    raise ValueError(fact)


def plan_fact(
    fact: str, c: Criterion, plan: Plan, budget: Budget, year_key: str
) -> tuple[bool, str | None, str | None, Path]:
    t = budget.totals[year_key]
    if fact in ("activities_share", "admin_share"):
        part = t.activities if fact == "activities_share" else t.administration
        share = Decimal(part) / Decimal(t.costs) if t.costs else Decimal(0)
        limit = c.min_share if fact == "activities_share" else c.max_share
        what = "insatser" if fact == "activities_share" else "administration"
        text = (
            f"{plan.year}: {what} {format_kronor(part)} kr av {format_kronor(t.costs)} kr "
            f"= {format_share(share)}"
        )
        if limit is None:
            return True, text, None, ("costs",)
        ok = share >= limit if fact == "activities_share" else share <= limit
        bound = "minst" if fact == "activities_share" else "högst"
        return (
            ok,
            text if ok else None,
            None if ok else f"{text}; profilen vill {bound} {format_share(limit, 0)}",
            ("costs",),
        )
    statement = getattr(plan.statements, fact)
    met, evidence, reason, _ = _said(
        statement,
        {
            "cooperation": "samarbete med andra förbund",
            "networks": "deltagande i regionala nätverk",
        }[fact],
        fact,
    )
    return met, evidence, reason, ("statements", fact)


# --- checking -------------------------------------------------------------------------------


def check(
    plan: Plan,
    profile: Profile,
    plan_id: str = "plan",
    source: SourceMap | None = None,
    today: date | None = None,
    within: int = 90,
) -> CheckResult:
    budget = compute(plan)
    year_key = next(
        (c.key for c in plan.columns if c.year == plan.year and c.kind == "budgetplan"),
        plan.column_keys()[0],
    )

    def place(v: Verdict) -> Verdict:
        if source is None:
            return v
        mark = source.locate(v.path, key=True)
        return replace(v, file=source.file, line=mark.line, column=mark.column)

    insatser = []
    for i, act in enumerate(plan.activities):
        result = InsatsResult(act, i)
        for c in profile.criteria:
            if c.level != "insats":
                continue
            if act.kind not in c.applies_to:
                result.verdicts.append(
                    Verdict(
                        c,
                        "not_applicable",
                        reasons=(f"gäller inte insatser av slaget {act.kind}",),
                        path=("activities", i),
                    )
                )
                continue
            evidence, reasons, paths = [], [], []
            for fact in c.requires:
                if fact in PLAN_FACTS:
                    continue
                met, ev, reason, where = insats_fact(fact, act, plan, budget, year_key)
                if met and ev:
                    evidence.append(ev)
                elif not met and reason:
                    reasons.append(reason)
                    paths.append(where)
            where = paths[0] if paths else "decision"
            path: Path = ("activities", i, *where.split("."))
            result.verdicts.append(place(_verdict(c, evidence, reasons, path)))
        insatser.append(result)

    plan_verdicts = []
    for c in profile.criteria:
        if c.level != "plan":
            continue
        evidence, reasons = [], []
        path = ()
        for fact in c.requires:
            if fact not in PLAN_FACTS:
                continue
            met, ev, reason, path = plan_fact(fact, c, plan, budget, year_key)
            if met and ev:
                evidence.append(ev)
            elif reason:
                reasons.append(reason)
        plan_verdicts.append(place(_verdict(c, evidence, reasons, path)))
    today = today or date.today()
    horizon = today + timedelta(days=within)
    due = [
        (act, cp)
        for act in plan.activities
        if act.decision
        for cp in act.decision.checkpoints
        if cp.date and today <= cp.date <= horizon
    ]
    due.sort(key=lambda pair: pair[1].date or today)
    return CheckResult(plan_id, plan, profile, insatser, plan_verdicts, due)


def _verdict(c: Criterion, evidence: list[str], reasons: list[str], path: Path) -> Verdict:
    """Met when nothing is missing; evidence and reasons each said once."""
    return Verdict(
        c,
        "missing" if reasons else "met",
        tuple(dict.fromkeys(evidence)),
        tuple(dict.fromkeys(reasons)),
        path,
    )


def parse_within(text: str) -> int:
    """``90d``, ``12w``, ``3m`` or a bare number of days."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30}
    if text and text[-1] in units and text[:-1].isdigit():
        return int(text[:-1]) * units[text[-1]]
    if text.isdigit():
        return int(text)
    raise ValueError(text)
