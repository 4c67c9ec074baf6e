"""A decision memo (*beslutsunderlag*) for one insats: what a board member needs before
deciding, and at every checkpoint after.

It opens with the proposal for decision (förslag till beslut) in the plan's words, or, if
the plan has none, a neutral sentence marked as a draft to rewrite; then the date, the
insats' period and parties, its budget over the plan's years with every amount that falls
outside the period flagged, its share of the förbund's costs, the criteria of each
profile that applies with their evidence, the checkpoints and the questions still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.money import format_kronor, format_share, share_of
from finsamplan.figures.budget import Budget
from finsamplan.judge.criteria import CheckResult
from finsamplan.judge.fuzzydates import when_range
from finsamplan.plan.model import Activity, Column, Plan
from finsamplan.plan.walk import cost_lines
from finsamplan.render.criteria_out import VerdictView, verdict_view


class UnknownInsats(FinsamplanError, LookupError):
    pass


@dataclass(frozen=True)
class MemoRow:
    label: str
    cells: tuple[str, ...]
    kind: str = "row"


@dataclass(frozen=True)
class MemoCriteria:
    profile: str
    verdicts: tuple[VerdictView, ...]

    @property
    def open(self) -> tuple[VerdictView, ...]:
        return tuple(v for v in self.verdicts if v.status in ("not_met", "not_documented"))


@dataclass(frozen=True)
class Proposal:
    text: str
    draft: bool


@dataclass
class MemoView:
    plan_id: str
    plan: Plan
    activity: Activity
    created: date
    proposal: Proposal
    period: str | None
    parties: str
    header: tuple[str, ...]
    rows: tuple[MemoRow, ...]
    notes: tuple[str, ...]  # the flagged amounts, explained
    criteria: tuple[MemoCriteria, ...]
    checkpoints: tuple[str, ...]
    card: object

    @property
    def open_points(self) -> tuple[tuple[str, VerdictView], ...]:
        """What the plan leaves open or says is not met, per profile."""
        return tuple((part.profile, v) for part in self.criteria for v in part.open)


def _flag(act: Activity, col: Column) -> str | None:
    """Why an amount in this column lies (partly) outside the insats' period, if it does."""
    if act.period is None:
        return None
    start, end = act.period.start, act.period.end
    if col.year < start.year:
        return f"{col.title}: före insatsens period, som börjar {start}"
    if end is None or col.year < end.year:
        return None
    if col.year > end.year:
        return (
            f"{col.title}: efter insatsens period, som slutar {end}; beloppet förutsätter en "
            "förlängning som inte är beslutad"
        )
    if end < date(col.year, 12, 31):
        return (
            f"{col.title}: perioden slutar {end}, efter {end.month} av årets 12 månader; "
            "beloppet gäller planens hela år"
        )
    return None


def _budget(act: Activity, plan: Plan, budget: Budget) -> tuple[list[MemoRow], list[str]]:
    keys = budget.keys()
    evaluations = {line.id for _, _, line in cost_lines(plan) if line.evaluates}
    marks = "abcdefghijklmnopqrstuvwxyz"
    flags: dict[str, str] = {}
    rows: list[MemoRow] = []
    totals = dict.fromkeys(keys, 0)
    for table in budget.cost_tables:
        for row in table.rows:
            if row.id not in act.lines:
                continue
            cells = []
            for col in budget.columns:
                amount = row.amounts[col.key]
                cell = format_kronor(amount) if amount else "–"
                why = _flag(act, col) if amount and row.id not in evaluations else None
                if why:
                    mark = flags.setdefault(why, marks[len(flags) % len(marks)])
                    cell += f" ({mark})"
                cells.append(cell)
                totals[col.key] += amount
            rows.append(MemoRow(row.label, tuple(cells)))
    if rows:
        rows.append(
            MemoRow("Insatsen totalt", tuple(format_kronor(totals[k]) for k in keys), "total")
        )
        rows.append(
            MemoRow(
                "Förbundets kostnader totalt",
                tuple(format_kronor(budget.totals[k].costs) for k in keys),
            )
        )
        rows.append(
            MemoRow(
                "Insatsens andel av förbundets kostnader",
                tuple(format_share(share_of(totals[k], budget.totals[k].costs)) for k in keys),
                "share",
            )
        )
    notes = [f"({mark}) {why}" for why, mark in flags.items()]
    return rows, notes


