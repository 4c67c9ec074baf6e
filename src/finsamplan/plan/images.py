"""Images in a plan's text: taken only from the ``assets/`` folder beside the plan file.

Markdown lets a text say ``![logga](http://host/x.svg)``; rendered as it stands, the PDF
renderer would fetch that address (a request any plan file could make from the machine
that renders it, and a way to see who reads the document), and a browser would do the same
with the HTML. So an image is used only when its path names a regular file under
``assets/`` next to the plan file, of a picture type, within a size bound: it is then
embedded in the HTML and the PDF. Any other image is left out (its alt text is shown) and
``validate`` says so with the place of the text.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from finsamplan.base.errors import FinsamplanError
from finsamplan.base.findings import Finding, Path, Severity
from finsamplan.base.inputs import InputError, read_input

if TYPE_CHECKING:
    from finsamplan.plan.model import Plan

ASSETS = "assets"
MAX_IMAGE_BYTES = 5 * 1024 * 1024
TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


class RefusedImage(FinsamplanError, ValueError):
    """Why an image of the plan's text is not used, in Swedish."""


def assets_folder(plan_file: FsPath) -> FsPath:
    return plan_file.resolve().parent / ASSETS


def asset(src: str, assets: FsPath | None) -> FsPath:
    """The file an image reference names, if it is one the plan may use; else RefusedImage."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith(("/", "\\")):
        raise RefusedImage("bilder hämtas inte från nätet eller från andra mappar")
    relative = unquote(parts.path)
    if not relative.startswith(f"{ASSETS}/") or assets is None:
        raise RefusedImage(f"bara bilder i mappen {ASSETS}/ bredvid planfilen tas med")
    try:
        folder = assets.resolve()
        path = (folder.parent / relative).resolve()  # symbolic links followed, then checked
        inside = path.is_relative_to(folder)
        exists = inside and path.is_file()
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        raise RefusedImage("sökvägen går inte att läsa") from None
    if not inside:
        raise RefusedImage(f"sökvägen leder ut ur mappen {ASSETS}/")
    if path.suffix.lower() not in TYPES:
        raise RefusedImage(f"bara bilder av typerna {', '.join(sorted(TYPES))} tas med")
    if not exists:
        raise RefusedImage(f"filen {relative} finns inte")
    return path


def data_uri(path: FsPath) -> str:
    """The image as a ``data:`` URI: the HTML and the PDF then need no file beside them."""
    try:
        data = read_input(path, MAX_IMAGE_BYTES, "en bild")
    except InputError as exc:
        raise RefusedImage(str(exc)) from None
    encoded = base64.b64encode(data).decode("ascii")
    return f"data:{TYPES[path.suffix.lower()]};base64,{encoded}"


def image_sources(text: str) -> list[str]:
    """The address of every image a Markdown text shows (inline and reference style)."""
    if "![" not in text:
        return []
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    return [
        str(child.attrGet("src") or "")
        for token in tokens
        for child in token.children or []
        if child.type == "image"
    ]


def findings(plan: Plan, plan_file: FsPath) -> list[Finding]:
    """A warning, with its place, for each image of the plan's text that will be left out."""
    if "![" not in plan.model_dump_json():  # JSON writes "![" as it is: no text has an image
        return []  # (most plans; walking every text of a plan costs ten times as much)
    assets = assets_folder(plan_file)
    out = []
    for path, text in _strings(plan.model_dump(), ()):
        for src in image_sources(text):
            try:
                asset(src, assets)
            except RefusedImage as exc:
                shown = src if len(src) <= 80 else src[:79] + "…"
                out.append(
                    Finding(
                        "IMG001",
                        Severity.WARNING,
                        f"bilden '{shown}' tas inte med i dokumentet: {exc}; dess alt-text "
                        "visas i stället",
                        path=path,
                    )
                )
    return out


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))
