"""Shared test fixtures: the seed plan, a minimal plan text and a way to load text."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# The plan model's kept validators (plan/prebuilt.py) go to a folder of this test session,
# not to the user's cache: set before finsamplan is first imported, and inherited by every
# command the tests start.
os.environ["FINSAMPLAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="finsamplan-cache-")

from finsamplan.plan.loader import LoadedPlan, load_text

ROOT = Path(__file__).resolve().parents[1]
PLANS = ROOT / "plans"
SEED_PLAN = PLANS / "plan-2023.yaml"


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_size for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="session", autouse=True)
def _the_shipped_plans_stay_as_they_are() -> object:
    """No test writes into the repository's plans/ (a `new` or `schema --write` aimed at
    the checkout instead of a temporary folder): the folder is the same after the suite."""
    before = _listing(PLANS)
    yield
    assert _listing(PLANS) == before, "a test wrote into the repository's plans/ folder"


MINIMAL = """\
format: 1
title: Verksamhets- och budgetplan 2027
year: 2027
forbund:
  name: Samordningsförbundet Exempel
  members:
    - {id: fk, name: Försäkringskassan, side: state}
    - {id: af, name: Arbetsförmedlingen, side: state, paid_by: fk}
    - {id: region, name: Region Exempel, side: region}
    - {id: kommun, name: Exempels kommun, side: municipality}
columns:
  - {year: 2026, kind: budget}
  - {year: 2027, kind: budgetplan}
  - {year: 2028, kind: prognos}
  - {year: 2029, kind: prognos}
income:
  - label: Försäkringskassan
    member: fk
    amounts: {2026: 1000000, 2027: 1000000, 2028: 1000000, 2029: 1000000}
  - label: Region Exempel
    member: region
    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}
  - label: Exempels kommun
    member: kommun
    amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}
  - label: Eget kapital
    kind: equity
    amounts: {2026: 300000, 2027: 300000, 2028: 300000, 2029: 300000}
reserve:
  amounts: {2026: 100000, 2027: 100000, 2028: 100000, 2029: 100000}
costs:
  administration:
    - label: Förbundschef
      amounts: {2026: 500000, 2027: 500000, 2028: 500000, 2029: 500000}
  utvecklingsinsatser:
    - label: Utbildningar
      amounts: {2026: 200000, 2027: 200000, 2028: 200000, 2029: 200000}
  projekt:
    - id: steget
      label: Steget
      amounts: {2026: 1300000, 2027: 1300000, 2028: 1300000, 2029: 1200000}
    - label: Utvärdering av Steget
      evaluates: steget
      amounts: {2029: 100000}
activities:
  - id: steget
    kind: projekt
    title: Steget
    lines: [steget]
    period: {start: 2026-01-01, end: 2029-12-31}
dates:
  adopted: 2026-11-25
  consultations: [2026-10-01]
"""


def where(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based line and column of the n-th ``needle`` in ``text``, found independently."""
    start = -1
    for _ in range(occurrence):
        start = text.index(needle, start + 1)
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return line, column


def load(text: str | bytes, name: str = "plan.yaml") -> LoadedPlan:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return load_text(data, name, plan_id=Path(name).stem)


@pytest.fixture
def minimal() -> str:
    return MINIMAL


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite the golden files under tests/golden/ from the current output.",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def need_tool(name: str) -> str:
    """The path of an external program; in CI its absence fails the test, elsewhere skips."""
    import os
    import shutil

    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is required in CI (bash tests/install-clients.sh installs it)")
        pytest.skip(f"{name} is not installed")
    return path


# Property tests run with a fixed seed and a stated number of examples, so CI is repeatable;
# HYPOTHESIS_PROFILE=deep runs more.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, max_examples=60, deadline=None)
settings.register_profile("deep", max_examples=2000, deadline=None)
settings.load_profile(__import__("os").environ.get("HYPOTHESIS_PROFILE", "ci"))
