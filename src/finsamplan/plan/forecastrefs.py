"""Cross-references of the forecast block and its scenarios: the lines, groups, indices,
columns and insatser they name exist. One small function per kind of name; each block (the
plan's own forecast, then each scenario) is checked by all of them in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.plan.model import Assumption, Forecast, Plan, Scenario

Block = Forecast | Scenario


@dataclass(frozen=True)
class _Names:
    """What a block may name: projectable lines, groups, indices, columns, insatser."""

    plan: Plan
    projectable: set[str]
    groups: set[str]
    with_period: set[str]


def _ref(path: Path, message: str) -> Finding:
    return Finding("REF010", Severity.ERROR, f"prognosen: {message}", path=path)


def check_forecast(plan: Plan, line_ids: dict[str, str]) -> list[Finding]:
    """Forecast assumptions name lines, indices and insatser that exist."""
    names = _Names(
        plan,
        projectable={k for k, v in line_ids.items() if v != "income"}
        | {inc.id for inc in plan.income if inc.id and inc.kind == "other"},
        groups={g.id for g in plan.groups},
        with_period={a.id for a in plan.activities if a.period is not None},
    )
    blocks: list[tuple[Path, Block]] = [(("forecast",), plan.forecast)]
    blocks += [(("forecast", "scenarios", n), sc) for n, sc in plan.forecast.scenarios.items()]
    return [f for path, block in blocks for check in _CHECKS for f in check(names, path, block)]


def _lines(names: _Names, path: Path, block: Block) -> list[Finding]:
    return [
        _ref(
            (*path, "lines", line_id),
            f"'{line_id}' är ingen kostnadsrad eller övrig intäkt (medlemsavgifterna följer "
            "statens tilldelning)",
        )
        for line_id in block.lines
        if line_id not in names.projectable
    ]


def _groups(names: _Names, path: Path, block: Block) -> list[Finding]:
    known = ", ".join(sorted(names.groups))
    return [
        _ref((*path, "groups", group_id), f"'{group_id}' är ingen kostnadsgrupp ({known})")
        for group_id in block.groups
        if group_id not in names.groups
    ]


def _indices(names: _Names, path: Path, block: Block) -> list[Finding]:
    assumptions: list[tuple[Path, Assumption]] = [
        *((("lines", k), v) for k, v in block.lines.items()),
        *((("groups", k), v) for k, v in block.groups.items()),
    ]
    for name in ("default", "state_allocation", "reserve"):
        one: Assumption | None = getattr(block, name)
        if one is not None:
            assumptions.append(((name,), one))
    indices = names.plan.forecast.indices
    return [
        _ref(
            (*path, *sub, "index"),
            f"indexet '{a.index}' finns inte i forecast.indices ({', '.join(indices) or 'inga'})",
        )
        for sub, a in assumptions
        if a.index is not None and a.index not in indices
    ]


def _room_spent(names: _Names, path: Path, block: Block) -> list[Finding]:
    if not isinstance(block.room_spent, dict):
        return []
    columns = names.plan.column_keys()
    return [
        _ref((*path, "room_spent", key), f"room_spent för '{key}', som inte är en kolumn i planen")
        for key in block.room_spent
        if key not in columns
    ]


def _extensions(names: _Names, path: Path, block: Block) -> list[Finding]:
    return [
        _ref((*path, "extensions", act_id), f"'{act_id}' är ingen insats med period")
        for act_id in block.extensions
        if act_id not in names.with_period
    ]


_CHECKS: tuple[Callable[[_Names, Path, Block], list[Finding]], ...] = (
    _lines,
    _groups,
    _indices,
    _room_spent,
    _extensions,
)
