"""The year's cycle's HTML outputs as a screen-reader user meets them: the samråd package,
the revised budget, the follow-up against it and the year-end close, each checked by
axe-core (WCAG 2.1 A and AA, and its best practices) in Debian's Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from clients import axe, chromium_page
from conftest import PLANS
from test_close import PLAN, csv_export
from test_revise import REVISED
from test_revise import export as half_year
from typer.testing import CliRunner

from finsamplan.cli import app

EXAMPLE = PLANS / "examples" / "nordana-2027.yaml"
runner = CliRunner()


def _run(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code in (0, 1), result.output


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("cycle-html")
    _run(["render", str(EXAMPLE), "--samrad", "-f", "html", "-o", str(out)])
    _run(["revise", str(EXAMPLE), "-f", "html", "-o", str(out)])
    revised = out / "plan-2027.yaml"
    revised.write_text(REVISED, "utf-8")
    export = half_year(out)
    _run(
        [
            "followup",
            str(revised),
            "-a",
            str(export),
            "--until",
            "2027-06-30",
            "-f",
            "html",
            "-o",
            str(out),
        ]
    )
    closing = out / "close"
    closing.mkdir()
    plan = closing / "plan-2027.yaml"
    plan.write_text(PLAN, "utf-8")
    _run(["close", str(plan), "-a", str(csv_export(closing)), "-f", "html", "-o", str(out)])
    return {
        "samråd": out / "samrad-2027.html",
        "revised budget": out / "reviderad-budget-2027.html",
        "followup against the revised budget": out / "uppfoljning-2027-06-30.html",
        "close": out / "bokslut-2027.html",
    }


@pytest.fixture(scope="module")
def browser() -> Any:
    with chromium_page() as page:
        yield page


@pytest.mark.parametrize(
    "name", ["samråd", "revised budget", "followup against the revised budget", "close"]
)
def test_axe_finds_no_violation(pages: dict[str, Path], browser: Any, name: str) -> None:
    result = axe(browser, pages[name])
    assert len(result["passes"]) >= 15  # the rules did run on a real page
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
    assert problems == []
