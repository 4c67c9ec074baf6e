"""Insatser against criteria profiles: four verdicts, each with the evidence its source allows.

The profiles are checked against their source (every quote verbatim in seed 000), the
verdicts on plan-2023 against what seed 003 says, and every output against the same view.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import PLANS, ROOT, SEED_PLAN, where
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.figures.budget import compute
from finsamplan.judge import plantext
from finsamplan.judge.criteria import (
    CheckResult,
    Profile,
    ProfileError,
    check,
    checkpoints_due,
    load_profile,
)
from finsamplan.judge.profiles import severity, severity_from_source
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.plan.model import Plan

runner = CliRunner()
EXAMPLE = PLANS / "examples" / "exempel-2027.yaml"
SEED_000 = ROOT / "tests" / "data" / "seed-000.txt"  # Region Skåne's recommendations
SEED_003 = ROOT / "tests" / "data" / "seed-003.txt"  # FinsamGotland's plan 2023
PROFILES = sorted((ROOT / "criteria").glob("*.yaml"))


def squash(text: str) -> str:
    return " ".join(text.split())


def seed_plan() -> tuple[Any, Plan]:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    return loaded, loaded.plan


def skane_2023() -> CheckResult:
    loaded, plan = seed_plan()
    return check(plan, load_profile("skane"), loaded.id, loaded.source)


def verdicts(plan: Plan, insats: str, profile: Profile | None = None) -> dict[str, Any]:
    result = check(plan, profile or load_profile("skane"))
    r = next(r for r in result.insatser if r.activity.id == insats)
    return {v.criterion.id: v for v in r.verdicts}


# --- the profiles and their sources ---------------------------------------------------------


@pytest.mark.parametrize("path", PROFILES, ids=[p.stem for p in PROFILES])
def test_every_source_quote_is_verbatim_in_seed_000(path: Path) -> None:
    """Normalising whitespace only: the quote, its line and its operative word."""
    lines = SEED_000.read_text("utf-8").splitlines()
    seed = squash("\n".join(lines))
    profile = load_profile(str(path))
    sources = [c.source for c in profile.criteria if c.source] + [n.source for n in profile.notes]
    if profile.basis == "guidance" and not sources:
        return  # grund: finsamplan's own questions, no source to quote
    assert sources, path
    for src in sources:
        assert squash(src.quote) in seed, src.quote
        assert src.line is not None
        assert squash(src.quote)[:30] in squash(lines[src.line - 1]), (src.line, src.quote)
        if src.wording:
            assert re.search(r"(?<!\w)" + src.wording, src.quote, re.IGNORECASE)
        if src.section:
            assert src.section.split(" – ")[0] in seed, src.section


def test_skane_profile_covers_seed_000_and_is_never_stricter_than_a_recommendation() -> None:
    profile = load_profile("skane")
    assert [c.id for c in profile.criteria] == [
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
        "lokal-forankring",
        "regionens-natverk",
        "overgripande-mal",
    ]
    assert [n.id for n in profile.notes] == ["rekommendationer", "ledamoter-fullmaktige"]
    levels = {c.id: severity(c, profile) for c in profile.criteria}
    assert set(levels.values()) == {"warning", "info"}  # a recommendation is never an error
    assert levels["mellan-parter"] == "warning"  # "ska" in a recommendation
    assert levels["overgripande-mal"] == "info"  # the region's goal, guidance
    text = (ROOT / "criteria" / "skane.yaml").read_text("utf-8")
    assert "minst två" not in text.lower()  # not Region Skåne's words
    assert all(c.question for c in profile.criteria)
    by_id = {c.id: c for c in profile.criteria}
    assert "policy.admin_share_max" in (by_id["effektiv-forvaltning"].interpretation or "")


def test_grund_profile_asks_the_basic_questions() -> None:
    profile = load_profile("grund")
    assert [c.title for c in profile.criteria] == [
        "Mål",
        "Målgrupp",
        "Budget",
        "Tidsplan",
        "Ägare",
        "Utvärdering",
        "Kontrollpunkter",
    ]
    assert {severity(c, profile) for c in profile.criteria} == {"info"}


def test_severity_follows_the_source() -> None:
    assert severity_from_source("law", "ska") == "error"
    assert severity_from_source("law", "bör") == "warning"
    assert severity_from_source("recommendation", "ska") == "warning"
    assert severity_from_source("recommendation", "viktigt") == "warning"
    assert severity_from_source("guidance", "ska") == "info"


def _profile(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "egen.yaml"
    path.write_text("format: 1\nname: Egen\nbasis: recommendation\ncriteria:\n" + body, "utf-8")
    return path


def test_a_profile_cannot_make_a_recommendation_an_error(tmp_path: Path) -> None:
    path = _profile(
        tmp_path,
        "  - id: a\n    title: A\n    requires: [budget]\n    severity: error\n"
        "    source: {quote: Budgeten bör redovisas., wording: bör}\n",
    )
    with pytest.raises(ProfileError) as exc:
        load_profile(str(path))
    (f,) = exc.value.findings
    assert (f.line, f.column) == (8, 15)
    assert "strängare än källan" in f.message and "högst warning" in f.message


def test_a_share_in_a_profile_must_say_it_overrides_the_plan(tmp_path: Path) -> None:
    body = "  - id: adm\n    title: Adm\n    level: plan\n    requires: [admin_share]\n"
    path = _profile(tmp_path, body + '    max_share: "40 %"\n')
    with pytest.raises(ProfileError) as exc:
        load_profile(str(path))
    assert "override_policy: true" in exc.value.findings[0].message
    path = _profile(tmp_path, body + '    max_share: "40 %"\n    override_policy: true\n')
    _loaded, plan = seed_plan()
    v = check(plan, load_profile(str(path))).plan_verdicts[0]
    assert v.status == "met"  # 36,5 % ≤ 40 %
    assert "profilens gräns: administration högst 40\u00a0%, i stället för planens policy 30" in (
        v.evidence[0].text
    )


# --- plan-2023 against Region Skåne: only what the seed supports ----------------------------


def test_seed_plan_not_met_only_where_the_plan_itself_says_so() -> None:
    result = skane_2023()
    not_met = [
        (r.activity.id, v.criterion.id)
        for r in result.insatser
        for v in r.verdicts
        if v.status == "not_met"
    ] + [("förbundet", v.criterion.id) for v in result.plan_verdicts if v.status == "not_met"]
    assert not_met == [("jobbsam", "implementering"), ("förbundet", "effektiv-forvaltning")]
    assert not result.failing()  # recommendations: warnings, exit 0


def test_jobbsam_implementation_not_met_in_the_seeds_words() -> None:
    result = skane_2023()
    impl = {v.criterion.id: v for v in result.insatser[0].verdicts}["implementering"]
    assert impl.status == "not_met"
    quote = impl.evidence[0]
    assert quote.kind == "quote"
    assert (
        quote.text == "Det uttalade målet att implementera insatsen har visat sig vara ouppnåeligt."
    )
    assert quote.where.startswith("avsnitt 5.1 JobbSam 3.0")
    text = SEED_PLAN.read_text("utf-8")
    assert (impl.line, impl.column) == where(text, "implementation:\n        text: Det uttalade")


def test_jobbsam_verdicts_the_seed_supports() -> None:
    by_id = {v.criterion.id: v for v in skane_2023().insatser[0].verdicts}
    scal = by_id["skalbarhet"]
    assert scal.status == "met" and "hela regionen" in scal.evidence[0].text
    assert "5 a §" in scal.evidence[0].text  # Region Gotland: a municipality outside a region
    friction = by_id["mellan-parter"]
    assert friction.status == "met"
    assert "rundgång mellan myndigheter" in friction.evidence[0].text
    core = by_id["ej-karnuppdrag"].evidence[0]
    assert core.kind == "quote" and core.text.startswith("Enligt samtliga Finsams parter")
    ops = by_id["verksamhetsanknuten"]
    assert ops.evidence[0].kind == "quote"
    assert ops.evidence[0].text.startswith("Projektägaren är tydligare i sin riktning och")
    assert ops.evidence[1].text == (
        "projektägare: Gymnasie- och vuxenutbildningsförvaltning, Region Gotland."
    )
    check_ = by_id["avstamning"]
    assert check_.status == "not_documented"  # no exit condition: a question, not a failure
    assert check_.question == "När stäms insatsen av, och på vilket villkor avslutas den i förtid?"


def without_statements(plan: Plan) -> dict[str, Any]:
    data = plan.model_dump(mode="python", exclude_none=True)
    data.pop("statements", None)
    return data


def test_network_and_cooperation_are_quoted_with_their_place() -> None:
    plan_level = {v.criterion.id: v for v in skane_2023().plan_verdicts}
    network = plan_level["regionens-natverk"].evidence[0]
    assert network.kind == "quote" and network.where == "avsnitt 5.10 Nätverk, beskrivning"
    coop = plan_level["samarbete-forbund"].evidence[0]
    assert coop.kind == "quote" and coop.where == "avsnitt 3.1 Strukturell samverkan"
    assert "Kust till Kust" in coop.text
    assert plan_level["regionens-natverk"].interpretation
    assert plan_level["lokal-forankring"].status == "met"
    assert plan_level["overgripande-mal"].evidence[0].keyword == "egen försörjning"


def test_without_decision_data_the_network_is_found_in_the_plans_text() -> None:
    """Sections 3.1, 3.3 and 5.10 speak of regional networks: the plan is not silent."""
    result = check(Plan.model_validate(without_statements(seed_plan()[1])), load_profile("skane"))
    network = {v.criterion.id: v for v in result.plan_verdicts}["regionens-natverk"]
    assert network.status == "met"
    places = [e.where.split(" ", 2)[1] for e in network.evidence]
    assert places == ["3.1", "5.10"]  # 3.3 says the same sentence as 3.1
    assert all(e.kind == "quote" and e.keyword == "regionala nätverk" for e in network.evidence)
    assert "Kust till Kust" in network.evidence[0].text
    assert "sökord ”regionala nätverk”" in network.evidence[0].display()


def test_without_the_texts_the_network_is_not_documented_not_failed() -> None:
    data = without_statements(seed_plan()[1])

    def scrub(sections: list[dict[str, Any]]) -> None:
        for s in sections:
            s["text"] = re.sub(r"(?i)regionala nätverk\w*", "nätverk", s.get("text", ""))
            scrub(s.get("sections", []))

    scrub(data["sections"])
    for act in data["activities"]:
        act["description"] = re.sub(
            r"(?i)regionala nätverk\w*", "nätverk", act.get("description", "")
        )
    result = check(Plan.model_validate(data), load_profile("skane"))
    network = {v.criterion.id: v for v in result.plan_verdicts}["regionens-natverk"]
    assert network.status == "not_documented" and network.evidence == ()


def test_admin_share_is_judged_by_the_same_limit_as_fin040() -> None:
    loaded, _plan = seed_plan()
    fin040 = next(f for f in validate(loaded) if f.code == "FIN040" and f.year == "2023")
    v = {v.criterion.id: v for v in skane_2023().plan_verdicts}["effektiv-forvaltning"]
    assert v.status == "not_met" and v.severity == "warning"
    assert "36,5\u00a0%" in fin040.message and "36,5\u00a0%" in v.evidence[0].text
    assert "över gränsen 30\u00a0%" in fin040.message
    assert "administration högst 30\u00a0% (policy.admin_share_max" in v.evidence[0].text
    assert "FIN040" in v.evidence[0].text
    assert v.interpretation and "Källan anger ingen siffra" in v.interpretation


def test_only_verbatim_text_is_labelled_a_quote() -> None:
    """Every piece of evidence called a quote occurs word for word in the plan's text."""
    for path in (SEED_PLAN, EXAMPLE):
        loaded = load_plan(path)
        assert loaded.plan is not None
        text = " ".join(p.text for p in plantext.passages(loaded.plan, compute(loaded.plan)))
        for name in ("skane", "grund"):
            result = check(loaded.plan, load_profile(name))
            for v in result.all_verdicts():
                for e in v.evidence:
                    if e.kind == "quote":
                        assert squash(e.text.removesuffix(" …")) in text, e
    # The example's decision data is its own words, not the plan's text: a summary.
    ev = verdicts(load_plan(EXAMPLE).plan, "vagen-in")["mellan-parter"].evidence[0]  # type: ignore[arg-type]
    assert ev.kind == "summary" and "sammanfattning (beslutsunderlaget" in ev.display()


