"""The plan's prose (Markdown) as one document shows it.

A plan's texts are separate Markdown blocks (one per section, insats field, …), but a reader
sees one document. Two things must therefore hold across blocks, which a per-block Markdown
renderer cannot know:

- footnotes are numbered through the whole document (the seed's footnote 4 in section 5.7
  is 4, not 1), with ids that never repeat, so every footnote link lands on its own note;
- a heading inside a text nests under the heading of the section that holds it (a ``###``
  in an appendix text is one level below the appendix's own heading, whatever its level).

One :class:`Prose` per rendered document carries the running footnote count.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

FOOTNOTE_LABEL = re.compile(r"\[\^([^\]\s]+)\]")
ATX = re.compile(r"^( {0,3})#{1,6}(?=[ \t]|$)")


@lru_cache(maxsize=1)
def parser() -> Any:
    """CommonMark with tables and footnotes, raw HTML escaped, footnote output numbered from
    the document's running count (``env["fn_offset"]``)."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin

    md = MarkdownIt("commonmark", {"html": False, "typographer": False})
    md.enable("table")
    md.use(footnote_plugin)
    md.add_render_rule("footnote_anchor_name", _anchor_name)
    md.add_render_rule("footnote_caption", _caption)
    md.add_render_rule("footnote_block_open", _block_open)
    md.add_render_rule("footnote_block_close", _block_close)
    md.add_render_rule("footnote_anchor", _backref)
    return md


def _number(tokens: Any, idx: int, env: Any) -> int:
    return int(tokens[idx].meta["id"]) + 1 + int(env.get("fn_offset", 0))


def _anchor_name(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return str(_number(tokens, idx, env))


def _caption(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return str(_number(tokens, idx, env))


def _block_open(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    offset = int(env.get("fn_offset", 0))
    # start= for browsers, the counter for WeasyPrint, which ignores start=
    return (
        '<hr class="footnotes-sep">\n<div class="footnotes">\n'
        f'<ol class="footnotes-list" start="{offset + 1}" '
        f'style="counter-reset: list-item {offset}">\n'
    )


def _block_close(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    return "</ol>\n</div>\n"


def _backref(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """A link back to the reference, for the screen; print hides it (``.footnote-backref``)."""
    ident = str(_number(tokens, idx, env))
    if tokens[idx].meta.get("subId", 0) > 0:
        ident += f":{tokens[idx].meta['subId']}"
    return (
        f' <a href="#fnref{ident}" class="footnote-backref" '
        f'aria-label="Tillbaka till hänvisning {_number(tokens, idx, env)}">\u21a9\ufe0e</a>'
    )


def _heading_shift(tokens: list[Any], level: int | None) -> int:
    """How many levels the text's headings move so the highest is ``level + 1``."""
    if level is None:
        return 0
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    return level + 1 - min(levels) if levels else 0


class Prose:
    """Renders the Markdown blocks of one document in reading order."""

    def __init__(self) -> None:
        self.footnotes = 0

    def html(self, text: str | None, level: int | None = None) -> str:
        """HTML of one block. ``level``: the heading level (1–6) of the heading above it."""
        md = parser()
        env: dict[str, Any] = {"fn_offset": self.footnotes}
        tokens = md.parse(text or "", env)
        shift = _heading_shift(tokens, level)
        if shift:
            for t in tokens:
                if t.type in ("heading_open", "heading_close"):
                    t.tag = f"h{max(1, min(6, int(t.tag[1]) + shift))}"
        out = str(md.renderer.render(tokens, md.options, env))
        self.footnotes += len(env.get("footnotes", {}).get("list", {}))
        return out

    def markdown(self, text: str | None, level: int | None = None) -> str:
        """The block as Markdown again, footnotes relabelled with their number in the document
        and headings moved under ``level`` (the ``#`` count of the heading above it)."""
        source = text or ""
        md = parser()
        env: dict[str, Any] = {}
        tokens = md.parse(source, env)
        numbers = {
            str(child.meta["label"]): self.footnotes + int(child.meta["id"]) + 1
            for t in tokens
            if t.type == "inline"
            for child in t.children or []
            if child.type == "footnote_ref" and child.meta.get("label") is not None
        }
        self.footnotes += len(env.get("footnotes", {}).get("list", {}))
        lines = source.split("\n")
        shift = _heading_shift(tokens, level)
        if shift:
            _move_headings(tokens, lines, shift)
        out = "\n".join(line for line in lines if line is not None)
        if numbers:
            out = FOOTNOTE_LABEL.sub(
                lambda m: f"[^{numbers[m.group(1)]}]" if m.group(1) in numbers else m.group(0),
                out,
            )
        return out


def _move_headings(tokens: list[Any], lines: list[Any], shift: int) -> None:
    """Rewrite heading lines in place as ATX headings ``shift`` levels deeper (or higher)."""
    for t in tokens:
        if t.type != "heading_open" or t.map is None:
            continue
        first, end = t.map
        new = max(1, min(6, int(t.tag[1]) + shift))
        if t.markup.startswith("#"):
            lines[first] = ATX.sub(lambda m: str(m.group(1)) + "#" * new, lines[first])  # noqa: B023
        else:  # setext: text lines, then the ===/--- underline
            content = " ".join(str(x).strip() for x in lines[first : end - 1])
            lines[first] = "#" * new + " " + content
            for i in range(first + 1, end):
                lines[i] = None
