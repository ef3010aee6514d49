"""Duty rules (应急值守): shift patterns, the rota, check-in timing and swaps. Pure, no database.

Source: the seed texts require 24-hour duty with a leader on duty (24小时值班、领导带班) and no one
leaving post; county emergency bureaus, towns and departments keep monthly rosters of duty
officers (值班员) and leaders on duty (带班领导). The pattern (24-hour shifts from 08:30), how
early one may check in and the grace period before a missing check-in is flagged are settings
*(project convention)*: ANLAN_DUTY_SHIFT_START, ANLAN_DUTY_SHIFT_HOURS,
ANLAN_DUTY_CHECKIN_EARLY_MINUTES, ANLAN_DUTY_CHECKIN_GRACE_MINUTES (docs/settings.md).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Generic, NamedTuple, TypeVar

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

P = TypeVar("P", bound=Hashable)


class DutyRole(models.TextChoices):
    OFFICER = "officer", gettext_lazy("duty officer")
    LEADER = "leader", gettext_lazy("leader on duty")


OTHER_ROLE = {DutyRole.OFFICER: DutyRole.LEADER, DutyRole.LEADER: DutyRole.OFFICER}


@dataclass(frozen=True)
class ShiftPattern:
    """Each day's first shift starts at ``start`` (local time); shifts last ``hours`` and tile the
    day, so ``hours`` divides 24 (24: one shift a day; 12: day and night)."""

    start: time
    hours: int

    @property
    def per_day(self) -> int:
        return 24 // self.hours


_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_pattern(start: str, hours: int) -> ShiftPattern:
    """A pattern from settings text ("08:30", 24); ValueError when it does not tile a day."""
    match = _CLOCK.match(start.strip())
    if match is None:
        raise ValueError(f"shift start must be HH:MM, got {start!r}")
    if hours not in (1, 2, 3, 4, 6, 8, 12, 24):
        raise ValueError(f"shift hours must divide 24, got {hours!r}")
    return ShiftPattern(time(int(match[1]), int(match[2])), hours)


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def parse_month(text: str) -> date:
    """ "2026-11" → 2026-11-01; ValueError otherwise (years 2000–2099)."""
    match = re.fullmatch(r"(20\d\d)-(0[1-9]|1[0-2])", (text or "").strip())
    if match is None:
        raise ValueError(f"month must be YYYY-MM, got {text!r}")
    return date(int(match[1]), int(match[2]), 1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


class Slot(NamedTuple):
    start: datetime
    end: datetime


def month_slots(month: date, pattern: ShiftPattern, tz: tzinfo) -> list[Slot]:
    """Every shift that starts in ``month``, in order. The last one runs into the next month
    (a 24-hour shift from 08:30 on the 30th ends at 08:30 on the 1st): the next month's first
    shift starts where it ends, so consecutive months tile time without a gap."""
    days = calendar.monthrange(month.year, month.month)[1]
    slots = []
    for day in range(1, days + 1):
        first = datetime.combine(date(month.year, month.month, day), pattern.start)
        for k in range(pattern.per_day):
            local = first + timedelta(hours=k * pattern.hours)
            end = local + timedelta(hours=pattern.hours)
            slots.append(Slot(local.replace(tzinfo=tz), end.replace(tzinfo=tz)))
    return slots


def slot_at(moment: datetime, pattern: ShiftPattern) -> Slot:
    """The slot of the pattern that contains ``moment`` (aware), in moment's time zone."""
    tz = moment.tzinfo
    local = moment.replace(tzinfo=None)
    start = datetime.combine(local.date(), pattern.start)
    while start > local:
        start -= timedelta(hours=pattern.hours)
    while start + timedelta(hours=pattern.hours) <= local:
        start += timedelta(hours=pattern.hours)
    return Slot(
        start.replace(tzinfo=tz), (start + timedelta(hours=pattern.hours)).replace(tzinfo=tz)
    )


class Assignment(NamedTuple, Generic[P]):
    start: datetime
    end: datetime
    officer: P
    leader: P


def _next_index(people: Sequence[P], after: P | None) -> int:
    """Where a rota continues: right after ``after`` (last month's last person), else at 0."""
    if after is not None and after in people:
        return (list(people).index(after) + 1) % len(people)
    return 0


