"""The plan's own words as evidence: its texts as passages with the place a reader finds them.

A criterion may be met by what the plan says anywhere, not only in an insats' decision
data. This module turns the sections and insats cards into plain-text passages, each
with the place the document shows it under ("avsnitt 3.1 Strukturell samverkan", numbered
as the document numbers it), so that a verdict can quote the plan's words and say where
they stand. It answers two questions: does a text occur verbatim in the plan (so it may
be shown as a quote), and which sentences contain a profile's keywords.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from finsamplan.base.findings import Path
from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import Budget
from finsamplan.plan import placeholders
from finsamplan.plan.model import Activity, Plan, Section
from finsamplan.plan.walk import document_sections

CARD_FIELDS = (
    ("background", "Bakgrund"),
    ("target_group", "Målgrupp"),
    ("description", "Beskrivning"),
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"”'(«]?[A-ZÅÄÖ0-9])")
MAX_QUOTE = 320


@dataclass(frozen=True)
class Passage:
    """One block of the plan's text (a paragraph, a list item), as plain words."""

    place: str
    path: Path
    text: str
    activity: str | None = None


@dataclass(frozen=True)
class Hit:
    """A sentence of the plan that holds one of the keywords sought."""

    passage: Passage
    sentence: str
    keyword: str


def normalise(text: str) -> str:
    """Whitespace collapsed and typographic hyphenation kept: the form quotes are compared in."""
    return " ".join(text.split())


def plain(markdown: str) -> list[str]:
    """Markdown to its blocks of plain words (paragraphs, list items, headings, footnotes):
    markup, link targets and footnote marks removed, as a reader sees the text."""
    out = []
    for token in _parser().parse(markdown):
        if token.type != "inline" or not token.children:
            continue
        words = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                words.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                words.append(" ")
        text = normalise("".join(words))
        if text:
            out.append(text)
    return out


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    return MarkdownIt("commonmark", {"html": False}).enable("table").use(footnote_plugin)


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s]


def _numbered(
    sections: list[Section], prefix: str, numbered: bool, path: Path
) -> Iterator[tuple[Path, str | None, Section]]:
    """Sections with the number the document gives them (as render.view numbers them)."""
    n = 0
    for i, s in enumerate(sections):
        own = numbered and s.numbered
        if own:
            n += 1
            number: str | None = f"{prefix}{n}" if prefix else f"{n}."
            child = f"{prefix}{n}." if prefix else f"{n}."
        else:
            number, child = None, prefix
        yield (*path, i), number, s
        yield from _numbered(s.sections, child if own else prefix, own, (*path, i, "sections"))


def section_places(plan: Plan) -> list[tuple[Path, str, Section]]:
    """Each section's place as a reader finds it: ``avsnitt 3.1 Strukturell samverkan``."""
    out = []
    for path, number, s in _numbered(document_sections(plan), "", True, ("sections",)):
        out.append((path, _place(number, s.title), s))
    return out


def _place(number: str | None, title: str) -> str:
    if number is None:
        return f"avsnittet {title}"
    return f"avsnitt {number.rstrip('.')} {title}"


def card_places(plan: Plan) -> dict[str, str]:
    """Each insats' place: ``avsnitt 5.1 Steget …`` (the number its card gets)."""
    prefix = ""
    for _, number, s in _numbered(document_sections(plan), "", True, ()):
        if s.generated == "activities" and number:
            prefix = number if number.endswith(".") else f"{number}."
            break
    return {
        act.id: f"avsnitt {prefix}{i} {act.title}" if prefix else f"insatsen {act.title}"
        for i, act in enumerate(plan.activities, start=1)
    }


def passages(plan: Plan, budget: Budget | None = None) -> list[Passage]:
    """Every block of the plan's text, in document order, with its place and YAML path."""
    fill = _filler(budget)
    out: list[Passage] = []
    cards = card_places(plan)
    for path, place, s in section_places(plan):
        out.extend(Passage(place, (*path, "text"), b) for b in plain(fill(s.text)))
        if s.generated == "activities":
            for i, act in enumerate(plan.activities):
                out.extend(_card(act, i, cards[act.id]))
    return out


def _card(act: Activity, i: int, place: str) -> Iterator[Passage]:
    for name, label in CARD_FIELDS:
        text = getattr(act, name)
        if text:
            for block in plain(text):
                yield Passage(f"{place}, {label.lower()}", ("activities", i, name), block, act.id)


def _filler(budget: Budget | None) -> Callable[[str], str]:
    """Placeholders (``{{ reserve 2023 }}``) filled as the document fills them."""

    def fill(text: str) -> str:
        if budget is None:
            return text
        return placeholders.fill(text, budget.amount, format_kronor)

    return fill


def find_quote(text: str, among: list[Passage]) -> Passage | None:
    """The passage in which ``text`` occurs word for word (whitespace aside), if any."""
    wanted = normalise(" ".join(plain(text)))
    if not wanted:
        return None
    for p in among:
        if wanted in p.text:
            return p
    joined: dict[str, list[str]] = {}
    for p in among:  # a quote may run over two paragraphs of one section
        joined.setdefault(p.place, []).append(p.text)
    for place, texts in joined.items():
        if wanted in " ".join(texts):
            return next(p for p in among if p.place == place)
    return None


def search(keywords: list[str], among: list[Passage], limit: int = 3) -> list[Hit]:
    """Sentences holding a keyword (at a word's start, any case). Keywords are tried in the
    profile's order and the first that the plan uses gives the evidence: at most one
    sentence per place and ``limit`` in all, so the evidence stays short enough to read."""
    for keyword in keywords:
        pattern = re.compile(r"(?<!\w)" + re.escape(keyword), re.IGNORECASE)
        hits: list[Hit] = []
        for p in among:
            if len(hits) >= limit:
                break
            if any(h.passage.place == p.place for h in hits):
                continue
            hit = next((s for s in sentences(p.text) if pattern.search(s)), None)
            if hit is not None and all(h.sentence != _clip(hit) for h in hits):
                hits.append(Hit(p, _clip(hit), keyword))
        if hits:
            return hits
    return []


def _clip(sentence: str) -> str:
    """A long sentence cut at a word, marked with … so the cut is visible."""
    if len(sentence) <= MAX_QUOTE:
        return sentence
    return sentence[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
