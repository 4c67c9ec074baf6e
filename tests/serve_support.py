"""``finsamplan serve`` for the tests: the real app on uvicorn, on a free port of 127.0.0.1.

The server runs in a thread of the test process on a copy of the plans in ``tmp_path``;
requests go over real sockets, by ``http.client`` (which sends a path exactly as written,
``../`` and all) or by Debian's Chromium driven by playwright. A missing client fails the
test: .ci/run installs chromium and axe-core (tests/node_modules).
"""

from __future__ import annotations

import http.client
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from clients import AXE, AXE_TAGS, CHROMIUM, CHROMIUM_ARGS

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
EXPORT = TESTS / "data" / "finsamgotland-2023-10.csv"


def plans_copy(tmp: Path) -> Path:
    """plans/ (plan-2023 and the examples) and an export, in a folder of their own."""
    root = tmp / "planer"
    shutil.copytree(REPO / "plans", root)
    shutil.copy(EXPORT, root / EXPORT.name)
    return root


@dataclass
class Running:
    base: str
    port: int
    token: str
    root: Path
    server: Any = field(repr=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        cookie: str | None = None,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], str]:
        """One request with the path sent as written; status, headers, body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = dict(headers or {})
        if cookie:
            sent["Cookie"] = f"finsamplan_session={cookie}"
        if body is not None:
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        conn.request(method, path, body=body.encode() if body is not None else None, headers=sent)
        response = conn.getresponse()
        data = response.read().decode("utf-8", "replace").replace("\xa0", " ")  # kronor
        found = {k.lower(): v for k, v in response.getheaders()}
        conn.close()
        return response.status, found, data

    @property
    def generation(self) -> int:
        """How many batches of changes on disk the server has seen."""
        return int(self.server.config.app.state.changes.generation)

    def settle(self, seen: int) -> None:
        """Wait until the server has seen a change after generation ``seen``."""
        deadline = time.monotonic() + 15
        while self.generation <= seen:
            if time.monotonic() > deadline:
                pytest.fail("the server did not see the change on disk")
            time.sleep(0.02)

    def login(self) -> str:
        """The session cookie the token URL gives."""
        status, headers, _ = self.request("GET", f"/?token={self.token}")
        assert status == 200
        cookie = headers["set-cookie"]
        return cookie.split(";", 1)[0].split("=", 1)[1]


@contextmanager
def running(
    root: Path, files: tuple[Path, ...] = (), watching: bool = True, readonly: bool = False
) -> Iterator[Running]:
    import uvicorn

    from finsamplan.web.app import create_app
    from finsamplan.web.security import Guard, local_hosts
    from finsamplan.web.server import bind
    from finsamplan.web.state import Served

    address = bind("127.0.0.1", 0)
    guard = Guard(hosts=local_hosts("127.0.0.1", address.port))
    app = create_app(Served(root.resolve(), files, readonly), guard, watching=watching)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", timeout_graceful_shutdown=1)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [address.sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("finsamplan serve did not start")
        time.sleep(0.02)
    try:
        yield Running(f"http://127.0.0.1:{address.port}", address.port, guard.token, root, server)
    finally:
        server.should_exit = True
        thread.join(15)
        address.sock.close()


@contextmanager
def chromium() -> Iterator[Any]:
    """Debian's Chromium, headless, driven by playwright; never a browser it downloads."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is required (apt-get install chromium; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA (and best-practice) violations on the page as it is now.

    Injected by evaluation (the app's Content-Security-Policy allows no inline script)."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests (.ci/run does)")
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]
