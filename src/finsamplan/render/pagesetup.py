"""How each worksheet prints: A4, its orientation, its scale, the rows kept together.

An economist prints the workbook for the board: every sheet gets A4 paper, the orientation
that shows it largest, its column header repeated on each page, one page wide (the client
computes that scale, *fit to one page wide*), a header with the förbund and the workbook's
title and a footer with the sheet's name and the page number.

Where a sheet has *blocks* (a table with its heading and total, the budget's summary), they
must not be cut where a reader loses track. A sheet that fits on one page at a readable
scale is fitted to one page. A longer one is paginated here, every page break a manual
one (a sheet that is a plain list is left to the client): a block of up to half a page
starts a new page rather than being cut, a longer block
keeps at least :data:`MIN_ROWS` rows together at its start and at its end (no heading alone
at the foot of a page, no total alone at the top of the next). Pages are counted in lines
of a default row at the scale that makes the sheet one page wide, estimated from the column
widths (Excel's own rule for Calibri 11) and kept :data:`SAFETY` short of full, so that the
client never needs a break of its own between two of ours.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

A4 = (210.0, 297.0)  # mm, portrait
SIDE_MARGIN = 0.7  # inches, XlsxWriter's and Excel's defaults
TOP_MARGIN = 0.75
MM_PER_PX = 25.4 / 96
ROW_POINTS = 15  # a default row: 15 pt = 20 px
ROW_MM = 20 * MM_PER_PX
MIN_SCALE = 0.6  # below this (6.6 pt text) a whole sheet is not fitted on one page
SAFETY = 0.85  # of a page filled: taller title rows, a client's own fonts and margins
MAX_HEADER = 120  # UTF-16 units of each side of the page header (Excel: 255 in all)
MIN_ROWS = 4  # rows of a long block that a page break leaves together, at its start and end
MAX_BREAKS = 1023  # Excel's limit of manual page breaks in a sheet


@dataclass(frozen=True)
class Layout:
    """What the page setup needs to know of a sheet, stated by the sheet's writer."""

    widths: Sequence[float]  # each column's width in characters, from column A
    rows: int  # rows used (the last row's index + 1)
    header: tuple[int, int] | None = None  # rows repeated at the top of each page
    blocks: Sequence[tuple[int, int]] = field(default_factory=tuple)  # first and last row
    tall: Mapping[int, int] = field(default_factory=dict)  # rows of wrapped text: lines

    @property
    def lines(self) -> int:
        """Lines of default height that the sheet's rows take."""
        return max(self.rows, 1) + sum(n - 1 for n in self.tall.values())


def _column_px(width: float) -> float:
    """Excel's width in pixels of a column ``width`` characters wide (Calibri 11)."""
    return width * 7 + 5 if width >= 1 else width * 12


def _printable(landscape: bool) -> tuple[float, float]:
    width, height = (A4[1], A4[0]) if landscape else A4
    return width - 2 * SIDE_MARGIN * 25.4, height - 2 * TOP_MARGIN * 25.4


def _scales(layout: Layout, landscape: bool) -> tuple[float, float]:
    """The scale that makes the sheet one page wide, and the one that fits it all on one."""
    width_mm = sum(_column_px(w) for w in layout.widths) * MM_PER_PX
    page_w, page_h = _printable(landscape)
    wide = min(1.0, page_w / width_mm) if width_mm else 1.0
    height_mm = layout.lines * ROW_MM / SAFETY
    return wide, min(wide, page_h / height_mm)


def choose(layout: Layout) -> tuple[bool, float, bool]:
    """(landscape, scale, fit the whole sheet on one page)."""
    options = {landscape: _scales(layout, landscape) for landscape in (False, True)}
    best = max(options, key=lambda landscape: (options[landscape][1], not landscape))
    if options[best][1] >= MIN_SCALE:
        return best, options[best][1], True
    # Several pages: portrait unless its text would be much smaller than in landscape.
    landscape = options[False][0] < 0.75 * options[True][0]
    return landscape, options[landscape][0], False


