"""plans/plan-2023.yaml word for word against seed 003 (FinsamGotland's printed plan 2023).

Three checks, each of which names the exact text that differs when it fails:

- every quote in the decision data (and the plan-level statements) occurs verbatim in the
  seed, whitespace normalised and nothing else;
- the document's text, in document order (headings, section texts, insats cards, footnotes),
  reproduces the seed's prose: every block is found in the seed, in order, and whatever of
  the seed is not reproduced is only structure (section numbers, the card labels that the
  template writes, the table of contents and the tables);
- the budget rows carry the seed's labels.

The only differences allowed are the corrections listed in the plan file's header comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, SEED_PLAN
from pydantic import BaseModel

from finsamplan.base.money import format_kronor
from finsamplan.figures.budget import Budget, compute
from finsamplan.plan import placeholders
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Activity, Plan, Section, Statement

# A byte-for-byte copy of /work/shared/seeds/003_375ad2484562c94f.txt, kept with the tests.
SEED = ROOT / "tests" / "data" / "seed-003.txt"
SHARED_SEED = Path("/work/shared/seeds/003_375ad2484562c94f.txt")

CORRECTION = re.compile(r'^#\s+"(?P<seed>[^"]+)"\s+→\s+"(?P<plan>[^"]+)"', re.M)

# What the seed has and the plan file does not write as text, because the document makes it:
# section numbers, and the labels the insats card template writes before its facts.
STRUCTURE = re.compile(
    r"(\d+\.)+\d*|\d+\.\d+|---|Projektperiod:|Projektägare:|Budget( 2023)?:|Utvärdering:"
    r"|Bakgrund:|Målgrupp:|Beskrivning och målsättning:"
)


# --- reading both sides ----------------------------------------------------------------------


def spaces(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def plain(text: str) -> str:
    """Markdown (the plan) or the seed's Markdown-with-HTML, as words and punctuation only."""
    t = text.replace("\u00a0", " ")
    t = re.sub(r"<sup>(\d+)</sup>", r"[^\1]", t)
    t = re.sub(r'<a href="[^"]*">(.*?)</a>', r"\1", t)
    t = re.sub(r"<[^>]+>", "", t)
    t = re.sub(r"\[([^\]^][^\]]*)\]\([^)]*\)", r"\1", t)  # [text](url), not [^1]
    t = re.sub(r"^[ \t]*#+[ \t]*", "", t, flags=re.M)
    t = re.sub(r"^[ \t]*[-•][ \t]+", "", t, flags=re.M)
    t = re.sub(r"^[ \t]*•[ \t]*", "", t, flags=re.M)
    t = re.sub(r"\[\^(\w+)\]:", r"[^\1]", t)
    t = t.replace("**", "").replace("*", "").replace("\\\n", "\n")
    return spaces(t)


def seed_text() -> str:
    return SEED.read_text("utf-8")


def header_corrections() -> list[tuple[str, str]]:
    header = SEED_PLAN.read_text("utf-8").split("\nformat:", 1)[0]
    return [(m["seed"], m["plan"]) for m in CORRECTION.finditer(header)]


def seed_prose() -> tuple[str, list[str]]:
    """The seed without its table of contents and tables (every line with a tab), as plain
    text with the listed corrections applied; and its footnotes, apart (the PDF places them
    at page ends, the plan next to their text)."""
    lines = [line for line in seed_text().splitlines() if "\t" not in line]
    notes = [plain(line) for line in lines if re.match(r"<sup>\d+</sup> ", line)]
    prose = plain("\n".join(line for line in lines if not re.match(r"<sup>\d+</sup> ", line)))
    for wrong, right in header_corrections():
        prose = prose.replace(wrong, right)
        notes = [n.replace(wrong, right) for n in notes]
    return prose, notes


@pytest.fixture(scope="module")
def plan() -> Plan:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return loaded.plan


@pytest.fixture(scope="module")
def budget(plan: Plan) -> Budget:
    return compute(plan)


# --- the plan as a stream of text blocks, in document order ---------------------------------


@dataclass
class Block:
    text: str
    where: str
    card: int | None = None  # blocks of an insats card may come in any order within it


