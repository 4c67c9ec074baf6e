"""YAML text to plain Python values, keeping where each value was written.

PyYAML's ``safe_load`` loses positions, keeps the last of two duplicate keys without a word
and reads YAML 1.1's ``no``, ``on`` and ``010`` as false, true and 8. A plan file holds
money, so this module composes the node tree itself and builds the values from it: every
value gets its line and column, duplicate keys and ambiguous scalars become findings,
and aliases are refused (a plan needs none, and refusing them defeats alias bombs).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from finsamplan.base.findings import Finding, Path, Severity

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

MAX_DEPTH = 64  # open lists and mappings, the whole file counting as one; plans use about 8
MAX_DIGITS = 40  # an amount has at most 13 digits; longer numbers are refused unread
FIRST_YEAR, LAST_YEAR = 1900, 2100  # the dates a plan can concern

_TAG = "tag:yaml.org,2002:"
_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_TRUE = {"yes", "y", "true", "on"}


@dataclass(frozen=True)
class Mark:
    line: int  # 1-based
    column: int  # 1-based


@dataclass
class SourceMap:
    """Where each path of the document was written; answers "which line is this?"."""

    file: str
    lines: list[str]
    values: dict[Path, Mark] = field(default_factory=dict)
    keys: dict[Path, Mark] = field(default_factory=dict)
    tags: dict[Path, tuple[str, str]] = field(default_factory=dict)  # plain scalars not str
    containers: set[Path] = field(default_factory=set)

    def locate(self, path: Path, *, key: bool = False) -> Mark:
        """The mark of the longest known prefix of ``path`` (the key's mark if asked)."""
        p = tuple(path)
        while True:
            if key and p in self.keys:
                return self.keys[p]
            if p in self.values:
                return self.values[p]
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
        return f"{text}\n{' ' * (caret_col - 1)}^"

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
        src.lines = data.decode("utf-8", errors="replace").splitlines()
        return None, [
            _err(
                "YAML006",
                f"filen är inte UTF-8 (byte 0x{data[exc.start]:02X} på rad {line}); "
                "spara den som UTF-8",
                src,
                Mark(line, column),
            )
        ]
    src.lines = text.splitlines()
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


def compose(text: str, src: SourceMap) -> tuple[Any, list[Finding]]:
    """Parse ``text`` and build its value, collecting every finding on the way."""
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in src.lines):
        return None, [
            _err("YAML005", "filen är tom: en planfil börjar med 'format: 1'", src, Mark(1, 1))
        ]
    composer = _Composer(src)
    try:
        root = composer.compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, src)]
    except yaml.YAMLError as exc:
        return None, [_err("YAML001", f"syntaxfel i YAML: {exc}", src, Mark(1, 1))]
    findings = composer.findings
    if root is None:
        return None, findings
    if not isinstance(root, yaml.MappingNode):
        return None, [
            _err(
                "YAML007",
                "planfilen ska vara en mappning av nycklar (format:, title:, year: …)",
                src,
                _mark(root),
            )
        ]
    value = _Builder(src, findings).build(root, ())
    return value, findings


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


