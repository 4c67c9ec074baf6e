"""The pages' templates: the app's own (``web/…``) beside the plan document's partials.

The app's templates live in ``finsamplan/web/templates`` and are named ``web/NAME``; the
document's (``section.html.j2``, ``budget.html.j2``, ``criteria.html.j2`` …) come from the
same folder ``render`` uses, so the document page shows the plan exactly as it is
published, with the same filters (``kr``, ``markdown``).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finsamplan.base.findings import Severity
from finsamplan.base.money import format_kronor, format_share
from finsamplan.base.words import counted

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def kr(value: int | None, sign: bool = False) -> str:
    return "–" if value is None else format_kronor(value, sign=sign)


if TYPE_CHECKING:
    import jinja2


@functools.cache
def environment() -> jinja2.Environment:
    """Built on the first page, not at start (Jinja2 and Markdown take a while to import)."""
    import jinja2

    from finsamplan.render.templating import environment as document_environment

    env = document_environment()
    assert env.loader is not None
    own = jinja2.PrefixLoader({"web": jinja2.FileSystemLoader(str(TEMPLATES))})
    env.loader = jinja2.ChoiceLoader([own, env.loader])
    env.filters["share"] = format_share
    env.filters["kr_or_dash"] = kr
    env.globals["sev"] = Severity
    env.globals["counted"] = counted
    return env


def render(name: str, **context: Any) -> str:
    return environment().get_template(f"web/{name}").render(**context)
