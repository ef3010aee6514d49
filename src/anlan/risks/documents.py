"""风险告知卡 (risk notice card) of a risk unit as PDF, with a QR code to its public page."""

from __future__ import annotations

import io

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from anlan.core.documents import cjk_font
from anlan.risks import rules
from anlan.risks.models import RiskUnit


def _escape(text: str) -> str:
    return (text or "—").replace("&", "&amp;").replace("<", "&lt;").replace("\n", "<br/>")


def qr_drawing(url: str, size: float) -> Drawing:
    widget = QrCodeWidget(url, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing


def card_content(unit: RiskUnit) -> dict:
    """What the card and its public page show: nothing beyond what is posted at the site."""
    events = list(unit.events.active().order_by("-level_rank", "pk"))
    level = rules.highest(e.level for e in events)
    measures = [m for e in events for m in e.measures.active().order_by("kind", "pk")]
    accident_types: list[str] = []
    for event in events:
        for name in event.accident_type_names():
            if name not in accident_types:
                accident_types.append(name)
    return {
        "unit": unit,
        "enterprise": unit.enterprise.name,
        "level": level,
        "level_label": rules.RiskLevel(level).label if level else "",
        "colour": rules.COLOURS[level] if level else ("grey", "", "#9aa0ac"),
        "hazards": [f"{e.name}：{e.factor}" for e in events],
        "consequences": accident_types,
        "measures": [m.description for m in measures],
        "emergency_actions": unit.emergency_actions,
        "emergency_phones": unit.emergency_phones,
        "responsible": [
            f"{label}：{person}" for e in events[:1] for label, person in e.responsible() if person
        ],
    }


def risk_card(unit: RiskUnit, public_url: str) -> bytes:
    content = card_content(unit)
    font = cjk_font()
    base = ParagraphStyle("base", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    title = ParagraphStyle("t", parent=base, fontSize=22, leading=30, textColor=colors.white)
    label = ParagraphStyle("l", parent=base, fontSize=12, leading=18)
    hex_colour = colors.HexColor(content["colour"][2])
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
        bottomMargin=15 * mm, title=f"风险告知卡 {unit.name}", author="安澜",
    )  # fmt: skip
    width = A4[0] - 30 * mm
    level_text = (
        f"{content['level_label']}（{content['colour'][1]}色）" if content["level"] else "未评级"
    )
    header = Table(
        [[Paragraph("安全风险告知卡", title), Paragraph(level_text, title)]],
        colWidths=[width * 0.55, width * 0.45],
    )
    header.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), hex_colour),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )

    def lines(items: list[str]) -> Paragraph:
        return Paragraph(
            "<br/>".join(_escape(f"{i}. {t}") for i, t in enumerate(items, 1)) or "—", base
        )

    rows = [
        ["单位", Paragraph(_escape(content["enterprise"]), base)],
        ["风险单元", Paragraph(_escape(f"{unit.area} · {unit.name}"), base)],
        ["危险有害因素", lines(content["hazards"])],
        ["可能导致的事故", Paragraph(_escape("、".join(content["consequences"])), base)],
        ["管控措施", lines(content["measures"])],
        ["应急处置措施", Paragraph(_escape(unit.emergency_actions), base)],
        ["应急电话", Paragraph(_escape(unit.emergency_phones), base)],
        ["管控责任人", Paragraph(_escape("；".join(content["responsible"])), base)],
    ]
    body = Table(
        [[Paragraph(f"<b>{k}</b>", label), v] for k, v in rows],
        colWidths=[32 * mm, width - 32 * mm],
    )
    body.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.HexColor("#667382")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f1f5f9")),
            ]
        )
    )
    qr = Table(
        [[qr_drawing(public_url, 32 * mm), Paragraph("扫码查看本风险单元的告知内容。", base)]],
        colWidths=[38 * mm, width - 38 * mm],
    )
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    doc.build([header, Spacer(1, 5 * mm), body, Spacer(1, 6 * mm), qr])
    return buffer.getvalue()
