"""Columns of the hazard ledger (隐患排查治理台账) and the listed-hazard list."""

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

HEADERS = [
    "隐患编号", "发现时间", "来源", "单位或场所", "统一社会信用代码", "所在乡镇", "所在地",
    "监管类别", "隐患类别", "隐患等级", "隐患描述", "状态", "整改责任人", "责任人电话",
    "整改措施", "整改资金（元）", "整改期限", "是否逾期", "挂牌督办", "验收时间", "销号时间",
]  # fmt: skip
LISTING_HEADERS = [
    "督办文号", "隐患编号", "单位或场所", "所在地", "隐患描述", "督办单位", "责任领导",
    "督办期限", "公开曝光", "挂牌时间", "状态", "摘牌时间",
]  # fmt: skip


def rows(queryset) -> Iterator[list[Any]]:
    today = timezone.localdate()
    queryset = queryset.select_related(
        "enterprise", "region", "supervision_category", "category", "listing"
    ).order_by("pk")
    towns: dict[str, str] = {}
    from anlan.regions.models import Region

    for h in queryset.iterator(chunk_size=2000):
        town = h.region_id[:9]
        if town not in towns:
            towns[town] = (
                Region.objects.filter(code=town).values_list("name", flat=True).first() or ""
            )
        status = h.deadline_status(today)
        listing = getattr(h, "listing", None)
        yield [
            h.number,
            h.found_at,
            h.get_source_display(),
            h.subject_name,
            h.enterprise.uscc if h.enterprise_id else "",
            towns[town],
            h.region.name,
            h.supervision_category.name,
            h.category.name,
            h.get_level_display(),
            h.description,
            h.get_state_display(),
            h.responsible_person,
            h.responsible_phone,
            h.measures,
            h.funds,
            h.deadline,
            "是" if status == "overdue" else "否",
            "是" if listing and listing.is_active else "否",
            h.accepted_at,
            h.closed_at,
        ]


def listing_rows(queryset) -> Iterator[list[Any]]:
    for listing in queryset.iterator(chunk_size=1000):
        h = listing.hazard
        yield [
            listing.document_number,
            h.number,
            h.subject_name,
            h.region.name,
            h.description,
            listing.authority.name,
            listing.responsible_leaders,
            listing.deadline,
            "是" if listing.public_exposure else "否",
            listing.listed_at,
            h.get_state_display(),
            listing.delisted_at,
        ]
