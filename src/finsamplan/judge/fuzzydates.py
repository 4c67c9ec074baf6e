"""Dates as plans write them: "hösten 2023", "Q3 2024", "december 2023", as a date range.

A checkpoint or milestone often has no exact day, only a time of year in words. Each such
text is read as the range of days it can mean, so that a checkpoint "hösten 2023" is due
once that range comes within reach (``due``). The readings are conventions, listed in
docs/criteria.md; a text that matches none of them is not guessed at: ``parse_when``
returns ``None`` and the caller says the date could not be read.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("mars", "mar"),
            ("april", "apr"),
            ("maj",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augusti", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Seasons as Swedish plans use them: the spring and autumn terms, the summer between.
SEASONS = {
    "våren": (1, 6),
    "vår": (1, 6),
    "vårterminen": (1, 6),
    "vt": (1, 6),
    "sommaren": (6, 8),
    "sommar": (6, 8),
    "hösten": (9, 12),
    "höst": (9, 12),
    "höstterminen": (8, 12),
    "ht": (8, 12),
    "vintern": (1, 2),
}
PARTS = {  # "början av 2024", "mitten av 2024", "slutet av 2024"
    "början": (1, 4),
    "mitten": (5, 8),
    "slutet": (9, 12),
}
_YEAR = r"(?P<year>(?:19|20|21)\d\d)"


@dataclass(frozen=True)
class DateRange:
    """The days a date written in words can mean, both ends included."""

    start: date
    end: date
    text: str

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and self.end >= first

    def __str__(self) -> str:
        if self.start == self.end:
            return str(self.start)
        return f"{self.start} – {self.end}"


def _months(year: int, first: int, last: int, text: str) -> DateRange:
    return DateRange(
        date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1]), text
    )


def _numbered(kind: str, n: int, year: int, text: str) -> DateRange | None:
    size = {"q": 3, "kvartal": 3, "t": 4, "tertial": 4, "halvår": 6, "halvåret": 6}[kind]
    if not 1 <= n <= 12 // size:
        return None
    return _months(year, (n - 1) * size + 1, n * size, text)


_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)$"), "day"),
    (re.compile(rf"^{_YEAR}-(?P<month>\d\d)$"), "month"),
    (re.compile(rf"^{_YEAR}$"), "year"),
    (re.compile(rf"^(?P<name>[a-zåäö]+)\.? {_YEAR}$"), "named"),
    (re.compile(rf"^(?P<kind>q|t)(?P<n>\d) {_YEAR}$"), "numbered"),
    (re.compile(rf"^{_YEAR} ?(?P<kind>q|t)(?P<n>\d)$"), "numbered"),
    (re.compile(rf"^(?P<kind>kvartal|tertial) (?P<n>\d) {_YEAR}$"), "numbered"),
    (re.compile(rf"^(?P<n>\d):[ae] (?P<kind>kvartalet|tertialet) {_YEAR}$"), "numbered"),
    (re.compile(rf"^(?P<ord>första|andra) (?P<kind>halvåret|halvår) {_YEAR}$"), "half"),
    (re.compile(rf"^(?P<part>början|mitten|slutet) av {_YEAR}$"), "part"),
    (re.compile(rf"^vintern {_YEAR}/(?P<next>(?:19|20|21)?\d\d)$"), "winter"),
]


def parse_when(text: str) -> DateRange | None:
    """The range of days ``text`` means, or None if it is not a date this module reads."""
    norm = " ".join(text.strip().lower().replace("–", "-").split())
    norm = norm.removeprefix("under ").removeprefix("i ").removeprefix("senast ")
    for pattern, kind in _PATTERNS:
        m = pattern.match(norm)
        if m is None:
            continue
        try:
            return _build(kind, m, text.strip())
        except ValueError:  # 2023-02-30, month 13
            return None
    return None


def _build(kind: str, m: re.Match[str], text: str) -> DateRange | None:
    year = int(m["year"])
    if kind == "day":
        day = date(year, int(m["month"]), int(m["day"]))
        return DateRange(day, day, text)
    if kind == "month":
        month = int(m["month"])
        return _months(year, month, month, text) if 1 <= month <= 12 else None
    if kind == "year":
        return _months(year, 1, 12, text)
    if kind == "named":
        name = m["name"]
        if name in MONTHS:
            return _months(year, MONTHS[name], MONTHS[name], text)
        if name in SEASONS:
            return _months(year, *SEASONS[name], text)
        return None
    if kind == "numbered":
        key = m["kind"].removesuffix("et") if m["kind"].endswith("et") else m["kind"]
        return _numbered(key, int(m["n"]), year, text)
    if kind == "half":
        return _numbered("halvår", 1 if m["ord"] == "första" else 2, year, text)
    if kind == "part":
        return _months(year, *PARTS[m["part"]], text)
    if kind == "winter":
        nxt = m["next"]
        last = int(nxt) if len(nxt) == 4 else year // 100 * 100 + int(nxt)
        if last != year + 1:
            return None
        end = calendar.monthrange(last, 2)[1]
        return DateRange(date(year, 12, 1), date(last, 2, end), text)
    return None


def when_range(day: date | None, when: str | None) -> DateRange | None:
    """A checkpoint's or milestone's range: its exact date if it has one, else its words."""
    if day is not None:
        return DateRange(day, day, str(day))
    return parse_when(when) if when else None
