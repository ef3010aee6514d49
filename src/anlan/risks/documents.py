"""风险告知卡 (risk notice card) of a risk unit as PDF, with a QR code to its public page."""

from __future__ import annotations

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from anlan.core.documents import TableDocument, escape
from anlan.risks import rules
from anlan.risks.models import RiskUnit


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
    doc = TableDocument(
        f"风险告知卡 {unit.name}", margins=(15, 15, 15, 15), font_size=11, leading=17
    )
    banner = {"fontSize": 22, "leading": 30, "textColor": colors.white}
    level_text = (
        f"{content['level_label']}（{content['colour'][1]}色）" if content["level"] else "未评级"
    )
    doc.row(
        [doc.paragraph("安全风险告知卡", **banner), doc.paragraph(level_text, **banner)],
        widths=[doc.width_mm * 0.55, None],
        style=[
            ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor(content["colour"][2])),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 8),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
        ],
    )
    doc.space(5)

    def lines(items: list[str]):
        return doc.paragraph(
            "<br/>".join(escape(f"{i}. {t}") for i, t in enumerate(items, 1)) or "—"
        )

    doc.key_values(
        [
            ("单位", content["enterprise"]),
            ("风险单元", f"{unit.area} · {unit.name}"),
            ("危险有害因素", lines(content["hazards"])),
            ("可能导致的事故", "、".join(content["consequences"])),
            ("管控措施", lines(content["measures"])),
            ("应急处置措施", unit.emergency_actions),
            ("应急电话", unit.emergency_phones),
            ("管控责任人", "；".join(content["responsible"])),
        ],
        label_width=32,
    )
    doc.space(6)
    doc.row([qr_drawing(public_url, 32 * mm), "扫码查看本风险单元的告知内容。"], widths=[38, None])
    return doc.build()
