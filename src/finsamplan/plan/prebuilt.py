"""The plan model's validators, built once per install and read back at every start.

Pydantic builds a model's validator from its type hints. For the forty-odd plan models
that cost half as much again as starting typer itself, and every command that reads a
plan paid it at start (issue 12). What pydantic builds depends only on the models' source
and on the versions of Python and pydantic, so finsamplan keeps it, as Black keeps its
cache: the models are declared with ``defer_build``, and :func:`complete` either reads the
kept validators back (a few milliseconds) or lets pydantic build them the usual way and
keeps the result.

The kept file lies in the user's cache folder (``~/.cache/finsamplan`` on Linux, the
platform's own elsewhere, found by platformdirs; ``FINSAMPLAN_CACHE_DIR`` says another),
one per installed copy of finsamplan. It is read only if it was built by the same versions
of Python, pydantic and pydantic-core from the same source files: the model module and
every finsamplan module it imports, each with the modification time and size it had, the
test Python itself makes before it trusts a ``.pyc``. It is a pickle, so it is trusted as
the user's own files are, in a folder only the user can write. Whatever goes wrong with it
(missing, stale, damaged, a folder that cannot be written) only makes the start slower:
pydantic then builds the models itself, and the result is the same.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pydantic
import pydantic_core
from pydantic import BaseModel

from finsamplan.base.outputs import atomic_write

FORMAT = 1
"""The kept file's own layout; raise it when what :func:`_write` stores changes."""

CACHE_VARIABLE = "FINSAMPLAN_CACHE_DIR"

_Kept = dict[str, tuple[Any, Any, Any]]
_Source = tuple[str, int, int]  # file, modification time (ns), size
_Header = tuple[int, tuple[str, ...], tuple[_Source, ...]]


def complete(module: ModuleType) -> None:
    """Give every model class of ``module`` (declared with ``defer_build``) its schema,
    validator and serializer: kept ones when they match, newly built (and kept) otherwise."""
    models = _models(module)
    path = cache_file(module)
    kept = _read(path) if path is not None else None
    if kept is not None and _install(models, kept):
        return
    for model in models:
        model.model_rebuild(force=True)
    if path is not None:
        _write(path, _header(_sources(module)), models)


def cache_file(module: ModuleType) -> Path | None:
    """One kept file per installed copy of the module: its name says which, from where."""
    if module.__file__ is None or sys.implementation.cache_tag is None:
        return None
    where = zlib.crc32(os.path.realpath(module.__file__).encode())
    name = f"{module.__name__}-{sys.implementation.cache_tag}-{where:08x}.pickle"
    return _cache_dir() / name


def _cache_dir() -> Path:
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen:
        return Path(chosen)
    import platformdirs  # only here: the variable spares a start the import

    return Path(platformdirs.user_cache_dir("finsamplan", appauthor=False))


def _models(module: ModuleType) -> list[type[BaseModel]]:
    return [
        value
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, BaseModel)
        and value.__module__ == module.__name__
    ]


def _versions() -> tuple[str, ...]:
    return (sys.version, pydantic.VERSION, pydantic_core.__version__)


def _header(files: list[str]) -> _Header:
    return (FORMAT, _versions(), tuple(_stat(file) for file in files))


def _stat(file: str) -> _Source:
    status = os.stat(file)
    return (file, status.st_mtime_ns, status.st_size)


_IMPORT = re.compile(
    rb"^(?:from\s+([\w.]+)\s+import\s+(?:\(([^)]*)\)|([^\n]*))|import\s+([\w.]+))", re.M
)
_COMMENT = re.compile(rb"#[^\n]*")


def _sources(module: ModuleType) -> list[str]:
    """The source files of ``module`` and of the modules of its package it imports, as its
    import statements say, following their imports in turn (defaults and patterns in the
    models may come from any of them)."""
    package = module.__name__.split(".")[0].encode()
    found: dict[str, str] = {}
    todo = [module.__name__]
    while todo:
        name = todo.pop()
        current = sys.modules.get(name)
        if name in found or current is None or current.__file__ is None:
            continue
        found[name] = current.__file__
        for origin, listed, line, plain in _IMPORT.findall(Path(current.__file__).read_bytes()):
            names = _COMMENT.sub(b"", listed or line).replace(b",", b" ").split()
            imported = [plain] if plain else [origin, *(origin + b"." + n for n in names)]
            todo += [i.decode() for i in imported if i.split(b".")[0] == package]
    return [found[name] for name in sorted(found)]


def _read(path: Path) -> _Kept | None:
    """The kept validators, if ``path`` holds some built from what is here now."""
    try:
        with path.open("rb") as fh:
            header = pickle.load(fh)
            if header != _header([file for file, _, _ in header[2]]):
                return None
            kept = pickle.load(fh)
    except Exception:  # missing, damaged or foreign: only means building anew
        return None
    return kept if isinstance(kept, dict) else None


def _install(models: list[type[BaseModel]], kept: _Kept) -> bool:
    """Set what pydantic's own build sets for a class to validate and serialize with."""
    if any(model.__qualname__ not in kept for model in models):
        return False
    for model in models:
        schema, validator, serializer = kept[model.__qualname__]
        model.__pydantic_core_schema__ = schema
        model.__pydantic_validator__ = validator
        model.__pydantic_serializer__ = serializer
        model.__pydantic_complete__ = True
    return True


def _write(path: Path, header: _Header, models: list[type[BaseModel]]) -> None:
    kept = {
        model.__qualname__: (
            model.__pydantic_core_schema__,
            model.__pydantic_validator__,
            model.__pydantic_serializer__,
        )
        for model in models
    }
    try:
        data = pickle.dumps(header, protocol=pickle.HIGHEST_PROTOCOL)
        data += pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        atomic_write(path, data)
    except Exception:  # an unwritable folder, or a plugin's validator that pickle refuses
        return
