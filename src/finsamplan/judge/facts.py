"""The facts a criterion asks of a plan, each read as met, not met or not documented.

A fact is *met* when the plan documents it, *not met* when the plan itself says it is not
(``met: false``) or a figure falls outside its limit, and *not documented* when the plan
says nothing about it: no data is never read as a failure. Evidence is labelled by what it
is: a *quote* is text found word for word in the plan's sections or insats cards, with
the place it stands; a *summary* is decision data in words the plan's text does not
contain; a *fact* is something finsamplan computed (a budget, a share, a period).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from finsamplan.base.findings import Path
from finsamplan.base.money import format_kronor, format_share, share_of
from finsamplan.figures.budget import Budget
from finsamplan.figures.evaluations import evaluations
from finsamplan.judge.fuzzydates import when_range
from finsamplan.judge.plantext import Passage, find_quote, plain, sentences
from finsamplan.judge.profiles import Criterion
from finsamplan.plan.model import Activity, Plan, Statement
from finsamplan.plan.walk import cost_lines

FactStatus = Literal["met", "not_met", "not_documented"]


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence: the words or figure, what kind it is, and where it stands."""

    text: str
    kind: Literal["quote", "summary", "fact"]
    where: str = ""
    keyword: str | None = None
    label: str | None = None  # what the words are about, e.g. a checkpoint's date

    def display(self) -> str:
        head = f"{self.label}: " if self.label else ""
        if self.kind == "quote":
            found = f"; sökord ”{self.keyword}”" if self.keyword else ""
            return f"{head}”{self.text}” ({self.where}{found})"
        if self.kind == "summary":
            return f"{head}sammanfattning ({self.where}): {self.text}"
        return head + self.text


@dataclass(frozen=True)
class FactResult:
    status: FactStatus
    evidence: tuple[Evidence, ...] = ()
    reason: str | None = None
    path: Path = ()  # where in the plan file the data is, or belongs


@dataclass
class Reading:
    """What a fact needs to see: the plan, its budget, its text, the year judged."""

    plan: Plan
    budget: Budget
    passages: list[Passage]
    year_key: str | None  # the plan year's column (Plan.plan_key); None: the plan has none
    places: dict[str, str] = field(default_factory=dict)

    def said(self, text: str, where: str, label: str | None = None) -> Evidence:
        """A text of the plan's decision data: a quote if the plan's text holds it word for
        word, else a summary in the decision data's words."""
        words = " ".join(text.split())
        found = find_quote(text, self.passages)
        if found is not None:
            return Evidence(words, "quote", found.place, label=label)
        return Evidence(words, "summary", where, label=label)


def _statement(
    r: Reading, s: Statement | None, path: Path, field_name: str, what: str
) -> FactResult:
    if s is None:
        return FactResult("not_documented", reason=f"planen säger inget om {what}", path=path)
    ev = r.said(s.text, f"beslutsunderlaget, {field_name}")
    if getattr(s, "summary", False) and ev.kind == "quote":  # the plan calls it a summary
        ev = Evidence(ev.text, "summary", f"beslutsunderlaget, {field_name}")
    if not s.met:
        return FactResult("not_met", (ev,), f"planen säger själv att {what} saknas", path)
    return FactResult("met", (ev,), path=path)


_WHAT = {
    "friction": "samverkansfriktion mellan parterna",
    "not_core": "varför insatsen inte är någon parts kärnuppdrag",
    "scalability": "hur insatsen når hela regionen",
    "operations": "hur insatsen är knuten till ordinarie verksamhet",
    "implementation": "förutsättningar för implementering",
}


def insats_fact(fact: str, act: Activity, i: int, r: Reading) -> FactResult:
    base: Path = ("activities", i)
    fn = _INSATS.get(fact)
    if fn is not None:
        return fn(act, base, r)
    d = act.decision
    path: Path = (*base, "decision", fact)
    if fact in _WHAT:
        said = getattr(d, fact) if d else None
        result = _statement(r, said, path, f"decision.{fact}", _WHAT[fact])
        if fact == "scalability" and result.status == "not_documented":
            return _whole_region(r, path) or result
        if fact == "operations" and result.status != "not_documented" and act.owner:
            owner = Evidence(f"projektägare: {act.owner}", "fact")
            return FactResult(result.status, (*result.evidence, owner), result.reason, path)
        return result
    if fact in ("goal", "text"):
        return FactResult("not_documented", reason="planens text säger inget om det", path=base)
    raise ValueError(fact)


