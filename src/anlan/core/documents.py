"""Official documents: consecutive numbers and PDF rendering with an embedded Chinese font."""

from __future__ import annotations

import io
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from anlan.core.models import DocumentCounter

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Flowable, Paragraph

# A reportlab table style command, e.g. ("GRID", (0, 0), (-1, -1), 0.5, colors.black).
TableCommand = tuple[Any, ...]

FONT_CANDIDATES = [
    os.environ.get("ANLAN_CJK_FONT", ""),
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
]
FONT_NAME = "AnlanCJK"


def reserve_numbers(issuer: str, kind: str, year: int, count: int) -> range:
    """The next ``count`` numbers for (issuer, kind, year); safe under concurrent issuing: the
    counter row stays locked until the caller's transaction ends, so a rolled-back record
    gives its number back."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                DocumentCounter.objects.get_or_create(issuer=issuer, kind=kind, year=year)
        except IntegrityError:
            pass  # created concurrently by another request
        counter = DocumentCounter.objects.select_for_update().get(
            issuer=issuer, kind=kind, year=year
        )
        first = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
        return range(first, counter.last + 1)


def next_number(issuer: str, kind: str, year: int) -> int:
    """The next number for (issuer, kind, year); safe under concurrent issuing."""
    return reserve_numbers(issuer, kind, year, 1)[0]


# Register numbers (YH2026-0001) run per platform, not per issuing unit.
REGISTER_ISSUER = "anlan"
REGISTER_NUMBER = re.compile(r"^\s*([A-Za-z]{2})\s*(\d{4})\s*[-－—]?\s*(\d{1,7})\s*$")


def register_year(moment: datetime) -> int:
    """The year a register number carries: the local year (ANLAN_TIME_ZONE) of ``moment``, so a
    hazard found at 00:30 on 1 January, Beijing time, is numbered in the new year."""
    return timezone.localtime(moment, timezone.get_default_timezone()).year


def format_register_number(prefix: str, year: int, n: int) -> str:
    """``YH2026-0001``: the prefix, the year, the number in the year on at least four digits."""
    return f"{prefix}{year}-{n:04d}"


def parse_register_number(prefix: str, text: str) -> str | None:
    """The register number ``text`` means, written as stored (``yh2026-12`` → ``YH2026-0012``),
    or None when it is not one of ``prefix``'s numbers."""
    match = REGISTER_NUMBER.match(text or "")
    if match is None or match[1].upper() != prefix.upper():
        return None
    return format_register_number(prefix, int(match[2]), int(match[3]))


class ImpossibleDate(ValueError):
    """An official document would print a date before the one it follows from (a deadline
    before the document's own date, a unit learning of an accident before it happened)."""


def ensure_in_order(earlier: date, later: date, what: str) -> None:
    """The guard of every printed pair of dates. The forms, the API and the actions refuse such
    dates where they are entered; a document never prints them (ImpossibleDate, a 500 that the
    error log shows, rather than an order an official would have to withdraw)."""
    if later < earlier:
        raise ImpossibleDate(f"{what}: {later} is before {earlier}")


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


def escape(text: str) -> str:
    """Text for a reportlab paragraph: markup characters escaped, line breaks kept, "—" for
    nothing."""
    return (text or "—").replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>")


