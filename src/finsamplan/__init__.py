"""finsamplan: the verksamhets- och budgetplan of a Swedish samordningsförbund as data.

The package is layered so that a plan reads downward (docs/architecture.md):
``base`` (money, findings, safe files) → ``plan`` (model, YAML with places, catalog) →
``figures`` (budget, actuals) → ``judge`` (rules, criteria) → ``year`` (forecast,
follow-up, next plan, compare) → ``render`` → ``cli``. Nothing below ``cli`` imports
typer or rich.

The modules lived at the top of the package before 0.2; ``finsamplan.budget`` and the
other old names still import, as aliases of their new homes.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
from collections.abc import Sequence
from types import ModuleType

__version__ = "0.2.0"

_MOVED = {
    "money": "base.money",
    "findings": "base.findings",
    "outputs": "base.outputs",
    "catalog": "plan.catalog",
    "model": "plan.model",
    "yamlsource": "plan.yamlsource",
    "loader": "plan.loader",
    "references": "plan.references",
    "placeholders": "plan.placeholders",
    "budget": "figures.budget",
    "actuals": "figures.actuals",
    "rules": "judge.rules",
    "criteria": "judge.criteria",
    "forecast": "year.forecast",
    "followup": "year.followup",
    "newplan": "year.newplan",
    "compare": "year.compare",
    "report": "cli.report",
}


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Imports ``finsamplan.budget`` as ``finsamplan.figures.budget`` (the same module)."""

    def find_spec(
        self,
        name: str,
        path: Sequence[str] | None = None,
        target: ModuleType | None = None,
    ) -> importlib.machinery.ModuleSpec | None:
        short = name.removeprefix(__name__ + ".")
        if short == name or short not in _MOVED:
            return None
        return importlib.util.spec_from_loader(name, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(f"{__name__}.{_MOVED[spec.name.rsplit('.', 1)[1]]}")

    def exec_module(self, module: ModuleType) -> None:
        """The module is the real one, already executed."""


sys.meta_path.append(_Alias())
