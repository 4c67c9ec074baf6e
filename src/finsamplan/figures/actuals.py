"""Actuals (*utfall*) from the finance system's export, mapped to plan lines, nothing dropped.

Reads CSV (``;`` or ``,``, UTF-8 or Windows-1252, Swedish numbers such as ``1 234,50`` and
``-1 234``) and XLSX. Every row ends up in exactly one place: mapped to a plan line by the
plan's rules, listed as unmapped, or reported as malformed with its file and row. Amounts
are kept exact (``Decimal``, öre) so that the export's own total reconciles to the öre
against the mapped and unmapped sums; kronor are rounded once, in the report.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from finsamplan.base.findings import Finding, Severity
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
    "text": ("text", "verifikationstext", "beskrivning", "benämning", "kontonamn", "description"),
    "amount": ("belopp", "summa", "utfall", "amount"),
}
REQUIRED = ("date", "account", "amount")
TOTAL_WORDS = ("summa", "totalt", "total")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


@dataclass(frozen=True)
class ActualRow:
    row: int
    date: date
    account: str
    cost_centre: str
    text: str
    amount: Decimal
    line: str | None = None


@dataclass
class Import:
    """One export, read: each row mapped, unmapped, or malformed; its total reconciled."""

    file: str
    rows: list[ActualRow] = field(default_factory=list)
    malformed: list[Finding] = field(default_factory=list)
    declared_total: Decimal | None = None
    declared_row: int | None = None
    encoding: str = "utf-8"

    @property
    def mapped(self) -> list[ActualRow]:
        return [r for r in self.rows if r.line is not None]

    @property
    def unmapped(self) -> list[ActualRow]:
        return [r for r in self.rows if r.line is None]

    @property
    def total(self) -> Decimal:
        return sum((r.amount for r in self.rows), Decimal(0))

    @property
    def mapped_total(self) -> Decimal:
        return sum((r.amount for r in self.mapped), Decimal(0))

    @property
    def unmapped_total(self) -> Decimal:
        return sum((r.amount for r in self.unmapped), Decimal(0))

    @property
    def difference(self) -> Decimal | None:
        """The export's own total minus what was read; None when it states no total."""
        if self.declared_total is None:
            return None
        return self.declared_total - self.mapped_total - self.unmapped_total

    @property
    def last_date(self) -> date | None:
        return max((r.date for r in self.rows), default=None)