@dataclass
class Stream:
    blocks: list[Block] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def add(self, text: str | None, where: str, card: int | None = None) -> None:
        if text and plain(text):
            self.blocks.append(Block(plain(text), where, card))

    def markdown(self, text: str, where: str, card: int | None = None) -> None:
        """A Markdown text: one block per paragraph, footnote definitions apart."""
        body: list[str] = []
        for para in re.split(r"\n[ \t]*\n", text):
            for note in re.split(r"\n(?=\[\^\w+\]:)", para):
                if re.match(r"\s*\[\^\w+\]:", note):
                    self.notes.append((plain(note), where))
                else:
                    body.append(note)
        for para in body:
            self.add(para, where, card)


def filler(plan: Plan, budget: Budget) -> Any:
    def amount(name: str, column: str) -> int:
        if hasattr(budget.totals[column], name):
            return int(getattr(budget.totals[column], name))
        return next(r.amounts[column] for t in budget.tables for r in t.rows if r.id == name)

    return lambda text: placeholders.fill(text, amount, format_kronor)


def card_blocks(stream: Stream, act: Activity, n: int, budget: Budget, fill: Any) -> None:
    where = f"activities.{act.id}"
    stream.add(act.title, f"{where}.title")
    if act.period is not None:
        period = f"{act.period.start} - {act.period.end or 'tills vidare'}"
        stream.add(f"{period} ({act.period.note})" if act.period.note else period, where, n)
    stream.add(act.owner, f"{where}.owner", n)
    budget_text = getattr(act, "budget_text", None)
    if budget_text:
        stream.add(fill(budget_text), f"{where}.budget_text", n)
    else:
        rows = {r.id: r for t in budget.tables[1:] for r in t.rows if r.id}
        evaluated = [
            r
            for r in act.lines
            if any(ln.id == r and ln.evaluates in act.lines for ln in _cost_lines(budget))
        ]
        own = [r for r in act.lines if r not in evaluated]
        if own:
            total = format_kronor(sum(rows[r].amounts["2023"] for r in own))
            stream.add(f"{total} ({act.budget_note})" if act.budget_note else total, where, n)
        elif act.budget_note:
            stream.add(act.budget_note, f"{where}.budget_note", n)
        if evaluated:
            stream.add(format_kronor(sum(rows[r].amounts["2023"] for r in evaluated)), where, n)
    for name in ("background", "target_group", "description"):
        text = getattr(act, name)
        if text:
            stream.markdown(text, f"{where}.{name}", n)


def _cost_lines(budget: Budget) -> Iterator[Any]:
    for group in budget.plan.groups:
        yield from budget.plan.group_lines(group.id)


def document_stream(plan: Plan, budget: Budget) -> Stream:
    fill = filler(plan, budget)
    stream = Stream()
    stream.add(plan.title, "title")
    if plan.motto:
        stream.markdown(plan.motto, "motto")

    def walk(sections: list[Section], path: str) -> None:
        for s in sections:
            where = f"{path}.{s.id}"
            stream.add(s.title, f"{where}.title")
            stream.markdown(fill(s.text), where)
            if s.generated == "activities":
                for n, act in enumerate(plan.activities):
                    card_blocks(stream, act, n, budget, fill)
            walk(s.sections, where)

    walk(plan.sections, "sections")
    return stream


# --- aligning the stream with the seed -------------------------------------------------------


def find(text: str, needle: str, start: int = 0, end: int | None = None) -> int:
    """The first place of ``needle`` at word boundaries (not inside a longer word or
    sentence: "Aktiviteter" does not match "Aktiviteter:")."""
    pattern = re.compile(r"(?<!\S)" + re.escape(needle) + r"(?!\S)")
    m = pattern.search(text, start, len(text) if end is None else end)
    return -1 if m is None else m.start()


def quoted(text: str, quote: str) -> bool:
    """``quote`` occurs in ``text`` as written, not starting or ending inside a word (a
    quote may be part of a sentence; it may not add a full stop the seed does not have)."""
    return re.search(r"(?<!\w)" + re.escape(quote) + r"(?!\w)", text) is not None


def nearest(text: str, needle: str) -> str:
    """The seed's closest passage, for a readable failure."""
    import difflib

    words = text.split(" ")
    size = max(1, len(needle.split(" ")))
    best, best_ratio = "", 0.0
    head = needle.split(" ")[0]
    for i, w in enumerate(words):
        if w != head and i % 3:
            continue
        candidate = " ".join(words[i : i + size])
        ratio = difflib.SequenceMatcher(None, candidate, needle).ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best