def page_breaks(layout: Layout, scale: float, landscape: bool) -> list[int]:
    """Every page break of a sheet longer than a page: the row each page starts with."""
    _, page_h = _printable(landscape)
    per_page = max(3 * MIN_ROWS, int(page_h * SAFETY / (ROW_MM * scale)))
    upto = [0]  # upto[r]: lines of the rows before row r
    for row in range(layout.rows + 1):
        upto.append(upto[-1] + layout.tall.get(row, 1))

    def lines(first: int, last: int) -> int:
        return upto[last + 1] - upto[first] if last >= first else 0

    repeated = lines(*layout.header) if layout.header else 0
    breaks: list[int] = []
    start = 0  # the first row of the current page

    def fits(last: int) -> bool:  # rows start..last on the current page
        return lines(start, last) <= per_page - (repeated if start else 0)

    def next_break() -> int:  # the first row that no longer fits on the current page
        end = start + 1
        while fits(end):
            end += 1
        return end

    for first, last in sorted(layout.blocks):
        while not fits(first - 1):
            start = next_break()
            breaks.append(start)
        if fits(last):
            continue
        room = per_page - (repeated if start else 0) - lines(start, first - 1)
        if first > start and (lines(first, last) <= per_page // 2 or room < MIN_ROWS):
            breaks.append(first)
            start = first
        while not fits(last):
            end = next_break()
            if last - end + 1 < MIN_ROWS:  # keep the block's last rows together
                end = max(start + 1, last - MIN_ROWS + 1)
            breaks.append(end)
            start = end
    while not fits(layout.rows - 1):
        start = next_break()
        breaks.append(start)
    return breaks[:MAX_BREAKS]


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a generous guess:
    a character of text is on average narrower than the digit a width is counted in)."""
    per_line = max(1, int(width * 1.05))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def fit_rows(ws: Any, cells: Iterable[tuple[int, str, float]]) -> dict[int, int]:
    """Each row as tall as its wrapped text: (row, text, column width) per cell. Excel and
    LibreOffice do not grow a row to its wrapped text when they open a file, so a long
    label would print over the row below. The rows made taller, for :attr:`Layout.tall`."""
    tallest: dict[int, int] = {}
    for row, text, width in cells:
        tallest[row] = max(tallest.get(row, 1), text_lines(text, width))
    tall = {row: lines for row, lines in tallest.items() if lines > 1}
    for row, lines in tall.items():
        ws.set_row(row, ROW_POINTS * lines)
    return tall


def title(ws: Any, row: int, text: str, fmt: Any, widths: Sequence[float]) -> dict[int, int]:
    """A sheet's title across all its columns, wrapped, so that a long title prints within
    the page instead of running off it; ``fmt`` is merged with wrapping. The row made taller,
    for :attr:`Layout.tall` (a title's larger type takes about 1.4 characters' width)."""
    ws.merge_range(row, 0, row, len(widths) - 1, text, fmt)
    lines = text_lines(text, sum(widths) / 1.4)
    ws.set_row(row, ROW_POINTS * 1.4 * lines)
    return {row: -(-14 * lines // 10)}


def header_text(text: str) -> str:
    """Text for one side of the page header: ``&`` doubled (it starts a code otherwise),
    no ``[Picture]`` (XlsxWriter's image mark), at most :data:`MAX_HEADER` UTF-16 units so
    that both sides stay within Excel's 255."""
    out, units = "", 0
    for ch in text.replace("[Picture]", "(Picture)"):
        piece = "&&" if ch == "&" else ch
        size = len(piece.encode("utf-16-le")) // 2
        if units + size > MAX_HEADER - 1:
            return out + "…"
        out, units = out + piece, units + size
    return out


def apply(ws: Any, layout: Layout, left: str, right: str) -> None:
    """Columns, A4, orientation, scale, repeated header rows, page breaks, header, footer."""
    for col, width in enumerate(layout.widths):
        ws.set_column(col, col, width)
    landscape, scale, whole = choose(layout)
    ws.set_paper(9)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if layout.header is not None:
        ws.repeat_rows(*layout.header)
    # One page wide, and as many pages tall as the breaks make: Excel and LibreOffice
    # keep manual breaks when the height is left free.
    ws.fit_to_pages(1, 1 if whole else 0)
    if not whole and layout.blocks:
        ws.set_h_pagebreaks(page_breaks(layout, scale, landscape))
    ws.set_header(f"&L{header_text(left)}&R{header_text(right)}")
    ws.set_footer("&L&A&RSida &P av &N")
