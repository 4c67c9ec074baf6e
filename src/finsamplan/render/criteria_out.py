"""The criteria check for people and programs: one view shared by every output.

The terminal, the Markdown report, the document's appendix and the decision memo all show
the same thing, built once here: the matrix of insatser against criteria with four marks
(✓ met, ✗ not met, ? not documented, – not applicable), each verdict with its evidence or
reason, the profile's interpretation beside the verdict it shapes, the source's own words,
and what was not documented as a question to answer. JSON carries the same, as data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from finsamplan.base.findings import Severity
from finsamplan.judge.criteria import (
    Checkpoints,
    CheckResult,
    Verdict,
    no_profile_message,
)
from finsamplan.judge.profiles import BASIS_LABELS, Criterion, Profile, SourceText, basis
from finsamplan.judge.status import COUNT_LABELS, LEGEND, MARKS, STATUS_LABELS, STATUSES


@dataclass(frozen=True)
class VerdictView:
    criterion: str
    title: str
    status: str
    mark: str
    label: str
    severity: str
    evidence: tuple[str, ...]
    reasons: tuple[str, ...]
    question: str | None
    interpretation: str | None
    source: str | None
    location: str

    @property
    def detail(self) -> str:
        """One line: the evidence; the reason and the plan's words; or the question to answer."""
        evidence = "; ".join(self.evidence)
        if self.status == "met":
            return evidence
        if self.status == "not_met":
            return "; ".join(self.reasons) + (f": {evidence}" if evidence else "")
        if self.status == "not_applicable":
            return "; ".join(self.reasons)
        text = f"Fråga: {self.question}" if self.question else "Fråga att besvara"
        if self.reasons:
            text += f" ({'; '.join(self.reasons)})"
        return text + (f" Planen anger: {evidence}" if evidence else "")


@dataclass(frozen=True)
class InsatsView:
    id: str
    title: str
    marks: tuple[str, ...]  # one per insats-level criterion, in the profile's order
    statuses: tuple[str, ...]
    verdicts: tuple[VerdictView, ...]  # those that apply

    @property
    def cells(self) -> tuple[tuple[str, str, str], ...]:
        """(status, mark, label) per criterion: the matrix row."""
        return tuple((s, MARKS[s], STATUS_LABELS[s]) for s in self.statuses)


@dataclass(frozen=True)
class NoteView:
    title: str
    source: str
    reason: str


@dataclass(frozen=True)
class ProfileView:
    name: str
    source: str | None
    basis: str
    criteria: tuple[str, ...]  # titles of the insats-level criteria, numbered in the matrix
    insatser: tuple[InsatsView, ...]
    plan: tuple[VerdictView, ...]
    notes: tuple[NoteView, ...]
    counts: dict[str, int]
    legend: str = LEGEND


def source_text(src: SourceText | None) -> str | None:
    if src is None:
        return None
    where = ", ".join(p for p in (src.section, f"rad {src.line}" if src.line else None) if p)
    return f"”{' '.join(src.quote.split())}”" + (f" ({where})" if where else "")


def verdict_view(v: Verdict) -> VerdictView:
    return VerdictView(
        criterion=v.criterion.id,
        title=v.criterion.title,
        status=v.status,
        mark=MARKS[v.status],
        label=STATUS_LABELS[v.status],
        severity=Severity(v.severity).label,
        evidence=tuple(e.display() for e in v.evidence),
        reasons=v.reasons,
        question=v.question,
        interpretation=v.interpretation,
        source=source_text(v.criterion.source),
        location=v.location,
    )


def profile_view(result: CheckResult) -> ProfileView:
    profile = result.profile
    crit = [c for c in profile.criteria if c.level == "insats"]
    insatser = []
    for r in result.insatser:
        by_id = {v.criterion.id: v for v in r.verdicts}
        statuses = tuple(by_id[c.id].status for c in crit)
        insatser.append(
            InsatsView(
                r.activity.id,
                r.activity.title,
                tuple(MARKS[s] for s in statuses),
                statuses,
                tuple(verdict_view(v) for v in r.verdicts if v.status != "not_applicable"),
            )
        )
    return ProfileView(
        name=profile.name,
        source=profile.source,
        basis=BASIS_LABELS[profile.basis],
        criteria=tuple(c.title for c in crit),
        insatser=tuple(insatser),
        plan=tuple(verdict_view(v) for v in result.plan_verdicts),
        notes=tuple(
            NoteView(n.title, source_text(n.source) or "", n.reason) for n in profile.notes
        ),
        counts=result.counts(),
    )


def appendix(results: list[CheckResult]) -> tuple[ProfileView, ...]:
    """What the plan document's criteria appendix shows: one part per profile."""
    return tuple(profile_view(r) for r in results)


# --- JSON ---------------------------------------------------------------------------------


def _source_json(src: SourceText | None) -> dict[str, Any] | None:
    if src is None:
        return None
    return {
        "quote": " ".join(src.quote.split()),
        "line": src.line,
        "section": src.section,
        "wording": src.wording,
    }


def verdict_json(v: Verdict) -> dict[str, Any]:
    return {
        "criterion": v.criterion.id,
        "title": v.criterion.title,
        "severity": v.severity,
        "status": v.status,
        "status_label": STATUS_LABELS[v.status],
        "evidence": [
            {
                "text": e.text,
                "kind": e.kind,
                "where": e.where,
                "keyword": e.keyword,
                "label": e.label,
            }
            for e in v.evidence
        ],
        "reasons": list(v.reasons),
        "question": v.question if v.status == "not_documented" else None,
        "interpretation": v.interpretation,
        "source": _source_json(v.criterion.source),
        "file": v.file,
        "line": v.line,
        "column": v.column,
        "path": [str(p) for p in v.path],
    }


