"""Insatser judged against criteria profiles: four verdicts, each with its evidence.

A verdict is one of four: *met* (with the plan's words or figures), *not met* (the plan
itself says so, or a figure is outside its limit), *not documented* (the plan says nothing:
shown as a question to answer, never as a failure) and *not applicable*. Evidence comes
first from an insats' decision data; where that says nothing, from the plan's own text,
searched for the profile's keywords and quoted with the section it stands in.

Profiles live in ``profiles``, the facts in ``facts``, the plan's text in ``plantext`` and
dates in words in ``fuzzydates``; this module puts them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path as FsPath
from typing import Literal

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.figures.budget import Budget, compute
from finsamplan.judge.facts import Evidence, FactResult, Reading, insats_fact, plan_fact
from finsamplan.judge.fuzzydates import DateRange, when_range
from finsamplan.judge.plantext import Passage, card_places, passages, search
from finsamplan.judge.profiles import (
    PLAN_FACTS,
    Criterion,
    Profile,
    ProfileError,
    builtin_profiles,
    load_profile,
    severity,
)
from finsamplan.judge.status import MARKS, STATUS_LABELS, STATUSES, Status
from finsamplan.plan.model import Activity, Checkpoint, Plan
from finsamplan.plan.yamlsource import SourceMap

__all__ = [
    "MARKS",
    "STATUS_LABELS",
    "CheckResult",
    "Criterion",
    "Evidence",
    "InsatsResult",
    "Profile",
    "ProfileError",
    "Verdict",
    "builtin_profiles",
    "check",
    "checkpoints_due",
    "load_profile",
    "parse_within",
    "profiles_for",
]


@dataclass(frozen=True)
class Verdict:
    """One criterion's verdict on an insats or the förbund: its status and evidence, and the
    finding it makes, the one problem record (code: the criterion's id; its severity; its
    place in the plan file, as every other finding has it)."""

    criterion: Criterion
    status: Status
    finding: Finding
    evidence: tuple[Evidence, ...] = ()
    reasons: tuple[str, ...] = ()

    @property
    def severity(self) -> str:
        return self.finding.severity.value

    @property
    def path(self) -> Path:
        return self.finding.path

    @property
    def file(self) -> str | None:
        return self.finding.file

    @property
    def line(self) -> int | None:
        return self.finding.line

    @property
    def column(self) -> int | None:
        return self.finding.column

    @property
    def location(self) -> str:
        """``file:line:col`` as a finding shows it; empty while the verdict has no file."""
        return self.finding.location if self.file else ""

    @property
    def question(self) -> str | None:
        return self.criterion.question

    @property
    def interpretation(self) -> str | None:
        return self.criterion.interpretation


def verdict(
    c: Criterion,
    status: Status,
    level: str,
    evidence: tuple[Evidence, ...] = (),
    reasons: tuple[str, ...] = (),
    path: Path = (),
) -> Verdict:
    """A verdict and its finding: the criterion's title, the status in words, the reasons."""
    message = f"{c.title} ({STATUS_LABELS[status]})" + (
        ": " + "; ".join(reasons) if reasons else ""
    )
    finding = Finding(c.id, Severity(level), message, path=path, figures={"status": status})
    return Verdict(c, status, finding, evidence, reasons)


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

    def all_verdicts(self) -> list[Verdict]:
        return [v for r in self.insatser for v in r.verdicts] + self.plan_verdicts

    def failing(self) -> list[Verdict]:
        """Criteria not met whose source makes them errors (a law's "ska")."""
        return [v for v in self.all_verdicts() if v.status == "not_met" and v.severity == "error"]

    def counts(self) -> dict[str, int]:
        verdicts = self.all_verdicts()
        return {s: sum(v.status == s for v in verdicts) for s in STATUSES}


@dataclass(frozen=True)
class DueCheckpoint:
    activity: Activity
    checkpoint: Checkpoint
    range: DateRange


@dataclass(frozen=True)
class Checkpoints:
    """Checkpoints due in the window asked about, and those whose date cannot be read."""

    today: date
    horizon: date
    due: tuple[DueCheckpoint, ...]
    undated: tuple[tuple[Activity, Checkpoint], ...]


# --- judging --------------------------------------------------------------------------------


def check(
    plan: Plan,
    profile: Profile,
    plan_id: str = "plan",
    source: SourceMap | None = None,
    budget: Budget | None = None,
) -> CheckResult:
    """Every insats and the förbund against one profile."""
    budget = budget or compute(plan)
    reading = Reading(plan, budget, passages(plan, budget), plan.plan_key(), card_places(plan))

    def place(v: Verdict) -> Verdict:
        if source is None:
            return v
        mark = source.locate(v.path, key=True)
        return replace(v, finding=v.finding.at(source.file, mark.line, mark.column))

    insatser = []
    for i, act in enumerate(plan.activities):
        result = InsatsResult(act, i)
        for c in profile.criteria:
            if c.level == "insats":
                result.verdicts.append(place(_insats_verdict(c, profile, act, i, reading)))
        insatser.append(result)
    plan_verdicts = [
        place(_plan_verdict(c, profile, reading)) for c in profile.criteria if c.level == "plan"
    ]
    return CheckResult(plan_id, plan, profile, insatser, plan_verdicts)


