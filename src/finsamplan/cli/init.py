"""`init`: a new förbund's first plan file, from options or, on a terminal, questions."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from finsamplan.base.oserror import reason as os_reason
from finsamplan.cli import common
from finsamplan.cli.application import app

Many = list[str] | None


def _opt(text: str) -> Any:
    return typer.Option(help=text, show_default=False)


InitTarget = Annotated[str | None, typer.Argument(help="Id (plans/ID.yaml) eller sökväg.")]
InitName = Annotated[str | None, _opt("Förbundets namn.")]
InitShortName = Annotated[str | None, _opt("Kort namn i sidhuvudet.")]
InitYear = Annotated[int | None, _opt("Planåret (2000–2100).")]
InitRegion = Annotated[Many, _opt('Region som är medlem, "Region X[:invånare]".')]
InitMunicipality = Annotated[Many, _opt('Kommun: "X kommun[:invånare]", "X kommun:40 %".')]
InitMunicipalityWithoutRegion = Annotated[Many, _opt("Kommun utanför region (5 a §).")]
InitPopulationDate = Annotated[str | None, _opt("Dagen invånarantalen gäller.")]
InitStateAllocation = Annotated[str | None, _opt("Statens tilldelning planåret, kr.")]
InitGroup = Annotated[Many, _opt("Kostnadsgrupp id:Titel:administration|insatser[:projekt].")]
InitCriteria = Annotated[
    Many, _opt("Kriterieprofil: en medföljande profils namn (criteria/, t.ex. grund) eller none.")
]


@app.command()
def init(
    target: InitTarget = None,
    name: InitName = None,
    short_name: InitShortName = None,
    year: InitYear = None,
    region: InitRegion = None,
    municipality: InitMunicipality = None,
    municipality_without_region: InitMunicipalityWithoutRegion = None,
    population_date: InitPopulationDate = None,
    state_allocation: InitStateAllocation = None,
    group: InitGroup = None,
    criteria: InitCriteria = None,
) -> None:
    """Skriv en ny planfil: medlemmar, fördelningsnyckel, kostnadsgrupper och kriterier.

    Saknas något frågar finsamplan i terminalen; annars gäller standardvärden
    (tre kostnadsgrupper, ingen kriterieprofil). Skriver aldrig över en fil.
    """
    import click

    from finsamplan.base.outputs import RefusedOverwrite, atomic_write
    from finsamplan.judge.profiles import builtin_profiles
    from finsamplan.plan.schemafile import write_schema
    from finsamplan.year import initplan as ip

    profiles, path = builtin_profiles(), None
    try:
        answers = ip.answers_from_options(
            profiles, name, short_name, year, region, municipality, municipality_without_region,
            population_date, state_allocation, group, criteria,
        )  # fmt: skip
        if target is not None:
            path = _new(ip.target_path(target, Path("plans")))
        if sys.stdin.isatty():
            answers = ip.complete(answers, _Terminal(), profiles, date.today().year)
        ip.check_answers(answers)
        path = path or _new(ip.target_path(f"plan-{answers.year}", Path("plans")))
        atomic_write(path, ip.plan_text(answers, path), overwrite=False)
        write_schema(path.parent)  # the editor's help; a schema file the user wrote is kept
    except RefusedOverwrite:
        raise common.fail(
            f"{path} finns redan; finsamplan init skriver aldrig över en fil"
        ) from None
    except (click.exceptions.Abort, EOFError):
        raise common.fail("avbrutet; ingen planfil skrevs") from None
    except OSError as exc:
        raise common.fail(f"{path}: kan inte skriva: {os_reason(exc)}") from None
    common.console().print(f"skrev {path}\nfyll i det som är märkt 'fyll i' och kontrollera med "
                     f"finsamplan validate {path}", markup=False)  # fmt: skip


def _new(path: Path) -> Path:
    if path.exists():
        raise common.fail(f"{path} finns redan; finsamplan init skriver aldrig över en fil")
    return path


class _Terminal:
    """Questions on the terminal, through typer's (click's) prompts."""

    def text(self, question: str, default: str = "") -> str:
        return str(typer.prompt(question, default=default, show_default=bool(default)))

    def confirm(self, question: str, default: bool = True) -> bool:
        return typer.confirm(question, default=default)

    def say(self, message: str) -> None:
        common.console(stderr=True).print(message, markup=False)
