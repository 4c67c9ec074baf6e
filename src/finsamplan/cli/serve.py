"""`serve`: the plans of a folder in the browser, on this computer only by default."""

from __future__ import annotations

from typing import Annotated

import typer

from finsamplan.cli import common
from finsamplan.cli.application import app

LOCAL = ("127.0.0.1", "localhost", "::1")


@app.command()
def serve(
    plan: Annotated[
        str | None,
        typer.Argument(
            help="Mapp med planer, planfil eller plan-id; utan: plans/ här.", show_default=False
        ),
    ] = None,
    host: Annotated[
        str, typer.Option("--host", help="Adress att lyssna på; andra än 127.0.0.1 varnas för.")
    ] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", help="Port; 0 väljer en ledig.", min=0, max=65535)
    ] = 8023,
    watch: Annotated[
        bool, typer.Option("--watch/--no-watch", help="Ladda om sidan när en fil ändras.")
    ] = True,
) -> None:
    """Visa planerna i webbläsaren: dokument, anmärkningar, budget, prognos, redigering."""
    from finsamplan.web import server

    what = server.served(plan)  # ServeError: its message, exit 2
    address = server.bind(host, port)
    err = common.console(stderr=True)
    if host not in LOCAL:
        err.print(
            f"Varning: finsamplan lyssnar på {host}, inte bara på den här datorn. Andra på "
            "nätverket kan nå sidan; den skyddas bara av koden i adressen. Trafiken är inte "
            "krypterad (http).",
            markup=False,
        )
    if what.readonly:
        err.print("Planerna som följer med finsamplan visas men kan inte ändras här.", markup=False)
    guard = server.Guard()
    console = common.console()
    console.print(f"finsamplan visar {what.root}", markup=False)
    console.print("Öppna den här adressen i webbläsaren (den innehåller en kod som ger åtkomst):")
    console.print(f"    {address.url(guard)}", markup=False, soft_wrap=True)
    console.print("Avsluta med Ctrl+C.", markup=False)
    server.run(what, address, guard, watching=watch)
