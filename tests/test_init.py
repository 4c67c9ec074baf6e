"""`finsamplan init`: a new förbund's first plan file, valid from the start, never over a file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from conftest import ROOT
from typer.testing import CliRunner

from finsamplan.base.findings import Severity
from finsamplan.cli import app
from finsamplan.judge.rules import validate
from finsamplan.plan.loader import load_plan
from finsamplan.year import initplan as ip

runner = CliRunner()
BASE = ["--name", "F", "--year", "2027", "--region", "R"]
OPTIONS = [
    "--name",
    "Samordningsförbundet Västeråsen",
    "--year",
    "2027",
    "--region",
    "Region Västland",
    "--municipality",
    "Åby kommun:12 000",
    "--municipality",
    "Bäcke kommun:8000",
    "--municipality",
    "Cedertorps kommun:5000",
    "--population-date",
    "2025-12-31",
    "--state-allocation",
    "2 000 000",
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _errors(path: Path) -> list[str]:
    loaded = load_plan(path)
    assert loaded.plan is not None, [f.as_line() for f in loaded.findings]
    return [f.as_line() for f in validate(loaded) if f.severity is Severity.ERROR]


def test_init_with_options_writes_a_plan_that_validates(folder: Path) -> None:
    result = runner.invoke(app, ["init", *OPTIONS, "--criteria", "grund"])
    assert result.exit_code == 0, result.output
    path = folder / "plans" / "plan-2027.yaml"
    assert f"skrev {Path('plans') / 'plan-2027.yaml'}" in result.stdout
    assert _errors(path) == []
    check = runner.invoke(app, ["validate", "plan-2027", "-f", "json"])
    assert check.exit_code == 0, check.output
    assert json.loads(check.stdout)["summary"]["errors"] == 0
    plan = load_plan(path).plan
    assert plan is not None
    assert plan.year == 2027 and plan.forbund.name == "Samordningsförbundet Västeråsen"
    members = {m.name: m for m in plan.forbund.members}
    assert [m.side for m in plan.forbund.members] == [
        "state",
        "state",
        "region",
        *["municipality"] * 3,
    ]
    assert members["Arbetsförmedlingen"].paid_by == "fk"
    aby = members["Åby kommun"].key
    assert aby is not None and (aby.population, aby.date) == (12000, date(2025, 12, 31))
    assert [c.key for c in plan.columns] == ["2026", "2027", "2028", "2029"]
    assert plan.contributions.state == {
        "2026": 0,
        "2027": 2000000,
        "2028": 2000000,
        "2029": 2000000,
    }
    text = path.read_text("utf-8")  # the comment at the state's amounts says what is true
    assert (
        "  # här samma som 2027. fyll i: 2026, fjolårets antagna budget: statens\n"
        "  # belopp 2026 här ger avgifterna 2026 med årets nyckel; var fjolårets\n"
        "  # fördelning en annan, ta bort 2026 här och skriv fjolårets avgifter per\n"
        "  # medlem under income (docs/plan-format.md). 0 ger inga avgifter 2026.\n"
    ) in text
    assert [g.id for g in plan.groups] == ["administration", "utvecklingsinsatser", "projekt"]
    assert plan.criteria == ["grund"]
    budget = json.loads(runner.invoke(app, ["render", "plan-2027", "-f", "json"]).stdout)
    assert budget["totals"]["income"]["2027"] == 4000000  # 50/50: the state's 2 000 000 twice
    members_2027 = budget["contributions"]["by_member"]["2027"]
    assert [members_2027[m] for m in ("aby", "backe", "cedertorps")] == [480000, 320000, 200000]


def test_the_file_explains_itself_and_marks_what_to_fill_in(folder: Path) -> None:
    assert runner.invoke(app, ["init", *OPTIONS]).exit_code == 0
    text = (folder / "plans" / "plan-2027.yaml").read_text("utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=plan.schema.json\n"
        "# Verksamhets- och budgetplan 2027 för Samordningsförbundet Västeråsen."
    )
    assert (folder / "plans" / "plan.schema.json").is_file()  # the editor's help beside it
    assert "finsamplan validate plan-2027" in text
    lines = text.splitlines()
    marked = [i for i, line in enumerate(lines) if line.lstrip().startswith("# fyll i")]
    assert len(marked) >= 5
    following = [lines[i + 1].strip() for i in marked]  # each mark sits above what to fill in
    assert "amounts: {2026: 0, 2027: 0, 2028: 0, 2029: 0}" in following
    assert "title: Sammanfattning" in following
    assert "*" not in text.replace("# ", "")  # no YAML aliases: each value written out
    data = yaml.safe_load(text)
    assert "criteria" not in data  # no profile unless one is named


def test_init_refuses_to_overwrite(folder: Path) -> None:
    assert runner.invoke(app, ["init", *OPTIONS]).exit_code == 0
    path = folder / "plans" / "plan-2027.yaml"
    path.write_text(path.read_text("utf-8") + "# egen rad\n", "utf-8")
    before = path.read_bytes()
    result = runner.invoke(app, ["init", *OPTIONS])
    assert result.exit_code == 2
    assert "finns redan" in result.output and "skriver aldrig över" in result.output
    assert path.read_bytes() == before
    named = runner.invoke(app, ["init", "plan-2027", *OPTIONS])
    assert named.exit_code == 2 and path.read_bytes() == before


def test_init_writes_to_a_path_and_to_an_id(folder: Path) -> None:
    result = runner.invoke(app, ["init", "egen.yaml", *OPTIONS])
    assert result.exit_code == 0, result.output
    assert _errors(folder / "egen.yaml") == []
    assert "finsamplan validate egen.yaml" in (folder / "egen.yaml").read_text("utf-8")
    result = runner.invoke(app, ["init", "vasteraasen-2027", *OPTIONS])
    assert result.exit_code == 0, result.output
    assert (folder / "plans" / "vasteraasen-2027.yaml").is_file()
    missing = runner.invoke(app, ["init", "finns/inte/plan.yaml", *OPTIONS])
    assert missing.exit_code == 2 and "finns inte" in missing.output
    assert not (folder / "finns").exists()
    (folder / "sub").mkdir()
    wrong = runner.invoke(app, ["init", "sub/plan.txt", *OPTIONS])
    assert wrong.exit_code == 2 and ".yaml" in wrong.output


def test_own_groups_and_a_municipality_outside_a_region(folder: Path) -> None:
    result = runner.invoke(
        app,
        [
            "init",
            "--name",
            "Samordningsförbundet Ön",
            "--year",
            "2028",
            "--municipality-without-region",
            "Region Ön",
            "--group",
            "styrning:Styrning och ledning:administration",
            "--group",
            "individ:Individinriktade insatser:insatser:projekt",
            "--group",
            "struktur:Strukturövergripande insatser:insatser",
            "--criteria",
            "none",
        ],
    )
    assert result.exit_code == 0, result.output
    path = folder / "plans" / "plan-2028.yaml"
    assert _errors(path) == []
    plan = load_plan(path).plan
    assert plan is not None
    assert [(g.id, g.counts_as, g.projects) for g in plan.groups] == [
        ("styrning", "administration", False),
        ("individ", "insatser", True),
        ("struktur", "insatser", False),
    ]
    assert len(plan.costs["styrning"]) == 3 and plan.costs["individ"] == []
    assert [m.side for m in plan.forbund.members][2:] == ["municipality_without_region"]
    assert plan.criteria == []
    rendered = runner.invoke(app, ["render", "plan-2028", "-f", "md", "-o", str(folder / "ut")])
    assert rendered.exit_code == 0, rendered.output
    assert "Styrning och ledning" in (folder / "ut" / "plan.md").read_text("utf-8")


def test_agreed_shares_and_several_regions(folder: Path) -> None:
    args = ["init", "--name", "Samordningsförbundet Två", "--year", "2027"]
    args += ["--region", "Region Norr:250000", "--region", "Region Söder:150000"]
    args += ["--municipality", "Norrby kommun:60 %", "--municipality", "Söderby kommun:40 %"]
    args += ["--population-date", "2025-11-01"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert _errors(folder / "plans" / "plan-2027.yaml") == []
    plan = load_plan(folder / "plans" / "plan-2027.yaml").plan
    assert plan is not None
    keys = {m.name: m.key for m in plan.forbund.members if m.key is not None}
    assert str(keys["Norrby kommun"].share) == "0.6"  # type: ignore[union-attr]
    assert keys["Region Norr"].population == 250000  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2027", "--region", "R", "--municipality", "K"], "förbundets namn (--name)"),
        (["--name", "F", "--region", "R", "--municipality", "K"], "planåret (--year)"),
        (["--name", "F", "--year", "2027"], "--municipality-without-region"),
        (["--name", "F", "--year", "2027", "--region", "R"], "minst en kommun"),
        (
            [*BASE, "--municipality", "A kommun", "--municipality", "B kommun"],
            "fördelningsnyckel",
        ),
        (
            [*BASE, "--municipality", "A kommun:100", "--municipality", "B kommun:200"],
            "--population-date",
        ),
        (
            [*BASE, "--municipality", "A kommun:60 %", "--municipality", "B kommun:30 %"],
            "100 %",
        ),
        (["--name", "F", "--year", "1999"], "planår"),
        (["--name", "F", "--year", "2027", "--group", "adm:Adm"], "id:Titel:administration"),
        (["--name", "F", "--year", "2027", "--group", "a:A:verksamhet"], "administration eller"),
        (["--name", "F", "--year", "2027", "--criteria", "okand"], "okänd kriterieprofil"),
        ([*BASE, "--municipality", "K", "--criteria", "grund", "--criteria", "none"], "none"),
        ([*BASE, "--municipality", "K", "--name", "x" * 100_001], "name"),
        (["--name", "F", "--year", "2027", "--state-allocation", "12,5"], "inget belopp"),
        (["--name", "F", "--year", "2027", "--municipality", "A:0"], "större än 0"),
        (["--name", "F", "--year", "2027", "--population-date", "2025-13-01"], "inget datum"),
    ],
)
def test_answers_that_make_no_plan_are_refused_and_nothing_is_written(
    folder: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["init", *args])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (folder / "plans").exists()


class Script:
    """A person answering the questions, from a list of answers (None: take the default)."""

    def __init__(self, answers: list[str | bool | None]) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.said: list[str] = []

    def text(self, question: str, default: str = "") -> str:
        self.asked.append(question)
        answer = self.answers.pop(0)
        assert not isinstance(answer, bool), question
        return default if answer is None else answer

    def confirm(self, question: str, default: bool = True) -> bool:
        self.asked.append(question)
        answer = self.answers.pop(0)
        return default if answer is None else bool(answer)

    def say(self, message: str) -> None:
        self.said.append(message)


def test_questions_ask_for_what_is_missing_and_again_after_a_wrong_answer() -> None:
    person = Script(
        [
            "Samordningsförbundet Frågby",  # name
            None,  # year: the default, next year
            "Region Frågland",
            "",  # no more regions
            "Åby kommun",
            "Bäcke kommun:9000",
            "",  # no more municipalities
            "noll",  # Åby's population: not a number, asked again
            "11000",
            None,  # the day: the default
            "3 000 000",  # the state's allocation
            False,  # not the default groups
            "adm:Administration",  # wrong: asked again
            "adm:Administration:administration",
            "ins:Insatser:insatser:projekt",
            "",
            "grund",
        ]
    )
    answers = ip.complete(ip.Answers(), person, ["grund", "skane"], this_year=2026)
    assert person.answers == []
    assert answers.year == 2027 and answers.name == "Samordningsförbundet Frågby"
    assert [m.population for m in answers.municipalities] == [11000, 9000]
    assert answers.population_date == date(2025, 12, 31)
    assert answers.state_allocation == 3000000
    assert [g.id for g in answers.groups or []] == ["adm", "ins"]
    assert answers.criteria == ["grund"]
    assert any("inget invånarantal" in s for s in person.said)
    assert any("id:Titel:administration" in s for s in person.said)
    text = ip.plan_text(answers, Path("plans") / "plan-2027.yaml")
    assert "Samordningsförbundet Frågby" in text


def test_members_are_asked_again_until_they_make_a_förbund() -> None:
    person = Script(["F", "2027", "Region R", "", "", "K kommun", "", "", None, "none"])
    answers = ip.complete(ip.Answers(), person, ["grund"], this_year=2026)
    assert person.answers == []
    assert [m.name for m in answers.municipalities] == ["K kommun"]
    assert [m.name for m in answers.regions] == ["Region R"]
    assert any("minst en kommun" in s for s in person.said)


def test_given_options_are_not_asked_again() -> None:
    answers = ip.answers_from_options(
        ["grund"], "F", None, 2027, ["R"], ["K"], None, None, "0", None, ["none"]
    )
    person = Script([True])  # only the groups are left to ask
    done = ip.complete(answers, person, ["grund"], this_year=2026)
    assert len(person.asked) == 1 and person.asked[0].startswith("Kostnadsgrupper")
    assert done.groups == ip.default_groups() and done.criteria == []


def test_on_a_terminal_the_command_prompts(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    terminal = SimpleNamespace(stdin=SimpleNamespace(isatty=lambda: True))
    monkeypatch.setattr("finsamplan.cli.init.sys", terminal)
    typed = "\n".join(
        ["Samordningsförbundet Terminal", "2027", "Region T", "", "T kommun", "", "", "y", ""]
    )
    result = runner.invoke(app, ["init"], input=typed + "\n")
    assert result.exit_code == 0, result.output
    assert "Förbundets namn" in result.output and "Kriterieprofil" in result.output
    assert _errors(folder / "plans" / "plan-2027.yaml") == []


def test_init_works_from_an_empty_folder_after_pip_install(tmp_path: Path) -> None:
    """A plain `pip install .` in a fresh virtual environment, then `init` and `validate` in
    an empty folder: the installed entry point, no checkout, no plans folder. The new
    environment sees the libraries of the one running the tests (a .pth file), so pip finds
    the dependencies installed and only builds and installs finsamplan itself."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    sites = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (venv_site,) = (venv / "lib").glob("python*/site-packages")
    (venv_site / "running-tests.pth").write_text("\n".join(sites) + "\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    pip = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert pip.returncode == 0, pip.stderr
    empty = tmp_path / "tom"
    empty.mkdir()
    finsamplan = str(venv / "bin" / "finsamplan")
    made = subprocess.run(
        [finsamplan, "init", *OPTIONS],
        cwd=empty,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import finsamplan; print(finsamplan.__file__)"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    ).stdout
    assert str(venv) in where  # the installed package, not the checkout
    checked = subprocess.run(
        [finsamplan, "validate", "plan-2027", "--format", "text"],
        cwd=empty,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert " 0 fel" in checked.stdout
    again = subprocess.run(
        [finsamplan, "init", *OPTIONS],
        cwd=empty,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert again.returncode == 2 and "finns redan" in again.stderr


def test_the_documented_command_writes_a_valid_plan(folder: Path) -> None:
    import re
    import shlex

    doc = (ROOT / "docs" / "plan-format.md").read_text("utf-8")
    block = re.search(r"## En ny plan: `finsamplan init`\n.*?```sh\n(.*?)```", doc, re.S)
    assert block is not None
    lines = block.group(1).replace("\\\n", " ").splitlines()
    command = next(line for line in lines if line.startswith("finsamplan init plan-2027"))
    args = shlex.split(command)[1:]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    path = folder / "plans" / "plan-2027.yaml"
    assert _errors(path) == []
    plan = load_plan(path).plan
    assert plan is not None
    assert [g.id for g in plan.groups] == ["styrning", "individ", "struktur"]
    assert plan.criteria == ["grund"] and plan.groups[1].projects


def test_a_member_named_twice_is_said_and_kept_once() -> None:
    person = Script(
        ["F", "2027", "Region R", "", "Cby kommun", "Cby  kommun:500", "", "", None, "none"]
    )
    answers = ip.complete(ip.Answers(), person, ["grund"], this_year=2026)
    assert person.answers == []
    assert [m.name for m in answers.municipalities] == ["Cby kommun"]
    assert "Cby  kommun:500" not in [m.name for m in answers.municipalities]
    assert any("Cby  kommun finns redan med" in s for s in person.said), person.said
    assert "Kommun (fler? tom rad när du är klar)" in person.asked


def test_a_member_named_twice_in_options_is_refused(folder: Path) -> None:
    result = runner.invoke(
        app,
        ["init", "--name", "F", "--year", "2027", "--region", "Region R",
         "--municipality", "Kommun B:10", "--municipality", "kommun b:20",
         "--population-date", "2025-12-31"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    said = " ".join(result.output.split())
    assert "'kommun b' står två gånger bland medlemmarna; ange den en gång" in said
    assert not (folder / "plans").exists()
