"""The plan, a decision memo and the follow-up report as Word documents (DOCX).

Made from the same view models as the HTML and PDF (:class:`~finsamplan.render.view.
DocumentView`, :class:`~finsamplan.render.memo.MemoView`, the
:class:`~finsamplan.year.followup.Followup`), so Word shows the same headings, figures and
texts; :mod:`finsamplan.render.word` does the Word side. python-docx is imported only here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from finsamplan.base.money import format_kronor, format_share
from finsamplan.base.words import severity_counts
from finsamplan.render.view import Card, DocumentView, SectionView, TableView
from finsamplan.render.word import Word

if TYPE_CHECKING:
    from finsamplan.base.findings import Finding
    from finsamplan.figures.budget import Budget
    from finsamplan.plan.model import Plan
    from finsamplan.render.memo import MemoView
    from finsamplan.year.followup import Followup

TEXT_WIDTH = 17.0  # cm on A4 portrait with the margins of word.Word


def _widths(columns: int, total: float = TEXT_WIDTH, amount: float = 2.7) -> list[float]:
    label = max(4.0, total - amount * columns)
    return [label, *([min(amount, (total - label) / max(1, columns))] * columns)]


def budget_table(w: Word, table: TableView, first: str | None = None) -> None:
    """A budget table as the HTML shows it: the reserve under the room, a note mark after a
    figure that the notes below the table explain."""

    def text(row: Any, i: int) -> str:
        cell = row.cells[i] + (f" {row.marks[i]})" if row.marks and row.marks[i] else "")
        return f"{cell}\n{row.extra[i]}" if row.extra and row.extra[i] else cell

    w.table(
        (first or table.title, *table.header),
        [(row.label, *(text(row, i) for i in range(len(row.cells)))) for row in table.rows],
        _widths(len(table.header)),
        kinds=[row.kind for row in table.rows],
    )
    for note in table.notes:
        w.para(f"{note.mark}) {note.text}" if note.mark else note.text, size=8.5)


# --- the plan ------------------------------------------------------------------------------


def plan_docx(
    plan_id: str, plan: Plan, budget: Budget, findings: list[Finding], criteria: Any = None
) -> bytes:
    from finsamplan.render.charts import all_charts
    from finsamplan.render.view import build

    doc = replace(
        build(plan_id, plan, budget, findings),
        charts=all_charts(budget, "png"),
        criteria=criteria,
    )
    w = Word(
        f"{doc.title} – {doc.forbund}",
        running=f"{doc.short_name} · {doc.title}",
        author=doc.forbund,
    )
    _cover(w, doc)
    for section in doc.sections:
        _section(w, doc, section)
    if doc.findings:
        _findings(w, doc)
    if doc.criteria:
        _criteria(w, doc)
    return w.bytes()


def _cover(w: Word, doc: DocumentView) -> None:
    w.para(doc.forbund, size=14)
    w.doc.add_paragraph(doc.title, style="Title")
    if doc.plan.motto:
        w.prose("\n".join(f"> {line}" for line in doc.plan.motto.strip().splitlines()))
    w.para(f"Skapad med finsamplan från planfilen {doc.plan_id}.", size=8)
    w.page_break()
    w.para("Innehåll", bold=True, size=14)
    entries = [(e.label, e.level) for e in doc.toc]
    if doc.findings:
        entries.append(("Anmärkningar från kontrollen", 1))
    entries += [(f"Insatser mot kriterierna ({view.name})", 1) for view in doc.criteria or ()]
    w.toc(entries)
    w.page_break()


def _section(w: Word, doc: DocumentView, section: SectionView) -> None:
    w.heading(section.heading, section.level)
    w.prose(section.text, section.level)
    if section.generated == "budget":
        for table in section.tables:
            budget_table(w, table)
        if section.budget_end:
            _budget_end(w, doc, section.level)
    elif section.generated == "activities":
        for card in doc.cards:
            _card(w, card, section.level + 1)
    for child in section.children:
        _section(w, doc, child)


def _budget_end(w: Word, doc: DocumentView, level: int) -> None:
    """After the summary: the note on the room, the charts, the contributions per member."""
    if doc.plan.reserve.amounts:
        w.para(
            "Utrymme för ny verksamhet = intäkter och kapital − kostnader − reserv; "
            "reserven står inom parentes.",
            size=8.5,
        )
    for chart in doc.charts:
        w.image(chart)
    c = doc.contributions
    if c is not None:
        w.heading("Medlemsbidrag per medlem", level + 1)
        budget_table(w, c.table, "Medlem")
        for table in c.workings:
            w.para(table.title, bold=True, size=9)
            budget_table(w, table, "Medlem")
        for note in c.notes:
            w.para(note, size=8.5)
    _position(w, doc, level)


def _position(w: Word, doc: DocumentView, level: int) -> None:
    """The financial position at year end and the financial goals (render/position.py)."""
    p = doc.position
    if p is None:
        return
    w.heading("Ekonomisk ställning vid årets slut", level + 1)
    budget_table(w, p.table)
    if p.goals is None:
        w.para(p.no_goals, size=8.5)
        return
    w.heading("Finansiella mål", level + 1)
    budget_table(w, p.goals)


def _card(w: Word, card: Card, level: int) -> None:
    w.heading(f"{card.number} {card.title}", level)
    facts: list[tuple[str, str]] = []
    if card.period:
        note = f" ({card.period_note})" if card.period_note else ""
        facts.append(("Projektperiod", card.period + note))
    if card.owner:
        facts.append(("Projektägare", card.owner))
    if card.budget:
        parts = "; ".join(f"{label} {amount}" for label, amount in card.budget_parts)
        text = str(card.budget) + (f" ({parts})" if parts else "")
        text += f" ({card.budget_note})" if card.budget_note else ""
        facts.append((card.budget_label, text))
    elif card.budget_note:
        facts.append(("Budget", card.budget_note))
    if card.evaluation:
        facts.append(("Utvärdering", card.evaluation))
    for label, text in facts:
        paragraph = w.doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)
    for title, block in (("Bakgrund", card.background), ("Målgrupp", card.target_group)):
        if block:
            w.heading(title, level + 1)
            w.prose(block, level + 1)
    if card.description:
        if card.kind == "projekt":
            w.heading("Beskrivning och målsättning", level + 1)
        w.prose(card.description, level + 1 if card.kind == "projekt" else level)


def _findings(w: Word, doc: DocumentView) -> None:
    w.page_break()
    w.heading("Anmärkningar från kontrollen", 1)
    count = {s: sum(f.severity.value == s for f in doc.findings) for s in ("error", "warning")}
    infos = len(doc.findings) - sum(count.values())
    w.para(
        f"Kontrollen av planen (finsamplan validate {doc.plan_id}) gav "
        f"{severity_counts(count['error'], count['warning'], infos)}. Alla står här, fel och "
        "varningar först."
    )
    ordered = sorted(doc.findings, key=lambda f: f.severity.rank)
    w.table(
        ("Kod", "Nivå", "Meddelande"),
        [(f.code, f.severity.label, f.message) for f in ordered],
        [2.0, 2.0, TEXT_WIDTH - 4.0],
        numeric=[False, False, False],
    )


def _criteria(w: Word, doc: DocumentView) -> None:
    """One appendix per criteria profile, as criteria.html.j2: the matrix on a landscape
    page, each criterion named in its column head and each verdict in words."""
    w.section(landscape=True)
    for view in doc.criteria:
        w.heading(f"Insatser mot kriterierna ({view.name})", 1)
        if view.source:
            w.para(f"Källa: {view.source} ({view.basis}).")
        first, width = 5.5, 25.7
        count = len(view.criteria)
        w.table(
            ("Insats", *(f"{i}. {title}" for i, title in enumerate(view.criteria, start=1))),
            [(r.title, *(f"{mark} {label}" for _, mark, label in r.cells)) for r in view.insatser],
            [first, *([(width - first) / max(1, count)] * count)],
            numeric=[False] * (count + 1),
        )
        w.para(f"{view.legend}.", size=8.5)
        for r in view.insatser:
            if r.verdicts:
                w.heading(r.title, 2)
                w.bullets([_verdict(v) for v in r.verdicts])
        if view.plan:
            w.heading("Förbundet", 2)
            w.bullets([_verdict(v) for v in view.plan])
        if view.notes:
            w.heading("Att känna till (bedöms inte)", 2)
            w.bullets([f"{n.title}: {n.source} {n.reason}" for n in view.notes])


def _verdict(v: Any) -> str:
    text = f"{v.mark} {v.title} ({v.label}; {v.severity}): {v.detail}"
    return text + (f" Tolkning: {v.interpretation}" if v.interpretation else "")


# --- the decision memo ---------------------------------------------------------------------


def memo_docx(memo: MemoView) -> bytes:
    """The decision memo, as memo.html.j2 shows it."""
    act = memo.activity
    forbund = memo.plan.forbund
    w = Word(
        f"Beslutsunderlag: {act.title} – {forbund.name}",
        running=f"{forbund.short_name or forbund.name} · Beslutsunderlag",
        author=forbund.name,
    )
    w.para(f"{forbund.name} · {memo.plan.title}")
    w.heading(f"Beslutsunderlag: {act.title}", 1)
    facts = [("Datum", str(memo.created))]
    if act.decision and act.decision.meeting:
        facts.append(("Sammanträde", str(act.decision.meeting)))
    if memo.period:
        facts.append(("Period", memo.period))
    if act.owner:
        facts.append(("Projektägare", act.owner))
    facts.append(("Parter", memo.parties))
    for label, text in facts:
        paragraph = w.doc.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(text)
    w.heading("Förslag till beslut", 2)
    if memo.proposal.draft:
        w.para(
            "Utkast: planen har inget förslag till beslut (decision.proposal). Skriv "
            "förbundets förslag där; texten nedan är en mall.",
            bold=True,
        )
    w.para(memo.proposal.text)
    for title, block in (("Målgrupp", act.target_group), ("Beskrivning", act.description)):
        if block:
            w.heading(title, 2)
            w.prose(block, 2)
    w.heading("Budget", 2)
    if memo.rows:
        w.table(
            ("Rad", *memo.header),
            [(r.label, *r.cells) for r in memo.rows],
            _widths(len(memo.header)),
            kinds=["total" if r.kind == "total" else "row" for r in memo.rows],
        )
        w.bullets(list(memo.notes))
    else:
        w.para(act.budget_note or "Insatsen har ingen egen budgetrad.")
    _memo_rest(w, memo)
    return w.bytes()


def _memo_rest(w: Word, memo: MemoView) -> None:
    w.heading("Kriterier", 2)
    if not memo.criteria:
        w.para(
            "Ingen kriterieprofil gäller för planen (ange criteria: i planfilen eller --criteria)."
        )
    for part in memo.criteria:
        w.heading(part.profile, 3)
        w.table(
            ("Kriterium", "Bedömning", "Belägg, skäl eller fråga"),
            [
                (
                    v.title,
                    f"{v.mark} {v.label} ({v.severity})",
                    v.detail + (f"\nTolkning: {v.interpretation}" if v.interpretation else ""),
                )
                for v in part.verdicts
            ],
            [5.0, 3.5, TEXT_WIDTH - 8.5],
            numeric=[False, False, False],
        )
    w.heading("Kontrollpunkter", 2)
    if memo.checkpoints:
        w.bullets(list(memo.checkpoints))
    else:
        w.para("Inga kontrollpunkter är angivna.")
    w.heading("Öppna frågor inför beslutet", 2)
    if memo.open_points:
        w.bullets([_open_point(profile, v) for profile, v in memo.open_points])
    elif memo.criteria:
        w.para("Inga: planen dokumenterar alla kriterier som gäller insatsen.")
    else:
        w.para("Inga kriterier prövade.")


def _open_point(profile: str, v: Any) -> str:
    head = f"{v.title} ({profile}, {v.label}): "
    if v.status == "not_documented":
        reasons = f" ({'; '.join(v.reasons)})" if v.reasons else ""
        return head + (v.question or "") + reasons
    return head + "; ".join(v.reasons)


# --- the follow-up report ------------------------------------------------------------------


def followup_docx(f: Followup) -> bytes:
    from finsamplan.render.followup_out import DEVIATION_HEAD, DEVIATION_NOTE, chart, sentence

    forbund = f.plan.forbund
    w = Word(
        f"Ekonomisk uppföljning {f.year} – {forbund.name}",
        running=f"{forbund.short_name or forbund.name} · Uppföljning {f.year}",
        author=forbund.name,
    )
    w.para(f"{forbund.name} · {f.plan.title}")
    w.heading(f"Ekonomisk uppföljning {f.year} till och med {f.until}", 1)
    if f.warnings:
        w.heading("Att uppmärksamma", 2)
        w.bullets([sentence(x.message) for x in f.warnings])
    if not f.has_data:
        w.para(f.no_data_reason)
    w.image(chart(f, "png"))
    budgets = ("Antagen budget", "Reviderad budget") if f.revised else ("Budget",)
    head = (*budgets, "Utfall", "Förbrukat", "Väntat hittills", "Prognos helår", DEVIATION_HEAD)
    if f.revised:
        which = "reviderade" if f.baseline == "revised" else "antagna"
        w.para(f"Utfall och prognos jämförs med den {which} budgeten; båda visas.")
    for g in f.groups:
        w.heading(g.title, 2)
        lines = [ln for ln in f.lines if ln.group == g.id]
        rows = [_followup_row(ln.label, ln, f.revised, f.has_data) for ln in lines]
        rows.append(_followup_row("Summa", g, f.revised, f.has_data))
        w.table(
            ("Rad", *head),
            rows,
            _widths(len(head), amount=2.0),
            kinds=["row"] * len(lines) + ["total"],
        )
    w.para(DEVIATION_NOTE)
    _result(w, f, DEVIATION_HEAD)
    _reconciliation(w, f)
    _followup_rows(w, f)
    return w.bytes()


def _followup_row(label: str, x: Any, both: bool = False, has_data: bool = True) -> tuple[str, ...]:
    """A line or a group: budget (adopted and revised, when the plan has decisions), actual,
    share used, expected, forecast, deviation with its sign ("ingen uppgift" for what the
    export does not give)."""
    from finsamplan.render.followup_out import known

    budgets = (
        (format_kronor(x.adopted), format_kronor(x.revised or 0))
        if both
        else (format_kronor(x.budget),)
    )
    share = format_share(x.share_used) if has_data else known(0, False)
    return (
        label,
        *budgets,
        known(x.actual, has_data),
        share,
        format_kronor(x.expected),
        known(x.forecast, has_data),
        known(x.deviation, has_data, sign=True),
    )


def _result(w: Word, f: Followup, deviation_head: str) -> None:
    """The year's income, costs, result and equity: budget, to date, forecast, deviation
    (the rows of ``followup_out.result_rows``, as in the HTML and the workbook)."""
    from finsamplan.render.followup_out import known, result_rows

    rows = result_rows(f)
    w.heading("Resultat och eget kapital", 2)
    w.table(
        ("Post", "Budget", "Utfall hittills", "Prognos helår", deviation_head),
        [
            (
                r.label,
                format_kronor(r.budget),
                known(r.actual, r.known),
                known(r.forecast, r.known),
                known(r.deviation, r.known, sign=True),
            )
            for r in rows
        ],
        _widths(4, amount=2.4),
        kinds=["total" if r.strong else "row" for r in rows],
    )


def _reconciliation(w: Word, f: Followup) -> None:
    """The same reconciliation table as the HTML, the terminal and the workbook."""
    from finsamplan.base.money import format_ore as ore
    from finsamplan.render.followup_out import reconciliation

    w.heading("Avstämning mot exporten", 2)
    from finsamplan.render.followup_out import board_file

    w.para(
        f"Varje rad i {board_file(f.imported.file)} står på ett ställe nedan. "
        f"Beloppsformat: {f.imported.amount_format}."
    )
    rows = reconciliation(f)
    w.table(
        ("Post", "Rader", "Kronor"),
        [
            (
                r.label,
                str(r.rows) if r.rows is not None else "",
                ore(r.amount) if r.amount is not None else ("–" if r.kind != "other" else ""),
            )
            for r in rows
        ],
        [TEXT_WIDTH - 6.0, 2.0, 4.0],
        kinds=["total" if r.kind in ("sum", "difference") else "row" for r in rows],
    )


def _followup_rows(w: Word, f: Followup) -> None:
    from finsamplan.base.money import format_ore as ore

    rec, imp = f.reconciliation, f.imported
    if rec.unmapped:
        w.heading("Omappade rader", 3)
        w.table(
            ("Rad", "Datum", "Konto", "Ansvar", "Text", "Belopp"),
            [
                (str(r.row), str(r.date), r.account, r.cost_centre, r.text, ore(r.amount))
                for r in rec.unmapped
            ],
            [1.2, 2.3, 1.8, 1.8, 7.2, 2.7],
            numeric=[True, False, False, False, False, True],
        )
    if rec.totals:
        w.heading("Summarader", 3)
        w.table(
            ("Rad", "Text", "Belopp", "Summerar"),
            [
                (
                    str(t.row),
                    t.text,
                    ore(t.amount),
                    ("exportens summa" if t.grand else "delsumma")
                    + (
                        f", raderna från rad {t.first}"
                        if t.first is not None
                        else ", stämmer inte med raderna ovanför"
                    ),
                )
                for t in rec.totals
            ],
            [1.2, 7.0, 2.8, TEXT_WIDTH - 11.0],
            numeric=[True, False, True, False],
        )
    problems = [*imp.malformed, *imp.notes]
    if problems:
        w.heading("Rader som inte kunde läsas och andra anmärkningar om filen", 3)
        from finsamplan.render.followup_out import board_finding

        w.bullets([board_finding(m) for m in problems])
