"""Findings: what the loader and the rules report, as values with a place.

A finding is never raised; it is returned and collected, so that one run reports every
problem of a file (as Beancount does). Positions are 1-based, like an editor's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "fel", "warning": "varning", "info": "info"}[self.value]

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One problem or observation, with the figures it was built from."""

    code: str
    severity: Severity
    message: str
    path: Path = ()
    file: str | None = None
    line: int | None = None
    column: int | None = None
    year: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)
    excerpt: str | None = None
    cell: str | None = None  # a spreadsheet's cell (``B12``), where a sheet is the input

    @property
    def location(self) -> str:
        """``file:line:col``, ``file:row`` for a row of an export, ``file:B12`` for a cell
        of a spreadsheet, ``<plan>`` without a file."""
        if self.cell is not None:
            return f"{self.file or '<plan>'}:{self.cell}"
        parts = [self.file or "<plan>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def at(
        self, file: str | None, line: int | None, column: int | None, excerpt: str | None = None
    ) -> Finding:
        return replace(self, file=file, line=line, column=column, excerpt=excerpt)

    def as_line(self) -> str:
        """The one line a finding is shown as: ``file:line:col: nivå CODE message``.

        ``nivå`` is ``fel``, ``varning`` or ``info``; the place is as precise as known
        (``file:row`` for a row of an export, ``<plan>`` without a file). The terminal, the
        text output, messages that stop a command and documents listing problems all use it.
        """
        return f"{self.location}: {self.severity.label} {self.code} {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "year": self.year,
            "path": [str(p) for p in self.path],
            "figures": self.figures,
        }


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)


def sort_key(f: Finding) -> tuple[str, int, int, int, str]:
    return (f.file or "", f.line or 0, f.column or 0, f.severity.rank, f.code)
