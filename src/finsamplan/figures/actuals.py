"""Actuals (*utfall*) from the finance system's export, every row accounted for.

Reads CSV (``;``, tab or ``,``; UTF-8, UTF-16 with BOM or Windows-1252), XLSX and SIE 4
(:mod:`finsamplan.figures.sie`). Amounts are read by the file's own convention
(:mod:`finsamplan.figures.amounts`), never guessed cell by cell, and kept exact in öre.

Every row of the export ends up in exactly one place: a transaction row (later mapped,
unmapped or outside the period, see :func:`reconcile`), a total or subtotal row recognised
by a stated rule, a malformed row with its file, row and column, or a row without money
(the header, blank rows, headings). The transaction rows, the malformed rows whose amount
could be read and nothing else add up to the export's own total, to the öre.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.base.oserror import reason as os_reason
from finsamplan.base.words import counted
from finsamplan.figures import amounts
from finsamplan.plan.model import Actuals, MappingRule

COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "date": (
        "datum",
        "bokföringsdatum",
        "bokf.datum",
        "bokfdatum",
        "verifikationsdatum",
        "transaktionsdatum",
        "date",
    ),
    "account": ("konto", "kontonr", "kontonummer", "account"),
    "cost_centre": (
        "ansvar",
        "kostnadsställe",
        "kst",
        "ansvarsområde",
        "resultatenhet",
        "cost centre",
        "cost center",
    ),
    "project": ("projekt", "projektnr", "projektnummer", "project"),
    "text": ("text", "verifikationstext", "beskrivning", "benämning", "kontonamn", "description"),
    "amount": ("belopp", "summa", "utfall", "amount"),
}
REQUIRED = ("date", "account", "amount")
MAX_BYTES = 32 * 1024 * 1024
MAX_ROWS = 100_000
# A result row ("Årets resultat") closes many exports: the net of every row above with the
# sign turned (income less costs where the rows carry costs as positive). It is neither a
# line nor the export's total; it is checked against the rows and kept apart.
RESULT_ROW = re.compile(
    r"^\W*(årets|periodens|ackumulerat)?\s*(resultat|överskott|underskott)\W*$", re.IGNORECASE
)
MAX_PREAMBLE = 20  # non-empty rows before the header that are skipped as title rows
SIE_SUFFIXES = (".se", ".si", ".sie")
_DATES = (
    (re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?$"), 1),
    (re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})$"), 1),
    (re.compile(r"^([0-9]{2})\.([0-9]{2})\.([0-9]{4})$"), -1),
)


TableRow = tuple[int, list[Any] | None, str | None, int | None]  # row, values, problem, column


@dataclass(frozen=True, slots=True)
class ActualRow:
    """A transaction row: one amount on one account, on one day."""

    row: int
    date: date
    account: str
    cost_centre: str
    text: str
    amount: Decimal
    project: str = ""
    line: str | None = None  # the plan line it is mapped to
    balance: bool = False  # on a balance-sheet account (SIE: #KTYP T/S, or BAS class 1–2)


@dataclass(frozen=True, slots=True)
class TotalRow:
    """A total or subtotal row of the export: never counted, it only checks the others."""

    row: int
    text: str
    amount: Decimal
    first: int | None  # first row of the block it is the sum of; None: no block matches
    rule: str  # "sum" (sum of a block above), "words" (the plan says) or "result" (see below)
    grand: bool = False  # the export's own total


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that could not be read; its amount is counted when that part could be read."""

    row: int
    finding: Finding
    amount: Decimal | None = None


@dataclass
class Import:
    """One export, read: every row in exactly one list, with the counts to prove it."""

    file: str
    kind: str = "csv"  # csv, xlsx or sie
    encoding: str = "utf-8"
    amount_format: str = ""
    physical_rows: int = 0
    header_row: int | None = None
    preamble: list[int] = field(default_factory=list)
    blank: int = 0
    continued: int = 0  # lines that belong to a record begun on an earlier line
    text_rows: list[int] = field(default_factory=list)
    rows: list[ActualRow] = field(default_factory=list)
    totals: list[TotalRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)
    declared_total: Decimal | None = None
    declared_row: int | None = None
    declared_rule: str = ""
    lines: dict[str, int] = field(default_factory=dict)  # SIE: lines by kind

    @property
    def malformed(self) -> list[Finding]:
        return [b.finding for b in self.bad]

    @property
    def mapped(self) -> list[ActualRow]:
        return [r for r in self.rows if r.line is not None]

    @property
    def unmapped(self) -> list[ActualRow]:
        return [r for r in self.rows if r.line is None]

    @property
    def accounted_rows(self) -> int:
        """Rows placed somewhere; equals :attr:`physical_rows` for CSV and XLSX."""
        return (
            (1 if self.header_row is not None else 0)
            + len(self.preamble)
            + self.blank
            + self.continued
            + len(self.text_rows)
            + len(self.rows)
            + len(self.totals)
            + len(self.bad)
        )


