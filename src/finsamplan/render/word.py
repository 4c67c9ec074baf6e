"""Word building blocks over python-docx: what the plan, the memo and the follow-up report
need to be a document a förbundschef can finish in Word.

- Headings use Word's own "Heading 1…6" styles, so the navigation pane and a table of
  contents field (inserted here, updated by Word when the file opens) work.
- Tables repeat their header row on every page and keep each row on one page; amounts are
  right-aligned in the Swedish format the HTML shows (``1 250 000``).
- Charts are PNG images with their description as alternative text.
- Plan prose (Markdown) becomes paragraphs, lists, quotes, links and tables; footnotes are
  numbered through the document, as in the HTML and PDF (:mod:`finsamplan.render.prose`).
- The document language is Swedish (sv-SE), for Word's spelling and for screen readers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from finsamplan.render.prose import parser
from finsamplan.render.view import Chart

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

HEAD_FILL = "DCE6F1"
FONT = "Arial"  # in every Word; LibreOffice shows it as the metric-compatible Liberation Sans
LANGUAGE = "sv-SE"


def _el(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def _field(paragraph: Paragraph, instruction: str, shown: str = "") -> None:
    """A simple field (PAGE, NUMPAGES …) whose result Word computes."""
    run = paragraph.add_run()
    run._r.append(_el("w:fldChar", fldCharType="begin"))
    instr = _el("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    run._r.append(_el("w:fldChar", fldCharType="separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(_el("w:fldChar", fldCharType="end"))


class Word:
    """One Word document being written, top to bottom."""

    def __init__(self, title: str, running: str = "", author: str = "") -> None:
        from docx import Document

        self.doc: DocxDocument = Document()
        self.footnotes = 0
        self._setup(title, running, author)

    # --- the document as a whole ---------------------------------------------------------

    def _setup(self, title: str, running: str, author: str) -> None:
        from docx.enum.style import WD_STYLE_TYPE
        from docx.oxml.ns import qn
        from docx.shared import Cm, Pt

        props = self.doc.core_properties
        props.title, props.language, props.author = title, LANGUAGE, author
        props.comments = "Skapad med finsamplan."
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = _el("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), LANGUAGE)
        fonts = rpr.find(qn("w:rFonts"))
        for attr in list(fonts.attrib):
            fonts.attrib.pop(attr)
        for attr in ("ascii", "hAnsi", "cs", "eastAsia"):
            fonts.set(qn(f"w:{attr}"), FONT)
        for style in self.doc.styles:
            rfonts = style.element.find(qn("w:rPr") + "/" + qn("w:rFonts"))
            if rfonts is not None:
                for attr in list(rfonts.attrib):
                    rfonts.attrib.pop(attr)
        self.doc.styles["Normal"].font.size = Pt(10)
        for level in (1, 2, 3):
            style = self.doc.styles.add_style(f"toc {level}", WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = self.doc.styles["Normal"]
            style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
            style.paragraph_format.space_after = Pt(2)
        self.doc.settings.element.append(_el("w:updateFields", val="true"))
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin, section.right_margin = Cm(2.0), Cm(1.8)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2.0)
        section.different_first_page_header_footer = True
        self._header_footer(section, running)

    def _header_footer(self, section: Any, running: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        section.header.is_linked_to_previous = False
        head = section.header.paragraphs[0]
        head.text = running
        for run in head.runs:
            run.font.size = Pt(8.5)
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        foot.add_run("Sida ")
        _field(foot, "PAGE", "1")
        foot.add_run(" av ")
        _field(foot, "NUMPAGES", "1")
        for run in foot.runs:
            run.font.size = Pt(8.5)

    def bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.doc.save(buffer)
        return buffer.getvalue()

    def page_break(self) -> None:
        from docx.enum.text import WD_BREAK

        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def section(self, landscape: bool) -> None:
        """A new page in a new section, landscape (wide tables) or portrait."""
        from docx.enum.section import WD_ORIENT, WD_SECTION

        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        width, height = sorted((section.page_width or 0, section.page_height or 0))
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = height, width
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = width, height

    # --- text ----------------------------------------------------------------------------

    def heading(self, text: str, level: int) -> Paragraph:
        paragraph: Paragraph = self.doc.add_heading(text, max(1, min(6, level)))
        return paragraph

    def para(
        self, text: str = "", style: str | None = None, bold: bool = False, size: float = 0
    ) -> Paragraph:
        from docx.shared import Pt

        paragraph = self.doc.add_paragraph(style=style)
        if text:
            run = paragraph.add_run(text)
            run.bold = bold or None
            if size:
                run.font.size = Pt(size)
        return paragraph

    def bullets(self, items: Sequence[str], style: str = "List Bullet") -> None:
        for item in items:
            self.doc.add_paragraph(item, style=style)

    def toc(self, entries: Sequence[tuple[str, int]]) -> None:
        """Word's table of contents field (headings 1–3), shown with the entries until Word
        updates it with page numbers when the document opens."""
        if not entries:
            return
        first = self.doc.add_paragraph(style=f"toc {min(entries[0][1], 3)}")
        begin = first.add_run()
        begin._r.append(_el("w:fldChar", fldCharType="begin"))
        instr = _el("w:instrText")
        instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        instr.text = ' TOC \\o "1-3" \\h \\z \\u '
        begin._r.append(instr)
        begin._r.append(_el("w:fldChar", fldCharType="separate"))
        first.add_run(entries[0][0])
        last = first
        for label, level in entries[1:]:
            last = self.doc.add_paragraph(label, style=f"toc {min(level, 3)}")
        last.add_run()._r.append(_el("w:fldChar", fldCharType="end"))

    # --- tables and images ---------------------------------------------------------------

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        kinds: Sequence[str] = (),
        numeric: Sequence[bool] = (),
    ) -> Table:
        """A table whose header row repeats on each page; ``kinds`` per row: row, part,
        total, grand (bold); ``numeric`` per column: right-aligned."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm, Pt

        table: Table = self.doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
        right = list(numeric) or [i > 0 for i in range(len(header))]
        for r, cells in enumerate([header, *rows]):
            row = table.rows[r]
            trpr = row._tr.get_or_add_trPr()
            trpr.append(_el("w:cantSplit", val="true"))
            if r == 0:
                trpr.append(_el("w:tblHeader", val="true"))
            kind = "head" if r == 0 else (kinds[r - 1] if kinds else "row")
            for c, text in enumerate(cells):
                cell = row.cells[c]
                cell.width = Cm(widths[c])
                paragraph = cell.paragraphs[0]
                lines = str(text).split("\n")
                run = paragraph.add_run(lines[0])
                for more in lines[1:]:
                    run.add_break()
                    run = paragraph.add_run(more)
                for each in paragraph.runs:
                    each.font.size = Pt(9)
                    each.bold = kind in ("head", "total", "grand") or None
                    each.italic = kind == "part" or None
                if right[c]:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if kind == "part" and c == 0:
                    paragraph.paragraph_format.left_indent = Cm(0.5)
                if r == 0:
                    cell._tc.get_or_add_tcPr().append(_el("w:shd", val="clear", fill=HEAD_FILL))
                # a short table stays on one page: each row keeps with the next
                paragraph.paragraph_format.keep_with_next = r < len(rows) and len(rows) <= 25
        self.doc.add_paragraph()
        return table

    def image(self, chart: Chart, width_cm: float = 16.0) -> None:
        """The chart as a picture with its description as alternative text, and a caption."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Cm

        self.doc.add_picture(io.BytesIO(chart.png), width=Cm(width_cm))
        picture = self.doc.paragraphs[-1]
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for prop in picture._p.xpath(".//wp:docPr"):
            prop.set("title", chart.title)
            prop.set("descr", chart.description or chart.title)
        caption = self.doc.add_paragraph(chart.title, style="Caption")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    # --- prose ---------------------------------------------------------------------------

    def prose(self, text: str | None, level: int | None = None) -> None:
        """A block of plan Markdown; its headings go below ``level`` (the heading above)."""
        if not text:
            return
        env: dict[str, Any] = {"fn_offset": self.footnotes}
        tokens = parser().parse(text, env)
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        shift = level + 1 - min(levels) if levels and level is not None else 0
        _Prose(self, shift, self.footnotes).walk(tokens)
        self.footnotes += len(env.get("footnotes", {}).get("list", {}))


class _Prose:
    """Walks markdown-it's tokens of one block into Word paragraphs."""

    def __init__(self, word: Word, shift: int, offset: int) -> None:
        self.word, self.shift, self.offset = word, shift, offset
        self.lists: list[list[int]] = []  # per open list: [ordered, next number]
        self.quote = 0
        self.note: int | None = None
        self.table: list[list[str]] | None = None

    def walk(self, tokens: list[Any]) -> None:
        i = 0
        while i < len(tokens):
            i = self.block(tokens, i) + 1

    def block(self, tokens: list[Any], i: int) -> int:
        t = tokens[i]
        kind = t.type
        if kind == "heading_open":
            self.word.heading(_plain(tokens[i + 1]), int(t.tag[1]) + self.shift)
            return i + 2
        if kind in ("bullet_list_open", "ordered_list_open"):
            self.lists.append([kind == "ordered_list_open", int(t.attrs.get("start", 1) or 1)])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            self.lists.pop()
        elif kind == "blockquote_open":
            self.quote += 1
        elif kind == "blockquote_close":
            self.quote -= 1
        elif kind == "footnote_block_open":
            self.word.para("—" * 6, size=8)
        elif kind == "footnote_open":
            self.note = int(t.meta["id"]) + 1 + self.offset
        elif kind == "footnote_close":
            self.note = None
        elif kind == "table_open":
            return self.md_table(tokens, i)
        elif kind in ("fence", "code_block"):
            self.word.para(t.content.rstrip("\n"), style="No Spacing")
        elif kind == "inline":
            self.inline(tokens, i)
        return i

    def inline(self, tokens: list[Any], i: int) -> None:
        from docx.shared import Pt

        opener = tokens[i - 1] if i else None
        in_item = opener is not None and opener.type == "paragraph_open" and self.lists
        style = None
        prefix = ""
        if in_item:
            depth = min(len(self.lists), 3)
            ordered, number = self.lists[-1]
            if ordered:
                style = "List" if depth == 1 else f"List {depth}"
                prefix = f"{number}. "
                self.lists[-1][1] += 1
            else:
                style = "List Bullet" if depth == 1 else f"List Bullet {depth}"
        elif self.quote:
            style = "Quote"
        paragraph = self.word.doc.add_paragraph(style=style)
        if self.note is not None:
            paragraph.add_run(f"{self.note}. ")
        if prefix:
            paragraph.add_run(prefix)
        _runs(paragraph, tokens[i].children or [], self.offset)
        if self.note is not None:
            for run in paragraph.runs:
                run.font.size = Pt(8)

    def md_table(self, tokens: list[Any], i: int) -> int:
        rows: list[list[str]] = []
        while tokens[i].type != "table_close":
            t = tokens[i]
            if t.type == "tr_open":
                rows.append([])
            elif t.type == "inline" and rows:
                rows[-1].append(_plain(t))
            i += 1
        if rows:
            width = 17.0 / max(1, len(rows[0]))
            self.word.table(
                rows[0], rows[1:], [width] * len(rows[0]), numeric=[False] * len(rows[0])
            )
        return i


