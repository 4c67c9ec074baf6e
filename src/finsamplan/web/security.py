"""Who may use the served plans, and which files a request may name.

``serve`` runs on a person's own machine, often with other programs and web pages open in
the same browser. So, as Jupyter does: a random token in the URL printed at start; the
first request that shows it gets a session cookie (HttpOnly, SameSite=Strict) and every
later request needs that cookie, or it gets 403. Forms carry a per-session CSRF token and
POSTs must come from the app's own origin. The Host header must name the server itself
(no DNS rebinding). Paths come from URLs only as names relative to the served folder,
resolved (symbolic links followed) and checked to stay inside it; anything else is 404.
"""

from __future__ import annotations

import hashlib
import hmac
import html
import secrets
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

COOKIE = "finsamplan_session"
MAX_PATH = 1024  # characters of a relative path taken from a URL
MAX_SESSIONS = 1000  # browsers logged in with the token; the oldest is forgotten first


@dataclass
class Guard:
    """The access token printed at start, the sessions it opened and their CSRF tokens."""

    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    hosts: frozenset[str] = frozenset()  # acceptable Host headers; empty: any
    _key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    _sessions: dict[str, None] = field(default_factory=dict, repr=False)  # oldest first

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def open_session(self) -> str:
        if len(self._sessions) >= MAX_SESSIONS:
            self._sessions.pop(next(iter(self._sessions)))
        session = secrets.token_urlsafe(32)
        self._sessions[session] = None
        return session

    def session_ok(self, session: str | None) -> bool:
        """A session this server opened (the cookie is random, 256 bits: a lookup is safe)."""
        return session is not None and session in self._sessions

    def csrf(self, session: str) -> str:
        """The form token of one session: an HMAC, so nothing more is stored."""
        return hmac.new(self._key, session.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, session: str | None, given: str | None) -> bool:
        if not session or not given or not self.session_ok(session):
            return False
        return hmac.compare_digest(self.csrf(session).encode(), given.encode())

    def host_ok(self, host: str | None) -> bool:
        return not self.hosts or (host or "").lower() in self.hosts


def local_hosts(host: str, port: int) -> frozenset[str]:
    """The Host headers a browser sends for this server; empty (any) on all interfaces."""
    if host in ("0.0.0.0", "::", ""):
        return frozenset()
    names = {host, f"[{host}]" if ":" in host else host}
    if host in ("127.0.0.1", "localhost", "::1"):
        names |= {"127.0.0.1", "localhost", "[::1]"}
    return frozenset(f"{n}:{port}".lower() for n in names)


def same_origin(origin: str | None, host: str | None, referer: str | None = None) -> bool:
    """A state-changing request comes from this server's own pages.

    Its Origin names this server, or, when a browser sends no Origin, its Referer does (the
    pages send Referrer-Policy: same-origin, so the browser sends it for the app's own
    forms). A request with neither is refused: the CSRF token alone is not enough.
    """
    claimed = origin if origin not in (None, "null") else referer
    if not claimed or not host:
        return False
    parts = urlsplit(claimed)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


def inside(root: Path, relative: str) -> Path | None:
    """The file ``relative`` names under ``root``, or None if it would be anywhere else.

    Refused: absolute paths, ``..`` parts, backslashes and NUL bytes, and any path that,
    once symbolic links are followed, is not inside ``root``.
    """
    if not relative or len(relative) > MAX_PATH or "\x00" in relative or "\\" in relative:
        return None
    pure = PurePosixPath(relative)
    if pure.is_absolute() or any(part in ("..", ".") for part in pure.parts):
        return None
    if any(part.startswith(".") for part in pure.parts):
        return None  # hidden files and folders (.git, .finsamplan-history) are not served
    try:
        base = root.resolve()
        path = (base / pure).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if not path.is_relative_to(base) or path == base:
        return None
    return path


def relative_name(root: Path, path: Path) -> str:
    """The name of ``path`` in URLs: relative to the served folder, with ``/``."""
    return path.resolve().relative_to(root.resolve()).as_posix()


HEADERS = [
    (
        b"content-security-policy",
        b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        b"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
        b"frame-ancestors 'none'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),  # no-referrer would make a form's Origin "null"
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]

REFUSED = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Ingen åtkomst – finsamplan</title></head>
<body><main><h1>Ingen åtkomst</h1>
<p>{reason}</p>
<p>Öppna adressen som skrevs ut när <code>finsamplan serve</code> startades: den slutar med
<code>?token=</code> och en lång kod. Be den som startade programmet om den.</p>
</main></body></html>
"""

WELCOME = """<!DOCTYPE html>
<html lang="sv"><head><meta charset="utf-8"><link rel="icon" href="data:,">
<title>Välkommen – finsamplan</title>
<meta http-equiv="refresh" content="0; url={target}"></head>
<body><main><h1>Välkommen</h1><p><a href="{target}">Fortsätt till planerna</a></p></main>
</body></html>
"""


class Gate:
    """ASGI middleware in front of every route: Host, token or session, security headers.

    The token URL answers with a page that moves on to the same address without the token
    (a same-site navigation, so the SameSite=Strict cookie goes with it, and the token
    leaves the address bar and the history).
    """

    def __init__(self, app: Any, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        from starlette.requests import Request

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        request = Request(scope)
        response = self.check(request)
        if response is not None:
            await response(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def check(self, request: Any) -> Any:
        """A response that ends the request here (refused, or the token login), or None."""
        from starlette.responses import HTMLResponse

        if not self.guard.host_ok(request.headers.get("host")):
            return HTMLResponse(REFUSED.format(reason="Okänd värd i adressen."), 403)
        given = request.query_params.get("token")
        if given is not None:
            if not self.guard.token_ok(given):
                return HTMLResponse(REFUSED.format(reason="Koden i adressen stämmer inte."), 403)
            target = _target(request.url.path, [(k, v) for k, v in request.query_params.items()])
            response = HTMLResponse(WELCOME.format(target=html.escape(target)))
            session = self.guard.open_session()
            response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
            return response
        session = request.cookies.get(COOKIE)
        if not self.guard.session_ok(session):
            return HTMLResponse(REFUSED.format(reason="Du är inte inloggad."), 403)
        request.scope.setdefault("state", {})["session"] = session
        return None


def _target(path: str, query: list[tuple[str, str]]) -> str:
    """The same page without the token: always a path on this server."""
    target = "/" + quote(path.lstrip("/"), safe="/-._~")
    rest = [(k, v) for k, v in query if k != "token"]
    return target + ("?" + urlencode(rest) if rest else "")
