"""隐患整改通知书 and 重大隐患挂牌督办通知书 as PDF (Chinese font embedded)."""

from django.utils import timezone

from anlan.core.documents import ensure_in_order, render_pdf
from anlan.hazards.models import Hazard


def _subject(hazard: Hazard) -> str:
    if hazard.enterprise_id:
        return hazard.enterprise.name
    return f"{hazard.region.name}{hazard.site_name}"


def _local_date(moment) -> str:
    """A document's date: the local calendar day of the moment it was issued."""
    return f"{timezone.localdate(moment):%Y年%m月%d日}" if moment else ""


def rectification_notice(hazard: Hazard) -> bytes:
    """The order as issued: the deadline the confirming unit set (责令限期整改), dated the
    day it was issued, however late it is printed."""
    unit = hazard.supervising_unit
    ordered = hazard.original_deadline or hazard.deadline
    if ordered and hazard.confirmed_at:
        ensure_in_order(timezone.localdate(hazard.confirmed_at), ordered, "整改期限")
    deadline = f"{ordered:%Y年%m月%d日}" if ordered else "整改方案确定的期限"
    paragraphs = [
        ("", f"{_subject(hazard)}："),
        (
            "",
            f"经{hazard.get_source_display()}，发现你单位存在以下"
            f"{hazard.get_level_display()}（编号 {hazard.number}），现责令你单位按照"
            "《安全生产事故隐患排查治理暂行规定》的要求，落实整改责任人、措施、资金、时限和预案，"
            f"于 {deadline} 前整改完毕，并将整改情况书面报告本单位。",
        ),
        (
            "隐患地点：",
            hazard.location or (hazard.enterprise.address if hazard.enterprise_id else ""),
        ),
        ("隐患描述：", hazard.description),
        ("依据：", hazard.legal_basis),
        ("整改建议：", hazard.suggested_measures),
        ("整改责任人：", f"{hazard.responsible_person} {hazard.responsible_phone}".strip()),
        ("", "整改期间应采取有效的安全防范措施，防止事故发生。逾期未整改的，将依法处理。"),
    ]
    return render_pdf(
        "隐患整改通知书",
        hazard.notice_number,
        paragraphs,
        [unit.name if unit else "", _local_date(hazard.confirmed_at)],
    )


def listing_notice(hazard: Hazard) -> bytes:
    listing = hazard.listing
    ensure_in_order(timezone.localdate(listing.listed_at), listing.deadline, "督办期限")
    paragraphs = [
        ("", f"{_subject(hazard)}："),
        (
            "",
            f"你单位存在的重大事故隐患（编号 {hazard.number}）已列入挂牌督办。依据《中华人民共和国"
            "安全生产法》第四十一条，请按照治理方案限期整改，整改完成后申请验收销号。",
        ),
        ("隐患描述：", hazard.description),
        ("督办责任领导：", listing.responsible_leaders),
        ("督办期限：", f"{listing.deadline:%Y年%m月%d日}"),
        ("整改责任人：", f"{hazard.responsible_person} {hazard.responsible_phone}".strip()),
        ("公开曝光：", "是" if listing.public_exposure else "否"),
    ]
    return render_pdf(
        "重大事故隐患挂牌督办通知书",
        listing.document_number,
        paragraphs,
        [listing.authority.name, _local_date(listing.listed_at)],
    )