class ImportError_(FinsamplanError, ValueError):
    """The export cannot be read at all (exit 2)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(findings=[finding])
        self.finding = finding


def fail(code: str, message: str, file: str, line: int | None = None) -> ImportError_:
    return ImportError_(Finding(code, Severity.ERROR, message, file=file, line=line))


def parse_date(value: Any) -> date:
    """A date cell: ``2023-10-31`` (with or without a time), ``20231031`` or ``31.10.2023``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for pattern, order in _DATES:
        m = pattern.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups()[::order])
            return date(y, mo, d)
    raise ValueError(text)


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, at most ``limit`` (:data:`MAX_BYTES`); a device, a folder or
    a larger file is a located error, and nothing beyond the limit is read."""
    display = str(path)
    limit = MAX_BYTES if limit is None else limit
    try:
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise fail("ACT001", "är ingen vanlig fil", display)
            data = handle.read(limit + 1)
    except OSError as exc:
        raise fail("ACT001", f"kan inte läsas: {os_reason(exc)}", display) from None
    if len(data) > limit:
        raise fail("ACT005", f"exporten är större än {limit // (1024 * 1024)} MB", display)
    return data


def read_export(path: Path, config: Actuals) -> Import:
    """Read a CSV, XLSX or SIE export; rows are not yet mapped."""
    return read_data(read_bytes(path), str(path), config)


def read_data(data: bytes, display: str, config: Actuals) -> Import:
    """An export's bytes, read by its name's suffix (or its content, for XLSX and SIE)."""
    suffix = Path(display).suffix.lower()
    if suffix in SIE_SUFFIXES or data.lstrip()[:7] == b"#FLAGGA":
        from finsamplan.figures import sie

        return sie.to_import(sie.parse(data, display), config)
    if suffix in (".xlsx", ".xlsm") or data.startswith(b"PK\x03\x04"):
        return _from_table(_xlsx_rows(data, display), config, display, "xlsx", "xlsx")

    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail("ACT001", "innehåller NUL-tecken och är ingen CSV-fil", display)
    return _read_csv(data, display, config)


def _read_csv(data: bytes, display: str, config: Actuals) -> Import:
    from finsamplan.figures import csvfile

    if max(data.count(b"\n"), data.count(b"\r")) > MAX_ROWS:
        raise _too_many(display)
    text, encoding = csvfile.decode(data)
    lines = csvfile.split_lines(text)
    header_at, sep = _csv_header(lines, config, display)
    header = csvfile.split(lines[header_at], sep).fields
    cols = _columns(header, config, display, header_at + 1)
    keys = [cols[k] for k in REQUIRED]
    table: list[TableRow] = [
        (i + 1, [str(h) for h in csvfile.split(lines[i], sep).fields], None, None)
        for i in range(header_at + 1)
    ]
    continued = 0
    for rec in csvfile.records(
        lines, header_at + 1, sep, len(header), keys, _row_test(sep, len(header), cols["date"])
    ):
        table.append((rec.row, rec.fields, rec.problem, rec.column))
        continued += rec.last - rec.row
        if len(table) > MAX_ROWS:
            raise _too_many(display)
    imp = _from_table(table, config, display, "csv", encoding, header_at)
    imp.continued = continued
    imp.physical_rows = len(lines)
    return imp


def _row_test(sep: str, width: int, date_at: int) -> Callable[[str], bool]:
    """Whether a line looks like a row of its own: all its fields, or a date where the date
    goes. Such a line is never read as the continuation of a quoted text above it."""
    from finsamplan.figures import csvfile

    def is_row(line: str) -> bool:
        got = csvfile.split(line, sep)
        if got.error is None and len(got.fields) >= width:
            return True
        if date_at < len(got.fields):
            try:
                parse_date(got.fields[date_at])
            except ValueError:
                return False
            return True
        return False

    return is_row


def _too_many(file: str) -> ImportError_:
    limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
    return fail("ACT005", f"exporten har fler än {limit} rader; dela upp den per period", file)


def _csv_header(lines: list[str], config: Actuals, file: str) -> tuple[int, str]:
    """The header: the first of the first non-empty lines that names the required columns."""
    from finsamplan.figures import csvfile

    seen = 0
    first: tuple[int, str] | None = None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        sep = csvfile.delimiter(line)
        first = first or (i, sep)
        names = csvfile.split(line, sep).fields
        if all(k in _find_columns(names, config) for k in REQUIRED):
            return i, sep
        seen += 1
        if seen >= MAX_PREAMBLE:
            break
    if first is None:
        raise fail("ACT001", "exporten är tom", file)
    _columns(csvfile.split(lines[first[0]], first[1]).fields, config, file, first[0] + 1)
    raise AssertionError("unreachable")  # pragma: no cover - _columns raised


def _find_columns(header: Sequence[Any], config: Actuals) -> dict[str, list[int]]:
    names = [str(h).strip().lower() for h in header]
    out: dict[str, list[int]] = {}
    for key, synonyms in COLUMN_NAMES.items():
        configured = config.columns.get(key)  # type: ignore[call-overload]
        wanted = (configured.strip().lower(),) if configured else synonyms
        found = [i for w in wanted for i, n in enumerate(names) if n == w]
        if found:
            out[key] = found
    return out


def _columns(header: Sequence[Any], config: Actuals, file: str, row: int) -> dict[str, int]:
    found = _find_columns(header, config)
    missing = [k for k in REQUIRED if k not in found]
    if missing:
        need = ", ".join(f"{k} ({'/'.join(COLUMN_NAMES[k][:3])})" for k in missing)
        shown = ", ".join(str(h) for h in header if str(h).strip())[:500]
        raise fail(
            "ACT002",
            f"exporten saknar kolumn för {need}; rubrikerna är: {shown}. "
            "Ange rubrikerna i actuals.columns",
            file,
            row,
        )
    if len(found["amount"]) > 1:
        names = ", ".join(f"{header[i]} (kolumn {i + 1})" for i in found["amount"])
        raise fail(
            "ACT002",
            f"flera kolumner kan vara beloppet: {names}; ange vilken i actuals.columns.amount",
            file,
            row,
        )
    return {k: v[0] for k, v in found.items()}


def _xlsx_rows(data: bytes, file: str) -> list[TableRow]:
    import io
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    # SyntaxError: a part's XML is broken (ElementTree's and lxml's parse errors)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, SyntaxError) as exc:
        raise fail("ACT001", f"är ingen läsbar XLSX-fil ({type(exc).__name__})", file) from None
    out: list[TableRow] = []
    try:
        for i, row in enumerate(wb.worksheets[0].iter_rows(values_only=True), start=1):
            values = ["" if v is None else v for v in row]
            while values and values[-1] == "":
                values.pop()
            out.append((i, values, None, None))
            if len(out) > MAX_ROWS:
                raise _too_many(file)
    except ImportError_:
        raise
    except (KeyError, ValueError, TypeError, SyntaxError, zipfile.BadZipFile) as exc:
        raise fail("ACT001", f"XLSX-filen är trasig ({type(exc).__name__})", file) from None
    finally:
        wb.close()
    return out


def _from_table(
    table: list[TableRow],
    config: Actuals,
    file: str,
    kind: str,
    encoding: str,
    header_at: int | None = None,
) -> Import:
    """Rows (number, values or None, problem, column) → an :class:`Import` (not yet mapped)."""
    if header_at is None:
        header_at = _table_header(table, config, file)
    header = table[header_at][1] or []
    cols = _columns(header, config, file, table[header_at][0])
    imp = Import(file=file, kind=kind, encoding=encoding, header_row=table[header_at][0])
    imp.physical_rows = len(table)
    imp.preamble = [n for n, v, _, _ in table[:header_at] if _filled(v)]
    imp.blank = sum(1 for _, v, p, _ in table[:header_at] if not _filled(v) and p is None)
    body = table[header_at + 1 :]
    decision = amounts.decide(
        [
            (n, v[cols["amount"]])
            for n, v, _, _ in body
            if v and len(v) > cols["amount"] and isinstance(v[cols["amount"]], str)
        ],
        amounts.stated(config.format.decimal, config.format.thousands),
    )
    imp.amount_format = decision.summary()
    _Rows(imp, cols, config, decision, len(header)).run(body)
    if not imp.rows and not imp.bad and not imp.totals:
        raise fail(
            "ACT004",
            "exporten har inga rader med belopp, bara rubrikraden"
            + (" och rader utan belopp" if imp.text_rows else ""),
            file,
            imp.header_row,
        )
    return imp


def _filled(values: list[Any] | None) -> bool:
    return values is not None and any(str(x).strip() for x in values)


def _table_header(table: list[TableRow], config: Actuals, file: str) -> int:
    candidates = [i for i, (_, v, _, _) in enumerate(table) if _filled(v)][:MAX_PREAMBLE]
    if not candidates:
        raise fail("ACT001", "exporten är tom", file)
    for i in candidates:
        if all(k in _find_columns(table[i][1] or [], config) for k in REQUIRED):
            return i
    first = candidates[0]
    _columns(table[first][1] or [], config, file, table[first][0])
    raise AssertionError("unreachable")  # pragma: no cover - _columns raised


class _Rows:
    """Places each row below the header; keeps the running sums that recognise totals."""

    def __init__(
        self,
        imp: Import,
        cols: dict[str, int],
        config: Actuals,
        decision: amounts.Decision,
        width: int,
    ) -> None:
        self.imp = imp
        self.cols = cols
        self.decision = decision
        self.width = width
        self.words = [
            re.compile(rf"(?<!\w){re.escape(w.strip())}(?!\w)", re.IGNORECASE)
            for w in config.totals.words
        ]
        self.running = Decimal(0)  # sum of every amount read so far
        self.counted: list[int] = []  # row numbers of the rows in the running sum
        self.starts: dict[Decimal, list[int]] = {Decimal(0): [0]}  # running sum → block starts
        self.whole: set[int] = set()  # total rows that are the sum of every row above them
        self.last_total: tuple[int, Decimal] | None = None  # its row and the running sum then

    def bad(
        self,
        row: int,
        code: str,
        message: str,
        column: int | None = None,
        amount: Decimal | None = None,
    ) -> None:
        finding = Finding(
            code,
            Severity.ERROR,
            f"rad {row}: {message}",
            file=self.imp.file,
            line=row,
            column=column,
        )
        self.imp.bad.append(BadRow(row, finding, amount))
        if amount is not None:
            self.count(row, amount)

    def count(self, row: int, amount: Decimal) -> None:
        self.running += amount
        self.counted.append(row)

    def cell(self, values: list[Any], key: str) -> Any:
        i = self.cols.get(key)
        return values[i] if i is not None and i < len(values) else ""

    def run(self, body: list[TableRow]) -> None:
        for n, values, problem, column in body:
            if values is None:
                self.bad(n, "ACT003", problem or "raden kan inte läsas", column)
            elif not _filled(values):
                self.imp.blank += 1
            elif self.imp.kind == "xlsx" and len(values) > self.width:
                self.bad(
                    n, "ACT003", f"{counted(len(values), 'kolumn')}, rubrikraden har {self.width}"
                )
            else:
                self.row(n, values)
        self.finish()

    def amount(self, n: int, values: list[Any]) -> Decimal | amounts.Problem | None:
        raw = self.cell(values, "amount")
        if isinstance(raw, bool):
            return amounts.Problem("ACT003", f"beloppet '{raw}' är inget tal")
        if isinstance(raw, int | float):
            return amounts.check(
                Decimal(repr(raw)) if isinstance(raw, float) else Decimal(raw), repr(raw)
            )
        if not str(raw).strip():
            return None
        return self.decision.read(str(raw))

    def row(self, n: int, values: list[Any]) -> None:
        column = self.cols["amount"] + 1
        amount = self.amount(n, values)
        account = _account(self.cell(values, "account"))
        if isinstance(amount, amounts.Problem):
            self.bad(n, amount.code, amount.message, column)
            return
        stated = self.stated_total(values)
        if amount is None:
            if account and not stated:
                self.bad(n, "ACT003", "beloppet saknas", column)
            else:
                self.imp.text_rows.append(n)
            return
        if stated or not any(ch.isdigit() for ch in account):
            self.total(n, values, amount, stated)
            return
        try:
            day = parse_date(self.cell(values, "date"))
        except ValueError:
            shown = str(self.cell(values, "date")).strip()[:40]
            self.bad(
                n,
                "ACT003",
                f"datumet '{shown}' går inte att läsa (skriv ÅÅÅÅ-MM-DD)",
                self.cols["date"] + 1,
                amount,
            )
            return
        self.imp.rows.append(
            ActualRow(
                n,
                day,
                account,
                _text(self.cell(values, "cost_centre")),
                _text(self.cell(values, "text")),
                amount,
                _text(self.cell(values, "project")),
            )
        )
        self.count(n, amount)

    def stated_total(self, values: list[Any]) -> bool:
        if not self.words:
            return False
        amount_at = self.cols["amount"]
        texts = [str(v) for i, v in enumerate(values) if i != amount_at]
        return any(p.search(t) for p in self.words for t in texts)

    def total(self, n: int, values: list[Any], amount: Decimal, stated: bool) -> None:
        """A row without an account: a total if the plan says so or if its amount is the sum
        of the rows since the file's start or since an earlier total; otherwise malformed."""
        target = self.running - amount
        starts = [s for s in self.starts.get(target, []) if s < len(self.counted)]
        label = _label(values, self.cols)
        if self.result_row(label, amount):
            self.imp.totals.append(TotalRow(n, label, amount, None, "result"))
            return
        if starts and starts[0] == 0:
            self.whole.add(n)
        if starts:
            first = self.counted[starts[-1]]
            self.imp.totals.append(TotalRow(n, label, amount, first, "words" if stated else "sum"))
        elif stated:
            self.imp.totals.append(TotalRow(n, label, amount, None, "words"))
        else:
            self.bad(n, "ACT014", self._not_a_total(amount), self.cols["account"] + 1)
            return
        self.starts.setdefault(self.running, []).append(len(self.counted))
        self.last_total = (n, self.running)

    def result_row(self, label: str, amount: Decimal) -> bool:
        """A row named as the year's result whose amount is the net of every row above with
        the sign turned: never taken from the words alone. (With the sign as it is, the row
        is the sum of the rows and is read as a total, as before.)"""
        if not self.counted or not RESULT_ROW.match(label):
            return False
        return amount == -self.running and amount != 0

    def _not_a_total(self, amount: Decimal) -> str:
        show = amounts.show
        text = (
            f"raden har inget konto och är ingen summarad: beloppet {show(amount)} är inte "
            f"summan av raderna ovanför ({show(self.running)})"
        )
        if self.last_total is not None:
            row, running = self.last_total
            part = show(self.running - running)
            text += f" eller av raderna efter summaraden på rad {row} ({part})"
        return text + "; är raden en summarad, ange ett ord som känner igen den i actuals.totals"

    def finish(self) -> None:
        """The export's own total: the last total row, when only totals follow it and it sums
        everything above it (or, stated by the plan, sums no block at all)."""
        imp = self.imp
        sums = [i for i, t in enumerate(imp.totals) if t.rule != "result"]
        if not sums:
            return
        at = sums[-1]
        last = imp.totals[at]
        after = [r.row for r in imp.rows] + [b.row for b in imp.bad]
        if any(r > last.row for r in after):
            return
        if last.first is None or last.row in self.whole:
            imp.totals[at] = replace(last, grand=True)
            imp.declared_total, imp.declared_row = last.amount, last.row
            imp.declared_rule = last.rule
        for t in imp.totals:
            if t.first is None and not t.grand and t.rule != "result":
                imp.notes.append(
                    Finding(
                        "ACT013",
                        Severity.WARNING,
                        f"rad {t.row}: summaraden ({t.text}) är inte summan av raderna ovanför",
                        file=imp.file,
                        line=t.row,
                    )
                )


