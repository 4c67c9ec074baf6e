"""Every HTML output as a screen-reader user meets it: axe-core (WCAG 2.1 A and AA, and its
best practices) in Debian's Chromium finds nothing; charts have a text alternative; the
criteria matrix has named header cells and cells with words; the compare chart's bars
carry their förbund's name."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from clients import axe, chromium_page
from conftest import PLANS
from typer.testing import CliRunner

from finsamplan.cli import app

EXPORT = Path(__file__).parent / "data" / "finsamgotland-2023-10.csv"
runner = CliRunner()


def _run(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output  # 1: the follow-up's own warnings


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each HTML output finsamplan writes, for the seed plan (and the example plan)."""
    out = tmp_path_factory.mktemp("html")
    _run(["render", "plan-2023", "-f", "html", "-o", str(out), "--criteria", "skane"])
    key_plan = PLANS / "examples" / "nordana-2027.yaml"
    _run(["render", str(key_plan), "-f", "html", "-o", str(out / "nordana")])
    _run(
        ["render", "plan-2023", "--insats", "jobbsam", "-f", "html", "-o", str(out), "-c", "skane"]
    )
    _run(["followup", "plan-2023", "-a", str(EXPORT), "-f", "html", "-o", str(out)])
    _run(["forecast", "plan-2023", "-f", "html", "-o", str(out / "prognos.html")])
    _run(
        [
            "compare",
            str(PLANS),
            str(PLANS / "examples"),
            "-f",
            "html",
            "-o",
            str(out / "jamforelse.html"),
        ]
    )
    _run(
        [
            "compare",
            str(PLANS),
            str(PLANS / "examples"),
            "-f",
            "json",
            "-o",
            str(out / "jamforelse.json"),
        ]
    )
    return {
        "plan": out / "plan.html",
        "plan with a contribution key": out / "nordana" / "plan.html",
        "memo": out / "beslutsunderlag-jobbsam.html",
        "followup": out / "uppfoljning-2023-10-30.html",
        "forecast": out / "prognos.html",
        "compare": out / "jamforelse.html",
    }


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium_page() as page:
        yield page


@pytest.mark.parametrize(
    "name", ["plan", "plan with a contribution key", "memo", "followup", "forecast", "compare"]
)
def test_axe_finds_no_violation(pages: dict[str, Path], browser: Any, name: str) -> None:
    result = axe(browser, pages[name])
    assert len(result["passes"]) >= 15  # the rules did run on a real page
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert problems == []


def test_ids_are_unique_in_every_page(pages: dict[str, Path]) -> None:
    for name, path in pages.items():
        ids = re.findall(r'\bid="([^"]+)"', path.read_text("utf-8"))
        assert len(ids) == len(set(ids)), name


def test_charts_have_title_description_and_their_figures(pages: dict[str, Path]) -> None:
    html = pages["plan"].read_text("utf-8")
    svgs = re.findall(r"<svg\b[^>]*>\s*<title id=\"([^\"]+)\">([^<]+)</title><desc", html)
    assert [title for _, title in svgs] == [
        "Kostnader per grupp och år",
        "Intäkter, kostnader och eget kapital mot taket",
    ]
    assert html.count('role="img" aria-labelledby="diagram-') == 2
    found = re.search(r'<desc id="diagram-kostnader-desc">([^<]+)</desc>', html)
    assert found is not None
    desc = found.group(1)
    assert "Budgetplan 2023: administration 1\u00a0909\u00a0780\u00a0kr" in desc
    # the figures as a table under the chart: the economy chart's ceiling row
    table = html[html.index('id="diagram-ekonomi"') :]
    table = table[table.index("<table") : table.index("</table>")]
    assert "Tak för eget kapital" in table and "862\u00a0800\u00a0kr" in table


def test_criteria_matrix_has_named_headers_and_words(pages: dict[str, Path]) -> None:
    html = pages["plan"].read_text("utf-8")
    matrix = html[html.index('id="kriteriematris"') :]
    matrix = matrix[: matrix.index("</table>")]
    heads = re.findall(r'<th scope="col">(.*?)</th>', matrix)
    assert len(heads) == 10 and "Skalbarhet till hela Skåne" in heads[1]
    assert 'scope="row">JobbSam 3.0' in matrix
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", matrix)]
    assert cells and all(re.search(r"[a-zåäö]{4,}", c) for c in cells)  # a word, not only ✓/✗


def test_compare_chart_bars_carry_their_forbund_name(pages: dict[str, Path], browser: Any) -> None:
    """In Chromium, every bar's title names a förbund, and the label level with the bar is
    that förbund's name."""
    browser.set_viewport_size({"width": 1200, "height": 1600})
    browser.goto(pages["compare"].resolve().as_uri())
    found = browser.evaluate(
        """() => {
          const svg = document.querySelector('#diagram-jamforelse svg');
          const labels = [...svg.querySelectorAll('text')].map(t => ({
            text: t.textContent.trim(), box: t.getBoundingClientRect()}));
          return [...svg.querySelectorAll('g[id^="diagram-jamforelse-adm-"],'
                                         + 'g[id^="diagram-jamforelse-ek-"]')].map(g => {
            const bar = g.querySelector('path').getBoundingClientRect();
            const mid = bar.top + bar.height / 2;
            const left = labels.filter(l => l.box.right <= bar.left + 1 && l.text)
              .sort((a, b) => Math.abs(a.box.top + a.box.height / 2 - mid)
                            - Math.abs(b.box.top + b.box.height / 2 - mid))[0];
            return {title: g.querySelector('title').textContent, label: left.text,
                    off: Math.abs(left.box.top + left.box.height / 2 - mid),
                    height: bar.height};
          });
        }"""
    )
    data = json.loads(pages["compare"].with_name("jamforelse.json").read_text("utf-8"))
    assert len(data["rows"]) >= 2 and len(found) == 2 * len(data["rows"])  # two panels
    for bar in found:
        assert bar["title"].startswith(bar["label"] + ":"), bar
        assert bar["off"] < bar["height"] / 2, bar
    assert "FinsamGotland" in {b["label"] for b in found}


def test_over_the_ceiling_is_never_negative(pages: dict[str, Path]) -> None:
    data = json.loads(pages["compare"].with_name("jamforelse.json").read_text("utf-8"))
    rows = {r["plan"]: r for r in data["rows"]}
    gotland = rows["plan-2023"]
    # 2023 ends with 967 729 and leaves 650 000 (its room, 317 729, is stated spent): that is
    # what FIN030 judges, under the ceiling 862 800
    assert (gotland["equity"], gotland["equity_after_room"]) == (967_729, 650_000)
    assert (gotland["ceiling"], gotland["equity_over"]) == (862_800, 0)
    over = [r for r in data["rows"] if r["equity_after_room"] > r["ceiling"]]
    assert all(r["equity_over"] == r["equity_after_room"] - r["ceiling"] for r in over)
    under = [r for r in data["rows"] if r["equity_after_room"] <= r["ceiling"]]
    assert under and all(r["equity_over"] == 0 for r in under)
    assert all(r["equity_over"] >= 0 for r in data["rows"])
