"""The command line speaks Swedish: every help page, value name and usage error.

Each command is found from the app itself, so a command added later is checked too.
"""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pytest
import typer.main
from conftest import ROOT
from typer.testing import CliRunner

from finsamplan.cli import app
from finsamplan.cli.help import error_message, metavar

runner = CliRunner()
GROUP = typer.main.get_command(app)
COMMANDS = sorted(GROUP.commands)  # type: ignore[attr-defined]
ENGLISH = (
    "Usage:",
    "Options:",
    "Arguments:",
    "Commands:",
    "Show this message",
    "[default:",
    "required]",
    "Error:",
    "Try '",
)
PYTHON_TYPE = re.compile(r"<(?:list|str|int|path|float|bool|text|datetime)\b|list\[|\bstr>")


def help_of(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0, result.output
    return result.output


def test_there_are_commands() -> None:
    assert {"validate", "render", "forecast", "check", "compare", "followup"} <= set(COMMANDS)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_help_page_is_swedish(command: str) -> None:
    text = help_of(*([command] if command else []))
    assert text.startswith(f"Användning: finsamplan {command}".rstrip() + " [FLAGGOR]")
    assert "Flaggor:" in text and "Visa den här hjälpen och avsluta." in text
    for english in ENGLISH:
        assert english not in text, (command, english)
    assert not PYTHON_TYPE.search(text), (command, PYTHON_TYPE.search(text))


def test_the_group_lists_every_command_under_a_swedish_heading() -> None:
    text = help_of()
    assert "Kommandon:" in text
    listed = re.findall(r"^  ([a-z]+)\s", text.split("Kommandon:")[1], re.M)
    assert sorted(listed) == COMMANDS


def test_values_have_swedish_names() -> None:
    validate = help_of("validate")
    assert "Användning: finsamplan validate [FLAGGOR] [PLAN]…" in validate
    assert "\n  PLAN…  Plan-id" in validate
    assert "-f, --format [table|text|json]" in validate and "[standard: table]" in validate
    forecast = help_of("forecast")
    assert (
        "--years ÅR… " in forecast and "--until ÅR " in forecast and "-o, --output FIL " in forecast
    )
    assert "--until DATUM " in help_of("followup") and "[krävs]" in help_of("followup")
    assert "-o, --output MAPP " in help_of("render")
    assert "-c, --criteria PROFIL " in help_of("check")


def test_every_command_appears_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in COMMANDS:
        assert f"finsamplan {name}" in readme, name


@pytest.mark.parametrize(
    "args, message",
    [
        (["validate", "--format", "x"], "ogiltigt värde för '--format' / '-f': 'x' är inte ett av"),
        (["compare", "--bogus"], "okänd flagga: --bogus"),
        (["valdate"], "okänt kommando 'valdate'. Menade du 'validate'?"),
        (["nocommand"], "okänt kommando 'nocommand'"),
        (["new"], "argumentet 'PLAN' saknas"),
        (["forecast", "--years"], "flaggan '--years' behöver ett värde"),
        (["validate", "plan-2023", "--strict=yes"], "flaggan '--strict' tar inget värde"),
    ],
)
def test_usage_errors_are_swedish(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert f"Fel: {message}" in result.output
    for english in ("Error:", "Usage:", "Try '", "No such", "Missing", "Invalid value"):
        assert english not in result.output, english


def test_a_usage_error_shows_the_usage_and_where_help_is() -> None:
    result = runner.invoke(app, ["compare", "--bogus"])
    lines = result.output.splitlines()
    assert lines[:2] == [
        "Användning: finsamplan compare [FLAGGOR] PLAN…",
        "Skriv 'finsamplan compare --help' för hjälp.",
    ]


class Colour(StrEnum):
    red = "red"
    blue = "blue"


def test_a_value_without_a_listed_name_is_named_by_its_type() -> None:
    def cmd(
        count: Annotated[int, typer.Option()] = 1,
        where: Annotated[Path, typer.Option()] = Path(),
        colour: Annotated[Colour, typer.Option()] = Colour.red,
        words: Annotated[list[str] | None, typer.Option()] = None,
    ) -> None: ...

    command = typer.main.get_command_from_info(
        typer.models.CommandInfo(callback=cmd),
        pretty_exceptions_short=True,
        rich_markup_mode=None,
    )
    names = {p.name: metavar("nytt", p) for p in command.params}
    assert names == {"count": "TAL", "where": "FIL", "colour": "[red|blue]", "words": "TEXT"}


def test_a_message_that_is_not_known_is_kept_as_it_is() -> None:
    from typer._click.exceptions import UsageError

    assert error_message(UsageError("something new")) == "something new"
