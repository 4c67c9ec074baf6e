"""Starting the app: what is served, on which address, and the URL with the token."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.oserror import reason as os_reason
from finsamplan.web.security import Guard, local_hosts

__all__ = ["Address", "Guard", "ServeError", "bind", "run", "served"]
from finsamplan.web.state import Served


class ServeError(FinsamplanError, ValueError):
    """What was named cannot be served; the message says why, in Swedish."""


def served(name: str | None) -> Served:
    """A folder (every plan under it), a plan file or id (its folder, that plan only)."""
    from finsamplan.plan import catalog

    shipped = catalog.data_dir("plans").resolve()
    if name is None:
        folder = catalog.plans_dir().resolve()
        return Served(folder, readonly=folder == shipped)
    path = Path(name)
    if path.is_dir():
        return Served(path.resolve())
    try:
        file = catalog.resolve(name).resolve()
    except catalog.PlanNotFound as exc:
        raise ServeError(str(exc)) from None
    return Served(file.parent, (file,), readonly=file.is_relative_to(shipped))


@dataclass(frozen=True)
class Address:
    host: str
    port: int
    sock: socket.socket

    def url(self, guard: Guard) -> str:
        shown = "127.0.0.1" if self.host in ("0.0.0.0", "") else self.host
        shown = f"[{shown}]" if ":" in shown else shown
        return f"http://{shown}:{self.port}/?token={guard.token}"


def bind(host: str, port: int) -> Address:
    """A listening socket (port 0: a free one, chosen by the system)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ServeError(
            f"kan inte lyssna på {host}:{port}: {os_reason(exc)}. Är finsamplan serve redan "
            "igång? Välj annars en annan port med --port (0 ger en ledig)"
        ) from None
    sock.listen(64)
    sock.set_inheritable(True)
    return Address(host, sock.getsockname()[1], sock)


def run(what: Served, address: Address, guard: Guard, *, watching: bool = True) -> None:
    """Serve until interrupted (Ctrl+C)."""
    import uvicorn

    from finsamplan.web.app import create_app

    guard.hosts = local_hosts(address.host, address.port)
    app = create_app(what, guard, watching=watching)
    config = uvicorn.Config(
        app, log_level="warning", timeout_graceful_shutdown=2, access_log=False, lifespan="on"
    )
    uvicorn.Server(config).run(sockets=[address.sock])