def test_every_quote_in_plan_2023_decision_data_is_verbatim_in_seed_003() -> None:
    _, plan = seed_plan()
    seed = squash(SEED_003.read_text("utf-8"))
    texts: list[str] = []
    for act in plan.activities:
        d = act.decision
        if d is None:
            continue
        for name in ("friction", "not_core", "scalability", "operations", "implementation"):
            said = getattr(d, name)
            if said is not None:
                texts.append(said.text)
        texts += [m.text for m in d.timeline] + [c.review for c in d.checkpoints]
        texts += [m.when for m in d.timeline if m.when] + [c.when for c in d.checkpoints if c.when]
        if d.follow_up:
            texts += list(d.follow_up.indicators)
            texts += [d.follow_up.evaluation.text] if d.follow_up.evaluation else []
    for s in (plan.statements.cooperation, plan.statements.networks):
        texts += [s.text] if s else []
    assert len(texts) >= 10
    for text in texts:
        assert squash(text) in seed, text


def test_numbering_of_places_matches_the_document() -> None:
    from finsamplan.render.view import build

    for path in (SEED_PLAN, EXAMPLE):
        loaded = load_plan(path)
        assert loaded.plan is not None
        doc = build(loaded.id, loaded.plan, compute(loaded.plan), [])
        cards = plantext.card_places(loaded.plan)
        for card in doc.cards:
            assert (
                cards[card.anchor.removeprefix("insats-")] == f"avsnitt {card.number} {card.title}"
            )

        def walk(sections: Any) -> Any:
            for s in sections:
                yield s
                yield from walk(s.children)

        headings = [
            f"avsnitt {s.number.rstrip('.')} {s.title}" if s.number else f"avsnittet {s.title}"
            for s in walk(doc.sections)
        ]
        assert headings == [place for _, place, _ in plantext.section_places(loaded.plan)]


