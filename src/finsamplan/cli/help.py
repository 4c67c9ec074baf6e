"""The command line's own words in Swedish: usage, headings, value names and usage errors.

Typer (0.29, with its own copy of click) writes "Usage:", "Options:", "Show this message and
exit.", ``<list[str]>`` and "Error: Missing argument" in English whatever the help texts
say. The command classes below are typer's own, told through the hooks click offers for
it (``format_usage``, ``format_options``, ``get_help_option``) to use Swedish words; the
group's ``main`` prints usage errors in Swedish. Each value gets a name a user understands
(``PLAN…``, ``ÅR``, ``FIL``): from ``METAVARS`` by command and parameter, else from its type.
Nothing here changes what a command accepts.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from typer._click import exceptions as errors
from typer._click.core import Context, Parameter
from typer._click.formatting import HelpFormatter
from typer.core import TyperCommand, TyperGroup
from typer.exceptions import Abort

USAGE = "Användning: "
HELP = "Visa den här hjälpen och avsluta."

METAVARS: dict[str, str] = {
    # "command.parameter" or "parameter": the name of the value in the help
    "plan": "PLAN",
    "plans": "PLAN",
    "new.name": "PLAN",
    "source": "PLAN",
    "criteria": "PROFIL",
    "within": "TID",
    "today": "DATUM",
    "until": "DATUM",
    "forecast.until": "ÅR",
    "years": "ÅR…",  # --years 2024 2025 (cli.expand_years)
    "scenario": "SCENARIO",
    "sort": "MÅTT",
    "output": "FIL",
    "render.output": "MAPP",
    "followup.output": "MAPP",
    "templates": "MAPP",
    "actuals": "FIL",
    "mapping": "FIL",
    "decimal": "TECKEN",
    "thousands": "TECKEN",
    "insats": "INSATS",
    "folder": "MAPP",
    "budget": "FIL",
    "year": "ÅR",
    "name": "NAMN",
    "sheet": "BLAD",
    "host": "ADRESS",
    "port": "PORT",
    "init.target": "PLAN",
    "short_name": "NAMN",
    "region": "REGION",
    "municipality": "KOMMUN",
    "municipality_without_region": "KOMMUN",
    "population_date": "DATUM",
    "state_allocation": "BELOPP",
    "opening_equity": "BELOPP",
    "equity_accounts": "KONTON",
    "group": "GRUPP",
    "announced_on": "DATUM",
    "announced_source": "KÄLLA",
    "revise.output": "MAPP",
    "close.output": "MAPP",
}
_BY_TYPE: dict[type, str] = {str: "TEXT", int: "TAL", float: "TAL", Path: "FIL", date: "DATUM"}


def metavar(command: str, param: Parameter) -> str:
    """The Swedish name of a parameter's value: from METAVARS, else from its type."""
    name = param.name or ""
    if f"{command}.{name}" in METAVARS:
        return METAVARS[f"{command}.{name}"]
    if name in METAVARS:
        return METAVARS[name]
    annotation: Any = getattr(getattr(param, "type_descriptor", None), "annotation", str)
    if get_origin(annotation) is list:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "[" + "|".join(str(m.value) for m in annotation) + "]"
    return _BY_TYPE.get(annotation, "VÄRDE")


