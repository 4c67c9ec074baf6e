"""The served plans as the pages show them: found, read, checked and computed, once per
version of each file.

A plan is read again when its bytes change (its SHA-256 is the cache key, so an edit
that restores the old text costs nothing), whoever changed it: the editor, another
program, a sync client. What a page needs beyond the checked plan (the document, the
charts, the criteria, the forecasts) is computed when first asked for and kept with it.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from finsamplan.base.findings import Finding, Severity, sort_key
from finsamplan.base.inputs import InputError, read_input
from finsamplan.web.security import relative_name

if TYPE_CHECKING:  # the plan model is built on the first request, not at start
    from finsamplan.figures.budget import Budget
    from finsamplan.plan.loader import LoadedPlan

T = TypeVar("T")
CHART_LOCK = threading.Lock()  # matplotlib draws one figure at a time


@dataclass(frozen=True)
class Served:
    """What ``serve`` was started on: a folder, or plan files inside one."""

    root: Path
    files: tuple[Path, ...] = ()  # named plan files; empty: every plan under ``root``
    readonly: bool = False  # the plans shipped inside finsamplan are not edited in place

    def plans(self) -> list[Path]:
        """The plan files served now (a folder is looked through again on every call)."""
        if self.files:
            return [p for p in self.files if p.is_file()]
        from finsamplan.plan import catalog

        return catalog.find([str(self.root)]).paths

    def is_plan(self, path: Path) -> bool:
        return any(p.resolve() == path for p in self.plans())


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class PlanState:
    """One version of one plan file, checked; parts for the pages are added when asked."""

    path: Path
    rel: str
    data: bytes
    sha: str
    loaded: LoadedPlan | None
    findings: list[Finding]
    budget: Budget | None
    read_error: str | None = None
    _parts: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    @property
    def lines(self) -> list[str]:
        return self.data.decode("utf-8", errors="replace").splitlines()

    @property
    def ok(self) -> bool:
        """The plan loaded: its figures and document can be shown."""
        return self.loaded is not None and self.loaded.plan is not None and self.budget is not None

    @property
    def title(self) -> str:
        plan = self.loaded.plan if self.loaded else None
        return f"{plan.title} – {plan.forbund.name}" if plan else self.rel

    def room(self) -> int | None:
        """Room for new activities in the plan year's budget (None: the plan did not load)."""
        plan = self.loaded.plan if self.loaded else None
        if plan is None or self.budget is None:
            return None
        key = plan.plan_key()
        return self.budget.totals[key].room if key is not None else None

    def count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)

    def part(self, name: str, make: Callable[[], T]) -> T:
        """A part computed once for this version (the document, the forecasts, ...)."""
        with self._lock:
            if name not in self._parts:
                self._parts[name] = make()
            value: T = self._parts[name]
            return value


def analyse(path: Path, rel: str, data: bytes) -> PlanState:
    """Load, check and compute one plan from its bytes; problems are findings."""
    from finsamplan.figures.budget import compute
    from finsamplan.judge.rules import validate
    from finsamplan.plan.loader import LoadedPlan, load_text
    from finsamplan.plan.yamlsource import SourceMap

    blank = LoadedPlan(id=path.stem, path=path, source=SourceMap(rel, []))
    loaded = load_text(data, rel, plan_id=path.stem, loaded=blank)
    findings = sorted(validate(loaded), key=sort_key)
    budget = compute(loaded.plan) if loaded.plan is not None else None
    return PlanState(path, rel, data, digest(data), loaded, findings, budget)


class Cache:
    """The latest analysed version of each plan file, by path."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._states: dict[Path, PlanState] = {}
        self._lock = threading.Lock()

    def get(self, path: Path) -> PlanState:
        rel = relative_name(self.root, path)
        from finsamplan.plan.loader import MAX_FILE_BYTES

        try:
            data = read_input(path, MAX_FILE_BYTES)
        except InputError as exc:
            return PlanState(path, rel, b"", "", None, [], None, read_error=str(exc))
        sha = digest(data)
        with self._lock:
            state = self._states.get(path)
        if state is not None and state.sha == sha:
            return state
        state = analyse(path, rel, data)
        with self._lock:
            self._states[path] = state
        return state

    def refresh(self, path: Path) -> bool:
        """Read ``path`` again; True if its content is not the version already known."""
        with self._lock:
            known = self._states.get(path)
        return known is None or self.get(path).sha != known.sha
