"""`validate`, `compare` and `plans` take ids, files, folders (recursively) and globs alike."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINIMAL, SEED_PLAN
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.plan.catalog import find

runner = CliRunner()


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plans/ with two plans, a subfolder with one more, and files that are not plans."""
    plans = tmp_path / "plans"
    (plans / "examples" / "deep").mkdir(parents=True)
    (plans / "a-2027.yaml").write_text(MINIMAL, "utf-8")
    (plans / "b-2023.yaml").write_bytes(SEED_PLAN.read_bytes())
    (plans / "examples" / "c-2027.yml").write_text(MINIMAL.replace("Exempel", "Cexempel"), "utf-8")
    (plans / "examples" / "deep" / "d-2027.yaml").write_text(MINIMAL, "utf-8")
    (plans / "examples" / "README.md").write_text("inte en plan", "utf-8")
    (plans / "examples" / "deep" / "budget.csv").write_text("x", "utf-8")
    (plans / ".git").mkdir()
    (plans / ".git" / "hidden.yaml").write_text("nej", "utf-8")
    monkeypatch.chdir(tmp_path)
    return plans


def test_find_takes_ids_files_folders_and_globs(tree: Path) -> None:
    found = find(["a-2027", "plans/examples", "plans/b-2023.yaml", "plans/**/d-*.yaml"])
    assert [p.name for p in found.paths] == [
        "a-2027.yaml",
        "c-2027.yml",
        "d-2027.yaml",
        "b-2023.yaml",
    ]
    assert [s.describe() for s in found.sources] == [
        "plans/examples: 2 planfiler, 2 andra filer hoppades över (inte .yaml/.yml)",
        "plans/**/d-*.yaml: 1 planfil",
    ]
    assert found.problems == []


def test_without_names_the_plans_folder_itself(tree: Path) -> None:
    assert [p.name for p in find([]).paths] == ["a-2027.yaml", "b-2023.yaml"]


def test_a_folder_is_searched_recursively_without_hidden_folders(tree: Path) -> None:
    found = find(["plans"])
    assert sorted(p.name for p in found.paths) == [
        "a-2027.yaml",
        "b-2023.yaml",
        "c-2027.yml",
        "d-2027.yaml",
    ]
    assert found.sources[0].skipped == 2


def test_names_that_give_nothing_are_all_reported(tree: Path) -> None:
    (tree / "tom").mkdir()
    found = find(["plan-1999", "plans/tom", "plans/*.nej", "a-2027"])
    assert [p.name for p in found.paths] == ["a-2027.yaml"]
    assert found.problems == [
        f"planen 'plan-1999' finns inte i {tree} (finns: a-2027, b-2023) eller bland planerna "
        "som följer med finsamplan. Ett plan-id söks i plans/ i mappen du står i (du står i "
        f"{tree.parent}); står planen någon annanstans, gå till mappen som har plans/ eller "
        "ange filens sökväg, t.ex. mapp/plan-1999.yaml",
        "plans/tom: mappen innehåller inga planfiler (*.yaml, *.yml)",
        "plans/*.nej: inga filer matchar (*.yaml, *.yml)",
    ]


@pytest.mark.parametrize("command", ["validate", "compare", "plans"])
def test_every_command_takes_the_same_names(tree: Path, command: str) -> None:
    args = [command, "a-2027", "plans/examples", "plans/b-2023.yaml"]
    if command != "plans":
        args += ["-f", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "plans/examples: 2 planfiler, 2 andra filer hoppades över" in result.stderr
    if command == "validate":
        ids = [p["id"] for p in json.loads(result.stdout)["plans"]]
    elif command == "compare":
        ids = [r["plan"] for r in json.loads(result.stdout)["rows"]]
    else:
        ids = [Path(line.split()[0]).stem for line in result.stdout.splitlines()[1:]]
    assert ids == ["a-2027", "c-2027", "d-2027", "b-2023"]


@pytest.mark.parametrize("command", ["validate", "compare", "plans"])
def test_a_name_that_gives_nothing_exits_two(tree: Path, command: str) -> None:
    result = runner.invoke(app, [command, "a-2027", "plan-1999", "plans/*.nej"])
    assert result.exit_code == 2
    assert "planen 'plan-1999' finns inte" in result.stderr
    assert "plans/*.nej: inga filer matchar" in result.stderr


def test_plans_without_names_lists_the_plans_folder(tree: Path) -> None:
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"Planer i {tree}:"
    assert [line.split()[0] for line in result.stdout.splitlines()[1:]] == ["a-2027", "b-2023"]


def test_plans_reports_an_unreadable_file_and_exits_two(tree: Path) -> None:
    (tree / "trasig.yaml").write_text("format: [", "utf-8")
    result = runner.invoke(app, ["plans"])
    assert result.exit_code == 2
    assert "trasig" in result.stdout and "kan inte läsas" in result.stdout


def test_a_folder_with_too_many_files_is_refused(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from finsamplan.plan import catalog

    monkeypatch.setattr(catalog, "MAX_FILES", 3)
    found = find(["plans"])
    assert found.paths == []
    assert found.problems == [
        "plans: mappen har fler än 3 filer; ange en mindre mapp eller ett mönster "
        '("mapp/**/*.yaml")'
    ]


def test_inside_the_plans_folder_ids_are_found_there(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)  # the user stands in plans/
    assert [p.name for p in find(["a-2027"]).paths] == ["a-2027.yaml"]


def test_a_path_that_names_no_file_says_where_it_looked(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)  # plans/a-2027.yaml from inside plans/ is plans/plans/a-2027.yaml
    assert find(["plans/a-2027.yaml"]).problems == [
        f"plans/a-2027.yaml: filen finns inte (letade efter {tree}/plans/a-2027.yaml; en "
        f"sökväg räknas från mappen du står i, {tree}); menade du a-2027.yaml?"
    ]


def test_an_unknown_id_outside_a_plans_folder_names_the_shipped_plans_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["render", "plan-9999"])
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "planen 'plan-9999' finns inte bland planerna som följer med finsamplan (finns: " in said
    assert "plan-2023" in said and "eller bland planerna" not in said
