"""Kronor and shares: parsing, rounding and Swedish formatting, in one place.

Money is whole kronor as ``int`` everywhere. Shares (policy limits, percentages) are
``Decimal``. Every rounding in the code base happens here, half up (as in Swedish accounting
practice), so that there is exactly one rounding mode: :func:`round_kronor` from a computed
amount to whole kronor, :func:`round_ore` to öre (an export's amounts, a member's quota),
:func:`round_places` for a share shown or written with a fixed number of decimals.
``tests/test_code_shape.py`` fails on a ``quantize(`` or ``round(`` anywhere else.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from finsamplan.base.errors import FinsamplanError

NBSP = "\u00a0"
SHARE_PLACES = 4
"""Decimals of a share written as a number (JSON, figures): 0.3652 is 36,52 %."""
MINUS = "\u2212"
DASH = "\u2013"  # a cell with no value

_SPACES = " \u00a0\u202f\u2009"
# [0-9], not \d: full-width or Arabic-Indic digits are not taken as an amount
_KRONOR_RE = re.compile(r"^[+-]?[0-9]{1,3}(?:[ \u00a0\u202f\u2009][0-9]{3})+$|^[+-]?[0-9]+$")
_SHARE_RE = re.compile(r"^\s*([+-]?[0-9]+(?:[.,][0-9]+)?)\s*(%?)\s*$")


class MoneyFormatError(FinsamplanError, ValueError):
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


def format_number(value: int | float | Decimal) -> str:
    """A number as a user wrote it, the Swedish way: ``95000.0`` → ``95 000,0``.

    For echoing a value back in a message (a float where whole kronor were expected), and
    for counts and limits in messages (``100 000 rader``): the
    digits are the ones the value has (no rounding), grouped with no-break spaces, with a
    decimal comma and ``−`` for minus, never ``95,000`` or ``95.0``.
    """
    if isinstance(value, int):
        text = str(value)
    else:
        text = f"{Decimal(repr(value)) if isinstance(value, float) else value:f}"
    negative = text.startswith("-")
    whole, dot, frac = text.lstrip("-").partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP) if whole.isdigit() else whole
    return (MINUS if negative else "") + grouped + ("," + frac if dot else "")


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


def format_share(share: Decimal | None, places: int = 1) -> str:
    """Format a fraction as a Swedish percentage: ``Decimal("0.3125")`` → ``31,3 %``; no
    share (None: a share of nothing, see :func:`share_of`) is a dash, ``–``, never 0 %."""
    if share is None:
        return DASH
    pct = round_places(share * 100, places)
    text = f"{pct:f}".replace(".", ",").replace("-", MINUS)
    return f"{text}{NBSP}%"


def format_ore(value: Decimal) -> str:
    """An amount with öre, the Swedish way: ``922 606,25``, ``−5 734,50``, ``0,00``.

    The amount is rounded to öre once (half up); an export's amounts are exact in öre
    already (figures.amounts refuses fractions of öre), so for them nothing is rounded.
    """
    ore = round_ore(value)
    whole, _, frac = f"{abs(ore):f}".partition(".")
    return f"{MINUS if ore < 0 else ''}{int(whole):,}".replace(",", NBSP) + f",{frac}"


def round_kronor(value: Decimal, to: int = 1) -> int:
    """Round a computed amount to whole kronor (or to the nearest ``to``), half up, once."""
    if to < 1:
        raise ValueError("to must be a positive whole number of kronor")
    return int((value / to).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * to


def round_places(value: Decimal, places: int) -> Decimal:
    """``value`` rounded half up to ``places`` decimals: ``round_places(Decimal("0.31255"),
    4)`` → ``0.3126``. For a share written with fixed decimals (JSON, a CSV in per cent)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_ore(value: Decimal) -> Decimal:
    """``value`` rounded half up to whole öre (two decimals): ``922606.255`` → ``922606.26``."""
    return round_places(value, 2)


def round_share(share: Decimal) -> Decimal:
    """A share as written in JSON and in a finding's figures: four decimals, half up
    (``0.36516`` → ``0.3652``, that is 36,52 %)."""
    return round_places(share, SHARE_PLACES)


def share_of(part: int, whole: int) -> Decimal | None:
    """``part / whole`` as an exact Decimal, or None when the whole is zero.

    Every share of one amount in another (the state's share of the contributions, the
    administration's share of the costs, a goal's measure) is computed here, so that a zero
    whole is "no share" (None) everywhere and never a division error."""
    if whole == 0:
        return None
    return Decimal(part) / Decimal(whole)