def _whole_region(r: Reading, path: Path) -> FactResult | None:
    """A förbund whose member is a municipality outside any region (5 a §) covers the whole
    region: every insats of it already reaches all of the region."""
    member = next(
        (m for m in r.plan.forbund.members if m.side == "municipality_without_region"), None
    )
    if member is None:
        return None
    text = (
        f"förbundet verkar i hela regionen: {member.name} är medlem som kommun utanför "
        "region (lag 2003:1210 5 a §), så insatsen når redan hela regionen"
    )
    return FactResult("met", (Evidence(text, "fact"),), path=path)


def _parties(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "parties")
    ids = list(dict.fromkeys(act.decision.parties)) if act.decision else []
    names = [m.name for p in ids for m in r.plan.forbund.members if m.id == p]
    if not names:
        return FactResult("not_documented", reason="planen anger inte vilka parter", path=path)
    ev = Evidence("parter: " + ", ".join(names), "fact")
    if len(names) < 2:
        return FactResult("not_met", (ev,), "bara en part anges", path)
    return FactResult("met", (ev,), path=path)


def _successor(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "implementation", "successor")
    impl = act.decision.implementation if act.decision else None
    if impl and impl.successor:
        return FactResult("met", (Evidence(f"tas över av {impl.successor}", "fact"),), path=path)
    return FactResult("not_documented", reason="planen anger inte vem som tar över", path=path)


def _timeline(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "timeline")
    steps = act.decision.timeline if act.decision else []
    if not steps:
        period = f"perioden {_period(act)} finns, men " if act.period else ""
        return FactResult("not_documented", reason=f"{period}inga delmål anges", path=path)
    out = []
    for m in steps:
        when = m.when or str(m.date)
        rng = when_range(m.date, m.when)
        dated = f"{when} ({rng})" if rng and m.when else when
        out.append(r.said(m.text, "beslutsunderlaget, decision.timeline", dated))
    if act.period:
        out.insert(0, Evidence(f"period {_period(act)}", "fact"))
    return FactResult("met", tuple(out), path=path)


def _period(act: Activity) -> str:
    assert act.period is not None
    end = str(act.period.end) if act.period.end else "tills vidare"
    return f"{act.period.start} – {end}"


def _period_fact(act: Activity, base: Path, r: Reading) -> FactResult:
    if act.period is None:
        return FactResult("not_documented", reason="ingen period anges", path=(*base, "period"))
    return FactResult("met", (Evidence(f"period {_period(act)}", "fact"),), path=(*base, "period"))


def _insats_rows(act: Activity, r: Reading) -> list[tuple[str, int, bool]]:
    """(label, amount in the year judged, is an evaluation line) for the insats' lines."""
    evaluations = {line.id for _, _, line in cost_lines(r.plan) if line.evaluates}
    return [
        (row.label, row.amounts.get(r.year_key, 0) if r.year_key else 0, row.id in evaluations)
        for t in r.budget.cost_tables
        for row in t.rows
        if row.id in act.lines
    ]


def _budget(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "lines")
    year = r.plan.year
    rows = [(label, amount, ev) for label, amount, ev in _insats_rows(act, r) if amount]
    if rows:
        text = "; ".join(
            f"{'utvärdering' if ev else 'budget'} {year}: {format_kronor(a)} kr ({label})"
            for label, a, ev in rows
        )
        return FactResult("met", (Evidence(text, "fact"),), path=path)
    if act.budget_note:
        place = r.places.get(act.id, "insatsens kort")
        note = Evidence(act.budget_note, "quote", f"{place}, budget")
        return FactResult("met", (note,), path=path)
    return FactResult("not_documented", reason=f"ingen budgetrad med belopp för {year}", path=path)


def _indicators(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "follow_up", "indicators")
    items = act.decision.follow_up.indicators if act.decision and act.decision.follow_up else []
    if not items:
        return FactResult("not_documented", reason="inga indikatorer anges", path=path)
    where = "beslutsunderlaget, decision.follow_up.indicators"
    return FactResult("met", tuple(r.said(t, where) for t in items), path=path)


def _evaluation(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "follow_up", "evaluation")
    said = act.decision.follow_up.evaluation if act.decision and act.decision.follow_up else None
    result = _statement(r, said, path, "decision.follow_up.evaluation", "utvärdering")
    lines = [
        Evidence(
            f"utvärdering i budgeten: {e.label}, "
            + "; ".join(f"{format_kronor(a)} kr ({year})" for year, a in e.years),
            "fact",
        )
        for e in evaluations(r.budget, act)
        if e.years
    ]  # an evaluation planned for a later year counts, with its year
    if result.status == "not_documented" and lines:
        return FactResult("met", tuple(lines), path=path)
    return FactResult(result.status, (*result.evidence, *lines), result.reason, path)


