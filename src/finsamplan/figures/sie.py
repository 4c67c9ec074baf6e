"""SIE 4, the Swedish standard export of every accounting system, read line by line.

SIE (the SIE group's open format, "SIE filformat", edition 4B) is text in PC8 (code page
437): one record per line, a label (``#VER``, ``#TRANS``, ``#IB`` …) and fields separated
by spaces, ``"quoted"`` when they hold spaces (``\\"`` is a quote), object lists in braces
(``{1 "ADM" 6 "P12"}``: dimension and object pairs). A verification is a ``#VER`` line, a
``{`` line, its ``#TRANS`` lines and a ``}`` line; its transactions must sum to zero.

The reader gives the same guarantees as the CSV reader: every line is accounted for (by
kind, see :attr:`SieFile.lines`), a line that cannot be read is a finding with its file and
line and the lines after it are still read, amounts are exact öre, a verification that does
not balance is reported, ``#KSUMMA`` is checked when present, and ``#RES``/``#UB`` are
checked against the verifications. Unknown labels are skipped, as the standard asks, and
counted. No well-kept library exists for SIE on the package index, hence this module.

:func:`to_import` turns the transactions into an :class:`~finsamplan.figures.actuals.Import`
for the follow-up; :func:`closing_balances` gives the closing balances (``#UB``) of given
accounts, e.g. the equity accounts for the year-end close.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Severity
from finsamplan.base.money import format_number
from finsamplan.base.words import counted
from finsamplan.figures import amounts
from finsamplan.figures.actuals import (
    ActualRow,
    BadRow,
    Import,
    account_matches,
    fail,
    read_bytes,
)
from finsamplan.plan.model import Actuals

MAX_LINE = 10_000  # characters
MAX_LINES = 500_000
HEADER = {
    "#FLAGGA", "#PROGRAM", "#FORMAT", "#GEN", "#SIETYP", "#PROSA", "#FTYP", "#FNR", "#ORGNR",
    "#BKOD", "#ADRESS", "#FNAMN", "#RAR", "#TAXAR", "#OMFATTN", "#KPTYP", "#VALUTA",
}  # fmt: skip
CHART = {"#KONTO", "#KTYP", "#ENHET", "#SRU", "#DIM", "#UNDERDIM", "#OBJEKT"}
BALANCES = {"#IB", "#UB", "#OIB", "#OUB", "#RES", "#PSALDO", "#PBUDGET"}
LINE_KINDS = (
    "header",
    "chart",
    "balances",
    "ver",
    "trans",
    "rtrans",
    "btrans",
    "brace",
    "ksumma",
    "blank",
    "unknown",
    "bad",
)
_AMOUNT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{8}$")
_LABEL = re.compile(r"^#[A-Z0-9]+$")

Field_ = str | tuple[str, ...]  # a field, or an object list's items


class SieSyntaxError(FinsamplanError, ValueError):
    """A line that cannot be split into fields."""


def tokenize(line: str) -> list[Field_]:
    """A line's label and fields; quotes and braces are taken off, ``\\"`` is a quote."""
    out: list[Field_] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            text, i = _quoted(line, i)
            out.append(text)
        elif c == "{":
            items: list[str] = []
            i += 1
            while True:
                while i < n and line[i] in " \t":
                    i += 1
                if i >= n:
                    raise SieSyntaxError("objektlistan saknar }")
                if line[i] == "}":
                    i += 1
                    break
                if line[i] == '"':
                    text, i = _quoted(line, i)
                else:
                    j = i
                    while i < n and line[i] not in ' \t}"{':
                        i += 1
                    if i == j:
                        raise SieSyntaxError("oväntat tecken i objektlistan")
                    text = line[j:i]
                items.append(text)
            out.append(tuple(items))
        else:
            j = i
            while i < n and line[i] not in " \t":
                i += 1
            out.append(line[j:i])
    return out


