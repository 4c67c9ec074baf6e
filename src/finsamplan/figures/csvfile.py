"""CSV that fails small: a broken row is reported at its own row and the next row is read.

Python's ``csv`` module lets one unclosed quote swallow the rest of the file and reports the
row where it gave up. Here every physical line starts a record. A quoted field may run over
a few lines (a text with a line break), but only if the record then closes, has the header's
number of fields, the line break is not in the date, account or amount, and no line it takes
in looks like a row of its own (the caller decides: a date first, or a full set of fields).
Otherwise the record is just its own line, reported as malformed, and reading goes on with
the next line: two broken rows are never joined into one that reads well.
Fields longer than :data:`MAX_FIELD` characters make their row malformed, not the file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass

from finsamplan.base.words import counted

MAX_FIELD = 10_000  # characters in one field
MAX_SPAN = 10  # lines one quoted field may run over
DELIMITERS = (";", "\t", ",")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def decode(data: bytes) -> tuple[str, str]:
    """Text and encoding: a BOM decides; else UTF-8 if the bytes are UTF-8, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def split_lines(text: str) -> list[str]:
    """Physical lines, split only at CR, LF and CRLF (not at form feeds or U+2028)."""
    lines = _NEWLINES.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def delimiter(line: str) -> str:
    """The separator a header line uses most: ``;`` before tab before ``,`` on a tie."""
    return max(DELIMITERS, key=lambda d: (line.count(d), -DELIMITERS.index(d)))


@dataclass(frozen=True, slots=True)
class Split:
    fields: list[str]
    error: str | None = None
    column: int | None = None  # 1-based field where the error is


def split(text: str, sep: str) -> Split:
    """One record's fields. A field that starts with ``"`` is quoted (``""`` is a quote)."""
    if '"' not in text:
        return Split(text.split(sep))
    fields: list[str] = []
    i, n = 0, len(text)
    while True:
        if i < n and text[i] == '"':
            parts, j = [], i + 1
            while True:
                k = text.find('"', j)
                if k < 0:
                    return Split(fields, "citattecknet stängs aldrig på raden", len(fields) + 1)
                parts.append(text[j:k])
                if text.startswith('"', k + 1):
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            fields.append("".join(parts))
            if i == n:
                return Split(fields)
            if text[i] != sep:
                return Split(fields, "tecken efter det avslutande citattecknet", len(fields))
            i += 1
        else:
            k = text.find(sep, i)
            if k < 0:
                fields.append(text[i:])
                return Split(fields)
            fields.append(text[i:k])
            i = k + 1


@dataclass(frozen=True, slots=True)
class Record:
    """A record that starts at ``row`` (1-based line); ``fields`` is None when malformed."""

    row: int
    fields: list[str] | None
    problem: str | None = None
    column: int | None = None
    last: int = 0  # the last line the record uses


def records(
    lines: list[str],
    start: int,
    sep: str,
    width: int,
    keys: Collection[int] = (),
    is_row: Callable[[str], bool] = lambda line: False,
) -> Iterator[Record]:
    """Records from ``lines[start:]``; ``keys`` are the 0-based fields that may hold no line
    break (date, account, amount); a line for which ``is_row`` is true is never taken into
    an earlier record."""
    i = start
    while i < len(lines):
        row = i + 1
        got = split(lines[i], sep)
        last = i
        if got.error is not None and got.column == len(got.fields) + 1:
            joined = lines[i]
            for j in range(i + 1, min(i + 1 + MAX_SPAN, len(lines))):
                if is_row(lines[j]):
                    break
                joined += "\n" + lines[j]
                longer = split(joined, sep)
                if longer.error is None or longer.column != len(longer.fields) + 1:
                    if _fits(longer, width, keys):
                        got, last = longer, j
                    break
        yield _record(row, got, width, last + 1)
        i = last + 1


def _fits(got: Split, width: int, keys: Collection[int]) -> bool:
    return (
        got.error is None
        and len(got.fields) == width
        and not any("\n" in got.fields[k] for k in keys if k < width)
    )


def _record(row: int, got: Split, width: int, last: int) -> Record:
    if got.error is not None:
        return Record(row, None, got.error, got.column, last)
    long = next((k for k, f in enumerate(got.fields) if len(f) > MAX_FIELD), None)
    if long is not None:
        size, limit = (f"{n:,}".replace(",", "\u00a0") for n in (len(got.fields[long]), MAX_FIELD))
        return Record(row, None, f"fältet har {size} tecken, högst {limit}", long + 1, last)
    if len(got.fields) != width and any(f.strip() for f in got.fields):
        return Record(
            row, None, f"{counted(len(got.fields), 'kolumn')}, rubrikraden har {width}", None, last
        )
    return Record(row, got.fields, None, None, last)
