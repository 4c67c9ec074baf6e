"""The samråd package: the proposal as the members are consulted on it (FinsamL 23 §).

The board adopts the budget after consulting the members. The package sent to them holds
the proposal's budget summary for each year of the plan, each member's contribution per year
(from the contribution key where there is one, with the working), the question put to the
members and the date to answer by. ``render PLAN --samrad`` writes it as md, html and pdf.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.money import format_kronor as kr
from finsamplan.base.money import format_ore, format_share
from finsamplan.figures.budget import Budget, Totals, total_title
from finsamplan.plan.keys import as_decimal
from finsamplan.plan.model import Column, ConsultationAnswer, Member, Plan
from finsamplan.render.fakturaunderlag import (
    Fakturaunderlag,
    build,
    key_text,
    rounding_text,
)
from finsamplan.render.view import TableRow, TableView

FORMATS = ("md", "html", "pdf")


class NoAnswerDate(FinsamplanError, ValueError):
    """The plan does not say by when the members are to answer (``samrad.answer_by``)."""


@dataclass(frozen=True)
class MemberPart:
    """One member in the package: its contribution per year and how a key gave it."""

    member: Member
    amounts: tuple[int, ...] | None  # per column of the package; None: another member pays
    payer: Member | None
    working: tuple[str, ...]
    answer: ConsultationAnswer | None

    @property
    def anchor(self) -> str:
        return f"medlem-{self.member.id}"


@dataclass(frozen=True)
class Package:
    plan_id: str
    plan: Plan
    columns: tuple[Column, ...]
    summary: TableView
    members: tuple[MemberPart, ...]
    question: str
    answer_by: date
    adoption: str

    @property
    def title(self) -> str:
        return f"Samråd om förslag till {_lower_first(self.plan.title)}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _years(columns: tuple[Column, ...]) -> str:
    years = sorted({c.year for c in columns})
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def default_question(plan: Plan, columns: tuple[Column, ...]) -> str:
    return (
        f"Har ni synpunkter på förslaget till {_lower_first(plan.title)}, och på er avgift "
        f"till förbundet för {_years(columns)}? Svara om ni tillstyrker förslaget eller "
        "har synpunkter, och ange ert beslut."
    )


_SUMMARY: tuple[tuple[str, str, str], ...] = (
    ("contributions", "Medlemsbidrag", "row"),
    ("other_income", "Övriga intäkter", "row"),
    ("equity", "Ingående eget kapital", "row"),
    ("available", "Summa intäkter och eget kapital", "total"),
)
_RESULT: tuple[tuple[str, str, str], ...] = (
    ("costs", "Summa kostnader", "total"),
    ("result", "Årets resultat (intäkter − kostnader)", "row"),
    ("surplus", "Eget kapital vid årets slut", "grand"),
    ("reserve", "varav reserv", "row"),
    ("room", "varav utrymme för ny verksamhet", "row"),
)


def summary(plan: Plan, budget: Budget, columns: tuple[Column, ...]) -> TableView:
    """The proposal in brief, per year: income, each cost group, the result and equity."""
    totals = [budget.totals[c.key] for c in columns]

    def row(label: str, values: tuple[int, ...], kind: str = "row", rid: str = "") -> TableRow:
        return TableRow(label, tuple(kr(v) for v in values), values, kind, rid or None)

    def figures(name: str) -> tuple[int, ...]:
        return tuple(_figure(t, name) for t in totals)

    rows = [row(label, figures(n), kind, n) for n, label, kind in _SUMMARY]
    if not any(figures("other_income")):
        rows = [r for r in rows if r.id != "other_income"]
    rows += [row(total_title(plan, g.id), figures(g.id), "row", g.id) for g in plan.groups]
    rows += [row(label, figures(n), kind, n) for n, label, kind in _RESULT]
    header = tuple(c.title for c in columns)
    return TableView("samrad-sammanfattning", "Förslaget i sammandrag", header, tuple(rows))


def _figure(t: Totals, name: str) -> int:
    if name in t.groups:
        return t.groups[name]
    return int(getattr(t, name))


def _working(fu: Fakturaunderlag, member: Member) -> tuple[str, ...]:
    out = []
    for w in fu.workings:
        part = next((p for p in w.split.parts if p.member.id == member.id), None)
        if part is None:
            continue
        share = format_share(as_decimal(part.share), 2)
        key = key_text(member) + (" invånare" if member.key and member.key.population else "")
        out.append(
            f"{w.caption}. Nyckeln för {member.name}, {key}, ger andelen {share}: "
            f"exakt {format_ore(part.quota_ore)} kr, avgift {kr(part.amount)} kr "
            f"(avrundat {rounding_text(part)})."
        )
    return tuple(out)


def build_package(plan_id: str, plan: Plan, budget: Budget) -> Package:
    """The package, or :class:`NoAnswerDate` when the plan does not say when to answer."""
    samrad = plan.samrad
    if samrad.answer_by is None:
        raise NoAnswerDate(
            f"{plan_id}: planen anger inte när medlemmarna ska svara (samrad.answer_by); "
            "lägg till datumet innan samrådsunderlaget skrivs"
        )
    fu = build(plan, budget)
    columns = fu.columns
    answers = {a.member: a for a in samrad.answers}
    parts = []
    for m in plan.forbund.members:
        payer = plan.member(m.paid_by) if m.paid_by else None
        amounts = None if payer else tuple(fu.amounts.get(m.id, {}).get(c.key, 0) for c in columns)
        parts.append(MemberPart(m, amounts, payer, _working(fu, m), answers.get(m.id)))
    adopted = plan.dates.adopted
    adoption = str(adopted) if adopted else f"senast {date(plan.year - 1, 11, 30)}"
    question = samrad.question or default_question(plan, columns)
    return Package(
        plan_id,
        plan,
        columns,
        summary(plan, budget, columns),
        tuple(parts),
        question,
        samrad.answer_by,
        adoption,
    )


def _env(templates: Path | None) -> Any:
    from finsamplan.render.templating import environment

    return environment(templates)


def files(
    plan_id: str,
    plan: Plan,
    budget: Budget,
    formats: list[str],
    templates: Path | None = None,
) -> dict[str, bytes]:
    """``samrad-2027.md``, ``.html`` and ``.pdf``; raises :class:`NoAnswerDate`."""
    package = build_package(plan_id, plan, budget)
    env = _env(templates)
    stem = f"samrad-{plan.year}"
    out: dict[str, bytes] = {}
    page: str | None = None
    for fmt in formats:
        if fmt == "md":
            text = env.get_template("samrad.md.j2").render(p=package)
            out[f"{stem}.md"] = str(text).encode("utf-8")
        elif fmt in ("html", "pdf"):
            page = page or str(env.get_template("samrad.html.j2").render(p=package))
            if fmt == "html":
                out[f"{stem}.html"] = page.encode("utf-8")
            else:
                from finsamplan.render.document import pdf

                out[f"{stem}.pdf"] = pdf(page)
    return out