def _quoted(line: str, i: int) -> tuple[str, int]:
    parts: list[str] = []
    j = i + 1
    while True:
        k = line.find('"', j)
        if k < 0:
            raise SieSyntaxError("citattecknet stängs aldrig")
        if k > j and line[k - 1] == "\\":
            parts.append(line[j : k - 1] + '"')
            j = k + 1
            continue
        parts.append(line[j:k])
        return "".join(parts), k + 1


def checksum_bytes(fields: list[Field_], encoding: str) -> bytes:
    """What ``#KSUMMA`` sums for one line: the label and the field contents, without the
    separators, quotes and braces (SIE 4B, the chapter on checksums)."""
    flat = "".join(f if isinstance(f, str) else "".join(f) for f in fields)
    return flat.encode(encoding, errors="replace")


@dataclass(frozen=True)
class Trans:
    line: int
    account: str
    objects: tuple[tuple[str, str], ...]
    amount: Decimal
    date: date | None
    text: str


@dataclass
class Voucher:
    line: int
    series: str
    number: str
    date: date | None
    text: str
    transactions: list[Trans] = field(default_factory=list)
    closed: bool = False

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.series, self.number) if p) or f"på rad {self.line}"

    @property
    def balance(self) -> Decimal:
        return sum((t.amount for t in self.transactions), Decimal(0))


@dataclass
class SieFile:
    """A SIE file, read: its records by kind, and every problem with its line."""

    file: str
    encoding: str = "cp437"
    sie_type: str = ""
    company: str = ""
    years: dict[int, tuple[date, date]] = field(default_factory=dict)
    accounts: dict[str, str] = field(default_factory=dict)  # number → name
    account_types: dict[str, str] = field(default_factory=dict)  # number → T, S, K or I
    dimensions: dict[str, str] = field(default_factory=dict)  # number → name
    objects: dict[tuple[str, str], str] = field(default_factory=dict)  # (dim, id) → name
    opening: dict[tuple[int, str], tuple[Decimal, int]] = field(default_factory=dict)
    closing: dict[tuple[int, str], tuple[Decimal, int]] = field(default_factory=dict)
    results: dict[tuple[int, str], tuple[Decimal, int]] = field(default_factory=dict)
    periods: dict[tuple[int, str, str, tuple[str, ...]], tuple[Decimal, int]] = field(
        default_factory=dict
    )  # (year, YYYYMM, account, objects) → (balance, line)
    vouchers: list[Voucher] = field(default_factory=list)
    bad_trans: list[BadRow] = field(default_factory=list)  # #TRANS lines that cannot be read
    lines: Counter[str] = field(default_factory=Counter)  # kinds: LINE_KINDS
    findings: list[Finding] = field(default_factory=list)
    checksum: str = "absent"  # absent, ok, mismatch, open

    @property
    def line_count(self) -> int:
        return sum(self.lines.values())

    def is_balance_account(self, account: str) -> bool:
        """Balance sheet (``#KTYP`` T or S; without it BAS classes 1 and 2), not result."""
        kind = self.account_types.get(account)
        if kind is not None:
            return kind in ("T", "S")
        return account[:1] in ("1", "2")


