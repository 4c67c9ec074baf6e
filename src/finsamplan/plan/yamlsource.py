"""YAML text to plain Python values, keeping where each value was written.

PyYAML's ``safe_load`` loses positions, keeps the last of two duplicate keys without a word
and reads YAML 1.1's ``no``, ``on`` and ``010`` as false, true and 8. A plan file holds
money, so this module builds the values itself from the parser's events: every value gets
its line and column, duplicate keys and ambiguous scalars become findings, and aliases are
refused (a plan needs none, and refusing them defeats alias bombs).
"""

from __future__ import annotations

import calendar
import gc
import re
from dataclasses import InitVar, dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from finsamplan.base.findings import Finding, Path, Severity

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

MAX_DEPTH = 64  # open lists and mappings, the whole file counting as one; plans use about 8
MAX_DIGITS = 40  # an amount has at most 13 digits; longer numbers are refused unread
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the dates a plan can concern

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_NUMBER = re.compile(r"[-+]?[0-9]+")
_TRUE = {"yes", "y", "true", "on"}
_IMPLICIT: dict[str, list[tuple[str, re.Pattern[str]]]] = (
    yaml.resolver.Resolver.yaml_implicit_resolvers
)
_AS_TEXT = {"str", "merge", "value"}  # "<<" or "=" as a value is just text
_NONSPACE = re.compile(r"\S")
_LINE_BREAK = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")  # str.splitlines's


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


def _packed(mark: Any) -> int:
    """A parser mark (0-based) as one int: one small object per value, and none for the GC."""
    return (mark.line << 32) | mark.column if mark is not None else 0


def _unpacked(packed: int) -> Mark:
    return Mark((packed >> 32) + 1, (packed & 0xFFFFFFFF) + 1)


