"""The board deck and its companions (docs/commands.md): a PowerPoint deck (python-pptx), a PDF of the
same findings (reportlab), a PNG per chart and a CSV per table (formula-safe).

One slide (one PDF page) per finding: the headline as the title, the chart as a picture, the footnote
below it; then the methods appendix. Every finding comes from `exports.findings.choose_findings` with rows
gated for the board audience, so nothing here can print a suppressed figure, a student's name or an id.
"""

from __future__ import annotations

import io
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from charts.board import EXPORT_HEIGHT, EXPORT_WIDTH
from exports.findings import BoardReport, Fetch, choose_findings
from exports.images import png_bytes, renderer
from warehouse.csv_safe import to_safe_csv

SLIDE_WIDTH_IN, SLIDE_HEIGHT_IN = 13.333, 7.5
PICTURE_HEIGHT_IN = 4.4  # the chart, between the headline and the evidence line: 9.7 of the slide's 13.3 in wide
FOOTNOTE_PT = 13
PAGE_IMAGE = (1100, 600)  # the PDF's chart: across a landscape letter page, down to the evidence line
INK_RGB = (0x1F, 0x2A, 0x37)
MUTED_RGB = (0x5F, 0x6B, 0x7A)
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF_MIME = "application/pdf"


@dataclass
class RenderedReport:
    """A report with each finding's chart drawn once as a PNG, shared by the deck, the PDF and the PNG files."""

    report: BoardReport
    images: list[bytes]  # the slide's proportions (EXPORT_WIDTH x EXPORT_HEIGHT)
    page_images: list[bytes] | None = None  # the PDF page's (PAGE_IMAGE), taller: the page is less wide


def board_report_from_db(
    db_path: str | Path | None = None, school_year: str | None = None, method: str | None = None
) -> BoardReport:
    """The findings for the whole district (every school), every query gated for the board audience."""
    import warehouse
    from queries.runner import FULL_SCOPE, run_query

    con = warehouse.connect(db_path, read_only=True, wait_seconds=30.0)
    try:
        fetch: Fetch = lambda name, params: run_query(con, name, params, FULL_SCOPE, audience="board")  # noqa: E731
        return choose_findings(fetch, school_year=school_year, method=method)
    finally:
        con.close()


def render(report: BoardReport, pages: bool = True) -> RenderedReport:
    """Every chart as a PNG for the slides, and (`pages`) again at the PDF page's proportions."""
    with renderer():
        return RenderedReport(
            report,
            [png_bytes(f.figure) for f in report.findings],
            [png_bytes(f.figure, *PAGE_IMAGE) for f in report.findings] if pages else None,
        )


_DOWNLOADS: OrderedDict[tuple, dict[str, bytes]] = OrderedDict()
_BUILDING: dict[tuple, threading.Event] = {}
_DOWNLOADS_LOCK = threading.Lock()
_KEPT_REPORTS = 8


def _build(key: tuple, report: BoardReport, done: threading.Event) -> None:
    try:
        rendered = render(report)
        made = {"pptx": pptx_bytes(rendered), "pdf": pdf_bytes(rendered)}
        with _DOWNLOADS_LOCK:
            _DOWNLOADS[key] = made
            while len(_DOWNLOADS) > _KEPT_REPORTS:
                _DOWNLOADS.popitem(last=False)
    finally:
        with _DOWNLOADS_LOCK:
            _BUILDING.pop(key, None)
        done.set()


def prebuild(key: tuple, report: BoardReport) -> None:
    """Start drawing the deck and the PDF in the background (once per key), so that the download buttons
    answer at once: drawing takes seconds (a Chromium draws each chart), a click should not wait for it.
    `key` must name everything the report depends on (warehouse version, viewer scope, school year, method),
    so one viewer's deck never reaches another. DASHBOARD_DECK_PREBUILD=0 turns it off (the test suite's
    in-process page runs, which would each start a Chromium); the first click then draws the files."""
    if os.environ.get("DASHBOARD_DECK_PREBUILD", "1") == "0":
        return
    with _DOWNLOADS_LOCK:
        if key in _DOWNLOADS or key in _BUILDING:
            return
        done = _BUILDING[key] = threading.Event()
    threading.Thread(target=_build, args=(key, report, done), name="board-deck", daemon=True).start()


