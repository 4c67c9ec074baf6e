"""YAML text to plain Python values, keeping where each value was written.

PyYAML's ``safe_load`` loses positions, keeps the last of two duplicate keys without a word
and reads YAML 1.1's ``no``, ``on`` and ``010`` as false, true and 8. A plan file holds
money, so this module composes the node tree itself and builds the values from it: every
value gets its line and column, duplicate keys and ambiguous scalars become findings,
and aliases are refused (a plan needs none, and refusing them defeats alias bombs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from finsamplan.base.findings import Finding, Path, Severity

_Loader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_constructor = yaml.constructor.SafeConstructor()

MAX_DEPTH = 64  # nesting levels; real plans use about 8

_PLAIN_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
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
    findings: list[Finding] = []
    if not any(ln.strip() and not ln.lstrip().startswith("#") for ln in src.lines):
        return None, [
            _err("YAML005", "filen är tom: en planfil börjar med 'format: 1'", src, Mark(1, 1))
        ]
    too_deep = nesting_problem(src.lines)
    if too_deep is not None:
        return None, [
            _err(
                "YAML009",
                f"för djup nästling (mer än {MAX_DEPTH} nivåer): en "
                "planfil behöver inte så många; är filen trasig?",
                src,
                too_deep,
            )
        ]
    try:
        nodes = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Mark(mark.line + 1, mark.column + 1) if mark else Mark(1, 1)
        problem = _syntax_message(exc)
        cm = exc.context_mark
        if cm is not None and mark is not None and cm.line != mark.line:
            problem += f" (det som inleddes på rad {cm.line + 1}, kolumn {cm.column + 1})"
        if 0 < where.line <= len(src.lines) and "\t" in src.lines[where.line - 1][: where.column]:
            problem = "tabbtecken kan inte användas för indrag i YAML; använd mellanslag"
        return None, [_err("YAML001", f"syntaxfel i YAML: {problem}", src, where)]
    except yaml.YAMLError as exc:
        return None, [_err("YAML001", f"syntaxfel i YAML: {exc}", src, Mark(1, 1))]
    if len(nodes) != 1:
        second = _mark(nodes[1]) if len(nodes) > 1 else Mark(1, 1)
        return None, [
            _err(
                "YAML001",
                "filen innehåller flera YAML-dokument (---); en planfil är ett dokument",
                src,
                second,
            )
        ]
    root = nodes[0]
    if not isinstance(root, yaml.MappingNode):
        return None, [
            _err(
                "YAML007",
                "planfilen ska vara en mappning av nycklar (format:, title:, year: …)",
                src,
                _mark(root),
            )
        ]
    builder = _Builder(src, findings)
    value = builder.build(root, ())
    if builder.repeated:
        findings.extend(_alias_findings(text, src))
    return value, findings


def nesting_problem(lines: list[str]) -> Mark | None:
    """Where the nesting first gets deeper than MAX_DEPTH, or None.

    Checked before any parser runs: LibYAML's composer recurses in C and crashes on very
    deep flow nesting, and the value builder would exhaust Python's stack. Flow brackets are
    counted outside quotes; block nesting is the stack of increasing indentations.
    """
    flow = 0
    indents: list[int] = []
    for n, line in enumerate(lines, start=1):
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and flow == 0:
            indent = len(line) - len(stripped)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            if len(indents) > MAX_DEPTH:
                return Mark(n, indent + 1)
        if not any(ch in line for ch in "[]{}"):
            continue
        quote = ""
        for col, ch in enumerate(line, start=1):
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and (col == 1 or line[col - 2] in " [{,:"):
                quote = ch
            elif ch == "#" and (col == 1 or line[col - 2] == " "):
                break
            elif ch in "[{":
                flow += 1
                if flow > MAX_DEPTH:
                    return Mark(n, col)
            elif ch in "]}":
                flow = max(0, flow - 1)
    return None


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


def _alias_findings(text: str, src: SourceMap, limit: int = 10) -> list[Finding]:
    out: list[Finding] = []
    count = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            count += 1
            if count > limit:
                continue
            out.append(
                _err(
                    "YAML003",
                    f"alias (*{event.anchor}) stöds inte i planfiler; skriv ut värdet",
                    src,
                    _mark(event),
                )
            )
    if count > limit:
        out.append(
            _err(
                "YAML003",
                f"ytterligare {count - limit} alias i filen",
                src,
                Mark(out[-1].line or 1, out[-1].column or 1),
            )
        )
    return out


class _Builder:
    def __init__(self, src: SourceMap, findings: list[Finding]) -> None:
        self.src = src
        self.findings = findings
        self.seen: set[int] = set()
        self.repeated = False

    def build(self, node: yaml.Node, path: Path) -> Any:
        if id(node) in self.seen:
            self.repeated = True
            return None
        self.seen.add(id(node))
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
            if key == "<<" and key_node.tag == "tag:yaml.org,2002:merge":
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
                        f"nyckeln '{key}' finns redan på rad {prev.line}; en dubblett skulle "
                        "tyst ersätta det första värdet. Ta bort eller slå ihop dem",
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
        tag, text = node.tag, node.value
        plain = not node.style  # the C loader gives '' for plain scalars, PyYAML None
        if tag == "tag:yaml.org,2002:str" or (not plain and tag.startswith("tag:yaml.org")):
            return text
        self.src.tags[path] = (tag.rsplit(":", 1)[-1], text)
        if tag == "tag:yaml.org,2002:null":
            return None
        if tag == "tag:yaml.org,2002:bool":
            return text.lower() in _TRUE
        if tag == "tag:yaml.org,2002:int":
            if _PLAIN_INT.match(text):
                return int(text.replace("_", ""))
            value = _constructor.construct_yaml_int(node)
            self.findings.append(
                _err(
                    "YAML004",
                    f"'{text}' är tvetydigt: YAML 1.1 läser det som talet {value}. Skriv talet "
                    f"utan inledande nolla, eller '{text}' inom citattecken om det är text",
                    self.src,
                    _mark(node),
                    path,
                )
            )
            return text
        if tag == "tag:yaml.org,2002:float":
            return _constructor.construct_yaml_float(node)
        if tag == "tag:yaml.org,2002:timestamp":
            return _constructor.construct_yaml_timestamp(node)
        self.findings.append(
            _err(
                "YAML008",
                f"taggen {tag.replace('tag:yaml.org,2002:', '!!')} stöds inte i planfiler",
                self.src,
                _mark(node),
                path,
            )
        )
        return text