# --- the made-up example: removing data makes it a question, not a failure -----------------


def test_made_up_insats_meets_every_criterion() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    assert {v.status for v in verdicts(loaded.plan, "vagen-in").values()} == {"met"}
    result = check(loaded.plan, load_profile("skane"))
    assert not result.failing()


REMOVALS = [
    ("friction", lambda d: d.pop("friction"), "mellan-parter"),
    ("not_core", lambda d: d.pop("not_core"), "ej-karnuppdrag"),
    ("scalability", lambda d: d.pop("scalability"), "skalbarhet"),
    ("operations", lambda d: d.pop("operations"), "verksamhetsanknuten"),
    ("implementation", lambda d: d.pop("implementation"), "implementering"),
    ("successor", lambda d: d["implementation"].pop("successor"), "implementering"),
    ("timeline", lambda d: d.pop("timeline"), "tidsplan"),
    ("indicators", lambda d: d["follow_up"].pop("indicators"), "uppfoljning"),
    ("checkpoints", lambda d: d.pop("checkpoints"), "avstamning"),
    ("exit_condition", lambda d: [c.pop("exit_condition") for c in d["checkpoints"]], "avstamning"),
]


@pytest.mark.parametrize("name, remove, criterion", REMOVALS, ids=[r[0] for r in REMOVALS])
def test_removing_one_field_leaves_exactly_that_criterion_not_documented(
    name: str, remove: Any, criterion: str
) -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = copy.deepcopy(loaded.plan.model_dump(mode="python", exclude_none=True))
    act = next(a for a in data["activities"] if a["id"] == "vagen-in")
    remove(act["decision"])
    result = verdicts(Plan.model_validate(data), "vagen-in")
    changed = {cid: v.status for cid, v in result.items() if v.status != "met"}
    assert changed == {criterion: "not_documented"}