def decode(data: bytes) -> tuple[str, str, bool]:
    """Text, encoding and whether the file was not PC8 (it is UTF-8 with non-ASCII text)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8", True
    if any(b > 0x7F for b in data):
        try:
            return data.decode("utf-8"), "utf-8", True
        except UnicodeDecodeError:
            pass
    return data.decode("cp437"), "cp437", False


def read_sie(path: Path) -> SieFile:
    """Read a SIE file; a file that cannot be read at all raises ``ImportError_`` (exit 2)."""
    return parse(read_bytes(path), str(path))


def parse(data: bytes, file: str) -> SieFile:
    if data.count(b"\n") > MAX_LINES:
        raise fail("ACT005", f"SIE-filen har fler än {format_number(MAX_LINES)} rader", file)
    text, encoding, not_pc8 = decode(data)
    sie = SieFile(file=file, encoding=encoding)
    if not_pc8:
        sie.findings.append(
            Finding(
                "SIE008",
                Severity.WARNING,
                "filen är UTF-8, inte PC8 (teckentabell 437) som SIE kräver; läst som UTF-8",
                file=file,
            )
        )
    lines = re.split(r"\r\n|\r|\n", text)
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_LINES:
        raise fail("ACT005", f"SIE-filen har fler än {format_number(MAX_LINES)} rader", file)
    _Reader(sie).run(lines)
    _check_balances(sie)
    return sie


class _Reader:
    """One pass over the lines: records into :class:`SieFile`, verifications checked."""

    def __init__(self, sie: SieFile) -> None:
        self.sie = sie
        self.voucher: Voucher | None = None  # the last #VER, until its block closes
        self.open = False  # inside a verification's braces
        self.crc: int | None = None  # running checksum after an opening #KSUMMA
        self.unknown: dict[str, list[int]] = {}

    def problem(
        self,
        n: int,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
        column: int | None = None,
    ) -> None:
        self.sie.findings.append(
            Finding(
                code, severity, f"rad {n}: {message}", file=self.sie.file, line=n, column=column
            )
        )

    def run(self, lines: list[str]) -> None:
        for n, raw in enumerate(lines, start=1):
            self.sie.lines[self.line(n, raw)] += 1
        if self.open and self.voucher is not None:
            self.problem(self.voucher.line, "SIE002", "verifikationen avslutas aldrig med }")
            self.close_voucher()
        if self.crc is not None:
            self.sie.checksum = "open"
            self.problem(
                len(lines),
                "SIE005",
                "filen börjar kontrollsummeras (#KSUMMA) men slutar utan #KSUMMA med "
                "summan: filen är troligen avkortad",
            )
        for label, where in self.unknown.items():
            self.problem(
                where[0],
                "SIE007",
                f"{label} är ingen känd post och hoppas över ({counted(len(where), 'rad')})",
                Severity.INFO,
            )

    def line(self, n: int, raw: str) -> str:
        stripped = raw.strip()
        if not stripped:
            return "blank"
        if len(raw) > MAX_LINE:
            return self.bad(
                n, f"raden har {format_number(len(raw))} tecken, högst {format_number(MAX_LINE)}"
            )
        if stripped in ("{", "}"):
            return self.brace(n, stripped)
        try:
            fields = tokenize(stripped)
        except SieSyntaxError as exc:
            return self.bad(n, str(exc))
        label = str(fields[0]).upper()
        if label != "#KSUMMA" and self.crc is not None:
            self.crc = zlib.crc32(checksum_bytes(fields, self.sie.encoding), self.crc)
        if not _LABEL.match(label):
            return self.bad(
                n, f"raden börjar inte med en etikett (#VER, #TRANS …): {stripped[:40]}"
            )
        if self.open and label == "#VER" and self.voucher is not None:
            self.problem(self.voucher.line, "SIE002", "verifikationen avslutas inte med }")
            self.close_voucher()
        if self.open and label not in ("#TRANS", "#RTRANS", "#BTRANS"):
            return self.bad(n, f"{label} inne i en verifikation (bara #TRANS hör hemma där)")
        return self.record(n, label, fields[1:])

    def bad(self, n: int, message: str) -> str:
        if self.open:
            self.sie.bad_trans.append(
                BadRow(
                    n,
                    Finding(
                        "SIE001", Severity.ERROR, f"rad {n}: {message}", file=self.sie.file, line=n
                    ),
                )
            )
        else:
            self.problem(n, "SIE001", message)
        return "bad"

    def brace(self, n: int, brace: str) -> str:
        if brace == "{":
            if self.voucher is None or self.voucher.closed or self.open:
                return self.bad(n, "{ utan #VER före")
            self.open = True
        else:
            if not self.open:
                return self.bad(n, "} utan en öppen verifikation")
            self.close_voucher()
        return "brace"

    def close_voucher(self) -> None:
        v = self.voucher
        assert v is not None
        self.open, v.closed = False, True
        if v.balance != 0:
            self.problem(
                v.line,
                "SIE003",
                f"verifikation {v.name} balanserar inte: summan av "
                f"dess {len(v.transactions)} #TRANS är {amounts.show(v.balance)}, "
                "inte 0",
            )

    def record(self, n: int, label: str, fields: list[Field_]) -> str:
        handler = {
            "#VER": self.ver,
            "#TRANS": self.trans,
            "#RTRANS": self.other_trans,
            "#BTRANS": self.other_trans,
            "#KSUMMA": self.ksumma,
        }.get(label)
        try:
            if handler is not None:
                return handler(n, label, fields)
            if label in HEADER:
                self.header(label, fields)
                return "header"
            if label in CHART:
                self.chart(label, fields)
                return "chart"
            if label in BALANCES:
                self.balances(n, label, fields)
                return "balances"
        except (SieSyntaxError, IndexError) as exc:
            detail = str(exc) if isinstance(exc, SieSyntaxError) else "för få fält"
            return self.bad(n, f"{label}: {detail}")
        self.unknown.setdefault(label, []).append(n)
        return "unknown"

    def ver(self, n: int, label: str, fields: list[Field_]) -> str:
        if self.voucher is not None and not self.voucher.closed:
            self.problem(self.voucher.line, "SIE002", "verifikationen saknar { och } med #TRANS")
            self.voucher.closed = True
        day = _date(_text(fields, 2)) if len(fields) > 2 else None
        self.voucher = Voucher(n, _text(fields, 0), _text(fields, 1), day, _text(fields, 3))
        self.sie.vouchers.append(self.voucher)
        if day is None:
            self.problem(
                n, "SIE001", f"#VER: datumet '{_text(fields, 2)}' är inget datum (ÅÅÅÅMMDD)"
            )
        return "ver"

    def trans(self, n: int, label: str, fields: list[Field_]) -> str:
        if not self.open or self.voucher is None:
            return self.bad(n, "#TRANS utanför en verifikation")
        amount: Decimal | amounts.Problem
        account, objects = _text(fields, 0), fields[1] if len(fields) > 1 else None
        if not isinstance(objects, tuple):
            return self.bad(n, "#TRANS: objektlistan {…} saknas efter kontot")
        amount = _amount(_text(fields, 2))
        if isinstance(amount, amounts.Problem):
            return self.bad(n, f"#TRANS: {amount.message}")
        raw_day = _text(fields, 3)
        day = _date(raw_day) if raw_day else self.voucher.date
        problem = _trans_problem(account, objects, day, raw_day)
        if problem:
            self.voucher.transactions.append(Trans(n, account, (), amount, None, ""))
            self.sie.bad_trans.append(
                BadRow(
                    n,
                    Finding(
                        "SIE001",
                        Severity.ERROR,
                        f"rad {n}: #TRANS: {problem}",
                        file=self.sie.file,
                        line=n,
                    ),
                    amount,
                )
            )
            return "bad"
        pairs = tuple(zip(objects[::2], objects[1::2], strict=True))
        text = _text(fields, 4) or self.voucher.text
        self.voucher.transactions.append(Trans(n, account, pairs, amount, day, text))
        return "trans"

    def other_trans(self, n: int, label: str, fields: list[Field_]) -> str:
        """``#RTRANS`` (added, repeated as a #TRANS) and ``#BTRANS`` (removed): not summed."""
        if not self.open:
            return self.bad(n, f"{label} utanför en verifikation")
        return label[1:].lower()

    def ksumma(self, n: int, label: str, fields: list[Field_]) -> str:
        if not fields:
            if self.crc is not None or self.sie.checksum != "absent":
                return self.bad(n, "#KSUMMA öppnas två gånger")
            self.crc = 0
            return "ksumma"
        if self.crc is None:
            return self.bad(n, "#KSUMMA med summa men ingen #KSUMMA i början av filen")
        stated = _text(fields, 0)
        computed, self.crc = self.crc, None
        if not re.fullmatch(r"-?[0-9]{1,10}", stated) or int(stated) % 2**32 != computed:
            self.sie.checksum = "mismatch"
            self.problem(
                n,
                "SIE004",
                f"kontrollsumman #KSUMMA {stated} stämmer inte med "
                f"innehållet ({computed}): filen kan ha ändrats efter exporten",
            )
        else:
            self.sie.checksum = "ok"
        return "ksumma"

    def header(self, label: str, fields: list[Field_]) -> None:
        sie = self.sie
        if label == "#SIETYP":
            sie.sie_type = _text(fields, 0)
        elif label == "#FNAMN":
            sie.company = _text(fields, 0)
        elif label == "#RAR":
            start, end = _date(_text(fields, 1)), _date(_text(fields, 2))
            year = _int(_text(fields, 0))
            if start is None or end is None or year is None:
                raise SieSyntaxError("räkenskapsåret ska vara årsnr start slut (ÅÅÅÅMMDD)")
            sie.years[year] = (start, end)

    def chart(self, label: str, fields: list[Field_]) -> None:
        sie = self.sie
        if label == "#KONTO":
            sie.accounts[_text(fields, 0)] = _text(fields, 1)
        elif label == "#KTYP":
            kind = _text(fields, 1).upper()
            if kind not in ("T", "S", "K", "I"):
                raise SieSyntaxError(f"kontotypen '{kind}' är inte T, S, K eller I")
            sie.account_types[_text(fields, 0)] = kind
        elif label == "#DIM":
            sie.dimensions[_text(fields, 0)] = _text(fields, 1)
        elif label == "#OBJEKT":
            sie.objects[(_text(fields, 0), _text(fields, 1))] = _text(fields, 2)

    def balances(self, n: int, label: str, fields: list[Field_]) -> None:
        year = _int(_text(fields, 0))
        if year is None:
            raise SieSyntaxError(f"årsnumret '{_text(fields, 0)}' är inget heltal")
        if label in ("#IB", "#UB", "#RES"):
            amount = _amount(_text(fields, 2))
            if isinstance(amount, amounts.Problem):
                raise SieSyntaxError(amount.message)
            target = {"#IB": self.sie.opening, "#UB": self.sie.closing, "#RES": self.sie.results}
            target[label][(year, _text(fields, 1))] = (amount, n)
        elif label == "#PSALDO":
            objects = fields[3]
            amount = _amount(_text(fields, 4))
            if not isinstance(objects, tuple) or isinstance(amount, amounts.Problem):
                raise SieSyntaxError("ska vara årsnr period konto {objekt} saldo")
            key = (year, _text(fields, 1), _text(fields, 2), objects)
            self.sie.periods[key] = (amount, n)


