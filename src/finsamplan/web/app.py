"""The web app of ``finsamplan serve``: routes, each a page of one plan or of all of them.

Routes name a plan by its path relative to the served folder (``/plan/plan-2023.yaml``);
security.inside turns that into a file or refuses it (404). Computing runs in worker
threads (run_in_threadpool), so the event stream of changes stays live meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.routing import Route

from finsamplan.base.errors import FinsamplanError
from finsamplan.web import editor, pages, watch
from finsamplan.web.html import STATIC, render
from finsamplan.web.security import Gate, Guard, inside, same_origin
from finsamplan.web.state import Cache, PlanState, Served
from finsamplan.web.tabs import TAB_CONTEXT

ASSETS = {"app.css": "text/css", "app.js": "text/javascript", "plan.css": "text/css"}
MAX_FORM = 3 * 20 * 1024 * 1024  # a plan file at its limit, percent-encoded
TABS = (
    ("plan", "Översikt"),
    ("dokument", "Dokumentet"),
    ("anmarkningar", "Anmärkningar"),
    ("budget", "Budget"),
    ("prognos", "Prognos"),
    ("uppfoljning", "Uppföljning"),
    ("kriterier", "Kriterier"),
    ("redigera", "Redigera"),
)


class NotFound(FinsamplanError):
    """A plan or file that is not served here (or not at all): 404, whatever the reason."""


def create_app(served: Served, guard: Guard, *, watching: bool = True) -> Starlette:
    cache = Cache(served.root)
    changes = watch.Changes()

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = None
        warm = asyncio.create_task(_warm_soon(served, cache))
        if watching:

            def on_change(paths: list[Path]) -> bool:
                """Re-render now, so the reloading page gets it at once; anything new?"""
                plans = {p.resolve() for p in served.plans()}
                new = [cache.refresh(p) if p in plans else True for p in paths]
                return any(new)

            deep = not served.files  # one named plan: its folder only, not the folders below
            task = asyncio.create_task(watch.watch(served.root, changes, on_change, stop, deep))
        yield
        stop.set()
        warm.cancel()
        await changes.stop()
        if task is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(task, 2)

    routes = [
        Route("/", index),
        Route("/andringar", events),
        Route("/static/{name}", asset),
        *(Route(f"/{tab}/{{rel:path}}", plan_page) for tab, _ in TABS if tab != "redigera"),
        Route("/fil/{rel:path}", source_page),
        Route("/ladda-ner/{fmt}/{rel:path}", download),
        Route("/redigera/{rel:path}", edit_page, methods=["GET", "POST"]),
    ]
    handlers = {404: not_found, 500: internal_error}
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers=handlers)
    app.state.served, app.state.guard, app.state.cache = served, guard, cache
    app.state.changes = changes
    app.add_exception_handler(NotFound, not_found)
    app.add_middleware(Gate, guard=guard)
    return app


async def _warm_soon(served: Served, cache: Cache) -> None:
    """Read and check every plan once, so the first page comes at once; after the server
    answers (the address with the token needs none of it)."""
    await asyncio.sleep(0.2)
    await asyncio.to_thread(_warm, served, cache)


def _warm(served: Served, cache: Cache) -> None:
    for path in served.plans():
        cache.get(path.resolve())


def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    state = request.app.state
    session = request.scope.get("state", {}).get("session", "")
    text = render(
        name,
        generation=state.changes.generation,
        csrf=state.guard.csrf(session) if session else "",
        readonly=state.served.readonly,
        tabs=TABS,
        **context,
    )
    return HTMLResponse(text, status)


async def not_found(request: Request, _exc: Exception) -> Response:
    return page(request, "notfound.html.j2", 404, title="Sidan finns inte")


async def internal_error(_request: Request, exc: Exception) -> Response:
    """A fault in finsamplan: said in Swedish; the traceback goes to the terminal only."""
    return HTMLResponse(INTERNAL.format(error=html.escape(repr(exc)[:200])), 500)


INTERNAL = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Något gick fel – finsamplan</title></head>
<body><main><h1>Något gick fel</h1>
<p>Sidan kunde inte visas på grund av ett fel i finsamplan ({error}). Inget har ändrats i
planfilerna. <a href="/">Tillbaka till planerna</a>. Rapportera gärna felet med det som står i
terminalfönstret där finsamplan startades.</p></main></body></html>
"""


async def index(request: Request) -> Response:
    served: Served = request.app.state.served
    cache: Cache = request.app.state.cache

    def states() -> list[PlanState]:
        return [cache.get(p.resolve()) for p in served.plans()]

    listed = await run_in_threadpool(states)
    return page(request, "index.html.j2", title="Planer", states=listed, root=served.root)


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS:
        raise NotFound
    if name == "plan.css":
        from finsamplan.plan.catalog import data_dir

        return FileResponse(data_dir("templates") / name, media_type=ASSETS[name])
    return FileResponse(STATIC / name, media_type=ASSETS[name])


async def events(request: Request) -> Response:
    try:
        seen = int(request.query_params.get("sedan", "0"))
    except ValueError:
        seen = 0
    stream = watch.events(request.app.state.changes, seen)
    return StreamingResponse(stream, media_type="text/event-stream")