def _criterion_json(c: Criterion, profile: Profile) -> dict[str, Any]:
    return {"id": c.id, "title": c.title, "level": c.level, "basis": basis(c, profile)}


def result_json(result: CheckResult) -> dict[str, Any]:
    profile = result.profile
    return {
        "profile": profile.name,
        "source": profile.source,
        "criteria": [_criterion_json(c, profile) for c in profile.criteria],
        "insatser": [
            {
                "id": r.activity.id,
                "title": r.activity.title,
                "kind": r.activity.kind,
                "verdicts": [verdict_json(v) for v in r.verdicts],
            }
            for r in result.insatser
        ],
        "plan_criteria": [verdict_json(v) for v in result.plan_verdicts],
        "notes": [
            {"id": n.id, "title": n.title, "source": _source_json(n.source), "reason": n.reason}
            for n in profile.notes
        ],
        "counts": result.counts(),
        "failing_errors": len(result.failing()),
    }


def checkpoints_json(cps: Checkpoints) -> dict[str, Any]:
    return {
        "today": str(cps.today),
        "until": str(cps.horizon),
        "checkpoints_due": [
            {
                "insats": d.activity.id,
                "when": d.checkpoint.when or str(d.checkpoint.date),
                "date": str(d.checkpoint.date) if d.checkpoint.date else None,
                "from": str(d.range.start),
                "to": str(d.range.end),
                "review": " ".join(d.checkpoint.review.split()),
                "exit_condition": d.checkpoint.exit_condition,
            }
            for d in cps.due
        ],
        "checkpoints_undated": [
            {"insats": a.id, "when": c.when, "review": " ".join(c.review.split())}
            for a, c in cps.undated
        ],
    }


def to_json(
    plan_id: str, results: list[CheckResult], origin: str, cps: Checkpoints
) -> dict[str, Any]:
    return {
        "plan": plan_id,
        "profiles_from": origin,
        "message": no_profile_message(plan_id) if not results else None,
        "profiles": [result_json(r) for r in results],
        **checkpoints_json(cps),
    }


# --- text (Markdown; the terminal prints the same lines) -----------------------------------


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def matrix_lines(view: ProfileView) -> list[str]:
    lines = [f"{i}. {t}" for i, t in enumerate(view.criteria, start=1)]
    lines += [
        "",
        "| Insats | " + " | ".join(str(i) for i in range(1, len(view.criteria) + 1)) + " |",
        "|:---|" + ":---:|" * len(view.criteria),
    ]
    lines += [f"| {_md(r.title)} | " + " | ".join(r.marks) + " |" for r in view.insatser]
    lines += ["", view.legend + "."]
    return lines


def verdict_line(v: VerdictView) -> str:
    text = f"{v.mark} **{_md(v.title)}** ({v.label}; {v.severity}): {_md(v.detail)}"
    if v.interpretation:
        text += f" *Tolkning:* {_md(v.interpretation)}"
    return text


def profile_lines(view: ProfileView, heading: str = "##", places: bool = True) -> list[str]:
    """A profile's part of the report: matrix, each insats' verdicts, the förbund, notes."""
    counts = view.counts
    lines = [
        f"{heading} {view.name}",
        "",
        (f"Källa: {view.source} ({view.basis}). " if view.source else "")
        + ", ".join(f"{counts[s]} {COUNT_LABELS[s]}" for s in STATUSES)
        + ".",
        "",
        *matrix_lines(view),
        "",
    ]
    for r in view.insatser:
        if not r.verdicts:
            continue
        lines += [f"{heading}# {r.title}", ""]
        for v in r.verdicts:
            where = f" [{v.location}]" if places and v.location and v.status != "met" else ""
            lines.append(f"- {verdict_line(v)}{where}")
        lines.append("")
    if view.plan:
        lines += [f"{heading}# Förbundet", ""]
        lines += [f"- {verdict_line(v)}" for v in view.plan]
    if view.notes:
        lines += ["", f"{heading}# Att känna till (bedöms inte)", ""]
        lines += [f"- **{_md(n.title)}:** {_md(n.source)} {_md(n.reason)}" for n in view.notes]
    lines.append("")
    return lines


def checkpoint_lines(cps: Checkpoints) -> list[str]:
    lines = [f"Kontrollpunkter {cps.today} – {cps.horizon}:", ""]
    for d in cps.due:
        c = d.checkpoint
        when = f"{c.when} ({d.range})" if c.when else str(d.range)
        text = f"- {when}: {_md(d.activity.title)}: {_md(c.review)}"
        if c.exit_condition:
            text += f" (avslutas i förtid om {_md(c.exit_condition)})"
        lines.append(text)
    if not cps.due:
        lines.append("- inga")
    for a, c in cps.undated:
        lines.append(f"- datum okänt (”{c.when}” kan inte läsas som datum): {_md(a.title)}")
    return lines


def to_markdown(plan_id: str, forbund: str, results: list[CheckResult], cps: Checkpoints) -> str:
    lines = [f"# Kriterier för {forbund} ({plan_id})", ""]
    if not results:
        lines += [no_profile_message(plan_id), ""]
    for r in results:
        lines += profile_lines(profile_view(r))
    lines += ["## Kontrollpunkter", "", *checkpoint_lines(cps)[2:]]
    return "\n".join(lines) + "\n"
