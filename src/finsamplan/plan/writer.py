"""A plan as YAML text: the one way finsamplan writes a plan file (``init``, ``new``, ``import``).

The text is built from the model, never by hand, so that whatever the model can hold is
written and reads back to the same plan (``tests/test_writer.py`` checks this for every
plan shipped and for generated ones). Comments can be put above any value by its path
(``("costs", "administration", 0)``), which is how ``new`` says where each figure came from
and ``import`` marks what it guessed. ruamel.yaml writes the text because it can place
comments; PyYAML, which reads plans, cannot.

Only what differs from the model's defaults is written, so the file says what was chosen.
A text that the loader (PyYAML, YAML 1.1) would read as something else (``no``, ``1_000``,
``2023-01-01``) is quoted; shares are written as Swedish percentages (``"30 %"``), column
keys that are years as numbers, amounts grouped by column on one line.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from finsamplan.base.findings import Path
from finsamplan.plan.model import Plan

__all__ = ["SCHEMA_FILE", "plan_to_yaml", "schema_modeline", "to_yaml"]

SCHEMA_FILE = "plan.schema.json"
"""The editor's schema, written beside the plans by ``finsamplan schema --write``."""

_FLOW_KEYS = {"amounts", "notes", "key", "stated"}
"""Mappings written on one line when their values are plain: ``{2023: 2140000}``."""


def plan_to_yaml(
    plan: Plan, *, header: str = "", comments: Mapping[Path, str] | None = None
) -> str:
    """The plan file's text: ``header`` as leading comment lines, then the plan."""
    data = plan.model_dump(mode="python", exclude_defaults=True, by_alias=True)
    data = {"format": plan.format, **{k: v for k, v in data.items() if k != "format"}}
    if "stated" in data:  # a total without a reason in its short form, as people write it
        data["stated"] = {
            name: total if total.get("reason") else total.get("amounts", {})
            for name, total in data["stated"].items()
        }
    return to_yaml(data, header=header, comments=comments)


def schema_modeline(
    plan_path: os.PathLike[str] | str, schema_path: os.PathLike[str] | str | None = None
) -> str:
    """The first line of a plan file finsamplan writes: where the editor finds the schema.

    ``# yaml-language-server: $schema=plan.schema.json`` makes VS Code's YAML extension (and
    any editor using yaml-language-server) complete and check the file against the schema
    that ``finsamplan schema --write`` puts beside the plans. The path is relative to the
    plan file, as the language server reads it; ``schema_path`` defaults to
    :data:`SCHEMA_FILE` in the plan's own folder. The line ends with a newline; put it
    before the text: ``schema_modeline(path) + plan_to_yaml(plan, header=…)``.
    """
    plan = os.path.abspath(plan_path)
    schema = os.path.abspath(
        schema_path if schema_path is not None else os.path.join(os.path.dirname(plan), SCHEMA_FILE)
    )
    relative = os.path.relpath(schema, os.path.dirname(plan)).replace(os.sep, "/")
    return f"# yaml-language-server: $schema={relative}\n"


def to_yaml(
    data: Mapping[str, Any], *, header: str = "", comments: Mapping[Path, str] | None = None
) -> str:
    """Any plan-shaped mapping as YAML text with comments (also for part of a plan)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.allow_unicode = True
    yaml.representer.ignore_aliases = lambda data: True  # a plan file has no aliases
    yaml.representer.add_representer(str, _represent_str)
    yaml.representer.add_representer(Decimal, _represent_share)
    tree = _tree(data, ())
    for path, text in (comments or {}).items():
        _comment(tree, path, text)
    if header:
        tree.yaml_set_start_comment(header.rstrip("\n"))
    out = io.StringIO()
    yaml.dump(tree, out)
    return _spaced(out.getvalue())


def _spaced(text: str) -> str:
    """A blank line before each top-level block (and the comment lines just above it)."""
    lines = text.split("\n")
    out: list[str] = []
    for i, line in enumerate(lines):
        head, _, rest = line.partition(":")
        block_start = line[:1].isalpha() and rest.strip() in ("", "|", "|-", ">")
        if block_start and head != "motto" and out and i > 0:
            block = len(out)
            while block > 0 and out[block - 1].startswith("#"):
                block -= 1
            if block > 0 and out[block - 1] != "":
                out.insert(block, "")
        out.append(line)
    return "\n".join(out)


def _tree(value: Any, path: Path) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, Mapping):
        node = CommentedMap()
        for k, v in value.items():
            node[_key(k)] = _tree(v, (*path, k))
        flow = path and (path[-1] in _FLOW_KEYS or path[:-1] == ("stated",))
        if flow and all(_plain(v) for v in value.values()):
            node.fa.set_flow_style()
        return node
    if isinstance(value, list | tuple):
        seq = CommentedSeq(_tree(v, (*path, i)) for i, v in enumerate(value))
        if value and all(_plain(v) and not isinstance(v, str) for v in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _key(key: Any) -> Any:
    """A column key that is a year is written as a number, as people write it."""
    if isinstance(key, str) and key.isascii() and key.isdigit() and not key.startswith("0"):
        return int(key)
    return key


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | Decimal | date) and not (
        isinstance(value, str) and "\n" in value
    )


def _represent_str(representer: Any, text: str) -> Any:
    """Quote what the loader would not read back as this text; block style for many lines."""
    tag = "tag:yaml.org,2002:str"
    if "\n" in text:
        return representer.represent_scalar(tag, text, style="|")
    if text and not _reads_as_text(text):
        return representer.represent_scalar(tag, text, style='"')
    return representer.represent_scalar(tag, text)


def _reads_as_text(text: str) -> bool:
    import yaml

    resolver: Any = yaml.resolver.Resolver()
    resolved = resolver.resolve(yaml.ScalarNode, text, (True, False))
    return bool(resolved == "tag:yaml.org,2002:str")


def _represent_share(representer: Any, share: Decimal) -> Any:
    """A share or a yearly change as a Swedish percentage: ``"30 %"``, ``"-1,5 %"``."""
    pct = (share * 100).normalize()
    text = f"{pct:f}".replace(".", ",")
    return representer.represent_scalar("tag:yaml.org,2002:str", f"{text} %", style='"')


def _comment(tree: Any, path: Path, text: str) -> None:
    """A comment on the lines above the value at ``path`` (each line of ``text`` one line).

    With ``yaml.indent(mapping=2, sequence=4, offset=2)`` the entries of every nested
    mapping or list (keys, or the ``-`` of items) start two columns right of their parent's.
    """
    if not path:
        return
    parent, column = tree, 0
    try:
        for part in path[:-1]:
            parent, column = parent[_key(part)], column + 2
        parent[_key(path[-1])]
    except (KeyError, IndexError, TypeError):
        raise ValueError(f"no value at {'.'.join(map(str, path))} to comment on") from None
    parent.yaml_set_comment_before_after_key(_key(path[-1]), before=text, indent=column)
