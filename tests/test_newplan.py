"""`finsamplan new`: next year's plan carries every field of this year's, or changes it on
purpose as its header lists, for every plan in plans/ and for generated ones."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
from conftest import MINIMAL, PLANS, ROOT, SEED_PLAN, load
from hypothesis import given
from hypothesis import strategies as st
from test_properties import plans as generated_plans
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan, load_text
from finsamplan.plan.model import Announcement, Dates, Plan
from finsamplan.year.forecast import base_column
from finsamplan.year.newplan import CHANGES, build_next, next_plan

sys.path.insert(0, str(ROOT / "benchmarks"))
from make_plans import make_plans

runner = CliRunner()


def _plans() -> list[tuple[str, Plan]]:
    shipped = sorted([*PLANS.glob("*.yaml"), *(PLANS / "examples").glob("*.yaml")])
    with tempfile.TemporaryDirectory() as tmp:
        paths = [*shipped, *make_plans(Path(tmp), n=8, seed=14)]
        out = []
        for path in paths:
            loaded = load_plan(path)
            assert loaded.plan is not None, path
            out.append((loaded.id, loaded.plan))
    return out


PLANS_AND_GENERATED = _plans()
MISSING = object()


def differences(old: Any, new: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """Every place the two dumps differ, as dotted paths; an item added to a list as
    ``list[+]``."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from differences(old.get(key, MISSING), new.get(key, MISSING), (*path, str(key)))
    elif isinstance(old, list) and isinstance(new, list):
        for i, (a, b) in enumerate(zip(old, new, strict=False)):
            yield from differences(a, b, (*path, str(i)))
        if len(old) != len(new):
            yield ".".join(path) + ("[+]" if len(new) > len(old) else "[-]")
    elif old != new:
        yield ".".join(path)


def on_purpose(place: str) -> bool:
    """Whether ``place`` or a field it lies in is listed as changed on purpose."""
    parts = place.removesuffix("[-]").removesuffix("[+]").split(".")
    prefixes = [".".join(parts[: n + 1]) for n in range(len(parts))]
    return any(fnmatch(p, pattern) for p in prefixes for pattern, _ in CHANGES)


def check_next(
    plan_id: str, old: Plan, opening: int | None, announced: Announcement | None
) -> Plan:
    made = build_next(old, plan_id, opening_equity=opening, announcement=announced)
    text = made.text()
    back = load_text(text.encode("utf-8"), f"{plan_id}-ny.yaml")
    assert back.plan is not None, [f.as_line() for f in back.findings]
    new = back.plan
    assert new == made.plan  # the writer kept everything the model holds
    assert not [f for f in validate(back) if f.code == "FIN000"]

    # every field is carried, or changed on purpose as listed, and the header says so
    unlisted = [p for p in differences(old.model_dump(), new.model_dump()) if not on_purpose(p)]
    assert unlisted == [], unlisted
    for _, reason in CHANGES:
        assert f"#   - {reason}" in text

    # the changes listed are the ones described
    year, base = old.year, base_column(old)
    assert new.year == year + 1
    assert [(c.year, c.kind) for c in new.columns] == [
        (year, "budget"),
        (year + 1, "budgetplan"),
        (year + 2, "prognos"),
        (year + 3, "prognos"),
    ]
    assert new.dates == Dates() and new.stated == {}
    for group, lines in old.costs.items():
        for i, line in enumerate(lines):
            moved = new.costs[group][i]
            assert moved.amounts.get(str(year), 0) == line.amounts.get(base, 0)
            assert [p.amounts.get(str(year), 0) for p in moved.parts] == [
                p.amounts.get(base, 0) for p in line.parts
            ]
            assert f"# {year}: budgetplanen i {plan_id}" in text
    totals = {c.year: c.key for c in old.columns}
    for y in (year + 1, year + 2):  # the plan's own prognos, line by line
        if y in totals and next(c for c in old.columns if c.year == y).kind == "prognos":
            for group, lines in old.costs.items():
                for i, line in enumerate(lines):
                    if not line.parts:
                        assert new.costs[group][i].amounts.get(str(y), 0) == line.amounts.get(
                            totals[y], 0
                        )
    equity = next(inc for inc in new.income if inc.kind == "equity")
    if opening is not None:
        assert equity.amounts.get(str(year + 1), 0) == opening
        assert f"angivet (bokslutet för {year})" in text
    if announced is not None:
        assert new.forecast.announced[str(year + 1)] == announced
    return new