def _account(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _label(values: list[Any], cols: dict[str, int]) -> str:
    texts = [str(v).strip() for i, v in enumerate(values) if i != cols["amount"]]
    return " ".join(t for t in texts if t)[:200]


def _matches(rule: MappingRule, row: ActualRow) -> bool:
    if rule.account is not None and not account_matches(rule.account.strip(), row.account):
        return False
    if rule.cost_centre is not None and row.cost_centre.lower() != rule.cost_centre.lower():
        return False
    if rule.project is not None and row.project.lower() != rule.project.lower():
        return False
    return rule.text is None or rule.text.lower() in row.text.lower()


def account_matches(spec: str, account: str) -> bool:
    if "-" in spec:
        low, high = (p.strip() for p in spec.split("-", 1))
        return (
            low.isdigit()
            and high.isdigit()
            and account.isdigit()
            and int(low) <= int(account) <= int(high)
        )
    if spec.endswith("*"):
        return account.startswith(spec[:-1])
    return account == spec


def apply_mapping(imp: Import, rules: list[MappingRule]) -> Import:
    """Each row gets the line of the first rule that matches it, or stays unmapped."""
    imp.rows = [
        replace(r, line=next((rule.line for rule in rules if _matches(rule, r)), None))
        for r in imp.rows
    ]
    return imp


def load_actuals(path: Path, config: Actuals) -> Import:
    return apply_mapping(read_export(path, config), config.mapping)


# --- Reconciliation ---------------------------------------------------------------------------

BUCKET_TITLES = {
    "mapped": "Mappade rader",
    "unmapped": "Omappade rader",
    "balance": "Balanskonton (ingår inte i resultatet)",
    "before": "Före perioden",
    "after": "Efter perioden",
    "malformed": "Felaktiga rader",
}


@dataclass(frozen=True)
class Bucket:
    """Rows of one kind: how many, their sum, and their first and last date."""

    key: str
    title: str
    rows: int
    amount: Decimal
    unknown: int = 0  # rows whose amount could not be read (malformed only)
    first: date | None = None
    last: date | None = None


def _bucket(key: str, rows: Sequence[ActualRow]) -> Bucket:
    dates = [r.date for r in rows]
    return Bucket(
        key,
        BUCKET_TITLES[key],
        len(rows),
        sum((r.amount for r in rows), Decimal(0)),
        0,
        min(dates, default=None),
        max(dates, default=None),
    )


@dataclass(frozen=True)
class Reconciliation:
    """Every row of the export in exactly one bucket, and the buckets against its total."""

    start: date
    end: date
    mapped: tuple[ActualRow, ...]
    unmapped: tuple[ActualRow, ...]
    balance: tuple[ActualRow, ...]
    before: tuple[ActualRow, ...]
    after: tuple[ActualRow, ...]
    bad: tuple[BadRow, ...]
    totals: tuple[TotalRow, ...]
    declared: Decimal | None
    declared_row: int | None

    @property
    def buckets(self) -> list[Bucket]:
        """The buckets with money, in report order; they sum to :attr:`counted`."""
        known = [b.amount for b in self.bad if b.amount is not None]
        return [
            _bucket("mapped", self.mapped),
            _bucket("unmapped", self.unmapped),
            _bucket("balance", self.balance),
            _bucket("before", self.before),
            _bucket("after", self.after),
            Bucket(
                "malformed",
                BUCKET_TITLES["malformed"],
                len(self.bad),
                sum(known, Decimal(0)),
                len(self.bad) - len(known),
            ),
        ]

    @property
    def counted(self) -> Decimal:
        return sum((b.amount for b in self.buckets), Decimal(0))

    @property
    def unknown(self) -> int:
        return sum(1 for b in self.bad if b.amount is None)

    @property
    def difference(self) -> Decimal | None:
        """The export's own total minus every amount read; None when it states no total."""
        return None if self.declared is None else self.declared - self.counted

    @property
    def in_period(self) -> int:
        return len(self.mapped) + len(self.unmapped) + len(self.balance)


def reconcile(imp: Import, start: date, end: date) -> Reconciliation:
    """Sort the transaction rows by period, then by mapping; nothing is left out."""
    parts: dict[str, list[ActualRow]] = {k: [] for k in ("mapped", "unmapped", "balance")}
    before: list[ActualRow] = []
    after: list[ActualRow] = []
    for r in imp.rows:
        if r.date < start:
            before.append(r)
        elif r.date > end:
            after.append(r)
        elif r.line is not None:
            parts["mapped"].append(r)
        else:
            parts["balance" if r.balance else "unmapped"].append(r)
    return Reconciliation(
        start,
        end,
        tuple(parts["mapped"]),
        tuple(parts["unmapped"]),
        tuple(parts["balance"]),
        tuple(before),
        tuple(after),
        tuple(imp.bad),
        tuple(imp.totals),
        imp.declared_total,
        imp.declared_row,
    )
