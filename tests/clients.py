"""The programs a person reads our documents with, driven from the tests.

Each helper fails the test (never skips) when its client is missing: .ci/run installs them
all (Debian's chromium, poppler, LibreOffice; axe-core from npm into tests/node_modules).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parent
AXE = TESTS / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# axe-core's rules for WCAG 2.0 and 2.1, levels A and AA, and its best practices (landmarks,
# one main, headings), which a screen-reader user depends on as much.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def require(name: str) -> str:
    """The path of an external program; its absence fails the test."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is required for this test (bash tests/install-clients.sh installs it)")
    return path


def run(args: list[str], timeout: int = 240) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=timeout).stdout


def pdf_pages(pdf: Path, layout: bool = False) -> list[str]:
    """The text of each page as pdftotext extracts it (reading order, or ``-layout``)."""
    exe = require("pdftotext")
    text = run([exe, *(["-layout"] if layout else []), str(pdf), "-"])
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def flat(text: str) -> str:
    """Text for comparing: case folded, soft hyphens gone, whitespace collapsed."""
    return " ".join(text.replace("\u00ad", "").replace("\u00a0", " ").split()).casefold()


def pdf_region(pdf: Path, page: int, top: float, height: float, width: float) -> str:
    """pdftotext of a band of one page (1-based), ``top`` points from the top edge."""
    exe = require("pdftotext")
    return run(
        [
            exe,
            "-f",
            str(page),
            "-l",
            str(page),
            "-x",
            "0",
            "-y",
            str(max(0, int(top))),
            "-W",
            str(int(width)),
            "-H",
            str(int(height)),
            str(pdf),
            "-",
        ]
    )


@contextmanager
def chromium_page() -> Iterator[Any]:
    """A page in Debian's Chromium (headless), driven by playwright; never a downloaded one."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is required (bash tests/install-clients.sh installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def axe(page: Any, html: Path) -> dict[str, Any]:
    """axe-core's results for the WCAG 2.1 A/AA rules (and best practices) on ``html``."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: bash tests/install-clients.sh (npm ci --prefix tests)")
    page.goto(html.resolve().as_uri())
    page.add_script_tag(content=AXE.read_text("utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return dict(result)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


class IdTexts(HTMLParser):
    """The text of every element with an id, and every id (to find repeats)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.texts: dict[str, str] = {}
        self.headings: list[tuple[int, str]] = []
        self._open: list[tuple[str, str | None, list[str]]] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        ident = dict(attrs).get("id")
        if ident:
            self.ids.append(ident)
        if tag in ("style", "script", "svg"):
            self._skip += 1
        if tag not in VOID:
            self._open.append((tag, ident, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "svg"):
            self._skip -= 1
        while self._open:
            name, ident, parts = self._open.pop()
            text = " ".join("".join(parts).split())
            if ident:
                self.texts[ident] = text
            if re.fullmatch(r"h[1-6]", name):
                self.headings.append((int(name[1]), text))
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if not self._skip:
            for _, _, parts in self._open:
                parts.append(data)


def id_texts(html: str) -> IdTexts:
    parser = IdTexts()
    parser.feed(html)
    parser.close()
    return parser


# LibreOffice set to recalculate every formula of an XLSX on load, whatever it has cached.
_LO_RECALC = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated(files: list[Path], folder: Path) -> list[Path]:
    """Each XLSX opened in headless LibreOffice (one start for all), recalculated, saved
    again into ``folder``: the values a person sees when they open the file."""
    soffice = require("soffice")
    profile = folder / "lo-profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_LO_RECALC, "utf-8")
    out = folder / "recalculated"
    args = [soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    run([*args, "--convert-to", "xlsx", "--outdir", str(out), *map(str, files)])
    return [out / f.name for f in files]
