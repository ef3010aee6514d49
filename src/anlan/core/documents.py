"""Official documents: consecutive numbers and PDF rendering with an embedded Chinese font."""

from __future__ import annotations

import io
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction

from anlan.core.models import DocumentCounter

FONT_CANDIDATES = [
    os.environ.get("ANLAN_CJK_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
FONT_NAME = "AnlanCJK"


def next_number(issuer: str, kind: str, year: int) -> int:
    """The next number for (issuer, kind, year); safe under concurrent issuing."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DocumentCounter.objects.get_or_create(issuer=issuer, kind=kind, year=year)
        except IntegrityError:
            pass  # created concurrently by another request
        counter = DocumentCounter.objects.select_for_update().get(
            issuer=issuer, kind=kind, year=year
        )
        counter.last += 1
        counter.save(update_fields=["last"])
        return counter.last


def cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME in pdfmetrics.getRegisteredFontNames():
        return FONT_NAME
    for candidate in FONT_CANDIDATES:
        if candidate and Path(candidate).exists():
            from reportlab.lib.fonts import addMapping

            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate, subfontIndex=0))
            # One weight only: bold and italic map to the same face.
            for bold in (0, 1):
                for italic in (0, 1):
                    addMapping(FONT_NAME, bold, italic, FONT_NAME)
            return FONT_NAME
    raise ImproperlyConfigured(
        "No Chinese font for PDF documents: apt-get install fonts-wqy-zenhei, "
        "or set ANLAN_CJK_FONT to a .ttf/.ttc file"
    )


def render_pdf(
    title: str, number: str, paragraphs: list[tuple[str, str]], footer: list[str]
) -> bytes:
    """A one-page A4 official notice: centred title, number, labelled paragraphs, signature."""
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=12, leading=20, wordWrap="CJK")
    heading = ParagraphStyle("h", parent=base, fontSize=20, leading=30, alignment=TA_CENTER)
    centre = ParagraphStyle("c", parent=base, alignment=TA_CENTER)
    right = ParagraphStyle("r", parent=base, alignment=TA_RIGHT)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=25 * mm,
        bottomMargin=20 * mm, title=title, author="安澜",
    )  # fmt: skip
    story = [Paragraph(title, heading), Paragraph(number, centre), Spacer(1, 8 * mm)]
    for label, text in paragraphs:
        escaped = (text or "—").replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>")
        story.append(Paragraph(f"<b>{label}</b>{escaped}" if label else escaped, base))
        story.append(Spacer(1, 2 * mm))
    story.append(Spacer(1, 12 * mm))
    story += [Paragraph(line, right) for line in footer]
    doc.build(story)
    return buffer.getvalue()
