"""The plan writer: every plan it writes reads back to the same plan, with its comments."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PLANS, ROOT

from finsamplan.plan.loader import load_plan, load_text
from finsamplan.plan.model import Plan
from finsamplan.plan.writer import plan_to_yaml

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plans import make_plans

SHIPPED = sorted([*PLANS.glob("*.yaml"), *(PLANS / "examples").glob("*.yaml")])


def _round_trip(plan: Plan) -> Plan:
    text = plan_to_yaml(plan)
    back = load_text(text.encode("utf-8"), "skriven.yaml")
    assert back.plan is not None, [f.as_line() for f in back.findings]
    return back.plan


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_plan_reads_back_the_same(path: Path) -> None:
    loaded = load_plan(path)
    assert loaded.plan is not None
    assert _round_trip(loaded.plan) == loaded.plan


def test_generated_plans_read_back_the_same(tmp_path: Path) -> None:
    for path in make_plans(tmp_path, n=12, seed=7):
        loaded = load_plan(path)
        assert loaded.plan is not None, path
        assert _round_trip(loaded.plan) == loaded.plan, path


def test_texts_the_loader_would_misread_are_quoted() -> None:
    plan = load_plan(PLANS / "examples" / "exempel-2027.yaml").plan
    assert plan is not None
    tricky = ["no", "on", "Yes", "1_000", "2023-01-01", "010", "0x1F", "1:20", "~", "null", "3.5"]
    forbund = plan.forbund.model_copy(update={"short_name": None})
    for word in tricky:
        changed = plan.model_copy(update={"title": word, "forbund": forbund})
        text = plan_to_yaml(changed)
        assert f'title: "{word}"' in text or f"title: '{word}'" in text, word
        assert _round_trip(changed).title == word


def test_shares_are_swedish_percentages_and_comments_sit_above_their_values() -> None:
    plan = load_plan(PLANS / "plan-2023.yaml").plan
    assert plan is not None
    policy = plan.policy.model_copy(update={"admin_share_max": Decimal("0.325")})
    text = plan_to_yaml(
        plan.model_copy(update={"policy": policy}),
        header="Första raden\nandra raden",
        comments={
            ("costs", "administration", 1): "revisionen: enligt avtal",
            ("income", 0, "amounts"): "besked 2022-10-15",
        },
    )
    lines = text.splitlines()
    assert lines[:2] == ["# Första raden", "# andra raden"]
    assert 'admin_share_max: "32,5 %"' in text
    at = lines.index("    # revisionen: enligt avtal")
    assert lines[at + 1] == "    - id: revision"
    at = lines.index("    # besked 2022-10-15")
    assert lines[at + 1].startswith("    amounts: {2022: 2162000, 2023: 2157000")


def test_a_comment_for_a_value_that_is_not_there_is_a_bug_not_a_silent_skip() -> None:
    plan = load_plan(PLANS / "plan-2023.yaml").plan
    assert plan is not None
    with pytest.raises(ValueError, match=r"costs\.administration\.99"):
        plan_to_yaml(plan, comments={("costs", "administration", 99): "x"})
