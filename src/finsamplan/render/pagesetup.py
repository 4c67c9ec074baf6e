"""How each worksheet prints: A4, its orientation, its scale, the rows kept together.

An economist prints the workbook for the board: every sheet gets A4 paper, the orientation
that shows it largest, its column header repeated on each page, one page wide, a header with
the förbund and the workbook's title and a footer with the sheet and the page number.

Where a sheet has *blocks* (a table with its heading and total, the budget's summary), they
must not be cut across pages: a sheet that fits on one page at a readable scale is fitted
to one page (the client computes the scale); a longer one gets an explicit scale that makes
it one page wide, and a page break before each block that would not fit on the page it
starts on. (Excel ignores manual page breaks on a sheet set to *fit to pages*, so the two
cannot be combined.) Sizes are estimated from the column widths and row counts the sheet
writer states; the estimate errs on the side of smaller pages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

A4 = (210.0, 297.0)  # mm, portrait
SIDE_MARGIN = 0.7  # inches, XlsxWriter's and Excel's defaults
TOP_MARGIN = 0.75
MM_PER_PX = 25.4 / 96
ROW_POINTS = 15  # a default row: 15 pt = 20 px
ROW_MM = 20 * MM_PER_PX
DEFAULT_WIDTH = 8.43  # characters, an unset column
MIN_SCALE = 0.6  # smaller than this (6.6 pt) a whole sheet is not fitted on one page
SAFETY = 0.9  # the estimate's margin: wrapped labels, taller title rows, client fonts
MAX_HEADER = 100  # characters of each part of the page header


@dataclass(frozen=True)
class Layout:
    """What the page setup needs to know of a sheet, stated by the sheet's writer."""

    widths: Sequence[float]  # each column's width in characters, from column A
    rows: int  # rows used (the last row's index + 1)
    header: tuple[int, int] | None = None  # rows repeated at the top of each page
    blocks: Sequence[tuple[int, int]] = field(default_factory=tuple)  # kept on one page
    lines: int | None = None  # lines of text, where wrapped cells make rows taller

    @property
    def height_rows(self) -> int:
        return max(self.rows, self.lines or 0, 1)


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
    whole = min(wide, page_h / (layout.height_rows * ROW_MM / SAFETY))
    return wide, whole


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
    """A break before each block that would otherwise run over the end of its page."""
    _, page_h = _printable(landscape)
    per_page = int(page_h * SAFETY / (ROW_MM * scale))
    repeated = layout.header[1] - layout.header[0] + 1 if layout.header else 0

    def room(start: int) -> int:  # sheet rows on the page that starts at ``start``
        return per_page if start == 0 else max(1, per_page - repeated)

    breaks: list[int] = []
    start = 0  # the first row of the current page
    for first, last in sorted(layout.blocks):
        while first - start >= room(start):  # the client's own breaks before the block
            start += room(start)
        fits_a_page = last - first + 1 <= room(1)
        if last - start + 1 > room(start) and first > start and fits_a_page:
            breaks.append(first)
            start = first
    return breaks


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a generous guess:
    a character of text is on average narrower than the digit a width is counted in)."""
    per_line = max(1, int(width * 1.05))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def fit_rows(ws: Any, cells: Iterable[tuple[int, str, float]]) -> int:
    """Each row as tall as its wrapped text: (row, text, column width) per cell. Excel and
    LibreOffice do not grow a row to its wrapped text when they open a file, so a long
    label would print over the row below. The lines added, for :attr:`Layout.lines`."""
    tallest: dict[int, int] = {}
    for row, text, width in cells:
        tallest[row] = max(tallest.get(row, 1), text_lines(text, width))
    for row, lines in tallest.items():
        if lines > 1:
            ws.set_row(row, ROW_POINTS * lines)
    return sum(lines - 1 for lines in tallest.values())


def header_text(text: str) -> str:
    """Text for a page header: ``&`` doubled (a code otherwise), short enough for Excel."""
    short = text if len(text) <= MAX_HEADER else text[: MAX_HEADER - 1] + "…"
    return short.replace("&", "&&").replace("[Picture]", "(Picture)")


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
    if whole or not layout.blocks:
        ws.fit_to_pages(1, 1 if whole else 0)
    else:
        ws.set_print_scale(max(10, int(scale * 100)))
        ws.set_h_pagebreaks(page_breaks(layout, scale, landscape))
    ws.set_header(f"&L{header_text(left)}&R{header_text(right)}")
    ws.set_footer("&L&A&RSida &P av &N")