def _insats_verdict(c: Criterion, profile: Profile, act: Activity, i: int, r: Reading) -> Verdict:
    level = severity(c, profile)
    if act.kind not in c.applies_to:
        reason = f"gäller inte insatser av slaget {act.kind}"
        return verdict(c, "not_applicable", level, reasons=(reason,), path=("activities", i))
    results = [insats_fact(f, act, i, r) for f in c.requires if f not in PLAN_FACTS]
    scope = [p for p in r.passages if p.activity == act.id]
    return _combine(c, level, results, scope, ("activities", i, "decision"))


def _plan_verdict(c: Criterion, profile: Profile, r: Reading) -> Verdict:
    results = [plan_fact(f, c, r) for f in c.requires if f in PLAN_FACTS]
    return _combine(c, severity(c, profile), results, r.passages, ("statements",))


def _combine(
    c: Criterion, level: str, results: list[FactResult], scope: list[Passage], fallback: Path
) -> Verdict:
    """Not met if any fact is not met; else not documented if any is missing; else met.
    Nothing documented at all, and keywords to look for: the plan's text may speak."""
    evidence = tuple(dict.fromkeys(e for f in results for e in f.evidence))
    if any(f.status == "not_met" for f in results):
        status: Status = "not_met"
        shown = [f for f in results if f.status == "not_met"]
    elif any(f.status == "not_documented" for f in results) or not results:
        status = "not_documented"
        shown = [f for f in results if f.status == "not_documented"]
    else:
        return verdict(c, "met", level, evidence, path=results[0].path or fallback)
    if status == "not_documented" and not evidence and c.keywords:
        hits = search(c.keywords, scope)
        if hits:
            found = tuple(Evidence(h.sentence, "quote", h.passage.place, h.keyword) for h in hits)
            return verdict(c, "met", level, found, path=hits[0].passage.path)
    reasons = tuple(dict.fromkeys(f.reason for f in shown if f.reason))
    path = next((f.path for f in shown if f.path), fallback)
    return verdict(c, status, level, evidence, reasons, path)


# --- checkpoints ----------------------------------------------------------------------------


def checkpoints_due(plan: Plan, today: date | None = None, within: int = 90) -> Checkpoints:
    """Checkpoints whose date, or the range their words mean, falls in today … today+within."""
    today = today or date.today()
    horizon = today + timedelta(days=within)
    due: list[DueCheckpoint] = []
    undated: list[tuple[Activity, Checkpoint]] = []
    for act in plan.activities:
        for cp in act.decision.checkpoints if act.decision else []:
            rng = when_range(cp.date, cp.when)
            if rng is None:
                undated.append((act, cp))
            elif rng.overlaps(today, horizon):
                due.append(DueCheckpoint(act, cp, rng))
    due.sort(key=lambda d: (d.range.start, d.range.end))
    return Checkpoints(today, horizon, tuple(due), tuple(undated))


def parse_within(text: str) -> int:
    """``90d``, ``12w``, ``3m`` or a bare number of days."""
    text = text.strip().lower()
    units = {"d": 1, "w": 7, "m": 30}
    if text and text[-1] in units and text[:-1].isdigit():
        return int(text[:-1]) * units[text[-1]]
    if text.isdigit():
        return int(text)
    raise ValueError(text)


# --- which profiles apply -------------------------------------------------------------------

Origin = Literal["option", "plan", "none"]


def profiles_for(
    plan: Plan,
    plan_file: FsPath | None,
    source: SourceMap | None,
    option: list[str] | None,
) -> tuple[list[Profile], Origin, list[Finding]]:
    """The profiles that apply: ``--criteria`` if given (``none``: no profile), else the
    plan's own ``criteria:`` list, else none. Problems are findings, placed in the plan
    file when the plan named the profile."""
    if option:
        names = [n for n in option if n != "none"]
        return _with_origin(_load_all([(n, None, None) for n in names], None), "option")
    if not plan.criteria:
        return [], "none", []
    base = plan_file.parent if plan_file else None
    named: list[tuple[str, FsPath | None, Path | None]] = [
        (n, base, ("criteria", i)) for i, n in enumerate(plan.criteria)
    ]
    return _with_origin(_load_all(named, source), "plan")


def _with_origin(
    loaded: tuple[list[Profile], list[Finding]], origin: Origin
) -> tuple[list[Profile], Origin, list[Finding]]:
    return loaded[0], origin, loaded[1]


def _load_all(
    names: list[tuple[str, FsPath | None, Path | None]], source: SourceMap | None
) -> tuple[list[Profile], list[Finding]]:
    profiles: list[Profile] = []
    findings: list[Finding] = []
    for name, base, path in names:
        try:
            profiles.append(load_profile(name, base))
        except ProfileError as exc:
            for f in exc.findings:
                if source is not None and path is not None and f.file is None:
                    f = source.place(replace(f, path=path))
                findings.append(f)
    return profiles, findings


def no_profile_message(plan_id: str) -> str:
    names = ", ".join(builtin_profiles())
    return (
        f"Ingen kriterieprofil gäller för {plan_id}: planen anger ingen och --criteria "
        f'saknas. Ange en i planfilen, t.ex. "criteria: [grund]", eller pröva med '
        f'"finsamplan check {plan_id} --criteria grund". Profiler som följer med: {names}.'
    )


def severity_of(v: Verdict) -> Severity:
    return Severity(v.severity)
