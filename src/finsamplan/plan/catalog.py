"""Where plans are: ``plans/`` in the working directory, else the plans shipped inside.

A plan is named by id (``plan-2023``) or by path. An id is looked up inside the plans
folder, then among the plans shipped with finsamplan, and may not climb out of either;
anything with a slash or a ``.yaml`` suffix is taken as a path, as the user wrote it.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


class PlanNotFound(LookupError):
    """The name given is neither a plan id in the plans folder nor an existing file."""


def data_dir(name: str) -> Path:
    """A folder shipped with finsamplan (``plans`` or ``templates``)."""
    packaged = Path(str(resources.files("finsamplan"))) / "_data" / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / name  # a source checkout


def plans_dir(cwd: Path | None = None) -> Path:
    local = (cwd or Path.cwd()) / "plans"
    return local if local.is_dir() else data_dir("plans")


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
            raise PlanNotFound(f"{name}: filen finns inte")
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
    raise PlanNotFound(f"planen '{name}' finns inte i {folder} (finns: {known})")


def newest_plan(folder: Path | None = None) -> Path | None:
    plans = list_plans(folder)
    return plans[-1] if plans else None
