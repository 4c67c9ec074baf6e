"""The clients an economist and a board member use, for tests: LibreOffice Calc opens CSV and
XLSX files (and prints them to PDF), poppler reads the PDF back.

Each call starts a headless LibreOffice with a profile of its own under the test's tmp_path
(set to recalculate every formula on load), so tests never share or touch a user profile.
A missing program fails the test (``clients.require``), never skips it.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from clients import require

LO_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
# What a Swedish Excel does on a double-click: semicolon (the list separator of the Swedish
# locale), double quote, UTF-8 (76; the BOM says so), from row 1, standard cell format,
# Swedish locale (1053: decimal comma, ISO dates), quoted fields not forced to text, special
# numbers (dates) detected.
SWEDISH_CSV = "CSV:59,34,76,1,,1053,false,true"


def soffice(files: list[Path], target: str, out: Path, infilter: str | None = None) -> list[Path]:
    """``files`` converted by headless LibreOffice to ``target`` (xlsx, pdf) in ``out``."""
    program = require("soffice")
    profile = out.parent / f"lo-profile-{out.name}"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(LO_PROFILE, "utf-8")
    args = [program, "--headless", f"-env:UserInstallation={profile.as_uri()}"]
    if infilter:
        args.append(f"--infilter={infilter}")
    args += ["--convert-to", target, "--outdir", str(out), *map(str, files)]
    subprocess.run(args, check=True, capture_output=True, timeout=300)
    made = [out / f"{f.stem}.{target.split(':')[0]}" for f in files]
    missing = [str(m) for m in made if not m.exists()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return made


def pdf_pages(pdf: Path) -> list[str]:
    """The text of each page, as ``pdftotext -layout`` reads it."""
    program = require("pdftotext")
    text = subprocess.run(
        [program, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in points of each page (``pdfinfo``)."""
    program = require("pdfinfo")
    out = subprocess.run(
        [program, "-f", "1", "-l", "9999", str(pdf)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", out)
    return [(float(w), float(h)) for w, h in sizes]


@dataclass(frozen=True)
class Word:
    text: str
    page: int  # 1-based
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in points from the top left


def pdf_words(pdf: Path) -> list[Word]:
    """Every word with its page and box (``pdftotext -bbox``)."""
    program = require("pdftotext")
    html = subprocess.run(
        [program, "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True, timeout=120
    ).stdout
    words = []
    for page, body in enumerate(re.split(r"<page [^>]*>", html)[1:], start=1):
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            body,
        ):
            box = (float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            words.append(Word(unescape(m[5]), page, box))
    return words


def unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def is_red(pdf: Path, word: Word, tmp: Path) -> bool:
    """Whether the word is printed in red: its box on the page rendered by ``pdftoppm``."""
    from PIL import Image

    program = require("pdftoppm")
    stem = tmp / f"page-{word.page}"
    if not stem.with_suffix(".png").exists():
        pages = ["-f", str(word.page), "-l", str(word.page)]
        subprocess.run(
            [program, "-r", "144", *pages, "-png", "-singlefile", str(pdf), str(stem)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    image = Image.open(stem.with_suffix(".png")).convert("RGB")
    x0, y0, x1, y1 = (round(v * 2) for v in word.box)
    pixels = [image.getpixel((x, y)) for x in range(x0, x1) for y in range(y0, y1)]
    red = [p for p in pixels if isinstance(p, tuple) and p[0] > 150 and p[1] < 90 and p[2] < 90]
    return len(red) > 3