def test_the_plan_saying_met_false_makes_it_not_met() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = copy.deepcopy(loaded.plan.model_dump(mode="python", exclude_none=True))
    act = next(a for a in data["activities"] if a["id"] == "vagen-in")
    act["decision"]["friction"] = {"text": "Ingen friktion mellan parterna.", "met": False}
    v = verdicts(Plan.model_validate(data), "vagen-in")["mellan-parter"]
    assert v.status == "not_met" and v.evidence[0].text == "Ingen friktion mellan parterna."


def test_an_evaluation_line_in_the_budget_documents_the_evaluation() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = copy.deepcopy(loaded.plan.model_dump(mode="python", exclude_none=True))
    act = next(a for a in data["activities"] if a["id"] == "unga-till-arbete")
    act["decision"]["follow_up"].pop("evaluation")
    v = verdicts(Plan.model_validate(data), "unga-till-arbete")["uppfoljning"]
    assert v.status == "met"
    assert "utvärdering i budgeten: Följeutvärdering Unga till arbete, 80\u00a0000 kr" in (
        v.evidence[-1].text
    )


def test_budget_criterion_follows_the_lines() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = loaded.plan.model_dump(mode="python", exclude_none=True)
    next(a for a in data["activities"] if a["id"] == "vagen-in")["lines"] = []
    result = verdicts(Plan.model_validate(data), "vagen-in")
    assert {c: v.status for c, v in result.items() if v.status != "met"} == {
        "budget": "not_documented"
    }