def _plain(token: Any) -> str:
    return "".join(
        c.content if c.type in ("text", "code_inline") else " " if "break" in c.type else ""
        for c in token.children or []
    ).strip()


def _runs(paragraph: Paragraph, children: list[Any], offset: int) -> None:
    """Inline Markdown (emphasis, links, code, line breaks, footnote marks) as runs."""
    bold = italic = False
    link: str | None = None
    for c in children:
        if c.type in ("strong_open", "strong_close"):
            bold = c.type == "strong_open"
        elif c.type in ("em_open", "em_close"):
            italic = c.type == "em_open"
        elif c.type == "link_open":
            link = str(c.attrs.get("href", ""))
        elif c.type == "link_close":
            link = None
        elif c.type == "softbreak":
            paragraph.add_run(" ")
        elif c.type == "hardbreak":
            paragraph.add_run().add_break()
        elif c.type == "footnote_ref":
            paragraph.add_run(str(int(c.meta["id"]) + 1 + offset)).font.superscript = True
        elif c.type in ("text", "code_inline", "image"):
            text = c.content if c.type != "image" else c.content or "bild"
            if link and link.startswith(("http://", "https://", "mailto:")):
                _hyperlink(paragraph, link, text, bold, italic)
            else:
                run = paragraph.add_run(text)
                run.bold, run.italic = bold or None, italic or None


def _hyperlink(paragraph: Paragraph, url: str, text: str, bold: bool, italic: bool) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml.ns import qn

    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = _el("w:hyperlink")
    link.set(qn("r:id"), rel)
    run = _el("w:r")
    rpr = _el("w:rPr")
    rpr.append(_el("w:color", val="23415F"))
    rpr.append(_el("w:u", val="single"))
    if bold:
        rpr.append(_el("w:b"))
    if italic:
        rpr.append(_el("w:i"))
    run.append(rpr)
    t = _el("w:t")
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    run.append(t)
    link.append(run)
    paragraph._p.append(link)
