"""CSV and XLSX writers whose every text cell goes through ``outputs.guard_text``.

The guard is applied where a cell is written, not by each table's code, so a new column
cannot forget it. In CSV a formula-like text gets its leading apostrophe. In XLSX the text
is already a text cell (never a formula), and it also gets the *quote prefix* style: the
cell shows the text as written, and stays text when someone edits it in Excel or Calc.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from finsamplan.base.outputs import guard_text


def csv_text(text: str) -> str:
    """A guarded text cell with its line breaks as LF: the csv module quotes a field with a
    line feed but not one with a lone carriage return, which spreadsheets take as a new row."""
    return guard_text(text).replace("\r\n", "\n").replace("\r", "\n")


class GuardedCsv:
    """``csv.writer`` over a string buffer, each text cell guarded."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self._writer = csv.writer(self.buffer, lineterminator="\n")

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_text(c) if isinstance(c, str) else c for c in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)

    def getvalue(self) -> bytes:
        return self.buffer.getvalue().encode("utf-8")


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
