"""Budget tables placed in sections (``tables:``) and an insats' budget line as written
(``budget_text``): the document structure of the seed's sections 4 and 5."""

from __future__ import annotations

from conftest import MINIMAL, load

from finsamplan.figures.budget import compute
from finsamplan.render import document

NB = "\u00a0"
SPLIT = """sections:
  - id: budget
    title: BUDGETPLAN för år 2027
    generated: budget
    tables: [income]
    text: Inledning.
    sections:
      - {id: adm, title: Administration, numbered: false, generated: budget,
         tables: [administration]}
      - {id: verk, title: Verksamhet, numbered: false, generated: budget%s}
      - {id: kommentarer, title: Kommentarer, numbered: false, text: Slut.}
"""


def markdown(text: str) -> str:
    loaded = load(text)
    assert loaded.plan is not None and not loaded.findings, [f.as_line() for f in loaded.findings]
    budget = compute(loaded.plan)
    return document.render("x", loaded.plan, budget, [], ["md"])["plan.md"].decode()


def order(md: str, *needles: str) -> list[int]:
    return [md.index(n) for n in needles]


def test_tables_follow_their_headings_in_order() -> None:
    md = markdown(MINIMAL + SPLIT % ", tables: [utvecklingsinsatser, projekt, summary]")
    at = order(
        md,
        "## 1. BUDGETPLAN för år 2027",
        "| Intäkter och eget kapital |",
        "### Administration",
        "| Administration |",
        "### Verksamhet",
        "| Utvecklingsinsatser |",
        "| Projekt |",
        "| Sammanställning |",
        "Utrymme för ny verksamhet = intäkter och kapital",  # the note follows the summary
        "### Kommentarer",
    )
    assert at == sorted(at)
    assert md.count("| Administration |") == 1
    assert "  - Administration\n  - Verksamhet\n  - Kommentarer" in md  # in the contents


def test_a_table_no_section_names_is_never_left_out() -> None:
    md = markdown(MINIMAL + SPLIT % "")  # Verksamhet names none: it gets the rest
    at = order(md, "### Verksamhet", "| Utvecklingsinsatser |", "| Sammanställning |")
    assert at == sorted(at)
    every = markdown(
        MINIMAL
        + "sections:\n  - {id: b, title: Budget, generated: budget, tables: [summary, income]}\n"
    )
    for title in ("Intäkter och eget kapital", "Administration", "Projekt"):
        assert every.count(f"| {title} |") == 1, title  # the unnamed ones, after the named


def test_bad_table_placements_are_ref014() -> None:
    cases = {
        SPLIT % ", tables: [admin]": "'admin' är ingen tabell",
        SPLIT % ", tables: [administration]": "tabellen 'administration' visas redan",
        "sections:\n  - {id: t, title: Text, tables: [income]}\n": "bara ett avsnitt med",
    }
    for extra, message in cases.items():
        loaded = load(MINIMAL + extra)
        found = [f for f in loaded.findings if f.code == "REF016"]
        assert len(found) == 1 and message in found[0].message, (extra, loaded.findings)
        assert found[0].line is not None


def test_budget_text_is_the_budget_line_with_figures_from_the_budget() -> None:
    plan = MINIMAL.replace(
        "    lines: [steget]\n",
        "    lines: [steget]\n"
        '    budget_text: "{{ steget 2027 }} sek. samt {{ reserve 2027 }} i reserv."\n',
    )
    md = markdown(plan + "sections:\n  - {id: i, title: Insatser, generated: activities}\n")
    assert (
        f"**Budget 2027:** 1{NB}300{NB}000 sek. samt 100{NB}000 i reserv. "
        f"· **Utvärdering:** planerad 2029: 100{NB}000\n"  # the evaluation budgeted for 2029
    ) in md
    bad = plan.replace("{{ steget 2027 }}", "{{ stegett 2027 }}")
    (f,) = load(bad).findings
    assert f.code == "REF009" and "'stegett'" in f.message
    assert f.line == bad[: bad.index("budget_text:")].count("\n") + 1  # the line in the file