def download_bytes(key: tuple, report: BoardReport, kind: str) -> bytes:
    """The deck (`pptx`) or the PDF (`pdf`) for the app's download buttons: the prebuilt file, or, when the
    background drawing has not finished (or failed), the file drawn now and kept."""
    with _DOWNLOADS_LOCK:
        done = _BUILDING.get(key)
    if done is not None:
        done.wait(timeout=120)
    with _DOWNLOADS_LOCK:
        if key in _DOWNLOADS:
            _DOWNLOADS.move_to_end(key)
            return _DOWNLOADS[key][kind]
    _build(key, report, threading.Event())
    with _DOWNLOADS_LOCK:
        return _DOWNLOADS[key][kind]


# ---------------------------------------------------------------- PowerPoint


def pptx_bytes(rendered: RenderedReport) -> bytes:
    """The deck: a cover slide, a slide per finding (its headline in the title placeholder, so outline view
    and screen readers see it; the chart with alt text stating the finding and its numbers; the evidence line
    and the footnote), then the methods and what was considered."""
    from pptx import Presentation
    from pptx.util import Inches

    report = rendered.report
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(SLIDE_WIDTH_IN), Inches(SLIDE_HEIGHT_IN)
    deck.core_properties.title = f"{report.title}, {report.subtitle}"
    deck.core_properties.author = "District proficiency dashboard"
    cover_layout, title_only = deck.slide_layouts[0], deck.slide_layouts[5]

    cover = deck.slides.add_slide(cover_layout)
    _title(cover, report.cover_title, 0.8, 2.0, 11.7, 1.6, 40)
    subtitle = cover.placeholders[1]
    subtitle.left, subtitle.top, subtitle.width, subtitle.height = (Inches(0.8), Inches(3.8), Inches(11.7), Inches(2.2))
    subtitle.text_frame.text = "\n".join(report.cover_lines)
    _style(subtitle.text_frame, 22, color=MUTED_RGB)
    cover.notes_slide.notes_text_frame.text = f"Calculation method: {report.method_label}."

    total = len(report.findings)
    for number, (finding, image) in enumerate(zip(report.findings, rendered.images), start=1):
        slide = deck.slides.add_slide(title_only)
        _text_box(
            slide,
            0.5,
            0.15,
            12.3,
            0.35,
            f"{report.title} · {report.subtitle} · finding {number} of {total}",
            12,
            color=MUTED_RGB,
        )
        _title(slide, finding.headline, 0.5, 0.45, 12.3, 1.15, 26)
        picture_width = PICTURE_HEIGHT_IN * EXPORT_WIDTH / EXPORT_HEIGHT
        picture = slide.shapes.add_picture(
            io.BytesIO(image),
            Inches((SLIDE_WIDTH_IN - picture_width) / 2),
            Inches(1.65),
            height=Inches(PICTURE_HEIGHT_IN),
        )
        picture.name = f"Chart: {finding.key}"
        _describe(picture, finding.alt_text)
        _text_box(slide, 0.5, 1.65 + PICTURE_HEIGHT_IN + 0.05, 12.3, 0.4, finding.evidence_line, 16)
        _text_box(
            slide, 0.5, 1.65 + PICTURE_HEIGHT_IN + 0.45, 12.3, 0.95, finding.footnote, FOOTNOTE_PT, color=MUTED_RGB
        )
        slide.notes_slide.notes_text_frame.text = "\n\n".join(t for t in (finding.notes, finding.footnote) if t)
    for heading, paragraphs in (("Methods and privacy", report.appendix), ("What was considered", report.considered)):
        if not paragraphs:
            continue
        slide = deck.slides.add_slide(title_only)
        _title(slide, heading, 0.5, 0.3, 12.3, 0.8, 28)
        size = 13 if sum(len(t) for _, t in paragraphs) < 3000 else 11
        body = _text_box(slide, 0.5, 1.15, 12.3, 6.2, "", size)
        frame = body.text_frame
        for i, (part, text) in enumerate(paragraphs):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            for words, bold in ((f"{part}. ", True), (text, False)):
                run = paragraph.add_run()
                run.text = words
                run.font.bold = bold
                run.font.size = _pt(size)
            paragraph.space_after = _pt(6)
        slide.notes_slide.notes_text_frame.text = f"Calculation method: {report.method_label}."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _title(slide, text: str, left: float, top: float, width: float, height: float, size: float) -> None:
    """The slide's title placeholder (what outline view, the slide sorter and screen readers read)."""
    from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
    from pptx.util import Inches

    title = slide.shapes.title
    title.left, title.top, title.width, title.height = Inches(left), Inches(top), Inches(width), Inches(height)
    frame = title.text_frame
    frame.text = text
    frame.word_wrap = True
    frame.vertical_anchor = MSO_ANCHOR.TOP
    for paragraph in frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
    _style(frame, size, bold=True)