def align(prose: str, blocks: list[Block]) -> tuple[list[str], list[str]]:
    """(blocks not found in order, seed passages not reproduced and not structure)."""
    missing: list[str] = []
    covered: list[tuple[int, int]] = []
    pos = 0
    i = 0
    while i < len(blocks):
        b = blocks[i]
        if b.card is None:
            at = find(prose, b.text, pos)
            if at < 0:
                missing.append(f"{b.where}: {b.text!r}\n    seed: {nearest(prose, b.text)!r}")
                i += 1
                continue
            covered.append((at, at + len(b.text)))
            pos = at + len(b.text)
            i += 1
            continue
        group = [b]
        while i + len(group) < len(blocks) and blocks[i + len(group)].card == b.card:
            group.append(blocks[i + len(group)])
        following = next((x for x in blocks[i + len(group) :] if x.card is None), None)
        end = find(prose, following.text, pos) if following else len(prose)
        end = len(prose) if end < 0 else end
        last = pos
        for g in group:
            at = find(prose, g.text, pos, end)
            if at < 0:
                missing.append(f"{g.where}: {g.text!r}\n    seed: {nearest(prose, g.text)!r}")
                continue
            covered.append((at, at + len(g.text)))
            last = max(last, at + len(g.text))
        pos = last
        i += len(group)
    gaps: list[str] = []
    cursor = 0
    for start, stop in [*sorted(covered), (len(prose), len(prose))]:
        if start > cursor:
            gap = prose[cursor:start].strip()
            rest = STRUCTURE.sub("", gap).strip()
            if rest:
                gaps.append(gap)
        cursor = max(cursor, stop)
    return missing, gaps


# --- the tests -------------------------------------------------------------------------------


def test_the_seed_copy_is_the_seed() -> None:
    assert SEED.read_bytes().startswith(b"\n\n# Verksamhets- och budgetplan 2023")
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_the_header_lists_each_correction_once_and_each_is_in_the_seed() -> None:
    corrections = header_corrections()
    assert corrections, "the plan file's header lists its corrections"
    prose = plain("\n".join(line for line in seed_text().splitlines() if "\t" not in line))
    seen: set[str] = set()
    for wrong, right in corrections:
        assert wrong not in seen, wrong
        seen.add(wrong)
        assert wrong != right
        assert prose.count(wrong) >= 1, f"{wrong!r} is not in the seed"


def test_the_document_text_is_the_seeds_word_for_word(plan: Plan, budget: Budget) -> None:
    prose, _ = seed_prose()
    stream = document_stream(plan, budget)
    missing, gaps = align(prose, stream.blocks)
    assert missing == [], "plan text not in the seed (in this order):\n" + "\n".join(missing)
    assert gaps == [], "seed text the plan leaves out:\n" + "\n".join(map(repr, gaps))


def test_the_footnotes_are_the_seeds(plan: Plan, budget: Budget) -> None:
    _, seed_notes = seed_prose()
    stream = document_stream(plan, budget)
    assert sorted(n for n, _ in stream.notes) == sorted(seed_notes)


def test_the_headings_are_the_seeds(plan: Plan) -> None:
    """Every heading of the plan is a heading line of the seed, word for word (numbering and
    the seed's Markdown heading level aside), and the seed's headings are all there."""
    seed_headings = []
    for line in seed_text().splitlines():
        m = re.match(r"#+\s+(.*)$", line)
        if m and "\t" not in line:
            text = plain(m.group(1))
            text = re.sub(r"^(\d+\.)+\d*\s+|^\d+\.\d+\s+", "", text)
            seed_headings.append(text)
    for wrong, right in header_corrections():
        seed_headings = [h.replace(wrong, right) for h in seed_headings]
    ours: list[str] = [plan.title]

    def walk(sections: list[Section]) -> None:
        for s in sections:
            ours.append(plain(s.title))
            for m in re.finditer(r"^[ \t]*#+[ \t]+(.*)$", s.text, re.M):
                ours.append(plain(m.group(1)))
            if s.generated == "activities":
                ours.extend(plain(a.title) for a in plan.activities)
            walk(s.sections)

    walk(plan.sections)
    assert [h for h in ours if h not in seed_headings] == []
    assert [h for h in seed_headings if h not in ours] == []


def test_budget_row_labels_are_the_seeds(budget: Budget) -> None:
    seed_labels: set[str] = set()
    for line in seed_text().splitlines():
        if "\t" not in line or "....." in line:
            continue
        first = line.split("\t")[0]
        parts = re.findall(r"<li>•\s*([^<]+)</li>", first)
        seed_labels.add(plain(re.sub(r"<ul.*", "", first)))
        seed_labels.update(plain(p) for p in parts)
    for wrong, right in header_corrections():
        seed_labels = {label.replace(wrong, right) for label in seed_labels}
    ours = [r.label for t in budget.tables for r in t.rows] + [
        p.label for t in budget.tables for r in t.rows for p in r.parts
    ]
    assert [label for label in ours if label not in seed_labels] == []


