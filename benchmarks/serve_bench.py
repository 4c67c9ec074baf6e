"""`finsamplan serve`: start-up and re-rendering after a change (benchmarks/run.py).

1. start: from starting the process to the first 200 response (the token URL), as a user
   waits for it; the whole command, with the file watcher, on a copy of plans/; and to the
   first page with the plans (every plan read and checked).
2. after a change: plan-2023.yaml is rewritten with another amount, then its page is asked
   for: the time of that request is reading, checking, computing and rendering the new
   version. Also the time from the write until an open page is told to reload (the
   watcher, which re-renders before it tells).
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLAN = "plan-2023.yaml"


def _start(folder: Path) -> tuple[subprocess.Popen[bytes], int, str, float, float]:
    begin = time.perf_counter()
    cmd = [sys.executable, "-m", "finsamplan", "serve", str(folder), "--port", "0"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    found = None
    while found is None:
        line = proc.stdout.readline().decode()
        if not line:
            raise RuntimeError("finsamplan serve did not start")
        found = re.search(r":(\d+)/\?token=([\w-]+)", line)
    port, token = int(found.group(1)), found.group(2)
    while True:
        try:
            status, _, _ = _get(port, f"/?token={token}")
            if status == 200:
                break
        except OSError:
            time.sleep(0.005)
    return proc, port, token, time.perf_counter() - begin, begin


def _get(port: int, path: str, cookie: str | None = None) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": f"finsamplan_session={cookie}"} if cookie else {})
    response = conn.getresponse()
    body = response.read().decode()
    cookie_header = response.getheader("set-cookie") or ""
    conn.close()
    return response.status, body, cookie_header


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    proc.wait(10)


def _until_reload(response: http.client.HTTPResponse) -> float:
    while True:
        line = response.readline().decode()
        if line.startswith("event: reload") or not line:
            return time.perf_counter()


def serve(runs: int) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans"
        shutil.copytree(ROOT / "plans", folder)
        starts, firsts = [], []
        for _ in range(runs):
            proc, port, token, took, begin = _start(folder)
            starts.append(took)
            _, _, set_cookie = _get(port, f"/?token={token}")
            status, body, _ = _get(port, "/", set_cookie.split(";", 1)[0].split("=", 1)[1])
            firsts.append(time.perf_counter() - begin)
            assert status == 200 and PLAN in body
            _stop(proc)
        proc, port, token, _, _ = _start(folder)
        try:
            _, _, set_cookie = _get(port, f"/?token={token}")
            cookie = set_cookie.split(";", 1)[0].split("=", 1)[1]
            times = _changes(folder / PLAN, port, cookie, runs)
        finally:
            _stop(proc)
    overview, document, told = (statistics.median(t) for t in times)
    floor = _floor(runs)
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return [
        f"Maskinens belastning (load average 1/5/15 min) när mätningen slutade: {load}.",
        "",
        "| Mått | Tid (median) | Mål |",
        "|:---|---:|---:|",
        f'| golvet: `python -c "import typer, starlette.applications, uvicorn"` | {floor:.3f} s'
        " | |",
        f"| start: `finsamplan serve` till första svaret (200) | {statistics.median(starts):.3f} s"
        " | < 1,5 s |",
        f"| start: till första sidan med planerna (`/`, tre planer kontrollerade) |"
        f" {statistics.median(firsts):.3f} s | |",
        f"| efter en ändring: planens översikt (`/plan/{PLAN}`) | {overview * 1000:.0f} ms"
        " | < 300 ms |",
        f"| efter en ändring: hela dokumentet med diagram (`/dokument/{PLAN}`) |"
        f" {document * 1000:.0f} ms | |",
        f"| efter en ändring: tills en öppen sida får veta det (bevakningen) | {told * 1000:.0f} ms"
        " | |",
    ]


def _floor(runs: int) -> float:
    """Python importing the libraries serve stands on: what no start can go below."""
    code = "import typer, starlette.applications, uvicorn"
    times = []
    for _ in range(runs):
        begin = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def _changes(plan: Path, port: int, cookie: str, runs: int) -> tuple[list[float], ...]:
    original = plan.read_text("utf-8")
    overview, document, told = [], [], []
    for page, out in ((f"/plan/{PLAN}", overview), (f"/dokument/{PLAN}", document)):
        _get(port, page, cookie)  # warm: imports, first charts
        for i in range(runs):
            more = 1000 * (i + 1) + (0 if out is overview else 500)
            changed = original.replace("2023: 1500000", f"2023: {1_500_000 + more}", 1)
            plan.write_text(changed, "utf-8")
            begin = time.perf_counter()
            status, body, _ = _get(port, page, cookie)
            out.append(time.perf_counter() - begin)
            room = f"{317_729 - more:,}".replace(",", "\xa0")
            assert status == 200 and room in body, f"{page} does not show the new room {room}"
            time.sleep(0.6)  # let the watcher see it before the next one
    for i in range(runs):
        status, body, _ = _get(port, f"/plan/{PLAN}", cookie)
        seen = int(re.search(r'data-generation="(\d+)"', body).group(1))  # type: ignore[union-attr]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request(
            "GET", f"/andringar?sedan={seen}", headers={"Cookie": f"finsamplan_session={cookie}"}
        )
        response = conn.getresponse()
        response.readline()
        plan.write_text(original.replace("2023: 1500000", f"2023: {1_600_000 + i}", 1), "utf-8")
        begin = time.perf_counter()
        told.append(_until_reload(response) - begin)
        conn.close()
    plan.write_text(original, "utf-8")
    return overview, document, told


if __name__ == "__main__":
    print("\n".join(serve(int(sys.argv[1]) if len(sys.argv) > 1 else 5)))
