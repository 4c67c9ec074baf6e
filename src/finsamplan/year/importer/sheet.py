"""A budget spreadsheet as a grid of its non-empty cells: one XLSX sheet, or a CSV file.

Everything later steps need is kept per cell: its value as the file holds it (a number
stays a number), its address, and what a person sees of its form in a spreadsheet (bold,
italic, indent, merged range, a formula, a comment, the number format). Later steps never
open the file again, and every non-empty cell read here must end up in the import's report.

Limits keep any input bounded: at most :data:`MAX_BYTES` read, :data:`MAX_UNPACKED` bytes
unpacked from an XLSX, :data:`MAX_ROWS` rows and :data:`MAX_COLUMNS` columns. A budget sheet
is a few hundred cells; anything near the limits is not one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.money import format_number

if TYPE_CHECKING:
    from finsamplan.figures.csvfile import Split

MAX_BYTES = 10 * 1024 * 1024
MAX_UNPACKED = 30 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 200
XLSX_SUFFIXES = (".xlsx", ".xlsm")
CSV_DELIMITERS = (";", "\t", ",")

Value = str | int | float | Decimal | bool | date | datetime | time


class SheetError(FinsamplanError, ValueError):
    """The file cannot be read as a budget sheet at all (exit 2)."""

    def __init__(self, code: str, message: str, cell: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.cell = cell


def column_letter(column: int) -> str:
    """Spreadsheet column name of a 1-based column: 1 → A, 27 → AA."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def address(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"


@dataclass(frozen=True, slots=True)
class Cell:
    """One non-empty cell: its value as the file holds it, and its form."""

    row: int
    column: int
    value: Value
    bold: bool = False
    italic: bool = False
    indent: int = 0
    merged: str | None = None  # "A5:G5" when this cell heads a merged range
    formula: str | None = None
    number_format: str = ""

    @property
    def address(self) -> str:
        return address(self.row, self.column)

    @property
    def text(self) -> str:
        """The value as text, without surrounding spaces (numbers as Python writes them)."""
        return str(self.value).strip()

    @property
    def is_text(self) -> bool:
        return isinstance(self.value, str)


@dataclass
class Sheet:
    """The cells of the sheet read, with what is known about the file around them."""

    file: str
    kind: str  # "xlsx" or "csv"
    name: str
    cells: dict[int, dict[int, Cell]] = field(default_factory=dict)  # row → column → cell
    creator: str = ""  # XLSX: the document's author property
    encoding: str = ""
    delimiter: str = ""
    other_sheets: list[tuple[str, str, int]] = field(default_factory=list)  # name, range, n
    comments: dict[str, str] = field(default_factory=dict)  # address → comment text
    broken: list[tuple[int, int | None, str]] = field(default_factory=list)  # CSV rows

    def rows(self) -> list[int]:
        return sorted(self.cells)

    def row(self, number: int) -> list[Cell]:
        return [self.cells[number][c] for c in sorted(self.cells.get(number, {}))]

    def all_cells(self) -> list[Cell]:
        return [cell for r in self.rows() for cell in self.row(r)]

    def add(self, cell: Cell) -> None:
        self.cells.setdefault(cell.row, {})[cell.column] = cell


def read_sheet(path: Path, sheet_name: str | None = None) -> Sheet:
    """The sheet ``sheet_name`` (default: the first) of an XLSX file, or a CSV file."""
    from finsamplan.base.inputs import InputError, read_input

    try:
        data = read_input(path, MAX_BYTES, "ett budgetblad")
    except InputError as exc:
        raise SheetError("IMP001", str(exc)) from None
    if path.suffix.lower() in XLSX_SUFFIXES or data.startswith(b"PK\x03\x04"):
        return read_xlsx(data, str(path), sheet_name)
    if sheet_name is not None:
        raise SheetError("IMP001", "--sheet gäller bara XLSX-filer; det här är en CSV-fil")
    return read_csv(data, str(path))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- XLSX --------------------------------------------------------------------------------


