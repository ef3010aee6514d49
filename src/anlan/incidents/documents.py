"""事故快报 (accident express report) as PDF, in the form of art. 12 of the 条例."""

from __future__ import annotations

from django.utils import timezone

from anlan.core.documents import ensure_in_order, render_pdf
from anlan.incidents.models import Incident


def express_report(incident: Incident) -> bytes:
    local = timezone.localtime
    if incident.unit_learned_at:
        ensure_in_order(incident.occurred_at, incident.unit_learned_at, "单位获知时间")
    enterprise = incident.enterprise
    unit = (
        f"{enterprise.name}（统一社会信用代码 {enterprise.uscc}；{enterprise.address}；"
        f"法定代表人 {enterprise.legal_representative}）"
        if enterprise
        else "—"
    )
    paragraphs = [
        ("事故类型：", f"{incident.get_kind_display()}"
                     + (f"（{incident.supervision_category.name}）" if incident.supervision_category else "")),
        ("事故等级：", f"{incident.get_grade_display()}（按目前掌握的伤亡和损失初步判定）"),
        ("事故发生单位概况：", unit),
        ("发生时间：", f"{local(incident.occurred_at):%Y年%m月%d日 %H时%M分}"),
        ("发生地点：", f"{incident.region.full_name()} {incident.location}"),
        ("事故简要经过：", incident.description),
        (
            "伤亡情况：",
            f"死亡 {incident.deaths} 人，下落不明 {incident.missing} 人，重伤（含急性工业中毒）"
            f"{incident.serious_injuries} 人，轻伤 {incident.minor_injuries} 人，被困 {incident.trapped} 人",
        ),
        ("初步估计直接经济损失：", f"{incident.direct_loss_yuan:,.2f} 元"),
        ("已采取的措施：", incident.measures_taken),
        ("报告人及联系电话：", f"{incident.reporter_name} {incident.reporter_phone}"),
        ("单位获知时间：", f"{local(incident.unit_learned_at):%Y年%m月%d日 %H时%M分}"
                          if incident.unit_learned_at else "—"),
    ]  # fmt: skip
    return render_pdf(
        "生产安全事故快报" if incident.kind == "production" else "突发事件信息快报",
        incident.number,
        paragraphs,
        [f"填报时间：{local():%Y年%m月%d日 %H时%M分}"],
    )
