"""The criteria check as Markdown and JSON: the matrix, the missing points, the checkpoints."""

from __future__ import annotations

from typing import Any

from finsamplan.base.findings import Severity
from finsamplan.judge.criteria import STATUS_LABELS, CheckResult, Verdict

MARKS = {"met": "✓", "missing": "✗", "not_applicable": "–"}


def verdict_json(v: Verdict) -> dict[str, Any]:
    return {
        "criterion": v.criterion.id,
        "title": v.criterion.title,
        "severity": v.criterion.severity,
        "status": v.status,
        "evidence": list(v.evidence),
        "reasons": list(v.reasons),
        "file": v.file,
        "line": v.line,
        "column": v.column,
        "path": [str(p) for p in v.path],
    }


def to_json(result: CheckResult) -> dict[str, Any]:
    return {
        "plan": result.plan_id,
        "profile": result.profile.name,
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
        "checkpoints_due": [
            {
                "insats": a.id,
                "date": str(c.date),
                "review": c.review,
                "exit_condition": c.exit_condition,
            }
            for a, c in result.due
        ],
        "failing_errors": len(result.failing()),
    }


def _md(text: str) -> str:
    return " ".join(text.replace("|", "\\|").split())


def matrix_markdown(result: CheckResult, heading: str = "##") -> str:
    criteria = [c for c in result.profile.criteria if c.level == "insats"]
    lines = [
        f"{heading} Insatser mot kriterierna ({result.profile.name})",
        "",
        "| Insats | " + " | ".join(_md(c.title) for c in criteria) + " |",
        "|:---|" + ":---:|" * len(criteria),
    ]
    for r in result.insatser:
        marks = {v.criterion.id: MARKS[v.status] for v in r.verdicts}
        lines.append(
            f"| {_md(r.activity.title)} | "
            + " | ".join(marks.get(c.id, "") for c in criteria)
            + " |"
        )
    lines += ["", "✓ uppfyllt · ✗ saknas · – ej tillämpligt", ""]
    return "\n".join(lines)


def to_markdown(result: CheckResult) -> str:
    lines = [
        f"# Kriterier för {result.plan.forbund.name} ({result.plan_id})",
        "",
        f"Profil: {result.profile.name}"
        + (f" – {result.profile.source}" if result.profile.source else "")
        + ".",
        "",
        matrix_markdown(result),
    ]
    missing = [(r, v) for r in result.insatser for v in r.verdicts if v.status == "missing"]
    if missing:
        lines += ["## Det som saknas", ""]
        for r, v in missing:
            level = Severity(v.criterion.severity).label
            lines.append(
                f"- **{_md(r.activity.title)}: {v.criterion.title}** "
                f"({level}; {v.location}): {'; '.join(v.reasons)}"
            )
        lines.append("")
    lines += ["## Förbundet", ""]
    for v in result.plan_verdicts:
        detail = "; ".join(v.evidence if v.status == "met" else v.reasons)
        lines.append(
            f"- {MARKS[v.status]} **{v.criterion.title}** "
            f"({STATUS_LABELS[v.status]}): {_md(detail)}"
        )
    lines += ["", "## Kontrollpunkter som infaller snart", ""]
    lines += [
        f"- {c.date}: {_md(a.title)}: {_md(c.review)}"
        + (f" (avslutas i förtid om {_md(c.exit_condition)})" if c.exit_condition else "")
        for a, c in result.due
    ] or ["Inga."]
    return "\n".join(lines) + "\n"
