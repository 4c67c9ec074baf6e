"""CSV and XLSX writers whose every text cell goes through ``outputs.guard_text``.

The guard is applied where a cell is written, not by each table's code, so a new column
cannot forget it. In CSV a formula-like text gets its leading apostrophe. In XLSX the text
is already a text cell (never a formula), and it also gets the *quote prefix* style: the
cell shows the text as written, and stays text when someone edits it in Excel or Calc.

CSV comes in two dialects, chosen with ``--csv``. ``excel`` (the default) is for a person
who double-clicks the file in a Swedish Excel: semicolons (Excel takes the list separator
of the Swedish locale), UTF-8 with a byte order mark (without it Excel reads the file as
Windows-1252 and shows "FÃ¶rsÃ¤kringskassan"), decimal commas and CRLF line ends. ``tidy``
is for programs: commas, UTF-8 without BOM, decimal points, LF. Which columns and rows a
file has in each dialect is its writer's choice; how a value is spelled is decided here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from finsamplan.base.outputs import guard_text


@dataclass(frozen=True)
class CsvDialect:
    name: str
    delimiter: str
    decimal: str
    bom: bool
    lineterminator: str


EXCEL = CsvDialect("excel", ";", ",", True, "\r\n")
TIDY = CsvDialect("tidy", ",", ".", False, "\n")
DIALECTS = {d.name: d for d in (EXCEL, TIDY)}
DEFAULT_CSV = EXCEL.name


def csv_text(text: str) -> str:
    """A guarded text cell with its line breaks as LF: the csv module quotes a field with a
    line feed but not one with a lone carriage return, which spreadsheets take as a new row."""
    return guard_text(text).replace("\r\n", "\n").replace("\r", "\n")


def dialect(name: str) -> CsvDialect:
    """A dialect by name (``excel`` or ``tidy``); the CLI offers only these two."""
    return DIALECTS[name]


class GuardedCsv:
    """``csv.writer`` over a string buffer in a dialect, each text cell guarded.

    Cells are text (guarded), ``int`` (written as is, no thousands separator), ``Decimal``
    (with the dialect's decimal sign), ``date`` (ISO 8601, which a Swedish Excel reads as a
    date) or ``None`` (empty). A ``float`` is refused: money is never a float here.
    """

    def __init__(self, dialect: str | CsvDialect = DEFAULT_CSV) -> None:
        self.dialect = DIALECTS[dialect] if isinstance(dialect, str) else dialect
        self.buffer = io.StringIO()
        self._writer = csv.writer(
            self.buffer,
            delimiter=self.dialect.delimiter,
            lineterminator=self.dialect.lineterminator,
        )

    def cell(self, value: Any) -> Any:
        if isinstance(value, str):
            return csv_text(value)
        if value is None:
            return ""
        if isinstance(value, (bool, float)):
            raise TypeError(f"a CSV cell cannot be {type(value).__name__}: {value!r}")
        if isinstance(value, Decimal):
            return f"{value:f}".replace(".", self.dialect.decimal)
        if isinstance(value, date):
            return value.isoformat()
        return value

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([self.cell(c) for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)

    def getvalue(self) -> bytes:
        text = self.buffer.getvalue()
        return ("\ufeff" + text if self.dialect.bom else text).encode("utf-8")


def workbook(buffer: io.BytesIO, options: dict[str, Any]) -> Any:
    """An XlsxWriter workbook whose worksheets guard every text cell they write."""
    import xlsxwriter
    from xlsxwriter.worksheet import Worksheet

    class GuardedWorksheet(Worksheet):  # type: ignore[misc]
        quoted: Any = None

        def _write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> Any:
            # Every path that writes a text cell (write, write_row, write_string) ends here.
            if guard_text(string) != string and self.quoted is not None:
                cell_format = self.quoted(cell_format)
            return super()._write_string(row, col, string, cell_format)

    class GuardedWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
        def __init__(self) -> None:
            self._properties: dict[int, dict[str, Any]] = {}  # before: __init__ adds formats
            self._quoted: dict[int, Any] = {}
            super().__init__(buffer, options)

        def add_format(self, properties: dict[str, Any] | None = None) -> Any:
            fmt = super().add_format(properties)
            self._properties[id(fmt)] = dict(properties or {})
            return fmt

        def add_worksheet(self, name: str | None = None, worksheet_class: Any = None) -> Any:
            ws = super().add_worksheet(name, worksheet_class or GuardedWorksheet)
            ws.quoted = self.quoted_format
            return ws

        def quoted_format(self, fmt: Any) -> Any:
            """``fmt`` (or no format) with the quote prefix added; made once per format."""
            key = id(fmt)
            if key not in self._quoted:
                properties = self._properties.get(key, {}) if fmt is not None else {}
                self._quoted[key] = self.add_format({**properties, "quote_prefix": True})
            return self._quoted[key]

    return GuardedWorkbook()