# --- which profiles apply ------------------------------------------------------------------


def test_no_profile_by_default_says_how_to_name_one() -> None:
    result = runner.invoke(app, ["check", "plan-2023"])
    assert result.exit_code == 0, result.output
    assert "Ingen kriterieprofil gäller för plan-2023" in result.stdout
    assert "criteria: [grund]" in result.stdout and "--criteria grund" in result.stdout
    data = json.loads(runner.invoke(app, ["check", "plan-2023", "-f", "json"]).stdout)
    assert data["profiles"] == [] and data["profiles_from"] == "none"
    assert data["message"].startswith("Ingen kriterieprofil gäller")


def _plan_naming(tmp_path: Path, names: str) -> Path:
    text = SEED_PLAN.read_text("utf-8").replace(
        "\ncolumns:\n", f"\ncriteria: {names}\n\ncolumns:\n", 1
    )
    path = tmp_path / "plan-2023.yaml"
    path.write_text(text, "utf-8")
    return path


def test_a_plan_names_its_profiles_and_the_option_overrides(tmp_path: Path) -> None:
    path = _plan_naming(tmp_path, "[grund, skane]")
    data = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)
    assert [p["profile"] for p in data["profiles"]] == ["Grundfrågor", "Region Skåne"]
    assert data["profiles_from"] == "plan"
    data = json.loads(runner.invoke(app, ["check", str(path), "-c", "grund", "-f", "json"]).stdout)
    assert [p["profile"] for p in data["profiles"]] == ["Grundfrågor"]
    assert data["profiles_from"] == "option"
    data = json.loads(runner.invoke(app, ["check", str(path), "-c", "none", "-f", "json"]).stdout)
    assert data["profiles"] == []


def test_a_profile_file_next_to_the_plan(tmp_path: Path) -> None:
    (tmp_path / "min-region.yaml").write_text(
        (ROOT / "criteria" / "grund.yaml").read_text("utf-8").replace("Grundfrågor", "Min region"),
        "utf-8",
    )
    path = _plan_naming(tmp_path, "[min-region.yaml]")
    data = json.loads(runner.invoke(app, ["check", str(path), "-f", "json"]).stdout)
    assert [p["profile"] for p in data["profiles"]] == ["Min region"]


def test_an_unknown_profile_named_by_the_plan_is_a_located_error(tmp_path: Path) -> None:
    path = _plan_naming(tmp_path, "[skåne]")
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 2
    line, column = where(path.read_text("utf-8"), "skåne]")
    assert f"plan-2023.yaml:{line}:{column}: fel IO001 kriterieprofilen 'skåne' finns inte" in (
        result.stderr
    )


