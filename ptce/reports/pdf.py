"""The yearly report as a PDF, drawn server-side with ReportLab from the same layout as the page.

ReportLab is pure Python (no system library), and its standard Helvetica covers French text (accents, « »,
œ, €). Every cell is a Paragraph so that long labels wrap instead of overflowing the A4 width.
"""

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
from reportlab.platypus import Table as PdfTable

from .layout import Section, Table, report_sections, report_subtitle, report_title
from .types import PoleReport

MARGIN = 18 * mm
LABEL_SHARE = 0.46  # of the text width, for the first (label) column; numbers share the rest
BRAND = colors.HexColor("#0b6e4f")
WASH = colors.HexColor("#f3f6f8")
LINE = colors.HexColor("#d5dbe3")


def _styles() -> dict[str, ParagraphStyle]:
    sheet = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=sheet["BodyText"], fontName="Helvetica", fontSize=9, leading=11.5)
    return {
        "title": ParagraphStyle("title", parent=sheet["Title"], fontName="Helvetica-Bold", textColor=BRAND),
        "subtitle": ParagraphStyle("subtitle", parent=body, alignment=1, textColor=colors.HexColor("#4d5866")),
        "h2": ParagraphStyle("h2", parent=sheet["Heading2"], fontName="Helvetica-Bold", textColor=BRAND),
        "caption": ParagraphStyle("caption", parent=body, fontName="Helvetica-Bold", spaceBefore=6, spaceAfter=3),
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10, textColor=colors.HexColor("#4d5866")),
        "cell": body,
        "number": ParagraphStyle("number", parent=body, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName="Helvetica-Bold"),
        "head_number": ParagraphStyle("head_number", parent=body, fontName="Helvetica-Bold", alignment=TA_RIGHT),
    }


def render_report_pdf(report: PoleReport) -> bytes:
    buffer = BytesIO()
    title = report_title(report)
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=_("Plateforme PTCE"),
        subject=_("Indicateurs annuels du pôle territorial de coopération économique"),
    )
    styles = _styles()
    story = [Paragraph(escape(title), styles["title"]), Paragraph(escape(report_subtitle(report)), styles["subtitle"])]
    for section in report_sections(report):
        story += _section(section, styles, document.width)
    document.build(story, onFirstPage=_page_footer, onLaterPages=_page_footer)
    return buffer.getvalue()


def _section(section: Section, styles, width: float) -> list:
    flowables = [Paragraph(escape(section.title), styles["h2"])]
    for table in section.tables:
        caption = Paragraph(escape(table.caption), styles["caption"])
        if table.rows:
            flowables.append(KeepTogether([caption, _table(table, styles, width)]))
        else:
            flowables += [caption, Paragraph(escape(table.empty), styles["cell"])]
    if section.note:
        flowables += [Spacer(1, 2 * mm), Paragraph(escape(section.note), styles["note"])]
    return flowables


def _table(table: Table, styles, width: float) -> PdfTable:
    def cells(values, header: bool = False) -> list:
        return [
            Paragraph(escape(value), _cell_style(styles, column.numeric, header))
            for value, column in zip(values, table.columns, strict=True)
        ]

    data = [cells([column.label for column in table.columns], header=True)]
    data += [cells(row) for row in table.rows]
    if table.footer:
        data.append(cells(table.footer, header=True))
    others = len(table.columns) - 1
    widths = [width * LABEL_SHARE] + [width * (1 - LABEL_SHARE) / others] * others if others else [width]
    pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), WASH),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
        ("BOX", (0, 0), (-1, -1), 0.5, LINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if table.footer:
        style.append(("BACKGROUND", (0, -1), (-1, -1), WASH))
    pdf_table.setStyle(TableStyle(style))
    return pdf_table


def _cell_style(styles, numeric: bool, header: bool) -> ParagraphStyle:
    if header:
        return styles["head_number"] if numeric else styles["head"]
    return styles["number"] if numeric else styles["cell"]


def _page_footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.HexColor("#4d5866"))
    text = _("%(title)s — page %(page)s") % {"title": document.title, "page": document.page}
    canvas.drawRightString(A4[0] - MARGIN, MARGIN / 2, text)
    canvas.restoreState()