@given(
    st.sampled_from(PLANS_AND_GENERATED),
    st.one_of(st.none(), st.integers(-2_000_000, 5_000_000)),
    st.one_of(st.none(), st.integers(0, 9_000_000)),
)
def test_every_field_of_every_plan_survives_new(
    item: tuple[str, Plan], opening: int | None, state: int | None
) -> None:
    plan_id, plan = item
    announced = None if state is None else Announcement(amount=state, date=date(plan.year, 11, 10))
    new = check_next(plan_id, plan, opening, announced)
    if announced is not None:
        from finsamplan.figures.budget import compute

        assert compute(new).totals[str(plan.year + 1)].state == state


@given(generated_plans(), st.one_of(st.none(), st.integers(-1_000_000, 1_000_000)))
def test_generated_plans_survive_new(data: dict[str, Any], opening: int | None) -> None:
    check_next("genererad", Plan.model_validate(data), opening, None)


def test_the_seed_plan_goes_on_with_its_own_prognos() -> None:
    loaded = load_plan(SEED_PLAN)
    assert loaded.plan is not None
    text = next_plan(loaded.plan, "plan-2023", today=date(2023, 11, 1))
    new = load_text(text.encode("utf-8"), "plan-2024.yaml").plan
    assert new is not None
    fk = new.income[0].amounts
    assert fk == {"2023": 2_157_000, "2024": 2_130_000, "2025": 2_120_000, "2026": 2_099_000}
    assert new.income[2].amounts["2024"] == 650_000  # 2023 leaves its reserve, as stated
    lines = text.splitlines()
    assert lines[:3] == [
        "# Verksamhets- och budgetplan 2024 för Samordningsförbundet FinsamGotland.",
        "# Skapad 2023-11-01 av `finsamplan new` från plan-2023.",
        "# Ingående eget kapital 2024: 650\u00a0000 kr, det 2023 lämnar enligt budgetplanen i "
        "plan-2023.",
    ]
    assert (
        "  # 2023: budgetplanen i plan-2023. 2024–2025: prognosen i plan-2023; 2026: statens "
        "tilldelning: −1\u00a0%/år från 2\u00a0120\u00a0000 (2025) (illustration)"
    ) in lines
    assert "# Illustration, inte förbundets beslut: " in text
    # the seed's statements, finance-system mapping and cost groups are all there
    assert new.actuals == loaded.plan.actuals and new.statements == loaded.plan.statements
    assert new.cost_groups == loaded.plan.cost_groups and new.labels == loaded.plan.labels
    assert new.forecast.announced["2023"].amount == 2_157_000


def test_new_plan_validates_and_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"])
    assert result.exit_code == 0, result.output
    target = tmp_path / "plans" / "plan-2024.yaml"
    loaded = load_plan(target)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    found = validate(loaded)
    assert not [f for f in found if f.severity.value == "error"]
    assert not [f for f in found if f.code in ("FIN060", "FIN000")]
    assert "kontroll: 0 fel" in result.stdout
    plan = loaded.plan
    assert plan.title == "Verksamhets- och budgetplan 2024"
    assert plan.sections[0].text.startswith("2023 är samordningsförbundet")  # text carried
    before = target.read_bytes()
    again = runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"])
    assert again.exit_code == 2 and "skriver aldrig över" in again.stderr
    assert target.read_bytes() == before


