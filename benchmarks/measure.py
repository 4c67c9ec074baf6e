"""How a whole command is measured: CPU time, wall time and peak memory of its processes.

CPU time is user + system time of the process and the worker processes it waited for
(``os.wait4``), so it does not depend on what else the machine is doing as much as wall
time does. Memory is sampled every 10 ms from ``/proc``: the sum of the proportional set
sizes (PSS) of the process and its children, so that pages forked workers share with
their parent are counted once, plus the largest resident set of any one of them.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + system, the process and its waited-for children
    pss_mb: float  # peak of the summed PSS of the process tree
    rss_mb: float  # the largest resident set of any one process


def compile_sources() -> None:
    """Write finsamplan's bytecode first, as installing a wheel does: a run under
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start."""
    compileall.compile_dir(str(ROOT / "src" / "finsamplan"), quiet=1)


def finsamplan() -> list[str]:
    """The installed command (as a user types it); ``python -m finsamplan`` otherwise."""
    exe = Path(sys.executable).with_name("finsamplan")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "finsamplan"]


def run(cmd: list[str], cwd: Path | None = None, memory: bool = False) -> Run:
    """Run ``cmd`` once, output discarded, and measure it."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]
    sampler = threading.Thread(target=_sample, args=(proc.pid, peak), daemon=True)
    if memory:
        sampler.start()
    _, _, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = 0  # reaped above; keeps Popen from waiting again
    if memory:
        sampler.join()
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, peak[0] / 1024, usage.ru_maxrss / 1024)


def median_run(cmd: list[str], runs: int, memory: bool = False) -> Run:
    results = [run(cmd, memory=memory) for _ in range(runs)]
    return Run(
        statistics.median(r.wall for r in results),
        statistics.median(r.cpu for r in results),
        max(r.pss_mb for r in results),
        max(r.rss_mb for r in results),
    )


def paired_ratio(base: list[str], cmd: list[str], runs: int) -> tuple[float, float, float]:
    """Median CPU time of ``base`` and of ``cmd``, and the median of their ratios, from runs
    taken in pairs (alternating which goes first), so a busy moment hits both alike."""
    bases, cmds, ratios = [], [], []
    for i in range(runs):
        order = (base, cmd) if i % 2 == 0 else (cmd, base)
        first, second = (run(c).cpu for c in order)
        b, c = (first, second) if i % 2 == 0 else (second, first)
        bases.append(b)
        cmds.append(c)
        ratios.append(c / b)
    return statistics.median(bases), statistics.median(cmds), statistics.median(ratios)


def _sample(pid: int, peak: list[float]) -> None:
    while True:
        total = sum(_pss_kb(p) for p in _tree(pid))
        if total == 0:
            return
        peak[0] = max(peak[0], total)
        time.sleep(0.01)


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                children = Path(f"/proc/{p}/task/{task}/children").read_text().split()
                todo.extend(int(c) for c in children)
        except OSError:
            continue
    return out


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
