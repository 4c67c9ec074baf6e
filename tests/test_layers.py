"""The package is layered: each folder imports only folders below it (docs/architecture.md)."""

from __future__ import annotations

import ast

from conftest import ROOT

LAYERS = ("base", "plan", "figures", "judge", "year", "render", "web", "cli")
PACKAGE = ROOT / "src" / "finsamplan"


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every finsamplan module a file imports, at any depth (also inside functions)."""
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "finsamplan":
                out += [(node.lineno, f"finsamplan.{a.name}") for a in node.names]
            elif node.module.startswith("finsamplan."):
                out.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("finsamplan.")]
    return out


def test_every_folder_imports_only_folders_below_it() -> None:
    wrong = []
    for layer in LAYERS:
        rank = LAYERS.index(layer)
        for path in sorted((PACKAGE / layer).rglob("*.py")):
            for line, module in _imports(ast.parse(path.read_text("utf-8"))):
                target = module.split(".")[1]
                if target in LAYERS and LAYERS.index(target) > rank:
                    wrong.append(f"{path.relative_to(ROOT)}:{line}: {module}")
    assert wrong == []


def test_every_module_lives_in_a_layer() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert top == ["__init__.py", "__main__.py"]
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name[0] not in "_.")
    assert folders == sorted(LAYERS)
