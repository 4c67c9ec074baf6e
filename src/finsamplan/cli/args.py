"""Numeric and date options, checked before any work: a clear message and exit 2.

Options are taken as text and read here rather than by click, so that a wrong value gets a
Swedish message naming the option, the digits are ASCII only (click's ``int`` takes
full-width digits), and every value lies within a range where the core has been tested:
years 2000–2100, ``--within`` at most ten years. ``--csv`` (the CSV dialect) is declared
here too, as every command that writes CSV offers it.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from finsamplan.base.money import format_number
from finsamplan.cli import common

FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_WITHIN_DAYS = 3650

_YEAR = re.compile(r"[0-9]{4}")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_WITHIN = re.compile(r"([0-9]+)([dwm]?)")
_UNIT_DAYS = {"": 1, "d": 1, "w": 7, "m": 30}


def year(text: str, option: str) -> int:
    """A year between 2000 and 2100, written with four digits."""
    value = text.strip()
    if not _YEAR.fullmatch(value) or not FIRST_YEAR <= int(value) <= LAST_YEAR:
        raise common.fail(
            f"{option} {_shown(text)}: ange ett år mellan {FIRST_YEAR} och {LAST_YEAR}"
        )
    return int(value)


def day(text: str, option: str) -> date:
    """A date ÅÅÅÅ-MM-DD that exists, in the years 2000–2100."""
    value = text.strip()
    m = _DATE.fullmatch(value)
    try:
        parsed = date(*(int(g) for g in m.groups())) if m else None
    except ValueError:
        raise common.fail(f"{option} {_shown(text)}: datumet finns inte i kalendern") from None
    if parsed is None:
        raise common.fail(f"{option} {_shown(text)}: skriv datumet som ÅÅÅÅ-MM-DD")
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise common.fail(f"{option} {value}: ange ett datum mellan {FIRST_YEAR} och {LAST_YEAR}")
    return parsed


def kronor(text: str, option: str, *, signed: bool = False) -> int:
    """Whole kronor as people write them (``650000``, ``"650 000"``, ``−120000`` if signed),
    within what a plan may state."""
    from finsamplan.base.money import MoneyFormatError, parse_kronor
    from finsamplan.plan.model import MAX_KRONOR

    try:
        value = parse_kronor(text) if len(text) <= 40 else None
    except MoneyFormatError:
        value = None
    if value is None or abs(value) > MAX_KRONOR or (value < 0 and not signed):
        kind = "hela kronor" + (", får vara negativt" if signed else "")
        raise common.fail(f"{option} {_shown(text)}: ange ett belopp i {kind}, t.ex. 650000")
    return value


def within(text: str) -> int:
    """``90d``, ``12w``, ``3m`` or a number of days, at most ten years: the days."""
    value = text.strip().lower()
    m = _WITHIN.fullmatch(value)
    if m is None:
        raise common.fail(f"--within {_shown(text)}: skriv t.ex. 90d, 12w eller 3m")
    digits = m.group(1).lstrip("0") or "0"
    days = int(digits) * _UNIT_DAYS[m.group(2)] if len(digits) <= 6 else MAX_WITHIN_DAYS + 1
    if days > MAX_WITHIN_DAYS:
        raise common.fail(
            f"--within {_shown(value)}: högst {format_number(MAX_WITHIN_DAYS)} dagar (tio år); "
            "kontrollpunkter längre fram än så visas inte"
        )
    return days


def _shown(text: str, limit: int = 40) -> str:
    """The value as given, cut short: an option can be as long as the shell allows."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class CsvDialect(StrEnum):
    """``--csv``: for a person in a Swedish Excel (the default), or for a program."""

    excel = "excel"
    tidy = "tidy"


CSV_HELP = (
    "CSV-dialekt: excel (standard: semikolon, UTF-8 med BOM, decimalkomma, svenska rubriker, "
    "öppnas med dubbelklick i svenskt Excel) eller tidy (för program: komma, UTF-8 utan BOM, "
    "id:n, rena tal)."
)


def stdout(data: bytes, exact: bool) -> None:
    """Output without ``-o``: CSV byte for byte (its BOM and CRLF kept for a redirect to a
    file Excel opens), other text through the terminal's text stream."""
    import sys

    if not exact:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