class _Swedish:
    """What the command and the group share: value names, usage line, headings, --help."""

    name: str | None
    params: list[Parameter]
    options_metavar: str | None

    def _name_values(self) -> None:
        for param in self.params:
            is_flag = getattr(param, "is_flag", False)
            if param.metavar is None and not is_flag:
                param.metavar = metavar(self.name or "", param)

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = [self.options_metavar or "", *self._usage_arguments(ctx)]
        formatter.write_usage(ctx.command_path, " ".join(p for p in pieces if p), prefix=USAGE)

    def _usage_arguments(self, ctx: Context) -> list[str]:
        out = []
        for param in self.params:
            if param.param_type_name != "argument":
                continue
            shown = param.metavar or (param.name or "").upper()
            shown = shown if param.required else f"[{shown}]"
            out.append(shown + ("…" if param.nargs != 1 else ""))
        return out

    def get_help_option(self, ctx: Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP
        return option

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                shown = (param.metavar or "") + ("…" if param.nargs != 1 else "")
                arguments.append((shown, _swedish_extra(record[1])))
            else:
                options.append((record[0], _swedish_extra(record[1])))
        if arguments:
            with formatter.section("Argument"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Flaggor"):
                formatter.write_dl(options)


_EXTRA = re.compile(r"(?:^|  )\[(.+)\]$")
_EXTRA_WORDS = (
    ("default: ", "standard: "),
    ("required", "krävs"),
    ("env var: ", "miljövariabel: "),
)


def _swedish_extra(help_text: str) -> str:
    """Typer's ``[default: x; required]`` after a help text, in Swedish."""
    match = _EXTRA.search(help_text)
    if match is None:
        return help_text
    extra = match.group(1)
    for english, swedish in _EXTRA_WORDS:
        extra = extra.replace(english, swedish)
    return help_text[: match.start(1) - 1] + f"[{extra}]"


class SwedishCommand(_Swedish, TyperCommand):
    """A finsamplan command: typer's, with Swedish words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = "[FLAGGOR]"
        super().__init__(*args, **kwargs)
        self._name_values()


class SwedishGroup(_Swedish, TyperGroup):
    """``finsamplan`` itself: the commands under Swedish headings, usage errors in Swedish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["options_metavar"] = "[FLAGGOR]"
        kwargs["subcommand_metavar"] = "KOMMANDO [ARGUMENT]…"
        super().__init__(*args, **kwargs)
        self._name_values()

    def format_usage(self, ctx: Context, formatter: HelpFormatter) -> None:
        pieces = f"{self.options_metavar} {self.subcommand_metavar}"
        formatter.write_usage(ctx.command_path, pieces, prefix=USAGE)

    def format_options(self, ctx: Context, formatter: HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _ in rows)
            with formatter.section("Kommandon"):
                formatter.write_dl([(n, c.get_short_help_str(limit)) for n, c in rows])

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's main, with a usage error said in Swedish (exit 2, as before), and what
        stops a command or crashes it reported by ``common.run_guarded``."""
        from finsamplan.cli.common import run_guarded

        def run(standalone: bool) -> Any:
            return super(SwedishGroup, self).main(
                args, prog_name, complete_var, standalone, windows_expand_args, **extra
            )

        if not standalone_mode:
            return run(False)
        try:
            result = run_guarded(lambda: run(False))
        except errors.ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except Abort:
            sys.stderr.write("Avbrutet.\n")
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)


def show_error(exc: errors.ClickException) -> None:
    """``Användning: …``, where to find help, and what was wrong, on stderr."""
    if isinstance(exc, errors.NoArgsIsHelpError):
        sys.stderr.write(exc.format_message() + "\n")
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        sys.stderr.write(ctx.get_usage() + "\n")
        if ctx.command.get_help_option(ctx) is not None:
            sys.stderr.write(f"Skriv '{ctx.command_path} --help' för hjälp.\n")
        sys.stderr.write("\n")
    sys.stderr.write(f"Fel: {error_message(exc)}\n")


_ENGLISH = (
    (
        re.compile(r"^(?:Value error, )?'(.*)' is not one of (.*)\.$", re.S),
        "'{0}' är inte ett av {1}",
    ),
    (
        re.compile(r"^No such command '(.*)'\. Did you mean (.*)\?$", re.S),
        "okänt kommando '{0}'. Menade du {1}?",
    ),
    (re.compile(r"^No such command '(.*)'\.$", re.S), "okänt kommando '{0}'"),
    (re.compile(r"^Missing command\.$"), "kommando saknas"),
    (re.compile(r"^Got unexpected extra arguments? \((.*)\)$", re.S), "oväntade argument: {0}"),
    (
        re.compile(r"^Option '(.*)' requires (?:an argument|\d+ arguments)\.$"),
        "flaggan '{0}' behöver ett värde",
    ),
    (re.compile(r"^Option '(.*)' does not take a value\.$"), "flaggan '{0}' tar inget värde"),
)


def error_message(exc: errors.ClickException) -> str:
    """What was wrong, in Swedish where the message is one of click's and typer's own."""
    if isinstance(exc, errors.MissingParameter):
        kind = "argumentet" if exc.param_type == "argument" or _is_argument(exc) else "flaggan"
        return f"{kind} {_hint(exc)} saknas"
    if isinstance(exc, errors.NoSuchOption):
        close = exc.possibilities or ()
        return f"okänd flagga: {exc.option_name}" + _suggestion(close)
    if isinstance(exc, errors.BadParameter):
        return f"ogiltigt värde för {_hint(exc)}: {_translated(exc.message)}"
    return _translated(exc.format_message())


def _translated(message: str) -> str:
    for pattern, swedish in _ENGLISH:
        match = pattern.match(message.strip())
        if match:
            return swedish.format(*match.groups())
    return message


def _is_argument(exc: errors.MissingParameter) -> bool:
    return exc.param is not None and exc.param.param_type_name == "argument"


def _hint(exc: errors.BadParameter) -> str:
    hint: Sequence[str] | str | None = exc.param_hint
    if hint is None and exc.param is not None:
        hint = exc.param.get_error_hint()
    if hint is None:
        return "värdet"
    return hint if isinstance(hint, str) else " / ".join(repr(h) for h in hint)


def _suggestion(names: Sequence[str]) -> str:
    return f" (menade du {' eller '.join(sorted(names))}?)" if names else ""
