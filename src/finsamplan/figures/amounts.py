"""Amounts in a finance system's export, read by the file's own convention, never guessed.

A cell such as ``95.000`` or ``1,234`` means different money under different conventions
(decimal point or comma; thousands grouped by space, point, comma or apostrophe). The
convention is therefore decided per *file*, from all of its amount cells: each cell admits
some conventions, and the file's convention is what all cells admit (or what the plan or the
command line states). A cell is read only when every convention left open gives it the same
value; otherwise it is a located problem, never a silent reading.

Negative amounts may be written ``-1 234,50``, ``−1 234,50``, ``1 234,50-`` or
``(1 234,50)``; that never depends on the convention. Amounts are exact ``Decimal`` öre:
digits beyond the öre must be zeros, and no amount may exceed :data:`LIMIT` kronor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from finsamplan.base.money import format_number, round_ore

Convention = tuple[str, str]  # (decimal mark, thousands separator); "" = no grouping

DECIMALS = (",", ".")
THOUSANDS = ("", " ", ".", ",", "'")
ALL: frozenset[Convention] = frozenset((d, t) for d in DECIMALS for t in THOUSANDS if d != t)
LIMIT = Decimal(10) ** 12  # kronor; every output format (XLSX too) holds öre of this exactly
MAX_CELL = 64  # characters: longer text is no amount

_SPACES = " \u00a0\u202f\u2009"
_APOSTROPHES = "'\u2019"
_NORMAL = str.maketrans({**dict.fromkeys(_SPACES, " "), **dict.fromkeys(_APOSTROPHES, "'")})
_BODY = re.compile(r"^[0-9][0-9 .,']*$")
_SHAPE = str.maketrans("0123456789", "0000000000")

DECIMAL_NAMES = {",": "decimalkomma", ".": "decimalpunkt"}
THOUSANDS_NAMES = {
    "": "inga tusentalsavgränsare",
    " ": "mellanslag mellan tusental",
    ".": "punkt mellan tusental",
    ",": "komma mellan tusental",
    "'": "apostrof mellan tusental",
}
THOUSANDS_WORDS = {"space": " ", "none": "", "mellanslag": " ", "inga": ""}


@lru_cache(maxsize=64)
def _pattern(convention: Convention) -> re.Pattern[str]:
    decimal, thousands = convention
    number = "[0-9]+"
    if thousands:
        number = f"(?:[0-9]+|[0-9]{{1,3}}(?:{re.escape(thousands)}[0-9]{{3}})+)"
    return re.compile(f"^{number}(?:{re.escape(decimal)}[0-9]+)?$")


@dataclass(frozen=True, slots=True)
class Cell:
    """An amount cell taken apart: its sign and the digits with their separators."""

    negative: bool
    body: str

    def value(self, convention: Convention) -> Decimal:
        decimal, thousands = convention
        whole, _, fraction = self.body.partition(decimal)
        if thousands:
            whole = whole.replace(thousands, "")
        number = Decimal(f"{whole}.{fraction}" if fraction else whole)
        return -number if self.negative else number


def split_cell(text: str) -> Cell | None:
    """The sign and body of an amount cell, or None when it is not shaped like an amount."""
    s = text.strip().translate(_NORMAL)
    if not s or len(s) > MAX_CELL:
        return None
    negative = False
    if s.startswith("(") and s.endswith(")"):
        s, negative = s[1:-1].strip(), True
    elif s[0] in "+-\u2212":
        s, negative = s[1:], s[0] != "+"
    elif s.endswith("-"):
        s, negative = s[:-1], True
    if not s or not _BODY.match(s) or not s[-1].isdigit():
        return None
    return Cell(negative, s)


@lru_cache(maxsize=4096)
def _admits(shape: str) -> frozenset[Convention]:
    return frozenset(c for c in ALL if _pattern(c).match(shape))


def admits(cell: Cell) -> frozenset[Convention]:
    """The conventions under which the cell is a well-formed number."""
    return _admits(cell.body.translate(_SHAPE))


def stated(decimal: str | None, thousands: str | None) -> frozenset[Convention]:
    """The conventions the plan or the command line leaves open (all, when nothing is said)."""
    t = THOUSANDS_WORDS.get(thousands, thousands) if thousands is not None else None
    return frozenset(
        c for c in ALL if (decimal is None or c[0] == decimal) and (t is None or c[1] == t)
    )


def describe(conventions: Iterable[Convention]) -> str:
    """The conventions left open, in words: ``decimalkomma, mellanslag mellan tusental``."""
    convs = set(conventions)
    decimals = {d for d, _ in convs}
    thousands = {t for _, t in convs}
    if len(decimals) == 1 and len(thousands) == 1:
        (d,), (t,) = decimals, thousands
        return f"{DECIMAL_NAMES[d]}, {THOUSANDS_NAMES[t]}"
    if len(decimals) == 1:
        return f"{DECIMAL_NAMES[next(iter(decimals))]}, inga tusental i filen"
    if len(thousands) == 1:
        return f"inga decimaler i filen, {THOUSANDS_NAMES[next(iter(thousands))]}"
    if convs == ALL:
        return "heltal utan avgränsare"
    return UNDECIDED


UNDECIDED = "oavgjort av filen (ange actuals.format)"
"""The file leaves two readings open: not a format, and not decided by the file."""


@dataclass(frozen=True)
class Problem:
    """Why a cell was not read: a code and a message in Swedish."""

    code: str
    message: str


@dataclass(frozen=True)
class Decision:
    """The file's convention: the conventions every cell admits, or the best-supported ones.

    ``examples`` names, for the file's convention, a cell that decided it (row and text), so
    that a cell that disagrees can say with what.
    """

    open: frozenset[Convention]
    consistent: bool
    stated: bool
    cells: tuple[tuple[int, str, frozenset[Convention]], ...]

    def describe(self) -> str:
        return describe(self.open) if self.open else "inget format"

    def summary(self) -> str:
        """The format for the report, with who settled it: ``decimalkomma, … (avgjort av
        filen)``, ``… (angivet)``, or only ``oavgjort av filen (ange actuals.format)``: a
        format the file leaves open is never said to be settled by it."""
        text = self.describe()
        if self.stated:
            return f"{text} (angivet)"
        return text if text == UNDECIDED or not self.open else f"{text} (avgjort av filen)"

    def read(self, text: str) -> Decimal | Problem:
        """The cell's one value under the file's convention, or why there is none."""
        cell = split_cell(text)
        shown = text.strip()[:MAX_CELL]
        if cell is None:
            return Problem("ACT003", f"beloppet '{shown}' går inte att läsa (skriv t.ex. 1 234,50)")
        fits = admits(cell)
        if not fits:
            return Problem("ACT003", f"beloppet '{shown}' går inte att läsa (skriv t.ex. 1 234,50)")
        if not fits & self.open:
            return Problem("ACT011", self._disagrees(shown, fits))
        values = {cell.value(c) for c in self.open if c in fits}
        if len(values) > 1 or not self.open <= fits:
            readings = " eller ".join(_kronor(v) for v in sorted(values, key=abs))
            return Problem(
                "ACT010",
                f"beloppet '{shown}' kan läsas som {readings} och inget annat belopp i filen "
                "avgör vilket; ange formatet i actuals.format (decimal, thousands) eller med "
                "--decimal och --thousands",
            )
        return check(next(iter(values)), shown)

    def _disagrees(self, shown: str, fits: frozenset[Convention]) -> str:
        where = "det angivna formatet" if self.stated else "filens format"
        text = f"beloppet '{shown}' följer inte {where} ({self.describe()})"
        if not self.stated:
            example = next(((r, t) for r, t, v in self.cells if v and not v & fits), None)
            if example is not None:
                text += f", som rad {example[0]} '{example[1]}' visar"
        return text


def check(value: Decimal, shown: str) -> Decimal | Problem:
    """Öre exact and within :data:`LIMIT`, or a problem; the value quantized to öre."""
    if abs(value) > LIMIT:
        return Problem(
            "ACT012", f"beloppet '{shown}' är större än 1 000 000 000 000 kr och läses inte"
        )
    ore = round_ore(value)  # only to see whether it is exact: an amount is never rounded
    if ore != value:
        return Problem(
            "ACT012", f"beloppet '{shown}' har bråkdelar av öre och läses inte (avrundas aldrig)"
        )
    return ore


def _kronor(value: Decimal) -> str:
    ore = round_ore(value)
    return f"{show(ore if ore == value else value)} kr"


def show(value: Decimal) -> str:
    """An exact amount the Swedish way, all its decimals kept: ``−1 234,50``, ``95 000``."""
    return format_number(value)


def decide(cells: Sequence[tuple[int, str]], allowed: frozenset[Convention] = ALL) -> Decision:
    """The file's convention from all its amount cells (row, text), within ``allowed``.

    When the cells agree, the convention is everything they all admit. When they disagree,
    it is what most cells admit (several conventions on a tie, so that a cell is read only
    if they all give it the same value); the cells outside it are problems.
    """
    seen: list[tuple[int, str, frozenset[Convention]]] = []
    for row, text in cells:
        cell = split_cell(text)
        if cell is not None:
            seen.append((row, text.strip()[:MAX_CELL], admits(cell) & allowed))
    readable = [v for _, _, v in seen if v]
    common = frozenset(allowed)
    for v in readable:
        common &= v
    is_stated = allowed != ALL
    if common or not readable:
        return Decision(common, True, is_stated, tuple(seen))
    support = {c: sum(1 for v in readable if c in v) for c in allowed}
    best = max(support.values())
    return Decision(
        frozenset(c for c, n in support.items() if n == best), False, is_stated, tuple(seen)
    )
