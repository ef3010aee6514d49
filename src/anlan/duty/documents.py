"""The roster as officials print and file it: PDF (A4 landscape, embedded Chinese font) and Excel."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from anlan.core.documents import TableDocument, escape
from anlan.duty.models import Roster, RosterState, Shift

WEEKDAYS = "一二三四五六日"
HEADERS = [
    "日期", "星期", "开始", "结束", "值班员", "值班员电话", "带班领导", "带班领导电话",
    "值班员签到", "带班领导签到", "备注",
]  # fmt: skip


def roster_shifts(roster: Roster):
    return roster.shifts.select_related("officer", "leader").order_by("start")


def _local(moment) -> Any:
    return timezone.localtime(moment) if moment else None


def _clock(moment) -> str:
    return _local(moment).strftime("%m-%d %H:%M") if moment else ""


def rows(shifts: Iterable[Shift]) -> Iterator[list[Any]]:
    for s in shifts:
        start = _local(s.start)
        yield [
            start.date(),
            WEEKDAYS[start.weekday()],
            start.strftime("%H:%M"),
            _local(s.end).strftime("%m-%d %H:%M"),
            s.officer.display_name,
            s.officer_phone or s.officer.phone,
            s.leader.display_name,
            s.leader_phone or s.leader.phone,
            _clock(s.officer_checked_in_at),
            _clock(s.leader_checked_in_at),
            s.note,
        ]


def title(roster: Roster) -> str:
    return f"{roster.organisation.name}{roster.month.year}年{roster.month.month}月值班表"


def roster_pdf(roster: Roster) -> bytes:
    doc = TableDocument(
        title(roster), landscape=True, margins=(15, 15, 15, 15), font_size=10, leading=14
    )
    org = roster.organisation
    status = (
        f"已发布 {_local(roster.published_at):%Y-%m-%d}"
        if roster.state == RosterState.PUBLISHED and roster.published_at
        else "草稿（未发布）"
    )
    doc.heading(size=18, leading=26)
    doc.number(
        f"值班电话：{org.phone or '—'}　　状态：{status}　　24小时值班，领导带班", space_after=5
    )
    header = ["日期", "星期", "班次", "值班员", "电话", "带班领导", "电话", "签到", "备注"]
    data: list[list[Any]] = []
    for r in rows(roster_shifts(roster)):
        checked = "、".join(x for x in (r[8] and "值班员", r[9] and "带班") if x) or ""
        data.append(
            [
                f"{r[0]:%m-%d}", r[1], f"{r[2]}—{r[3][-5:]}", r[4], r[5], r[6], r[7], checked,
                doc.paragraph(escape(r[10]) if r[10] else ""),
            ]
        )  # fmt: skip
    doc.table(header, data, widths=[20, 12, 30, 32, 34, 32, 34, 30, 43])
    if roster.note:
        doc.footer([f"说明：{roster.note}"])
    doc.space(6)
    printed = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    doc.footer([f"制表：{roster.created_by}　　打印时间：{printed}"])
    return doc.build()
