"""Every paragraph a rule cites is one docs/law.md describes, and the citations are right."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MINIMAL, ROOT, load

from finsamplan.base.findings import Finding
from finsamplan.judge.rules import validate

LAW = (ROOT / "docs" / "law.md").read_text("utf-8")
RULES_DOC = (ROOT / "docs" / "rules.md").read_text("utf-8")
RULES_SRC = (ROOT / "src" / "finsamplan" / "judge" / "rules.py").read_text("utf-8")
# "5 §", "5 a §", "21 § andra stycket", "11 kap. 5 § första stycket"
CITATION = re.compile(r"(?:\d+ kap\. )?\d+ (?:a )?§(?: (?:första|andra) stycket)?")


def citations(text: str) -> set[str]:
    return set(CITATION.findall(text))


def messages(text: str) -> list[Finding]:
    loaded = load(text)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    every = validate(loaded)
    assert not [f for f in every if f.code == "FIN000"], [f.message for f in every]
    return every


def test_every_citation_in_the_rules_is_described_in_law_md() -> None:
    cited = citations(RULES_SRC)
    assert {"3 §", "5 a §", "21 § andra stycket", "22 §", "11 kap. 5 § första stycket"} <= cited
    headings = set(re.findall(r"^### (.+)$", LAW, re.MULTILINE))
    for c in cited:
        assert c in LAW, c
        assert any(c in h for h in headings) or (c.startswith("11 kap.") and f"### {c}" in LAW), c


def test_every_basis_in_rules_md_is_described_in_law_md() -> None:
    rows = [line for line in RULES_DOC.splitlines() if line.startswith("| `FIN")]
    assert len(rows) >= 14
    for row in rows:
        basis = row.rstrip(" |").rsplit("|", 1)[-1]
        for c in citations(basis):
            assert c in LAW, (row, c)


def test_membership_cites_3_not_2() -> None:
    text = MINIMAL.replace("    - {id: region, name: Region Exempel, side: region}\n", "")
    text = text.replace(
        "  - label: Region Exempel\n    member: region\n"
        "    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}\n",
        "",
    )
    found = [f for f in messages(text) if f.code == "FIN012"]
    assert found and all("3 §" in f.message and "2 §" not in f.message for f in found)


def test_costs_beyond_means_cite_21_and_22_not_the_kommunallag() -> None:
    text = MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1700000")
    fin020 = next(f for f in messages(text) if f.code == "FIN020")
    assert "lag (2003:1210) 21 § andra stycket" in fin020.message and "(22 §)" in fin020.message
    assert "kommunallagen" not in fin020.message and "KL" not in fin020.message


def test_equity_drawn_says_ska_as_the_law_does() -> None:
    text = MINIMAL.replace("{2026: 1300000, 2027: 1300000", "{2026: 1300000, 2027: 1400000")
    fin021 = next(f for f in messages(text) if f.code == "FIN021")
    assert "kommunallagen 11 kap. 5 § första stycket ska budgeten upprättas" in fin021.message
    assert "vill" not in fin021.message
    assert (
        "lag (2003:1210) 21 §" in fin021.message and "utan kommunernas undantag" in fin021.message
    )


def test_equity_ceiling_says_medlemsbidragen_and_that_the_tiers_are_unverified() -> None:
    text = MINIMAL + 'policy:\n  equity_ceiling:\n    - {share: "10 %"}\n'
    fin030 = next(f for f in messages(text) if f.code == "FIN030")
    assert "medlemsbidragen" in fin030.message and "medlemsavgift" not in fin030.message
    assert "inte bekräftade" in fin030.message
    assert "Nationella rådets rekommendation 2013-10-02" in fin030.message


def test_law_md_labels_its_texts_as_summaries() -> None:
    assert "**Texterna nedan är sammanfattningar, inte lagtext.**" in LAW
    assert Path(ROOT / "docs" / "law.md").is_file()