class TableDocument:
    """The one builder of official PDFs (A4, the Chinese font embedded): a title, a document
    number or a subtitle, key-value rows (as labelled paragraphs or as a two-column table), a
    table with column widths, and signature or footer lines. Each call adds the next part, in
    reading order; ``build()`` returns the PDF::

        doc = TableDocument("隐患整改通知书")
        doc.number("清安监隐改〔2026〕12号")
        doc.paragraphs([("隐患描述：", hazard.description)])
        doc.signature(["清河县应急管理局", "2026年11月3日"])
        pdf = doc.build()

    Text given as ``str`` is escaped; pass a reportlab flowable (``doc.paragraph(...)``, a
    drawing) where a cell needs markup or a picture."""

    def __init__(
        self,
        title: str,
        *,
        landscape: bool = False,
        margins: tuple[float, float, float, float] = (25, 25, 25, 20),
        font_size: float = 12,
        leading: float = 20,
    ):
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.pagesizes import landscape as turned
        from reportlab.lib.styles import ParagraphStyle
        from reportlab.lib.units import mm

        self.title = title
        self.font = cjk_font()
        self.pagesize = turned(A4) if landscape else A4
        self.margins = tuple(m * mm for m in margins)  # left, right, top, bottom
        self.style = ParagraphStyle(
            "base", fontName=self.font, fontSize=font_size, leading=leading, wordWrap="CJK"
        )
        self.story: list[Flowable] = []

    @property
    def width(self) -> float:
        """The width between the margins, in points."""
        return self.pagesize[0] - self.margins[0] - self.margins[1]

    @property
    def width_mm(self) -> float:
        from reportlab.lib.units import mm

        return self.width / mm

    def _style(self, name: str, **overrides: Any) -> ParagraphStyle:
        from reportlab.lib.styles import ParagraphStyle

        return ParagraphStyle(name, parent=self.style, **overrides)

    def paragraph(self, markup: str, **style: Any) -> Paragraph:
        """A paragraph of reportlab markup (escape user text first), in the document's font."""
        from reportlab.platypus import Paragraph

        return Paragraph(markup, self._style("p", **style) if style else self.style)

    def space(self, height_mm: float) -> None:
        from reportlab.lib.units import mm
        from reportlab.platypus import Spacer

        self.story.append(Spacer(1, height_mm * mm))

    def heading(self, *, size: float = 20, leading: float = 30) -> None:
        """The title, centred."""
        from reportlab.lib.enums import TA_CENTER

        self.story.append(
            self.paragraph(self.title, fontSize=size, leading=leading, alignment=TA_CENTER)
        )

    def number(self, text: str, *, space_after: float = 8) -> None:
        """A centred line under the title: the document number, or a subtitle."""
        from reportlab.lib.enums import TA_CENTER

        self.story.append(self.paragraph(text, alignment=TA_CENTER))
        if space_after:
            self.space(space_after)

    def paragraphs(self, rows: list[tuple[str, str]], *, space_between: float = 2) -> None:
        """Key-value rows as paragraphs: the label in bold, then the text (escaped)."""
        for label, text in rows:
            body = escape(text)
            self.story.append(self.paragraph(f"<b>{label}</b>{body}" if label else body))
            self.space(space_between)

    def _cell(self, value: Any, style: dict[str, Any] | None = None) -> Any:
        if isinstance(value, str):
            return self.paragraph(escape(value), **(style or {}))
        return value

    def key_values(
        self, rows: list[tuple[str, Any]], *, label_width: float, label_size: float = 12
    ) -> None:
        """Key-value rows as a two-column table: labels bold on grey, widths in mm."""
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        label = {"fontSize": label_size, "leading": label_size * 1.5}
        data = [
            [self.paragraph(f"<b>{escape(key)}</b>", **label), self._cell(value)]
            for key, value in rows
        ]
        self._table(
            data,
            [label_width * mm, self.width - label_width * mm],
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#667382")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f5f9")),
            ],
        )

    def table(self, header: list[str], rows: list[list[Any]], *, widths: list[float]) -> None:
        """A ruled table, its header repeated on every page; widths in mm. Plain values are
        written as they are (no wrapping); pass ``doc.paragraph(...)`` for a cell that wraps."""
        from reportlab.lib import colors
        from reportlab.lib.units import mm

        self._table(
            [header, *rows],
            [w * mm for w in widths],
            [
                ("FONTNAME", (0, 0), (-1, -1), self.font),
                ("FONTSIZE", (0, 0), (-1, -1), self.style.fontSize),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e9ecef")),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f8f9fa")]),
            ],
            repeat_rows=1,
        )

    def row(
        self,
        cells: list[Any],
        *,
        widths: list[float | None],
        style: list[TableCommand] | None = None,
    ) -> None:
        """One unruled row of cells side by side (a banner, a picture with its caption);
        widths in mm, ``None`` sharing what the others leave of the page width."""
        from reportlab.lib.units import mm

        fixed = sum(w * mm for w in widths if w is not None)
        rest = (self.width - fixed) / max(1, widths.count(None))
        self._table(
            [[self._cell(c) for c in cells]],
            [rest if w is None else w * mm for w in widths],
            style or [("VALIGN", (0, 0), (-1, -1), "MIDDLE")],
        )

    def _table(
        self,
        data: list[list[Any]],
        widths: list[float],
        style: list[TableCommand],
        repeat_rows: int = 0,
    ) -> None:
        from reportlab.platypus import Table, TableStyle

        table = Table(data, colWidths=widths, repeatRows=repeat_rows)
        table.setStyle(TableStyle(style))
        self.story.append(table)

    def signature(self, lines: list[str], *, space_before: float = 12) -> None:
        """Signature lines (the issuing unit, the date), right-aligned."""
        from reportlab.lib.enums import TA_RIGHT

        if space_before:
            self.space(space_before)
        self.story += [self.paragraph(line, alignment=TA_RIGHT) for line in lines]

    def footer(self, lines: list[str]) -> None:
        """Lines after the body, left-aligned (who made the table, when it was printed)."""
        self.story += [self.paragraph(escape(line)) for line in lines]

    def build(self) -> bytes:
        from reportlab.platypus import SimpleDocTemplate

        buffer = io.BytesIO()
        left, right, top, bottom = self.margins
        SimpleDocTemplate(
            buffer, pagesize=self.pagesize, leftMargin=left, rightMargin=right, topMargin=top,
            bottomMargin=bottom, title=self.title, author="安澜",
        ).build(self.story)  # fmt: skip
        return buffer.getvalue()


def render_pdf(
    title: str, number: str, paragraphs: list[tuple[str, str]], footer: list[str]
) -> bytes:
    """A one-page A4 official notice: centred title, number, labelled paragraphs, signature."""
    doc = TableDocument(title)
    doc.heading()
    doc.number(number)
    doc.paragraphs(paragraphs)
    doc.signature(footer)
    return doc.build()