class _Composer:
    """YAML events to a node tree, refusing on the way what a plan file never needs.

    PyYAML's composer (and LibYAML's, in C) recurses once per nesting level, so deep
    nesting of any kind (``[[[[``, ``- - - -``, ``? ? ?``, indentation) exhausts the stack
    or crashes the interpreter. The parser below the composer keeps its own stacks, so
    this composer takes its events one at a time and counts the open lists and mappings:
    the first one deeper than MAX_DEPTH stops the reading with its place, before anything
    has recursed. Aliases are not expanded (a plan needs none, and an alias bomb then costs
    nothing), explicit tags are refused on every node, and a second document is an error.
    """

    ALIAS_LIMIT = 10

    def __init__(self, src: SourceMap) -> None:
        self.src = src
        self.findings: list[Finding] = []
        self.aliases = 0
        self.resolver: Any = yaml.resolver.Resolver()

    def compose(self, text: str) -> yaml.Node | None:
        root: yaml.Node | None = None
        stack: list[list[Any]] = []  # [collection node, pending mapping key or None]
        documents = 0
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    self.findings = [self._second_document(event)]
                    return None
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # stream start and end, document end
            if isinstance(event, yaml.CollectionStartEvent) and len(stack) >= MAX_DEPTH:
                self.findings = [self._too_deep(event)]
                return None
            node = self._node(event)
            if not stack:
                root = node
            else:
                self._attach(stack[-1], node)
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append([node, None])
        self._alias_summary()
        return root

    @staticmethod
    def _attach(parent: list[Any], node: yaml.Node) -> None:
        collection = parent[0]
        if isinstance(collection, yaml.SequenceNode):
            collection.value.append(node)
        elif parent[1] is None:
            parent[1] = node
        else:
            collection.value.append((parent[1], node))
            parent[1] = None

    def _node(self, event: Any) -> yaml.Node:
        start: Any = event.start_mark  # LibYAML's marks are duck-typed like PyYAML's
        end: Any = event.end_mark
        if isinstance(event, yaml.AliasEvent):
            self._alias(event)
            return yaml.ScalarNode("tag:yaml.org,2002:null", "", start, end)
        if event.tag is not None:
            self._tag(event)
        if isinstance(event, yaml.ScalarEvent):
            tag = _TAG + "str"  # quoted, or tagged (refused above): the text as written
            if event.tag is None and event.implicit[0]:
                tag = self.resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
            return yaml.ScalarNode(tag, event.value, start, end, style=event.style)
        if isinstance(event, yaml.SequenceStartEvent):
            return yaml.SequenceNode("tag:yaml.org,2002:seq", [], start, end)
        return yaml.MappingNode("tag:yaml.org,2002:map", [], start, end)

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


class _Builder:
    """Nodes to plain values, with the place of each; questionable scalars become findings."""

    def __init__(self, src: SourceMap, findings: list[Finding]) -> None:
        self.src = src
        self.findings = findings

    def build(self, node: yaml.Node, path: Path) -> Any:
        self.src.values[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            self.src.containers.add(path)
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self.src.containers.add(path)
            return [self.build(child, (*path, i)) for i, child in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            kmark = _mark(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.findings.append(
                    _err("YAML008", "en nyckel måste vara text", self.src, kmark, path)
                )
                continue
            key = key_node.value
            if key == "<<" and key_node.tag == _TAG + "merge":
                self.findings.append(
                    _err(
                        "YAML003",
                        "sammanslagning (<<) stöds inte i planfiler; skriv ut nycklarna",
                        self.src,
                        kmark,
                        path,
                    )
                )
                continue
            if key in first:
                prev = first[key]
                self.findings.append(
                    _err(
                        "YAML002",
                        f"nyckeln '{_short(key)}' finns redan på rad {prev.line}; en dubblett "
                        "skulle tyst ersätta det första värdet. Ta bort eller slå ihop dem",
                        self.src,
                        kmark,
                        (*path, key),
                    )
                )
                continue
            first[key] = kmark
            self.src.keys[(*path, key)] = kmark
            out[key] = self.build(value_node, (*path, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, path: Path) -> Any:
        tag, text = node.tag.removeprefix(_TAG), node.value
        if tag in ("str", "merge", "value"):  # "<<" or "=" as a value is just text
            return text
        self.src.tags[path] = (tag, text)
        if tag == "null":
            return None
        if tag == "bool":
            return text.lower() in _TRUE
        if tag == "int":
            return self._int(node, path)
        if tag == "float":
            return _constructor.construct_yaml_float(node)
        if tag == "timestamp":
            return self._timestamp(node, path)
        raise AssertionError(f"the resolver gave an unknown tag {node.tag}")  # pragma: no cover

    def _int(self, node: yaml.ScalarNode, path: Path) -> Any:
        """Plain decimal ASCII integers only; anything else YAML 1.1 reads as a number is an
        error, because the plan would not say what the person typed."""
        text = node.value
        if len(text) > MAX_DIGITS:
            self._problem(
                "SCH005",
                f"talet har {len(text)} tecken; så stora tal förekommer inte i en plan "
                "(belopp är högst 1 000 000 000 000 kr)",
                node,
                path,
            )
            return text
        if _PLAIN_INT.match(text):
            return int(text)
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
            node,
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

    def _problem(self, code: str, message: str, node: yaml.Node, path: Path) -> None:
        self.findings.append(_err(code, message, self.src, _mark(node), path))


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
