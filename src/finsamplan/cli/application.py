"""The typer app: its name, help and version; the commands register on it.

What the commands share (console, stopping with a message, safe writing) is in
``cli/common.py``. Only this package talks to the terminal; the commands parse, call the
core and print.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from typer.models import CommandFunctionType

from finsamplan import __version__
from finsamplan.cli.help import SwedishCommand, SwedishGroup


class _App(typer.Typer):
    """typer's app, whose commands speak Swedish (cli/help.py) unless they name a class."""

    def command(
        self, *args: Any, cls: Any = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(*args, cls=cls or SwedishCommand, **kwargs)


app = _App(
    name="finsamplan",
    cls=SwedishGroup,
    help="Verksamhets- och budgetplan för samordningsförbund (Finsam): skriv, granska, publicera.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"finsamplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Visa versionen.")
    ] = False,
) -> None:
    """Verksamhets- och budgetplan för samordningsförbund (Finsam)."""