def read_xlsx(data: bytes, file: str, sheet_name: str | None = None) -> Sheet:
    """One worksheet with fonts, indents, merged ranges, formulas and comments.

    The workbook is opened twice: once for the values Excel or LibreOffice saved with each
    formula (what a person sees), once for the formulas themselves, so that a formula saved
    without its value is noticed instead of being read as an empty cell.
    """
    import io

    _check_unpacked(data)
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), data_only=True)
        formulas_of = _formulas(data)
    except Exception as exc:  # any failure of the parser on a damaged file: not readable
        raise SheetError("IMP001", f"är ingen läsbar XLSX-fil ({type(exc).__name__})") from None
    sheets = [ws for ws in wb.worksheets if hasattr(ws, "merged_cells")]
    if not sheets:
        raise SheetError("IMP001", "arbetsboken har inget kalkylblad")
    ws = _choose(sheets, sheet_name)
    out = Sheet(file=file, kind="xlsx", name=ws.title, creator=wb.properties.creator or "")
    formulas = formulas_of.get(ws.title, {})
    merged = {(r.min_row, r.min_col): r.coord for r in ws.merged_cells.ranges}
    _check_size([key for key, c in ws._cells.items() if not _empty(c.value)] + list(formulas))
    for (row, column), cell in sorted(ws._cells.items()):
        if cell.comment is not None and cell.comment.text and cell.comment.text.strip():
            out.comments[cell.coordinate] = _comment_text(cell.comment)
        formula = formulas.get((row, column))
        if _empty(cell.value) and formula is None:
            continue
        out.add(_xlsx_cell(cell, row, column, merged.get((row, column)), formula))
    for other in sheets:
        if other is not ws:
            count = sum(1 for c in other._cells.values() if not _empty(c.value))
            if count:
                out.other_sheets.append((other.title, other.dimensions, count))
    wb.close()
    return out


def _check_unpacked(data: bytes) -> None:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SheetError("IMP001", f"är ingen läsbar XLSX-fil ({type(exc).__name__})") from None
    if unpacked > MAX_UNPACKED:
        raise SheetError(
            "IMP001",
            f"XLSX-filen packas upp till {unpacked // (1024 * 1024)} MB; ett budgetblad får "
            f"vara högst {MAX_UNPACKED // (1024 * 1024)} MB uppackat",
        )


def _check_size(places: list[tuple[int, int]]) -> None:
    """The last row and column with content within the limits (formatting alone is no
    content: a sheet styled to row 1 048 576 is still read)."""
    rows = max((r for r, _ in places), default=0)
    columns = max((c for _, c in places), default=0)
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        raise SheetError(
            "IMP001",
            f"bladet har {rows} rader och {columns} kolumner; ett budgetblad får ha högst "
            f"{format_number(MAX_ROWS)} rader och {MAX_COLUMNS} kolumner",
        )


def _choose(sheets: list[Any], name: str | None) -> Any:
    if name is None:
        return sheets[0]
    for ws in sheets:
        if ws.title == name:
            return ws
    names = ", ".join(ws.title for ws in sheets)
    raise SheetError("IMP001", f"arbetsboken har inget blad '{name}' (bladen: {names})")


def _formulas(data: bytes) -> dict[str, dict[tuple[int, int], str]]:
    """The formula of every formula cell, per sheet title."""
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    try:
        out: dict[str, dict[tuple[int, int], str]] = {}
        for ws in wb.worksheets:
            found = out.setdefault(ws.title, {})
            rows = ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)
            for r, row in enumerate(rows, start=1):
                for c, value in enumerate(row, start=1):
                    if isinstance(value, str) and value.startswith("="):
                        found[(r, c)] = value
                    elif value is not None and type(value).__name__ == "ArrayFormula":
                        found[(r, c)] = str(getattr(value, "text", "="))
        return out
    finally:
        wb.close()