def _text(fields: list[Field_], i: int) -> str:
    if i >= len(fields):
        return ""
    value = fields[i]
    if isinstance(value, tuple):
        raise SieSyntaxError(f"fält {i + 2} är en objektlista men ska vara text")
    return value


def _int(text: str) -> int | None:
    return int(text) if re.fullmatch(r"-?[0-9]{1,4}", text) else None


def _date(text: str) -> date | None:
    if not _DATE.match(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _amount(text: str) -> Decimal | amounts.Problem:
    if not _AMOUNT.match(text):
        return amounts.Problem("SIE001", f"beloppet '{text[:40]}' är inget SIE-belopp (-1234.50)")
    return amounts.check(Decimal(text), text)


def _trans_problem(
    account: str, objects: tuple[str, ...], day: date | None, raw_day: str
) -> str | None:
    if not account.isdigit():
        return f"kontot '{account[:20]}' är inget kontonummer"
    if len(objects) % 2 or not all(d.isdigit() for d in objects[::2]):
        return 'objektlistan ska vara par av dimension och objekt: {1 "ADM" 6 "P1"}'
    if day is None:
        return f"datumet '{raw_day}' är inget datum (ÅÅÅÅMMDD)" if raw_day else "datum saknas"
    return None


def _check_balances(sie: SieFile) -> None:
    """``#RES`` and ``#UB`` of the current year against the verifications (SIE 4 only)."""
    if not sie.vouchers or 0 not in sie.years:
        return
    start, end = sie.years[0]
    moved: dict[str, Decimal] = {}
    for v in sie.vouchers:
        for t in v.transactions:
            if t.date is not None and start <= t.date <= end:
                moved[t.account] = moved.get(t.account, Decimal(0)) + t.amount
    show = amounts.show
    for (year, account), (amount, n) in sie.results.items():
        if year == 0 and moved.get(account, Decimal(0)) != amount:
            got = show(moved.get(account, Decimal(0)))
            sie.findings.append(
                _warn(
                    sie,
                    n,
                    f"#RES för konto {account} är {show(amount)} men verifikationerna ger {got}",
                )
            )
    for (year, account), (amount, n) in sie.closing.items():
        if year != 0:
            continue
        opening = sie.opening.get((0, account), (Decimal(0), 0))[0]
        expected = opening + moved.get(account, Decimal(0))
        if expected != amount:
            sie.findings.append(
                _warn(
                    sie,
                    n,
                    f"#UB för konto {account} är {show(amount)} men "
                    f"#IB och verifikationerna ger {show(expected)}",
                )
            )


def _warn(sie: SieFile, n: int, message: str) -> Finding:
    return Finding("SIE006", Severity.WARNING, f"rad {n}: {message}", file=sie.file, line=n)


def to_import(sie: SieFile, config: Actuals) -> Import:
    """The verifications' transactions as export rows for the follow-up; the export's total
    is zero, since every verification balances."""
    if not sie.vouchers:
        raise fail(
            "SIE009",
            "SIE-filen har inga verifikationer (#VER); uppföljningen behöver "
            "SIE typ 4 med verifikationer",
            sie.file,
        )
    cc, project = str(config.dimensions.cost_centre), str(config.dimensions.project)
    imp = Import(
        file=sie.file,
        kind="sie",
        encoding=sie.encoding,
        amount_format="SIE: decimalpunkt, inga tusental",
    )
    imp.physical_rows = sie.line_count
    imp.lines = dict(sie.lines)
    for v in sie.vouchers:
        for t in v.transactions:
            if t.date is None:
                continue  # a malformed #TRANS: in imp.bad below
            objects = dict(t.objects)
            imp.rows.append(
                ActualRow(
                    t.line,
                    t.date,
                    t.account,
                    objects.get(cc, ""),
                    t.text,
                    t.amount,
                    objects.get(project, ""),
                    balance=sie.is_balance_account(t.account),
                )
            )
    imp.bad = sorted(sie.bad_trans, key=lambda b: b.row)
    imp.notes = list(sie.findings)
    imp.declared_total, imp.declared_rule = Decimal(0), "sie"
    return imp


@dataclass(frozen=True)
class ClosingBalances:
    """Closing balances (``#UB``) of some accounts, as SIE writes them: credit negative.

    For equity accounts (BAS 2010–2099) :attr:`equity` is the closing equity as a positive
    amount when it is a credit balance.
    """

    year: int
    accounts: dict[str, Decimal]  # account → #UB; accounts in the chart without #UB are 0
    lines: dict[str, int]  # account → line of its #UB

    @property
    def total(self) -> Decimal:
        return sum(self.accounts.values(), Decimal(0))

    @property
    def equity(self) -> Decimal:
        return -self.total


def closing_balances(sie: SieFile, accounts: Iterable[str], year: int = 0) -> ClosingBalances:
    """The closing balances of the accounts that match ``accounts`` (``"2091"``,
    ``"2010-2099"`` or ``"20*"``, as in ``actuals.mapping``) for ``year`` (0 = the current
    year, -1 the year before). An account of the chart without ``#UB`` has balance 0.

    Raises ``ImportError_`` (code SIE010) when the file has no ``#UB`` for the year at all:
    then it holds no closing balances, which is not the same as balances of zero.
    """
    specs = [a.strip() for a in accounts]
    if not any(y == year for y, _ in sie.closing):
        raise fail("SIE010", f"SIE-filen har inga utgående balanser (#UB) för år {year}", sie.file)
    known = {a for y, a in sie.closing if y == year} | set(sie.accounts)
    chosen = sorted(a for a in known if any(account_matches(s, a) for s in specs))
    return ClosingBalances(
        year,
        {a: sie.closing.get((year, a), (Decimal(0), 0))[0] for a in chosen},
        {a: sie.closing[(year, a)][1] for a in chosen if (year, a) in sie.closing},
    )
