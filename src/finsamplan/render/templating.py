"""The Jinja environment: a förbund's own templates first, the built-in ones behind them.

Templates are looked up by name in ``--templates DIR`` and then in the shipped
``templates/`` folder, so a förbund can override one file and keep the rest. HTML
templates autoescape: text from a plan can never become markup. Plan text is Markdown,
turned into HTML by markdown-it with raw HTML disabled.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from html import escape
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.money import format_kronor
from finsamplan.base.words import counted, severity_counts
from finsamplan.plan.catalog import data_dir
from finsamplan.render.prose import Prose, parser

_ASSETS: ContextVar[Path | None] = ContextVar("finsamplan_assets", default=None)


@contextmanager
def images_from(assets: Path | None) -> Iterator[None]:
    """Render the plan's Markdown with its images taken from ``assets`` (else none at all)."""
    token = _ASSETS.set(assets)
    try:
        yield
    finally:
        _ASSETS.reset(token)


def _image(renderer: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    """An image of the plan's text: embedded if it is one of the plan's assets, else its alt
    text (plan/images.py says why; ``validate`` reports it as IMG001)."""
    from finsamplan.plan.images import RefusedImage, asset, data_uri

    token = tokens[idx]
    alt = escape(renderer.renderInlineAsText(token.children or [], options, env))
    try:
        uri = data_uri(asset(str(token.attrGet("src") or ""), _ASSETS.get()))
    except RefusedImage:
        return f'<span class="bild-utelamnad">[bild: {alt}]</span>'
    return f'<img src="{uri}" alt="{alt}">'


class TemplateFolderMissing(FinsamplanError, FileNotFoundError):
    """``--templates`` names a folder that does not exist."""


def _with_images() -> Any:
    """The plan Markdown parser (prose.parser), rendering images through ``_image``."""
    md = parser()
    if getattr(md.renderer.rules.get("image"), "__func__", None) is not _image:
        md.add_render_rule("image", _image)
    return md


def markdown_html(text: str | None) -> str:
    """Markdown to HTML with raw HTML escaped (``<script>`` comes out as text)."""
    _with_images()
    return Prose().html(text)


def markdown_inline(text: str | None) -> str:
    return str(_with_images().renderInline(text or ""))


def _prose(context: Any) -> Prose:
    """The document's running prose state (footnote numbers), passed as ``prose`` by the
    renderer; a template rendered without one numbers each block on its own."""
    _with_images()
    prose = context.get("prose")
    return prose if isinstance(prose, Prose) else Prose()


@jinja2.pass_context
def _markdown_filter(context: Any, text: str | None, level: int | None = None) -> Markup:
    return Markup(_prose(context).html(text, level))


@jinja2.pass_context
def _md_block_filter(context: Any, text: str | None, level: int | None = None) -> str:
    return _prose(context).markdown(text, level).strip()


def md_cell(text: str) -> str:
    """Text for a Markdown table cell: pipes escaped, line breaks folded."""
    return re.sub(r"[ \t\r\n]+", " ", text.replace("|", "\\|")).strip()


def md_text(text: str) -> str:
    """Plain text for a Markdown line: a leading "1." would start an ordered list."""
    return re.sub(r"^(\d+)\.(?=\s)", r"\1\\.", text)


def render_template(env: jinja2.Environment, name: str, **values: Any) -> str:
    """Render one whole document: its Markdown blocks share one :class:`Prose`, so footnote
    numbers run through the document."""
    return env.get_template(name).render(prose=Prose(), **values)


def environment(templates: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates is not None:
        if not templates.is_dir():
            raise TemplateFolderMissing(str(templates))
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.FileSystemLoader(str(data_dir("templates"))))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2", "svg")),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kr"] = format_kronor
    env.globals["severity_counts"] = severity_counts
    env.globals["counted"] = counted
    env.filters["markdown"] = _markdown_filter
    env.filters["md_block"] = _md_block_filter
    env.filters["markdown_inline"] = lambda text: Markup(markdown_inline(text))
    env.filters["md_cell"] = md_cell
    env.filters["md_text"] = md_text
    env.filters["md_bold"] = lambda text: f"**{md_cell(text)}**"
    return env