def test_bad_profile_is_reported_with_its_place(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.yaml"
    bad.write_text(
        "format: 1\nname: X\ncriteria:\n  - id: a\n    titel: A\n    requires: [budget]\n", "utf-8"
    )
    result = runner.invoke(app, ["check", "plan-2023", "--criteria", str(bad)])
    assert result.exit_code == 2
    assert "trasig.yaml:5:5: fel SCH001 okänd nyckel 'titel'; menade du 'title'?" in result.stderr


# --- the outputs ---------------------------------------------------------------------------


def test_check_json_has_four_states_evidence_questions_and_sources() -> None:
    result = runner.invoke(app, ["check", "plan-2023", "-c", "skane", "-f", "json"])
    assert result.exit_code == 0, result.output  # recommendations are warnings
    data = json.loads(result.stdout)
    (skane,) = data["profiles"]
    assert skane["profile"] == "Region Skåne"
    assert skane["counts"] == {"met": 22, "not_met": 2, "not_documented": 35, "not_applicable": 54}
    jobbsam = skane["insatser"][0]["verdicts"]
    impl = next(v for v in jobbsam if v["criterion"] == "implementering")
    assert impl["status"] == "not_met" and impl["line"] > 0
    assert impl["evidence"][0]["kind"] == "quote"
    assert impl["source"]["quote"].startswith("Följande kriterier bör bedömas särskilt")
    open_ = next(v for v in jobbsam if v["criterion"] == "avstamning")
    assert open_["status"] == "not_documented" and open_["question"].startswith("När stäms")
    assert open_["status_label"] == "inte dokumenterat"
    eff = next(v for v in skane["plan_criteria"] if v["criterion"] == "effektiv-forvaltning")
    assert eff["interpretation"].startswith("Källan anger ingen siffra")


def test_check_terminal_and_markdown_show_questions_not_failures() -> None:
    table = runner.invoke(app, ["check", "plan-2023", "-c", "skane"]).stdout
    assert "✓ uppfyllt · ✗ inte uppfyllt · ? inte dokumenterat · – ej tillämpligt" in table
    assert "? plans/plan-2023.yaml:" in table and "Fråga: När stäms insatsen av" in table
    assert "✗ plans/plan-2023.yaml:" in table and "implementering" in table
    assert "Tolkning: Källan anger ingen siffra" in table
    assert "Att känna till (bedöms inte)" in table and "regionfullmäktige" in table
    md = runner.invoke(app, ["check", "plan-2023", "-c", "skane", "-f", "md"]).stdout
    assert "## Region Skåne" in md
    assert "| JobbSam 3.0 modell för integrerad samverkan kring arbetslivsinriktad " in md
    assert "| ✓ | ✓ | ✓ | ✓ | ✓ | ✓ | ✗ | ✓ | ? |" in md
    assert (
        "0 deltagande part" not in md and "saknas" not in md.split("## Kontroll")[0].split("|")[0]
    )


# --- checkpoints and dates in words ---------------------------------------------------------


def test_the_autumn_2023_checkpoint_is_due_in_august() -> None:
    args = ["check", "plan-2023", "--today", "2023-08-15", "--within", "90d"]
    data = json.loads(runner.invoke(app, [*args, "-f", "json"]).stdout)
    assert [(d["insats"], d["when"], d["from"], d["to"]) for d in data["checkpoints_due"]] == [
        ("jobbsam", "hösten 2023", "2023-09-01", "2023-12-31")
    ]
    table = runner.invoke(app, args).stdout
    assert "hösten 2023 (2023-09-01 – 2023-12-31): JobbSam 3.0" in table
    early = json.loads(
        runner.invoke(
            app, ["check", "plan-2023", "--today", "2023-05-01", "--within", "30d", "-f", "json"]
        ).stdout
    )
    assert early["checkpoints_due"] == []


def test_checkpoints_due_within(tmp_path: Path) -> None:
    args = ["check", str(EXAMPLE), "--today", "2027-01-01", "-f", "json"]
    due = json.loads(runner.invoke(app, [*args, "--within", "90d"]).stdout)["checkpoints_due"]
    assert [(d["insats"], d["from"]) for d in due] == [
        ("vagen-in", "2027-02-15"),
        ("unga-till-arbete", "2027-03-01"),
    ]
    due = json.loads(runner.invoke(app, [*args, "--within", "50d"]).stdout)["checkpoints_due"]
    assert [d["insats"] for d in due] == ["vagen-in"]
    assert due[0]["exit_condition"] == "färre än 30 inskrivna deltagare"
    assert runner.invoke(app, [*args, "--within", "snart"]).exit_code == 2


def test_an_unreadable_date_is_listed_not_guessed() -> None:
    loaded = load_plan(EXAMPLE)
    assert loaded.plan is not None
    data = copy.deepcopy(loaded.plan.model_dump(mode="python", exclude_none=True))
    cp = data["activities"][0]["decision"]["checkpoints"][0]
    cp.pop("date")
    cp["when"] = "när styrelsen beslutar"
    cps = checkpoints_due(Plan.model_validate(data), date(2027, 1, 1), 90)
    assert [c.when for _, c in cps.undated] == ["när styrelsen beslutar"]


# --- the decision memo and the document ---------------------------------------------------


def test_decision_memo(tmp_path: Path) -> None:
    args = ["render", "plan-2023", "--insats", "jobbsam", "-c", "skane", "-o", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    md = (tmp_path / "beslutsunderlag-jobbsam.md").read_text("utf-8")
    assert "## Förslag till beslut" in md and "*Utkast: planen har inget förslag" in md
    assert "Styrelsen beslutar om insatsen JobbSam 3.0" in md
    assert f"**Datum:** {date.today()}" in md
    assert "| **Insatsen totalt** | **2\u00a0185\u00a0000** | **2\u00a0290\u00a0000** |" in md
    assert (
        "| JobbSam 3.0 | 2\u00a0185\u00a0000 | 2\u00a0140\u00a0000 | 2\u00a0190\u00a0000 (a) |"
        in md
    )
    assert "2\u00a0220\u00a0000 (b) |" in md
    assert "(b) Prognos 2025: efter insatsens period, som slutar 2024-08-31" in md
    assert "(a) Prognos 2024: perioden slutar 2024-08-31, efter 8 av årets 12 månader" in md
    assert "**Parter:** förbundets medlemmar: Försäkringskassan, Arbetsförmedlingen, " in md
    assert "0 deltagande part" not in md
    assert "| Förutsättningar för implementering | ✗ inte uppfyllt (varning) |" in md
    assert "Löpande avstämning med möjlighet att avsluta i förtid** (Region Skåne, inte " in md
    html = (tmp_path / "beslutsunderlag-jobbsam.html").read_text("utf-8")
    assert 'id="memo-criteria-1"' in html and "status-not_met" in html
    assert "status-not_documented" in html and 'id="memo-budget-notes"' in html
    assert (tmp_path / "beslutsunderlag-jobbsam.pdf").read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(app, ["render", "plan-2023", "--insats", "saknas", "-o", str(tmp_path)])
    assert unknown.exit_code == 2 and "insatsen 'saknas' finns inte" in unknown.stderr


def test_memo_takes_the_proposal_and_parties_from_the_plan(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "      parties: [fk, af, region, aby]\n",
        "      parties: [fk, af, region, aby]\n"
        "      proposal: Styrelsen beslutar att förlänga Vägen in till 2028-12-31.\n"
        "      meeting: 2026-11-20\n",
    )
    path = tmp_path / "exempel.yaml"
    path.write_text(text, "utf-8")
    result = runner.invoke(
        app, ["render", str(path), "--insats", "vagen-in", "-f", "md", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    md = (tmp_path / "beslutsunderlag-vagen-in.md").read_text("utf-8")
    assert "Styrelsen beslutar att förlänga Vägen in till 2028-12-31." in md
    assert "Utkast" not in md and "**Sammanträde:** 2026-11-20" in md
    assert "**Parter:** Försäkringskassan, Arbetsförmedlingen, Region Exempelland, Åby kommun" in md
    assert "Ingen kriterieprofil gäller för planen" in md  # the example names none


def test_plan_document_has_an_appendix_only_when_a_profile_applies(tmp_path: Path) -> None:
    out = tmp_path / "utan"
    assert (
        runner.invoke(
            app, ["render", "plan-2023", "-f", "html", "-f", "md", "-o", str(out)]
        ).exit_code
        == 0
    )
    assert "kriteriematris" not in (out / "plan.html").read_text("utf-8")
    assert "Insatser mot kriterierna" not in (out / "plan.md").read_text("utf-8")
    out = tmp_path / "med"
    args = ["render", "plan-2023", "-f", "html", "-f", "md", "-o", str(out), "-c", "skane"]
    assert runner.invoke(app, args).exit_code == 0
    html = (out / "plan.html").read_text("utf-8")
    assert 'id="kriteriematris"' in html and "Insatser mot kriterierna (Region Skåne)" in html
    assert "status-not_documented" in html and "inte dokumenterat" in html
    md = (out / "plan.md").read_text("utf-8")
    assert "✓ uppfyllt · ✗ inte uppfyllt · ? inte dokumenterat · – ej tillämpligt." in md
    assert "*Tolkning:* Källan anger ingen siffra" in md
    named = _plan_naming(tmp_path, "[grund]")
    out = tmp_path / "namngiven"
    assert runner.invoke(app, ["render", str(named), "-f", "md", "-o", str(out)]).exit_code == 0
    assert "## Insatser mot kriterierna (Grundfrågor)" in (out / "plan.md").read_text("utf-8")


def test_unknown_party_is_a_reference_error(tmp_path: Path) -> None:
    text = EXAMPLE.read_text("utf-8").replace(
        "parties: [fk, af, region, aby]", "parties: [fk, af, region, abby]"
    )
    bad = tmp_path / "parter.yaml"
    bad.write_text(text, "utf-8")
    loaded = load_plan(bad)
    assert [f.code for f in loaded.findings] == ["REF003"]
    assert (loaded.findings[0].line, loaded.findings[0].column) == where(text, "abby")


def test_compare_counts_the_four_states() -> None:
    result = runner.invoke(app, ["compare", str(SEED_PLAN), "-c", "skane", "-f", "json"])
    row = json.loads(result.stdout)["rows"][0]
    assert (row["criteria_met"], row["criteria_not_met"], row["criteria_not_documented"]) == (
        22,
        2,
        35,
    )


def test_only_a_laws_ska_not_met_makes_check_exit_one(tmp_path: Path) -> None:
    path = tmp_path / "lag.yaml"
    path.write_text(
        "format: 1\nname: Lagkrav\nbasis: law\ncriteria:\n"
        "  - id: impl\n    title: Implementering\n    requires: [implementation]\n"
        "    source: {quote: Insatsen ska kunna implementeras., wording: ska}\n"
        "  - id: slut\n    title: Avslut\n    requires: [exit_condition]\n"
        "    source: {quote: Villkor för avslut ska anges., wording: ska}\n",
        "utf-8",
    )
    result = runner.invoke(app, ["check", "plan-2023", "-c", str(path), "-f", "json"])
    assert result.exit_code == 1  # JobbSam's implementation: not met, and the law says "ska"
    (profile,) = json.loads(result.stdout)["profiles"]
    assert profile["failing_errors"] == 1
    slut = [v for r in profile["insatser"] for v in r["verdicts"] if v["criterion"] == "slut"]
    assert {v["status"] for v in slut} <= {"not_documented", "not_applicable"}  # no data: no fail


@settings(max_examples=30)
@given(st.data())
def test_a_quote_is_a_quote_only_when_it_is_word_for_word(data: st.DataObject) -> None:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    among = plantext.passages(loaded.plan)
    passage = data.draw(st.sampled_from([p for p in among if len(p.text) > 40]))
    start = data.draw(st.integers(0, len(passage.text) - 20))
    piece = passage.text[start : start + data.draw(st.integers(10, 60))].strip()
    assert plantext.find_quote(piece, among) is not None
    changed = piece[:5] + "XQ" + piece[5:]
    assert plantext.find_quote(changed, among) is None