@dataclass
class SourceMap:
    """Where each path of the document was written; answers "which line is this?".

    Marks are kept packed (see ``_packed``) and the text is split into lines only when an
    excerpt is asked for: most values of a valid plan are never pointed at.
    """

    file: str
    given_lines: InitVar[list[str] | None] = None  # SourceMap(file, []), as callers wrote it
    text: str = ""
    values: dict[Path, int] = field(default_factory=dict)
    keys: dict[Path, int] = field(default_factory=dict)
    tags: dict[Path, tuple[str, str]] = field(default_factory=dict)  # see ``written``
    containers: set[Path] = field(default_factory=set)
    _lines: list[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self, given_lines: list[str] | None) -> None:
        if given_lines:
            self._lines = list(given_lines)

    @property
    def lines(self) -> list[str]:
        """The text's lines, split when first asked for (for an excerpt)."""
        if self._lines is None:
            self._lines = self.text.splitlines()
        return self._lines

    def written(self, path: Path, value: Any) -> tuple[str, str] | None:
        """What YAML read the plain scalar at ``path`` as, and its text as written, when it was
        not text: from ``tags``, or, for a whole number (``value``), from the file itself
        (a plan has thousands of amounts; keeping each one's text would double its size)."""
        if path in self.tags:
            return self.tags[path]
        if type(value) is not int or path not in self.values:
            return None
        mark = _unpacked(self.values[path])
        line = self.lines[mark.line - 1] if mark.line <= len(self.lines) else ""
        number = _NUMBER.match(line, mark.column - 1)
        if number is None or int(number.group()) != value:
            return None  # (a line break YAML and Python count differently: say less)
        return ("int", number.group())

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the longest known prefix of ``path`` (the key's mark if asked)."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return _unpacked(self.keys[p])
            if p in self.values:
                return _unpacked(self.values[p])
            if not p:
                return Mark(1, 1)
            p = p[:-1]
            key = False

    def excerpt(self, mark: Mark) -> str | None:
        if not 1 <= mark.line <= len(self.lines):
            return None
        text = self.lines[mark.line - 1].rstrip("\r\n")
        if len(text) > 160:
            start = max(0, mark.column - 80)
            text = text[start : start + 160]
            caret_col = mark.column - start
        else:
            caret_col = mark.column
        return f"{_visible(text)}\n{' ' * (caret_col - 1)}^"

    def place(self, finding: Finding, *, key: bool = False) -> Finding:
        """Give a finding its file, line and column (a list or mapping: its key's)."""
        key = key or tuple(finding.path) in self.containers
        mark = self.locate(finding.path, key=key)
        return finding.at(self.file, mark.line, mark.column, self.excerpt(mark))


def _err(code: str, message: str, src: SourceMap, mark: Mark, path: Path = ()) -> Finding:
    return Finding(
        code,
        Severity.ERROR,
        message,
        path=path,
        file=src.file,
        line=mark.line,
        column=mark.column,
        excerpt=src.excerpt(mark),
    )


def _mark(node: yaml.Node | yaml.Event) -> Mark:
    start = node.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def decode(data: bytes, src: SourceMap) -> tuple[str | None, list[Finding]]:
    """Bytes to text: UTF-8 (a BOM is allowed and dropped); anything else is an error."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        src.text, src._lines = data.decode("utf-8", errors="replace"), None
        return None, [
            _err(
                "YAML006",
                f"filen är inte UTF-8 (byte 0x{data[exc.start]:02X} på rad {line}); "
                "spara den som UTF-8",
                src,
                Mark(line, column),
            )
        ]
    src.text, src._lines = text, None
    if "\x00" in text:
        at = text.index("\x00")
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        return None, [
            _err(
                "YAML006",
                "filen innehåller NUL-tecken: är det en binärfil?",
                src,
                Mark(line, column),
            )
        ]
    return text, []


def _has_content(text: str) -> bool:
    """Whether some line holds more than white space and a comment (without splitting)."""
    pos = 0
    while (m := _NONSPACE.search(text, pos)) is not None:
        if text[m.start()] != "#":
            return True
        brk = _LINE_BREAK.search(text, m.start())
        if brk is None:
            return False
        pos = brk.end()
    return False


def compose(text: str, src: SourceMap) -> tuple[Any, list[Finding]]:
    """Parse ``text`` and build its value, collecting every finding on the way."""
    if not _has_content(text):
        return None, [
            _err("YAML005", "filen är tom: en planfil börjar med 'format: 1'", src, Mark(1, 1))
        ]
    composer = _Composer(src)
    collecting = gc.isenabled()
    gc.disable()  # the values form a tree, no cycles: the collector would only walk it again
    try:
        done = composer.compose(text)
    except yaml.MarkedYAMLError as exc:
        return _nothing(src, _syntax_error(exc, src))
    except yaml.YAMLError as exc:
        return _nothing(src, _err("YAML001", f"syntaxfel i YAML: {exc}", src, Mark(1, 1)))
    finally:
        if collecting:
            gc.enable()
    if done is not None:  # too deep, or a second document: that one finding alone
        return _nothing(src, done)
    if composer.root_mark is None:
        return None, composer.findings
    if not isinstance(composer.root, dict):
        return _nothing(
            src,
            _err(
                "YAML007",
                "planfilen ska vara en mappning av nycklar (format:, title:, year: …)",
                src,
                _unpacked(composer.root_mark),
            ),
        )
    return composer.root, composer.findings + composer.problems


def _nothing(src: SourceMap, finding: Finding) -> tuple[None, list[Finding]]:
    """No document: the one finding, and no places kept from the part that was read."""
    src.values.clear()
    src.keys.clear()
    src.tags.clear()
    src.containers.clear()
    return None, [finding]


def _syntax_error(exc: yaml.MarkedYAMLError, src: SourceMap) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
    problem = _syntax_message(exc)
    cm = exc.context_mark
    if cm is not None and mark is not None and cm.line != mark.line:
        problem += f" (det som inleddes på rad {cm.line + 1}, kolumn {cm.column + 1})"
    if 0 < where.line <= len(src.lines) and "\t" in src.lines[where.line - 1][: where.column]:
        problem = "tabbtecken kan inte användas för indrag i YAML; använd mellanslag"
    return _err("YAML001", f"syntaxfel i YAML: {problem}", src, where)


class _Skip:
    """The value of this mapping entry is read but not kept (its key was refused)."""


_NO_KEY: Any = None
_SKIP: Any = _Skip()


@dataclass(slots=True)
class _Frame:
    """An open list or mapping: the value being built, its path, and a key awaiting its value.

    ``value`` is None for a collection read only to be skipped (a refused key or its value).
    """

    value: dict[str, Any] | list[Any] | None
    path: Path
    pending: Any = _NO_KEY  # mappings: None (a key comes next), _SKIP, or (key, path)


class _Composer:
    """Parser events straight to plain values, refusing on the way what a plan never needs.

    PyYAML's composer (and LibYAML's, in C) recurses once per nesting level, so deep
    nesting of any kind (``[[[[``, ``- - - -``, ``? ? ?``, indentation) exhausts the stack
    or crashes the interpreter. The parser below the composer keeps its own stacks, so
    this composer takes its events one at a time and counts the open lists and mappings:
    the first one deeper than MAX_DEPTH stops the reading with its place, before anything
    has recursed. Aliases are not expanded (a plan needs none, and an alias bomb then costs
    nothing), explicit tags are refused on every node, and a second document is an error.

    No node tree is built: each event becomes its value at once, with its mark packed in
    one int, which is what makes a 5 MB plan load in about a second. ``findings`` are the
    event-level problems (tags, aliases) and ``problems`` the value-level ones (keys,
    scalars), each in the order of the file; a caller lists the first before the second.
    """

    ALIAS_LIMIT = 10

    def __init__(self, src: SourceMap) -> None:
        self.src = src
        self.findings: list[Finding] = []
        self.problems: list[Finding] = []
        self.aliases = 0
        self.names: dict[str, str] = {}
        self.root: Any = None
        self.root_mark: int | None = None

    def compose(self, text: str) -> Finding | None:
        """Read every event; a finding that stops the reading is returned alone."""
        get_event = _Loader(text).get_event
        stack: list[_Frame] = []
        documents = 0
        while True:
            event = get_event()
            kind = event.__class__
            if kind is ScalarEvent or kind is AliasEvent:
                self._scalar(event, stack)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    return self._too_deep(event)
                self._open(event, stack)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    return self._second_document(event)
            elif kind is StreamEndEvent:
                break
        self._alias_summary()
        return None

    def _scalar(self, event: Any, stack: list[_Frame]) -> None:
        """A scalar or an alias: a mapping's key, or a value where the next one belongs."""
        if event.__class__ is AliasEvent:
            self._alias(event)
        elif event.tag is not None:
            self._tag(event)
        mark = event.start_mark
        packed = (mark.line << 32) | mark.column
        if not stack:
            self.root, self.root_mark = None, packed
            return
        frame = stack[-1]
        container = frame.value
        if container.__class__ is dict:
            pending = frame.pending
            if pending is _NO_KEY:
                frame.pending = self._key(event, frame, packed)
                return
            frame.pending = _NO_KEY
            if pending is _SKIP:
                return
            key, path = pending
            container[key] = self._scalar_value(event, path)
        elif container is not None:
            path = (*frame.path, len(container))
            container.append(self._scalar_value(event, path))  # type: ignore[union-attr]
        else:
            return
        self.src.values[path] = packed

    def _open(self, event: Any, stack: list[_Frame]) -> None:
        if event.tag is not None:
            self._tag(event)
        value: dict[str, Any] | list[Any] = {} if event.__class__ is MappingStartEvent else []
        mark = _packed(event.start_mark)
        if not stack:
            self.root, self.root_mark = value, mark
            self.src.values[()] = mark
            self.src.containers.add(())
            stack.append(_Frame(value, ()))
            return
        frame = stack[-1]
        if frame.pending is _NO_KEY and frame.value.__class__ is dict:
            self.problems.append(
                _err("YAML008", "en nyckel måste vara text", self.src, _mark(event), frame.path)
            )
            frame.pending = _SKIP
            stack.append(_Frame(None, ()))
            return
        path = self._slot(frame) if frame.value is not None else None
        if path is None:
            stack.append(_Frame(None, ()))
            return
        self.src.values[path] = mark
        self.src.containers.add(path)
        self._attach(frame, path, value)
        stack.append(_Frame(value, path))

    @staticmethod
    def _slot(frame: _Frame) -> Path | None:
        """The path of the value that comes next in ``frame``; None if it is to be skipped."""
        if frame.value.__class__ is list:
            return (*frame.path, len(frame.value))
        pending, frame.pending = frame.pending, _NO_KEY
        return None if pending is _SKIP else pending[1]

    @staticmethod
    def _attach(frame: _Frame, path: Path, value: Any) -> None:
        if frame.value.__class__ is list:
            frame.value.append(value)
        else:
            frame.value[path[-1]] = value  # type: ignore[index]

    def _key(self, event: Any, frame: _Frame, packed: int) -> Any:
        """A mapping key as text: (key, path), or _SKIP when the key is refused."""
        key = "" if event.__class__ is AliasEvent else event.value
        key = self.names.setdefault(key, key)  # "amounts" once, not once per line
        path = (*frame.path, key)
        if key == "<<" and event.__class__ is ScalarEvent and _is_plain(event):
            self.problems.append(
                _err(
                    "YAML003",
                    "sammanslagning (<<) stöds inte i planfiler; skriv ut nycklarna",
                    self.src,
                    _unpacked(packed),
                    frame.path,
                )
            )
            return _SKIP
        if key in frame.value:  # type: ignore[operator]
            prev = _unpacked(self.src.keys[path])
            self.problems.append(
                _err(
                    "YAML002",
                    f"nyckeln '{_short(key)}' finns redan på rad {prev.line}; en dubblett "
                    "skulle tyst ersätta det första värdet. Ta bort eller slå ihop dem",
                    self.src,
                    _unpacked(packed),
                    path,
                )
            )
            return _SKIP
        self.src.keys[path] = packed
        return (key, path)

    def _scalar_value(self, event: Any, path: Path) -> Any:
        """The value of a scalar: text, or what YAML 1.1 reads its plain text as."""
        if event.__class__ is AliasEvent:
            self.src.tags[path] = ("null", "")
            return None
        text: str = event.value
        if not _is_plain(event) or (text and text[0] not in _IMPLICIT):
            return text  # quoted, tagged (refused above), or a text YAML cannot mistake
        if len(text) <= MAX_DIGITS and _PLAIN_INT.match(text):  # most numbers: amounts
            return int(text)  # (its text is in the file at its place: SourceMap.written)
        tag = _resolve(text)
        if tag in _AS_TEXT:
            return text
        self.src.tags[path] = (tag, text)
        if tag == "int":
            return self._int(event, text, path)
        if tag == "null":
            return None
        if tag == "bool":
            return text.lower() in _TRUE
        node = yaml.ScalarNode(_TAG + tag, text, event.start_mark, event.end_mark)
        if tag == "float":
            return _constructor.construct_yaml_float(node)
        if tag == "timestamp":
            return self._timestamp(node, path)
        raise AssertionError(f"the resolver gave an unknown tag {tag}")  # pragma: no cover

    def _int(self, event: Any, text: str, path: Path) -> Any:
        """Plain decimal ASCII integers only (read in ``_scalar_value``); anything else YAML 1.1
        reads as a number is an error, because the plan would not say what the person typed."""
        if len(text) > MAX_DIGITS:
            self._problem(
                "SCH005",
                f"talet har {len(text)} tecken; så stora tal förekommer inte i en plan "
                "(belopp är högst 1 000 000 000 000 kr)",
                event,
                path,
            )
            return text
        node = yaml.ScalarNode(_TAG + "int", text, event.start_mark, event.end_mark)
        value = _constructor.construct_yaml_int(node)
        hint = (
            f"Skriv talet utan understreck ({value})"
            if "_" in text
            else "Skriv talet utan inledande nolla"
        )
        self._problem(
            "YAML004",
            f"'{text}' är tvetydigt: YAML 1.1 läser det som talet {value}. {hint}, eller "
            f"'{text}' inom citattecken om det är text",
            event,
            path,
        )
        return text

    def _timestamp(self, node: yaml.ScalarNode, path: Path) -> Any:
        """A date must exist in the calendar and lie within the years a plan can concern."""
        text = node.value
        try:
            value = _constructor.construct_yaml_timestamp(node)
        except ValueError:
            self._problem("YAML010", f"'{text}' är inget datum: {_why_no_date(text)}", node, path)
            return text
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            self._problem(
                "YAML010",
                f"'{text}' ligger utanför åren {FIRST_YEAR}–{LAST_YEAR} som en plan kan gälla",
                node,
                path,
            )
            return text
        return value

    def _problem(self, code: str, message: str, node: Any, path: Path) -> None:
        self.problems.append(_err(code, message, self.src, _mark(node), path))

    def _tag(self, event: Any) -> None:
        tag = str(getattr(event, "tag", ""))
        shown = tag.replace("tag:yaml.org,2002:", "!!")
        self.findings.append(
            _err(
                "YAML008",
                f"taggen {shown} stöds inte i planfiler; skriv värdet utan tagg (inom "
                "citattecken om det är text)",
                self.src,
                _mark(event),
            )
        )

    def _alias(self, event: yaml.AliasEvent) -> None:
        self.aliases += 1
        if self.aliases <= self.ALIAS_LIMIT:
            self.findings.append(
                _err(
                    "YAML003",
                    f"alias (*{event.anchor}) stöds inte i planfiler; skriv ut värdet",
                    self.src,
                    _mark(event),
                )
            )

    def _alias_summary(self) -> None:
        if self.aliases > self.ALIAS_LIMIT:
            last = next(f for f in reversed(self.findings) if f.code == "YAML003")
            self.findings.append(
                _err(
                    "YAML003",
                    f"ytterligare {self.aliases - self.ALIAS_LIMIT} alias i filen",
                    self.src,
                    Mark(last.line or 1, last.column or 1),
                )
            )

    def _too_deep(self, event: yaml.Event) -> Finding:
        return _err(
            "YAML009",
            f"för djup nästling (mer än {MAX_DEPTH} nivåer av listor och mappningar): en "
            "planfil behöver inte så många; är filen trasig?",
            self.src,
            _mark(event),
        )

    def _second_document(self, event: yaml.Event) -> Finding:
        return _err(
            "YAML001",
            "filen innehåller flera YAML-dokument (---); en planfil är ett dokument",
            self.src,
            _mark(event),
        )


def _is_plain(event: Any) -> bool:
    """A scalar whose type YAML guesses from its text: no tag, no quotes."""
    return event.tag is None and bool(event.implicit[0])


def _resolve(text: str) -> str:
    """The type YAML 1.1 reads a plain scalar as (PyYAML's resolver, common cases first)."""
    if not text:
        return "null"
    candidates = _IMPLICIT.get(text[0])
    if candidates is None:
        return "str"
    if _PLAIN_INT.match(text):
        return "int"
    for tag, regexp in candidates:
        if regexp.match(text):
            return tag.removeprefix(_TAG)
    return "str"


def _syntax_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    translations = {
        "mapping values are not allowed": (
            "kolon på fel plats (ett värde med ': ' behöver citattecken, eller är indraget fel?)"
        ),
        "could not find expected ':'": "förväntade ':' efter en nyckel",
        "found unexpected end of stream": "filen tar slut mitt i ett värde (saknas ett "
        "avslutande citattecken eller en parentes?)",
        "found undefined alias": "okänt alias",
        "did not find expected key": "indraget stämmer inte med raderna ovanför",
        "did not find expected ',' or '}'": "en {…}-mappning är inte avslutad med '}'",
        "did not find expected ',' or ']'": "en […]-lista är inte avslutad med ']'",
        "did not find expected '-' indicator": "indraget i listan stämmer inte",
        "found character that cannot start any token": "tecknet kan inte inleda ett värde "
        "(sätt värdet inom citattecken)",
    }
    for english, swedish in translations.items():
        if problem.startswith(english):
            return swedish
    if problem.startswith("expected <block end>"):
        return "indraget stämmer inte med raderna ovanför"
    context = f"{exc.context}: " if exc.context else ""
    return f"{context}{problem}"


_MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _why_no_date(text: str) -> str:
    """Why a text shaped like a date is none: the month, or the days of that month."""
    m = re.match(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", text)
    if m is None:  # pragma: no cover - the resolver only gives text of this shape
        return "skriv datumet som ÅÅÅÅ-MM-DD"
    year, month, day = (int(g) for g in m.groups())
    if not 1 <= month <= 12:
        return f"månad {month} finns inte; skriv datumet som ÅÅÅÅ-MM-DD"
    if year == 0:
        return "år 0 finns inte"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} har {days} dagar"
    return "tiden är ogiltig"


def _short(text: str, limit: int = 80) -> str:
    """A text short enough to quote in a message."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _visible(text: str) -> str:
    """A line as the terminal can show it: control characters (a NUL of a binary file, an
    escape that would recolour the terminal) as the symbols U+2400–U+241F, one column each,
    so the caret below still points at the place."""
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 0x20 and c != "\t" else c for c in text)