def _xlsx_cell(cell: Any, row: int, column: int, merged: str | None, formula: str | None) -> Cell:
    font, alignment = cell.font, cell.alignment
    value = cell.value
    if isinstance(value, str):
        value = value.replace("\r\n", "\n")
    return Cell(
        row=row,
        column=column,
        value=value if value is not None else "",
        bold=bool(font is not None and font.b),
        italic=bool(font is not None and font.i),
        indent=int(alignment.indent or 0) if alignment is not None else 0,
        merged=merged,
        formula=formula,
        number_format=str(cell.number_format or ""),
    )


def _comment_text(comment: Any) -> str:
    """A cell comment's text without the author line some programs put first."""
    text = str(comment.text).strip()
    author = str(comment.author or "").strip()
    if author and text.startswith(f"{author}:"):
        text = text[len(author) + 1 :].strip()
    return text


# --- CSV ---------------------------------------------------------------------------------


def read_csv(data: bytes, file: str) -> Sheet:
    """Every field of every record. Rows are numbered by record, as a spreadsheet shows the
    file, so that a cell's address is the one a person finds when opening it. A record that
    cannot be split is kept as broken, with its place, and the next line is read as the
    next record (``figures.csvfile``)."""
    from finsamplan.figures import csvfile

    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SheetError("IMP001", "innehåller NUL-tecken och är ingen CSV-fil")
    text, encoding = csvfile.decode(data)
    lines = csvfile.split_lines(text)
    if len(lines) > MAX_ROWS:
        raise SheetError(
            "IMP001",
            f"filen har {format_number(len(lines))} rader; ett budgetblad högst "
            f"{format_number(MAX_ROWS)}",
        )
    sep = delimiter(lines)
    out = Sheet(file=file, kind="csv", name=Path(file).name, encoding=encoding, delimiter=sep)
    for number, got in enumerate(_records(lines, sep), start=1):
        if got.error is not None:
            out.broken.append((number, got.column, got.error))
            continue
        if len(got.fields) > MAX_COLUMNS:
            raise SheetError("IMP001", f"rad {number} har fler än {MAX_COLUMNS} kolumner")
        for column, value in enumerate(got.fields, start=1):
            if len(value) > csvfile.MAX_FIELD:
                out.broken.append((number, column, "fältet är för långt"))
            elif value.strip():
                indent = len(value) - len(value.lstrip(" \u00a0"))
                out.add(Cell(number, column, value.strip(), indent=indent))
    return out


def _records(lines: list[str], sep: str) -> Iterator[Split]:
    """Records: a line, or a line whose quoted last field runs over the next few lines (a
    text with a line break, as Excel writes it) when they close it and none of them reads
    as a row of its own (fields and no quote)."""
    from finsamplan.figures import csvfile

    i = 0
    while i < len(lines):
        got, last = csvfile.split(lines[i], sep), i
        if got.error is not None and got.column == len(got.fields) + 1:
            joined = lines[i]
            for j in range(i + 1, min(i + 1 + csvfile.MAX_SPAN, len(lines))):
                plain = csvfile.split(lines[j], sep)
                if plain.error is None and len(plain.fields) > 1 and '"' not in lines[j]:
                    break
                joined += "\n" + lines[j]
                longer = csvfile.split(joined, sep)
                if longer.error is None:
                    got, last = longer, j
                    break
                if longer.column != len(longer.fields) + 1:
                    break
        yield got
        i = last + 1


def delimiter(lines: list[str]) -> str:
    """The separator that splits the most lines into the same number of fields (more than
    one): a comma inside ``1 234,50`` splits lines unevenly, the real separator does not.
    On a tie ``;`` before tab before ``,``."""
    from finsamplan.figures import csvfile

    sample = [line for line in lines[:200] if line.strip()]

    def score(sep: str) -> tuple[int, int]:
        counts: dict[int, int] = {}
        for line in sample:
            n = len(csvfile.split(line, sep).fields)
            if n > 1:
                counts[n] = counts.get(n, 0) + 1
        best = max(counts.values(), default=0)
        return best, -CSV_DELIMITERS.index(sep)

    return max(CSV_DELIMITERS, key=score)
