"""A criterion's four verdicts and their Swedish words, defined once.

Every report (terminal, Markdown, HTML, DOCX, JSON, the compare table) names a verdict with
these labels and marks, and counts verdicts with the plural words, so that "inte
dokumenterat" is never shown as a failure in one place and a question in another. This
module imports nothing, so that a command may name the verdicts without loading criteria.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["COUNT_LABELS", "LEGEND", "MARKS", "STATUSES", "STATUS_LABELS", "Status"]

Status = Literal["met", "not_met", "not_documented", "not_applicable"]
STATUSES: tuple[Status, ...] = ("met", "not_met", "not_documented", "not_applicable")
STATUS_LABELS: dict[str, str] = {
    "met": "uppfyllt",
    "not_met": "inte uppfyllt",
    "not_documented": "inte dokumenterat",
    "not_applicable": "ej tillämpligt",
}
"""One verdict in words: ``✓ uppfyllt``."""
COUNT_LABELS: dict[str, str] = {
    "met": "uppfyllda",
    "not_met": "inte uppfyllda",
    "not_documented": "inte dokumenterade",
    "not_applicable": "ej tillämpliga",
}
"""Verdicts counted: ``12 uppfyllda, 3 inte uppfyllda`` (summaries, compare's columns)."""
MARKS: dict[str, str] = {"met": "✓", "not_met": "✗", "not_documented": "?", "not_applicable": "–"}
LEGEND = " · ".join(f"{MARKS[s]} {STATUS_LABELS[s]}" for s in STATUSES)