def plan_path(request: Request) -> Path:
    """The served plan file the URL names, or NotFound."""
    served: Served = request.app.state.served
    path = inside(served.root, request.path_params["rel"])
    if path is None or not path.is_file() or not served.is_plan(path):
        raise NotFound
    return path


async def plan_state(request: Request) -> PlanState:
    return await run_in_threadpool(request.app.state.cache.get, plan_path(request))


async def plan_page(request: Request) -> Response:
    tab = request.url.path.split("/", 2)[1]
    state = await plan_state(request)
    context: dict[str, Any] = {"state": state, "tab": tab}
    if not state.ok and tab not in ("plan", "anmarkningar"):
        return page(request, "unreadable.html.j2", title=dict(TABS)[tab], **context)
    query, served = request.query_params, request.app.state.served
    extra = await run_in_threadpool(TAB_CONTEXT[tab], query, state, served)
    return page(request, f"{tab}.html.j2", title=dict(TABS)[tab], **context, **extra)


DOWNLOADS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
}


async def download(request: Request) -> Response:
    """The plan document as ``render`` writes it (PDF, XLSX or HTML), to save or print."""
    fmt = request.path_params["fmt"]
    if fmt not in DOWNLOADS:
        raise NotFound
    state = await plan_state(request)
    if not state.ok:
        return page(request, "unreadable.html.j2", title="Ladda ner", state=state, tab="")
    data = await run_in_threadpool(_document_file, state, fmt)
    name = f"{state.path.stem}.{fmt}"
    disposition = f'attachment; filename="{quote(name)}"'
    return Response(data, media_type=DOWNLOADS[fmt], headers={"content-disposition": disposition})


def _document_file(state: PlanState, fmt: str) -> bytes:
    from finsamplan.plan.images import assets_folder
    from finsamplan.render.criteria_out import appendix
    from finsamplan.render.document import render as render_document

    loaded, budget = state.loaded, state.budget
    assert loaded is not None and loaded.plan is not None and budget is not None
    results, _ = pages.criteria_results(state)
    views = appendix(results)
    assets = assets_folder(state.path)
    files = render_document(
        loaded.id, loaded.plan, budget, state.findings, [fmt], None, views, assets
    )
    return next(iter(files.values()))


async def source_page(request: Request) -> Response:
    state = await plan_state(request)
    try:
        line = int(request.query_params.get("rad", "0"))
    except ValueError:
        line = 0
    return page(request, "source.html.j2", title="Planfilen", state=state, tab="", line=line)


async def edit_page(request: Request) -> Response:
    state = await plan_state(request)
    context: dict[str, Any] = {
        "state": state,
        "tab": "redigera",
        "title": "Redigera planfilen",
        "checked": None,
        "conflict": False,
        "stale": False,
    }
    if request.method == "GET":
        return page(
            request,
            "editor.html.j2",
            text=state.data.decode("utf-8", "replace"),
            opened=state.sha,
            **context,
        )
    form = await read_form(request)
    guard: Guard = request.app.state.guard
    session = request.scope.get("state", {}).get("session")
    headers = request.headers
    origin_ok = same_origin(headers.get("origin"), headers.get("host"), headers.get("referer"))
    if not origin_ok or not guard.csrf_ok(session, form.get("csrf")):
        return page(request, "refused.html.j2", 403, **context)
    if request.app.state.served.readonly:
        return page(request, "refused.html.j2", 403, **context)
    response = await run_in_threadpool(edit, request, state, form, context)
    if isinstance(response, RedirectResponse):  # saved: pages open elsewhere reload
        await request.app.state.changes.bump()
    return response


def edit(
    request: Request, state: PlanState, form: dict[str, str], context: dict[str, Any]
) -> Response:
    """Kontrollera: load and judge the text. Spara: the same, then write it if it loads and
    was checked as it is and the file is still the one opened."""
    text, opened = form.get("text", ""), form.get("opened", "")
    checked = editor.check(text, state.data, state.path, state.rel)
    base = {**context, "text": text, "opened": opened, "checked": checked}
    if form.get("action") != "spara":
        return page(request, "editor.html.j2", **base)
    if form.get("checked") != checked.sha:
        return page(request, "editor.html.j2", 409, **{**base, "stale": True})
    try:
        saved = editor.save(state.path, text, opened, state.rel)
    except editor.Conflict:
        return page(request, "editor.html.j2", 409, **{**base, "conflict": True})
    except editor.Refused:
        return page(request, "editor.html.j2", 422, **base)
    request.app.state.cache.get(state.path)  # re-rendered before the browser asks
    kept = f"?sparat={quote(saved.backup.name)}" if saved.backup else "?sparat=lika"
    return RedirectResponse(f"/plan/{quote(state.rel)}{kept}", 303)


async def read_form(request: Request) -> dict[str, str]:
    """An urlencoded form, at most MAX_FORM bytes; the first value of each field."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM:
            return {}
    try:
        fields = parse_qs(
            body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=20
        )
    except ValueError:  # more fields than any form of ours has
        return {}
    return {k: v[0] for k, v in fields.items()}