def test_new_takes_the_opening_equity_and_the_announcement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(
        app,
        [
            "new", "plan-2024", "--from", "plan-2023",
            "--opening-equity", "−120 000",
            "--state-allocation", "2 140 000", "--announced-on", "2023-11-10",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (tmp_path / "plans" / "plan-2024.yaml").read_text("utf-8")
    plan = load_text(text.encode("utf-8"), "plan-2024.yaml").plan
    assert plan is not None
    assert plan.income[2].amounts["2024"] == -120_000
    assert plan.income[0].amounts["2024"] == plan.income[1].amounts["2024"] == 2_140_000
    assert "# Ingående eget kapital 2024: −120\u00a0000 kr, angivet (bokslutet för 2023)." in text
    assert (
        "# Statens tilldelning 2024: 2\u00a0140\u00a0000 kr enligt Förhandsbesked om statlig "
        "tilldelning 2023-11-10." in text
    )
    # 2025 starts from what 2024 leaves: −120 000 + 4 280 000 − 4 165 980 = −5 980
    assert plan.income[2].amounts["2025"] == -5_980
    # a negative equity is an error with its year; 2024 also spends more than it has
    found = validate(load_plan(tmp_path / "plans" / "plan-2024.yaml"))
    errors = [(f.code, f.year, f.figures) for f in found if f.severity.value == "error"]
    assert errors == [
        ("FIN020", "2024", {"costs": 4_165_980, "available": 4_160_000, "shortfall": 5_980}),
        ("FIN060", "2024", {"equity": -120_000}),
        ("FIN060", "2025", {"equity": -5_980}),
    ]
    assert "kontroll: 3 fel" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--opening-equity", "tusen"], "--opening-equity tusen: ange ett belopp"),
        (["--state-allocation", "-5"], "--state-allocation -5: ange ett belopp i hela kronor"),
        (["--state-allocation", "2140000"], "ange både --state-allocation och --announced-on"),
        (["--state-allocation", "1", "--announced-on", "2023-02-30"], "finns inte i kalendern"),
    ],
)
def test_new_refuses_bad_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023", *args])
    assert result.exit_code == 2 and message in result.stderr
    assert not (tmp_path / "plans" / "plan-2024.yaml").exists()


def test_new_plans_chain_and_freeze_figures_whose_column_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(app, ["new", "plan-2024", "--from", "plan-2023"]).exit_code == 0
    result = runner.invoke(app, ["new", "plan-2025", "--from", "plan-2024"])
    assert result.exit_code == 0
    loaded = load_plan(tmp_path / "plans" / "plan-2025.yaml")
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    text = (tmp_path / "plans" / "plan-2025.yaml").read_text("utf-8")
    assert "De 650\u00a0000 kronor" in text
    assert "Belopp i texten vars kolumn inte finns kvar är utskrivna som tal" in text


def test_a_keyed_plan_keeps_its_keys_and_its_block() -> None:
    loaded = load_plan(PLANS / "examples" / "nordana-2027.yaml")
    assert loaded.plan is not None
    new = load_text(next_plan(loaded.plan, "nordana-2027").encode("utf-8"), "n.yaml").plan
    assert new is not None
    assert new.forbund.members == loaded.plan.forbund.members  # the keys
    assert new.contributions.state == {
        "2027": 4_130_000,
        "2028": 4_171_300,
        "2029": 4_171_300,
        "2030": 4_171_300,
    }
    assert [inc.kind for inc in new.income] == ["equity"]  # contributions stay computed


def test_new_plan_from_a_minimal_plan_adds_no_column_of_its_own() -> None:
    loaded = load(MINIMAL)
    assert loaded.plan is not None
    again = load(next_plan(loaded.plan, "exempel"), "exempel-2028.yaml")
    assert again.plan is not None, [f.as_line() for f in again.findings]
    assert again.plan.year == 2028
    assert {k for line in again.plan.income for k in line.amounts} <= {
        "2027",
        "2028",
        "2029",
        "2030",
    }
