"""Columns of the listed-hazard list (重大隐患挂牌督办); the ledger's are in hazards/ledger.py."""

from collections.abc import Iterator
from typing import Any

LISTING_HEADERS = [
    "督办文号", "隐患编号", "单位或场所", "所在地", "隐患描述", "督办单位", "责任领导",
    "督办期限", "公开曝光", "挂牌时间", "状态", "摘牌时间",
]  # fmt: skip


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
