"""Insatser against a region's criteria: the Skåne profile, verdicts with the plan's words."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PLANS, SEED_PLAN, where
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.judge.criteria import Profile, check, load_profile
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan

runner = CliRunner()
EXAMPLE = PLANS / "examples" / "exempel-2027.yaml"


def verdicts(plan: Plan, insats: str, profile: Profile | None = None) -> dict[str, Any]:
    result = check(plan, profile or load_profile("skane"), today=date(2027, 1, 1))
    r = next(r for r in result.insatser if r.activity.id == insats)
    return {v.criterion.id: v for v in r.verdicts}


def test_skane_profile_covers_every_point_of_seed_000() -> None:
    profile = load_profile("skane")
    ids = [c.id for c in profile.criteria]
    assert ids == [
        "skalbarhet",
        "mellan-parter",
        "ej-karnuppdrag",
        "verksamhetsanknuten",
        "tidsplan",
        "budget",
        "implementering",
        "uppfoljning",
        "avstamning",
        "effektiv-forvaltning",
        "samarbete-forbund",
        "regionens-natverk",
    ]
    by_id = {c.id: c for c in profile.criteria}
    assert by_id["effektiv-forvaltning"].level == "plan"
    assert by_id["implementering"].severity == "error"
    assert all(c.question for c in profile.criteria)


def test_seed_plan_jobbsam_verdicts_quote_the_seed() -> None:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    result = check(loaded.plan, load_profile("skane"), loaded.id, loaded.source)
    jobbsam = {v.criterion.id: v for v in result.insatser[0].verdicts}
    impl = jobbsam["implementering"]
    assert impl.status == "missing"
    assert (
        "Det uttalade målet att implementera insatsen har visat sig vara ouppnåeligt"
        in impl.reasons[0]
    )
    text = SEED_PLAN.read_text("utf-8")
    assert (impl.line, impl.column) == where(text, "implementation:\n        text: Det uttalade")
    core = jobbsam["ej-karnuppdrag"]
    assert core.status == "met"
    assert core.evidence[0].startswith("Enligt samtliga Finsams parter är det en målgrupp")
    assert jobbsam["mellan-parter"].status == "missing"  # the seed names no parties for it
    assert jobbsam["tidsplan"].status == "met"
    assert "hösten 2023" in jobbsam["tidsplan"].evidence[0]
    assert jobbsam["avstamning"].reasons == (
        "ingen kontrollpunkt anger villkor för att avsluta i förtid",
    )
    webb = {v.criterion.id: v for v in result.insatser[3].verdicts}
    assert {v.status for v in webb.values()} == {"not_applicable"}
    plan_level = {v.criterion.id: v for v in result.plan_verdicts}
    assert plan_level["effektiv-forvaltning"].status == "met"
    assert "63,5" in plan_level["effektiv-forvaltning"].evidence[0]
    assert plan_level["samarbete-forbund"].status == "met"
    assert result.failing()


def test_made_up_insats_meets_every_criterion() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    assert {v.status for v in verdicts(loaded.plan, "vagen-in").values()} == {"met"}
    result = check(loaded.plan, load_profile("skane"))
    assert not result.failing()
    assert {v.status for v in result.plan_verdicts} == {"met"}


REMOVALS = [
    ("parties", lambda d: d.update(parties=["fk"]), "mellan-parter"),
    ("friction", lambda d: d.pop("friction"), "mellan-parter"),
    ("not_core", lambda d: d.pop("not_core"), "ej-karnuppdrag"),
    ("scalability", lambda d: d.pop("scalability"), "skalbarhet"),
    ("operations", lambda d: d.pop("operations"), "verksamhetsanknuten"),
    ("implementation", lambda d: d.pop("implementation"), "implementering"),
    ("successor", lambda d: d["implementation"].pop("successor"), "implementering"),
    ("timeline", lambda d: d.pop("timeline"), "tidsplan"),
    ("indicators", lambda d: d["follow_up"].pop("indicators"), "uppfoljning"),
    ("evaluation", lambda d: d["follow_up"].pop("evaluation"), "uppfoljning"),
    ("checkpoints", lambda d: d.pop("checkpoints"), "avstamning"),
    ("exit_condition", lambda d: [c.pop("exit_condition") for c in d["checkpoints"]], "avstamning"),
]


@pytest.mark.parametrize("name, remove, criterion", REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removing_one_field_fails_exactly_that_criterion(
    name: str, remove: Any, criterion: str
) -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = loaded.plan.model_dump(mode="python", exclude_none=True)
    data = copy.deepcopy(data)
    act = next(a for a in data["activities"] if a["id"] == "vagen-in")
    remove(act["decision"])
    result = verdicts(Plan.model_validate(data), "vagen-in")
    failing = [cid for cid, v in result.items() if v.status != "met"]
    assert failing == [criterion]


def test_budget_criterion_follows_the_lines() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = loaded.plan.model_dump(mode="python", exclude_none=True)
    next(a for a in data["activities"] if a["id"] == "vagen-in")["lines"] = []
    failing = [
        c for c, v in verdicts(Plan.model_validate(data), "vagen-in").items() if v.status != "met"
    ]
    assert failing == ["budget"]


def test_a_region_profile_written_from_scratch(tmp_path: Path) -> None:
    own = tmp_path / "region-exempel.yaml"
    own.write_text(
        "format: 1\n"
        "name: Region Exempel\n"
        "criteria:\n"
        "  - id: budget-alla\n"
        "    title: Alla insatser har budget\n"
        "    requires: [budget]\n"
        "    severity: error\n"
        "    applies_to: [projekt, utvecklingsinsats, verksamhet]\n"
        "  - id: admin\n"
        "    title: Administration högst 40 %\n"
        "    level: plan\n"
        "    requires: [admin_share]\n"
        '    max_share: "40 %"\n',
        "utf-8",
    )
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    result = check(loaded.plan, load_profile(str(own)))
    status = {r.activity.id: r.verdicts[0].status for r in result.insatser}
    assert status["webbplats"] == "missing"  # n/a under Skåne, now judged
    assert status["natverk"] == "met"  # its line Kurser, konferenser, resor has 80 000
    assert result.plan_verdicts[0].status == "met"  # 36,5 % ≤ 40 %
    stricter = own.read_text("utf-8").replace('"40 %"', '"30 %"')
    own.write_text(stricter, "utf-8")
    result = check(loaded.plan, load_profile(str(own)))
    assert result.plan_verdicts[0].status == "missing"
    assert "36,5" in result.plan_verdicts[0].reasons[0]


def test_bad_profile_is_reported_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text(
        "format: 1\nname: X\ncriteria:\n  - id: a\n    titel: A\n    requires: [budget]\n", "utf-8"
    )
    result = runner.invoke(app, ["check", "plan-2023", "--criteria", str(bad)])
    assert result.exit_code == 2
    assert "trasig.yaml:5:5: fel SCH001 okänd nyckel 'titel'; menade du 'title'?" in result.stderr


def test_check_cli_formats_and_exit_codes() -> None:
    result = runner.invoke(app, ["check", "plan-2023", "-f", "json"])
    assert result.exit_code == 1  # error-severity criteria are missing
    data = json.loads(result.stdout)
    assert data["profile"] == "Region Skåne"
    jobbsam = data["insatser"][0]
    impl = next(v for v in jobbsam["verdicts"] if v["criterion"] == "implementering")
    assert impl["status"] == "missing" and impl["line"] > 0
    md = runner.invoke(app, ["check", "plan-2023", "-f", "md"]).stdout
    assert "## Insatser mot kriterierna (Region Skåne)" in md and "| JobbSam 3.0" in md
    table = runner.invoke(app, ["check", "plan-2023"]).stdout
    assert "Det som saknas:" in table and "fel implementering" in table
    ok = runner.invoke(app, ["check", str(EXAMPLE), "--today", "2027-01-01"])
    assert ok.exit_code == 0, ok.stdout


def test_checkpoints_due_within(tmp_path: Path) -> None:
    args = ["check", str(EXAMPLE), "--today", "2027-01-01", "-f", "json"]
    due = json.loads(runner.invoke(app, [*args, "--within", "90d"]).stdout)["checkpoints_due"]
    assert [(d["insats"], d["date"]) for d in due] == [
        ("vagen-in", "2027-02-15"),
        ("unga-till-arbete", "2027-03-01"),
    ]
    due = json.loads(runner.invoke(app, [*args, "--within", "50d"]).stdout)["checkpoints_due"]
    assert [d["insats"] for d in due] == ["vagen-in"]
    assert due[0]["exit_condition"] == "färre än 30 inskrivna deltagare"
    assert runner.invoke(app, [*args, "--within", "snart"]).exit_code == 2


def test_decision_memo(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", "plan-2023", "--insats", "jobbsam", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "beslutsunderlag-jobbsam.md").read_text("utf-8")
    assert "| **Insatsen totalt** | **2\u00a0185\u00a0000** | **2\u00a0290\u00a0000** |" in md
    assert "| Insatsens andel av förbundets kostnader | 48,4\u00a0% | 43,8\u00a0% |" in md
    assert "Vem tar över insatsen i ordinarie verksamhet, och hur?" in md
    assert (
        "- hösten 2023: Under 2023 ska också en extern utvärdering av projektet JobbSam 3.0 "
        "genomföras, inför beslut om eventuell förlängning."
    ) in md
    html = (tmp_path / "beslutsunderlag-jobbsam.html").read_text("utf-8")
    assert 'id="memo-criteria"' in html and "status-missing" in html
    assert (tmp_path / "beslutsunderlag-jobbsam.pdf").read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(app, ["render", "plan-2023", "--insats", "saknas", "-o", str(tmp_path)])
    assert unknown.exit_code == 2 and "insatsen 'saknas' finns inte" in unknown.stderr


def test_plan_document_has_the_criteria_appendix(tmp_path: Path) -> None:
    assert (
        runner.invoke(app, ["render", "plan-2023", "-f", "html", "-o", str(tmp_path)]).exit_code
        == 0
    )
    html = (tmp_path / "plan.html").read_text("utf-8")
    assert 'id="kriteriematris"' in html and "Insatser mot kriterierna (Region Skåne)" in html
    assert (
        runner.invoke(
            app,
            ["render", "plan-2023", "-f", "html", "-o", str(tmp_path / "n"), "--criteria", "none"],
        ).exit_code
        == 0
    )
    assert "kriteriematris" not in (tmp_path / "n" / "plan.html").read_text("utf-8")


def test_unknown_party_is_a_reference_error(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "parties: [fk, af, region, aby]", "parties: [fk, af, region, abby]"
    )
    bad = tmp_path / "parter.yaml"
    bad.write_text(text, "utf-8")
    loaded = load_plan(bad)
    assert [f.code for f in loaded.findings] == ["REF003"]
    assert (loaded.findings[0].line, loaded.findings[0].column) == where(text, "abby")
