"""The ``finsamplan`` command: parse arguments, call the core, print, exit.

One module per command (``validate``, ``render``, ``forecast``, ``check``, ``followup``,
``compare``, …), registered on the typer app in ``application``; :data:`COMMANDS` says which
module registers which command, so that ``finsamplan validate`` imports ``validate``'s
module and no other. ``from finsamplan.cli import app`` gives the app with every command.
Exit codes (base/errors.py): 0 fine, 1 rule errors (or warnings with ``--strict``), 2 input
that cannot be read or a misused command, 3 an internal error (a bug in finsamplan).
Nothing here parses YAML or adds money: that is the core's.
"""

from __future__ import annotations

import copy
import gc
import importlib
import sys
from typing import TYPE_CHECKING

from finsamplan.cli import common

if TYPE_CHECKING:
    import typer

__all__ = ["COMMANDS", "app", "expand_years", "load_commands", "main"]

COMMANDS: dict[str, str] = {
    "import": "importer",
    "init": "init",
    "check": "check",
    "compare": "compare",
    "followup": "followup",
    "forecast": "forecast",
    "new": "forecast",
    "render": "render",
    "serve": "serve",
    "validate": "validate",
    "schema": "validate",
    "plans": "validate",
    "close": "close",
    "revise": "revise",
}
"""Each command and the module in this package that registers it; the order of the
modules is the order of the commands in ``finsamplan --help``."""


def load_commands(name: str | None = None) -> typer.Typer:
    """The app, with the command ``name`` registered (every command, when ``name`` is
    None or no command's name)."""
    modules = [COMMANDS[name]] if name in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(f"{__name__}.{module}")
    from finsamplan.cli.application import app

    order = list(COMMANDS)
    app.registered_commands.sort(key=lambda c: order.index(_name(c)) if _name(c) in order else 0)
    return app


def __getattr__(name: str) -> object:
    """``app``: the typer app with every command (PEP 562: loaded when first asked for)."""
    if name == "app":
        return load_commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def expand_years(argv: list[str]) -> list[str]:
    """``--years 2024 2025`` → ``--years 2024 --years 2025`` (click takes one value each)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        out.append(argv[i])
        if argv[i] == "--years":
            i += 1
            first = True
            while i < len(argv) and len(argv[i]) == 4 and argv[i].isdigit():
                if not first:
                    out.append("--years")
                out.append(argv[i])
                first = False
                i += 1
            continue
        i += 1
    return out


def only_the_command_named(args: list[str]) -> typer.Typer:
    """The app with only the command the arguments name, when they name one.

    Typer turns every registered command into a click command, with all its parameters,
    before parsing a single argument; for ``finsamplan validate`` that was a tenth of the
    start-up. The command named is the first argument not starting with ``-`` (the app's
    own options take no value). Anything else, such as ``--help`` or a misspelled
    command, gets the whole app, which lists the commands and suggests the right one.
    """
    name = next((a for a in args if not a.startswith("-")), None)
    app = load_commands(name)
    chosen = [c for c in app.registered_commands if _name(c) == name]
    if not chosen:
        return app
    lean = copy.copy(app)
    lean.registered_commands = chosen
    return lean


def _name(command: typer.models.CommandInfo) -> str:
    import typer.main

    if command.name:
        return command.name
    callback = command.callback
    return typer.main.get_command_name(callback.__name__) if callback else ""


def main() -> None:
    """Entry point: run the app; an unexpected error is a message, never a traceback."""
    collect_seldom()
    args = expand_years(sys.argv[1:])
    try:
        only_the_command_named(args)(args=args, prog_name="finsamplan")
    except SystemExit:
        leave_quickly()
        raise
    except KeyboardInterrupt:
        sys.stderr.write("finsamplan: avbrutet\n")
        sys.exit(130)
    except Exception as exc:  # (one escaping the command's own guard, common.run_guarded)
        common.crash(exc)
        sys.exit(common.EXIT_BUG)


def collect_seldom() -> None:
    """Let the garbage collector wait for 200 000 new objects instead of 700.

    A command creates hundreds of thousands of objects while it imports its libraries and
    builds the plan model, nearly all of them alive to the end; the collector's default
    pace traversed them about eighty times during one ``validate`` (a tenth of its time)
    and found next to nothing. Garbage without cycles is freed at once either way; mypy
    sets the same pace for the same reason.
    """
    gc.set_threshold(200_000)


def leave_quickly() -> None:
    """Spare the interpreter's last garbage collections over everything still alive.

    On the way out Python collects cycles among all the objects the command created or
    imported; for ``validate`` that was a sixth of its time, and it frees nothing the
    operating system would not take back at once. ``gc.freeze`` sets those objects aside;
    everything else about leaving (flushing output, closing files, ``atexit``) is as before.
    mypy leaves early for the same reason (its ``--fast-exit``), more bluntly.
    """
    gc.freeze()


if __name__ == "__main__":
    main()
