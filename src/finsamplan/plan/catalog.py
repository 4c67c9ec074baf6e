"""Where plans are: ``plans/`` in the working directory, else the plans shipped inside.

A plan is named by id (``plan-2023``) or by path. An id is looked up inside the plans
folder, then among the plans shipped with finsamplan, and may not climb out of either;
anything with a slash or a ``.yaml`` suffix is taken as a path, as the user wrote it.
Commands that take many plans (``validate``, ``compare``, ``plans``) also take folders
(searched recursively) and glob patterns: :func:`find` turns all of these into files.
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.money import format_number

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class PlanNotFound(FinsamplanError, LookupError):
    """The name given is neither a plan id in the plans folder nor an existing file."""


def data_dir(name: str) -> Path:
    """A folder shipped with finsamplan (``plans`` or ``templates``)."""
    packaged = Path(str(resources.files("finsamplan"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name  # a source checkout


def local_plans_dir(cwd: Path | None = None) -> Path:
    """The user's plans folder seen from ``cwd``: ``plans/`` there, or ``cwd`` itself when
    the user stands inside a folder named plans (never a nested ``plans/plans``)."""
    here = cwd or Path.cwd()
    inside = here.name == "plans" and not (here / "plans").is_dir()
    if cwd is None:  # relative, as the user sees it
        return Path(".") if inside else Path("plans")
    return here if inside else here / "plans"


def plans_dir(cwd: Path | None = None) -> Path:
    local = local_plans_dir(cwd or Path.cwd())
    return local if local.is_dir() else data_dir("plans")


def new_plan_dir(source: Path, cwd: Path | None = None) -> Path:
    """Where ``new`` puts a plan made from ``source``: next to it, or, when it is one of the
    plans shipped with finsamplan, in the user's plans folder (created if missing)."""
    shipped = data_dir("plans").resolve()
    if source.resolve().parent == shipped:
        return local_plans_dir(cwd)
    return source.parent


def list_plans(folder: Path | None = None) -> list[Path]:
    folder = folder or plans_dir()
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def resolve(name: str, folder: Path | None = None) -> Path:
    """The file a plan name refers to."""
    if "/" in name or "\\" in name or name.endswith((".yaml", ".yml")):
        path = Path(name)
        if path.is_dir():
            raise PlanNotFound(f"{name} är en mapp; ange en planfil eller ett plan-id")
        if not path.exists():
            raise PlanNotFound(_no_file(name, path))
        return path
    folder = folder or plans_dir()
    if not ID_PATTERN.match(name) or name.startswith(".."):
        raise PlanNotFound(f"'{name}' är inget giltigt plan-id")
    path = folder / f"{name}.yaml"
    if path.is_file():
        return path
    shipped = data_dir("plans") / f"{name}.yaml"
    if shipped.is_file():  # the plans that come with finsamplan, e.g. plan-2023
        return shipped
    known = ", ".join(p.stem for p in list_plans(folder)) or "inga"
    if folder.resolve() == data_dir("plans").resolve():
        looked = f"bland planerna som följer med finsamplan (finns: {known})"
    else:
        looked = f"i {folder} (finns: {known}) eller bland planerna som följer med finsamplan"
    raise PlanNotFound(
        f"planen '{name}' finns inte {looked}. Ett plan-id söks i plans/ i mappen du står i "
        f"(du står i {Path.cwd()}); står planen någon annanstans, gå till mappen som har "
        f"plans/ eller ange filens sökväg, t.ex. mapp/{name}.yaml"
    )


def _no_file(name: str, path: Path) -> str:
    """A path that names no file: where it was looked for, and a file of that name nearby."""
    text = (
        f"{name}: filen finns inte (letade efter {path.absolute()}; en sökväg räknas från "
        f"mappen du står i, {Path.cwd()})"
    )
    for folder in (Path.cwd(), local_plans_dir()):
        near = folder / path.name
        if near.is_file() and near.absolute() != path.absolute():
            shown = os.path.relpath(near)
            return text + f"; menade du {shown}?"
    return text


def newest_plan(folder: Path | None = None) -> Path | None:
    plans = list_plans(folder)
    return plans[-1] if plans else None


PLAN_SUFFIXES = (".yaml", ".yml")
MAX_FILES = 100_000  # files looked at under one folder named on the command line


@dataclass(frozen=True)
class Source:
    """What one folder or pattern named on the command line gave."""

    name: str
    plans: int
    skipped: int  # files that are not plan files (not *.yaml or *.yml)

    def describe(self) -> str:
        found = f"{self.plans} planfil" + ("" if self.plans == 1 else "er")
        if not self.skipped:
            return f"{self.name}: {found}"
        other = "annan fil" if self.skipped == 1 else "andra filer"
        return f"{self.name}: {found}, {self.skipped} {other} hoppades över (inte .yaml/.yml)"


@dataclass
class Found:
    """The plan files that names, folders and patterns gave, in order, each once."""

    paths: list[Path] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)  # one per folder or pattern
    problems: list[str] = field(default_factory=list)  # names that gave nothing

    def add(self, paths: list[Path]) -> int:
        seen = {p.resolve() for p in self.paths}
        added = 0
        for p in paths:
            if p.resolve() not in seen:
                seen.add(p.resolve())
                self.paths.append(p)
                added += 1
        return added


def find(names: list[str], folder: Path | None = None) -> Found:
    """Plan ids, files, folders (recursively) and glob patterns to plan files.

    No names: the plans of the plans folder (not its subfolders, whose plans have no id).
    A name that gives no plan file is a problem, reported with the others; hidden files
    and folders (``.git``) are not searched.
    """
    found = Found()
    if not names:
        folder = folder or plans_dir()
        found.add(list_plans(folder))
        if not found.paths:
            found.problems.append(f"inga planer i {folder}")
        return found
    for name in names:
        if _is_pattern(name):
            matches = [Path(p) for p in sorted(glob.glob(name, recursive=True))]
            _add_files(found, name, [p for p in matches if p.is_file()], "inga filer matchar")
        elif Path(name).is_dir():
            files = _walk(Path(name))
            if files is None:
                found.problems.append(
                    f"{name}: mappen har fler än {format_number(MAX_FILES)} filer; ange en "
                    'mindre mapp eller ett mönster ("mapp/**/*.yaml")'
                )
                continue
            _add_files(found, name, files, "mappen innehåller inga planfiler")
        else:
            try:
                found.add([resolve(name, folder)])
            except PlanNotFound as exc:
                found.problems.append(str(exc))
    return found


def _is_pattern(name: str) -> bool:
    return any(ch in name for ch in "*?[")


def _add_files(found: Found, name: str, files: list[Path], nothing: str) -> None:
    plans = [p for p in files if p.suffix.lower() in PLAN_SUFFIXES]
    found.add(plans)
    found.sources.append(Source(name, len(plans), len(files) - len(plans)))
    if not plans:
        found.problems.append(f"{name}: {nothing} (*.yaml, *.yml)")


def _walk(top: Path) -> list[Path] | None:
    """Every file under ``top``, sorted, without hidden files and folders or symlinked dirs;
    None when there are more than ``MAX_FILES`` (a folder named by mistake, such as ``/``)."""
    out: list[Path] = []
    for root, dirs, files in os.walk(top, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(root) / f for f in sorted(files) if not f.startswith("."))
        if len(out) > MAX_FILES:
            return None
    return out
