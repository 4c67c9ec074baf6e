"""The record of a closed year, beside the plan file: ``plan-2023.bokslut.json``.

``finsamplan close PLAN --actuals EXPORT --write`` writes it; the next year's plan
(``finsamplan new``) reads the real closing equity from it through :func:`closed_equity`.
It is a file of its own so that the plan file the förbund wrote is never changed by a
command, and JSON (not YAML) so that ``validate plans/`` never takes it for a plan. It may be
written by hand too, in the same form; it is read strictly and its figures must add up.

Its fields: ``format`` (1), ``plan`` (id), ``year``, ``closing_equity``, ``opening_equity``,
``opening_source`` (``option``, ``sie`` or ``budget``), ``result``, ``income``, ``costs``,
``closed_on`` (the day of the close), and optionally ``export`` (file name),
``export_sha256`` and ``generator``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.base.inputs import InputError, read_input
from finsamplan.base.money import format_kronor as kr

if TYPE_CHECKING:
    from finsamplan.year.close import Close

SIDECAR = ".bokslut.json"
MAX_BYTES = 64 * 1024
OpeningSource = Literal["option", "sie", "budget"]


@dataclass(frozen=True)
class ClosedYear:
    """A year closed with ``close --write``: what the next year's plan starts from."""

    plan: str
    year: int
    equity: int  # eget kapital vid årets slut: opening_equity + result
    opening_equity: int
    result: int
    opening_source: OpeningSource  # option (--opening-equity), sie (#IB) or budget
    source: str  # the export the actuals came from
    date: date  # the day the close was made


class ClosingError(FinsamplanError, ValueError):
    """The record of a close exists but cannot be read (BOK001)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(findings=[finding])
        self.finding = finding


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    format: Literal[1]
    generator: str = "finsamplan close"
    plan: str = Field(min_length=1, max_length=1000)
    year: int = Field(ge=2000, le=2100)
    closing_equity: int
    opening_equity: int
    opening_source: OpeningSource
    result: int
    income: int
    costs: int
    export: str = Field("", max_length=4000)
    export_sha256: str = Field("", max_length=64)
    closed_on: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


def closing_path(plan_path: Path) -> Path:
    """``plans/plan-2023.yaml`` → ``plans/plan-2023.bokslut.json`` (not a plan file)."""
    return plan_path.with_name(plan_path.stem + SIDECAR)


def record(c: Close, today: date | None = None) -> dict[str, Any]:
    """The close as the JSON that ``close --write`` stores."""
    return {
        "format": 1,
        "generator": "finsamplan close",
        "plan": c.followup.plan_id,
        "year": c.year,
        "closing_equity": c.closing_equity,
        "opening_equity": c.opening_equity,
        "opening_source": c.opening_source,
        "result": c.result,
        "income": c.income,
        "costs": c.costs,
        "export": c.followup.imported.file,
        "export_sha256": c.export_sha256,
        "closed_on": str(today or date.today()),
    }


def record_bytes(c: Close, today: date | None = None) -> bytes:
    return (json.dumps(record(c, today), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _error(path: Path, message: str) -> ClosingError:
    return ClosingError(Finding("BOK001", Severity.ERROR, message, file=str(path)))


def read_closing(path: Path) -> ClosedYear:
    """A record of a close, checked; raises :class:`ClosingError` with its file."""
    try:
        data = json.loads(read_input(path, MAX_BYTES, "en bokslutsfil").decode("utf-8"))
        rec = _Record.model_validate(data)
        closed_on = date.fromisoformat(rec.closed_on)
    except InputError as exc:
        raise _error(path, f"kan inte läsas: {exc}") from None
    except (UnicodeDecodeError, ValueError) as exc:
        what = _first_error(exc) if isinstance(exc, ValidationError) else "ingen giltig JSON"
        raise _error(path, f"är ingen bokslutsfil från finsamplan close: {what}") from None
    if rec.opening_equity + rec.result != rec.closing_equity:
        raise _error(
            path,
            f"closing_equity {kr(rec.closing_equity)} är inte opening_equity "
            f"{kr(rec.opening_equity)} + result {kr(rec.result)}",
        )
    if rec.income - rec.costs != rec.result:
        raise _error(path, f"result {kr(rec.result)} är inte income − costs")
    return ClosedYear(
        rec.plan,
        rec.year,
        rec.closing_equity,
        rec.opening_equity,
        rec.result,
        rec.opening_source,
        rec.export,
        closed_on,
    )


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]) or "filen"
    return f"{where}: {err['msg']}"


def closed_equity(plan_path: Path) -> ClosedYear | None:
    """The recorded close of the plan at ``plan_path``, or None when it has not been closed.

    The caller compares :attr:`ClosedYear.year` with the plan's year. Raises
    :class:`ClosingError` when the record exists but cannot be read, has other fields, or
    its figures do not add up (closing equity = opening equity + result = income − costs
    + opening equity)."""
    path = closing_path(Path(plan_path))
    if not (path.exists() or path.is_symlink()):
        return None
    return read_closing(path)
