"""Kronor and shares: parsing, rounding and Swedish formatting, in one place.

Money is whole kronor as ``int`` everywhere. Shares (policy limits, percentages) are
``Decimal``. Rounding from a rate to kronor happens only through :func:`round_kronor`, so
that there is exactly one rounding mode in the code base (half up, as in Swedish
accounting practice).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

NBSP = "\u00a0"
MINUS = "\u2212"

_SPACES = " \u00a0\u202f\u2009"
# [0-9], not \d: full-width or Arabic-Indic digits are not taken as an amount
_KRONOR_RE = re.compile(r"^[+-]?[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$|^[+-]?[0-9]+$")
_SHARE_RE = re.compile(r"^\s*([+-]?[0-9]+(?:[.,][0-9]+)?)\s*(%?)\s*$")


class MoneyFormatError(ValueError):
    """Raised when a text is not an amount in whole kronor."""


def parse_kronor(text: str) -> int:
    """Read an amount written by hand: ``1250000``, ``"1 250 000"`` or ``"1 250 000 kr"``.

    Groups of three digits may be separated by a space, a no-break space or a thin space,
    as Swedish texts do. Decimals are refused: the plan is kept in whole kronor.
    """
    s = text.strip().replace(MINUS, "-")
    if s.lower().endswith("kr"):
        s = s[:-2].rstrip()
    if not _KRONOR_RE.match(s):
        raise MoneyFormatError(text)
    return int("".join(ch for ch in s if ch not in _SPACES))


def format_kronor(amount: int, *, sign: bool = False) -> str:
    """Format whole kronor the Swedish way: ``1 250 000`` with no-break spaces, ``−`` for minus."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"kronor must be int, not {type(amount).__name__}")
    digits = f"{abs(amount):,}".replace(",", NBSP)
    if amount < 0:
        return MINUS + digits
    return ("+" + digits) if sign and amount > 0 else digits


def parse_share(value: object) -> Decimal:
    """Read a share: ``"30 %"``, ``"30%"``, ``"0,3"``, ``0.3`` or a Decimal, as a fraction."""
    if isinstance(value, bool):
        raise MoneyFormatError(str(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        raise MoneyFormatError(str(value))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        m = _SHARE_RE.match(value)
        if m:
            try:
                number = Decimal(m.group(1).replace(",", "."))
            except InvalidOperation as exc:  # pragma: no cover - the regex guards this
                raise MoneyFormatError(value) from exc
            return number / 100 if m.group(2) else number
    raise MoneyFormatError(str(value))


def format_share(share: Decimal, places: int = 1) -> str:
    """Format a fraction as a Swedish percentage: ``Decimal("0.3125")`` → ``31,3 %``."""
    quant = Decimal(1).scaleb(-places)
    pct = (share * 100).quantize(quant, rounding=ROUND_HALF_UP)
    text = f"{pct:f}".replace(".", ",").replace("-", MINUS)
    return f"{text}{NBSP}%"


def round_kronor(value: Decimal, to: int = 1) -> int:
    """Round a computed amount to whole kronor (or to the nearest ``to``), half up, once."""
    if to < 1:
        raise ValueError("to must be a positive whole number of kronor")
    return int((value / to).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * to


def share_of(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as an exact Decimal, or None when the whole is zero."""
    if whole == 0:
        return None
    return Decimal(part) / Decimal(whole)