class ImportError_(ValueError):
    """The export cannot be read at all (exit 2)."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.format())
        self.finding = finding


def parse_amount(text: str) -> Decimal:
    """``1 234,50``, ``-1 234``, ``−1234``, ``1234.50`` → Decimal; anything else raises."""
    s = text.strip().replace("\u2212", "-").translate(_SPACES)
    if s.endswith("-") and s[:-1].replace(",", "").replace(".", "").isdigit():
        s = "-" + s[:-1]  # trailing minus, as some systems write it
    if "," in s:
        if s.count(",") > 1:
            raise ValueError(text)
        s = (
            s.replace(".", "").replace(",", ".")
            if "." in s and s.index(".") < s.index(",")
            else s.replace(",", ".")
        )
    if not _NUMBER.match(s):
        raise ValueError(text)
    try:
        return Decimal(s)
    except InvalidOperation:
        raise ValueError(text) from None


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in (
        "%Y-%m-%d",
        "%Y%m%d",
        "%d.%m.%Y",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%d/%m/%Y",
    ):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _columns(header: list[str], config: Actuals, file: str) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    out: dict[str, int] = {}
    for key, synonyms in COLUMN_NAMES.items():
        wanted = (config.columns[key].strip().lower(),) if key in config.columns else synonyms
        for w in wanted:
            if w in names:
                out[key] = names.index(w)
                break
    missing = [k for k in REQUIRED if k not in out]
    if missing:
        need = ", ".join(f"{k} ({'/'.join(COLUMN_NAMES[k][:3])})" for k in missing)
        raise ImportError_(
            Finding(
                "ACT002",
                Severity.ERROR,
                f"exporten saknar kolumn för {need}; rubrikerna är: "
                f"{', '.join(h for h in header if h)}. Ange rubrikerna i actuals.columns",
                file=file,
                line=1,
            )
        )
    return out


def read_export(path: Path, config: Actuals) -> Import:
    """Read a CSV or XLSX export; rows are not yet mapped."""
    display = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportError_(
            Finding("ACT001", Severity.ERROR, f"kan inte läsas: {exc.strerror}", file=display)
        ) from None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        rows, encoding = _xlsx_rows(data, display), "xlsx"
    else:
        rows, encoding = _csv_rows(data, display)
    return _parse_rows(rows, config, display, encoding)


def _csv_rows(data: bytes, file: str) -> tuple[list[tuple[int, list[Any]]], str]:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text, encoding = data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = data.decode("cp1252", errors="replace"), "windows-1252"
    lines = text.splitlines()
    header = next((ln for ln in lines if ln.strip()), "")
    delimiter = ";" if header.count(";") >= header.count(",") and ";" in header else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out: list[tuple[int, list[Any]]] = []
    for values in reader:
        out.append((reader.line_num, values))
    if not out:
        raise ImportError_(Finding("ACT001", Severity.ERROR, "exporten är tom", file=file))
    return out, encoding


def _xlsx_rows(data: bytes, file: str) -> list[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise ImportError_(
            Finding("ACT001", Severity.ERROR, f"är ingen läsbar XLSX-fil ({exc})", file=file)
        ) from None
    ws = wb.worksheets[0]
    out = [
        (i, ["" if v is None else v for v in row])
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
    ]
    wb.close()
    return out


def _parse_rows(
    rows: list[tuple[int, list[Any]]], config: Actuals, file: str, encoding: str
) -> Import:
    first = next(((n, v) for n, v in rows if any(str(x).strip() for x in v)), None)
    if first is None:
        raise ImportError_(Finding("ACT001", Severity.ERROR, "exporten är tom", file=file))
    header_row, header = first
    cols = _columns([str(h) for h in header], config, file)
    result = Import(file=file, encoding=encoding)
    width = len(header)

    def bad(n: int, message: str) -> None:
        result.malformed.append(
            Finding("ACT003", Severity.ERROR, f"rad {n}: {message}", file=file, line=n)
        )

    for n, values in rows:
        if n <= header_row or not any(str(x).strip() for x in values):
            continue
        if len(values) != width:
            bad(n, f"{len(values)} kolumner, rubrikraden har {width}")
            continue

        def cell(key: str, row: list[Any] = values) -> Any:
            return row[cols[key]] if key in cols else ""

        raw_amount = cell("amount")
        try:
            amount = (
                Decimal(str(raw_amount))
                if isinstance(raw_amount, int | float) and not isinstance(raw_amount, bool)
                else parse_amount(str(raw_amount))
            )
        except ValueError:
            bad(n, f"beloppet '{raw_amount}' går inte att läsa (skriv t.ex. 1 234,50)")
            continue
        amount = amount.quantize(Decimal("0.01"))
        account = str(cell("account")).strip()
        text = str(cell("text")).strip()
        label = " ".join(str(x) for x in values).lower()
        if not account and any(w in label for w in TOTAL_WORDS):
            result.declared_total = amount
            result.declared_row = n
            continue
        try:
            day = parse_date(cell("date"))
        except ValueError:
            bad(n, f"datumet '{cell('date')}' går inte att läsa (skriv ÅÅÅÅ-MM-DD)")
            continue
        if not account:
            bad(n, "konto saknas")
            continue
        result.rows.append(
            ActualRow(n, day, account, str(cell("cost_centre")).strip(), text, amount)
        )
    return result


def _matches(rule: MappingRule, row: ActualRow) -> bool:
    if rule.account is not None:
        spec = rule.account.strip()
        if "-" in spec:
            low, high = (p.strip() for p in spec.split("-", 1))
            if not (
                low.isdigit()
                and high.isdigit()
                and row.account.isdigit()
                and int(low) <= int(row.account) <= int(high)
            ):
                return False
        elif spec.endswith("*"):
            if not row.account.startswith(spec[:-1]):
                return False
        elif row.account != spec:
            return False
    if rule.cost_centre is not None and row.cost_centre.lower() != rule.cost_centre.lower():
        return False
    return rule.text is None or rule.text.lower() in row.text.lower()


def apply_mapping(imp: Import, rules: list[MappingRule]) -> Import:
    """Each row gets the line of the first rule that matches it, or stays unmapped."""
    from dataclasses import replace

    imp.rows = [
        replace(r, line=next((rule.line for rule in rules if _matches(rule, r)), None))
        for r in imp.rows
    ]
    return imp


def load_actuals(path: Path, config: Actuals) -> Import:
    return apply_mapping(read_export(path, config), config.mapping)