def _describe(picture, text: str) -> None:
    """Alt text: what a screen reader says for the chart (PowerPoint's "Alt Text" box)."""
    properties = picture._element.nvPicPr.cNvPr
    properties.set("descr", text)
    properties.set("title", "")


def _style(frame, size: float, bold: bool = False, color: tuple[int, int, int] = INK_RGB) -> None:
    from pptx.dml.color import RGBColor

    for paragraph in frame.paragraphs:
        for font in [paragraph.font, *(run.font for run in paragraph.runs)]:
            font.size = _pt(size)
            font.bold = bold
            font.color.rgb = RGBColor(*color)


def _pt(size: float):
    from pptx.util import Pt

    return Pt(size)


def _text_box(
    slide,
    left: float,
    top: float,
    width: float,
    height: float,
    text: str,
    size: float,
    bold: bool = False,
    color: tuple[int, int, int] = INK_RGB,
):
    from pptx.util import Inches

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    frame.text = text
    _style(frame, size, bold, color)
    return box


# ---------------------------------------------------------------- PDF


def pdf_bytes(rendered: RenderedReport) -> bytes:
    """The same findings as a landscape PDF, one page each, then the appendix; real text, so it can be read,
    searched and checked."""
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import inch
    from reportlab.platypus import Image, PageBreak, Paragraph, SimpleDocTemplate, Spacer

    report = rendered.report
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=landscape(letter),
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.45 * inch,
        bottomMargin=0.45 * inch,
        title=f"{report.title}, {report.subtitle}",
        author="District proficiency dashboard",
    )
    small = ParagraphStyle("small", fontName="Helvetica", fontSize=11, leading=14, textColor="#4a5562")
    meta = ParagraphStyle("meta", fontName="Helvetica", fontSize=10, leading=12, textColor="#5f6b7a")
    evidence = ParagraphStyle("evidence", fontName="Helvetica", fontSize=13, leading=16, textColor="#1f2a37")
    headline = ParagraphStyle("headline", fontName="Helvetica-Bold", fontSize=20, leading=24, textColor="#1f2a37")
    cover = ParagraphStyle("cover", fontName="Helvetica-Bold", fontSize=30, leading=36, textColor="#1f2a37")
    cover_line = ParagraphStyle("cover_line", fontName="Helvetica", fontSize=16, leading=24, textColor="#4a5562")
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=11, leading=14.5, textColor="#1f2a37", spaceAfter=6)
    story = [Spacer(1, 1.6 * inch), Paragraph(_escape(report.cover_title), cover), Spacer(1, 18)]
    story += [Paragraph(_escape(line), cover_line) for line in report.cover_lines] + [PageBreak()]
    total = len(report.findings)
    images = rendered.page_images or rendered.images
    for number, (finding, image) in enumerate(zip(report.findings, images), start=1):
        image_width, image_height = PAGE_IMAGE if rendered.page_images else (EXPORT_WIDTH, EXPORT_HEIGHT)
        top = [
            Paragraph(_escape(f"{report.title} · {report.subtitle} · finding {number} of {total}"), meta),
            Spacer(1, 4),
            Paragraph(_escape(finding.headline), headline),
            Spacer(1, 8),
        ]
        bottom = [
            Spacer(1, 8),
            Paragraph(_escape(finding.evidence_line), evidence),
            Spacer(1, 6),
            Paragraph(_escape(finding.footnote), small),
        ]
        # the chart takes the page's width, or the height the texts leave when that is less (one page each)
        texts = sum(part.wrap(doc.width, doc.height)[1] for part in top + bottom)
        height = min(doc.width * image_height / image_width, doc.height - texts - 12)
        story += [
            *top,
            Image(io.BytesIO(image), width=height * image_width / image_height, height=height),
            *bottom,
            PageBreak(),
        ]
    for heading, paragraphs in (("Methods and privacy", report.appendix), ("What was considered", report.considered)):
        if not paragraphs:
            continue
        if heading != "Methods and privacy":
            story.append(PageBreak())
        story += [Paragraph(heading, headline), Spacer(1, 10)]
        for part, text in paragraphs:
            story.append(Paragraph(f"<b>{_escape(part)}.</b> {_escape(text)}", body))
    story.append(
        Paragraph(_escape(f"Calculation method: {report.method_label}. Generated {date.today():%B %-d, %Y}."), small)
    )
    doc.build(story)
    return out.getvalue()


