"""Changes on disk: watch the served folder, tell the open pages to reload.

The watcher (watchfiles: inotify and its kin, no polling) sees plan files, exports and
images change, whoever wrote them. Each change raises a generation number; every page
carries the number it was rendered at and listens on ``/andringar`` (server-sent events),
so a page rendered before a change reloads even if the change came before it listened.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path

WATCHED = {".yaml", ".yml", ".csv", ".xlsx", ".se", ".si", ".sie", ".png", ".jpg", ".jpeg"}
HEARTBEAT = 15.0  # seconds between comments that keep a quiet stream open
STREAM_LIFE = 300.0  # a stream ends after this; the browser reconnects by itself


class Changes:
    """A generation counter that coroutines can wait on."""

    def __init__(self) -> None:
        self.generation = 0
        self._changed = asyncio.Condition()
        self.stopping = False

    async def bump(self) -> None:
        async with self._changed:
            self.generation += 1
            self._changed.notify_all()

    async def stop(self) -> None:
        async with self._changed:
            self.stopping = True
            self._changed.notify_all()

    async def wait_past(self, seen: int, timeout: float) -> bool:
        """True once the generation is past ``seen``; False after ``timeout`` or at stop."""
        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self.generation > seen or self.stopping),
                    timeout,
                )
            except TimeoutError:
                return False
            return self.generation > seen


def relevant(path: str) -> bool:
    """A file whose change can change a page: not hidden (editor backups, temporary files)."""
    p = Path(path)
    return p.suffix.lower() in WATCHED and not any(part.startswith(".") for part in p.parts[1:])


async def watch(
    root: Path,
    changes: Changes,
    on_change: Callable[[list[Path]], bool],
    stop: asyncio.Event,
    recursive: bool = True,
) -> None:
    """Until ``stop``: for every batch of relevant changes, call ``on_change`` (in a worker
    thread: it re-renders) and raise the generation if it says something is new (a file
    the editor has just saved, and the pages already shown since, is not)."""
    from watchfiles import awatch

    base = root.resolve()

    def keep(_change: object, path: str) -> bool:
        try:
            rel = Path(path).resolve().relative_to(base)
        except ValueError:
            return False
        return relevant("/" + rel.as_posix())

    batches = awatch(
        base, watch_filter=keep, stop_event=stop, step=30, debounce=400, recursive=recursive
    )
    async for batch in batches:
        paths = sorted({Path(p).resolve() for _, p in batch})
        if await asyncio.to_thread(on_change, paths):
            await changes.bump()


async def events(changes: Changes, seen: int) -> AsyncIterator[str]:
    """The event stream of one page: ``reload`` once the generation passes ``seen``."""
    yield "retry: 1000\n\n"
    waited = 0.0
    while not changes.stopping and waited < STREAM_LIFE:
        if await changes.wait_past(seen, HEARTBEAT):
            yield f"event: reload\ndata: {changes.generation}\n\n"
            return
        waited += HEARTBEAT
        yield ": vaken\n\n"