def _checkpoints(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "checkpoints")
    points = act.decision.checkpoints if act.decision else []
    if not points:
        return FactResult("not_documented", reason="inga kontrollpunkter anges", path=path)
    out = []
    for c in points:
        rng = when_range(c.date, c.when)
        when = c.when or str(c.date)
        dated = f"{when} ({rng})" if rng and c.when else when
        out.append(r.said(c.review, "beslutsunderlaget, decision.checkpoints", dated))
    return FactResult("met", tuple(out), path=path)


def _exit(act: Activity, base: Path, r: Reading) -> FactResult:
    path: Path = (*base, "decision", "checkpoints")
    points = [c for c in (act.decision.checkpoints if act.decision else []) if c.exit_condition]
    if not points:
        return FactResult(
            "not_documented",
            reason="ingen kontrollpunkt anger när insatsen avslutas i förtid",
            path=path,
        )
    text = f"avslutas i förtid om {points[0].exit_condition}"
    return FactResult("met", (Evidence(text, "fact"),), path=path)


def _target_group(act: Activity, base: Path, r: Reading) -> FactResult:
    blocks = plain(act.target_group or "")
    if not blocks:
        return FactResult("not_documented", reason="ingen målgrupp anges", path=base)
    first = sentences(blocks[0])[0]
    place = f"{r.places.get(act.id, 'insatsen')}, målgrupp"
    return FactResult("met", (Evidence(first, "quote", place),), path=(*base, "target_group"))


def _owner(act: Activity, base: Path, r: Reading) -> FactResult:
    if not act.owner:
        return FactResult("not_documented", reason="ingen projektägare anges", path=base)
    return FactResult("met", (Evidence(f"projektägare: {act.owner}", "fact"),), path=base)


_INSATS: dict[str, Callable[[Activity, Path, Reading], FactResult]] = {
    "parties": _parties,
    "successor": _successor,
    "timeline": _timeline,
    "period": _period_fact,
    "budget": _budget,
    "indicators": _indicators,
    "evaluation": _evaluation,
    "checkpoints": _checkpoints,
    "exit_condition": _exit,
    "target_group": _target_group,
    "owner": _owner,
}


# --- the förbund as a whole -----------------------------------------------------------------


def admin_limit(c: Criterion, plan: Plan) -> tuple[Decimal, str]:
    """The highest administration share that applies, and where it comes from."""
    policy = plan.policy.admin_share_max
    if not c.override_policy:
        return policy, (
            f"planens gräns: administration högst {format_share(policy, 0)} "
            "(policy.admin_share_max, samma gräns som regeln FIN040)"
        )
    limit = c.max_share if c.max_share is not None else Decimal(1) - (c.min_share or Decimal(0))
    return limit, (
        f"profilens gräns: administration högst {format_share(limit, 0)}, i stället för "
        f"planens policy {format_share(policy, 0)} som regeln FIN040 prövar"
    )


def plan_fact(fact: str, c: Criterion, r: Reading) -> FactResult:
    if fact in ("activities_share", "admin_share"):
        return _shares(c, r)
    if fact in ("cooperation", "networks"):
        said = getattr(r.plan.statements, fact)
        what = {"cooperation": "samarbete med andra förbund", "networks": "regionala nätverk"}
        return _statement(r, said, ("statements", fact), f"statements.{fact}", what[fact])
    if fact == "plan_text":
        return FactResult("not_documented", reason="planens text säger inget om det")
    raise ValueError(fact)


def _shares(c: Criterion, r: Reading) -> FactResult:
    if r.year_key is None:
        reason = f"planen har ingen budgetplan för {r.plan.year} (FIN070)"
        return FactResult("not_documented", reason=reason, path=("columns",))
    t = r.budget.totals[r.year_key]
    limit, source = admin_limit(c, r.plan)
    admin, insatser = t.admin_share, share_of(t.insatser, t.costs)
    if admin is None or insatser is None:
        return FactResult("not_documented", reason=f"inga kostnader {r.plan.year}", path=("costs",))
    text = (
        f"{r.plan.year}: administration {format_kronor(t.administration)} kr = "
        f"{format_share(admin)} och insatser {format_kronor(t.insatser)} kr = "
        f"{format_share(insatser)} av kostnaderna {format_kronor(t.costs)} kr; {source}"
    )
    ev = (Evidence(text, "fact"),)
    path: Path = ("costs",) if c.override_policy else ("policy", "admin_share_max")
    if admin > limit:
        reason = f"administrationen {format_share(admin)} är över gränsen {format_share(limit, 0)}"
        return FactResult("not_met", ev, reason, path)
    return FactResult("met", ev, path=path)