def _escape(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ---------------------------------------------------------------- PNG and CSV files


def write_pngs(rendered: RenderedReport, folder: str | Path) -> list[Path]:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, (finding, image) in enumerate(zip(rendered.report.findings, rendered.images), start=1):
        path = folder / f"{number:02d}_{finding.slug}.png"
        path.write_bytes(image)
        paths.append(path)
    return paths


def write_csvs(report: BoardReport, folder: str | Path) -> list[Path]:
    """A CSV per finding's table (the gated rows its chart draws), safe to open in a spreadsheet."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, finding in enumerate(report.findings, start=1):
        path = folder / f"{number:02d}_{finding.slug}.csv"
        path.write_text(to_safe_csv(finding.table), encoding="utf-8", newline="")
        paths.append(path)
    return paths


def export_board(
    report: BoardReport,
    out: str | Path | None = None,
    pdf: str | Path | None = None,
    png_dir: str | Path | None = None,
    csv_dir: str | Path | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, list[Path]]:
    """Write whichever of the deck, the PDF, the PNGs and the CSVs are asked for; returns the paths."""
    written: dict[str, list[Path]] = {}
    if out or pdf or png_dir:
        rendered = render(report, pages=bool(pdf))
        if out:
            Path(out).write_bytes(pptx_bytes(rendered))
            written["pptx"] = [Path(out)]
            log(f"deck: {out} ({len(report.findings)} findings + methods appendix)")
        if pdf:
            Path(pdf).write_bytes(pdf_bytes(rendered))
            written["pdf"] = [Path(pdf)]
            log(f"pdf: {pdf}")
        if png_dir:
            written["png"] = write_pngs(rendered, png_dir)
            log(f"png: {len(written['png'])} chart(s) in {png_dir}")
    if csv_dir:
        written["csv"] = write_csvs(report, csv_dir)
        log(f"csv: {len(written['csv'])} table(s) in {csv_dir}")
    return written
