"""What each tab of a plan shows: the template's values, from the page's query and the plan.

One function per tab (``TAB_CONTEXT``); each runs in a worker thread and calls the core
through pages.py. Query values are the user's: an export is looked up with
security.inside like any other path, a date is checked before use.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from finsamplan.web import editor, pages
from finsamplan.web.html import render
from finsamplan.web.security import inside
from finsamplan.web.state import PlanState, Served

Query = Mapping[str, str]
EXPORTS = pages.EXPORT_SUFFIXES


def overview(query: Query, state: PlanState, served: Served) -> dict[str, Any]:
    """Key figures and what to do next; after a save, which backup holds the old text."""
    kept = query.get("sparat", "")
    backup = state.path.parent / editor.HISTORY / kept
    shown = kept if editor.BACKUP_NAME.fullmatch(kept) and backup.is_file() else None
    shown = "lika" if kept == "lika" else shown
    return {"summary": pages.summary(state) if state.ok else None, "saved": shown}


def document(_query: Query, state: PlanState, _served: Served) -> dict[str, Any]:
    from finsamplan.plan.images import assets_folder
    from finsamplan.render.templating import images_from

    doc = pages.document(state)
    with images_from(assets_folder(state.path)):
        body = render("document-body.html.j2", doc=doc)
    return {"doc": doc, "body": body}


def findings(_query: Query, state: PlanState, _served: Served) -> dict[str, Any]:
    return {"contexts": pages.contexts(state)}


def budget(_query: Query, state: PlanState, _served: Served) -> dict[str, Any]:
    """The document's own budget partial, with every table at once (render/view.py)."""
    section = SimpleNamespace(tables=pages.tables(state), budget_end=True, level=0)
    return {"doc": pages.document(state), "section": section}


def forecast(query: Query, state: PlanState, served: Served) -> dict[str, Any]:
    from finsamplan.figures.budget import summary_names, total_title
    from finsamplan.plan.labels import TOTAL_TITLES

    found = pages.forecasts(state)
    wanted = query.get("scenario") or None
    result = next((r for r in found.results if r.scenario == wanted), None)
    result = result or (found.results[0] if found.results else None)
    return {
        "forecasts": found,
        "result": result,
        "measures": [(n, TOTAL_TITLES[n]) for n in ("equity", "surplus", "room")],
        "summary_names": summary_names,
        "total_title": total_title,
    }


def followup(query: Query, state: PlanState, served: Served) -> dict[str, Any]:
    chosen = query.get("export")
    until_text = query.get("till", "").strip()
    context: dict[str, Any] = {
        "exports": pages.exports(served.root),
        "chosen": chosen,
        "until": until_text,
        "report": None,
        "problem": None,
    }
    if chosen:
        export = inside(served.root, chosen)
        if export is None or not export.is_file() or not chosen.lower().endswith(EXPORTS):
            context["problem"] = f"Filen {chosen} finns inte i mappen."
            return context
        try:
            until = date.fromisoformat(until_text) if until_text else None
        except ValueError:
            context["problem"] = f"Datumet {until_text} ska skrivas ÅÅÅÅ-MM-DD, t.ex. 2023-10-31."
            return context
        context["report"] = pages.followup(state, export, until)
    return context


def criteria(_query: Query, state: PlanState, _served: Served) -> dict[str, Any]:
    from finsamplan.render.criteria_out import appendix

    results, problems = pages.criteria_results(state)
    views = appendix(results)
    return {"views": views, "problems": problems, "doc": SimpleNamespace(criteria=views)}


TAB_CONTEXT = {
    "plan": overview,
    "dokument": document,
    "anmarkningar": findings,
    "budget": budget,
    "prognos": forecast,
    "uppfoljning": followup,
    "kriterier": criteria,
}
