"""The floor of a typer command line here: hello world, parsing what `validate` parses.

    python benchmarks/floor.py validate plan-2023

It imports typer, pydantic, yaml and rich, and its one command takes the same arguments
and options as `finsamplan validate` (typer builds pydantic adapters for them when it
parses, so this costs more than importing the libraries). No finsamplan command can start
faster than this; benchmarks/startup.py and benchmarks/run.py measure `validate` against it.
"""

from enum import StrEnum
from typing import Annotated

import pydantic  # noqa: F401
import rich  # noqa: F401
import typer
import yaml  # noqa: F401

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)


class Format(StrEnum):
    table = "table"
    text = "text"
    json = "json"


@app.callback()
def main() -> None:
    """Hello world."""


@app.command()
def validate(
    plans: Annotated[list[str] | None, typer.Argument(help="Planer.")] = None,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Format.")] = Format.table,
    strict: Annotated[bool, typer.Option("--strict", help="Strikt.")] = False,
) -> None:
    """Hello world."""
    print(f"hej {plans} {fmt.value} {strict}")


if __name__ == "__main__":
    app()
