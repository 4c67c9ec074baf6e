"""Validate many plan files: in their order, one result at a time, on every core available.

``validate DIR`` may be given a thousand plans. Holding every loaded plan until the last
one is checked would make memory grow with the number of plans, so each plan becomes a
small :class:`PlanResult` (its findings and a title, not the model) as soon as it is
checked, and results are handed on in the order of the files while later ones are
still being checked. From ``PARALLEL_FROM`` plans on, the plans are checked in worker
processes (forked, so nothing is imported twice), a few chunks ahead of the one being
printed: memory then stays flat whatever the number of plans, and the output is the
same, in the same order, as when checked one by one.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from finsamplan.base.findings import Finding, sort_key

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

PARALLEL_FROM = 32  # fewer plans than this are checked in this process: forking costs more
CHUNK = 8  # plans per task sent to a worker
AHEAD = 4  # tasks in flight per worker: enough to keep it busy, few enough to bound memory


@dataclass(frozen=True)
class PlanResult:
    """What ``validate`` shows of one plan file: no plan model, so it is small to keep."""

    id: str
    path: str  # as named on the command line (or found in a folder)
    file: str  # as shown in findings: relative to the working directory if inside it
    readable: bool
    title: str | None  # "förbund, title" of a plan that could be read
    findings: tuple[Finding, ...]  # sorted by place


def check_plan(path: Path) -> PlanResult:
    """Load one plan file and run the rules on it (never raises for a bad file)."""
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import load_plan

    loaded = load_plan(path)
    found = tuple(sorted(validate(loaded), key=sort_key))
    plan = loaded.plan
    title = f"{plan.forbund.name}, {plan.title}" if plan is not None else None
    return PlanResult(loaded.id, str(path), loaded.source.file, plan is not None, title, found)


def check_plans(paths: Sequence[Path], workers: int | None = None) -> Iterator[PlanResult]:
    """Each plan's result, in the order of ``paths``, as soon as it and those before are done.

    ``workers`` defaults to the cores this process may use; one worker, fewer than
    PARALLEL_FROM plans, or a system without ``fork`` means checking here, one by one.
    """
    workers = workers if workers is not None else _cores()
    if workers > 1 and len(paths) >= PARALLEL_FROM:
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            return _in_workers(list(paths), workers)
    return (check_plan(p) for p in paths)


def _in_workers(paths: list[Path], workers: int) -> Iterator[PlanResult]:
    chunks = (paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK))
    sys.stdout.flush()  # a forked worker would otherwise write the parent's buffer again
    sys.stderr.flush()
    import multiprocessing

    gc.freeze()  # while the workers live, our collections leave the pages we share alone
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_worker_start) as pool:
            pending: deque[AsyncResult[list[PlanResult]]] = deque()
            for chunk in chunks:
                pending.append(pool.apply_async(_check_chunk, (chunk,)))
                if len(pending) >= workers * AHEAD:
                    yield from pending.popleft().get()
            while pending:
                yield from pending.popleft().get()
    finally:
        gc.unfreeze()


def _check_chunk(paths: list[Path]) -> list[PlanResult]:
    return [check_plan(p) for p in paths]


def _worker_start() -> None:
    """Ctrl-C is the parent's to handle: it stops the workers without their tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1