def _proposal(act: Activity, plan: Plan, budget: Budget) -> Proposal:
    if act.decision and act.decision.proposal:
        return Proposal(act.decision.proposal.strip(), False)
    key = plan.plan_key()
    amount = (
        sum(r.amounts.get(key, 0) for t in budget.cost_tables for r in t.rows if r.id in act.lines)
        if key
        else 0
    )
    money = f" med {format_kronor(amount)} kr för {plan.year}" if amount else ""
    period = f", inom perioden {_period(act)}" if act.period else ""
    return Proposal(
        f"Styrelsen beslutar om insatsen {act.title}{money}{period}, enligt "
        f"{plan.title.lower()[0]}{plan.title[1:]}.",
        True,
    )


def _period(act: Activity) -> str:
    assert act.period is not None
    end = str(act.period.end) if act.period.end else "tills vidare"
    return f"{act.period.start} – {end}"


def _parties(act: Activity, plan: Plan) -> str:
    ids = act.decision.parties if act.decision else []
    names = [m.name for p in dict.fromkeys(ids) for m in plan.forbund.members if m.id == p]
    if names:
        return ", ".join(names)
    members = ", ".join(m.name for m in plan.forbund.members)
    return (
        f"förbundets medlemmar: {members} (planen anger inte vilka av dem som deltar i "
        "insatsen; ange det i decision.parties)"
    )


def _checkpoints(act: Activity) -> tuple[str, ...]:
    out = []
    for c in act.decision.checkpoints if act.decision else []:
        rng = when_range(c.date, c.when)
        when = c.when or str(c.date)
        if c.when:
            when += f" ({rng})" if rng else " (datumet kan inte läsas)"
        text = f"{when}: {' '.join(c.review.split())}"
        if c.exit_condition:
            text += f" (avslutas i förtid om {c.exit_condition})"
        out.append(text)
    return tuple(out)


def unknown_insats_text(insats_id: str, known: list[str]) -> str:
    """The message for an unknown --insats: the closest ids first, then every id.

    difflib orders its matches by similarity, the closest first, so "menade du" names the
    likeliest typo fix before the others.
    """
    import difflib

    near = difflib.get_close_matches(insats_id, known, n=3, cutoff=0.6)
    hint = f"; menade du {' eller '.join(near)}?" if near else ""
    every = ", ".join(known) or "inga"
    return f"insatsen '{insats_id}' finns inte i planen{hint} (finns: {every})"


def build(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    results: list[CheckResult],
    insats_id: str,
    today: date | None = None,
) -> MemoView:
    from finsamplan.render.view import build as build_doc

    act = next((a for a in plan.activities if a.id == insats_id), None)
    if act is None:
        raise UnknownInsats(unknown_insats_text(insats_id, [a.id for a in plan.activities]))
    rows, notes = _budget(act, plan, budget)
    criteria = []
    for result in results:
        mine = next(r for r in result.insatser if r.activity.id == insats_id)
        criteria.append(MemoCriteria(result.profile.name, tuple(map(verdict_view, mine.verdicts))))
    doc = build_doc(plan_id, plan, budget, [])
    card = next(c for c in doc.cards if c.anchor == f"insats-{act.id}")
    return MemoView(
        plan_id=plan_id,
        plan=plan,
        activity=act,
        created=today or date.today(),
        proposal=_proposal(act, plan, budget),
        period=(_period(act) + (f" ({act.period.note})" if act.period.note else ""))
        if act.period
        else None,
        parties=_parties(act, plan),
        header=tuple(c.title for c in budget.columns),
        rows=tuple(rows),
        notes=tuple(notes),
        criteria=tuple(criteria),
        checkpoints=_checkpoints(act),
        card=card,
    )


def render(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    results: list[CheckResult],
    insats_id: str,
    formats: list[str],
    templates: Path | None = None,
    today: date | None = None,
    pdf_variant: str | None = "pdf/a-3a",
) -> dict[str, bytes]:
    from finsamplan.render.document import pdf
    from finsamplan.render.templating import environment, render_template

    memo = build(plan_id, plan, budget, results, insats_id, today)
    env = environment(templates)
    out: dict[str, bytes] = {}
    name = f"beslutsunderlag-{insats_id}"
    html_text: str | None = None
    for fmt in formats:
        if fmt == "md":
            out[f"{name}.md"] = render_template(env, "memo.md.j2", memo=memo).encode("utf-8")
        elif fmt in ("html", "pdf"):
            html_text = html_text or render_template(env, "memo.html.j2", memo=memo)
            out[f"{name}.{fmt}"] = (
                html_text.encode("utf-8") if fmt == "html" else pdf(html_text, variant=pdf_variant)
            )
        elif fmt == "docx":
            from finsamplan.render.docx import memo_docx

            out[f"{name}.docx"] = memo_docx(memo)
    return out