def assign_rota(
    slots: Sequence[Slot],
    officers: Sequence[P],
    leaders: Sequence[P],
    *,
    after_officer: P | None = None,
    after_leader: P | None = None,
    leader_days: int = 1,
    per_day: int = 1,
) -> list[Assignment[P]]:
    """Officers take the slots in turn; leaders in turn, each for ``leader_days`` days.

    The rota continues where the last month stopped (``after_*``). Nobody is officer and leader
    of one shift: when the turn gives both roles to one person, the next officer takes the shift
    (and the rota goes on from them). ValueError when a list is empty or has repeats, or when
    the only officer is the leader.
    """
    if not officers:
        raise ValueError(_("Choose at least one duty officer."))
    if not leaders:
        raise ValueError(_("Choose at least one leader on duty."))
    if len(set(officers)) != len(officers) or len(set(leaders)) != len(leaders):
        raise ValueError(_("A person appears twice in the rota."))
    if leader_days < 1:
        raise ValueError(_("Leaders rotate after at least one day."))
    o = _next_index(officers, after_officer)
    first_leader = _next_index(leaders, after_leader)
    result = []
    for n, slot in enumerate(slots):
        leader = leaders[(first_leader + n // (leader_days * per_day)) % len(leaders)]
        officer = officers[o % len(officers)]
        if officer == leader:
            if len(officers) == 1:
                raise ValueError(_("One person cannot be both duty officer and leader on duty."))
            o += 1
            officer = officers[o % len(officers)]
        result.append(Assignment(slot.start, slot.end, officer, leader))
        o += 1
    return result


def roster_period(month: date, pattern: ShiftPattern, tz: tzinfo) -> Slot:
    """The time a roster of ``month`` answers for: from the month's first shift start (the 1st
    at 08:30) to the next month's (the 1st of the next month at 08:30), so that consecutive
    rosters tile time (see month_slots)."""
    first = datetime.combine(month, pattern.start).replace(tzinfo=tz)
    nxt = datetime.combine(add_months(month, 1), pattern.start).replace(tzinfo=tz)
    return Slot(first, nxt)


def coverage_gaps(
    start: datetime, end: datetime, shifts: Sequence[tuple[datetime, datetime]]
) -> list[Slot]:
    """The stretches of [start, end) that no shift covers, in order (shifts are half-open; they
    may overlap or run past either end). 24-hour duty (生产安全事故信息报告和处置办法 art. 5;
    生产安全事故应急条例 art. 14; DOMAIN.md §13) allows none. Every shift names a duty officer
    and a leader on duty (the model requires both), so a covered moment has both roles."""
    gaps: list[Slot] = []
    cursor = start
    for s_start, s_end in sorted(shifts):
        if cursor >= end:
            break
        if s_end <= cursor:
            continue
        if s_start > cursor:
            gaps.append(Slot(cursor, min(s_start, end)))
        cursor = max(cursor, s_end)
    if cursor < end:
        gaps.append(Slot(cursor, end))
    return gaps


def gaps_message(gaps: Sequence[Slot], tz: tzinfo) -> str:
    """The refusal to publish, naming each gap ("2026-03-16 08:30 – 2026-04-01 08:30 无人值班") locally."""
    named = [
        _("%(start)s – %(end)s nobody on duty")
        % {
            "start": gap.start.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            "end": gap.end.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
        }
        for gap in gaps
    ]
    return _("Every hour of the month needs someone on duty: %(gaps)s.") % {
        "gaps": "；".join(named)
    }


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Half-open intervals [start, end): a shift ending at 08:30 and one starting then do not."""
    return a_start < b_end and b_start < a_end


MAX_SHIFT = timedelta(hours=48)


def shift_problem(start: datetime, end: datetime, month: date) -> str | None:
    """Why a shift's times are wrong for a roster of ``month`` (local dates), or None."""
    if end <= start:
        return _("A shift ends after it starts.")
    if end - start > MAX_SHIFT:
        return _("A shift lasts at most 48 hours.")
    if first_of_month(start.date()) != month:
        return _("The shift must start in the roster's month.")
    return None


class CheckInStatus(models.TextChoices):
    UPCOMING = "upcoming", gettext_lazy("not started")
    DUE = "due", gettext_lazy("awaiting check-in")
    ON_TIME = "on_time", gettext_lazy("checked in")
    LATE = "late", gettext_lazy("checked in late")
    MISSED = "missed", gettext_lazy("not checked in")


def checkin_status(
    start: datetime, checked_in_at: datetime | None, now: datetime, grace: timedelta
) -> CheckInStatus:
    """A check-in up to ``grace`` after the shift starts is on time (the boundary included);
    without one, the shift is "missed" once the grace has passed."""
    deadline = start + grace
    if checked_in_at is not None:
        return CheckInStatus.ON_TIME if checked_in_at <= deadline else CheckInStatus.LATE
    if now < start:
        return CheckInStatus.UPCOMING
    if now <= deadline:
        return CheckInStatus.DUE
    return CheckInStatus.MISSED


def checkin_problem(start: datetime, end: datetime, now: datetime, early: timedelta) -> str | None:
    """Check-in is open from ``early`` before the shift starts until it ends."""
    if now < start - early:
        return _("Check-in opens %(minutes)s minutes before the shift starts.") % {
            "minutes": int(early.total_seconds() // 60)
        }
    if now >= end:
        return _("This shift has ended.")
    return None


class People(NamedTuple):
    """Who holds a shift (ids), and when it starts."""

    id: Hashable
    start: datetime
    officer: Hashable
    leader: Hashable


def _holder(shift: People, role: str) -> Hashable:
    return shift.officer if role == DutyRole.OFFICER else shift.leader


def swap_problem(
    *,
    role: str,
    requester: Hashable,
    counterpart: Hashable,
    shift: People,
    counterpart_shift: People | None,
    now: datetime,
) -> str | None:
    """Why this swap cannot be made (now), or None.

    ``requester`` gives up ``role`` in ``shift`` to ``counterpart``; with a ``counterpart_shift``
    (换班) the requester takes the counterpart's place there in the same role, without one
    (替班) the counterpart simply covers. Only shifts that have not started are swapped, and
    afterwards nobody is officer and leader of the same shift.
    """
    if role not in DutyRole.values:
        return _("Choose the duty officer or the leader on duty.")
    if shift.start <= now:
        return _("Only shifts that have not started can be swapped.")
    if _holder(shift, role) != requester:
        return _("You are not scheduled in this role on this shift.")
    if counterpart == requester:
        return _("Choose another person.")
    if _holder(shift, OTHER_ROLE[DutyRole(role)]) == counterpart:
        return _("After the swap one person would be both duty officer and leader on duty.")
    if counterpart_shift is None:
        return None
    if counterpart_shift.start <= now:
        return _("Only shifts that have not started can be swapped.")
    if counterpart_shift.id == shift.id:
        return _("Choose another shift to swap with.")
    if _holder(counterpart_shift, role) != counterpart:
        return _("The other person is not scheduled in this role on the chosen shift.")
    if _holder(counterpart_shift, OTHER_ROLE[DutyRole(role)]) == requester:
        return _("After the swap one person would be both duty officer and leader on duty.")
    return None