def _statements(value: Any, where: str) -> Iterator[tuple[str, str, bool]]:
    """Every text of decision data: (where, text, is it labelled a summary)."""
    if isinstance(value, Statement):
        yield where, value.text, bool(getattr(value, "summary", False))
        for name in type(value).model_fields:
            if name not in ("text", "met", "summary"):
                yield from _statements(getattr(value, name), f"{where}.{name}")
    elif isinstance(value, str):
        yield where, value, False
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _statements(item, f"{where}[{i}]")
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in ("parties", "date", "met"):
                yield from _statements(getattr(value, name), f"{where}.{name}")


def decision_texts(plan: Plan) -> list[tuple[str, str, bool]]:
    out = []
    for act in plan.activities:
        if act.decision is not None:
            out.extend(_statements(act.decision, f"activities.{act.id}.decision"))
    out.extend(_statements(plan.statements, "statements"))
    return [t for t in out if t[1]]


def test_every_quote_in_the_decision_data_is_verbatim_in_the_seed(plan: Plan) -> None:
    seed = spaces(seed_text())
    texts = decision_texts(plan)
    assert len(texts) >= 10  # the jobbsam and MI decision data, and the statements
    not_verbatim = [
        f"{where}: {text!r}"
        for where, text, summary in texts
        if not summary and not quoted(seed, spaces(text))
    ]
    assert not_verbatim == []


def test_the_quote_check_would_catch_a_paraphrase_or_a_truncation() -> None:
    seed = spaces(seed_text())
    quote = "Det uttalade målet att implementera insatsen har visat sig vara ouppnåeligt."
    assert quoted(seed, quote)
    assert quoted(seed, "målet att implementera insatsen")  # part of a sentence
    assert not quoted(seed, quote.replace("ouppnåeligt", "svårt"))
    assert not quoted(seed, "Det uttalade målet att implementera insatsen.")  # cut, "." added
    assert not quoted(seed, "et uttalade målet")  # starts inside a word
    truncated = "en mer stabil verksamhet som bygger vidare på tidigare lärande."
    assert not quoted(seed, truncated)  # the old paraphrase of decision.operations


def test_the_document_has_sections_4_and_5_as_the_seed(plan: Plan) -> None:
    """The rendered plan (golden Markdown) has section 4's headings and section 5's budget
    lines as the seed writes them, and never the "160 000" the seed does not state."""
    golden = (ROOT / "tests" / "golden" / "plan-2023.md").read_text("utf-8")
    nb = "\u00a0"
    at = [
        golden.index(s)
        for s in (
            "## 4. BUDGETPLAN för år 2023",
            "| Intäkter och eget kapital |",
            "### Administration\n",
            "| Kostnader/administration |",
            "### Verksamhet\n",
            "| Kostnader/utvecklingsinsatser |",
            "| Kostnader/projekt |",
            "### Kommentarer till budgetplan",
        )
    ]
    assert at == sorted(at)
    for line in (
        f"**Budget 2023:** 2{nb}140{nb}000 · **Utvärdering:** 150{nb}000",
        f"**Budget 2023:** 70{nb}000 sek.",
        f"**Budget 2023:** 250{nb}000 sek.",
        "**Budget 2023:** Finansiering genom ramen för övriga samverkansinsatser.",
        f"**Budget 2023:** 200{nb}000 sek.",
        f"**Budget 2023:** 80{nb}000 (under posten resor, kurser och konferenser)",
        f"**Budget 2023:** 10{nb}000 (indikatorerna/utvärderingsverktyg) samt 150{nb}000 "
        "kopplat till JobbSam 3.0 budgetplanen.",
    ):
        assert f"\n{line}\n" in golden, line
    assert golden.count(f"**Budget 2023:** 250{nb}000 sek.") == 2  # 5.3 and 5.7
    assert f"160{nb}000" not in golden


def test_the_2022_column_is_the_revised_budget_headed_as_printed(plan: Plan) -> None:
    col = plan.columns[0]
    assert (col.year, col.kind, col.title) == (2022, "reviderad_budget", "Budget 2022")
    prose, _ = seed_prose()
    assert "reviderade budgetplan för 2022 (februari 2022)" in prose
